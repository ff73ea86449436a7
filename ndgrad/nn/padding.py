"""Padding, PyTorch's face: ``F.pad`` and ``nn.ZeroPad*d``, ``ConstantPad*d``,
``ReflectionPad*d``, ``ReplicationPad*d``, ``CircularPad*d`` (1-D, 2-D, 3-D).

One function, :func:`pad`, takes PyTorch's pad tuple (last dimension first:
``(left, right, top, bottom, ...)``) and runs ``ndgrad.pad`` (NumPy's
``np.pad`` modes, differentiable: the gradient keeps the interior and adds each
copied border back onto the element it came from): "constant" (negative
widths crop, as PyTorch), "reflect" (NumPy's "reflect": the edge is not
repeated), "replicate" (NumPy's "edge") and "circular" (NumPy's "wrap"). The
modules are that function with their padding stored. The Keras layers
(``ZeroPadding2D``, ``Cropping2D``) are in ``padding_keras``.

Example:
    >>> from ndgrad.nn import ReplicationPad1d
    >>> from ndgrad.nn.functional import pad
    >>> import ndgrad
    >>> x = ndgrad.tensor([[[1.0, 2.0, 3.0]]])
    >>> pad(x, (2, 1), mode="reflect").tolist()
    [[[3.0, 2.0, 1.0, 2.0, 3.0, 2.0]]]
    >>> ReplicationPad1d((1, 0))(x).tolist()
    [[[1.0, 1.0, 2.0, 3.0]]]
"""

import numbers

from ..autograd.primitive import as_input, shape_of
from ..errors import shape_error
from ..ops.arrange import pad as numpy_pad
from ..ops.index import getitem
from .module import Module

__all__ = ["ZeroPad1d", "ZeroPad2d", "ZeroPad3d", "ConstantPad1d", "ConstantPad2d",
           "ConstantPad3d", "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d",
           "ReplicationPad1d", "ReplicationPad2d", "ReplicationPad3d", "CircularPad1d",
           "CircularPad2d", "CircularPad3d"]
FUNCTIONAL = ["pad"]

