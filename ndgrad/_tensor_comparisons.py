"""PyTorch's names for comparisons and logic on :class:`ndgrad.Tensor`.

``t.eq(u)`` is ``t == u``, ``t.gt(u)`` is ``t > u`` and so on: boolean tensors
that carry no gradient. ``equal`` and ``allclose`` answer with one Python bool.

Example:
    >>> import ndgrad
    >>> x = ndgrad.tensor([1.0, 2.0, 3.0])
    >>> x.ge(2.0).logical_and(x.ne(3.0)).tolist(), x.equal(x.clone())
    ([False, True, False], True)
"""

_ops = None   # ndgrad.ops, bound by ndgrad/ops/__init__.py


class TensorComparisons:
    """Comparison and logic methods: boolean results, never a gradient."""

    __slots__ = ()

    def eq(self, other):
        """``self == other``, elementwise.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 2.0]).eq(2.0).tolist()
            [False, True]
        """
        return _ops.equal(self, other)

    def ne(self, other):
        """``self != other``, elementwise.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 2.0]).ne(2.0).tolist()
            [True, False]
        """
        return _ops.not_equal(self, other)

    not_equal = ne

    def lt(self, other):
        """``self < other``, elementwise.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 2.0]).lt(2.0).tolist()
            [True, False]
        """
        return _ops.less(self, other)

    less = lt

    def le(self, other):
        """``self <= other``, elementwise.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 2.0]).le(1.0).tolist()
            [True, False]
        """
        return _ops.less_equal(self, other)

    less_equal = le

    def gt(self, other):
        """``self > other``, elementwise.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 2.0]).gt(1.0).tolist()
            [False, True]
        """
        return _ops.greater(self, other)

    greater = gt

    def ge(self, other):
        """``self >= other``, elementwise.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 2.0]).ge(2.0).tolist()
            [False, True]
        """
        return _ops.greater_equal(self, other)

    greater_equal = ge

    def equal(self, other):
        """Whether ``other`` has this shape and the same elements (a Python bool).

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(2).equal(ndgrad.ones(2)), ndgrad.ones(2).equal(ndgrad.ones(3))
            (True, False)
        """
        return bool(_ops.array_equal(self, other))

    def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        """Whether all elements are close to ``other``'s (a Python bool).

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(2).allclose(ndgrad.ones(2) + 1e-9)
            True
        """
        return bool(_ops.allclose(self, other, rtol, atol, equal_nan))

    def isclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        """Elementwise closeness to ``other``, a boolean tensor.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 2.0]).isclose(ndgrad.tensor([1.0, 2.1])).tolist()
            [True, False]
        """
        return _ops.isclose(self, other, rtol, atol, equal_nan)

    def isnan(self):
        """Where the elements are NaN.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, float("nan")]).isnan().tolist()
            [False, True]
        """
        return _ops.isnan(self)

    def isinf(self):
        """Where the elements are infinite.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, float("inf")]).isinf().tolist()
            [False, True]
        """
        return _ops.isinf(self)

    def isfinite(self):
        """Where the elements are finite.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, float("inf")]).isfinite().tolist()
            [True, False]
        """
        return _ops.isfinite(self)

    def logical_and(self, other):
        """Elementwise ``and`` of the truth values.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 0.0]).logical_and(ndgrad.tensor([1.0, 1.0])).tolist()
            [True, False]
        """
        return _ops.logical_and(self, other)

    def logical_or(self, other):
        """Elementwise ``or`` of the truth values.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 0.0]).logical_or(ndgrad.tensor([0.0, 0.0])).tolist()
            [True, False]
        """
        return _ops.logical_or(self, other)

    def logical_xor(self, other):
        """Elementwise ``xor`` of the truth values.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 0.0]).logical_xor(ndgrad.tensor([1.0, 1.0])).tolist()
            [False, True]
        """
        return _ops.logical_xor(self, other)

    def logical_not(self):
        """Elementwise ``not`` of the truth values.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 0.0]).logical_not().tolist()
            [False, True]
        """
        return _ops.logical_not(self)
