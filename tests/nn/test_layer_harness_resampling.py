"""The shared layer harness (``test_layer_harness``) run on the resampling families:
transposed convolutions, upsampling, padding and cropping, pixel shuffle.

Each case builds from the first input with a float32 output, has the documented
parameter count, survives a state_dict round trip, lowers a loss in one step
(when it has weights), and on the PyTorch face matches the PyTorch module with
the same weights forward and backward. The cases live here, beside their
families, and call the harness's own checks.
"""

import pytest

from ndgrad import layers, nn

from . import test_layer_harness as harness

torch = pytest.importorskip("torch")
LayerCase = harness.LayerCase

TORCH_FACE = [
    LayerCase("ConvTranspose2d", lambda: nn.ConvTranspose2d(4, 3, 4, stride=2, padding=1),
              (2, 4, 5, 5), 195,
              lambda: torch.nn.ConvTranspose2d(4, 3, 4, stride=2, padding=1)),
    LayerCase("ConvTranspose2d-groups-output-padding",
              lambda: nn.ConvTranspose2d(4, 6, 3, stride=2, output_padding=1, groups=2,
                                         dilation=2), (1, 4, 4, 3), 114,
              lambda: torch.nn.ConvTranspose2d(4, 6, 3, stride=2, output_padding=1, groups=2,
                                               dilation=2)),
    LayerCase("ConvTranspose1d", lambda: nn.ConvTranspose1d(3, 2, 3, stride=2), (2, 3, 6), 20,
              lambda: torch.nn.ConvTranspose1d(3, 2, 3, stride=2)),
    LayerCase("Upsample-nearest", lambda: nn.Upsample(scale_factor=2), (2, 3, 4, 5), 0,
              lambda: torch.nn.Upsample(scale_factor=2), trains=False),
    LayerCase("Upsample-bilinear", lambda: nn.Upsample(size=(7, 3), mode="bilinear"),
              (2, 3, 4, 5), 0, lambda: torch.nn.Upsample(size=(7, 3), mode="bilinear"),
              trains=False),
    LayerCase("Upsample-linear-align", lambda: nn.Upsample(scale_factor=2.5, mode="linear",
                                                           align_corners=True), (2, 3, 4), 0,
              lambda: torch.nn.Upsample(scale_factor=2.5, mode="linear", align_corners=True),
              trains=False),
    LayerCase("UpsamplingNearest2d", lambda: nn.UpsamplingNearest2d(size=(5, 7)), (1, 2, 3, 3),
              0, lambda: torch.nn.UpsamplingNearest2d(size=(5, 7)), trains=False),
    LayerCase("UpsamplingBilinear2d", lambda: nn.UpsamplingBilinear2d(scale_factor=2),
              (1, 2, 3, 4), 0, lambda: torch.nn.UpsamplingBilinear2d(scale_factor=2),
              trains=False),
    LayerCase("ZeroPad2d", lambda: nn.ZeroPad2d((1, 2, 0, 3)), (2, 3, 4, 4), 0,
              lambda: torch.nn.ZeroPad2d((1, 2, 0, 3)), trains=False),
    LayerCase("ConstantPad1d", lambda: nn.ConstantPad1d((2, 1), 0.5), (2, 3, 4), 0,
              lambda: torch.nn.ConstantPad1d((2, 1), 0.5), trains=False),
    LayerCase("ReflectionPad2d", lambda: nn.ReflectionPad2d((1, 2, 3, 0)), (2, 3, 4, 5), 0,
              lambda: torch.nn.ReflectionPad2d((1, 2, 3, 0)), trains=False),
    LayerCase("ReflectionPad1d", lambda: nn.ReflectionPad1d(2), (2, 3, 5), 0,
              lambda: torch.nn.ReflectionPad1d(2), trains=False),
    LayerCase("ReplicationPad2d", lambda: nn.ReplicationPad2d(2), (2, 3, 4, 4), 0,
              lambda: torch.nn.ReplicationPad2d(2), trains=False),
    LayerCase("ReplicationPad1d", lambda: nn.ReplicationPad1d((0, 3)), (2, 3, 4), 0,
              lambda: torch.nn.ReplicationPad1d((0, 3)), trains=False),
    LayerCase("CircularPad2d", lambda: nn.CircularPad2d((1, 0, 2, 1)), (2, 3, 4, 4), 0,
              lambda: torch.nn.CircularPad2d((1, 0, 2, 1)), trains=False),
    LayerCase("PixelShuffle", lambda: nn.PixelShuffle(2), (2, 8, 3, 3), 0,
              lambda: torch.nn.PixelShuffle(2), trains=False),
    LayerCase("PixelUnshuffle", lambda: nn.PixelUnshuffle(2), (2, 2, 4, 6), 0,
              lambda: torch.nn.PixelUnshuffle(2), trains=False),
]

KERAS_FACE = [
    LayerCase("Conv2DTranspose", lambda: layers.Conv2DTranspose(4, 3, strides=2,
                                                                padding="same"),
              (2, 5, 5, 3), 112),
    LayerCase("Conv1DTranspose", lambda: layers.Conv1DTranspose(4, 3, strides=2), (2, 6, 3), 40),
    LayerCase("UpSampling2D", lambda: layers.UpSampling2D((2, 3)), (2, 3, 4, 2), 0,
              trains=False),
    LayerCase("UpSampling2D-bilinear", lambda: layers.UpSampling2D(2, interpolation="bilinear"),
              (2, 3, 4, 2), 0, trains=False),
    LayerCase("UpSampling1D", lambda: layers.UpSampling1D(3), (2, 4, 2), 0, trains=False),
    LayerCase("ZeroPadding2D", lambda: layers.ZeroPadding2D(((1, 0), (2, 2))), (2, 3, 4, 2), 0,
              trains=False),
    LayerCase("ZeroPadding1D", lambda: layers.ZeroPadding1D(2), (2, 4, 3), 0, trains=False),
    LayerCase("Cropping2D", lambda: layers.Cropping2D(((1, 0), (0, 2))), (2, 4, 5, 2), 0,
              trains=False),
    LayerCase("Cropping1D", lambda: layers.Cropping1D((1, 2)), (2, 6, 3), 0, trains=False),
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
