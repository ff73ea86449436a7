"""Table entries for the elementwise ops (unary, binary, trigonometric, selection)."""

import numpy as np

import ndgrad

from .harness import (BINARY_SHAPES, OpCase, above_one, away_from_integers, distinct, normal,
                      positive, unit)

try:
    import torch
except ImportError:
    torch = None


def _t(name):
    return getattr(torch, name) if torch is not None else None


def unary(name, domain=normal, torch_name=None, second_order=True, numpy_name=None):
    return OpCase(name, getattr(ndgrad, name), getattr(np, numpy_name or name), domain=domain,
                  torch=_t(torch_name) if torch_name else None, second_order=second_order)


def binary(name, domains=(normal, normal), torch_name=None, second_order=True):
    return OpCase(name, getattr(ndgrad, name), getattr(np, name), shapes=list(BINARY_SHAPES),
                  domain=list(domains), torch=_t(torch_name) if torch_name else None,
                  second_order=second_order)


CASES = [
    unary("negative", torch_name="neg"),
    unary("positive", torch_name="positive"),
    unary("square", torch_name="square"),
    unary("sqrt", positive, "sqrt"),
    unary("cbrt", positive),
    unary("reciprocal", positive, "reciprocal"),
    unary("exp", torch_name="exp"),
    unary("exp2", torch_name="exp2"),
    unary("expm1", torch_name="expm1"),
    unary("log", positive, "log"),
    unary("log1p", positive, "log1p"),
    unary("log2", positive, "log2"),
    unary("log10", positive, "log10"),
    unary("abs", away_from_integers, "abs", second_order=False),
    unary("sign", away_from_integers, "sign", second_order=False),
    unary("floor", away_from_integers, "floor", second_order=False),
    unary("ceil", away_from_integers, "ceil", second_order=False),
    unary("trunc", away_from_integers, "trunc", second_order=False),
    unary("rint", away_from_integers, second_order=False),
    unary("sin", torch_name="sin"),
    unary("cos", torch_name="cos"),
    unary("tan", unit, "tan"),
    unary("arcsin", unit, "asin"),
    unary("arccos", unit, "acos"),
    unary("arctan", torch_name="atan"),
    unary("sinh", torch_name="sinh"),
    unary("cosh", torch_name="cosh"),
    unary("tanh", torch_name="tanh"),
    unary("arcsinh", torch_name="asinh"),
    unary("arccosh", above_one, "acosh"),
    unary("arctanh", unit, "atanh"),
    unary("deg2rad", torch_name="deg2rad"),
    unary("rad2deg", torch_name="rad2deg"),
    unary("sinc", torch_name="sinc"),
    OpCase("round", lambda x: ndgrad.round(x, 1), lambda x: np.round(x, 1),
           domain=away_from_integers, second_order=False),
    binary("add", torch_name="add"),
    binary("subtract", torch_name="subtract"),
    binary("multiply", torch_name="multiply"),
    binary("divide", (normal, positive), "divide"),
    binary("power", (positive, normal), "pow"),
    binary("maximum", (distinct, normal), "maximum", second_order=False),
    binary("minimum", (distinct, normal), "minimum", second_order=False),
    binary("fmax", (distinct, normal), "fmax", second_order=False),
    binary("fmin", (distinct, normal), "fmin", second_order=False),
    binary("arctan2", (normal, positive), "atan2"),
    binary("hypot", (positive, positive), "hypot"),
    binary("logaddexp", torch_name="logaddexp"),
    binary("logaddexp2", torch_name="logaddexp2"),
    binary("mod", (away_from_integers, above_one), "remainder", second_order=False),
    binary("fmod", (away_from_integers, above_one), "fmod", second_order=False),
    binary("floor_divide", (away_from_integers, above_one), second_order=False),
    binary("copysign", (positive, away_from_integers), second_order=False),
    OpCase("clip", lambda x: ndgrad.clip(x, -0.5, 0.5), lambda x: np.clip(x, -0.5, 0.5),
           domain=away_from_integers, second_order=False,
           torch=(lambda x: torch.clamp(x, -0.5, 0.5)) if torch else None),
    OpCase("clip_tensor_bounds", ndgrad.clip, np.clip,
           shapes=[((3,), (3,), (3,)), ((2, 3), (3,), ())],
           domain=[away_from_integers, lambda r, s: np.full(s, -0.6), lambda r, s: np.full(s, 0.6)],
           second_order=False),
    OpCase("where", lambda c, x, y: ndgrad.where(c > 0, x, y), lambda c, x, y: np.where(c > 0, x, y),
           shapes=[((3,), (3,), (3,)), ((2, 3), (3,), (2, 1)), ((), (), ())],
           domain=[away_from_integers, normal, normal]),
]
