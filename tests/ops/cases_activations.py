"""Table entries for the activations and the special functions (erf, erfc, logit).

References are written here in float64 NumPy; PyTorch's functional versions
are the second oracle. Piecewise-linear ops draw inputs away from their kinks.
"""

import math

import numpy as np

import ndgrad

from .harness import UNARY_SHAPES, OpCase, away_from_integers, normal

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = F = None

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _float64(function):
    """A float64 reference from a NumPy formula (inputs arrive as float32)."""
    return lambda *arrays: function(*[np.asarray(a, dtype=np.float64) for a in arrays])


def _math(function):
    """A float64 elementwise reference from a scalar ``math`` function."""
    ufunc = np.frompyfunc(function, 1, 1)
    return _float64(lambda x: np.asarray(ufunc(x), dtype=np.float64))


def _torch(function):
    return function if torch is not None else None


def wide(rng, shape):
    """Away from every multiple of 3 (the kinks of relu and relu6), over (-9, 9)."""
    return 3 * away_from_integers(rng, shape)


def away_from_odd(rng, shape):
    """Away from every odd integer (the kinks of hard_tanh at +-1, hard_sigmoid at +-3)."""
    return 2 * away_from_integers(rng, shape) + 1


def probability(rng, shape):
    return rng.uniform(0.05, 0.95, shape)


def _softmax_reference(x, axis=-1):
    if x.ndim == 0 or x.size == 0:
        return np.exp(x - x)
    powers = np.exp(x - x.max(axis=axis, keepdims=True))
    return powers / powers.sum(axis=axis, keepdims=True)


def _log_softmax_reference(x, axis=-1):
    if x.ndim == 0 or x.size == 0:
        return x - x
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _softplus_reference(x, beta=1.0, threshold=20.0):
    return np.where(beta * x > threshold, x, np.logaddexp(0, beta * x) / beta)


_erf = _math(math.erf)
_erfc = _math(math.erfc)


def _gelu_reference(x):
    return 0.5 * x * _erfc(-x / math.sqrt(2))


def _gelu_tanh_reference(x):
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))


def case(name, op, reference, domain=normal, torch_function=None, shapes=None,
         second_order=True):
    return OpCase(name, op, _float64(reference), shapes=list(shapes or UNARY_SHAPES), domain=domain,
                  torch=_torch(torch_function), second_order=second_order)


AXIS_SHAPES = [((),), ((4,),), ((2, 3),), ((2, 1, 3),), ((0,),), ((2, 0),)]

