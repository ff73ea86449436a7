"""Table entries for the NumPy functions added by the sweep (issue 13 item 3):
angle units, fabs, real/imag/conj/angle of real inputs, rollaxis, select,
gradient, trapezoid, cumulative_sum/prod, linspace/geomspace/logspace."""

import numpy as np

import ndgrad

from .harness import OpCase, away_from_integers, normal, positive

try:
    import torch
except ImportError:
    torch = None

T = torch is not None
COORDS = lambda r, s: np.cumsum(r.uniform(0.5, 1.5, s))      # noqa: E731  (increasing)
SHAPES_1D_2D = [((5,),), ((3, 4),)]


def _via_numpy(name, *args, **kwargs):
    """The NumPy function called on the tensors (the ``__array_function__`` route)."""
    return lambda *xs: getattr(np, name)(*xs, *args, **kwargs)


def _stack(result):
    return np.stack(result) if isinstance(result, tuple) else result


def _stacked_gradient(*args, **kwargs):
    return lambda *xs: _stack(np.gradient(*xs, *args, **kwargs))


def _ndgrad_stacked_gradient(*args, **kwargs):
    def op(*xs):
        result = ndgrad.gradient(*xs, *args, **kwargs)
        return ndgrad.stack(result) if isinstance(result, tuple) else result
    return op


CASES = [
    OpCase("radians", ndgrad.radians, np.radians, torch=torch.deg2rad if T else None),
    OpCase("degrees", _via_numpy("degrees"), np.degrees, torch=torch.rad2deg if T else None),
    OpCase("fabs", ndgrad.fabs, np.fabs, domain=away_from_integers, second_order=False,
           torch=torch.abs if T else None),
    OpCase("np.fabs", _via_numpy("fabs"), np.fabs, domain=away_from_integers,
           second_order=False),
    OpCase("real", lambda x: ndgrad.real(x) * 1.0, np.real, torch=(lambda x: x * 1.0) if T else None),
    OpCase("np.real", lambda x: np.real(x) * 1.0, np.real),
    OpCase("imag", ndgrad.imag, np.imag),
    OpCase("np.imag_plus_x", lambda x: np.imag(x) + x, lambda x: np.imag(x) + x),
    OpCase("conj", ndgrad.conj, np.conj, torch=torch.conj if T else None),
    OpCase("np.conjugate", _via_numpy("conjugate"), np.conjugate),
    OpCase("angle", lambda x: ndgrad.angle(x) * x, lambda x: np.angle(x) * x,
           domain=away_from_integers, second_order=False,
           torch=(lambda x: torch.angle(x) * x) if T else None),
    OpCase("angle_deg", _via_numpy("angle", deg=True), lambda x: np.angle(x, deg=True),
           domain=away_from_integers, second_order=False),
    OpCase("real_if_close", lambda x: np.real_if_close(x) * 2.0, lambda x: x * 2.0),
    OpCase("rollaxis", _via_numpy("rollaxis", 2, 1), lambda x: np.rollaxis(x, 2, 1),
           shapes=[((2, 3, 4),)]),
    OpCase("rollaxis_neg", lambda x: ndgrad.rollaxis(x, -1), lambda x: np.rollaxis(x, -1),
           shapes=[((2, 3, 4),), ((3,),)]),
    OpCase("select", lambda x, y: np.select([x < -0.5, x > 0.5], [y, x * y], x),
           lambda x, y: np.select([x < -0.5, x > 0.5], [y, x * y], x),
           shapes=[((6,), (6,)), ((2, 3), (3,))], domain=[away_from_integers, normal],
           second_order=False),
    OpCase("gradient", _via_numpy("gradient"), np.gradient, shapes=[((5,),), ((3,),)]),
    OpCase("gradient_2d", _stacked_gradient(), _stacked_gradient(), shapes=[((3, 4),)]),
    OpCase("gradient_edge2", _ndgrad_stacked_gradient(0.5, edge_order=2),
           _stacked_gradient(0.5, edge_order=2), shapes=[((3, 4),), ((3, 3, 4),)]),
    OpCase("gradient_coordinates", lambda f, c: np.gradient(f, c, axis=-1),
           lambda f, c: np.gradient(f, c, axis=-1), shapes=[((5,), (5,)), ((3, 4), (4,))],
           domain=[normal, COORDS]),
    OpCase("gradient_coordinates_edge2",
           lambda f, c: ndgrad.gradient(f, c, axis=-1, edge_order=2),
           lambda f, c: np.gradient(f, c, axis=-1, edge_order=2),
           shapes=[((5,), (5,)), ((3, 4), (4,))], domain=[normal, COORDS],
           torch=(lambda f, c: torch.gradient(f, spacing=(c,), dim=-1, edge_order=2)[0])
           if T else None),
    OpCase("gradient_tensor_step", lambda f, h: ndgrad.gradient(f, h, edge_order=2),
           lambda f, h: np.gradient(f, h, edge_order=2), shapes=[((4,), ())],
           domain=[normal, positive]),
    OpCase("trapezoid", _via_numpy("trapezoid"), np.trapezoid,
           shapes=[((5,),), ((3, 4),)], torch=torch.trapezoid if T else None),
    OpCase("trapezoid_empty", ndgrad.trapezoid, np.trapezoid, shapes=[((2, 0),), ((1,),)]),
    OpCase("trapezoid_x", lambda y, x: np.trapezoid(y, x, axis=0),
           lambda y, x: np.trapezoid(y, x, axis=0), shapes=[((4,), (4,)), ((4, 3), (4,))],
           domain=[normal, COORDS]),
    OpCase("trapezoid_dx", lambda y: ndgrad.trapezoid(y, dx=0.25), lambda y: np.trapezoid(y, dx=0.25),
           shapes=[((3, 4),)]),
    OpCase("cumulative_sum", lambda x: np.cumulative_sum(x, axis=-1, include_initial=True),
           lambda x: np.cumulative_sum(x, axis=-1, include_initial=True),
           shapes=[((4,),), ((2, 3),)]),
    OpCase("cumulative_prod", lambda x: ndgrad.cumulative_prod(x, axis=0),
           lambda x: np.cumulative_prod(x, axis=0), shapes=[((4,),), ((2, 3),)],
           domain=positive),
    OpCase("linspace", lambda a, b: np.linspace(a, b, 5), lambda a, b: np.linspace(a, b, 5),
           shapes=[((), ()), ((2,), (2,)), ((2,), ())]),
    OpCase("linspace_open_axis", lambda a, b: np.linspace(a, b, 4, endpoint=False, axis=-1),
           lambda a, b: np.linspace(a, b, 4, endpoint=False, axis=-1),
           shapes=[((), ()), ((2, 1), (3,))]),
    OpCase("ndgrad.linspace", lambda a, b: ndgrad.linspace(a, b, 3),
           lambda a, b: np.linspace(a, b, 3), shapes=[((), ())]),
    OpCase("geomspace", lambda a, b: np.geomspace(a, b, 4), lambda a, b: np.geomspace(a, b, 4),
           shapes=[((), ()), ((2,), (2,))], domain=positive),
    OpCase("logspace", lambda a, b: np.logspace(a, b, 4, base=2.0),
           lambda a, b: np.logspace(a, b, 4, base=2.0), shapes=[((), ()), ((2,), ())]),
    OpCase("logspace_tensor_base", lambda a, b, c: np.logspace(a, b, 3, base=c),
           lambda a, b, c: np.logspace(a, b, 3, base=c), shapes=[((), (), (2,)), ((2,), (), (2,))],
           domain=[normal, normal, positive]),
]

