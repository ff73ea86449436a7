"""Products of arrays: ``matmul``, ``dot``, ``tensordot`` and the rest of NumPy's family.

The gradient of ``x @ y`` is ``g @ y^T`` for ``x`` and ``x^T @ g`` for ``y``,
each computed only when needed; batch broadcasting is undone by the engine.
1-D operands are promoted to matrices for the rule, as NumPy does for the
product. ``dot``, ``inner`` and ``vdot`` are one primitive, ``tensordot``,
whose gradient for each operand is another ``tensordot`` followed by a
transpose back to the operand's axis order. ``outer``, ``kron`` and ``cross``
are built from broadcasting products and need no rule of their own.
``einsum`` and the diagonal ops (``trace``, ``diag``, ``diagonal``) live in
``einstein_sum.py`` and ``diagonals.py`` and are exported from here.

Example:
    >>> import ndgrad
    >>> W = ndgrad.Variable([[1.0, 2.0], [3.0, 4.0]])
    >>> x = ndgrad.tensor([1.0, 1.0])
    >>> (x @ W).sum().backward()
    >>> W.grad.tolist()
    [[1.0, 1.0], [1.0, 1.0]]
"""

import numpy as np

from ..autograd.primitive import as_input, data_of, primitive
from ..errors import shape_error
from ..numpy_api import implements
from .arithmetic import multiply, subtract
from .complex_numbers import conj_of, differentiates_complex
from .diagonals import diag, diagonal, trace  # noqa: F401  (exported here)
from .einstein_sum import einsum  # noqa: F401  (exported here)
from .index import getitem
from .join import stack
from .shape import expand_dims, moveaxis, reshape, swapaxes, transpose

__all__ = ["matmul", "dot", "vdot", "inner", "outer", "tensordot", "einsum", "trace", "diag",
           "diagonal", "kron", "cross"]


def _check_matmul(x, y):
    xs, ys = np.shape(x), np.shape(y)
    if not xs or not ys:
        raise shape_error("matmul", [x, y], "matmul needs arrays with at least one "
                          "dimension; use multiply (*) for scalars")
    inner_x = xs[-1]
    inner_y = ys[-2] if len(ys) > 1 else ys[0]
    if inner_x != inner_y:
        raise shape_error(
            "matmul", [x, y],
            f"shapes {tuple(xs)} and {tuple(ys)} are not aligned: the last dimension of the "
            f"first ({inner_x}) must equal the {'second-to-last' if len(ys) > 1 else 'only'} "
            f"dimension of the second ({inner_y}). Transpose an operand or fix its shape")


@implements(np.matmul)
@primitive
def matmul(x, y):
    """The matrix product ``x @ y`` with NumPy's rules for 1-D and batched operands.

    Example:
        >>> import ndgrad
        >>> ndgrad.matmul(ndgrad.ones((2, 3)), ndgrad.ones((3, 4))).shape
        (2, 4)
    """
    try:
        return np.matmul(x, y)
    except ValueError:
        _check_matmul(x, y)
        raise


@matmul.defvjp
def _matmul_vjp(g, out, x, y, needs):
    x_vector, y_vector = x.ndim == 1, y.ndim == 1
    # The column axis first: with two vectors g is a scalar and becomes (1, 1).
    if y_vector:
        y = reshape(y, y.shape + (1,))
        g = expand_dims(g, -1)
    if x_vector:
        x = reshape(x, (1,) + x.shape)
        g = expand_dims(g, -2)
    if g.dtype.kind == "c":                     # g @ y^H and x^H @ g
        x, y = conj_of(x), conj_of(y)
    gx = gy = None
    if needs[0]:
        gx = matmul(g, swapaxes(y, -1, -2))
        if x_vector:
            gx = _drop_axis(gx, -2)
    if needs[1]:
        gy = matmul(swapaxes(x, -1, -2), g)
        if y_vector:
            gy = _drop_axis(gy, -1)
    return gx, gy


def _drop_axis(t, axis):
    shape = list(t.shape)
    del shape[axis]
    return reshape(t, tuple(shape))


@primitive(name="tensordot")
def _tensordot(a, b, axes_a, axes_b):
    return np.tensordot(a, b, axes=(axes_a, axes_b))


