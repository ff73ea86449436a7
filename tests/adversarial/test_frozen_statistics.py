"""A frozen BatchNormalization keeps its statistics (issue 12, item 12).

Keras 3 runs a BatchNormalization whose ``trainable`` is False in inference mode,
even under ``training=True``; DESIGN: "a layer's trainable = False freezes
everything under it, its normalization statistics included". Checked directly,
inside a frozen Sequential, inside a frozen functional Model, inside a frozen
inner model, and inside ``fit``; and the other way round: an unfrozen one moves,
so the checks can fail.
"""

import numpy as np
import pytest

import ndgrad
from ndgrad import keras

layers = keras.layers


def data(rows=8):
    return (np.random.default_rng(4).normal(size=(rows, 3)) * 2 + 1).astype(np.float32)


def statistics(bn):
    return bn.moving_mean.numpy().copy(), bn.moving_variance.numpy().copy()


def unchanged(before, bn):
    return all(np.array_equal(a, b) for a, b in zip(before, statistics(bn)))


def frozen_itself():
    bn = layers.BatchNormalization()
    bn.build((None, 3))
    bn.trainable = False
    return bn, bn, lambda: bn(data(), training=True)


def frozen_before_build():
    bn = layers.BatchNormalization(trainable=False)
    bn.build((None, 3))
    return bn, bn, lambda: bn(data(), training=True)


def frozen_sequential():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(3), layers.BatchNormalization()])
    model.trainable = False
    return model, model.layers[-1], lambda: model(data(), training=True)


def frozen_functional():
    inputs = keras.Input((3,))
    outputs = layers.Dense(1)(layers.BatchNormalization()(inputs))
    model = keras.Model(inputs, outputs)
    model.trainable = False
    bn = [layer for layer in model.layers if isinstance(layer, layers.BatchNormalization)][0]
    return model, bn, lambda: model(data(), training=True)


def _fit(model):
    model.compile(optimizer=ndgrad.optim.SGD(learning_rate=0.01), loss="mse")
    return lambda: model.fit(data(16), np.ones((16, 1), np.float32), batch_size=4, epochs=2,
                             verbose=0)


def frozen_layer_in_fit():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(3), layers.BatchNormalization(),
                              layers.Dense(1)])
    bn = model.layers[1]
    bn.trainable = False
    return model, bn, _fit(model)


def frozen_inner_model_in_fit():
    inner = keras.Sequential([keras.Input((3,)), layers.BatchNormalization()])
    model = keras.Sequential([keras.Input((3,)), inner, layers.Dense(1)])
    inner.trainable = False
    return model, inner.layers[0], _fit(model)


CASES = [frozen_itself, frozen_before_build, frozen_sequential, frozen_functional,
         frozen_layer_in_fit, frozen_inner_model_in_fit]


@pytest.mark.parametrize("setup", CASES, ids=[case.__name__ for case in CASES])
def test_frozen_batch_normalization_keeps_its_statistics(setup):
    _, bn, run = setup()
    before = statistics(bn)
    run()
    assert unchanged(before, bn)


@pytest.mark.parametrize("setup", CASES, ids=[case.__name__ for case in CASES])
def test_unfrozen_again_it_moves(setup):
    model, bn, run = setup()
    model.trainable = True
    bn.trainable = True
    before = statistics(bn)
    run()
    assert not unchanged(before, bn)


def test_frozen_batch_normalization_uses_its_moving_statistics():
    """In inference mode the output is normalized with the moving statistics, as Keras's."""
    bn = layers.BatchNormalization()
    bn.build((None, 3))
    bn.trainable = False
    x = data()
    expected = bn(x, training=False).numpy()
    np.testing.assert_allclose(bn(x, training=True).numpy(), expected, rtol=1e-6)


def test_pytorch_face_frozen_batch_norm_keeps_running_statistics():
    bn = ndgrad.nn.BatchNorm1d(3)
    bn.trainable = False
    bn.train()
    before = bn.running_mean.numpy().copy(), bn.running_var.numpy().copy()
    bn(ndgrad.tensor(data()))
    np.testing.assert_array_equal(bn.running_mean.numpy(), before[0])
    np.testing.assert_array_equal(bn.running_var.numpy(), before[1])
