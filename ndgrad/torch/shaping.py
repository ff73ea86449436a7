"""Joining, reshaping, indexing and products with PyTorch's signatures.

``torch.cat(tensors, dim=0)``, ``torch.flatten(x, 1)``, ``torch.transpose(x, 0, 1)``,
``torch.split(x, 2)`` and the like. Where PyTorch's function is the tensor
method (``flatten``, ``transpose``, ``split``, ``gather``, ...) it calls the
method (one meaning, in the Tensor class); the others adapt core ops
(``dim`` for ``axis``, ``dims`` for ``axes``). Everything is differentiable.

Example:
    >>> import ndgrad.torch as torch
    >>> a, b = torch.zeros(2, 3), torch.ones(2, 3)
    >>> torch.cat([a, b], dim=1).shape, torch.stack([a, b]).shape
    ((2, 6), (2, 2, 3))
"""

import numpy as np

from .. import ops
from ..tensor import Tensor, as_tensor
from ._arguments import refuse_out
from ._delegate import method_functions

_X = "torch.arange(6).reshape(2, 3)"

DELEGATED = method_functions(__name__, [
    ("flatten", "the dims ``start_dim`` .. ``end_dim`` merged into one",
     "torch.flatten(torch.zeros(2, 3, 4), 1).shape", "(2, 12)"),
    ("transpose", "dims ``dim0`` and ``dim1`` swapped",
     f"torch.transpose({_X}, 0, 1).tolist()", "[[0, 3], [1, 4], [2, 5]]"),
    ("permute", "the dims reordered as ``dims``",
     "torch.permute(torch.zeros(2, 3, 4), (2, 0, 1)).shape", "(4, 2, 3)"),
    ("t", "a 2-D tensor transposed (1-D and 0-D as they are)",
     f"torch.t({_X}).shape", "(3, 2)"),
    ("squeeze", "size-1 dims removed (only ``dim`` when given)",
     "torch.squeeze(torch.zeros(2, 1, 3)).shape", "(2, 3)"),
    ("unsqueeze", "a size-1 dim inserted at ``dim``",
     "torch.unsqueeze(torch.zeros(2, 3), 1).shape", "(2, 1, 3)"),
    ("split", "pieces of ``split_size`` along ``dim`` (or of the listed sizes)",
     "[t.tolist() for t in torch.split(torch.arange(5), 2)]", "[[0, 1], [2, 3], [4]]"),
    ("chunk", "``chunks`` nearly equal pieces along ``dim``",
     "[t.shape for t in torch.chunk(torch.zeros(6, 2), 3)]", "[(2, 2), (2, 2), (2, 2)]"),
    ("unbind", "the slices along ``dim``, as a tuple",
     f"[t.tolist() for t in torch.unbind({_X})]", "[[0, 1, 2], [3, 4, 5]]"),
    ("narrow", "``length`` elements from ``start`` along ``dim``",
     f"torch.narrow({_X}, 1, 1, 2).tolist()", "[[1, 2], [4, 5]]"),
    ("gather", "values picked along ``dim`` by ``index``",
     f"torch.gather({_X}, 1, torch.tensor([[2], [0]])).tolist()", "[[2], [3]]"),
    ("index_select", "the entries of ``index`` along ``dim``",
     f"torch.index_select({_X}, 1, torch.tensor([0, 2])).tolist()", "[[0, 2], [3, 5]]"),
    ("masked_fill", "``value`` where ``mask`` is True",
     "torch.masked_fill(torch.zeros(3), torch.tensor([True, False, True]), 1.0).tolist()",
     "[1.0, 0.0, 1.0]"),
    ("mm", "the product of two matrices",
     "torch.mm(torch.ones(2, 3), torch.ones(3, 4)).shape", "(2, 4)"),
    ("bmm", "batched matrix products",
     "torch.bmm(torch.ones(5, 2, 3), torch.ones(5, 3, 4)).shape", "(5, 2, 4)"),
    ("clone", "a copy that stays in the graph", "torch.clone(torch.ones(2)).tolist()",
     "[1.0, 1.0]"),
    ("detach", "the same values, cut from the graph",
     "torch.detach(torch.ones(1, requires_grad=True)).requires_grad", "False"),
    ("movedim", "dims moved from ``source`` to ``destination`` (ints or sequences)",
     "torch.movedim(torch.zeros(2, 3, 4), 0, -1).shape", "(3, 4, 2)"),
    ("swapaxes", "two dims swapped (also ``torch.swapdims``)",
     "torch.swapaxes(torch.zeros(2, 3, 4), 0, 2).shape", "(4, 3, 2)"),
    ("masked_select", "the elements where ``mask`` (broadcast) is True, as a 1-D tensor",
     "torch.masked_select(torch.arange(4), torch.tensor([True, False, True, False])).tolist()",
     "[0, 2]"),
    ("flip", "the order reversed along each of ``dims``",
     "torch.flip(torch.arange(4).reshape(2, 2), [0, 1]).tolist()", "[[3, 2], [1, 0]]"),
    ("roll", "elements shifted cyclically by ``shifts`` along ``dims`` (flattened when None)",
     "torch.roll(torch.arange(4), 1).tolist()", "[3, 0, 1, 2]"),
    ("tril", "the lower triangle (on and below ``diagonal``), zeros elsewhere",
     "torch.tril(torch.ones(2, 2)).tolist()", "[[1.0, 0.0], [1.0, 1.0]]"),
    ("triu", "the upper triangle (on and above ``diagonal``), zeros elsewhere",
     "torch.triu(torch.ones(2, 2), diagonal=1).tolist()", "[[0.0, 1.0], [0.0, 0.0]]"),
    ("diag", "a 1-D tensor as a diagonal matrix, or a matrix's diagonal as a 1-D tensor",
     "torch.diag(torch.tensor([1, 2])).tolist()", "[[1, 0], [0, 2]]"),
    ("diagonal", "the diagonal of the matrices in dims ``dim1`` and ``dim2``",
     "torch.diagonal(torch.arange(4).reshape(2, 2)).tolist()", "[0, 3]"),
    ("repeat_interleave", "each element repeated ``repeats`` times along ``dim`` "
     "(flattened when None)", "torch.repeat_interleave(torch.tensor([1, 2]), 2).tolist()",
     "[1, 1, 2, 2]"),
    ("take", "the elements of the flattened tensor at ``index``",
     f"torch.take({_X}, torch.tensor([0, 5])).tolist()", "[0, 5]"),
    ("unflatten", "dim ``dim`` split into ``sizes``",
     "torch.unflatten(torch.zeros(2, 6), 1, (2, 3)).shape", "(2, 2, 3)"),
    ("index_add", "``source`` (times ``alpha``) added at ``index`` along ``dim``",
     "torch.index_add(torch.zeros(3), 0, torch.tensor([0, 0]), torch.ones(2)).tolist()",
     "[2.0, 0.0, 0.0]"),
    ("scatter", "``src`` (or ``value``) written at ``index`` along ``dim``",
     "torch.scatter(torch.zeros(3), 0, torch.tensor([2]), torch.ones(1)).tolist()",
     "[0.0, 0.0, 1.0]"),
    ("scatter_add", "``src`` added at ``index`` along ``dim``",
     "torch.scatter_add(torch.zeros(2), 0, torch.tensor([1, 1]), torch.ones(2)).tolist()",
     "[0.0, 2.0]"),
    ("mv", "a matrix times a vector",
     "torch.mv(torch.eye(2), torch.tensor([1.0, 2.0])).tolist()", "[1.0, 2.0]"),
])
globals().update(DELEGATED)
__test__ = dict(DELEGATED)
swapdims = DELEGATED["swapaxes"]
moveaxis = DELEGATED["movedim"]