@_tensordot.defvjp
def _tensordot_vjp(g, out, a, b, axes_a, axes_b, needs):
    free_a = [i for i in range(a.ndim) if i not in axes_a]
    free_b = [i for i in range(b.ndim) if i not in axes_b]
    if g.dtype.kind == "c":                     # contract with the conjugates
        a, b = conj_of(a), conj_of(b)
    ga = gb = None
    if needs[0]:
        # tensordot leaves b's contracted axes in b's order; map them to a's axes.
        part = _tensordot(g, b, axes_a=tuple(range(len(free_a), g.ndim)), axes_b=tuple(free_b))
        source = free_a + [axes_a[j] for j in np.argsort(axes_b)]
        ga = _transpose_back(part, source)
    if needs[1]:
        part = _tensordot(a, g, axes_a=tuple(free_a), axes_b=tuple(range(len(free_a))))
        source = [axes_b[j] for j in np.argsort(axes_a)] + free_b
        gb = _transpose_back(part, source)
    return ga, gb


differentiates_complex(matmul, _tensordot)


def _transpose_back(t, source):
    """``t`` whose axis k is the operand's axis ``source[k]``, in the operand's order."""
    order = tuple(int(i) for i in np.argsort(source))
    return t if order == tuple(range(len(order))) else transpose(t, order)


def _shapes(*values):
    return [np.shape(data_of(v)) for v in values]


def _operands(a, b):
    """``a`` and ``b`` as tensors or arrays; a Python number takes the other's
    dtype as in NumPy's promotion (``2.0`` with float32 stays float32)."""
    a, b = as_input(a), as_input(b)
    if isinstance(a, (int, float)):
        a = np.asarray(a, dtype=np.result_type(a, _dtype(b)))
    if isinstance(b, (int, float)):
        b = np.asarray(b, dtype=np.result_type(b, _dtype(a)))
    return a, b


def _dtype(value):
    return value.dtype if hasattr(value, "dtype") else np.result_type(value)


def _contract(name, a, b, axes_a, axes_b):
    """``tensordot`` over the given axes, refusing mismatched sizes with ``name``."""
    sa, sb = _shapes(a, b)
    for i, j in zip(axes_a, axes_b):
        if sa[i] != sb[j]:
            raise shape_error(
                name, [data_of(a), data_of(b)],
                f"shapes {sa} and {sb} are not aligned: dimension {i} of the first "
                f"({sa[i]}) must equal dimension {j} of the second ({sb[j]})")
    return _tensordot(a, b, axes_a=tuple(axes_a), axes_b=tuple(axes_b))


@implements(np.tensordot)
def tensordot(a, b, axes=2):
    """Sum products over the given axes: the last ``axes`` of ``a`` with the
    first ``axes`` of ``b``, or the axes in a pair of sequences.

    Example:
        >>> import ndgrad
        >>> ndgrad.tensordot(ndgrad.ones((2, 3, 4)), ndgrad.ones((3, 4, 5)), axes=2).shape
        (2, 5)
        >>> ndgrad.tensordot(ndgrad.ones((3, 2)), ndgrad.ones((3,)), axes=([0], [0])).tolist()
        [3.0, 3.0]
    """
    a, b = _operands(a, b)
    sa, sb = _shapes(a, b)
    if isinstance(axes, (int, np.integer)):
        count = int(axes)
        if count < 0 or count > len(sa) or count > len(sb):
            raise shape_error("tensordot", [data_of(a), data_of(b)],
                              f"cannot contract {count} axes of shapes {sa} and {sb}")
        axes_a, axes_b = list(range(len(sa) - count, len(sa))), list(range(count))
    else:
        axes_a, axes_b = ([int(part)] if isinstance(part, (int, np.integer))
                          else [int(i) for i in part] for part in axes)
        if len(axes_a) != len(axes_b):
            raise shape_error("tensordot", [data_of(a), data_of(b)],
                              f"axes {axes_a} and {axes_b} differ in length")
        if any(not -len(sa) <= i < len(sa) for i in axes_a) or any(
                not -len(sb) <= j < len(sb) for j in axes_b):
            raise shape_error("tensordot", [data_of(a), data_of(b)],
                              f"axes {axes} are out of range for shapes {sa} and {sb}")
        axes_a, axes_b = [i % len(sa) for i in axes_a], [j % len(sb) for j in axes_b]
    if not axes_a and (not sa or not sb):
        return multiply(a, b)
    return _contract("tensordot", a, b, axes_a, axes_b)


@implements(np.dot)
def dot(a, b):
    """The dot product: for N-D arrays, a sum over the last axis of ``a`` and
    the second-to-last of ``b`` (the only one when ``b`` is 1-D).

    Example:
        >>> import ndgrad
        >>> ndgrad.dot(ndgrad.tensor([1.0, 2.0]), ndgrad.tensor([3.0, 4.0])).item()
        11.0
        >>> ndgrad.dot(ndgrad.ones((2, 3, 4)), ndgrad.ones((5, 4, 6))).shape
        (2, 3, 5, 6)
    """
    a, b = _operands(a, b)
    sa, sb = _shapes(a, b)
    if not sa or not sb:
        return multiply(a, b)
    return _contract("dot", a, b, [len(sa) - 1], [max(len(sb) - 2, 0)])


