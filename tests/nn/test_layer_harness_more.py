"""The shared layer harness (``test_layer_harness``) run on the layers PyTorch
programs use beyond the first families: channel and alpha dropout, instance /
RMS / local response normalization, adaptive max, 3-D and power-average
pooling, unpooling, 3-D convolutions, fold/unfold, bilinear, embedding bags,
channel shuffle.

Each case builds from the first input with a float32 output, has the documented
parameter count, survives a state_dict round trip, lowers a loss in one step
(when it has weights), and on the PyTorch face matches the PyTorch module with
the same weights forward and backward.
"""

import pytest

from ndgrad import layers, nn

from . import test_layer_harness as harness

torch = pytest.importorskip("torch")
LayerCase = harness.LayerCase

TORCH_FACE = [
    LayerCase("Dropout1d-eval", lambda: nn.Dropout1d(0.3).eval(), (2, 3, 4), 0,
              lambda: torch.nn.Dropout1d(0.3).eval(), trains=False),
    LayerCase("Dropout3d-eval", lambda: nn.Dropout3d(0.3).eval(), (2, 3, 2, 2, 2), 0,
              lambda: torch.nn.Dropout3d(0.3).eval(), trains=False),
    LayerCase("AlphaDropout-eval", lambda: nn.AlphaDropout(0.3).eval(), (4, 5), 0,
              lambda: torch.nn.AlphaDropout(0.3).eval(), trains=False),
    LayerCase("FeatureAlphaDropout-eval", lambda: nn.FeatureAlphaDropout(0.3).eval(), (2, 3, 4),
              0, lambda: torch.nn.FeatureAlphaDropout(0.3).eval(), trains=False),
    LayerCase("InstanceNorm1d", lambda: nn.InstanceNorm1d(3), (2, 3, 6), 0,
              lambda: torch.nn.InstanceNorm1d(3), trains=False),
    LayerCase("InstanceNorm2d-affine-tracked",
              lambda: nn.InstanceNorm2d(3, affine=True, track_running_stats=True),
              (2, 3, 4, 5), 12,
              lambda: torch.nn.InstanceNorm2d(3, affine=True, track_running_stats=True)),
    LayerCase("InstanceNorm3d-affine", lambda: nn.InstanceNorm3d(2, affine=True),
              (2, 2, 3, 2, 3), 4, lambda: torch.nn.InstanceNorm3d(2, affine=True)),
    LayerCase("LocalResponseNorm", lambda: nn.LocalResponseNorm(3), (2, 5, 3, 3), 0,
              lambda: torch.nn.LocalResponseNorm(3), trains=False),
    LayerCase("RMSNorm", lambda: nn.RMSNorm(6), (3, 6), 6, lambda: torch.nn.RMSNorm(6)),
    LayerCase("RMSNorm-2d-eps", lambda: nn.RMSNorm((2, 3), eps=1e-5), (4, 2, 3), 6,
              lambda: torch.nn.RMSNorm((2, 3), eps=1e-5)),
    LayerCase("MaxPool2d-indices", lambda: nn.MaxPool2d(3, 2, 1, return_indices=True),
              (2, 3, 7, 7), 0, lambda: torch.nn.MaxPool2d(3, 2, 1, return_indices=True),
              trains=False),
    LayerCase("AdaptiveMaxPool2d", lambda: nn.AdaptiveMaxPool2d((2, 3)), (2, 3, 7, 8), 0,
              lambda: torch.nn.AdaptiveMaxPool2d((2, 3)), trains=False),
    LayerCase("AdaptiveMaxPool1d-indices", lambda: nn.AdaptiveMaxPool1d(3, True), (2, 3, 7), 0,
              lambda: torch.nn.AdaptiveMaxPool1d(3, True), trains=False),
    LayerCase("MaxPool3d", lambda: nn.MaxPool3d(2, padding=1), (2, 3, 4, 5, 4), 0,
              lambda: torch.nn.MaxPool3d(2, padding=1), trains=False),
    LayerCase("AvgPool3d", lambda: nn.AvgPool3d((1, 2, 2)), (2, 3, 4, 4, 4), 0,
              lambda: torch.nn.AvgPool3d((1, 2, 2)), trains=False),
    LayerCase("AdaptiveAvgPool3d", lambda: nn.AdaptiveAvgPool3d((1, 3, 2)), (2, 3, 4, 5, 5), 0,
              lambda: torch.nn.AdaptiveAvgPool3d((1, 3, 2)), trains=False),
    LayerCase("LPPool2d", lambda: nn.LPPool2d(2, 2), (2, 3, 6, 6), 0,
              lambda: torch.nn.LPPool2d(2, 2), trains=False),
    LayerCase("Conv3d", lambda: nn.Conv3d(2, 4, 3, stride=(1, 2, 2), padding=1),
              (2, 2, 4, 5, 5), 220, lambda: torch.nn.Conv3d(2, 4, 3, stride=(1, 2, 2), padding=1)),
    LayerCase("Conv3d-groups", lambda: nn.Conv3d(4, 4, (1, 3, 3), groups=2, bias=False),
              (1, 4, 3, 5, 5), 72, lambda: torch.nn.Conv3d(4, 4, (1, 3, 3), groups=2, bias=False)),
    LayerCase("ConvTranspose3d", lambda: nn.ConvTranspose3d(3, 2, 3, stride=2, padding=1,
                                                            output_padding=1),
              (2, 3, 2, 3, 3), 164, lambda: torch.nn.ConvTranspose3d(3, 2, 3, stride=2, padding=1,
                                                                     output_padding=1)),
    LayerCase("Unfold", lambda: nn.Unfold(3, padding=1, stride=2), (2, 3, 5, 5), 0,
              lambda: torch.nn.Unfold(3, padding=1, stride=2), trains=False),
    LayerCase("Fold", lambda: nn.Fold((6, 6), 2, stride=2), (2, 12, 9), 0,
              lambda: torch.nn.Fold((6, 6), 2, stride=2), trains=False),
    LayerCase("ChannelShuffle", lambda: nn.ChannelShuffle(3), (2, 6, 3, 3), 0,
              lambda: torch.nn.ChannelShuffle(3), trains=False),
    LayerCase("EmbeddingBag-sum", lambda: nn.EmbeddingBag(10, 4, mode="sum"), (3, 5), 40,
              lambda: torch.nn.EmbeddingBag(10, 4, mode="sum"), integer_input=10),
    LayerCase("EmbeddingBag-max", lambda: nn.EmbeddingBag(10, 4, mode="max"), (3, 5), 40,
              lambda: torch.nn.EmbeddingBag(10, 4, mode="max"), integer_input=10),
]

