"""The arithmetic of sparse COO tensors: three differentiable primitives on
(indices, values) pairs, vectorised with NumPy (no per-element Python).

A COO tensor of shape ``(*sparse_shape, *dense_shape)`` holds an ``(S, nnz)``
int64 index array (one column per stored entry, ``S`` sparse dimensions) and a
values array of shape ``(nnz, *dense_shape)``. Entries are addressed by their
*linear position*, the row-major offset of their index column in
``sparse_shape``. Every kernel works on whole arrays:

- :func:`segment_sum` sums the entries that share a position, in position
  order (``coalesce``): one stable ``argsort`` and one ``np.add.reduceat``.
  Its gradient hands each entry the gradient of its position (a gather).
- :func:`scatter_dense` writes the entries into a zero dense array
  (``to_dense``), summing duplicates with ``np.add.at``; gradient: the dense
  gradient read back at the positions.
- :func:`sparse_dense_matmul` multiplies a 2-D sparse matrix by a dense one:
  the entries' rows of ``dense`` scaled by their values, summed per output row
  (grouped once per sparse tensor, ``np.add.reduceat``). Gradients: ``S^T @ g`` for the dense
  operand (the same kernel with rows and columns exchanged) and, for each
  stored value, ``g[row] . dense[col]``, which is PyTorch's gradient on the
  nonzeros only (``torch.sparse.mm``).

The rules are written with ndgrad ops, so gradients of gradients work.

Example:
    >>> from ndgrad.sparse.arithmetic import sparse_dense_matmul
    >>> from ndgrad.sparse.coo_tensor import Plans
    >>> import numpy as np, ndgrad
    >>> plans = Plans(np.array([0, 1, 1]), np.array([1, 0, 1]))
    >>> values = ndgrad.tensor([2.0, 3.0, 4.0], requires_grad=True)
    >>> out = sparse_dense_matmul(values, ndgrad.ones((2, 2)), plans=plans, n_rows=2)
    >>> out.tolist()
    [[2.0, 2.0], [7.0, 7.0]]
    >>> out.sum().backward(); values.grad.tolist()
    [2.0, 2.0, 2.0]
"""

import numpy as np

from ..autograd.primitive import primitive
from ..ops import getitem, multiply, reshape, sum as reduce_sum

__all__ = ["linear_positions", "group_plan", "CoalescePlan", "coalesce_plan", "segment_sum",
           "scatter_dense", "Plans", "sparse_dense_matmul"]


def linear_positions(indices, sparse_shape):
    """The row-major offset of each index column in ``sparse_shape`` (int64).

    Example:
        >>> import numpy as np
        >>> from ndgrad.sparse.construction import linear_positions
        >>> linear_positions(np.array([[0, 1, 2], [1, 0, 2]]), (3, 3)).tolist()
        [1, 3, 8]
    """
    if indices.shape[1] == 0:
        return np.zeros(0, dtype=np.int64)
    return np.ravel_multi_index(tuple(indices), sparse_shape).astype(np.int64, copy=False)


def group_plan(keys):
    """How to sum entries by ``keys``: ``(order, starts, targets)``, where
    ``keys[order]`` is sorted, ``starts`` opens each run of equal keys and
    ``targets`` are the run's keys. A stable sort keeps equal keys in entry order.

    Example:
        >>> import numpy as np
        >>> from ndgrad.sparse.kernels import group_plan
        >>> [a.tolist() for a in group_plan(np.array([2, 0, 2, 1]))]
        [[1, 3, 0, 2], [0, 1, 2], [0, 1, 2]]
    """
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    if ordered.size == 0:
        return order, np.zeros(0, dtype=np.intp), ordered
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    return order, starts, ordered[starts]


