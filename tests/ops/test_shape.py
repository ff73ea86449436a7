"""Joining, splitting, rearranging and sorting: what the op table cannot say
(repeated-index gradients, ties, NaN, split round trips, errors, NumPy routing)."""

import warnings

import numpy as np
import pytest

import ndgrad
from ndgrad.numpy_api import FUNCTIONS


def grad_of(function, values, weights=None):
    """The gradient of ``sum(weights * function(x))`` at ``values``, as a list."""
    x = ndgrad.Variable(values)
    y = function(x)
    (y * (1.0 if weights is None else ndgrad.tensor(weights))).sum().backward()
    return x.grad.tolist()


# Repeated indices: every copy sends its gradient back to its source ---------------

def test_repeat_sums_the_gradient_of_every_copy():
    assert grad_of(lambda x: ndgrad.repeat(x, [2, 0, 3]), [1.0, 2.0, 3.0]) == [2.0, 0.0, 3.0]
    assert grad_of(lambda x: ndgrad.repeat(x, 2, axis=1), [[1.0, 2.0]],
                   [[1.0, 2.0, 3.0, 4.0]]) == [[3.0, 7.0]]


def test_tile_sums_the_gradient_of_every_tile():
    assert grad_of(lambda x: ndgrad.tile(x, (3, 2)), [1.0, 2.0]) == [6.0, 6.0]


@pytest.mark.parametrize("mode, counts", [
    ("reflect", [1.0, 3.0, 3.0, 1.0]),      # 2 1 | 0 1 2 3 | 2 1
    ("symmetric", [2.0, 2.0, 2.0, 2.0]),    # 1 0 | 0 1 2 3 | 3 2
    ("edge", [3.0, 1.0, 1.0, 3.0]),         # 0 0 | 0 1 2 3 | 3 3
    ("wrap", [2.0, 2.0, 2.0, 2.0]),         # 2 3 | 0 1 2 3 | 0 1
])
def test_pad_adds_each_copy_back_onto_its_source(mode, counts):
    assert grad_of(lambda x: ndgrad.pad(x, 2, mode=mode), [0.0, 1.0, 2.0, 3.0]) == counts


def test_pad_wider_than_the_axis_reflects_repeatedly_like_numpy():
    x = ndgrad.Variable([1.0, 2.0])
    y = ndgrad.pad(x, 5, mode="reflect")
    assert y.detach().tolist() == np.pad([1.0, 2.0], 5, mode="reflect").tolist()
    y.sum().backward()
    assert x.grad.tolist() == [6.0, 6.0]


def test_constant_pad_gives_the_border_no_gradient():
    x = ndgrad.Variable([[1.0, 2.0]])
    y = ndgrad.pad(x, ((1, 0), (0, 2)), constant_values=((7.0, 8.0), (9.0, 6.0)))
    np.testing.assert_array_equal(
        y.detach().numpy(),
        np.pad(np.array([[1.0, 2.0]], np.float32), ((1, 0), (0, 2)),
               constant_values=((7.0, 8.0), (9.0, 6.0))))
    (y * ndgrad.arange(1.0, 9.0).reshape(2, 4)).sum().backward()
    assert x.grad.tolist() == [[5.0, 6.0]]


def test_meshgrid_sums_each_vector_over_the_grid():
    a, b = ndgrad.Variable([1.0, 2.0, 3.0]), ndgrad.Variable([4.0, 5.0])
    xs, ys = ndgrad.meshgrid(a, b)
    (xs + 10 * ys).sum().backward()
    assert a.grad.tolist() == [2.0, 2.0, 2.0]
    assert b.grad.tolist() == [30.0, 30.0]


def test_meshgrid_copies_are_writable_and_views_are_not():
    a, b = ndgrad.tensor([1.0, 2.0]), ndgrad.tensor([3.0, 4.0])
    xs, _ = ndgrad.meshgrid(a, b)
    xs[0, 0] = 9.0
    assert a.tolist() == [1.0, 2.0]
    views, _ = ndgrad.meshgrid(a, b, copy=False)
    with pytest.raises(ValueError):
        views[0, 0] = 9.0


# Ties, duplicates and NaN -----------------------------------------------------------------

def test_sort_sends_each_gradient_back_through_the_permutation():
    assert grad_of(ndgrad.sort, [3.0, 1.0, 2.0], [1.0, 10.0, 100.0]) == [100.0, 1.0, 10.0]
    assert grad_of(lambda x: ndgrad.sort(x, axis=0), [[2.0, 0.0], [1.0, 5.0]],
                   [[1.0, 2.0], [3.0, 4.0]]) == [[3.0, 2.0], [1.0, 4.0]]


