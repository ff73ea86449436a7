"""PyTorch's method names for arithmetic, comparisons, logic, products and new
tensors, on :class:`ndgrad.Tensor`.

Each is the ``ndgrad.ops`` op of the same meaning (``t.eq(u)`` is ``t == u``,
``t.mm(u)`` is ``t @ u`` for matrices), so gradients flow as through the
operators. ``new_zeros`` and friends make tensors with this tensor's dtype.

Example:
    >>> import ndgrad
    >>> a = ndgrad.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> a.mm(a.t()).tolist(), a.eq(2.0).sum().item(), a.add(1, alpha=2).tolist()
    ([[5.0, 11.0], [11.0, 25.0]], 1, [[3.0, 4.0], [5.0, 6.0]])
"""

from ._backend import xp
from .devices import check_device
from .dtypes import as_array, as_dtype

_ops = None     # ndgrad.ops, bound by ndgrad/ops/__init__.py
Tensor = None   # ndgrad.tensor.Tensor, bound by ndgrad/tensor.py


def _scaled(other, alpha):
    return other if alpha == 1 else _ops.multiply(other, alpha)


def _sizes(size):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        return tuple(size[0])
    return tuple(size)


class TensorTorchMethods:
    """PyTorch's names for ops that ndgrad spells as operators or NumPy functions."""

    __slots__ = ()

    # arithmetic --------------------------------------------------------------------
    def add(self, other, alpha=1):
        """``self + alpha * other``.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0]).add(ndgrad.tensor([2.0]), alpha=3).tolist()
            [7.0]
        """
        return _ops.add(self, _scaled(other, alpha))

    def sub(self, other, alpha=1):
        """``self - alpha * other``.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0]).sub(2.0).tolist()
            [-1.0]
        """
        return _ops.subtract(self, _scaled(other, alpha))

    subtract = sub

    def mul(self, other):
        """``self * other``.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([3.0]).mul(2).tolist()
            [6.0]
        """
        return _ops.multiply(self, other)

    multiply = mul

    def div(self, other, rounding_mode=None):
        """``self / other``; ``rounding_mode="floor"`` or ``"trunc"`` rounds the quotient.

        Example:
            >>> import ndgrad
            >>> x = ndgrad.tensor([5.0, -7.0])
            >>> x.div(2).tolist(), x.div(2, rounding_mode="trunc").tolist()
            ([2.5, -3.5], [2.0, -3.0])
        """
        if rounding_mode is None:
            return _ops.divide(self, other)
        if rounding_mode == "floor":
            return _ops.floor_divide(self, other)
        if rounding_mode == "trunc":
            return _ops.trunc(_ops.divide(self, other)).astype(self.dtype)
        raise ValueError(f"div: rounding_mode must be None, 'floor' or 'trunc', "
                         f"got {rounding_mode!r}")

    divide = true_divide = div

    def floor_divide(self, other):
        """``self // other``.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([-7.0]).floor_divide(2).tolist()
            [-4.0]
        """
        return _ops.floor_divide(self, other)

    def remainder(self, other):
        """``self % other`` (the sign of ``other``, as Python's).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([-7.0]).remainder(3).tolist()
            [2.0]
        """
        return _ops.mod(self, other)

    def fmod(self, other):
        """The C remainder (the sign of ``self``).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([-7.0]).fmod(3).tolist()
            [-1.0]
        """
        return _ops.fmod(self, other)

    def maximum(self, other):
        """The elementwise maximum.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 5.0]).maximum(ndgrad.tensor([3.0, 2.0])).tolist()
            [3.0, 5.0]
        """
        return _ops.maximum(self, other)

    def minimum(self, other):
        """The elementwise minimum.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 5.0]).minimum(ndgrad.tensor([3.0, 2.0])).tolist()
            [1.0, 2.0]
        """
        return _ops.minimum(self, other)

    def addcmul(self, tensor1, tensor2, value=1):
        """``self + value * tensor1 * tensor2``.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(1).addcmul(ndgrad.tensor([2.0]), ndgrad.tensor([3.0]), value=2).tolist()
            [13.0]
        """
        return _ops.add(self, _scaled(_ops.multiply(tensor1, tensor2), value))

    def addcdiv(self, tensor1, tensor2, value=1):
        """``self + value * tensor1 / tensor2``.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(1).addcdiv(ndgrad.tensor([3.0]), ndgrad.tensor([2.0])).tolist()
            [2.5]
        """
        return _ops.add(self, _scaled(_ops.divide(tensor1, tensor2), value))

    def lerp(self, end, weight):
        """``self + weight * (end - self)``.

        Example:
            >>> import ndgrad
            >>> ndgrad.zeros(1).lerp(ndgrad.tensor([10.0]), 0.25).tolist()
            [2.5]
        """
        return _ops.add(self, _ops.multiply(weight, _ops.subtract(end, self)))

    # products --------------------------------------------------------------------------
    def matmul(self, other):
        """``self @ other``.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((2, 3)).matmul(ndgrad.ones(3)).tolist()
            [3.0, 3.0]
        """
        return _ops.matmul(self, other)

    def mm(self, other):
        """The product of two matrices (2-D only).

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((2, 3)).mm(ndgrad.ones((3, 4))).shape
            (2, 4)
        """
        if self.ndim != 2 or getattr(other, "ndim", None) != 2:
            raise ValueError(f"mm: needs two matrices, got shapes {self.shape} and "
                             f"{getattr(other, 'shape', None)}; use matmul (@) for other ranks")
        return _ops.matmul(self, other)

    def bmm(self, other):
        """The product of two batches of matrices (3-D only).

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((5, 2, 3)).bmm(ndgrad.ones((5, 3, 4))).shape
            (5, 2, 4)
        """
        if self.ndim != 3 or getattr(other, "ndim", None) != 3:
            raise ValueError(f"bmm: needs two batches of matrices (3-D), got shapes {self.shape} "
                             f"and {getattr(other, 'shape', None)}; use matmul (@) otherwise")
        return _ops.matmul(self, other)

    def mv(self, vector):
        """The product of a matrix and a vector.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((2, 3)).mv(ndgrad.ones(3)).tolist()
            [3.0, 3.0]
        """
        if self.ndim != 2 or getattr(vector, "ndim", None) != 1:
            raise ValueError(f"mv: needs a matrix and a vector, got shapes {self.shape} and "
                             f"{getattr(vector, 'shape', None)}")
        return _ops.matmul(self, vector)

    def dot(self, other):
        """The dot product (``ndgrad.dot``).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 2.0]).dot(ndgrad.tensor([3.0, 4.0])).item()
            11.0
        """
        return _ops.dot(self, other)

    def outer(self, other):
        """The outer product of two vectors.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 2.0]).outer(ndgrad.tensor([3.0, 4.0])).tolist()
            [[3.0, 4.0], [6.0, 8.0]]
        """
        return _ops.outer(self, other)

    # new tensors like this one ---------------------------------------------------------
    def _new(self, array, requires_grad, device, what):
        check_device(device, what)
        out = Tensor._wrap(array)
        if requires_grad:
            out.requires_grad_(True)
        return out

    def new_tensor(self, data, dtype=None, device=None, requires_grad=False):
        """A new tensor from ``data`` (copied), with this tensor's dtype unless given.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1, 2]).new_tensor([3.7]).tolist()
            [3]
        """
        data = data._data if isinstance(data, Tensor) else data
        array = as_array(data, as_dtype(dtype) or self._data.dtype, copy=True)
        return self._new(array, requires_grad, device, "new_tensor")

    def new_zeros(self, *size, dtype=None, device=None, requires_grad=False):
        """Zeros of ``size`` (ints or one sequence), with this tensor's dtype.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(1).new_zeros(2, 3).shape, ndgrad.ones(1).new_zeros((2,)).dtype
            ((2, 3), dtype('float32'))
        """
        array = xp.zeros(_sizes(size), as_dtype(dtype) or self._data.dtype)
        return self._new(array, requires_grad, device, "new_zeros")

    def new_ones(self, *size, dtype=None, device=None, requires_grad=False):
        """Ones of ``size``, with this tensor's dtype.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1]).new_ones(2).tolist()
            [1, 1]
        """
        array = xp.ones(_sizes(size), as_dtype(dtype) or self._data.dtype)
        return self._new(array, requires_grad, device, "new_ones")

    def new_empty(self, *size, dtype=None, device=None, requires_grad=False):
        """A tensor of ``size`` with unspecified values, with this tensor's dtype.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(1).new_empty(2, 2).shape
            (2, 2)
        """
        array = xp.empty(_sizes(size), as_dtype(dtype) or self._data.dtype)
        return self._new(array, requires_grad, device, "new_empty")

    def new_full(self, size, fill_value, dtype=None, device=None, requires_grad=False):
        """A tensor of ``size`` filled with ``fill_value``, with this tensor's dtype.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(1).new_full((2,), 7).tolist()
            [7.0, 7.0]
        """
        dtype = as_dtype(dtype) or self._data.dtype
        if dtype.kind in "iuf" and xp.iscomplexobj(fill_value):
            if xp.imag(fill_value) != 0:
                raise TypeError(f"new_full: the fill value {fill_value!r} is complex and "
                                f"dtype {dtype} is not; pass a complex dtype or a real value")
            fill_value = xp.real(fill_value)
        array = xp.full(_sizes((size,)), fill_value, dtype)
        return self._new(array, requires_grad, device, "new_full")
