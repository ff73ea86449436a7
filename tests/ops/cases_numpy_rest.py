"""Table entries for the rest of NumPy's differentiable functions (issue 13
item 3, the sweep's remainder): selections by label (insert, delete, block,
choose...), float parts, i0/unwrap, the NaN order statistics, the callables
(apply_along_axis, apply_over_axes, piecewise) and the set operations.
Polynomials are in cases_polynomials.py."""

import numpy as np

import ndgrad

from .harness import OpCase, away_from_integers, distinct, normal, positive

try:
    import torch
except ImportError:
    torch = None

T = torch is not None


def _integers(rng, shape):
    return rng.integers(-3, 4, shape)


def _with_nans(rng, shape):
    """Distinct values, about a third of them NaN."""
    values = distinct(rng, shape)
    values[rng.uniform(size=shape) < 0.3] = np.nan
    return values


def _both(op):
    """The same function as op and as NumPy reference."""
    return op, op


_CHOICE = np.array([[0, 1, 1], [1, 0, 0]])


def _zeros(like, n):
    return np.zeros(n, dtype=like.dtype)


def _phase(rng, shape):
    return np.cumsum(rng.uniform(-2.5, 2.5, shape), axis=-1)


CASES = [
    # selections by label
    OpCase("insert", *_both(lambda a, v: np.insert(a, [1, 3], v)), shapes=[((5,), (2,)), ((4,), ())]),
    OpCase("insert_axis", *_both(lambda a, v: np.insert(a, 1, v, axis=1)),
           shapes=[((2, 3), (2,)), ((2, 3), ())]),
    OpCase("delete", *_both(lambda a: np.delete(a, [0, 2])), shapes=[((5,),), ((2, 3),)]),
    OpCase("delete_axis", *_both(lambda a: np.delete(a, 1, axis=-1)), shapes=[((2, 3),)]),
    OpCase("resize", *_both(lambda a: np.resize(a, (3, 4))), shapes=[((5,),), ((2, 3),), ((0,),)]),
    OpCase("trim_zeros", *_both(lambda x: np.trim_zeros(np.concatenate([_zeros(x, 2), x, _zeros(x, 1)]))),
           shapes=[((4,),)]),
    OpCase("trim_zeros_back", *_both(lambda x: np.trim_zeros(np.concatenate([_zeros(x, 2), x, _zeros(x, 2)]), "b")),
           shapes=[((3,),)]),
    OpCase("block", *_both(lambda a, b, c: np.block([[a, b], [c]])),
           shapes=[((2, 2), (2, 1), (1, 3))], torch=None),
    OpCase("choose", *_both(lambda x, y: np.choose(_CHOICE, [x, y])), shapes=[((2, 3), (3,))],
           torch=(lambda x, y: torch.where(torch.tensor(_CHOICE) == 0, x, y)) if T else None),
    OpCase("choose_clip", *_both(lambda x: np.choose(_CHOICE * 3 - 1, x, mode="clip")),
           shapes=[((2, 2, 3),)]),
    OpCase("compress", *_both(lambda x: np.compress([True, False, True], x, axis=-1)),
           shapes=[((3,),), ((2, 3),)]),
    OpCase("extract", *_both(lambda x: np.extract(np.arange(x.size).reshape(x.shape) % 2 == 0, x)),
           shapes=[((5,),), ((2, 3),)]),
    OpCase("sort_complex", *_both(lambda x: np.real(np.sort_complex(x)).astype(x.dtype)),
           shapes=[((5,),), ((2, 3),)], domain=distinct),
    OpCase("astype", *_both(lambda x: np.astype(np.astype(x, np.float64), x.dtype)),
           shapes=[((3,),), ((2, 3),)], torch=(lambda x: x.to(torch.float64)) if T else None),
    # float parts
    OpCase("frexp", *_both(lambda x: np.frexp(x)[0]), domain=away_from_integers,
           torch=(lambda x: torch.frexp(x).mantissa) if T else None),
    OpCase("ldexp", *_both(np.ldexp), shapes=[((3,), (3,)), ((2, 3), ()), ((2, 1), (3,))],
           domain=[normal, _integers],    # torch's integer 2**i is 0 for i < 0: give it floats
           torch=(lambda x, i: torch.ldexp(x, i.double())) if T else None),
    OpCase("modf", *_both(lambda x: np.modf(x)[0] * 2 + np.modf(x)[1]), domain=away_from_integers),
    OpCase("nextafter", *_both(np.nextafter), shapes=[((3,), (3,)), ((2, 3), ())],
           domain=[normal, normal]),
    OpCase("divmod", *_both(lambda x, y: np.divmod(x, y)[1] + np.divmod(x, y)[0]),
           shapes=[((3,), (3,)), ((2, 3), ())], domain=[normal, positive]),
    OpCase("divmod_remainder", *_both(lambda x, y: np.divmod(x, y)[1]), shapes=[((4,), (4,))],
           domain=[normal, positive], torch=torch.remainder if T else None),
    OpCase("i0", *_both(np.i0), shapes=[((3,),), ((2, 3),)],
           domain=lambda r, s: r.uniform(-30, 30, s), rtol=1e-4,
           torch=torch.special.i0 if T else None),
    OpCase("i0_small", *_both(np.i0), shapes=[((5,),)], domain=normal,
           torch=torch.special.i0 if T else None),
    OpCase("unwrap", *_both(np.unwrap), shapes=[((6,),), ((2, 5),)], domain=_phase),
    OpCase("unwrap_axis", *_both(lambda x: np.unwrap(x, axis=0, period=4.0)), shapes=[((5, 2),)],
           domain=lambda r, s: np.cumsum(r.uniform(-1.5, 1.5, s), axis=0)),
    # NaN-ignoring order statistics
    OpCase("nanmedian", *_both(np.nanmedian), shapes=[((7,),), ((3, 4),)], domain=_with_nans,
           second_order=False),
    OpCase("nanmedian_axis", *_both(lambda x: np.nanmedian(x, axis=-1, keepdims=True)),
           shapes=[((4, 5),)], domain=_with_nans, second_order=False),
    OpCase("nanquantile", *_both(lambda x: np.nanquantile(x, [0.2, 0.9], axis=0)),
           shapes=[((6, 3),)], domain=_with_nans, second_order=False,
           torch=(lambda x: torch.nanquantile(x, torch.tensor([0.2, 0.9]), dim=0)) if T else None),
    OpCase("nanpercentile", *_both(lambda x: np.nanpercentile(x, 30, axis=1)), shapes=[((3, 6),)],
           domain=_with_nans, second_order=False,
           torch=(lambda x: torch.nanquantile(x, 0.3, dim=1)) if T else None),
    # callables run on tensors
    OpCase("apply_along_axis", *_both(lambda x: np.apply_along_axis(lambda v: np.sum(v ** 3), 1, x)),
           shapes=[((2, 3),), ((2, 3, 2),)]),
    OpCase("apply_along_axis_vector", *_both(lambda x: np.apply_along_axis(np.cumsum, 0, x)),
           shapes=[((3, 2),), ((3, 2, 2),)], torch=(lambda x: torch.cumsum(x, 0)) if T else None),
    OpCase("apply_along_axis_matrix", *_both(lambda x: np.apply_along_axis(lambda v: np.outer(v, v), -1, x)),
           shapes=[((2, 3),)]),
    OpCase("apply_over_axes", *_both(lambda x: np.apply_over_axes(np.sum, x, [0, 2])),
           shapes=[((2, 3, 4),)],
           torch=(lambda x: torch.sum(x, dim=(0, 2), keepdim=True)) if T else None),
    OpCase("piecewise", *_both(lambda x: np.piecewise(x, [x < -0.5, x > 0.5],
                                                      [lambda v: v ** 2, lambda v: np.sin(v), 1.5])),
           shapes=[((7,),), ((2, 3),)], domain=away_from_integers),
    OpCase("piecewise_overlap", *_both(lambda x: np.piecewise(x, [x < 1, x > -1], [lambda v: 2 * v, np.exp])),
           shapes=[((6,),)], domain=away_from_integers),
    # set operations: the second set is taken from the first, so values that
    # coincide move together and finite differences see the shared gradient
    OpCase("union1d", *_both(lambda a, b: np.union1d(a, np.concatenate([b, a[1:3]]))),
           shapes=[((4,), (3,))], domain=[distinct, lambda r, s: distinct(r, s) + 100]),
    OpCase("intersect1d", *_both(lambda a, b: np.intersect1d(np.concatenate([a, b]), a[:3] * 1.0)),
           shapes=[((5,), (2,))], domain=[distinct, lambda r, s: distinct(r, s) + 100]),
    OpCase("setdiff1d", *_both(lambda a, b: np.setdiff1d(a, np.concatenate([a[:2], b]))),
           shapes=[((5,), (2,))], domain=[distinct, lambda r, s: distinct(r, s) + 100]),
    OpCase("setdiff1d_unique", *_both(lambda a: np.setdiff1d(a, a[1:2], assume_unique=True)),
           shapes=[((4,),)], domain=distinct),
    OpCase("setxor1d", *_both(lambda a, b: np.setxor1d(a, np.concatenate([b, a[:2]]))),
           shapes=[((5,), (2,))], domain=[distinct, lambda r, s: distinct(r, s) + 100]),
    OpCase("unique_values", *_both(lambda x: np.sort(np.unique_values(np.concatenate([x, x[:2]])))),
           shapes=[((4,),)], domain=distinct),
    OpCase("unique_counts", *_both(lambda x: np.unique_counts(np.concatenate([x, x[:1]])).values),
           shapes=[((4,),)], domain=distinct),
    OpCase("unique_inverse", *_both(lambda x: np.unique_inverse(x).values), shapes=[((2, 3),)],
           domain=distinct),
    OpCase("unique_all", *_both(lambda x: np.unique_all(np.stack([x, x])).values), shapes=[((4,),)],
           domain=distinct),
]
