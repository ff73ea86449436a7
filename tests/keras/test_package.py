"""``from ndgrad import keras``: the import forms, the top-level names, a Keras
program end to end, and the refusals of unsupported names."""

import importlib

import numpy as np
import pytest

import ndgrad
from ndgrad import keras


def test_every_import_form_works():
    import ndgrad.keras as as_module
    from ndgrad.keras import (activations, backend, callbacks, config, initializers,  # noqa
                              layers, losses, metrics, ops, optimizers, random, regularizers,
                              utils)
    assert as_module is keras and layers is keras.layers and ops is keras.ops
    for name in ("ndgrad.keras.optimizers.schedules", "ndgrad.keras.utils",
                 "ndgrad.keras.ops"):
        assert importlib.import_module(name)


def test_top_level_names_are_the_core_classes():
    assert keras.Model is ndgrad.Model and keras.Sequential is ndgrad.Sequential
    assert keras.Layer is ndgrad.nn.Module is keras.layers.Layer
    assert keras.Loss is keras.losses.Loss and keras.Metric is ndgrad.training.metrics.Metric
    assert keras.Optimizer is ndgrad.optim.Optimizer


def test_keras_variable_builds_ndgrad_variables():
    v = keras.Variable(initializer="zeros", shape=(2, 2), dtype="float32", name="v")
    assert isinstance(v, ndgrad.Variable) and isinstance(v, keras.Variable)
    assert v.shape == (2, 2) and v.trainable
    w = keras.Variable(np.ones(3), trainable=False)
    assert not w.trainable and isinstance(w, keras.Variable)
    assert isinstance(ndgrad.nn.Parameter([1.0]), keras.Variable)
    with pytest.raises(ValueError, match="needs shape="):
        keras.Variable("ones")


def test_a_keras_program_runs_with_only_its_import_changed():
    # keras-io's "Getting started" pattern: Sequential, compile with objects, fit, evaluate.
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 10)).astype("float32")
    y = keras.utils.to_categorical((x[:, 0] + x[:, 1] > 0).astype("int64"), 2)
    model = keras.Sequential([
        keras.layers.Dense(16, activation="relu", input_shape=(10,),
                           kernel_regularizer=keras.regularizers.l2(1e-4)),
        keras.layers.Dropout(0.1),
        keras.layers.Dense(2, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-2),
                  loss=keras.losses.CategoricalCrossentropy(),
                  metrics=[keras.metrics.CategoricalAccuracy(name="acc")])
    history = model.fit(x, y, batch_size=32, epochs=8, validation_split=0.2, verbose=0,
                        callbacks=[keras.callbacks.EarlyStopping(monitor="val_loss",
                                                                 patience=3)])
    assert history.history["acc"][-1] > 0.9
    loss, accuracy = model.evaluate(x, y, verbose=0)
    assert accuracy > 0.9 and loss < history.history["loss"][0]
    assert model.predict(x[:5], verbose=0).shape == (5, 2)


def test_device_name_scope_and_version():
    with keras.device("cpu"):
        assert keras.ops.ones((1,)).tolist() == [1.0]
    with pytest.raises(ValueError, match="CPU only"):
        with keras.device("gpu:0"):
            pass
    with keras.name_scope("block"):
        pass
    assert keras.version() == keras.__version__


def test_unsupported_top_level_names_explain_themselves():
    with pytest.raises(AttributeError, match="keras.applications is not supported by ndgrad.*"
                                             "pretrained"):
        keras.applications
    with pytest.raises(AttributeError, match="keras.constraints is not supported"):
        keras.constraints
    with pytest.raises(AttributeError, match="has no attribute 'not_a_name'"):
        keras.not_a_name


def test_functional_names_come_from_the_core_when_present(monkeypatch):
    sentinel = object()
    monkeypatch.setattr(ndgrad.layers, "Input", sentinel, raising=False)
    assert keras.Input is sentinel
    monkeypatch.delattr(ndgrad.layers, "Input")
    if getattr(ndgrad, "Input", None) is None and importlib.util.find_spec(
            "ndgrad.keras.models") is None:
        with pytest.raises(AttributeError, match="keras.Input is not supported"):
            keras.Input