KERAS_FACE = [
    LayerCase("SpatialDropout2D", lambda: layers.SpatialDropout2D(0.5), (2, 3, 3, 4), 0,
              trains=False),
    LayerCase("AlphaDropout-keras", lambda: layers.AlphaDropout(0.5), (4, 5), 0, trains=False),
    LayerCase("RMSNormalization", lambda: layers.RMSNormalization(), (3, 6), 6),
    LayerCase("MaxPooling3D", lambda: layers.MaxPooling3D(2), (2, 4, 4, 4, 3), 0, trains=False),
    LayerCase("AveragePooling3D", lambda: layers.AveragePooling3D(2, padding="same"),
              (2, 3, 4, 5, 3), 0, trains=False),
    LayerCase("GlobalMaxPooling3D", lambda: layers.GlobalMaxPooling3D(), (2, 3, 3, 3, 4), 0,
              trains=False),
    LayerCase("Conv3D", lambda: layers.Conv3D(4, 3, padding="same"), (2, 4, 4, 4, 2), 220),
    LayerCase("Conv3DTranspose", lambda: layers.Conv3DTranspose(2, 3, strides=2),
              (2, 3, 3, 3, 3), 164),
]

ALL = TORCH_FACE + KERAS_FACE
TRAINS = [c for c in ALL if c.trains]


def _ids(cases):
    return [c.name for c in cases]


@pytest.mark.parametrize("case", ALL, ids=_ids(ALL))
def test_builds_from_the_first_input_with_float32_output(case):
    harness.test_builds_from_the_first_input_with_float32_output(case)


@pytest.mark.parametrize("case", ALL, ids=_ids(ALL))
def test_parameter_count_is_the_documented_one(case):
    harness.test_parameter_count_is_the_documented_one(case)


@pytest.mark.parametrize("case", ALL, ids=_ids(ALL))
def test_state_round_trip_gives_identical_outputs(case):
    harness.test_state_round_trip_gives_identical_outputs(case)


@pytest.mark.parametrize("case", TRAINS, ids=_ids(TRAINS))
def test_one_optimizer_step_lowers_a_loss(case):
    harness.test_one_optimizer_step_lowers_a_loss(case)


@pytest.mark.parametrize("case", TORCH_FACE, ids=_ids(TORCH_FACE))
def test_forward_and_gradients_match_pytorch_with_the_same_weights(case):
    harness.test_forward_and_gradients_match_pytorch_with_the_same_weights(case)
