"""The shared layer harness (``test_layer_harness``) run on the Keras layers added for
Keras 3 programs: recurrent cells in RNN, Bidirectional, TimeDistributed, depthwise and
separable convolutions, ConvLSTM2D, PReLU, the normalizations, noise and shape layers.

Each case builds from the first input with a float32 output, has Keras's parameter
count, survives a state_dict round trip, lowers a loss in one step (when it has
weights), and gives the same shapes when called on symbolic inputs (functional API).
"""

import numpy as np
import pytest

import ndgrad
from ndgrad import layers
from ndgrad.nn import nest

from . import test_layer_harness as harness

LayerCase = harness.LayerCase

KERAS_FACE = [
    LayerCase("RNN-LSTMCell", lambda: layers.RNN(layers.LSTMCell(5), return_sequences=True),
              (2, 4, 3), 180),
    LayerCase("RNN-stacked", lambda: layers.RNN([layers.GRUCell(4), layers.SimpleRNNCell(3)]),
              (2, 4, 3), 3 * (3 * 4 + 4 * 4 + 8) + (4 * 3 + 3 * 3 + 3)),
    LayerCase("Bidirectional-LSTM", lambda: layers.Bidirectional(layers.LSTM(5)), (2, 4, 3),
              360),
    LayerCase("Bidirectional-GRU-sum", lambda: layers.Bidirectional(
        layers.GRU(4, return_sequences=True), merge_mode="sum"), (2, 4, 3), 2 * 3 * (12 + 16 + 8)),
    LayerCase("TimeDistributed-Dense", lambda: layers.TimeDistributed(layers.Dense(3)),
              (2, 4, 5), 18),
    LayerCase("DepthwiseConv2D", lambda: layers.DepthwiseConv2D(3, depth_multiplier=2),
              (2, 6, 6, 3), 3 * 3 * 3 * 2 + 6),
    LayerCase("DepthwiseConv1D", lambda: layers.DepthwiseConv1D(3, padding="same"), (2, 7, 4),
              3 * 4 + 4),
    LayerCase("SeparableConv2D", lambda: layers.SeparableConv2D(5, 3, padding="same"),
              (2, 6, 6, 3), 27 + 15 + 5),
    LayerCase("SeparableConv1D", lambda: layers.SeparableConv1D(4, 3, depth_multiplier=2),
              (2, 7, 3), 18 + 24 + 4),
    LayerCase("ConvLSTM2D", lambda: layers.ConvLSTM2D(2, 3, padding="same",
                                                  return_sequences=True),
              (2, 3, 4, 4, 2), 9 * 2 * 8 + 9 * 2 * 8 + 8),
    LayerCase("PReLU", lambda: layers.PReLU(alpha_initializer="ones", shared_axes=[1]),
              (2, 4, 3), 3),
    LayerCase("GroupNormalization", lambda: layers.GroupNormalization(groups=2), (2, 5, 4), 8),
    LayerCase("UnitNormalization", lambda: layers.UnitNormalization(), (2, 5, 4), 0,
              trains=False),
    LayerCase("LayerNormalization-rms", lambda: layers.LayerNormalization(rms_scaling=True),
              (2, 5, 4), 4),
    LayerCase("GaussianNoise", lambda: layers.GaussianNoise(0.1), (2, 5), 0, trains=False),
    LayerCase("GaussianDropout", lambda: layers.GaussianDropout(0.1), (2, 5), 0, trains=False),
    LayerCase("RepeatVector", lambda: layers.RepeatVector(3), (2, 5), 0, trains=False),
    LayerCase("Permute", lambda: layers.Permute((2, 1)), (2, 5, 3), 0, trains=False),
    LayerCase("Identity-keras", lambda: layers.Identity(), (2, 5), 0, trains=False),
    LayerCase("Activation-sparsemax", lambda: layers.Activation("sparsemax"), (2, 5), 0,
              trains=False),
]
TRAINS = [c for c in KERAS_FACE if c.trains]
pytestmark = pytest.mark.filterwarnings("ignore:LayerNormalization. rms_scaling")


def _ids(cases):
    return [c.name for c in cases]


@pytest.mark.parametrize("case", KERAS_FACE, ids=_ids(KERAS_FACE))
def test_builds_from_the_first_input_with_float32_output(case):
    harness.test_builds_from_the_first_input_with_float32_output(case)


@pytest.mark.parametrize("case", KERAS_FACE, ids=_ids(KERAS_FACE))
def test_parameter_count_is_the_documented_one(case):
    harness.test_parameter_count_is_the_documented_one(case)


@pytest.mark.parametrize("case", KERAS_FACE, ids=_ids(KERAS_FACE))
def test_state_round_trip_gives_identical_outputs(case):
    harness.test_state_round_trip_gives_identical_outputs(case)


@pytest.mark.parametrize("case", TRAINS, ids=_ids(TRAINS))
def test_one_optimizer_step_lowers_a_loss(case):
    harness.test_one_optimizer_step_lowers_a_loss(case)


@pytest.mark.parametrize("case", KERAS_FACE, ids=_ids(KERAS_FACE))
def test_symbolic_shapes_match_eager_shapes(case):
    layer = case.make()
    sample = (None,) + tuple(case.input_shape[1:])
    symbolic = layer(ndgrad.Input(shape=sample[1:]))
    with ndgrad.no_grad():
        eager = layer(ndgrad.tensor(np.ones(case.input_shape, np.float32)), training=False)
    pairs = list(zip(nest.flatten(symbolic), nest.flatten(eager)))
    assert pairs
    for sym, real in pairs:
        assert sym.shape[0] is None and tuple(sym.shape[1:]) == tuple(real.shape[1:])
