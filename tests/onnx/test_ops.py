"""Table-driven: each exportable op in a one-line forward, exported and run in ONNX
Runtime at two batch sizes (inputs (N, 3, 4), values in [-2, 2], or positive where
the op needs it)."""

import numpy as np
import pytest

import ndgrad
from ndgrad import nn
from tests.onnx._runtime import assert_matches, export_bytes


class Apply(nn.Module):
    def __init__(self, function):
        super().__init__()
        self.function = function

    def forward(self, x):
        return self.function(x)


g = ndgrad
OPS = {
    "negative": lambda x: -x, "abs": lambda x: g.abs(x), "exp": lambda x: g.exp(x),
    "log": lambda x: g.log(x + 3), "log1p": lambda x: g.log1p(x + 2.5),
    "log2": lambda x: g.log2(x + 3), "log10": lambda x: g.log10(x + 3),
    "expm1": lambda x: g.expm1(x), "exp2": lambda x: g.exp2(x), "sqrt": lambda x: g.sqrt(x + 3),
    "cbrt": lambda x: g.cbrt(x), "square": lambda x: g.square(x),
    "reciprocal": lambda x: g.reciprocal(x + 3), "sign": lambda x: g.sign(x) * x,
    "floor": lambda x: g.floor(x * 3) + x, "ceil": lambda x: g.ceil(x * 3) + x,
    "trunc": lambda x: g.trunc(x * 3) + x, "rint": lambda x: g.rint(x * 3) + x,
    "sin": lambda x: g.sin(x), "cos": lambda x: g.cos(x), "tan": lambda x: g.tan(x / 2),
    "arcsin": lambda x: g.arcsin(x / 3), "arccos": lambda x: g.arccos(x / 3),
    "arctan": lambda x: g.arctan(x), "sinh": lambda x: g.sinh(x), "cosh": lambda x: g.cosh(x),
    "arcsinh": lambda x: g.arcsinh(x), "arccosh": lambda x: g.arccosh(x + 3),
    "arctanh": lambda x: g.arctanh(x / 3), "erf": lambda x: g.erf(x),
    "deg2rad": lambda x: g.deg2rad(x), "rad2deg": lambda x: g.rad2deg(x),
    "power": lambda x: (x + 3) ** 1.5, "power-2": lambda x: x ** 2,
    "divide": lambda x: x / (g.abs(x) + 1), "maximum": lambda x: g.maximum(x, 0.5),
    "minimum": lambda x: g.minimum(x, x * x), "fmax": lambda x: g.fmax(x, -x),
    "mod": lambda x: g.mod(x * 3, 1.5), "fmod": lambda x: g.fmod(x * 3, 1.5),
    "floor_divide": lambda x: g.floor_divide(x * 3, 1.5) + x,
    "hypot": lambda x: g.hypot(x, x + 1), "logaddexp": lambda x: g.logaddexp(x, x * 2),
    "clip": lambda x: g.clip(x, -0.5, 1.0), "where": lambda x: g.where(x < 0.3, x * x, -x),
    "logical": lambda x: g.where(g.logical_and(x > -1, x < 1) | (x > 1.5), x, 0.0),
    "isnan": lambda x: g.where(g.isnan(x), 0.0, x),
    "astype": lambda x: (x * 3).astype(np.float64).astype(np.float32) + x,
    "sum-all": lambda x: x.sum() + x, "sum-axis": lambda x: x.sum(axis=1),
    "mean-keepdims": lambda x: x.mean(axis=-1, keepdims=True) * x,
    "max-min": lambda x: x.max(axis=2) - x.min(axis=1)[:, :3], "prod": lambda x: x.prod(axis=1),
    "std": lambda x: x.std(axis=2), "cumsum": lambda x: g.cumsum(x, axis=2),
    "argmax-output": lambda x: g.argmax(x * 2, axis=1),
    "comparison-output": lambda x: (x * 2) >= g.exp(x) - 1,
    "flip": lambda x: g.flip(x, axis=2), "pad": lambda x: g.pad(x, ((0, 0), (1, 0), (0, 2))),
    "tile": lambda x: g.tile(x, (1, 2, 1)), "transpose": lambda x: x.transpose(0, 2, 1),
    "expand-dims": lambda x: g.expand_dims(x, 1) * 2, "squeeze": lambda x: x[:, :1].squeeze(1),
    "index-int-none": lambda x: x[:, 1, None, ::2], "index-array": lambda x: x[:, [2, 0], :],
    "ellipsis": lambda x: x[..., 1:3] - x[..., :2], "stack": lambda x: g.stack([x, -x], axis=1),
    "concatenate": lambda x: g.concatenate([x, x * 2], axis=-1),
    "broadcast": lambda x: x[:, :1, :] + g.zeros((1, 3, 4)),
    "softmax": lambda x: g.softmax(x, axis=1), "log_softmax": lambda x: g.log_softmax(x, axis=2),
    "logit": lambda x: g.logit(g.sigmoid(x)), "matmul": lambda x: x @ x.transpose(0, 2, 1),
}


def _x(batch, seed):
    return np.random.default_rng(seed).uniform(-2, 2, (batch, 3, 4)).astype(np.float32)


def test_indices_computed_from_the_input_are_refused():
    model = Apply(lambda x: g.take_along_axis(x, g.argmax(x, axis=2)[..., None], axis=2))
    with pytest.raises(ndgrad.onnx.UnsupportedOpError, match="parameter 'index'"):
        export_bytes(model, (_x(2, 0),))


@pytest.mark.parametrize("name", sorted(OPS))
def test_op_matches_onnxruntime(name):
    model = Apply(OPS[name])
    data = export_bytes(model, (_x(2, 0),), dynamic_axes={"input": [0]})
    assert_matches(model, [_x(2, 1)], data, name)
    assert_matches(model, [_x(5, 2)], data, name + " (batch 5)")
