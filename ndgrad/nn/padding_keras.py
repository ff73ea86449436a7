"""Padding and cropping, Keras's face: ``layers.ZeroPadding1D/2D/3D`` and
``layers.Cropping1D/2D/3D``.

They take Keras's arguments (an int, one int per spatial axis, or one
(before, after) pair per spatial axis) on channels-last inputs by default, and
run the same ops as PyTorch's face: ``ndgrad.pad`` (constant zeros; the
gradient keeps the interior) and slicing (the gradient is zero where the crop
removed elements).

Example:
    >>> from ndgrad import layers
    >>> import ndgrad
    >>> layers.ZeroPadding2D(((1, 0), (2, 2)))(ndgrad.ones((1, 3, 3, 4))).shape
    (1, 4, 7, 4)
    >>> layers.Cropping1D((1, 2))(ndgrad.ones((2, 10, 3))).shape
    (2, 7, 3)
"""

import numbers

from ..autograd.primitive import shape_of
from ..errors import shape_error
from ..ops.arrange import pad as numpy_pad
from ..ops.convolution_geometry import channels_last_flag
from ..ops.index import getitem
from .module import Module, keras_exports

__all__ = []


def _pairs(owner, label, value, dims):
    """Keras's int / per-axis int / per-axis pair spec as one (before, after) per axis."""
    def is_int(v):
        return isinstance(v, numbers.Integral) and not isinstance(v, bool)

    pairs = None
    if is_int(value):
        pairs = ((int(value), int(value)),) * dims
    elif dims == 1 and len(value) == 2 and all(map(is_int, value)):
        pairs = ((int(value[0]), int(value[1])),)
    elif len(value) == dims and all(map(is_int, value)):
        pairs = tuple((int(v), int(v)) for v in value)
    elif len(value) == dims and all(len(p) == 2 and all(map(is_int, p)) for p in value):
        pairs = tuple((int(a), int(b)) for a, b in value)
    if pairs is None or any(p < 0 for pair in pairs for p in pair):
        forms = ("an int or a (before, after) pair" if dims == 1 else
                 f"an int, {dims} ints or {dims} (before, after) pairs")
        raise ValueError(f"{owner}: {label} must be {forms} of non-negative ints, got "
                         f"{value!r}")
    return pairs


class _SpatialKeras(Module):
    """A Keras layer that pads or crops the spatial axes; subclasses set the rank."""

    _dims = 2
    _label = "padding"

    def __init__(self, amount, data_format=None, **kwargs):
        owner = type(self).__name__
        pairs = _pairs(owner, self._label, amount, self._dims)
        super().__init__(**kwargs)
        self._pairs = pairs
        self.data_format = data_format or "channels_last"
        self._channels_last = channels_last_flag(self.data_format, owner)
        self.build_from_input_shape()

    def _axes(self, inputs):
        shape = shape_of(inputs)
        if len(shape) != self._dims + 2:
            spatial = ("steps", "rows, cols", "dim1, dim2, dim3")[self._dims - 1]
            layout = (f"(N, {spatial}, C)" if self._channels_last else f"(N, C, {spatial})")
            raise shape_error(type(self).__name__, [inputs], f"expected a {self._dims + 2}-D "
                              f"input {layout}, got shape {shape}")
        start = 1 if self._channels_last else 2
        return shape, range(start, start + self._dims)

    def get_config(self):
        amount = self._pairs[0] if self._dims == 1 else self._pairs
        return {**super().get_config(), self._label: amount, "data_format": self.data_format}

    def extra_repr(self):
        return f"{self._label}={self._pairs if self._dims > 1 else self._pairs[0]}"


class _ZeroPaddingKeras(_SpatialKeras):
    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)

    @property
    def padding(self):
        return self._pairs[0] if self._dims == 1 else self._pairs

    def call(self, inputs, training=None):
        shape, axes = self._axes(inputs)
        widths = [(0, 0)] * len(shape)
        for axis, pair in zip(axes, self._pairs):
            widths[axis] = pair
        return numpy_pad(inputs, tuple(widths))


class _CroppingKeras(_SpatialKeras):
    _label = "cropping"

    def __init__(self, cropping=1, data_format=None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)

    @property
    def cropping(self):
        return self._pairs[0] if self._dims == 1 else self._pairs

    def call(self, inputs, training=None):
        shape, axes = self._axes(inputs)
        index = [slice(None)] * len(shape)
        for axis, (before, after) in zip(axes, self._pairs):
            if before + after >= shape[axis]:
                raise shape_error(type(self).__name__, [inputs], f"cropping {self.cropping} "
                                  f"removes {before + after} of the {shape[axis]} positions of "
                                  f"axis {axis} (input shape {shape}); crop less")
            index[axis] = slice(before, shape[axis] - after)
        return getitem(inputs, tuple(index))


