"""``keras.ops``'s NumPy-named ops over ndgrad's core ops, with Keras 3's signatures.

Where Keras's signature is NumPy's (``ops.exp(x)``, ``ops.matmul(a, b)``,
``ops.concatenate(xs, axis)``), the core op is re-exported through the routing
helper (:func:`~ndgrad.keras.ops._routing.reexport`); where Keras differs
(``ops.clip(x, x_min, x_max)``, ``ops.zeros(shape)``, ``ops.argmax(x, axis,
keepdims)``, ``ops.reshape(x, newshape)``) a short adapter below calls the
core op. Every result is an ndgrad tensor that carries gradients where the op
has one.

Example:
    >>> import ndgrad
    >>> from ndgrad.keras import ops
    >>> x = ndgrad.tensor([[1.0, -2.0], [3.0, 4.0]])
    >>> ops.sum(ops.abs(x), axis=1).tolist(), ops.argmax(x, axis=1).tolist()
    ([3.0, 7.0], [0, 1])
"""

import numpy as np

from ... import ops as core
from ...autograd.primitive import data_of
from ...tensor import Tensor, as_tensor
from ._routing import keras_op, reexport

# Core ops whose NumPy signature is Keras's.
_SAME = ("abs", "add", "amax", "amin", "append", "arccos", "arccosh", "arcsin", "arcsinh",
         "arctan", "arctan2", "arctanh", "argpartition", "average", "broadcast_to", "cbrt",
         "ceil", "concatenate", "copy", "corrcoef", "correlate", "cos", "cosh", "count_nonzero",
         "cross", "deg2rad", "diag", "diagonal", "diff", "divide", "dot", "einsum", "equal",
         "exp", "exp2", "expand_dims", "expm1", "flip", "fliplr", "flipud", "floor",
         "floor_divide", "fmax", "fmin", "fmod", "greater", "greater_equal", "heaviside",
         "hstack", "hypot", "isclose", "isfinite", "isinf", "isnan", "kron", "less",
         "less_equal", "log", "log10", "log1p", "log2", "logaddexp", "logaddexp2",
         "logical_and", "logical_not", "logical_or", "logical_xor", "matmul", "maximum", "mean",
         "meshgrid", "minimum", "mod", "moveaxis", "multiply", "nanmax", "nanmean", "nanmin",
         "nansum", "negative", "nonzero", "not_equal", "outer", "power", "rad2deg", "ravel",
         "reciprocal", "repeat", "roll", "round", "searchsorted", "sign", "signbit", "sin",
         "sinc", "sinh", "split", "sqrt", "square", "squeeze", "stack", "subtract", "sum",
         "swapaxes", "take", "tan", "tanh", "tensordot", "tile", "trace", "tril", "triu",
         "true_divide", "trunc", "vdot", "vsplit", "vstack", "where", "dsplit", "dstack",
         "hsplit", "column_stack", "array_split", "bitwise_and", "bitwise_or", "bitwise_xor",
         "inner")
_RENAMED = {"absolute": "abs", "fabs": "abs", "bitwise_invert": "invert",
            "bitwise_not": "invert"}

globals().update({name: reexport(getattr(core, name)) for name in _SAME})
globals().update({name: reexport(getattr(core, target), name) for name, target in _RENAMED.items()})


def _tensor(x):
    return x if isinstance(x, Tensor) else as_tensor(x)


def _shape(shape):
    return (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(n) for n in shape)


def _reduction(name, core_function):
    def reduce(x, axis=None, keepdims=False):
        return core_function(_tensor(x), axis=axis, keepdims=keepdims)
    reduce.__name__ = reduce.__qualname__ = name
    reduce.__doc__ = (f"Keras's ``ops.{name}(x, axis=None, keepdims=False)``.\n\n    Example:\n"
                      f"        >>> from ndgrad.keras import ops\n"
                      f"        >>> ops.{name}([[1.0, 0.0], [3.0, 2.0]], axis=1).tolist() "
                      f"is not None\n        True\n")
    reduce.__module__ = __name__
    return keras_op(reduce)


for _name, _function in {"all": core.all, "any": core.any, "argmax": core.argmax,
                         "argmin": core.argmin, "prod": core.prod, "median": core.median,
                         "var": core.var, "std": core.std, "ptp": core.ptp}.items():
    globals()[_name] = _reduction(_name, _function)


@keras_op
def max(x, axis=None, keepdims=False, initial=None):
    """The maximum over ``axis`` (all axes by default); ``initial`` is a lower bound.

    Example:
        >>> from ndgrad.keras import ops
        >>> ops.max([[1.0, 5.0], [3.0, 2.0]], axis=0).tolist()
        [3.0, 5.0]
    """
    out = core.max(_tensor(x), axis=axis, keepdims=keepdims)
    return out if initial is None else core.maximum(out, initial)


