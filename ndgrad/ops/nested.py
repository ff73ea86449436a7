"""Lists and tuples holding tensors, where an op takes an array-like
(issue 13 item 4): ``ndgrad.mean([a, a + 2])``, ``ndgrad.append([a, b], c)``,
``ndgrad.array([a, b])`` stack the entries with a differentiable ``stack``, so
each entry keeps its gradient. Lists of plain numbers convert as before.

NumPy's own functions cannot see tensors inside a plain list
(``np.mean([a, b])`` converts each entry with ``__array__``): that conversion
cuts the gradient and warns with the user's line; use ndgrad's function.

Example:
    >>> import ndgrad
    >>> a = ndgrad.Variable([1.0, 2.0])
    >>> ndgrad.mean([a, a * 3]).backward()
    >>> a.grad.tolist()
    [1.0, 1.0]
"""

from ..dtypes import as_dtype
from ..tensor import Tensor, as_tensor

__all__ = ["array", "asarray"]


def holds_tensor(value):
    """Whether a (nested) list or tuple holds an ndgrad tensor.

    Example:
        >>> from ndgrad.ops.nested import holds_tensor
        >>> import ndgrad
        >>> holds_tensor([1.0, [ndgrad.ones(1)]]), holds_tensor([[1.0], (2.0,)])
        (True, False)
    """
    for item in value:
        if isinstance(item, Tensor):
            return True
        if isinstance(item, (list, tuple)) and holds_tensor(item):
            return True
    return False


def stack_nested(value, dtype=None):
    """A (nested) list or tuple of tensors and numbers as one tensor, stacked
    by differentiable ops so every entry keeps its gradient.

    Example:
        >>> from ndgrad.ops.nested import stack_nested
        >>> import ndgrad
        >>> stack_nested([ndgrad.ones(2), [3.0, 4.0]]).tolist()
        [[1.0, 1.0], [3.0, 4.0]]
    """
    from .join import stack
    if isinstance(value, Tensor):
        out = value
    elif isinstance(value, (list, tuple)) and holds_tensor(value):
        entries = [stack_nested(item) for item in value]
        shapes = {entry.shape for entry in entries}
        if len(shapes) > 1:
            raise ValueError(f"a list of tensors must hold entries of one shape to become "
                             f"a tensor; got shapes {sorted(shapes)}")
        out = stack(entries)
    else:
        out = as_tensor(value)
    if dtype is not None and out.dtype != as_dtype(dtype):
        out = out.astype(dtype)
    return out


def array(object, dtype=None, copy=True):
    """A tensor from array-like data, as ``numpy.array``; tensors inside lists
    keep their gradients (use this, not ``np.array``, on lists of tensors).

    Example:
        >>> import ndgrad
        >>> a = ndgrad.Variable(1.0); b = ndgrad.Variable(2.0)
        >>> (ndgrad.array([a, b]) * ndgrad.array([3.0, 4.0])).sum().backward()
        >>> a.grad.item(), b.grad.item()
        (3.0, 4.0)
    """
    from .cast import copy as copy_op
    out = stack_nested(object, dtype)
    if copy and isinstance(object, Tensor) and out is object:
        out = copy_op(out)
    return out


def asarray(a, dtype=None):
    """``a`` as a tensor without copying when it is one, as ``numpy.asarray``;
    tensors inside lists keep their gradients.

    Example:
        >>> import ndgrad
        >>> t = ndgrad.ones(2); ndgrad.asarray(t) is t
        True
    """
    return stack_nested(a, dtype)