def test_unique_values_share_their_gradient_between_repeats():
    x = ndgrad.Variable([2.0, 1.0, 2.0, 2.0])
    values, index, inverse, counts = ndgrad.unique(x, return_index=True, return_inverse=True,
                                                   return_counts=True)
    assert values.tolist() == [1.0, 2.0]
    assert (index.tolist(), inverse.tolist(), counts.tolist()) == ([1, 0], [1, 0, 1, 1], [1, 3])
    assert not counts.requires_grad and counts.dtype.kind == "i"
    (values * ndgrad.tensor([6.0, 30.0])).sum().backward()
    assert x.grad.tolist() == [10.0, 6.0, 10.0, 10.0]


def test_unique_rows_share_their_gradient_between_repeated_rows():
    rows = [[1.0, 2.0], [0.0, 5.0], [1.0, 2.0]]
    assert grad_of(lambda x: ndgrad.unique(x, axis=0), rows,
                   [[1.0, 2.0], [4.0, 6.0]]) == [[2.0, 3.0], [1.0, 2.0], [2.0, 3.0]]


@pytest.mark.parametrize("values, expected", [
    ([4.0, 1.0, 2.0, 8.0], [0.5, 0.0, 0.5, 0.0]),                   # even count: two middles
    ([1.0, 2.0, 2.0], [0.0, 0.5, 0.5]),                             # tied middle value
    ([2.0, 6.0, 2.0, 1.0, 2.0, 5.0], [1 / 3, 0.0, 1 / 3, 0.0, 1 / 3, 0.0]),
])
def test_median_shares_the_gradient_between_tied_middle_values(values, expected):
    assert ndgrad.median(ndgrad.tensor(values)).item() == np.median(values)
    np.testing.assert_allclose(grad_of(ndgrad.median, values), expected, rtol=1e-6)


def test_quantile_interpolates_the_gradient_between_neighbours():
    np.testing.assert_allclose(grad_of(lambda x: ndgrad.quantile(x, 0.3), [5.0, 1.0, 3.0, 4.0]),
                               [0.0, 0.1, 0.9, 0.0], rtol=1e-5)


def test_quantile_keeps_float32_where_numpy_would_promote():
    x = ndgrad.tensor([1.0, 2.0, 3.0])
    assert ndgrad.quantile(x, [0.25, 0.5]).dtype == np.float32
    assert ndgrad.percentile(x, np.array([50.0])).dtype == np.float32
    assert ndgrad.diff(x, prepend=0.0).dtype == np.float32


def test_nan_reductions_give_nan_positions_no_gradient():
    values = [1.0, float("nan"), 3.0]
    assert grad_of(ndgrad.nanmax, values) == [0.0, 0.0, 1.0]
    assert grad_of(ndgrad.nanmin, values) == [1.0, 0.0, 0.0]
    assert grad_of(ndgrad.nansum, values) == [1.0, 0.0, 1.0]
    assert grad_of(ndgrad.nanmean, values) == [0.5, 0.0, 0.5]


def test_all_nan_slice_gives_nan_a_warning_and_no_gradient():
    x = ndgrad.Variable([[float("nan"), float("nan")], [1.0, 2.0]])
    with pytest.warns(RuntimeWarning, match="All-NaN slice"):
        y = ndgrad.nanmax(x, axis=1)
    assert np.isnan(y.tolist()[0]) and y.tolist()[1] == 2.0
    y.sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0], [0.0, 1.0]]
    with pytest.warns(RuntimeWarning, match="empty slice"):
        assert np.isnan(ndgrad.nanmean(x, axis=1).tolist()[0])


# Splits ---------------------------------------------------------------------------------

def test_numpy_split_returns_differentiable_pieces_that_join_back():
    t = ndgrad.Variable(np.arange(12.0).reshape(6, 2))
    pieces = np.split(t, 3)
    assert all(isinstance(p, ndgrad.Tensor) and p.requires_grad for p in pieces)
    np.testing.assert_array_equal(np.concatenate(pieces).detach().numpy(), t.detach().numpy())
    (pieces[1] * 2).sum().backward()
    assert t.grad.tolist() == [[0.0, 0.0]] * 2 + [[2.0, 2.0]] * 2 + [[0.0, 0.0]] * 2


def test_array_split_and_split_at_indices_match_numpy_sizes():
    t = ndgrad.Variable(np.arange(7.0))
    assert [p.shape for p in np.array_split(t, 3)] == [(3,), (2,), (2,)]
    assert [p.tolist() for p in ndgrad.split(t, [2, 5, 9])] == [[0.0, 1.0], [2.0, 3.0, 4.0],
                                                                [5.0, 6.0], []]
    assert [p.shape for p in np.hsplit(ndgrad.ones((2, 6)), [1])] == [(2, 1), (2, 5)]


