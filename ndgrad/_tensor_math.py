"""Operators of :class:`ndgrad.Tensor` and its NumPy protocol hooks.

Each method forwards to the differentiable op of the same name in
``ndgrad.ops``; the arithmetic lives there, once. ``ops`` needs ``Tensor`` and
these methods need ``ops``, so ``ndgrad.ops`` binds itself into ``_ops`` when it
loads (``ndgrad/__init__.py`` always loads it).

Example:
    >>> import ndgrad
    >>> x = ndgrad.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> (x @ x.T + 1).sum(axis=0).tolist()
    [18.0, 38.0]
"""

_ops = None   # ndgrad.ops, bound by ndgrad/ops/__init__.py


class TensorMath:
    """The operator surface; every body is one call into ``ndgrad.ops``."""

    __slots__ = ()

    # arithmetic -----------------------------------------------------------
    def __add__(self, other):
        return _ops.add(self, other)

    def __radd__(self, other):
        return _ops.add(other, self)

    def __iadd__(self, other):
        return _ops.inplace(self, _ops.add, other, name="+=")

    def __sub__(self, other):
        return _ops.subtract(self, other)

    def __rsub__(self, other):
        return _ops.subtract(other, self)

    def __isub__(self, other):
        return _ops.inplace(self, _ops.subtract, other, name="-=")

    def __mul__(self, other):
        return _ops.multiply(self, other)

    def __rmul__(self, other):
        return _ops.multiply(other, self)

    def __imul__(self, other):
        return _ops.inplace(self, _ops.multiply, other, name="*=")

    def __truediv__(self, other):
        return _ops.divide(self, other)

    def __rtruediv__(self, other):
        return _ops.divide(other, self)

    def __itruediv__(self, other):
        return _ops.inplace(self, _ops.divide, other, name="/=")

    def __floordiv__(self, other):
        return _ops.floor_divide(self, other)

    def __rfloordiv__(self, other):
        return _ops.floor_divide(other, self)

    def __ifloordiv__(self, other):
        return _ops.inplace(self, _ops.floor_divide, other, name="//=")

    def __mod__(self, other):
        return _ops.mod(self, other)

    def __rmod__(self, other):
        return _ops.mod(other, self)

    def __imod__(self, other):
        return _ops.inplace(self, _ops.mod, other, name="%=")

    def __pow__(self, other):
        return _ops.power(self, other)

    def __rpow__(self, other):
        return _ops.power(other, self)

    def __ipow__(self, other):
        return _ops.inplace(self, _ops.power, other, name="**=")

    def __matmul__(self, other):
        return _ops.matmul(self, other)

    def __rmatmul__(self, other):
        return _ops.matmul(other, self)

    def __imatmul__(self, other):
        return _ops.inplace(self, _ops.matmul, other, name="@=")

    def __neg__(self):
        return _ops.negative(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return _ops.abs(self)

    # logic (booleans and integers; no gradient) ---------------------------
    def __invert__(self):
        return _ops.invert(self)

    def __and__(self, other):
        return _ops.bitwise_and(self, other)

    def __rand__(self, other):
        return _ops.bitwise_and(other, self)

    def __or__(self, other):
        return _ops.bitwise_or(self, other)

    def __ror__(self, other):
        return _ops.bitwise_or(other, self)

    def __xor__(self, other):
        return _ops.bitwise_xor(self, other)

    def __rxor__(self, other):
        return _ops.bitwise_xor(other, self)

    # comparisons: boolean tensors, never a gradient -----------------------
    def __lt__(self, other):
        return _ops.less(self, other)

    def __le__(self, other):
        return _ops.less_equal(self, other)

    def __gt__(self, other):
        return _ops.greater(self, other)

    def __ge__(self, other):
        return _ops.greater_equal(self, other)

    def __eq__(self, other):
        return _ops.equal(self, other)

    def __ne__(self, other):
        return _ops.not_equal(self, other)

    # indexing ---------------------------------------------------------------
    def __getitem__(self, index):
        return _ops.getitem(self, index)

    def __setitem__(self, index, value):
        _ops.setitem(self, index, value)

    # NumPy protocol -----------------------------------------------------------
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        from . import numpy_api
        return numpy_api.array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        from . import numpy_api
        return numpy_api.array_function(func, types, args, kwargs)
