"""Layer configurations beyond the harness: convolution geometry (strides, paddings
with 'same', dilations, groups, 1-D and 2-D, both faces), every pooling, the
normalizations, transposed convolutions; exported, checked, and run in ONNX Runtime
at two batch sizes."""

import numpy as np
import pytest

import ndgrad
from ndgrad import layers, nn
from tests.onnx._runtime import assert_matches, export_bytes

CASES = {
    "Conv2d-stride-pad": (lambda: nn.Conv2d(3, 4, 3, stride=2, padding=1), (3, 9, 9)),
    "Conv2d-asymmetric": (lambda: nn.Conv2d(3, 4, (3, 2), stride=(2, 1), padding=(1, 0)),
                          (3, 8, 7)),
    "Conv2d-same-even-kernel": (lambda: nn.Conv2d(2, 3, 4, padding="same"), (2, 7, 7)),
    "Conv2d-dilation-groups": (lambda: nn.Conv2d(4, 6, 3, dilation=2, groups=2, padding=2),
                               (4, 9, 9)),
    "Conv2d-depthwise-nobias": (lambda: nn.Conv2d(4, 4, 3, groups=4, bias=False), (4, 6, 6)),
    "Conv1d-stride-dilation": (lambda: nn.Conv1d(3, 5, 3, stride=2, dilation=2, padding=2),
                               (3, 11)),
    "Conv1d-same-groups": (lambda: nn.Conv1d(4, 4, 5, padding="same", groups=2), (4, 10)),
    "Conv1D-keras": (lambda: layers.Conv1D(4, 3, strides=2, dilation_rate=1), (9, 3)),
    "Conv2D-keras-valid": (lambda: layers.Conv2D(5, (3, 2), activation="relu"), (7, 6, 2)),
    "Conv2D-keras-dilated": (lambda: layers.Conv2D(3, 3, dilation_rate=2, padding="same"),
                             (8, 8, 2)),
    "Conv3d": (lambda: nn.Conv3d(2, 3, 3, padding=1), (2, 4, 4, 4)),
    "MaxPool3d": (lambda: nn.MaxPool3d(2), (2, 4, 4, 4)),
    "AvgPool3d": (lambda: nn.AvgPool3d(2), (2, 4, 4, 4)),
    "ReLU-inplace": (lambda: nn.Sequential(nn.Linear(4, 4), nn.ReLU(inplace=True)), (4,)),
    "MaxPool2d-pad-ceil": (lambda: nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True),
                           (2, 8, 8)),
    "MaxPool2d-dilation": (lambda: nn.MaxPool2d(2, dilation=2), (2, 7, 7)),
    "MaxPool1d": (lambda: nn.MaxPool1d(3, stride=2), (3, 10)),
    "AvgPool1d": (lambda: nn.AvgPool1d(2), (3, 10)),
    "AvgPool2d-exclude-pad": (lambda: nn.AvgPool2d(3, stride=2, padding=1,
                                                   count_include_pad=False), (2, 7, 7)),
    "AvgPool2d-divisor": (lambda: nn.AvgPool2d(2, divisor_override=3), (2, 6, 6)),
    "AdaptiveAvgPool2d-1": (lambda: nn.AdaptiveAvgPool2d(1), (3, 5, 7)),
    "AdaptiveAvgPool1d": (lambda: nn.AdaptiveAvgPool1d(3), (2, 8)),
    "AdaptiveMaxPool2d": (lambda: nn.AdaptiveMaxPool2d((2, 3)), (2, 7, 8)),
    "MaxPooling2D-keras-same": (lambda: layers.MaxPooling2D(2, padding="same"), (7, 7, 3)),
    "AveragePooling2D-keras-same": (lambda: layers.AveragePooling2D(3, strides=2, padding="same"),
                                    (7, 7, 3)),
    "GlobalMaxPooling2D-keras": (lambda: layers.GlobalMaxPooling2D(), (5, 5, 3)),
    "GlobalAveragePooling1D-keras": (lambda: layers.GlobalAveragePooling1D(), (6, 3)),
    "GroupNorm": (lambda: nn.GroupNorm(2, 4), (4, 5, 5)),
    "InstanceNorm2d": (lambda: nn.InstanceNorm2d(3, affine=True), (3, 5, 5)),
    "LayerNorm-2d": (lambda: nn.LayerNorm((4, 5)), (3, 4, 5)),
    "LayerNorm-no-affine": (lambda: nn.LayerNorm(5, elementwise_affine=False), (3, 5)),
    "BatchNorm1d-3d": (lambda: nn.BatchNorm1d(3), (3, 6)),
    "BatchNorm2d-no-affine": (lambda: nn.BatchNorm2d(3, affine=False), (3, 4, 4)),
    "BatchNormalization-keras-4d": (lambda: layers.BatchNormalization(), (4, 4, 3)),
    "RMSNorm": (lambda: nn.RMSNorm(6), (4, 6)),
    "ConvTranspose2d": (lambda: nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1,
                                                   output_padding=1), (3, 5, 5)),
    "ConvTranspose1d": (lambda: nn.ConvTranspose1d(2, 3, 4, stride=2), (2, 6)),
    "Conv2DTranspose-keras": (lambda: layers.Conv2DTranspose(3, 3, strides=2, padding="same"),
                              (5, 5, 2)),
    "Upsample-nearest": (lambda: nn.Upsample(scale_factor=2), (2, 3, 4)),
    "Upsample-bilinear": (lambda: nn.Upsample(scale_factor=2, mode="bilinear"), (2, 3, 4)),
    "Upsample-bilinear-corners": (lambda: nn.Upsample(size=(5, 7), mode="bilinear",
                                                      align_corners=True), (2, 3, 4)),
    "UpSampling2D-keras": (lambda: layers.UpSampling2D(2), (3, 4, 2)),
    "ZeroPad2d": (lambda: nn.ZeroPad2d((1, 2, 0, 1)), (2, 3, 3)),
    "PixelShuffle": (lambda: nn.PixelShuffle(2), (8, 3, 3)),
    "Embedding-keras-seq": (lambda: layers.Embedding(12, 3), None),
}

# Refused loudly, nothing written (name -> what the message says): AdaptiveMaxPool gathers
# with indices found by NumPy outside the graph.
REFUSED = {"AdaptiveMaxPool2d": "parameter 'indices'"}


def _x(shape, batch, seed):
    if shape is None:
        return np.random.default_rng(seed).integers(0, 12, (batch, 5))
    return np.random.default_rng(seed).normal(size=(batch,) + shape).astype(np.float32)


@pytest.mark.parametrize("name", sorted(CASES))
def test_layer_variant_matches_onnxruntime(name):
    make, shape = CASES[name]
    layer = make()
    layer(ndgrad.tensor(_x(shape, 2, 0)))
    if name in REFUSED:
        with pytest.raises(ndgrad.onnx.UnsupportedOpError, match=REFUSED[name]):
            export_bytes(layer, (_x(shape, 2, 0),))
        return
    if any(True for _ in layer.buffers()):            # running statistics that are not 0/1
        layer.train()
        layer(ndgrad.tensor(_x(shape, 4, 9) * 2 + 1))
        layer.eval()
    data = export_bytes(layer, (_x(shape, 2, 0),), dynamic_axes={"input": {0: "batch"}})
    assert_matches(layer, [_x(shape, 2, 1)], data, name)
    assert_matches(layer, [_x(shape, 3, 2)], data, name + " (batch 3)")