CASES += [
    OpCase("nanprod", lambda x: np.nanprod(x, axis=-1), lambda x: np.nanprod(x, axis=-1),
           shapes=[((4,),), ((2, 3),)]),
    OpCase("nancumsum", lambda x: np.nancumsum(x, axis=0), lambda x: np.nancumsum(x, axis=0),
           shapes=[((4,),), ((2, 3),)]),
    OpCase("nancumprod", ndgrad.nancumprod, np.nancumprod, shapes=[((4,),), ((2, 3),)]),
    OpCase("nanvar", lambda x: np.nanvar(x, axis=-1, ddof=1), lambda x: np.nanvar(x, axis=-1, ddof=1),
           shapes=[((4,),), ((2, 3),)]),
    OpCase("nanstd", lambda x: ndgrad.nanstd(x, axis=0), lambda x: np.nanstd(x, axis=0),
           shapes=[((4,),), ((2, 3),)]),
    OpCase("diagflat", lambda x: np.diagflat(x, 1), lambda x: np.diagflat(x, 1),
           shapes=[((3,),), ((2, 2),)]),
    OpCase("unstack", lambda x: ndgrad.stack(np.unstack(x, axis=1)), lambda x: np.stack(np.unstack(x, axis=1)),
           shapes=[((2, 3),)]),
    OpCase("matvec", np.matvec, np.matvec, shapes=[((2, 3), (3,)), ((4, 2, 3), (1, 3))],
           domain=[normal, normal]),
    OpCase("vecmat", np.vecmat, np.vecmat, shapes=[((2,), (2, 3)), ((4, 2), (1, 2, 3))],
           domain=[normal, normal]),
    OpCase("np.vecdot", np.vecdot, np.vecdot, shapes=[((2, 3), (3,))], domain=[normal, normal]),
    OpCase("np.matrix_transpose", np.matrix_transpose, np.matrix_transpose, shapes=[((2, 3),)]),
]