# Errors a person can act on ------------------------------------------------------------

@pytest.mark.parametrize("join, shapes, name", [
    (lambda ts: ndgrad.concatenate(ts), [(2, 3), (2, 4)], "concatenate"),
    (lambda ts: np.concatenate(ts, axis=1), [(2, 3), (3, 3)], "concatenate"),
    (lambda ts: ndgrad.stack(ts), [(2, 3), (2, 4)], "stack"),
    (lambda ts: np.hstack(ts), [(2, 3), (3, 3)], "hstack"),
    (lambda ts: np.vstack(ts), [(3,), (4,)], "vstack"),
    (lambda ts: ndgrad.dstack(ts), [(1, 2), (2, 2)], "dstack"),
    (lambda ts: ndgrad.column_stack(ts), [(3,), (4,)], "column_stack"),
    (lambda ts: ndgrad.broadcast_arrays(*ts), [(2,), (3,)], "broadcast_arrays"),
])
def test_join_errors_name_the_op_the_shapes_and_the_line(join, shapes, name):
    tensors = [ndgrad.ones(s) for s in shapes]
    with pytest.raises(ndgrad.ShapeError) as error:
        join(tensors)
    message = str(error.value)
    assert message.startswith(name)
    assert all(str(s) in message for s in shapes)
    assert "test_shape.py" in message


@pytest.mark.parametrize("call, name, detail", [
    (lambda: ndgrad.split(ndgrad.ones(5), 2), "split", "(5,)"),
    (lambda: np.vsplit(ndgrad.ones(4), 2), "vsplit", "2 or more dimensions"),
    (lambda: ndgrad.dsplit(ndgrad.ones((2, 2)), 2), "dsplit", "3 or more dimensions"),
    (lambda: ndgrad.repeat(ndgrad.ones(3), [1, 2]), "repeat", "(3,)"),
    (lambda: ndgrad.fliplr(ndgrad.ones(3)), "fliplr", "2 or more dimensions"),
    (lambda: ndgrad.sort(ndgrad.tensor(1.0)), "sort", "dimension 0"),
    (lambda: ndgrad.pad(ndgrad.ones((2, 2)), ((1, 1), (1, 1), (1, 1))), "pad", "(2, 2)"),
    (lambda: ndgrad.pad(ndgrad.ones(0), 1, mode="wrap"), "pad", "empty axis"),
])
def test_shape_errors_name_the_op_and_the_operand(call, name, detail):
    with pytest.raises(ndgrad.ShapeError) as error:
        call()
    assert str(error.value).startswith(name) and detail in str(error.value)


@pytest.mark.parametrize("call, error, words", [
    (lambda: ndgrad.pad(ndgrad.ones(3), 1, mode="mean"), ValueError, "supported modes"),
    (lambda: ndgrad.pad(ndgrad.ones(3), 1, mode="reflect", reflect_type="odd"), ValueError,
     "reflect_type"),
    (lambda: ndgrad.pad(ndgrad.ones(3), 1, stat_length=2), TypeError, "stat_length"),
    (lambda: ndgrad.pad(ndgrad.ones(3), -1), ValueError, "negative"),
    (lambda: ndgrad.quantile(ndgrad.ones(3), 0.5, method="nearest"), ValueError, "linear"),
    (lambda: ndgrad.rot90(ndgrad.ones((2, 2)), axes=(1, 1)), ValueError, "differ"),
    (lambda: ndgrad.sort(ndgrad.ones(3), order="a"), ValueError, "order"),
    (lambda: ndgrad.diff(ndgrad.ones(3), n=-1), ValueError, "non-negative"),
    (lambda: ndgrad.meshgrid(ndgrad.ones(3), indexing="xyz"), ValueError, "indexing"),
    (lambda: ndgrad.pad(ndgrad.ones(3), 1, constant_values=ndgrad.Variable(2.0)), TypeError,
     "no gradient"),
    (lambda: ndgrad.quantile(ndgrad.ones(3), ndgrad.Variable(0.5)), TypeError, "no gradient"),
])
def test_unsupported_arguments_are_refused_clearly(call, error, words):
    with pytest.raises(error, match=words):
        call()


# Tensor methods and NumPy routing -----------------------------------------------------

