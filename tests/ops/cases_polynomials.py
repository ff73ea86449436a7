"""Table entries for NumPy's polynomial functions on tensors (issue 13 item 3):
poly, polyadd, polysub, polymul, polydiv, polyder, polyint, polyfit, roots,
vander."""

import numpy as np

from .harness import OpCase, normal

try:
    import torch
except ImportError:
    torch = None

T = torch is not None


def _both(op):
    return op, op


def _spread(rng, shape):
    """Well separated values (simple roots, a well-posed fit)."""
    size = int(np.prod(shape, dtype=np.int64))
    return (np.sort(rng.permutation(size).reshape(shape), axis=-1) * 0.9 - size * 0.4
            + rng.uniform(-0.1, 0.1, shape))


def _real_roots(rng, shape):
    """Coefficients of a polynomial with simple real roots (leading 1.5)."""
    return 1.5 * np.poly(_spread(rng, (shape[0] - 1,)))


def _complex_roots(rng, shape):
    """Coefficients with a complex pair of roots among simple real ones."""
    pair = rng.uniform(0.5, 1.0) + 1j * rng.uniform(0.5, 1.0)
    real = _spread(rng, (shape[0] - 3,))
    return np.real(np.poly(np.concatenate([real, [pair, pair.conjugate()]])))


def _sorted_roots(p):
    r = np.roots(p)
    return np.real(r) + 0.7 * np.imag(r)


def _coordinates(rng, shape):
    return np.sort(rng.uniform(-2, 2, shape)) + np.arange(shape[0]) * 0.3


def _torch_vander(n=None, increasing=False):
    """torch.vander's own backward fails in place (torch 2.13), so the oracle
    is its definition written with torch's powers."""
    if not T:
        return None

    def vander(x):
        columns = x.shape[0] if n is None else n
        powers = [x ** k for k in range(columns)]
        return torch.stack(powers if increasing else powers[::-1], dim=1)
    return vander


CASES = [
    OpCase("polyadd", *_both(np.polyadd), shapes=[((3,), (5,)), ((4,), (2,)), ((3,), ())],
           domain=[normal, normal]),
    OpCase("polysub", *_both(np.polysub), shapes=[((3,), (5,)), ((4,), (4,))],
           domain=[normal, normal]),
    OpCase("polymul", *_both(np.polymul), shapes=[((3,), (4,)), ((1,), (3,))],
           domain=[normal, normal]),
    OpCase("polydiv", *_both(lambda u, v: np.concatenate(np.polydiv(u, v))),
           shapes=[((5,), (3,)), ((4,), (4,)), ((2,), (3,))],
           domain=[normal, lambda r, s: normal(r, s) + np.sign(normal(r, s)) * 0.5]),
    OpCase("polyder", *_both(lambda p: np.polyder(p, 2)), shapes=[((5,),), ((2,),)]),
    OpCase("polyder_once", *_both(np.polyder), shapes=[((4,),)]),
    OpCase("polyint", *_both(lambda p, k: np.polyint(p, 2, [k, k * 2])), shapes=[((3,), ())],
           domain=[normal, normal]),
    OpCase("polyint_default", *_both(np.polyint), shapes=[((4,),)]),
    OpCase("vander", *_both(np.vander), shapes=[((4,),), ((2,),)], torch=_torch_vander()),
    OpCase("vander_increasing", *_both(lambda x: np.vander(x, 5, increasing=True)),
           shapes=[((3,),)], torch=_torch_vander(5, increasing=True)),
    OpCase("vander_constant", *_both(lambda x: np.vander(x, 1) + x), shapes=[((1,),), ((3,),)]),
    OpCase("poly", *_both(np.poly), shapes=[((3,),), ((1,),)]),
    OpCase("poly_matrix", *_both(np.poly), shapes=[((2, 2),), ((3, 3),)], rtol=1e-3),
    OpCase("roots", *_both(np.roots), shapes=[((4,),), ((3,),)], domain=_real_roots),
    OpCase("roots_complex", *_both(_sorted_roots), shapes=[((4,),), ((5,),)],
           domain=_complex_roots),
    OpCase("polyfit", *_both(lambda x, y: np.polyfit(x, y, 2)), shapes=[((6,), (6,))],
           domain=[_coordinates, normal]),
    OpCase("polyfit_weighted", *_both(lambda x, y, w: np.polyfit(x, y, 1, w=w)),
           shapes=[((5,), (5, 2), (5,))],
           domain=[_coordinates, normal, lambda r, s: r.uniform(0.5, 2.0, s)]),
    OpCase("polyfit_cov", *_both(lambda x, y: np.concatenate(
        [np.ravel(part) for part in np.polyfit(x, y, 1, cov=True)])), shapes=[((6,), (6,))],
           domain=[_coordinates, normal]),
    OpCase("polyfit_full", *_both(lambda x, y: np.concatenate(
        [np.ravel(part) for part in np.polyfit(x, y, 1, full=True)[:2]])),
           shapes=[((5,), (5,))], domain=[_coordinates, normal]),
]
