"""Elementwise math methods of :class:`ndgrad.Tensor` (NumPy's and PyTorch's names).

Like the operators in ``_tensor_math``, each method is one call into
``ndgrad.ops``, which binds itself into ``_ops`` when it loads, so every
result carries its gradient.

Example:
    >>> import ndgrad
    >>> x = ndgrad.tensor([[-1.0, 2.0], [3.0, -4.0]])
    >>> x.abs().square().tolist(), x.clamp(min=0).tolist()
    ([[1.0, 4.0], [9.0, 16.0]], [[0.0, 2.0], [3.0, 0.0]])
"""

_ops = None   # ndgrad.ops, bound by ndgrad/ops/__init__.py


class TensorMethods:
    """The elementwise surface: every body is one call into ``ndgrad.ops``."""

    __slots__ = ()

    def clip(self, min=None, max=None):
        """Limit values to ``[min, max]`` (either may be None or a tensor).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([-2.0, 2.0]).clip(-1, 1).tolist()
            [-1.0, 1.0]
        """
        return _ops.clip(self, min, max)

    def clamp(self, min=None, max=None):
        """Limit values to ``[min, max]`` (PyTorch's name); the gradient passes where
        the value is inside, bounds included.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([-2.0, 0.5, 2.0]).clamp(max=1.0).tolist()
            [-2.0, 0.5, 1.0]
        """
        return _ops.clip(self, min, max)

    def clamp_min(self, min):
        """``max(x, min)`` with PyTorch's gradient (see :meth:`clamp`).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([-2.0, 2.0]).clamp_min(0).tolist()
            [0.0, 2.0]
        """
        return _ops.clip(self, min, None)

    def clamp_max(self, max):
        """``min(x, max)`` with PyTorch's gradient (see :meth:`clamp`).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([-2.0, 2.0]).clamp_max(0).tolist()
            [-2.0, 0.0]
        """
        return _ops.clip(self, None, max)

    def pow(self, exponent):
        """``x ** exponent`` (a number or a tensor).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([2.0, 3.0]).pow(2).tolist()
            [4.0, 9.0]
        """
        return _ops.power(self, exponent)

    def round(self, decimals=0):
        """Round to ``decimals`` places, halves to even (zero gradient).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.5, 2.5, 0.123]).round().tolist()
            [2.0, 2.0, 0.0]
        """
        return _ops.round(self, decimals)

    def softmax(self, dim, dtype=None):
        """``exp(x) / sum(exp(x))`` along ``dim``, computed without overflow.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([[0.0, 0.0]]).softmax(dim=1).tolist()
            [[0.5, 0.5]]
        """
        x = self if dtype is None else self.astype(dtype)
        return _ops.softmax(x, axis=dim)

    def log_softmax(self, dim, dtype=None):
        """``log(softmax(x))`` along ``dim``, finite wherever ``x`` is.

        Example:
            >>> import ndgrad
            >>> [round(v, 4) for v in ndgrad.tensor([0.0, 0.0]).log_softmax(0).tolist()]
            [-0.6931, -0.6931]
        """
        x = self if dtype is None else self.astype(dtype)
        return _ops.log_softmax(x, axis=dim)

    def abs(self):
        """The absolute value.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([-2.0]).abs().tolist()
            [2.0]
        """
        return _ops.abs(self)

    def neg(self):
        """``-x`` (PyTorch's name; ``negative`` too).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([2.0]).neg().tolist()
            [-2.0]
        """
        return _ops.negative(self)

    def exp(self):
        """``e ** x``.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([0.0]).exp().tolist()
            [1.0]
        """
        return _ops.exp(self)

    def expm1(self):
        """``exp(x) - 1``, exact for small ``x``.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([0.0]).expm1().tolist()
            [0.0]
        """
        return _ops.expm1(self)

    def log(self):
        """The natural logarithm.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0]).log().tolist()
            [0.0]
        """
        return _ops.log(self)

    def log1p(self):
        """``log(1 + x)``, exact for small ``x``.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([0.0]).log1p().tolist()
            [0.0]
        """
        return _ops.log1p(self)

    def log2(self):
        """The base-2 logarithm.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([8.0]).log2().tolist()
            [3.0]
        """
        return _ops.log2(self)

    def log10(self):
        """The base-10 logarithm.

        Example:
            >>> import ndgrad
            >>> round(ndgrad.tensor([100.0]).log10().item(), 5)
            2.0
        """
        return _ops.log10(self)

    def sqrt(self):
        """The square root.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([9.0]).sqrt().tolist()
            [3.0]
        """
        return _ops.sqrt(self)

    def rsqrt(self):
        """``1 / sqrt(x)``.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([4.0]).rsqrt().tolist()
            [0.5]
        """
        return _ops.reciprocal(_ops.sqrt(self))

    def square(self):
        """``x ** 2``.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([3.0]).square().tolist()
            [9.0]
        """
        return _ops.square(self)

    def reciprocal(self):
        """``1 / x``.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([4.0]).reciprocal().tolist()
            [0.25]
        """
        return _ops.reciprocal(self)

    def sign(self):
        """-1, 0 or 1 by the sign of each element (zero gradient).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([-3.0, 0.0, 2.0]).sign().tolist()
            [-1.0, 0.0, 1.0]
        """
        return _ops.sign(self)

    def floor(self):
        """Round down (zero gradient).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.7, -1.2]).floor().tolist()
            [1.0, -2.0]
        """
        return _ops.floor(self)

    def ceil(self):
        """Round up (zero gradient).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.2, -1.7]).ceil().tolist()
            [2.0, -1.0]
        """
        return _ops.ceil(self)

    def trunc(self):
        """Round toward zero (zero gradient).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.7, -1.7]).trunc().tolist()
            [1.0, -1.0]
        """
        return _ops.trunc(self)

    def frac(self):
        """The fractional part, ``x - trunc(x)``.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.5, -1.25]).frac().tolist()
            [0.5, -0.25]
        """
        return self - _ops.trunc(self)

    def sin(self):
        """The sine.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([0.0]).sin().tolist()
            [0.0]
        """
        return _ops.sin(self)

    def cos(self):
        """The cosine.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([0.0]).cos().tolist()
            [1.0]
        """
        return _ops.cos(self)

    def tan(self):
        """The tangent.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([0.0]).tan().tolist()
            [0.0]
        """
        return _ops.tan(self)

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

    def erf(self):
        """The error function.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([0.0]).erf().tolist()
            [0.0]
        """
        return _ops.erf(self)

    negative = neg
    absolute = abs