def test_tensor_methods_repeat_sort_argsort():
    t = ndgrad.Variable([[3.0, 1.0, 2.0]])
    assert t.repeat(2, axis=0).shape == (2, 3)
    assert t.sort().values.tolist() == [[1.0, 2.0, 3.0]]     # PyTorch's (values, indices)
    assert t.sort(axis=-1).tolist() == [[1.0, 2.0, 3.0]]     # NumPy's spelling: the values
    assert t.argsort().tolist() == [[1, 2, 0]]
    np.repeat(t, 2).sort().values.sum().backward()          # NumPy's repeat is the function
    assert t.grad.tolist() == [[2.0, 2.0, 2.0]]


def test_row_stack_is_vstack():
    a, b = ndgrad.Variable([1.0, 2.0]), ndgrad.tensor([3.0, 4.0])
    assert ndgrad.row_stack is ndgrad.vstack
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)   # NumPy's own deprecation
        stacked = np.row_stack([a, b])
    assert isinstance(stacked, ndgrad.Tensor) and stacked.requires_grad


M = (np.arange(8.0).reshape(2, 4) * 0.5 - 1.25).astype(np.float32)    # distinct, no ties

DIFFERENTIABLE = {
    np.concatenate: lambda x: np.concatenate([x, x]),
    np.stack: lambda x: np.stack([x, x]),
    np.hstack: lambda x: np.hstack([x, x]),
    np.vstack: lambda x: np.vstack([x, x]),
    np.row_stack: lambda x: np.row_stack([x, x]),     # NumPy warns: a deprecated alias
    np.dstack: lambda x: np.dstack([x, x]),
    np.column_stack: lambda x: np.column_stack([x, x]),
    np.append: lambda x: np.append(x, x),
    np.split: lambda x: np.split(x, 2, axis=1),
    np.array_split: lambda x: np.array_split(x, 3, axis=1),
    np.hsplit: lambda x: np.hsplit(x, 2),
    np.vsplit: lambda x: np.vsplit(x, 2),
    np.dsplit: lambda x: np.dsplit(x.reshape(1, 2, 4), 2),
    np.atleast_1d: np.atleast_1d,
    np.atleast_2d: np.atleast_2d,
    np.atleast_3d: np.atleast_3d,
    np.tile: lambda x: np.tile(x, 2),
    np.repeat: lambda x: np.repeat(x, 2, axis=0),
    np.roll: lambda x: np.roll(x, 1, axis=1),
    np.pad: lambda x: np.pad(x, 1, mode="reflect"),
    np.triu: np.triu,
    np.tril: np.tril,
    np.rot90: np.rot90,
    np.fliplr: np.fliplr,
    np.flipud: np.flipud,
    np.diff: np.diff,
    np.ediff1d: np.ediff1d,
    np.meshgrid: lambda x: np.meshgrid(x[0], x[1]),
    np.broadcast_arrays: lambda x: np.broadcast_arrays(x, x[0]),
    np.sort: np.sort,
    np.partition: lambda x: np.partition(x, 1),
    np.unique: np.unique,
    np.median: np.median,
    np.quantile: lambda x: np.quantile(x, 0.3, axis=1),
    np.percentile: lambda x: np.percentile(x, [10, 90]),
    np.ptp: lambda x: np.ptp(x, axis=0),
    np.nanmax: np.nanmax,
    np.nanmin: np.nanmin,
    np.nansum: np.nansum,
    np.nanmean: np.nanmean,
}
NO_GRADIENT = {
    np.argsort: np.argsort,
    np.argpartition: lambda x: np.argpartition(x, 1),
    np.searchsorted: lambda x: np.searchsorted(np.sort(x, axis=None), 0.3),
}


def _results(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def test_every_registered_function_of_these_families_is_checked_here():
    families = {"ndgrad.ops.join", "ndgrad.ops.arrange", "ndgrad.ops.sorting"}
    registered = {f for f, impl in FUNCTIONS.items() if impl.__module__ in families}
    assert registered == set(DIFFERENTIABLE) | set(NO_GRADIENT)


@pytest.mark.parametrize("function", list(DIFFERENTIABLE), ids=lambda f: f.__name__)
def test_numpy_function_on_a_tensor_returns_tensors_that_carry_gradients(function):
    x = ndgrad.Variable(M)
    results = _results(DIFFERENTIABLE[function](x))
    assert all(isinstance(r, ndgrad.Tensor) and r.requires_grad for r in results)
    assert all(r.dtype == np.float32 for r in results)
    sum(r.sum() for r in results).backward()
    assert x.grad is not None and x.grad.shape == x.shape


@pytest.mark.parametrize("function", list(NO_GRADIENT), ids=lambda f: f.__name__)
def test_numpy_index_function_on_a_tensor_returns_integers_without_gradient(function):
    result = NO_GRADIENT[function](ndgrad.Variable(M))
    assert isinstance(result, ndgrad.Tensor) and not result.requires_grad
    assert result.dtype.kind == "i"