class ZeroPadding1DKeras(_ZeroPaddingKeras):
    """Keras's ``ZeroPadding1D(padding=1)``: zeros before and after the steps of
    (N, steps, features); ``padding`` an int or (before, after).

    Args:
        padding (int or pair, default 1): zeros before and after the steps axis; an int
            pads both ends by it.
        data_format (str, default "channels_last"): "channels_last" for (N, L, C),
            "channels_first" for (N, C, L).

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.ZeroPadding1D((0, 2))(ndgrad.ones((1, 2, 1))).numpy()[0, :, 0].tolist()
        [1.0, 1.0, 0.0, 0.0]
    """

    _dims = 1


class ZeroPadding2DKeras(_ZeroPaddingKeras):
    """Keras's ``ZeroPadding2D(padding=(1, 1), data_format=None)``: zero rows and columns
    around (N, H, W, C) images (or (N, C, H, W) with ``data_format="channels_first"``).

    Args:
        padding: an int (all sides), (rows, cols) (symmetric), or
            ((top, bottom), (left, right)).

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.ZeroPadding2D(1)(ndgrad.ones((2, 4, 4, 3))).shape   # ndgrad.layers.ZeroPadding2D
        (2, 6, 6, 3)
    """

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)


class ZeroPadding3DKeras(_ZeroPaddingKeras):
    """Keras's ``ZeroPadding3D``: zeros around the three spatial axes of
    (N, D, H, W, C) volumes; ``padding`` as :class:`ZeroPadding2DKeras` with three axes.

    Args:
        padding (int, triple of ints, or triple of pairs, default (1, 1, 1)): zeros on
            the three spatial axes; an int pads all six sides, a triple pads both sides
            of each axis, pairs give (before, after) per axis.
        data_format (str, default "channels_last"): "channels_last" for
            (N, D, H, W, C), "channels_first" for (N, C, D, H, W).

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.ZeroPadding3D((1, 0, 2))(ndgrad.ones((1, 2, 2, 2, 1))).shape
        (1, 4, 2, 6, 1)
    """

    _dims = 3

    def __init__(self, padding=(1, 1, 1), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)


class Cropping1DKeras(_CroppingKeras):
    """Keras's ``Cropping1D(cropping=(1, 1))``: drop steps at the start and end of
    (N, steps, features).

    Args:
        cropping (int or pair, default (1, 1)): steps removed at the start and the end;
            an int removes that many at both ends. At least one step must be left.

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.Cropping1D(1)(ndgrad.arange(4.0).reshape(1, 4, 1)).numpy()[0, :, 0].tolist()
        [1.0, 2.0]
    """

    _dims = 1

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(cropping, **kwargs)


class Cropping2DKeras(_CroppingKeras):
    """Keras's ``Cropping2D(cropping=((0, 0), (0, 0)), data_format=None)``: drop rows and
    columns at the edges of (N, H, W, C) images.

    Args:
        cropping: an int (all sides), (rows, cols) (symmetric), or
            ((top, bottom), (left, right)).

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.Cropping2D(((2, 0), (1, 1)))(ndgrad.ones((1, 6, 6, 3))).shape
        (1, 4, 4, 3)
    """

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)


class Cropping3DKeras(_CroppingKeras):
    """Keras's ``Cropping3D``: drop positions at the edges of the three spatial axes.

    Args:
        cropping (int, triple of ints, or triple of pairs, default ((1, 1), (1, 1), (1,
            1))): positions removed on the three spatial axes, as ``padding`` of
            ``ZeroPadding3D``; at least one position must be left on each axis.
        data_format (str, default "channels_last"): "channels_last" for
            (N, D, H, W, C), "channels_first" for (N, C, D, H, W).

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.Cropping3D(1)(ndgrad.ones((1, 4, 4, 4, 2))).shape
        (1, 2, 2, 2, 2)
    """

    _dims = 3

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)


KERAS_EXPORTS = keras_exports({
    "ZeroPadding1D": ZeroPadding1DKeras, "ZeroPadding2D": ZeroPadding2DKeras,
    "ZeroPadding3D": ZeroPadding3DKeras, "Cropping1D": Cropping1DKeras,
    "Cropping2D": Cropping2DKeras, "Cropping3D": Cropping3DKeras})
