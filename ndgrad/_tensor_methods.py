"""NumPy-style methods of :class:`ndgrad.Tensor`: shape, dtype, reductions, math.

Like the operators in ``_tensor_math``, each method is one call into
``ndgrad.ops``, which binds itself into ``_ops`` when it loads.

Example:
    >>> import ndgrad
    >>> ndgrad.tensor([[1.0, 2.0], [3.0, 4.0]]).mean(axis=1).tolist()
    [1.5, 3.5]
"""

_ops = None   # ndgrad.ops, bound by ndgrad/ops/__init__.py


class TensorMethods:
    """The method surface: every body is one call into ``ndgrad.ops``."""

    __slots__ = ()

    # shape ----------------------------------------------------------------------
    @property
    def T(self):
        """The transpose (all axes reversed), differentiable.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((2, 3)).T.shape
            (3, 2)
        """
        return _ops.transpose(self)

    @property
    def mT(self):
        """The transpose of the last two axes (matrix transpose of a batch).

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((4, 2, 3)).mT.shape
            (4, 3, 2)
        """
        return _ops.swapaxes(self, -1, -2)

    def reshape(self, *shape):
        """The same elements in a new shape (``ndgrad.reshape``).

        Example:
            >>> import ndgrad
            >>> ndgrad.arange(6.0).reshape(2, 3).shape
            (2, 3)
        """
        return _ops.reshape(self, shape[0] if len(shape) == 1 else shape)

    def view(self, *shape):
        """Alias of :meth:`reshape` (PyTorch's name).

        Example:
            >>> import ndgrad
            >>> ndgrad.arange(6.0).view(3, 2).shape
            (3, 2)
        """
        return self.reshape(*shape)

    def transpose(self, *axes):
        """Permute the axes, reversed by default (``ndgrad.transpose``).

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((2, 3)).transpose().shape
            (3, 2)
        """
        if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
            axes = axes[0]
        return _ops.transpose(self, axes or None)

    def permute(self, *axes):
        """Permute the axes (PyTorch's name for :meth:`transpose`).

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((2, 3, 4)).permute(2, 0, 1).shape
            (4, 2, 3)
        """
        return self.transpose(*axes)

    def swapaxes(self, axis1, axis2):
        """Exchange two axes.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((2, 3)).swapaxes(0, 1).shape
            (3, 2)
        """
        return _ops.swapaxes(self, axis1, axis2)

    def flatten(self):
        """The elements as a 1-D tensor.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((2, 3)).flatten().shape
            (6,)
        """
        return _ops.reshape(self, (-1,))

    def ravel(self):
        """The elements as a 1-D tensor.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((2, 3)).ravel().shape
            (6,)
        """
        return _ops.reshape(self, (-1,))

    def squeeze(self, axis=None):
        """Remove axes of length one.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((1, 3)).squeeze().shape
            (3,)
        """
        return _ops.squeeze(self, axis)

    def expand_dims(self, axis):
        """Insert an axis of length one.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(3).expand_dims(0).shape
            (1, 3)
        """
        return _ops.expand_dims(self, axis)

    def unsqueeze(self, axis):
        """Insert an axis of length one (PyTorch's name).

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(3).unsqueeze(-1).shape
            (3, 1)
        """
        return _ops.expand_dims(self, axis)

    def repeat(self, repeats, axis=None):
        """Repeat elements (NumPy's ``repeat``).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 2.0]).repeat(2).tolist()
            [1.0, 1.0, 2.0, 2.0]
        """
        return _ops.repeat(self, repeats, axis=axis)

    def take(self, indices, axis=None):
        """Elements at ``indices`` along ``axis``.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([5.0, 6.0]).take([1]).tolist()
            [6.0]
        """
        return _ops.take(self, indices, axis=axis)

    def broadcast_to(self, shape):
        """A broadcast view in ``shape``.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(2).broadcast_to((3, 2)).shape
            (3, 2)
        """
        return _ops.broadcast_to(self, shape)

    # dtype ------------------------------------------------------------------------
    def astype(self, dtype, copy=True):
        """Convert to ``dtype``; differentiable between float dtypes.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(2).astype('float64').dtype
            dtype('float64')
        """
        return _ops.astype(self, dtype, copy=copy)

    def to(self, dtype):
        """Convert to ``dtype`` (no copy when it already is).

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(2).to(ndgrad.float16).dtype
            dtype('float16')
        """
        return _ops.astype(self, dtype, copy=False)

    def float(self):
        """Convert to float32.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1, 2]).float().dtype
            dtype('float32')
        """
        return _ops.astype(self, "float32", copy=False)

    def double(self):
        """Convert to float64.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(1).double().dtype
            dtype('float64')
        """
        return _ops.astype(self, "float64", copy=False)

    def half(self):
        """Convert to float16.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(1).half().dtype
            dtype('float16')
        """
        return _ops.astype(self, "float16", copy=False)

    def int(self):
        """Convert to int32 (cuts the graph).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.7]).int().tolist()
            [1]
        """
        return _ops.astype(self, "int32", copy=False)

    def long(self):
        """Convert to int64 (cuts the graph).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([2.2]).long().dtype
            dtype('int64')
        """
        return _ops.astype(self, "int64", copy=False)

    def bool(self):
        """Convert to bool.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([0.0, 2.0]).bool().tolist()
            [False, True]
        """
        return _ops.astype(self, "bool", copy=False)

    def copy(self):
        """A copy with its own memory; the gradient passes through.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(2).copy().tolist()
            [1.0, 1.0]
        """
        return _ops.copy(self)

    def clone(self):
        """A copy with its own memory (PyTorch's name).

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(2).clone().tolist()
            [1.0, 1.0]
        """
        return _ops.copy(self)

    # reductions -------------------------------------------------------------------
    def sum(self, axis=None, keepdims=False, dtype=None):
        """The sum over ``axis`` (``ndgrad.sum``).

        Example:
            >>> import ndgrad
            >>> ndgrad.ones((2, 3)).sum(axis=0).tolist()
            [2.0, 2.0, 2.0]
        """
        return _ops.sum(self, axis=axis, keepdims=keepdims, dtype=dtype)

    def mean(self, axis=None, keepdims=False, dtype=None):
        """The mean over ``axis``.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 3.0]).mean().item()
            2.0
        """
        return _ops.mean(self, axis=axis, keepdims=keepdims, dtype=dtype)

    def prod(self, axis=None, keepdims=False):
        """The product over ``axis``.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([2.0, 3.0]).prod().item()
            6.0
        """
        return _ops.prod(self, axis=axis, keepdims=keepdims)

    def max(self, axis=None, keepdims=False):
        """The maximum over ``axis``.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 3.0]).max().item()
            3.0
        """
        return _ops.max(self, axis=axis, keepdims=keepdims)

    def min(self, axis=None, keepdims=False):
        """The minimum over ``axis``.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 3.0]).min().item()
            1.0
        """
        return _ops.min(self, axis=axis, keepdims=keepdims)

    def var(self, axis=None, ddof=0, keepdims=False):
        """The variance over ``axis`` with ``ddof``.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 3.0]).var().item()
            1.0
        """
        return _ops.var(self, axis=axis, ddof=ddof, keepdims=keepdims)

    def std(self, axis=None, ddof=0, keepdims=False):
        """The standard deviation over ``axis`` with ``ddof``.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 3.0]).std().item()
            1.0
        """
        return _ops.std(self, axis=axis, ddof=ddof, keepdims=keepdims)

    def cumsum(self, axis=None):
        """The cumulative sum along ``axis``.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 2.0]).cumsum().tolist()
            [1.0, 3.0]
        """
        return _ops.cumsum(self, axis=axis)

    def cumprod(self, axis=None):
        """The cumulative product along ``axis``.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([2.0, 3.0]).cumprod().tolist()
            [2.0, 6.0]
        """
        return _ops.cumprod(self, axis=axis)

    def norm(self, ord=None, axis=None, keepdims=False):
        """The vector or matrix norm (``ndgrad.norm``).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([3.0, 4.0]).norm().item()
            5.0
        """
        return _ops.norm(self, ord=ord, axis=axis, keepdims=keepdims)

    def argmax(self, axis=None, keepdims=False):
        """The index of the maximum (no gradient).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 3.0]).argmax().item()
            1
        """
        return _ops.argmax(self, axis=axis, keepdims=keepdims)

    def argmin(self, axis=None, keepdims=False):
        """The index of the minimum (no gradient).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 3.0]).argmin().item()
            0
        """
        return _ops.argmin(self, axis=axis, keepdims=keepdims)

    def all(self, axis=None, keepdims=False):
        """Whether all elements are true.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 0.0]).all().item()
            False
        """
        return _ops.all(self, axis=axis, keepdims=keepdims)

    def any(self, axis=None, keepdims=False):
        """Whether any element is true.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 0.0]).any().item()
            True
        """
        return _ops.any(self, axis=axis, keepdims=keepdims)

    # elementwise ------------------------------------------------------------------
    def clip(self, min=None, max=None):
        """Limit values to ``[min, max]``.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([-2.0, 2.0]).clip(-1, 1).tolist()
            [-1.0, 1.0]
        """
        return _ops.clip(self, min, max)

    def abs(self):
        """The absolute value.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([-2.0]).abs().tolist()
            [2.0]
        """
        return _ops.abs(self)

    def exp(self):
        """``e ** x``.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([0.0]).exp().tolist()
            [1.0]
        """
        return _ops.exp(self)

    def log(self):
        """The natural logarithm.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0]).log().tolist()
            [0.0]
        """
        return _ops.log(self)

    def sqrt(self):
        """The square root.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([9.0]).sqrt().tolist()
            [3.0]
        """
        return _ops.sqrt(self)

    def square(self):
        """``x ** 2``.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([3.0]).square().tolist()
            [9.0]
        """
        return _ops.square(self)

    def round(self, decimals=0):
        """Round to ``decimals`` places (zero gradient).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.5, 2.5]).round().tolist()
            [2.0, 2.0]
        """
        return _ops.round(self, decimals)

    def tanh(self):
        """The hyperbolic tangent.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([0.0]).tanh().tolist()
            [0.0]
        """
        return _ops.tanh(self)

    def sigmoid(self):
        """The logistic sigmoid.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([0.0]).sigmoid().tolist()
            [0.5]
        """
        return _ops.sigmoid(self)

    def relu(self):
        """``max(x, 0)``.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([-1.0, 2.0]).relu().tolist()
            [0.0, 2.0]
        """
        return _ops.relu(self)

    def dot(self, other):
        """The dot product (``ndgrad.dot``).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 2.0]).dot(ndgrad.tensor([3.0, 4.0])).item()
            11.0
        """
        return _ops.dot(self, other)

    def sort(self, axis=-1):
        """The sorted values along ``axis``; differentiable.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([3.0, 1.0]).sort().tolist()
            [1.0, 3.0]
        """
        return _ops.sort(self, axis=axis)

    def argsort(self, axis=-1):
        """The indices that sort along ``axis`` (no gradient).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([3.0, 1.0]).argsort().tolist()
            [1, 0]
        """
        return _ops.argsort(self, axis=axis)
