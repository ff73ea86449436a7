"""Table entries for the reductions."""

import numpy as np

import ndgrad

from .harness import OpCase, distinct, normal, positive

try:
    import torch
except ImportError:
    torch = None

MATRIX_SHAPES = [((2, 3),), ((2, 3, 4),)]
ALL_SHAPES = [((),), ((4,),), ((2, 3),), ((2, 3, 4),), ((0,),)]


def _torch(function):
    return function if torch is not None else None


CASES = [
    OpCase("sum", ndgrad.sum, np.sum, shapes=ALL_SHAPES, torch=_torch(lambda x: x.sum())),
    OpCase("sum_axis0", lambda x: ndgrad.sum(x, axis=0), lambda x: np.sum(x, axis=0),
           shapes=MATRIX_SHAPES, torch=_torch(lambda x: x.sum(0))),
    OpCase("sum_axes_keepdims", lambda x: ndgrad.sum(x, axis=(0, -1), keepdims=True),
           lambda x: np.sum(x, axis=(0, -1), keepdims=True), shapes=MATRIX_SHAPES,
           torch=_torch(lambda x: x.sum((0, -1), keepdim=True))),
    OpCase("mean", ndgrad.mean, np.mean, shapes=ALL_SHAPES[:-1], torch=_torch(lambda x: x.mean())),
    OpCase("mean_axis1", lambda x: ndgrad.mean(x, axis=1), lambda x: np.mean(x, axis=1),
           shapes=MATRIX_SHAPES, torch=_torch(lambda x: x.mean(1))),
    OpCase("max", ndgrad.max, np.max, shapes=ALL_SHAPES[:-1], domain=distinct,
           second_order=False, torch=_torch(lambda x: x.max())),
    OpCase("max_axis", lambda x: ndgrad.max(x, axis=-1), lambda x: np.max(x, axis=-1),
           shapes=MATRIX_SHAPES, domain=distinct, second_order=False,
           torch=_torch(lambda x: x.amax(-1))),
    OpCase("min_keepdims", lambda x: ndgrad.min(x, axis=0, keepdims=True),
           lambda x: np.min(x, axis=0, keepdims=True), shapes=MATRIX_SHAPES, domain=distinct,
           second_order=False, torch=_torch(lambda x: x.amin(0, keepdim=True))),
    OpCase("amax", ndgrad.amax, np.amax, shapes=MATRIX_SHAPES, domain=distinct,
           second_order=False),
    OpCase("amin", ndgrad.amin, np.amin, shapes=MATRIX_SHAPES, domain=distinct,
           second_order=False),
    OpCase("prod", ndgrad.prod, np.prod, shapes=ALL_SHAPES, domain=positive,
           torch=_torch(lambda x: x.prod())),
    OpCase("prod_axis_with_zeros", lambda x: ndgrad.prod(x, axis=1), lambda x: np.prod(x, axis=1),
           shapes=[((3, 4),)], domain=lambda r, s: np.where(r.random(s) < 0.3, 0.0, r.normal(size=s)),
           torch=_torch(lambda x: x.prod(1))),
    OpCase("var", ndgrad.var, np.var, shapes=ALL_SHAPES[1:-1], torch=_torch(lambda x: x.var(unbiased=False))),
    OpCase("var_ddof1_axis", lambda x: ndgrad.var(x, axis=0, ddof=1),
           lambda x: np.var(x, axis=0, ddof=1), shapes=MATRIX_SHAPES,
           torch=_torch(lambda x: x.var(0, unbiased=True))),
    OpCase("std", lambda x: ndgrad.std(x, axis=-1), lambda x: np.std(x, axis=-1),
           shapes=MATRIX_SHAPES, torch=_torch(lambda x: x.std(-1, unbiased=False))),
    OpCase("logsumexp", lambda x: ndgrad.logsumexp(x, axis=-1),
           lambda x: np.log(np.sum(np.exp(x), axis=-1)), shapes=MATRIX_SHAPES,
           torch=_torch(lambda x: torch.logsumexp(x, -1))),
    OpCase("logsumexp_all_keepdims", lambda x: ndgrad.logsumexp(x, keepdims=True),
           lambda x: np.log(np.sum(np.exp(x), keepdims=True)), shapes=ALL_SHAPES[:-1]),
    OpCase("cumsum", ndgrad.cumsum, np.cumsum, shapes=ALL_SHAPES[1:]),
    OpCase("cumsum_axis", lambda x: ndgrad.cumsum(x, axis=1), lambda x: np.cumsum(x, axis=1),
           shapes=MATRIX_SHAPES, torch=_torch(lambda x: torch.cumsum(x, 1))),
    OpCase("cumprod", lambda x: ndgrad.cumprod(x, axis=-1), lambda x: np.cumprod(x, axis=-1),
           shapes=MATRIX_SHAPES, domain=positive, torch=_torch(lambda x: torch.cumprod(x, -1))),
    OpCase("cumprod_with_zeros", lambda x: ndgrad.cumprod(x, axis=0), lambda x: np.cumprod(x, axis=0),
           shapes=[((4, 2),)], domain=lambda r, s: np.where(r.random(s) < 0.3, 0.0, r.normal(size=s)),
           torch=_torch(lambda x: torch.cumprod(x, 0))),
    OpCase("argmax", lambda x: ndgrad.argmax(x, axis=0), lambda x: np.argmax(x, axis=0),
           shapes=MATRIX_SHAPES, domain=distinct, grad=False),
    OpCase("argmin", ndgrad.argmin, np.argmin, shapes=MATRIX_SHAPES, domain=distinct, grad=False),
]