# Same meaning and arguments as the core op.
SAME_AS_CORE = ("reshape", "matmul", "outer", "kron", "tensordot", "inner", "vdot", "trace",
                "broadcast_to", "hstack", "vstack", "dstack", "column_stack", "row_stack",
                "atleast_1d", "atleast_2d", "atleast_3d", "fliplr", "flipud", "ravel",
                "hsplit", "vsplit", "dsplit")
globals().update({name: getattr(ops, name) for name in SAME_AS_CORE})

__all__ = [*DELEGATED, *SAME_AS_CORE, "swapdims", "moveaxis", "cat", "concat", "concatenate",
           "stack", "tensor_split", "take_along_dim", "rot90", "tile", "broadcast_tensors",
           "broadcast_shapes", "meshgrid", "einsum", "dot", "ger", "addmm", "diff", "cross",
           "triu_indices", "tril_indices"]


def cat(tensors, dim=0, *, out=None, axis=None):
    """The tensors joined along an existing ``dim``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.cat((torch.zeros(1, 2), torch.ones(1, 2))).tolist()
        [[0.0, 0.0], [1.0, 1.0]]
    """
    refuse_out("torch.cat", out)
    return ops.concatenate(list(tensors), axis=dim if axis is None else axis)


concat = concatenate = cat


