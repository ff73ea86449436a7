"""The classification of NumPy's public API (issue 13 item 3): every name of the
installed NumPy is classified, the table agrees with the registry, and every
name classified differentiable and implemented really differentiates."""

import numpy as np
import pytest

import ndgrad
from ndgrad.numpy_api import (FUNCTIONS, UFUNCS, classification, classification_counts,
                              differentiable_functions, public_numpy_callables)
from ndgrad.numpy_api_table import (DIFFERENTIABLE, INTEGER_VALUED, KINDS, NOT_APPLICABLE,
                                    PIECEWISE_CONSTANT, TABLE)

ROWS = classification()
CALLABLES = public_numpy_callables()


def test_every_public_numpy_name_is_classified():
    unclassified = [name for name, kind, _, _ in ROWS if kind == "unclassified"]
    assert not unclassified, (f"NumPy {np.__version__} has names the table does not know: "
                              f"{unclassified}; add them to ndgrad/numpy_api_table.py")
    assert all(kind in KINDS for _, kind, _, _ in ROWS)
    assert len(ROWS) > 400


def test_the_table_agrees_with_the_registry():
    for name, kind, _, implemented in ROWS:
        function = FUNCTIONS.get(CALLABLES[name], UFUNCS.get(CALLABLES[name]))
        if function is None:
            continue
        if getattr(function, "differentiable", True):
            assert kind in (DIFFERENTIABLE, PIECEWISE_CONSTANT), name
        else:
            assert kind in (INTEGER_VALUED, NOT_APPLICABLE, PIECEWISE_CONSTANT), name


def test_counts_and_differentiable_functions_agree_with_the_rows():
    counts = classification_counts()
    assert sum(counts.values()) == len(ROWS)
    qualified = set(differentiable_functions(qualified=True))
    expected = {name for name, kind, _, implemented in ROWS
                if implemented and kind in (DIFFERENTIABLE, PIECEWISE_CONSTANT)
                and getattr(FUNCTIONS.get(CALLABLES[name], UFUNCS.get(CALLABLES[name])),
                            "differentiable", True)}
    assert qualified == expected
    assert {"gradient", "trapezoid", "radians", "fabs", "select", "rollaxis", "linspace",
            "real", "angle"} <= qualified
    assert counts[f"{DIFFERENTIABLE}, implemented"] >= 180
    assert set(differentiable_functions()) >= {CALLABLES[n].__name__ for n in qualified}


def test_a_classified_name_that_numpy_drops_is_noticed():
    assert set(TABLE) <= set(CALLABLES) | _OLDER_NUMPY_NAMES


_OLDER_NUMPY_NAMES = set()      # names kept for older NumPy versions (none yet)


def test_the_readme_states_the_counts_and_the_refused_names():
    import pathlib
    import re
    text = (pathlib.Path(__file__).parents[1] / "README.md").read_text()
    section = text[text.index("## NumPy's API on tensors, classified"):]
    found = re.search(r"\((\d+) names with NumPy (\d+\.\d+)\).*?With NumPy \2: (\d+) "
                      r"differentiable and\s+implemented, (\d+) differentiable and not yet "
                      r"\(refused with a `TypeError`:(.*?)\),\s+(\d+) piecewise constant, "
                      r"(\d+) integer or boolean valued, (\d+) not applicable", section, re.S)
    assert found, "README: the classification sentence changed shape; update this test"
    total, version, implemented, not_yet, names, flat, integer, other = found.groups()
    if version != ".".join(np.__version__.split(".")[:2]):
        pytest.skip(f"the README states the counts for NumPy {version}")
    counts = classification_counts()
    assert int(total) == len(ROWS)
    assert (int(implemented), int(not_yet), int(flat), int(integer), int(other)) == (
        counts.get(f"{DIFFERENTIABLE}, implemented", 0), counts.get(f"{DIFFERENTIABLE}, not yet", 0),
        counts.get(PIECEWISE_CONSTANT, 0), counts.get(INTEGER_VALUED, 0),
        counts.get(NOT_APPLICABLE, 0)), "README: update the classification counts"
    refused = {name for name, kind, _, done in ROWS if kind == DIFFERENTIABLE and not done}
    assert set(re.findall(r"`([\w.]+)`", names)) == refused, "README: list the refused names"