@keras_op
def min(x, axis=None, keepdims=False, initial=None):
    """The minimum over ``axis`` (all axes by default); ``initial`` is an upper bound.

    Example:
        >>> from ndgrad.keras import ops
        >>> ops.min([[1.0, 5.0], [3.0, 2.0]], axis=1).tolist()
        [1.0, 2.0]
    """
    out = core.min(_tensor(x), axis=axis, keepdims=keepdims)
    return out if initial is None else core.minimum(out, initial)


@keras_op
def clip(x, x_min, x_max):
    """``x`` limited to ``[x_min, x_max]`` (gradient 0 outside).

    Example:
        >>> from ndgrad.keras.ops import clip
        >>> clip([-2.0, 0.5, 3.0], -1.0, 1.0).tolist()
        [-1.0, 0.5, 1.0]
    """
    return core.clip(_tensor(x), x_min, x_max)


@keras_op
def reshape(x, newshape):
    """``x`` with shape ``newshape`` (one entry may be -1).

    Example:
        >>> from ndgrad.keras.ops import reshape
        >>> reshape([1, 2, 3, 4], (2, -1)).tolist()
        [[1, 2], [3, 4]]
    """
    return core.reshape(_tensor(x), _shape(newshape))


@keras_op
def transpose(x, axes=None):
    """``x`` with its axes permuted (reversed by default), as NumPy.

    Example:
        >>> from ndgrad.keras.ops import transpose
        >>> transpose([[1, 2, 3]]).shape
        (3, 1)
    """
    return core.transpose(_tensor(x), axes)


@keras_op
def sort(x, axis=-1):
    """``x`` sorted along ``axis`` (differentiable: the gradient follows the values).

    Example:
        >>> from ndgrad.keras.ops import sort
        >>> sort([3.0, 1.0, 2.0]).tolist()
        [1.0, 2.0, 3.0]
    """
    return core.sort(_tensor(x), axis=axis)


@keras_op
def argsort(x, axis=-1):
    """The indices that sort ``x`` along ``axis``.

    Example:
        >>> from ndgrad.keras.ops import argsort
        >>> argsort([3.0, 1.0, 2.0]).tolist()
        [1, 2, 0]
    """
    return core.argsort(_tensor(x), axis=axis)


@keras_op
def cumsum(x, axis=None, dtype=None):
    """The cumulative sum along ``axis`` (of the flattened ``x`` by default).

    Example:
        >>> from ndgrad.keras.ops import cumsum
        >>> cumsum([1, 2, 3]).tolist()
        [1, 3, 6]
    """
    x = _tensor(x) if dtype is None else core.astype(_tensor(x), dtype)
    return core.cumsum(x, axis=axis)


@keras_op
def cumprod(x, axis=None, dtype=None):
    """The cumulative product along ``axis`` (of the flattened ``x`` by default).

    Example:
        >>> from ndgrad.keras.ops import cumprod
        >>> cumprod([1, 2, 3]).tolist()
        [1, 2, 6]
    """
    x = _tensor(x) if dtype is None else core.astype(_tensor(x), dtype)
    return core.cumprod(x, axis=axis)


@keras_op
def take_along_axis(x, indices, axis=None):
    """Values of ``x`` at ``indices`` along ``axis`` (of the flattened ``x`` when None).

    Example:
        >>> from ndgrad.keras.ops import take_along_axis
        >>> take_along_axis([[10, 20], [30, 40]], [[1], [0]], axis=1).tolist()
        [[20], [30]]
    """
    x = _tensor(x)
    if axis is None:
        x, axis = core.reshape(x, (-1,)), 0
    return core.take_along_axis(x, np.asarray(data_of(indices)), axis)


@keras_op
def pad(x, pad_width, mode="constant", constant_values=None):
    """``x`` padded by ``pad_width`` (NumPy's forms) with ``mode``.

    Example:
        >>> from ndgrad.keras.ops import pad
        >>> pad([1.0, 2.0], 1, constant_values=9.0).tolist()
        [9.0, 1.0, 2.0, 9.0]
    """
    if constant_values is not None:
        if mode != "constant":
            raise ValueError(f"pad: constant_values applies to mode='constant' only; got "
                             f"mode={mode!r}")
        return core.pad(_tensor(x), pad_width, mode=mode, constant_values=constant_values)
    return core.pad(_tensor(x), pad_width, mode=mode)


@keras_op
def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """``x`` with NaN and infinities replaced by finite numbers.

    Example:
        >>> from ndgrad.keras.ops import nan_to_num
        >>> nan_to_num([float("nan"), 1.0]).tolist()
        [0.0, 1.0]
    """
    return core.nan_to_num(_tensor(x), nan=nan, posinf=posinf, neginf=neginf)


@keras_op
def quantile(x, q, axis=None, method="linear", keepdims=False):
    """The ``q``-th quantiles (``q`` in [0, 1]) along ``axis``.

    Example:
        >>> from ndgrad.keras.ops import quantile
        >>> quantile([1.0, 2.0, 3.0, 4.0], 0.5).item()
        2.5
    """
    return core.quantile(_tensor(x), q, axis=axis, method=method, keepdims=keepdims)


