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
  (sorted once, ``np.add.reduceat``). Gradients: ``S^T @ g`` for the dense
  operand (the same kernel with rows and columns exchanged) and, for each
  stored value, ``g[row] . dense[col]``, which is PyTorch's gradient on the
  nonzeros only (``torch.sparse.mm``).

The rules are written with ndgrad ops, so gradients of gradients work.

Example:
    >>> import numpy as np, ndgrad
    >>> rows, cols = np.array([0, 1, 1]), np.array([1, 0, 1])
    >>> values = ndgrad.tensor([2.0, 3.0, 4.0], requires_grad=True)
    >>> out = sparse_dense_matmul(values, ndgrad.ones((2, 2)), rows=rows, cols=cols,
    ...                           plan=group_plan(rows), n_rows=2)
    >>> out.tolist()
    [[2.0, 2.0], [7.0, 7.0]]
    >>> out.sum().backward(); values.grad.tolist()
    [2.0, 2.0, 2.0]
"""

import numpy as np

from ..autograd.primitive import primitive
from ..ops import getitem, multiply, reshape, sum as reduce_sum

__all__ = ["linear_positions", "group_plan", "CoalescePlan", "coalesce_plan", "segment_sum",
           "scatter_dense", "sparse_dense_matmul"]


def linear_positions(indices, sparse_shape):
    """The row-major offset of each index column in ``sparse_shape`` (int64).

    Example:
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


@primitive(reads=(0, 1))
def sparse_dense_matmul(values, dense, rows, cols, plan, n_rows):
    """``S @ dense`` for the 2-D sparse ``S`` with entries ``values`` at
    ``(rows, cols)``, ``dense`` of shape ``(m, k)``; ``plan`` is
    ``group_plan(rows)``. The result has shape ``(n_rows, k)``.

    Example:
        >>> import ndgrad
        >>> rows = np.array([1, 0]); cols = np.array([0, 0])
        >>> sparse_dense_matmul(ndgrad.tensor([2.0, 5.0]), ndgrad.tensor([[1.0, 10.0]]),
        ...                     rows=rows, cols=cols, plan=group_plan(rows), n_rows=3).tolist()
        [[5.0, 50.0], [2.0, 20.0], [0.0, 0.0]]
    """
    order, starts, targets = plan
    out = np.zeros((n_rows, dense.shape[1]), dtype=np.result_type(values, dense))
    if order.size:
        scaled = dense[cols[order]] * values[order, None]
        out[targets] = np.add.reduceat(scaled, starts, axis=0, dtype=out.dtype)
    return out


@sparse_dense_matmul.defvjp
def _sparse_dense_matmul_vjp(g, out, values, dense, rows, cols, plan, n_rows, needs):
    g_values = g_dense = None
    if needs[0]:
        g_values = reduce_sum(multiply(getitem(g, rows), getitem(dense, cols)), axis=1)
    if needs[1]:
        g_dense = sparse_dense_matmul(values, g, rows=cols, cols=rows, plan=group_plan(cols),
                                      n_rows=dense.shape[0])
    return g_values, g_dense