_NUMPY_MODES = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def _pairs(owner, pad, ndim):
    """PyTorch's flat pad tuple as NumPy's (before, after) per axis, checked."""
    try:
        widths = [int(p) for p in pad]
    except (TypeError, ValueError):
        raise TypeError(f"{owner}: pad must be a sequence of ints (last dimension first: "
                        f"(left, right, top, bottom, ...)), got {pad!r}") from None
    if len(widths) % 2:
        raise ValueError(f"{owner}: pad {tuple(widths)} must have an even length: a (before, "
                         "after) pair per padded dimension, last dimension first")
    if len(widths) // 2 > ndim:
        raise ValueError(f"{owner}: pad {tuple(widths)} pads {len(widths) // 2} dimensions but "
                         f"the input has {ndim}")
    pairs = [(0, 0)] * ndim
    for i in range(len(widths) // 2):
        pairs[ndim - 1 - i] = (widths[2 * i], widths[2 * i + 1])
    return pairs


def pad(input, pad, mode="constant", value=None):
    """Pad ``input`` as ``torch.nn.functional.pad``.

    Args:
        input: a tensor (any rank for "constant"; for the other modes the padded
            dimensions plus one or two leading ones, (N, C, *spatial) or (C, *spatial)).
        pad: ``(left, right)`` for the last dimension, then ``(top, bottom)`` for
            the one before, and so on.
        mode: "constant" (``value``; negative widths crop), "reflect" (mirror
            without repeating the edge; widths below the size), "replicate"
            (repeat the edge), "circular" (wrap around; widths up to the size).
        value: the fill of "constant" mode (default 0).

    Example:
        >>> from ndgrad.nn.functional import pad
        >>> import ndgrad
        >>> x = ndgrad.ones((1, 2, 2))
        >>> pad(x, (1, 1, 0, 1), value=5.0).numpy()[0].tolist()
        [[5.0, 1.0, 1.0, 5.0], [5.0, 1.0, 1.0, 5.0], [5.0, 5.0, 5.0, 5.0]]
        >>> pad(x, (-1, 0)).shape
        (1, 2, 1)
    """
    return _pad_as("pad", input, pad, mode, value)


def _pad_as(owner, input, pad, mode="constant", value=None):
    """:func:`pad` with errors that name ``owner`` (the layer that called it)."""
    input = as_input(input)
    shape = shape_of(input)
    pairs = _pairs(owner, pad, len(shape))
    if mode == "constant":
        crop = tuple(slice(max(-before, 0), n - max(-after, 0))
                     for n, (before, after) in zip(shape, pairs))
        sizes = tuple(n + before + after for n, (before, after) in zip(shape, pairs))
        if any(n < 0 for n in sizes):
            raise shape_error(owner, [input], f"the negative widths in pad {tuple(pad)} crop "
                              f"more than the input has: the output would be {sizes}")
        if any(before < 0 or after < 0 for before, after in pairs):
            input = getitem(input, crop)
        widths = tuple((max(before, 0), max(after, 0)) for before, after in pairs)
        return numpy_pad(input, widths, constant_values=0 if value is None else value)
    if mode not in _NUMPY_MODES:
        raise ValueError(f"{owner}: mode must be 'constant', 'reflect', 'replicate' or "
                         f"'circular', got {mode!r}")
    if value is not None and value != 0:
        raise ValueError(f"{owner}: mode {mode!r} takes no value (it copies the input's "
                         "own elements); use mode='constant' to fill with a value")
    count = len(tuple(pad)) // 2
    if count not in (1, 2, 3) or len(shape) not in (count + 1, count + 2):
        raise shape_error(owner, [input], f"mode {mode!r} pads the last 1, 2 or 3 dimensions "
                          f"of an input with one or two more ((N, C, *spatial) or "
                          f"(C, *spatial)); pad {tuple(pad)} pads {count} of a "
                          f"{len(shape)}-D input")
    for axis, (n, (before, after)) in enumerate(zip(shape, pairs)):
        if before < 0 or after < 0:
            raise ValueError(f"{owner}: mode {mode!r} takes no negative widths (got pad "
                             f"{tuple(pad)}); crop by slicing or with mode='constant'")
        limit = {"reflect": n - 1, "circular": n}.get(mode)
        if (limit is not None and max(before, after) > limit) or (n == 0 and before + after):
            rule = {"reflect": "smaller than", "circular": "at most"}.get(mode, "on a non-empty")
            raise shape_error(owner, [input], f"mode {mode!r} needs widths {rule} the "
                              f"dimension's size, but dimension {axis} has size {n} and pad "
                              f"({before}, {after}); use less padding or mode='replicate'"
                              " / 'constant'")
    return numpy_pad(input, pairs, mode=_NUMPY_MODES[mode])


class _PadNd(Module):
    """A module that calls :func:`pad` with its stored widths; subclasses set the
    mode and the number of padded dimensions."""

    _dims = 2
    _mode = "constant"

    def __init__(self, padding, value=0.0, name=None):
        owner = type(self).__name__
        count = 2 * self._dims
        if isinstance(padding, numbers.Integral) and not isinstance(padding, bool):
            padding = (int(padding),) * count
        else:
            padding = tuple(int(p) for p in padding)
        if len(padding) != count:
            raise ValueError(f"{owner}: padding must be an int or {count} ints (last dimension "
                             f"first: (left, right, top, bottom, ...)), got {padding!r}")
        super().__init__(name=name)
        self.padding = padding
        self.value = float(value)

    def forward(self, input):
        owner = type(self).__name__
        if self._mode == "constant":
            return _pad_as(owner, input, self.padding, "constant", self.value)
        return _pad_as(owner, input, self.padding, self._mode)

    def extra_repr(self):
        if self._mode == "constant" and type(self).__name__.startswith("Constant"):
            return f"padding={self.padding}, value={self.value}"
        return f"{self.padding}"


class _ZeroPad(_PadNd):
    def __init__(self, padding, name=None):
        super().__init__(padding, 0.0, name=name)


class ZeroPad1d(_ZeroPad):
    """Pad the last dimension with zeros, as ``torch.nn.ZeroPad1d(padding)`` (an int or
    (left, right)).

    Args:
        padding (int or tuple of 2 ints): the widths for the last dimension, last dimension first:
            (left, right); an int pads every side by it.
            Negative widths crop.

    Example:
        >>> from ndgrad.nn import ZeroPad1d
        >>> import ndgrad
        >>> ZeroPad1d((1, 2))(ndgrad.ones((1, 1, 2))).tolist()
        [[[0.0, 1.0, 1.0, 0.0, 0.0]]]
    """

    _dims = 1


class ZeroPad2d(_ZeroPad):
    """Pad the last two dimensions with zeros, as ``torch.nn.ZeroPad2d(padding)`` (an int
    or (left, right, top, bottom)).

    Args:
        padding (int or tuple of 4 ints): the widths for the last two dimensions, last dimension first:
            (left, right, top, bottom); an int pads every side by it.
            Negative widths crop.

    Example:
        >>> from ndgrad.nn import ZeroPad2d
        >>> import ndgrad
        >>> ZeroPad2d((1, 1, 2, 0))(ndgrad.ones((1, 3, 4, 4))).shape
        (1, 3, 6, 6)
    """


class ZeroPad3d(_ZeroPad):
    """Pad the last three dimensions with zeros, as ``torch.nn.ZeroPad3d``.

    Args:
        padding (int or tuple of 6 ints): the widths for the last three dimensions, last dimension first:
            (left, right, top, bottom, front, back); an int pads every side by it.
            Negative widths crop.

    Example:
        >>> from ndgrad.nn import ZeroPad3d
        >>> import ndgrad
        >>> ZeroPad3d(1)(ndgrad.ones((1, 2, 2, 2, 2))).shape
        (1, 2, 4, 4, 4)
    """

    _dims = 3


class ConstantPad1d(_PadNd):
    """Pad the last dimension with ``value``, as ``torch.nn.ConstantPad1d(padding, value)``.

    Args:
        padding (int or tuple of 2 ints): the widths for the last dimension, last dimension first:
            (left, right); an int pads every side by it.
            Negative widths crop.
        value (float, default 0.0): the fill.

    Example:
        >>> from ndgrad.nn import ConstantPad1d
        >>> import ndgrad
        >>> ConstantPad1d(1, 3.5)(ndgrad.zeros((1, 1, 1))).tolist()
        [[[3.5, 0.0, 3.5]]]
    """

    _dims = 1


class ConstantPad2d(_PadNd):
    """Pad the last two dimensions with ``value``, as ``torch.nn.ConstantPad2d``.

    Args:
        padding (int or tuple of 4 ints): the widths for the last two dimensions, last dimension first:
            (left, right, top, bottom); an int pads every side by it.
            Negative widths crop.
        value (float, default 0.0): the fill.

    Example:
        >>> from ndgrad.nn import ConstantPad2d
        >>> import ndgrad
        >>> ConstantPad2d((0, 1, 1, 0), -1.0)(ndgrad.zeros((1, 1, 1))).tolist()
        [[[-1.0, -1.0], [0.0, -1.0]]]
    """


class ConstantPad3d(_PadNd):
    """Pad the last three dimensions with ``value``, as ``torch.nn.ConstantPad3d``.

    Args:
        padding (int or tuple of 6 ints): the widths for the last three dimensions, last dimension first:
            (left, right, top, bottom, front, back); an int pads every side by it.
            Negative widths crop.
        value (float, default 0.0): the fill.

    Example:
        >>> from ndgrad.nn import ConstantPad3d
        >>> import ndgrad
        >>> ConstantPad3d(1, 2.0)(ndgrad.zeros((1, 1, 1, 1))).sum().item()
        52.0
    """

    _dims = 3


class ReflectionPad1d(_PadNd):
    """Mirror the last dimension (the edge itself not repeated), as
    ``torch.nn.ReflectionPad1d``; widths must be smaller than the size.

    Args:
        padding (int or tuple of 2 ints): the widths for the last dimension, last dimension first:
            (left, right); an int pads every side by it.
            Each width must be smaller than the size it pads
            (the edge is mirrored, not repeated).
        value (float, default 0.0): accepted; only constant padding uses a fill.

    Example:
        >>> from ndgrad.nn import ReflectionPad1d
        >>> import ndgrad
        >>> ReflectionPad1d(2)(ndgrad.tensor([[[1.0, 2.0, 3.0]]])).tolist()
        [[[3.0, 2.0, 1.0, 2.0, 3.0, 2.0, 1.0]]]
    """

    _dims, _mode = 1, "reflect"


class ReflectionPad2d(_PadNd):
    """Mirror the last two dimensions, as ``torch.nn.ReflectionPad2d``.

    Args:
        padding (int or tuple of 4 ints): the widths for the last two dimensions, last dimension first:
            (left, right, top, bottom); an int pads every side by it.
            Each width must be smaller than the size it pads
            (the edge is mirrored, not repeated).
        value (float, default 0.0): accepted; only constant padding uses a fill.

    Example:
        >>> from ndgrad.nn import ReflectionPad2d
        >>> import ndgrad
        >>> ReflectionPad2d(1)(ndgrad.ones((2, 3, 4, 4))).shape
        (2, 3, 6, 6)
    """

    _mode = "reflect"


class ReflectionPad3d(_PadNd):
    """Mirror the last three dimensions, as ``torch.nn.ReflectionPad3d``.

    Args:
        padding (int or tuple of 6 ints): the widths for the last three dimensions, last dimension first:
            (left, right, top, bottom, front, back); an int pads every side by it.
            Each width must be smaller than the size it pads
            (the edge is mirrored, not repeated).
        value (float, default 0.0): accepted; only constant padding uses a fill.

    Example:
        >>> from ndgrad.nn import ReflectionPad3d
        >>> import ndgrad
        >>> ReflectionPad3d(1)(ndgrad.ones((1, 1, 2, 3, 3))).shape
        (1, 1, 4, 5, 5)
    """

    _dims, _mode = 3, "reflect"


class ReplicationPad1d(_PadNd):
    """Repeat the edge of the last dimension, as ``torch.nn.ReplicationPad1d``.

    Args:
        padding (int or tuple of 2 ints): the widths for the last dimension, last dimension first:
            (left, right); an int pads every side by it.
            The edge value is repeated.
        value (float, default 0.0): accepted; only constant padding uses a fill.

    Example:
        >>> from ndgrad.nn import ReplicationPad1d
        >>> import ndgrad
        >>> ReplicationPad1d((0, 2))(ndgrad.tensor([[[1.0, 2.0]]])).tolist()
        [[[1.0, 2.0, 2.0, 2.0]]]
    """

    _dims, _mode = 1, "replicate"


class ReplicationPad2d(_PadNd):
    """Repeat the edges of the last two dimensions, as ``torch.nn.ReplicationPad2d``.

    Args:
        padding (int or tuple of 4 ints): the widths for the last two dimensions, last dimension first:
            (left, right, top, bottom); an int pads every side by it.
            The edge value is repeated.
        value (float, default 0.0): accepted; only constant padding uses a fill.

    Example:
        >>> from ndgrad.nn import ReplicationPad2d
        >>> import ndgrad
        >>> ReplicationPad2d((1, 0, 0, 1))(ndgrad.tensor([[[1.0, 2.0]]])).tolist()
        [[[1.0, 1.0, 2.0], [1.0, 1.0, 2.0]]]
    """

    _mode = "replicate"


class ReplicationPad3d(_PadNd):
    """Repeat the edges of the last three dimensions, as ``torch.nn.ReplicationPad3d``.

    Args:
        padding (int or tuple of 6 ints): the widths for the last three dimensions, last dimension first:
            (left, right, top, bottom, front, back); an int pads every side by it.
            The edge value is repeated.
        value (float, default 0.0): accepted; only constant padding uses a fill.

    Example:
        >>> from ndgrad.nn import ReplicationPad3d
        >>> import ndgrad
        >>> ReplicationPad3d(2)(ndgrad.ones((1, 1, 1, 1, 1))).shape
        (1, 1, 5, 5, 5)
    """

    _dims, _mode = 3, "replicate"


class CircularPad1d(_PadNd):
    """Wrap the last dimension around, as ``torch.nn.CircularPad1d``; widths up to the size.

    Args:
        padding (int or tuple of 2 ints): the widths for the last dimension, last dimension first:
            (left, right); an int pads every side by it.
            The other end is wrapped around; each width at
            most the size it pads.
        value (float, default 0.0): accepted; only constant padding uses a fill.

    Example:
        >>> from ndgrad.nn import CircularPad1d
        >>> import ndgrad
        >>> CircularPad1d((1, 2))(ndgrad.tensor([[[1.0, 2.0, 3.0]]])).tolist()
        [[[3.0, 1.0, 2.0, 3.0, 1.0, 2.0]]]
    """

    _dims, _mode = 1, "circular"


class CircularPad2d(_PadNd):
    """Wrap the last two dimensions around, as ``torch.nn.CircularPad2d``.

    Args:
        padding (int or tuple of 4 ints): the widths for the last two dimensions, last dimension first:
            (left, right, top, bottom); an int pads every side by it.
            The other end is wrapped around; each width at
            most the size it pads.
        value (float, default 0.0): accepted; only constant padding uses a fill.

    Example:
        >>> from ndgrad.nn import CircularPad2d
        >>> import ndgrad
        >>> CircularPad2d(1)(ndgrad.ones((1, 2, 3, 3))).shape
        (1, 2, 5, 5)
    """

    _mode = "circular"


class CircularPad3d(_PadNd):
    """Wrap the last three dimensions around, as ``torch.nn.CircularPad3d``.

    Args:
        padding (int or tuple of 6 ints): the widths for the last three dimensions, last dimension first:
            (left, right, top, bottom, front, back); an int pads every side by it.
            The other end is wrapped around; each width at
            most the size it pads.
        value (float, default 0.0): accepted; only constant padding uses a fill.

    Example:
        >>> from ndgrad.nn import CircularPad3d
        >>> import ndgrad
        >>> CircularPad3d(1)(ndgrad.ones((1, 1, 2, 2, 2))).shape
        (1, 1, 4, 4, 4)
    """

    _dims, _mode = 3, "circular"
