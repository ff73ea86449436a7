"""Every activation of both faces, exported and run in ONNX Runtime (dynamic batch)."""

import numpy as np
import pytest

import ndgrad

from ndgrad import layers, nn
from ndgrad.nn.activation_names import _ACTIVATIONS
from tests.onnx._runtime import assert_matches, export_bytes

TORCH_LAYERS = {
    "ReLU": nn.ReLU, "ReLU6": nn.ReLU6, "LeakyReLU": lambda: nn.LeakyReLU(0.1), "ELU": nn.ELU,
    "ELU-alpha": lambda: nn.ELU(0.5), "SELU": nn.SELU, "GELU": nn.GELU,
    "GELU-tanh": lambda: nn.GELU(approximate="tanh"), "Sigmoid": nn.Sigmoid, "Tanh": nn.Tanh,
    "Softplus": nn.Softplus, "Softplus-beta": lambda: nn.Softplus(beta=2.0, threshold=3.0),
    "SiLU": nn.SiLU, "Mish": nn.Mish, "Softmax": lambda: nn.Softmax(dim=-1),
    "LogSoftmax": lambda: nn.LogSoftmax(dim=1), "CELU": lambda: nn.CELU(0.7),
    "Hardtanh": lambda: nn.Hardtanh(-0.5, 2.0), "Hardsigmoid": nn.Hardsigmoid,
    "Hardswish": nn.Hardswish, "LogSigmoid": nn.LogSigmoid, "Softsign": nn.Softsign,
    "Softmin": lambda: nn.Softmin(dim=1), "Softmax2d": nn.Softmax2d,
    "Threshold": lambda: nn.Threshold(0.1, 20.0), "GLU": nn.GLU, "PReLU": nn.PReLU,
    "Tanhshrink": nn.Tanhshrink, "Hardshrink": nn.Hardshrink, "Softshrink": nn.Softshrink,
}

# Refused loudly (nothing written): sparsemax finds its support with NumPy, out of the graph.
REFUSED = {"keras sparsemax": "computed from the input's data outside the graph"}


def _x(batch, seed, shape=(6, 4, 4)):
    return (np.random.default_rng(seed).normal(size=(batch,) + shape) * 3).astype(np.float32)


def _check(model, name):
    model(_x(2, 0))
    if name in REFUSED:
        with pytest.raises(ndgrad.onnx.UnsupportedOpError, match=REFUSED[name]):
            export_bytes(model, (_x(2, 0),))
        return
    data = export_bytes(model, (_x(2, 0),), dynamic_axes={"input": [0]})
    assert_matches(model, [_x(2, 1)], data, name)
    assert_matches(model, [_x(5, 2)], data, name + " (batch 5)")


@pytest.mark.parametrize("name", sorted(TORCH_LAYERS))
def test_torch_face_activation_layer(name):
    _check(TORCH_LAYERS[name](), name)


@pytest.mark.parametrize("name", sorted(_ACTIVATIONS))
def test_keras_face_activation_by_name(name):
    _check(layers.Activation(name), "keras " + name)