@implements(np.inner)
def inner(a, b):
    """The inner product over the last axes of ``a`` and ``b``.

    Example:
        >>> import ndgrad
        >>> ndgrad.inner(ndgrad.ones((2, 3)), ndgrad.ones((4, 3))).shape
        (2, 4)
    """
    a, b = _operands(a, b)
    sa, sb = _shapes(a, b)
    if not sa or not sb:
        return multiply(a, b)
    return _contract("inner", a, b, [len(sa) - 1], [len(sb) - 1])


@implements(np.vdot)
def vdot(a, b):
    """The dot product of ``a`` and ``b`` flattened; a complex ``a`` is conjugated first
    (as NumPy's ``vdot``).

    Example:
        >>> import ndgrad
        >>> ndgrad.vdot(ndgrad.ones((2, 2)), ndgrad.tensor([1.0, 2.0, 3.0, 4.0])).item()
        10.0
    """
    a, b = _operands(a, b)
    sa, sb = _shapes(a, b)
    if int(np.prod(sa)) != int(np.prod(sb)):
        raise shape_error("vdot", [data_of(a), data_of(b)],
                          f"shapes {sa} and {sb} have different numbers of elements")
    a = conj_of(as_input(a))                    # NumPy's vdot conjugates the first argument
    return _tensordot(reshape(a, (-1,)), reshape(b, (-1,)), axes_a=(0,), axes_b=(0,))


@implements(np.outer)
def outer(a, b):
    """The outer product of ``a`` and ``b`` flattened: ``out[i, j] = a[i] * b[j]``.

    Example:
        >>> import ndgrad
        >>> ndgrad.outer(ndgrad.tensor([1.0, 2.0]), ndgrad.tensor([3.0, 4.0, 5.0])).tolist()
        [[3.0, 4.0, 5.0], [6.0, 8.0, 10.0]]
    """
    a, b = _operands(a, b)
    return multiply(reshape(a, (-1, 1)), reshape(b, (1, -1)))


@implements(np.kron)
def kron(a, b):
    """The Kronecker product: blocks of ``b`` scaled by each element of ``a``.

    Example:
        >>> import ndgrad
        >>> ndgrad.kron(ndgrad.tensor([1.0, 2.0]), ndgrad.tensor([1.0, 10.0])).tolist()
        [1.0, 10.0, 2.0, 20.0]
    """
    a, b = _operands(a, b)
    sa, sb = _shapes(a, b)
    ndim = max(len(sa), len(sb))
    sa = (1,) * (ndim - len(sa)) + tuple(sa)
    sb = (1,) * (ndim - len(sb)) + tuple(sb)
    # Interleave the axes, a's outer and b's inner: a[i, j] * b[k, l] at [i, k, j, l].
    spread_a = reshape(a, tuple(n for m in sa for n in (m, 1)))
    spread_b = reshape(b, tuple(n for m in sb for n in (1, m)))
    return reshape(multiply(spread_a, spread_b), tuple(m * n for m, n in zip(sa, sb)))


@implements(np.cross)
def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """The cross product of 3-component vectors along an axis (2-component
    vectors count as having a zero third component; two of them give the
    third component only, as in NumPy).

    Example:
        >>> import ndgrad
        >>> ndgrad.cross(ndgrad.tensor([1.0, 0.0, 0.0]), ndgrad.tensor([0.0, 1.0, 0.0])).tolist()
        [0.0, 0.0, 1.0]
    """
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = _operands(a, b)
    sa, sb = _shapes(a, b)
    if not sa or not sb or sa[axisa] not in (2, 3) or sb[axisb] not in (2, 3):
        raise shape_error("cross", [data_of(a), data_of(b)],
                          f"shapes {sa} and {sb}: the vectors along axisa={axisa} and "
                          f"axisb={axisb} must have 2 or 3 components")
    a, b = moveaxis(a, axisa, -1), moveaxis(b, axisb, -1)
    a0, a1, a2 = _components(a)
    b0, b1, b2 = _components(b)
    if a2 is None and b2 is None:
        return subtract(a0 * b1, a1 * b0)
    parts = [_times(a1, b2) - _times(a2, b1), _times(a2, b0) - _times(a0, b2), a0 * b1 - a1 * b0]
    return moveaxis(stack(parts, axis=-1), -1, axisc)


def _components(v):
    count = np.shape(data_of(v))[-1]
    parts = [getitem(v, (Ellipsis, i)) for i in range(count)]
    return parts + [None] * (3 - count)


def _times(x, y):
    """``x * y`` where ``None`` stands for a zero component."""
    if x is None or y is None:
        other = y if x is None else x
        return other * 0
    return x * y

