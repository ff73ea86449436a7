"""Operators and NumPy-style methods of :class:`ndgrad.Tensor`.

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
    """The operator and method surface; every body is one call into ``ndgrad.ops``."""

    __slots__ = ()

    # arithmetic -----------------------------------------------------------
    def __add__(self, other):
        return _ops.add(self, other)

    def __radd__(self, other):
        return _ops.add(other, self)

    def __iadd__(self, other):
        return _ops.inplace(self, _ops.add, other)

    def __sub__(self, other):
        return _ops.subtract(self, other)

    def __rsub__(self, other):
        return _ops.subtract(other, self)

    def __isub__(self, other):
        return _ops.inplace(self, _ops.subtract, other)

    def __mul__(self, other):
        return _ops.multiply(self, other)

    def __rmul__(self, other):
        return _ops.multiply(other, self)

    def __imul__(self, other):
        return _ops.inplace(self, _ops.multiply, other)

    def __truediv__(self, other):
        return _ops.divide(self, other)

    def __rtruediv__(self, other):
        return _ops.divide(other, self)

    def __itruediv__(self, other):
        return _ops.inplace(self, _ops.divide, other)

    def __floordiv__(self, other):
        return _ops.floor_divide(self, other)

    def __rfloordiv__(self, other):
        return _ops.floor_divide(other, self)

    def __ifloordiv__(self, other):
        return _ops.inplace(self, _ops.floor_divide, other)

    def __mod__(self, other):
        return _ops.mod(self, other)

    def __rmod__(self, other):
        return _ops.mod(other, self)

    def __imod__(self, other):
        return _ops.inplace(self, _ops.mod, other)

    def __pow__(self, other):
        return _ops.power(self, other)

    def __rpow__(self, other):
        return _ops.power(other, self)

    def __ipow__(self, other):
        return _ops.inplace(self, _ops.power, other)

    def __matmul__(self, other):
        return _ops.matmul(self, other)

    def __rmatmul__(self, other):
        return _ops.matmul(other, self)

    def __imatmul__(self, other):
        return _ops.inplace(self, _ops.matmul, other)

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

    # shape ----------------------------------------------------------------------
    @property
    def T(self):
        """The transpose (all axes reversed), differentiable."""
        return _ops.transpose(self)

    @property
    def mT(self):
        """The transpose of the last two axes (matrix transpose of a batch)."""
        return _ops.swapaxes(self, -1, -2)

    def reshape(self, *shape):
        return _ops.reshape(self, shape[0] if len(shape) == 1 else shape)

    def view(self, *shape):
        return self.reshape(*shape)

    def transpose(self, *axes):
        if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
            axes = axes[0]
        return _ops.transpose(self, axes or None)

    def permute(self, *axes):
        return self.transpose(*axes)

    def swapaxes(self, axis1, axis2):
        return _ops.swapaxes(self, axis1, axis2)

    def flatten(self):
        return _ops.reshape(self, (-1,))

    def ravel(self):
        return _ops.reshape(self, (-1,))

    def squeeze(self, axis=None):
        return _ops.squeeze(self, axis)

    def expand_dims(self, axis):
        return _ops.expand_dims(self, axis)

    def unsqueeze(self, axis):
        return _ops.expand_dims(self, axis)

    def repeat(self, repeats, axis=None):
        return _ops.repeat(self, repeats, axis=axis)

    def take(self, indices, axis=None):
        return _ops.take(self, indices, axis=axis)

    def broadcast_to(self, shape):
        return _ops.broadcast_to(self, shape)

    # dtype ------------------------------------------------------------------------
    def astype(self, dtype, copy=True):
        return _ops.astype(self, dtype, copy=copy)

    def to(self, dtype):
        return _ops.astype(self, dtype, copy=False)

    def float(self):
        return _ops.astype(self, "float32", copy=False)

    def double(self):
        return _ops.astype(self, "float64", copy=False)

    def half(self):
        return _ops.astype(self, "float16", copy=False)

    def int(self):
        return _ops.astype(self, "int32", copy=False)

    def long(self):
        return _ops.astype(self, "int64", copy=False)

    def bool(self):
        return _ops.astype(self, "bool", copy=False)

    def copy(self):
        return _ops.copy(self)

    def clone(self):
        return _ops.copy(self)

    # reductions -------------------------------------------------------------------
    def sum(self, axis=None, keepdims=False, dtype=None):
        return _ops.sum(self, axis=axis, keepdims=keepdims, dtype=dtype)

    def mean(self, axis=None, keepdims=False, dtype=None):
        return _ops.mean(self, axis=axis, keepdims=keepdims, dtype=dtype)

    def prod(self, axis=None, keepdims=False):
        return _ops.prod(self, axis=axis, keepdims=keepdims)

    def max(self, axis=None, keepdims=False):
        return _ops.max(self, axis=axis, keepdims=keepdims)

    def min(self, axis=None, keepdims=False):
        return _ops.min(self, axis=axis, keepdims=keepdims)

    def var(self, axis=None, ddof=0, keepdims=False):
        return _ops.var(self, axis=axis, ddof=ddof, keepdims=keepdims)

    def std(self, axis=None, ddof=0, keepdims=False):
        return _ops.std(self, axis=axis, ddof=ddof, keepdims=keepdims)

    def cumsum(self, axis=None):
        return _ops.cumsum(self, axis=axis)

    def cumprod(self, axis=None):
        return _ops.cumprod(self, axis=axis)

    def norm(self, ord=None, axis=None, keepdims=False):
        return _ops.norm(self, ord=ord, axis=axis, keepdims=keepdims)

    def argmax(self, axis=None, keepdims=False):
        return _ops.argmax(self, axis=axis, keepdims=keepdims)

    def argmin(self, axis=None, keepdims=False):
        return _ops.argmin(self, axis=axis, keepdims=keepdims)

    def all(self, axis=None, keepdims=False):
        return _ops.all(self, axis=axis, keepdims=keepdims)

    def any(self, axis=None, keepdims=False):
        return _ops.any(self, axis=axis, keepdims=keepdims)

    # elementwise ------------------------------------------------------------------
    def clip(self, min=None, max=None):
        return _ops.clip(self, min, max)

    def abs(self):
        return _ops.abs(self)

    def exp(self):
        return _ops.exp(self)

    def log(self):
        return _ops.log(self)

    def sqrt(self):
        return _ops.sqrt(self)

    def square(self):
        return _ops.square(self)

    def round(self, decimals=0):
        return _ops.round(self, decimals)

    def tanh(self):
        return _ops.tanh(self)

    def sigmoid(self):
        return _ops.sigmoid(self)

    def relu(self):
        return _ops.relu(self)

    def dot(self, other):
        return _ops.dot(self, other)

    def sort(self, axis=-1):
        return _ops.sort(self, axis=axis)

    def argsort(self, axis=-1):
        return _ops.argsort(self, axis=axis)
