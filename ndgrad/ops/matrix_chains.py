"""Chains of matrix products (``numpy.linalg``): ``matrix_power`` and ``multi_dot``.

Both are products of ``matmul``, so they need no rule of their own:
``matrix_power`` squares and multiplies (``log2(n)`` products; a negative
power starts from the inverse), and ``multi_dot`` multiplies in the order with
the fewest scalar multiplications, found by dynamic programming.

Example:
    >>> import ndgrad
    >>> a = ndgrad.Variable([[1.0, 1.0], [0.0, 1.0]])
    >>> ndgrad.linalg.matrix_power(a, 2).sum().backward()
    >>> a.grad.tolist()
    [[3.0, 2.0], [4.0, 3.0]]
"""

import numpy as np

from ..autograd.primitive import as_input, data_of
from ..errors import shape_error
from ..numpy_api import implements
from .linalg import matmul
from .linear_systems import _check_square, inv
from .selection import where
from .shape import reshape

__all__ = ["matrix_power", "multi_dot"]


@implements(np.linalg.matrix_power)
def matrix_power(a, n):
    """``a`` multiplied by itself ``n`` times (batched; ``n < 0`` uses the inverse).

    Example:
        >>> import ndgrad
        >>> ndgrad.linalg.matrix_power(ndgrad.tensor([[1.0, 1.0], [0.0, 1.0]]), 3).tolist()
        [[1.0, 3.0], [0.0, 1.0]]
    """
    a = as_input(a)
    _check_square("matrix_power", a)
    if int(n) != n:
        raise TypeError(f"matrix_power: the exponent must be an integer, got {n!r}")
    n = int(n)
    if n == 0:   # the identity, kept in the graph with a zero gradient, as a ** 0
        data = data_of(a)
        return where(np.ones(data.shape, dtype=bool), np.eye(data.shape[-1], dtype=data.dtype), a)
    base = inv(a) if n < 0 else a
    result = None
    n = abs(n)
    while n:   # square-and-multiply: log2(n) products
        if n & 1:
            result = base if result is None else matmul(result, base)
        n >>= 1
        if n:
            base = matmul(base, base)
    return result


def _chain_order(dimensions):
    """Where to split each sub-chain for the cheapest product (dynamic programming)."""
    count = len(dimensions) - 1
    cost = [[0] * count for _ in range(count)]
    split = [[0] * count for _ in range(count)]
    for length in range(1, count):
        for i in range(count - length):
            j = i + length
            cost[i][j] = None
            for k in range(i, j):
                c = (cost[i][k] + cost[k + 1][j]
                     + dimensions[i] * dimensions[k + 1] * dimensions[j + 1])
                if cost[i][j] is None or c < cost[i][j]:
                    cost[i][j], split[i][j] = c, k
    return split


@implements(np.linalg.multi_dot)
def multi_dot(arrays):
    """The product of several matrices, multiplied in the cheapest order; the
    first and the last may be 1-D (a row and a column vector).

    Example:
        >>> import ndgrad
        >>> a, b, c = ndgrad.ones((10, 2)), ndgrad.ones((2, 10)), ndgrad.ones(10)
        >>> ndgrad.linalg.multi_dot([a, b, c]).tolist()[:2]
        [20.0, 20.0]
    """
    arrays = [as_input(x) for x in arrays]
    if len(arrays) < 2:
        raise ValueError("multi_dot: needs at least two arrays")
    shapes = [np.shape(data_of(x)) for x in arrays]
    first_vector, last_vector = len(shapes[0]) == 1, len(shapes[-1]) == 1
    if first_vector:
        arrays[0] = reshape(arrays[0], (1, -1))
    if last_vector:
        arrays[-1] = reshape(arrays[-1], (-1, 1))
    shapes = [np.shape(data_of(x)) for x in arrays]
    if any(len(s) != 2 for s in shapes):
        raise shape_error("multi_dot", [data_of(x) for x in arrays],
                          "needs 2-D arrays (the first and the last may be 1-D)")
    split = _chain_order([shapes[0][0]] + [s[1] for s in shapes])

    def product(i, j):
        if i == j:
            return arrays[i]
        return matmul(product(i, split[i][j]), product(split[i][j] + 1, j))

    result = product(0, len(arrays) - 1)
    if first_vector or last_vector:
        kept = ([] if first_vector else [shapes[0][0]]) + ([] if last_vector else [shapes[-1][1]])
        result = reshape(result, tuple(kept))
    return result