def stack(tensors, dim=0, *, out=None):
    """The tensors (of one shape) joined along a new ``dim``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.stack([torch.zeros(3), torch.ones(3)], dim=1).shape
        (3, 2)
    """
    refuse_out("torch.stack", out)
    return ops.stack(list(tensors), axis=dim)


def tensor_split(input, indices_or_sections, dim=0):
    """``sections`` nearly equal pieces, or pieces split at the given indices.

    Example:
        >>> import ndgrad.torch as torch
        >>> [t.tolist() for t in torch.tensor_split(torch.arange(5), 2)]
        [[0, 1, 2], [3, 4]]
    """
    return tuple(ops.array_split(input, indices_or_sections, axis=dim))


def take_along_dim(input, indices, dim=None):
    """Values at ``indices`` along ``dim`` (of the flattened tensor when None).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.take_along_dim(torch.tensor([[10, 30, 20]]), torch.tensor([[1]]), dim=1).tolist()
        [[30]]
    """
    if dim is None:
        return as_tensor(input).reshape(-1).take_along_dim(as_tensor(indices).reshape(-1), 0)
    return as_tensor(input).take_along_dim(indices, dim)


def _dims(dims):
    return tuple(dims) if isinstance(dims, (tuple, list)) else dims


def rot90(input, k=1, dims=(0, 1)):
    """Rotated by 90 degrees ``k`` times in the plane of ``dims``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.rot90(torch.tensor([[1, 2], [3, 4]])).tolist()
        [[2, 4], [1, 3]]
    """
    return ops.rot90(input, k, axes=tuple(dims))


def tile(input, dims):
    """``input`` repeated as tiles, ``dims[i]`` times along dim ``i``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.tile(torch.tensor([1, 2]), (2,)).tolist()
        [1, 2, 1, 2]
    """
    return ops.tile(input, tuple(dims))


def broadcast_tensors(*tensors):
    """The tensors broadcast to one shape.

    Example:
        >>> import ndgrad.torch as torch
        >>> [t.shape for t in torch.broadcast_tensors(torch.zeros(2, 1), torch.zeros(3))]
        [(2, 3), (2, 3)]
    """
    return tuple(ops.broadcast_arrays(*tensors))


def broadcast_shapes(*shapes):
    """The shape that the given shapes broadcast to.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.broadcast_shapes((2, 1), (3,))
        (2, 3)
    """
    return tuple(np.broadcast_shapes(*[(s,) if isinstance(s, int) else tuple(s)
                                       for s in shapes]))


def _operands(operands):
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        return tuple(operands[0])
    return operands