class CoalescePlan:
    """Where each entry of an uncoalesced tensor goes when duplicates are summed.

    Attributes:
        order, starts: the sort and the runs of :func:`group_plan` on the positions.
        inverse: for each entry, the index of its coalesced entry.
        indices: the coalesced ``(S, n_unique)`` index array, in position order.

    Example:
        >>> import numpy as np
        >>> from ndgrad.sparse.coo_tensor import coalesce_plan
        >>> plan = coalesce_plan(np.array([[1, 0, 1], [2, 1, 2]]), (3, 3))
        >>> plan.indices.tolist(), plan.inverse.tolist()
        ([[0, 1], [1, 2]], [1, 0, 1])
    """

    __slots__ = ("order", "starts", "inverse", "indices")

    def __init__(self, order, starts, inverse, indices):
        self.order, self.starts, self.inverse, self.indices = order, starts, inverse, indices


def coalesce_plan(indices, sparse_shape):
    """The :class:`CoalescePlan` of an index array (see the class).

    Example:
        >>> import numpy as np
        >>> from ndgrad.sparse.coo_tensor import coalesce_plan
        >>> coalesce_plan(np.zeros((2, 0), dtype=np.int64), (2, 2)).indices.shape
        (2, 0)
    """
    order, starts, unique = group_plan(linear_positions(indices, sparse_shape))
    opens_run = np.zeros(order.size, dtype=bool)
    opens_run[starts] = True
    run_of_sorted = np.cumsum(opens_run) - 1
    inverse = np.empty(order.size, dtype=np.intp)
    inverse[order] = run_of_sorted
    coalesced = (np.stack(np.unravel_index(unique, sparse_shape)).astype(np.int64)
                 if unique.size else np.zeros((len(sparse_shape), 0), dtype=np.int64))
    return CoalescePlan(order, starts, inverse, coalesced)


@primitive(reads=())
def segment_sum(values, order, starts, inverse):
    """The entries of ``values`` summed per run of :func:`group_plan`
    (``coalesce``); ``inverse`` maps each entry to its run, for the gradient.

    Example:
        >>> from ndgrad.sparse.coo_tensor import segment_sum
        >>> import numpy as np
        >>> from ndgrad.sparse.coo_tensor import coalesce_plan
        >>> import ndgrad
        >>> plan = coalesce_plan(np.array([[1, 0, 1]]), (2,))
        >>> segment_sum(ndgrad.tensor([1.0, 2.0, 3.0]), order=plan.order,
        ...             starts=plan.starts, inverse=plan.inverse).tolist()
        [2.0, 4.0]
    """
    if order.size == 0:
        return values.copy()
    return np.add.reduceat(values[order], starts, axis=0, dtype=values.dtype)


@segment_sum.defvjp(arrays=True)
def _segment_sum_vjp(g, out, values, order, starts, inverse):
    return g[inverse]


@primitive(reads=())
def scatter_dense(values, positions, shape, sparse_dims, unique):
    """A dense array of ``shape`` holding ``values`` at the linear ``positions`` of
    its first ``sparse_dims`` dimensions; duplicates add up (unless ``unique``).

    Example:
        >>> import numpy as np
        >>> from ndgrad.sparse.coo_tensor import scatter_dense
        >>> import ndgrad
        >>> scatter_dense(ndgrad.tensor([1.0, 2.0, 3.0]), positions=np.array([0, 3, 0]),
        ...               shape=(2, 2), sparse_dims=2, unique=False).tolist()
        [[4.0, 0.0], [0.0, 2.0]]
    """
    cells = int(np.prod(shape[:sparse_dims], dtype=np.int64))
    flat = np.zeros((cells,) + tuple(shape[sparse_dims:]), dtype=values.dtype)
    if unique:
        flat[positions] = values
    else:
        np.add.at(flat, positions, values)
    return flat.reshape(shape)


@scatter_dense.defvjp
def _scatter_dense_vjp(g, out, values, positions, shape, sparse_dims, unique):
    return getitem(reshape(g, (-1,) + tuple(shape[sparse_dims:])), positions)


