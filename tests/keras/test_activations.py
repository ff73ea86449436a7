"""keras.activations, keras.initializers, keras.regularizers: Keras names and signatures."""

import numpy as np
import pytest

import ndgrad
from ndgrad import keras
from ndgrad.keras import activations, initializers, regularizers


def test_activation_lookup_and_layer_use():
    assert activations.get("relu") is activations.relu and activations.get(None) is \
        activations.linear
    assert activations.serialize(activations.softmax) == "softmax"
    assert activations.deserialize("swish") is activations.silu
    layer = keras.layers.Dense(2, activation=activations.relu, kernel_initializer="ones")
    assert layer(-ndgrad.ones((1, 3))).tolist() == [[0.0, 0.0]]
    assert activations.relu([-1.0, 3.0], max_value=2.0).tolist() == [0.0, 2.0]
    assert activations.exponential([0.0]).tolist() == [1.0]
    with pytest.raises(ValueError, match="unknown activation 'relu7'"):
        activations.get("relu7")
    assert activations.get("sparsemax")([[3.0, 1.0]]).tolist() == [[1.0, 0.0]]
    assert activations.sparse_plus([0.0]).tolist() == [0.25]


def test_initializers_by_keras_names():
    assert initializers.glorot_uniform is initializers.GlorotUniform
    assert initializers.OrthogonalInitializer is initializers.Orthogonal
    values = initializers.RandomNormal(stddev=0.01, seed=1)((500,)).numpy()
    assert abs(values.std() - 0.01) < 0.002
    restored = initializers.deserialize(initializers.serialize(initializers.Constant(3.0)))
    assert restored((2,)).tolist() == [3.0, 3.0]

    class Twos(initializers.Initializer):
        def __call__(self, shape, dtype=None):
            return keras.ops.full(shape, 2.0)

    layer = keras.layers.Dense(1, kernel_initializer=Twos(), input_shape=(2,))
    assert layer.kernel.tolist() == [[2.0], [2.0]]


def test_regularizers_face_is_the_core():
    assert regularizers.L2 is ndgrad.nn.regularizers.L2 and regularizers.l2 is regularizers.L2
    dense = keras.layers.Dense(2, kernel_regularizer="l1", bias_regularizer=regularizers.L2(1.0),
                               activity_regularizer=regularizers.L1L2(l2=0.5),
                               kernel_initializer="ones", bias_initializer="ones",
                               input_shape=(2,))
    dense(ndgrad.ones((1, 2)))                     # outputs [3, 3]
    values = [round(loss.item(), 5) for loss in dense.losses]
    assert values == [9.0, 0.04, 2.0]             # activity, kernel (l1 0.01 * 4), bias
    assert np.isclose(sum(values), sum(loss.item() for loss in dense.losses))