def meshgrid(*tensors, indexing="ij"):
    """Coordinate grids from 1-D tensors; ``indexing="ij"`` (PyTorch's default)
    or ``"xy"``.

    Example:
        >>> import ndgrad.torch as torch
        >>> [g.shape for g in torch.meshgrid(torch.arange(2), torch.arange(3))]
        [(2, 3), (2, 3)]
    """
    return tuple(ops.meshgrid(*_operands(tensors), indexing=indexing))


def einsum(equation, *operands):
    """Einstein summation (``"ij,jk->ik"``); operands as arguments or one list.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.einsum("ij,jk->ik", [torch.ones(2, 3), torch.ones(3, 2)]).tolist()
        [[3.0, 3.0], [3.0, 3.0]]
    """
    return ops.einsum(equation, *_operands(operands))


def dot(input, other, *, out=None):
    """The inner product of two 1-D tensors.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.dot(torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])).item()
        11.0
    """
    refuse_out("torch.dot", out)
    if np.ndim(input) != 1 or np.ndim(other) != 1:
        raise RuntimeError(f"torch.dot: expects 1-D tensors; got shapes {np.shape(input)} "
                           f"and {np.shape(other)} (use torch.matmul for matrices)")
    return ops.dot(input, other)


def ger(input, vec2):
    """The outer product of two 1-D tensors (``torch.outer``'s old name).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.ger(torch.tensor([1, 2]), torch.tensor([3, 4])).tolist()
        [[3, 4], [6, 8]]
    """
    return ops.outer(input, vec2)


def addmm(input, mat1, mat2, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * (mat1 @ mat2)``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.addmm(torch.ones(2, 2), torch.eye(2), torch.eye(2), beta=2).tolist()
        [[3.0, 2.0], [2.0, 3.0]]
    """
    refuse_out("torch.addmm", out)
    product = ops.matmul(mat1, mat2)
    if alpha != 1:
        product = ops.multiply(product, alpha)
    return ops.add(input if beta == 1 else ops.multiply(input, beta), product)


def diff(input, n=1, dim=-1, prepend=None, append=None):
    """The ``n``-th forward difference along ``dim`` (with ``prepend``/``append``
    joined first).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.diff(torch.tensor([1, 4, 9, 16])).tolist()
        [3, 5, 7]
    """
    return ops.diff(input, n, axis=dim, prepend=prepend, append=append)


def cross(input, other, dim=None):
    """The cross product of 3-vectors along ``dim`` (when None, PyTorch's default:
    the first dim of size 3).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.cross(torch.tensor([[1.0, 0.0, 0.0]]), torch.tensor([[0.0, 1.0, 0.0]])).tolist()
        [[0.0, 0.0, 1.0]]
    """
    from ..linalg import cross as _cross
    if dim is None:
        sizes = np.broadcast_shapes(np.shape(input), np.shape(other))
        if 3 not in sizes:
            raise RuntimeError(f"torch.cross: no dimension of size 3 in shape {sizes}")
        dim = sizes.index(3)
    return _cross(input, other, axis=dim)


def _triangle_indices(numpy_function, row, col, offset):
    rows, cols = numpy_function(row, offset, col)
    return Tensor._wrap(np.stack([rows, cols]).astype(np.int64))


def triu_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """The ``(2, N)`` row and column indices of the upper triangle of a ``row`` by
    ``col`` matrix (on and above diagonal ``offset``).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.triu_indices(2, 2).tolist()
        [[0, 0, 1], [0, 1, 1]]
    """
    return _triangle_indices(np.triu_indices, row, col, offset)


def tril_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """The ``(2, N)`` row and column indices of the lower triangle (on and below
    diagonal ``offset``).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.tril_indices(2, 2).tolist()
        [[0, 1, 1], [0, 0, 1]]
    """
    return _triangle_indices(np.tril_indices, row, col, offset)
