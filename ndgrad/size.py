"""Sizes: ``ndgrad.Size`` (PyTorch's ``torch.Size``) and the callable element count.

``t.size`` is NumPy's attribute, the number of elements, and PyTorch's method
at once: it is an :class:`ElementCount`, an ``int`` that can be called.
``t.size()`` returns the shape as a :class:`Size` (a tuple), ``t.size(dim)``
the length of one dimension.

Example:
    >>> import ndgrad
    >>> t = ndgrad.zeros((2, 3))
    >>> t.size, t.size(), t.size(1), t.size(-2)
    (6, ndgrad.Size([2, 3]), 3, 2)
    >>> t.size() == (2, 3), t.size == 6
    (True, True)
"""

import operator


class Size(tuple):
    """A shape: a tuple of ints that prints as ``ndgrad.Size([...])``.

    Example:
        >>> import ndgrad
        >>> s = ndgrad.Size([2, 3, 4])
        >>> s.numel(), s[1:], s + (5,)
        (24, ndgrad.Size([3, 4]), ndgrad.Size([2, 3, 4, 5]))
    """

    __slots__ = ()

    def __new__(cls, sizes=()):
        try:
            return super().__new__(cls, [operator.index(n) for n in sizes])
        except TypeError:
            raise TypeError(f"Size: expected a sequence of ints, got {sizes!r}") from None

    def numel(self):
        """The number of elements of a tensor of this shape.

        Example:
            >>> import ndgrad
            >>> ndgrad.Size([]).numel(), ndgrad.Size([2, 0]).numel()
            (1, 0)
        """
        count = 1
        for n in self:
            count *= n
        return count

    def __getitem__(self, index):
        item = super().__getitem__(index)
        return Size(item) if isinstance(index, slice) else item

    def __add__(self, other):
        return Size(tuple(self) + tuple(other))

    def __radd__(self, other):
        return Size(tuple(other) + tuple(self))

    def __repr__(self):
        return f"ndgrad.Size({list(self)})"


def dimension(shape, dim, what="size"):
    """``dim`` (negative counts from the end) checked against ``shape``; returns 0..ndim-1.

    Example:
        >>> from ndgrad.size import dimension
        >>> dimension((2, 3), -1)
        1
    """
    ndim = len(shape)
    try:
        index = operator.index(dim)
    except TypeError:
        raise TypeError(f"{what}: dim must be an int, got {dim!r}") from None
    if not -max(ndim, 1) <= index < max(ndim, 1):
        raise IndexError(f"{what}: dimension {dim} is out of range for a tensor with "
                         f"{ndim} dimension(s) (shape {tuple(shape)}); use -{max(ndim, 1)} "
                         f"to {max(ndim, 1) - 1}")
    return index % max(ndim, 1)


class ElementCount(int):
    """The number of elements (an ``int``) that, called, gives PyTorch's ``size()``.

    Example:
        >>> import ndgrad
        >>> n = ndgrad.ones((4, 5)).size
        >>> n + 1, n(), n(dim=0)
        (21, ndgrad.Size([4, 5]), 4)
    """

    def __new__(cls, count, shape):
        self = super().__new__(cls, count)
        self.shape = shape
        return self

    def __call__(self, dim=None):
        if dim is None:
            return Size(self.shape)
        if not self.shape:
            raise IndexError(f"size: a 0-d tensor has no dimension {dim}; size() is ()")
        return self.shape[dimension(self.shape, dim, "size")]