def _spd(rng):
    a = rng.uniform(-1, 1, (3, 3))
    return a @ a.T + 3 * np.eye(3)


# name -> (inputs from rng, function of the tensors): for names the default
# (the function of one (3, 4) tensor of values in (0.2, 0.8)) does not fit.
_M = lambda rng: [_spd(rng)]                                            # noqa: E731
_VEC = lambda rng: [rng.uniform(0.2, 0.8, 4)]                           # noqa: E731
_TWO = lambda rng: [rng.uniform(0.2, 0.8, (3, 4)), rng.uniform(0.2, 0.8, (3, 4))]  # noqa: E731
_ABOVE_ONE = lambda rng: [rng.uniform(1.2, 2.0, (3, 4))]                # noqa: E731
RECIPES = {
    "arccosh": (_ABOVE_ONE, np.arccosh), "acosh": (_ABOVE_ONE, np.acosh),
    "append": (_TWO, np.append), "concatenate": (_TWO, lambda a, b: np.concatenate([a, b])),
    "concat": (_TWO, lambda a, b: np.concat([a, b])),
    "stack": (_TWO, lambda a, b: np.stack([a, b])), "hstack": (_TWO, lambda a, b: np.hstack([a, b])),
    "vstack": (_TWO, lambda a, b: np.vstack([a, b])), "dstack": (_TWO, lambda a, b: np.dstack([a, b])),
    "column_stack": (_TWO, lambda a, b: np.column_stack([a, b])),
    "array_split": (None, lambda a: np.array_split(a, 2)), "split": (None, lambda a: np.split(a, 2, 1)),
    "hsplit": (None, lambda a: np.hsplit(a, 2)), "vsplit": (None, lambda a: np.vsplit(a, 3)),
    "dsplit": (None, lambda a: np.dsplit(a[None], 2)),
    "broadcast_to": (None, lambda a: np.broadcast_to(a, (2, 3, 4))),
    "clip": (None, lambda a: np.clip(a, 0.3, 0.7)),
    "convolve": (_VEC, lambda a: np.convolve(a, a)), "correlate": (_VEC, lambda a: np.correlate(a, a, "full")),
    "cross": (None, lambda a: np.cross(a[:, :3], a[:, 1:])),
    "linalg.cross": (None, lambda a: np.linalg.cross(a[:, :3], a[:, 1:])),
    "dot": (None, lambda a: np.dot(a, a.T)), "inner": (None, lambda a: np.inner(a, a)),
    "outer": (_VEC, lambda a: np.outer(a, a)), "linalg.outer": (_VEC, lambda a: np.linalg.outer(a, a)),
    "vdot": (None, lambda a: np.vdot(a, a)), "kron": (_VEC, lambda a: np.kron(a, a)),
    "matmul": (None, lambda a: np.matmul(a, a.T)), "linalg.matmul": (None, lambda a: np.linalg.matmul(a, a.T)),
    "tensordot": (None, lambda a: np.tensordot(a, a, 2)),
    "linalg.tensordot": (None, lambda a: np.linalg.tensordot(a, a, axes=2)),
    "roll": (None, lambda a: np.roll(a, 1, axis=1)),
    "linalg.vecdot": (None, lambda a: np.linalg.vecdot(a, a)),
    "einsum": (None, lambda a: np.einsum("ij,ij->i", a, a)),
    "diag": (_VEC, np.diag), "take": (None, lambda a: np.take(a, [2, 0, 2])),
    "take_along_axis": (None, lambda a: np.take_along_axis(a, np.array([[1], [0], [3]]), 1)),
    "interp": (_VEC, lambda a: np.interp(a, [0.0, 0.5, 1.0], [1.0, 3.0, 2.0])),
    "meshgrid": (_VEC, lambda a: np.meshgrid(a, a)),
    "reshape": (None, lambda a: np.reshape(a, (4, 3))), "pad": (None, lambda a: np.pad(a, 1)),
    "polyval": (_VEC, lambda a: np.polyval(a, a)), "repeat": (None, lambda a: np.repeat(a, 2)),
    "tile": (None, lambda a: np.tile(a, 2)), "where": (None, lambda a: np.where(a > 0.5, a, -a)),
    "partition": (None, lambda a: np.partition(a, 1)), "percentile": (None, lambda a: np.percentile(a, 40)),
    "quantile": (None, lambda a: np.quantile(a, 0.4)), "moveaxis": (None, lambda a: np.moveaxis(a, 0, 1)),
    "swapaxes": (None, lambda a: np.swapaxes(a, 0, 1)), "rollaxis": (None, lambda a: np.rollaxis(a, 1)),
    "expand_dims": (None, lambda a: np.expand_dims(a, 1)),
    "select": (None, lambda a: np.select([a > 0.5], [a * 2], a)),
    "gradient": (None, lambda a: np.gradient(a, axis=1)),
    "cumulative_sum": (None, lambda a: np.cumulative_sum(a, axis=1)),
    "cumulative_prod": (None, lambda a: np.cumulative_prod(a, axis=1)),
    "linspace": (_TWO, lambda a, b: np.linspace(a, b, 3)),
    "geomspace": (_TWO, lambda a, b: np.geomspace(a, b, 3)),
    "logspace": (_TWO, lambda a, b: np.logspace(a, b, 3)),
    "float_power": (_TWO, np.float_power), "power": (_TWO, np.power), "pow": (_TWO, np.pow),
    "round": (None, lambda a: np.round(a, 1)), "around": (None, lambda a: np.around(a, 1)),
    "trace": (None, np.trace), "linalg.trace": (None, np.linalg.trace),
    "linalg.matrix_power": (_M, lambda a: np.linalg.matrix_power(a, 2)),
    "linalg.multi_dot": (_M, lambda a: np.linalg.multi_dot([a, a, a])),
    "linalg.solve": (_M, lambda a: np.linalg.solve(a, a[:, :1] + 1.0)),
    "linalg.lstsq": (_M, lambda a: np.linalg.lstsq(a, a[:, 0] + 1.0)[0]),
    "linalg.svd": (_M, lambda a: np.linalg.svd(a)[1]),
    "linalg.eigh": (_M, lambda a: np.linalg.eigh(a)[0]),
    "linalg.qr": (_M, lambda a: np.linalg.qr(a)[1].diagonal() ** 2),
    "linalg.slogdet": (_M, lambda a: np.linalg.slogdet(a)[1]),
    "linalg.eig": (_M, lambda a: np.abs(np.linalg.eig(a)[1]) ** 2),      # complex results:
    "linalg.eigvals": (_M, lambda a: np.abs(np.linalg.eigvals(a))),      # real functions of them
    "linalg.tensorinv": (_M, lambda a: np.linalg.tensorinv(a, ind=1)),
    "linalg.tensorsolve": (_M, lambda a: np.linalg.tensorsolve(a, a[0])),
    "unique": (None, lambda a: np.unique(a)),
    "matvec": (None, lambda a: np.matvec(a, a[0])), "vecmat": (None, lambda a: np.vecmat(a[:, 0], a)),
}
_ROOTS = lambda rng: [np.poly(rng.uniform(0.2, 0.8, 3) + np.arange(3))]     # noqa: E731
_MATRIX = lambda rng: [rng.uniform(0.2, 0.8, (3, 3))]                       # noqa: E731
RECIPES.update({     # the sweep's remainder (ops/insertion.py, polynomials.py, ...)
    "apply_along_axis": (None, lambda a: np.apply_along_axis(lambda v: (v ** 2).sum(), 1, a)),
    "apply_over_axes": (None, lambda a: np.apply_over_axes(np.sum, a, [1])),
    "astype": (None, lambda a: np.astype(a, np.complex128).real),
    "choose": (_TWO, lambda a, b: np.choose(np.array([[0, 1, 0, 1]]), [a, b])),
    "compress": (None, lambda a: np.compress([True, False, True], a, axis=0)),
    "delete": (None, lambda a: np.delete(a, [1, 2])),
    "extract": (None, lambda a: np.extract(np.eye(3, 4) == 0, a)),
    "insert": (_TWO, lambda a, b: np.insert(a, 1, b[:, 0], axis=1)),
    "intersect1d": (None, lambda a: np.intersect1d(a, a[1] * 1.0)),
    "union1d": (_TWO, np.union1d), "setxor1d": (_TWO, np.setxor1d),
    "setdiff1d": (_TWO, lambda a, b: np.setdiff1d(a, b + 1.0)),
    "ldexp": (None, lambda a: np.ldexp(a, np.array([1, -2, 0, 3]))),
    "nanpercentile": (None, lambda a: np.nanpercentile(a, 30, axis=1)),
    "nanquantile": (None, lambda a: np.nanquantile(a, [0.2, 0.7])),
    "piecewise": (None, lambda a: np.piecewise(a, [a < 0.5], [np.sin, lambda v: v ** 2])),
    "poly": (_MATRIX, np.poly), "roots": (_ROOTS, np.roots),
    "polyadd": (_VEC, lambda a: np.polyadd(a, a[:2])), "polysub": (_VEC, lambda a: np.polysub(a, a[1:])),
    "polymul": (_VEC, lambda a: np.polymul(a, a[:2])),
    "polydiv": (_VEC, lambda a: np.concatenate(np.polydiv(a, a[:2] + 1.0))),
    "polyder": (_VEC, np.polyder), "polyint": (_VEC, np.polyint), "vander": (_VEC, np.vander),
    "polyfit": (_VEC, lambda a: np.polyfit(np.arange(4.0) + a, a, 2)),
    "resize": (None, lambda a: np.resize(a, (5, 3))),
    "sort_complex": (None, lambda a: np.real(np.sort_complex(a))),
})
for _name in ("fft", "ifft", "rfft", "ihfft", "fft2", "ifft2", "rfft2", "fftn", "ifftn",
              "rfftn"):       # complex results: their modulus is the real loss
    RECIPES["fft." + _name] = (None, lambda a, f=getattr(np.fft, _name): np.abs(f(a)))
