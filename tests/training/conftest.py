"""Shared data for the training tests: scikit-learn's digits, split once."""

import numpy as np
import pytest

import ndgrad


@pytest.fixture(scope="session")
def digits():
    """((x_train, y_train), (x_test, y_test)): 64 float32 features in [0, 1], int labels."""
    pytest.importorskip("sklearn")
    from ndgrad.datasets import load_digits
    return load_digits(test_size=0.25, seed=0, flatten=True)


def small_mlp(hidden=64, classes=10, inputs=64):
    """A Keras-face MLP with softmax output, built."""
    return ndgrad.Sequential([
        ndgrad.layers.Dense(hidden, activation="relu", input_shape=(inputs,)),
        ndgrad.layers.Dense(classes, activation="softmax")])


def regression_data(samples=32, features=3, seed=0):
    """x and a linear target y = x @ w + 1, float32."""
    generator = np.random.default_rng(seed)
    x = generator.normal(size=(samples, features)).astype(np.float32)
    y = (x @ np.arange(1, features + 1, dtype=np.float32) + 1.0)[:, None]
    return x, y
