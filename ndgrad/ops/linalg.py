"""Matrix products: ``matmul`` in all of NumPy's 1-D and batched cases.

The gradient of ``x @ y`` is ``g @ y^T`` for ``x`` and ``x^T @ g`` for ``y``,
each computed only when needed; batch broadcasting is undone by the engine.
1-D operands are promoted to matrices for the rule, as NumPy does for the
product.

Example:
    >>> import ndgrad
    >>> W = ndgrad.Variable([[1.0, 2.0], [3.0, 4.0]])
    >>> x = ndgrad.tensor([1.0, 1.0])
    >>> (x @ W).sum().backward()
    >>> W.grad.tolist()
    [[1.0, 1.0], [1.0, 1.0]]
"""

import numpy as np

from ..autograd.primitive import primitive
from ..errors import shape_error
from ..numpy_api import implements
from .shape import expand_dims, reshape, swapaxes

__all__ = ["matmul"]


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
    if x_vector:
        x = reshape(x, (1,) + x.shape)
        g = expand_dims(g, -2)
    if y_vector:
        y = reshape(y, y.shape + (1,))
        g = expand_dims(g, -1)
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
