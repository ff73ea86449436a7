"""Table entries for the statistics and signal helpers (average, cov, corrcoef,
nan_to_num, heaviside, convolve, correlate, polyval, interp)."""

import numpy as np

import ndgrad

from .harness import UNARY_SHAPES, OpCase, normal, positive

try:
    import torch
except ImportError:
    torch = None


def increasing(rng, shape):
    """Sorted sample points, at least 0.5 apart, starting below -1."""
    return np.cumsum(rng.uniform(0.5, 1.5, shape)) - 1.5


def between_samples(rng, shape):
    """Points to interpolate at: inside the samples of ``increasing`` and beyond both ends."""
    return rng.uniform(-2.5, 4.0, shape)


def _torch(function):
    return function if torch is not None else None


SIGNAL_SHAPES = [((5,), (3,)), ((3,), (5,)), ((4,), (4,)), ((4,), (2,)), ((2,), (5,)),
                 ((1,), (3,)), ((), (3,))]
SAMPLE_SHAPES = [((7,), (4,), (4,)), ((2, 3), (5,), (5,)), ((), (3,), (3,)),
                 ((0,), (3,), (3,)), ((4,), (1,), (1,))]


def _signal_cases(name, function, shapes):
    return [OpCase(f"{name}_{mode}", lambda a, v, mode=mode: function(a, v, mode=mode),
                   lambda a, v, mode=mode: getattr(np, name)(a, v, mode=mode),
                   shapes=list(shapes)) for mode in ("full", "same", "valid")]


CASES = [
    OpCase("average", ndgrad.average, np.average, shapes=list(UNARY_SHAPES[:4])),
    OpCase("average_axis", lambda a: ndgrad.average(a, axis=-1),
           lambda a: np.average(a, axis=-1), shapes=[((3,),), ((2, 3),), ((2, 1, 3),)]),
    OpCase("average_weighted", lambda a, w: ndgrad.average(a, weights=w),
           lambda a, w: np.average(a, weights=w),
           shapes=[((), ()), ((3,), (3,)), ((2, 3), (2, 3))], domain=[normal, positive]),
    OpCase("average_weighted_axis", lambda a, w: ndgrad.average(a, axis=1, weights=w),
           lambda a, w: np.average(a, axis=1, weights=w),
           shapes=[((2, 3), (3,)), ((2, 4, 3), (4,))], domain=[normal, positive]),
    OpCase("average_weighted_keepdims",
           lambda a, w: ndgrad.average(a, axis=0, weights=w, keepdims=True),
           lambda a, w: np.average(a, axis=0, weights=w, keepdims=True),
           shapes=[((3, 2), (3,))], domain=[normal, positive]),
    OpCase("cov", ndgrad.cov, np.cov, shapes=[((3, 5),), ((5,),), ((2, 4),), ((1, 3),)],
           torch=_torch(lambda m: torch.cov(m))),
    OpCase("cov_columns", lambda m: ndgrad.cov(m, rowvar=False),
           lambda m: np.cov(m, rowvar=False), shapes=[((5, 3),), ((4, 2),)],
           torch=_torch(lambda m: torch.cov(m.T))),
    OpCase("cov_bias", lambda m: ndgrad.cov(m, bias=True), lambda m: np.cov(m, bias=True),
           shapes=[((3, 5),)], torch=_torch(lambda m: torch.cov(m, correction=0))),
    OpCase("cov_ddof", lambda m: ndgrad.cov(m, ddof=2), lambda m: np.cov(m, ddof=2),
           shapes=[((2, 6),)], torch=_torch(lambda m: torch.cov(m, correction=2))),
    OpCase("cov_two_inputs", ndgrad.cov, np.cov, shapes=[((2, 5), (5,)), ((2, 4), (3, 4))]),
    OpCase("cov_aweights", lambda m, w: ndgrad.cov(m, aweights=w),
           lambda m, w: np.cov(m, aweights=w), shapes=[((3, 5), (5,)), ((4,), (4,))],
           domain=[normal, positive], torch=_torch(lambda m, w: torch.cov(m, aweights=w))),
    OpCase("cov_aweights_fweights",
           lambda m, w: ndgrad.cov(m, aweights=w, fweights=np.array([1, 2, 1, 3])),
           lambda m, w: np.cov(m, aweights=w, fweights=np.array([1, 2, 1, 3])),
           shapes=[((2, 4), (4,))], domain=[normal, positive]),
    OpCase("corrcoef", ndgrad.corrcoef, np.corrcoef, shapes=[((3, 5),), ((2, 4),)],
           torch=_torch(torch.corrcoef if torch else None)),
    OpCase("corrcoef_two_inputs", ndgrad.corrcoef, np.corrcoef, shapes=[((5,), (5,))]),
    OpCase("nan_to_num", ndgrad.nan_to_num, np.nan_to_num,
           torch=_torch(torch.nan_to_num if torch else None)),
    OpCase("heaviside", lambda x: ndgrad.heaviside(x, 0.5), lambda x: np.heaviside(x, 0.5),
           grad=False),
    *_signal_cases("convolve", ndgrad.convolve, SIGNAL_SHAPES),
    *_signal_cases("correlate", ndgrad.correlate, SIGNAL_SHAPES[:-1]),   # NumPy refuses 0-d
    OpCase("polyval", ndgrad.polyval, np.polyval,
           shapes=[((4,), ()), ((3,), (5,)), ((1,), (2, 3)), ((4,), (2, 3)), ((3,), (0,))]),
    OpCase("interp", ndgrad.interp, np.interp, shapes=list(SAMPLE_SHAPES),
           domain=[between_samples, increasing, normal]),
    OpCase("interp_left_right", lambda x, xp, fp, lo, hi: ndgrad.interp(x, xp, fp, lo, hi),
           lambda x, xp, fp, lo, hi: np.interp(x, xp, fp, lo, hi),
           shapes=[((7,), (4,), (4,), (), ())],
           domain=[between_samples, increasing, normal, normal, normal]),
    OpCase("interp_period", lambda x, xp, fp: ndgrad.interp(x, xp, fp, period=4.0),
           lambda x, xp, fp: np.interp(x, xp, fp, period=4.0),
           shapes=[((7,), (4,), (4,)), ((2, 3), (5,), (5,))],
           domain=[between_samples, lambda rng, shape: rng.permutation(shape[0]) * 0.7 + 0.1,
                   normal]),
]