for _name in ("linalg.cholesky", "linalg.cond", "linalg.det", "linalg.eigvalsh", "linalg.inv",
              "linalg.pinv", "linalg.svdvals", "linalg.norm", "linalg.matrix_norm",
              "linalg.vector_norm", "linalg.diagonal", "linalg.matrix_transpose"):
    RECIPES[_name] = (_M, CALLABLES[_name])

IMPLEMENTED = sorted(name for name in differentiable_functions(qualified=True)
                     if TABLE[name][0] == DIFFERENTIABLE)


def _weighted_total(result, rng):
    parts = result if isinstance(result, (tuple, list)) else [result]
    total = 0.0
    for part in parts:
        if isinstance(part, ndgrad.Tensor) and part.dtype.kind == "f":
            total = total + (part * rng.uniform(0.5, 1.5, part.shape)).sum()
    return total


@pytest.mark.parametrize("name", IMPLEMENTED)
def test_each_implemented_differentiable_name_differentiates(name):
    rng = np.random.default_rng(7)
    make, function = RECIPES.get(name, (None, CALLABLES[name]))
    if function is CALLABLES[name] and isinstance(function, np.ufunc) and function.nin == 2 \
            and make is None:
        make = _TWO
    arrays = make(rng) if make is not None else [rng.uniform(0.2, 0.8, (3, 4))]
    weights_seed = int(rng.integers(1 << 30))
    inputs = [ndgrad.Variable(a) for a in arrays]
    result = function(*inputs)
    assert _weighted_total(result, np.random.default_rng(weights_seed)).requires_grad, name
    assert ndgrad.gradcheck(
        lambda *xs: _weighted_total(function(*xs), np.random.default_rng(weights_seed)),
        [ndgrad.tensor(a) for a in arrays], rtol=1e-3, atol=1e-5), name
