"""Elementwise functions of ndgrad.torch against PyTorch: values and gradients."""

import numpy as np
import pytest

import ndgrad.torch as torch
from ndgrad.torch import pointwise

from .oracle import compare, floats

POSITIVE = ("log", "log1p", "log2", "log10", "sqrt", "rsqrt", "reciprocal")
UNIT = ("asin", "acos", "arcsin", "arccos", "atanh", "arctanh", "logit")
UNARY = ("abs", "absolute", "exp", "exp2", "expm1", "square", "sin", "cos", "tan",
         "sinh", "cosh", "tanh", "atan", "arctan", "asinh", "arcsinh", "sigmoid", "relu",
         "erf", "erfc", "neg", "negative", "positive", "trunc", "fix", "ceil", "floor",
         "round", "sign", "sgn", "frac", "deg2rad", "rad2deg")
BINARY = ("add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide",
          "maximum", "minimum", "fmax", "fmin", "atan2", "arctan2", "hypot", "pow",
          "logaddexp", "logaddexp2", "copysign", "remainder", "fmod", "floor_divide")
COMPARE = ("eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less",
           "less_equal", "not_equal", "isclose")


@pytest.mark.parametrize("name", UNARY + POSITIVE + UNIT)
def test_unary(name):
    if name in POSITIVE:
        x = floats(3, 4, low=0.2, high=3.0)
    elif name in UNIT:
        x = floats(3, 4, low=0.05, high=0.95)
    else:
        x = floats(3, 4, low=-2.3, high=2.7)
    compare(name, x, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", BINARY)
def test_binary_with_broadcasting(name):
    a = floats(3, 4, low=0.5, high=3.0)
    b = floats(4, seed=1, low=0.7, high=2.0)
    grad = name not in ("floor_divide", "remainder", "fmod")
    compare(name, a, b, grad=grad, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", COMPARE)
def test_comparisons(name):
    a, b = floats(5), floats(5, seed=1)
    b[:2] = a[:2]
    compare(name, a, b, grad=False)


def test_pytorch_arguments():
    a, b = floats(2, 3), floats(2, 3, seed=1, low=0.5, high=1.5)
    compare("add", a, b, alpha=2.5)
    compare("sub", a, b, alpha=-1)
    for mode in ("trunc", "floor", None):
        compare("div", a, b, rounding_mode=mode, grad=mode is None)
    ints = np.array([-7, 7, 5]), np.array([2, 2, -3])
    compare("div", *ints, rounding_mode="trunc", grad=False)
    compare("div", *ints, rounding_mode="floor", grad=False)
    compare("clamp", a, min=-0.5, max=0.5)
    compare("clamp", a, min=0.0)
    compare("clip", a, max=0.1)
    compare("lerp", a, b, 0.25)
    compare("where", a > 0, a, b)
    compare("nan_to_num", np.array([np.nan, np.inf, -np.inf, 1.0], np.float32), nan=2.0,
            grad=False)
    compare("softmax", a, dim=1)
    compare("log_softmax", a, dim=0)
    compare("logical_and", a > 0, b > 1, grad=False)
    compare("bitwise_not", np.array([True, False]), grad=False)
    compare("logical_not", a > 0, grad=False)
    compare("isnan", np.array([np.nan, 1.0], np.float32), grad=False)


def test_errors():
    with pytest.raises(ValueError, match="at least one of min and max"):
        torch.clamp(torch.ones(2))
    with pytest.raises(ValueError, match="rounding_mode"):
        torch.div(torch.ones(2), 2.0, rounding_mode="up")
    with pytest.raises(TypeError, match="out= is not supported"):
        torch.add(torch.ones(1), 1.0, out=torch.ones(1))


def test_same_as_core_names_are_the_core_ops():
    import ndgrad
    assert all(getattr(torch, name) is getattr(ndgrad, name) for name in pointwise.SAME_AS_CORE)
    assert torch.asin is ndgrad.arcsin and torch.pow is ndgrad.power


def test_more_pytorch_functions():
    a, b, c = floats(2, 3), floats(2, 3, seed=1), floats(2, 3, seed=2, low=0.5, high=1.5)
    compare("clamp_min", a, 0.1)
    compare("clamp_max", a, -0.1)
    compare("addcmul", a, b, c, value=0.5)
    compare("addcdiv", a, b, c, value=2.0)
    compare("rsub", a, b, alpha=3)
    compare("xlogy", np.array([0.0, 2.0, 0.5], np.float32), np.array([3.0, 1.5, 0.25], np.float32))
    compare("xlogy", np.array([0.0], np.float32), np.array([0.0], np.float32), grad=False)