CASES = [
    case("relu", ndgrad.relu, lambda x: np.maximum(x, 0), wide, lambda x: F.relu(x)),
    case("relu6", ndgrad.relu6, lambda x: np.clip(x, 0, 6), wide, lambda x: F.relu6(x)),
    case("leaky_relu", lambda x: ndgrad.leaky_relu(x, 0.2),
         lambda x: np.where(x > 0, x, 0.2 * x), away_from_integers,
         lambda x: F.leaky_relu(x, 0.2)),
    case("leaky_relu_steep", lambda x: ndgrad.leaky_relu(x, negative_slope=1.5),
         lambda x: np.where(x > 0, x, 1.5 * x), away_from_integers,
         lambda x: F.leaky_relu(x, 1.5)),
    case("leaky_relu_negative_slope", lambda x: ndgrad.leaky_relu(x, negative_slope=-0.5),
         lambda x: np.where(x > 0, x, -0.5 * x), away_from_integers,
         lambda x: F.leaky_relu(x, -0.5)),
    case("elu", ndgrad.elu, lambda x: np.where(x > 0, x, np.expm1(x)), away_from_integers,
         lambda x: F.elu(x)),
    case("elu_alpha", lambda x: ndgrad.elu(x, alpha=0.5),
         lambda x: np.where(x > 0, x, 0.5 * np.expm1(x)), away_from_integers,
         lambda x: F.elu(x, alpha=0.5)),
    case("selu", ndgrad.selu,
         lambda x: _SELU_SCALE * np.where(x > 0, x, _SELU_ALPHA * np.expm1(x)),
         away_from_integers, lambda x: F.selu(x)),
    case("celu", lambda x: ndgrad.celu(x, alpha=1.5),
         lambda x: np.maximum(x, 0) + np.minimum(0, 1.5 * np.expm1(x / 1.5)),
         away_from_integers, lambda x: F.celu(x, alpha=1.5)),
    case("gelu", ndgrad.gelu, _gelu_reference, torch_function=lambda x: F.gelu(x)),
    case("gelu_tanh", lambda x: ndgrad.gelu(x, approximate="tanh"), _gelu_tanh_reference,
         torch_function=lambda x: F.gelu(x, approximate="tanh")),
    case("sigmoid", ndgrad.sigmoid, lambda x: 1 / (1 + np.exp(-x)),
         torch_function=torch.sigmoid if torch else None),
    case("log_sigmoid", ndgrad.log_sigmoid, lambda x: -np.logaddexp(0, -x),
         torch_function=lambda x: F.logsigmoid(x)),
    case("softplus", ndgrad.softplus, _softplus_reference,
         torch_function=lambda x: F.softplus(x)),
    # beta * x crosses the threshold at x = 2, away from the drawn values
    case("softplus_beta_threshold", lambda x: ndgrad.softplus(x, beta=2.0, threshold=4.0),
         lambda x: _softplus_reference(x, 2.0, 4.0), away_from_integers,
         lambda x: F.softplus(x, beta=2.0, threshold=4.0)),
    case("softsign", ndgrad.softsign, lambda x: x / (1 + np.abs(x)), away_from_integers,
         lambda x: F.softsign(x)),
    case("silu", ndgrad.silu, lambda x: x / (1 + np.exp(-x)), torch_function=lambda x: F.silu(x)),
    case("mish", ndgrad.mish, lambda x: x * np.tanh(np.logaddexp(0, x)),
         torch_function=lambda x: F.mish(x)),
    case("hard_sigmoid", ndgrad.hard_sigmoid, lambda x: np.clip(x / 6 + 0.5, 0, 1),
         away_from_odd, lambda x: F.hardsigmoid(x)),
    case("hard_tanh", ndgrad.hard_tanh, lambda x: np.clip(x, -1, 1), away_from_odd,
         lambda x: F.hardtanh(x)),
    case("hard_tanh_bounds", lambda x: ndgrad.hardtanh(x, min_val=-2.0, max_val=3.0),
         lambda x: np.clip(x, -2, 3), away_from_integers,
         lambda x: F.hardtanh(x, -2.0, 3.0)),
    case("softmax", ndgrad.softmax, _softmax_reference, shapes=AXIS_SHAPES,
         torch_function=lambda x: F.softmax(x, dim=-1)),
    case("softmax_axis0", lambda x: ndgrad.softmax(x, axis=0),
         lambda x: _softmax_reference(x, 0), shapes=AXIS_SHAPES[1:],
         torch_function=lambda x: F.softmax(x, dim=0)),
    case("softmax_axes", lambda x: ndgrad.softmax(x, axis=(0, 2)),
         lambda x: _softmax_reference(x, (0, 2)), shapes=[((2, 1, 3),), ((3, 2, 2),)]),
    case("log_softmax", ndgrad.log_softmax, _log_softmax_reference, shapes=AXIS_SHAPES,
         torch_function=lambda x: F.log_softmax(x, dim=-1)),
    case("log_softmax_axis1", lambda x: ndgrad.log_softmax(x, axis=1),
         lambda x: _log_softmax_reference(x, 1), shapes=[((2, 3),), ((2, 4, 3),)],
         torch_function=lambda x: F.log_softmax(x, dim=1)),
    case("erf", ndgrad.erf, _erf, torch_function=torch.special.erf if torch else None),
    case("erf_wide", ndgrad.erf, _erf, wide, torch.special.erf if torch else None),
    case("erfc", ndgrad.erfc, _erfc, torch_function=torch.special.erfc if torch else None),
    case("erfc_wide", ndgrad.erfc, _erfc, lambda rng, shape: 2 * wide(rng, shape) / 3,
         torch.special.erfc if torch else None),
    case("logit", ndgrad.logit, lambda x: np.log(x / (1 - x)), probability,
         torch.special.logit if torch else None),
    case("logit_eps", lambda x: ndgrad.logit(x, eps=0.2),
         lambda x: np.log(np.clip(x, 0.2, 0.8) / (1 - np.clip(x, 0.2, 0.8))),
         lambda rng, shape: np.where(rng.random(shape) < 0.5, rng.uniform(0.25, 0.75, shape),
                                     rng.choice([0.1, 0.9], shape)),
         lambda x: torch.special.logit(x, eps=0.2)),
]