@keras_op
def percentile(x, q, axis=None, method="linear", keepdims=False):
    """The ``q``-th percentiles (``q`` in [0, 100]) along ``axis``.

    Example:
        >>> from ndgrad.keras.ops import percentile
        >>> percentile([1.0, 2.0, 3.0, 4.0], 50).item()
        2.5
    """
    return core.percentile(_tensor(x), q, axis=axis, method=method, keepdims=keepdims)


@keras_op
def divide_no_nan(x1, x2):
    """``x1 / x2``, with 0 where ``x2`` is 0 (and a zero gradient there).

    Example:
        >>> from ndgrad.keras.ops import divide_no_nan
        >>> divide_no_nan([1.0, 2.0], [0.0, 4.0]).tolist()
        [0.0, 0.5]
    """
    x2 = _tensor(x2)
    zero = core.equal(x2, 0)
    return core.where(zero, 0.0, core.divide(x1, core.where(zero, 1.0, x2)))


@keras_op
def select(condlist, choicelist, default=0):
    """The value of the first true condition's choice at each position, else ``default``.

    Example:
        >>> from ndgrad.keras.ops import select
        >>> select([[True, False], [True, True]], [[1.0, 2.0], [3.0, 4.0]]).tolist()
        [1.0, 4.0]
    """
    out = _tensor(default)
    for condition, choice in reversed(list(zip(condlist, choicelist))):
        out = core.where(condition, choice, out)
    return out


@keras_op
def get_item(x, key):
    """``x[key]``.

    Example:
        >>> from ndgrad.keras.ops import get_item
        >>> get_item([[1, 2], [3, 4]], (1, 0)).item()
        3
    """
    return _tensor(x)[key]


def ndim(x):
    """The number of axes of ``x``.

    Example:
        >>> from ndgrad.keras.ops import ndim
        >>> ndim([[1, 2]])
        2
    """
    return np.ndim(data_of(x))


def size(x):
    """The number of elements of ``x``.

    Example:
        >>> from ndgrad.keras.ops import size
        >>> size([[1, 2, 3]])
        3
    """
    return int(np.size(data_of(x)))


@keras_op
def digitize(x, bins):
    """The index of the bin of each value (NumPy's ``digitize``, increasing bins).

    Example:
        >>> from ndgrad.keras.ops import digitize
        >>> digitize([0.5, 1.5, 3.0], [1.0, 2.0]).tolist()
        [0, 1, 2]
    """
    return as_tensor(np.digitize(data_of(x), np.asarray(data_of(bins))))


@keras_op
def isin(x1, x2, assume_unique=False, invert=False):
    """Whether each element of ``x1`` is in ``x2``.

    Example:
        >>> from ndgrad.keras.ops import isin
        >>> isin([1, 2, 3], [2]).tolist()
        [False, True, False]
    """
    return as_tensor(np.isin(data_of(x1), np.asarray(data_of(x2)), invert=invert))


@keras_op
def trapezoid(y, x=None, dx=1.0, axis=-1):
    """The integral of ``y`` by the trapezoidal rule along ``axis``.

    Example:
        >>> from ndgrad.keras.ops import trapezoid
        >>> trapezoid([1.0, 2.0, 3.0]).item()
        4.0
    """
    y = core.moveaxis(_tensor(y), axis, -1)
    middle = (y[..., 1:] + y[..., :-1]) / 2.0
    if x is None:
        return core.sum(middle, axis=-1) * dx
    return core.sum(middle * core.diff(_tensor(x), axis=-1), axis=-1)


@keras_op
def unravel_index(indices, shape):
    """The coordinates of flat ``indices`` in an array of ``shape`` (a tuple of tensors).

    Example:
        >>> from ndgrad.keras.ops import unravel_index
        >>> [t.tolist() for t in unravel_index([5], (2, 3))]
        [[1], [2]]
    """
    return tuple(as_tensor(part) for part in np.unravel_index(data_of(indices), _shape(shape)))


UNSUPPORTED = {name: "ndgrad has no complex tensors" for name in
               ("angle", "conj", "conjugate", "imag", "real", "isreal")}
UNSUPPORTED.update(dict.fromkeys(
    ("bartlett", "blackman", "hamming", "hanning", "kaiser", "bincount", "histogram", "diagflat",
     "gcd", "lcm", "i0", "ldexp", "nextafter", "left_shift", "right_shift",
     "bitwise_left_shift", "bitwise_right_shift", "isneginf", "isposinf", "nanargmax",
     "nanargmin", "nancumprod", "nancumsum", "nanmedian", "nanpercentile", "nanprod",
     "nanquantile", "nanstd", "nanvar", "vander", "vectorize", "view", "unique", "slogdet"),
    "compute it with NumPy on ops.convert_to_numpy(x), or with the ndgrad function of the "
    "same name where one exists"))
