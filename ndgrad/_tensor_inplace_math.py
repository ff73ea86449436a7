"""The elementwise math of :class:`ndgrad.Tensor` in place: ``exp_``, ``sigmoid_``,
``relu_``, ``round_``, ...

Each is the out-of-place op written back through ``ndgrad.ops.inplace`` (see
``_tensor_inplace``): unrecorded outside the graph, recorded on a result in the
graph, refused on a leaf that requires grad while recording.

Example:
    >>> import ndgrad
    >>> x = ndgrad.tensor([-1.0, 0.0, 4.0])
    >>> x.relu_().sqrt_().tolist(), x.tolist()
    ([0.0, 0.0, 2.0], [0.0, 0.0, 2.0])
    >>> w = ndgrad.tensor([1.0], requires_grad=True)
    >>> w.exp_()  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    RuntimeError: in-place exp_ on a trainable leaf while recording would be differentiated ...
"""

from ._tensor_inplace import inplace

_ops = None   # ndgrad.ops, bound by ndgrad/ops/__init__.py


def _unary(function):
    """``function`` as an in-place step (it takes no second argument)."""
    return lambda x, _: function(x)


def _rsqrt(x):
    return _ops.reciprocal(_ops.sqrt(x))


class TensorInplaceMath:
    """Elementwise math in place; each one is ``ops.inplace`` of the op."""

    __slots__ = ()

    def abs_(self):
        """The absolute value, in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([-2.0]).abs_().tolist()
            [2.0]
        """
        return inplace(self, "abs_", _unary(_ops.abs))

    def neg_(self):
        """``-x`` in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([2.0]).neg_().tolist()
            [-2.0]
        """
        return inplace(self, "neg_", _unary(_ops.negative))

    def exp_(self):
        """``e ** x`` in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([0.0]).exp_().tolist()
            [1.0]
        """
        return inplace(self, "exp_", _unary(_ops.exp))

    def log_(self):
        """The natural logarithm, in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0]).log_().tolist()
            [0.0]
        """
        return inplace(self, "log_", _unary(_ops.log))

    def log1p_(self):
        """``log(1 + x)`` in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([0.0]).log1p_().tolist()
            [0.0]
        """
        return inplace(self, "log1p_", _unary(_ops.log1p))

    def expm1_(self):
        """``exp(x) - 1`` in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([0.0]).expm1_().tolist()
            [0.0]
        """
        return inplace(self, "expm1_", _unary(_ops.expm1))

    def sqrt_(self):
        """The square root, in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([9.0]).sqrt_().tolist()
            [3.0]
        """
        return inplace(self, "sqrt_", _unary(_ops.sqrt))

    def rsqrt_(self):
        """``1 / sqrt(x)`` in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([4.0]).rsqrt_().tolist()
            [0.5]
        """
        return inplace(self, "rsqrt_", _unary(_rsqrt))

    def square_(self):
        """``x ** 2`` in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([3.0]).square_().tolist()
            [9.0]
        """
        return inplace(self, "square_", _unary(_ops.square))

    def reciprocal_(self):
        """``1 / x`` in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([4.0]).reciprocal_().tolist()
            [0.25]
        """
        return inplace(self, "reciprocal_", _unary(_ops.reciprocal))

    def sign_(self):
        """The sign (-1, 0, 1), in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([-3.0, 2.0]).sign_().tolist()
            [-1.0, 1.0]
        """
        return inplace(self, "sign_", _unary(_ops.sign))

    def floor_(self):
        """Round down in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.7]).floor_().tolist()
            [1.0]
        """
        return inplace(self, "floor_", _unary(_ops.floor))

    def ceil_(self):
        """Round up in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.2]).ceil_().tolist()
            [2.0]
        """
        return inplace(self, "ceil_", _unary(_ops.ceil))

    def trunc_(self):
        """Round toward zero in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([-1.7]).trunc_().tolist()
            [-1.0]
        """
        return inplace(self, "trunc_", _unary(_ops.trunc))

    def sin_(self):
        """The sine, in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([0.0]).sin_().tolist()
            [0.0]
        """
        return inplace(self, "sin_", _unary(_ops.sin))

    def cos_(self):
        """The cosine, in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([0.0]).cos_().tolist()
            [1.0]
        """
        return inplace(self, "cos_", _unary(_ops.cos))

    def tanh_(self):
        """The hyperbolic tangent, in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([0.0]).tanh_().tolist()
            [0.0]
        """
        return inplace(self, "tanh_", _unary(_ops.tanh))

    def sigmoid_(self):
        """The logistic sigmoid, in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([0.0]).sigmoid_().tolist()
            [0.5]
        """
        return inplace(self, "sigmoid_", _unary(_ops.sigmoid))

    def relu_(self):
        """``max(x, 0)`` in place.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([-1.0, 2.0]).relu_().tolist()
            [0.0, 2.0]
        """
        return inplace(self, "relu_", _unary(_ops.relu))

    def round_(self, decimals=0):
        """Round to ``decimals`` places in place (halves to even).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.5, 2.5]).round_().tolist()
            [2.0, 2.0]
        """
        return inplace(self, "round_", lambda x, _: _ops.round(x, decimals))