class Plans:
    """The :func:`group_plan` of the rows and of the columns of a sparse matrix,
    each made once when first asked for (a sparse tensor caches its own).

    Example:
        >>> import numpy as np
        >>> from ndgrad.sparse.coo_tensor import Plans
        >>> plans = Plans(np.array([1, 0]), np.array([0, 0]))
        >>> plans.rows[0].tolist(), plans.transposed().rows[0].tolist()
        ([1, 0], [0, 1])
    """

    __slots__ = ("row_keys", "col_keys", "_rows", "_cols")

    def __init__(self, row_keys, col_keys, rows=None, cols=None):
        self.row_keys, self.col_keys = row_keys, col_keys
        self._rows, self._cols = rows, cols

    @property
    def rows(self):
        """The plan grouping the entries by row."""
        if self._rows is None:
            self._rows = group_plan(self.row_keys)
        return self._rows

    @property
    def cols(self):
        """The plan grouping the entries by column."""
        if self._cols is None:
            self._cols = group_plan(self.col_keys)
        return self._cols

    def transposed(self):
        """The plans of the transposed matrix (rows and columns exchanged, shared)."""
        return _TransposedPlans(self)


class _TransposedPlans:
    __slots__ = ("base",)

    def __init__(self, base):
        self.base = base

    rows = property(lambda self: self.base.cols)
    cols = property(lambda self: self.base.rows)
    row_keys = property(lambda self: self.base.col_keys)
    col_keys = property(lambda self: self.base.row_keys)

    def transposed(self):
        return self.base


@primitive(reads=(0, 1))
def sparse_dense_matmul(values, dense, plans, n_rows):
    """``S @ dense`` for the 2-D sparse ``S`` with entries ``values`` at
    ``(plans.row_keys, plans.col_keys)``, ``dense`` of shape ``(m, k)``. The
    result has shape ``(n_rows, k)``.

    The sums run along the last axis of a C-ordered ``(k, nnz)`` array (the
    dense columns gathered per entry), where ``np.add.reduceat`` is several
    times faster than along the first axis of its transpose.

    Example:
        >>> from ndgrad.sparse.arithmetic import sparse_dense_matmul
        >>> import numpy as np
        >>> from ndgrad.sparse.coo_tensor import Plans
        >>> import ndgrad
        >>> plans = Plans(np.array([1, 0]), np.array([0, 0]))
        >>> sparse_dense_matmul(ndgrad.tensor([2.0, 5.0]), ndgrad.tensor([[1.0, 10.0]]),
        ...                     plans=plans, n_rows=3).tolist()
        [[5.0, 50.0], [2.0, 20.0], [0.0, 0.0]]
    """
    order, starts, targets = plans.rows
    dtype = np.result_type(values, dense)
    out = np.zeros((n_rows, dense.shape[1]), dtype=dtype)
    picked = plans.col_keys[order]
    if starts.size == order.size:       # one entry per row (a diagonal scaling): no sums
        out[targets] = dense[picked] * values[order, None]
    else:
        columns = np.ascontiguousarray(dense.T, dtype=dtype)
        gathered = np.empty((columns.shape[0], order.size), dtype=dtype)
        for column, row in zip(columns, gathered):     # one take per column: C-ordered
            np.take(column, picked, out=row)            # (fancy indexing is not, and slow)
        gathered *= values[order]
        out[targets] = np.add.reduceat(gathered, starts, axis=1, dtype=dtype).T
    return out


@sparse_dense_matmul.defvjp
def _sparse_dense_matmul_vjp(g, out, values, dense, plans, n_rows, needs):
    g_values = g_dense = None
    if needs[0]:
        g_values = reduce_sum(multiply(getitem(g, plans.row_keys),
                                       getitem(dense, plans.col_keys)), axis=1)
    if needs[1]:
        g_dense = sparse_dense_matmul(values, g, plans=plans.transposed(),
                                      n_rows=dense.shape[0])
    return g_values, g_dense
