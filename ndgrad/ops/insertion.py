"""Rearranging and selecting values: ``insert``, ``delete``, ``resize``,
``trim_zeros``, ``block``, ``choose``, ``compress``, ``extract``,
``sort_complex``, and ``np.astype``.

Each result is a selection of its inputs' values, so the gradient goes back to
the elements that were chosen (summed where one is chosen several times, as by
``resize`` or a broadcast ``insert``) and nowhere else. NumPy decides the
layout (its own function runs on arrays of labels), so every argument NumPy
accepts works, with NumPy's errors.

Example:
    >>> import numpy as np, ndgrad
    >>> x = ndgrad.Variable([1.0, 2.0, 3.0])
    >>> y = np.insert(x, 1, [10.0, 20.0])
    >>> y.tolist()
    [1.0, 10.0, 20.0, 2.0, 3.0]
    >>> (y * np.arange(5)).sum().backward(); x.grad.tolist()
    [0.0, 3.0, 4.0]
"""

import numpy as np

from ..autograd.primitive import as_input, data_of
from ..numpy_api import implements
from ..tensor import Tensor, as_tensor
from .cast import astype
from .index import getitem, take
from .join import concatenate
from .shape import ravel
from .sorting import argsort

__all__ = ["insert", "delete", "resize", "trim_zeros", "block", "choose", "compress",
           "extract", "sort_complex"]


# Selections by label: NumPy's own function runs on arrays of labels (each
# element of each input numbered once, input after input), and the result
# gathers the inputs' values at those labels: NumPy's values exactly, and a
# gradient that scatters back through the gather, summed where a label repeats.


def _source(value):
    """``value`` as a tensor (lists holding tensors keep their gradients)."""
    value = as_input(value)
    return value if isinstance(value, Tensor) else as_tensor(value)


def _labels(shape, start=0):
    """The labels ``start, start + 1, ...`` laid out in ``shape``."""
    size = int(np.prod(shape, dtype=np.int64))
    return np.arange(start, start + size, dtype=np.intp).reshape(shape)


def _gather(sources, chosen, dtype=None):
    """The values of ``sources`` (tensors) at the labels ``chosen`` (as
    numbered by :func:`_labels`, source after source), cast to ``dtype``."""
    if dtype is None:
        dtype = np.result_type(*[s.dtype for s in sources])
    flat = [ravel(s) for s in sources]
    joined = flat[0] if len(flat) == 1 else concatenate(
        [f if f.dtype == dtype else f.astype(dtype) for f in flat])
    result = take(joined, np.asarray(chosen, dtype=np.intp))
    return result if result.dtype == dtype else result.astype(dtype)


@implements(np.insert)
def insert(arr, obj, values, axis=None):
    """``values`` inserted before the indices ``obj`` along ``axis`` (of the
    flattened ``arr`` when None); both ``arr`` and ``values`` get gradients.

    Example:
        >>> import ndgrad
        >>> ndgrad.insert(ndgrad.tensor([[1.0, 2.0]]), 1, 5.0, axis=1).tolist()
        [[1.0, 5.0, 2.0]]
    """
    x, v = _source(arr), _source(values)
    chosen = np.insert(_labels(x.shape), data_of(obj), _labels(v.shape, x.size), axis=axis)
    return _gather([x, v], chosen, dtype=x.dtype)


@implements(np.delete)
def delete(arr, obj, axis=None):
    """``arr`` without the entries ``obj`` along ``axis`` (of the flattened
    ``arr`` when None).

    Example:
        >>> import ndgrad
        >>> ndgrad.delete(ndgrad.tensor([1.0, 2.0, 3.0]), [0, 2]).tolist()
        [2.0]
    """
    x = _source(arr)
    return _gather([x], np.delete(_labels(x.shape), data_of(obj), axis=axis), dtype=x.dtype)


@implements(np.resize)
def resize(a, new_shape):
    """``a`` flattened, repeated as often as needed and cut to ``new_shape``
    (NumPy's ``resize``, not ``ndarray.resize``); the gradient of a repeated
    element is the sum over its copies.

    Example:
        >>> import ndgrad
        >>> ndgrad.resize(ndgrad.tensor([1.0, 2.0]), (2, 3)).tolist()
        [[1.0, 2.0, 1.0], [2.0, 1.0, 2.0]]
    """
    x = _source(a)
    if x.size == 0:        # NumPy fills with zeros: nothing to route a gradient to
        return Tensor._wrap(np.resize(x._data, new_shape))
    return _gather([x], np.resize(_labels(x.shape), new_shape), dtype=x.dtype)


def _trimmed_slices(data, trim, axis):
    """The slices ``np.trim_zeros(data, trim, axis)`` keeps."""
    axes = range(data.ndim) if axis is None else np.atleast_1d(axis) % max(data.ndim, 1)
    found = np.argwhere(data != 0)
    if found.size:
        start, stop = found.min(axis=0), found.max(axis=0) + 1
    else:
        start = stop = np.zeros(data.ndim, dtype=np.intp)
    slices = [slice(None)] * data.ndim
    for a in axes:
        first = int(start[a]) if "f" in trim.lower() else 0
        last = int(stop[a]) if "b" in trim.lower() else data.shape[a]
        slices[a] = slice(first, last)
    return tuple(slices)


@implements(np.trim_zeros)
def trim_zeros(filt, trim="fb", axis=None):
    """``filt`` without its leading (``"f"``) and trailing (``"b"``) zeros
    along ``axis`` (every axis when None); a view, as in NumPy.

    Example:
        >>> import ndgrad
        >>> ndgrad.trim_zeros(ndgrad.tensor([0.0, 1.0, 0.0, 2.0, 0.0])).tolist()
        [1.0, 0.0, 2.0]
    """
    x = _source(filt)
    expected = np.trim_zeros(x._data, trim, axis)      # NumPy's checks and shape
    result = getitem(x, _trimmed_slices(x._data, trim, axis))
    if result.shape != expected.shape:
        raise AssertionError(f"trim_zeros: kept {result.shape}, NumPy {expected.shape}")
    return result


def _label_tree(tree, sources):
    if isinstance(tree, list):
        return [_label_tree(item, sources) for item in tree]
    if isinstance(tree, tuple):
        raise TypeError("block: a tuple of blocks is not allowed (as in NumPy); only lists "
                        "arrange blocks")
    value = _source(tree)
    sources.append(value)
    return _labels(value.shape, sum(s.size for s in sources[:-1]))


@implements(np.block)
def block(arrays):
    """An array assembled from nested lists of blocks, as ``numpy.block``;
    every block gets its part of the gradient.

    Example:
        >>> import ndgrad
        >>> a = ndgrad.ones((2, 2)); b = ndgrad.zeros((2, 1))
        >>> ndgrad.block([[a, b], [ndgrad.zeros((1, 3))]]).shape
        (3, 3)
    """
    sources = []
    chosen = np.block(_label_tree(arrays, sources))
    return _gather(sources, chosen)


@implements(np.choose)
def choose(a, choices, out=None, mode="raise"):
    """``choices[a[i]][i]`` for every ``i``, with NumPy's broadcasting and
    ``mode`` ("raise", "wrap", "clip"); ``a`` holds integers (no gradient).

    Example:
        >>> import ndgrad
        >>> x, y = ndgrad.tensor([1.0, 2.0]), ndgrad.tensor([10.0, 20.0])
        >>> ndgrad.choose([1, 0], [x, y]).tolist()
        [10.0, 2.0]
    """
    if out is not None:
        raise TypeError("choose: out= cannot be recorded; assign the result instead")
    if isinstance(choices, (list, tuple)):
        sources = [_source(c) for c in choices]
        starts = np.cumsum([0] + [s.size for s in sources])
        label_choices = [_labels(s.shape, start) for s, start in zip(sources, starts)]
    else:
        sources = [_source(choices)]
        label_choices = _labels(sources[0].shape)
    return _gather(sources, np.choose(np.asarray(data_of(a)), label_choices, mode=mode))


@implements(np.compress)
def compress(condition, a, axis=None, out=None):
    """The slices of ``a`` along ``axis`` (of the flattened ``a`` when None)
    where ``condition`` holds.

    Example:
        >>> import ndgrad
        >>> ndgrad.compress([True, False, True], ndgrad.tensor([1.0, 2.0, 3.0])).tolist()
        [1.0, 3.0]
    """
    if out is not None:
        raise TypeError("compress: out= cannot be recorded; assign the result instead")
    x = _source(a)
    chosen = np.compress(np.asarray(data_of(condition)), _labels(x.shape), axis=axis)
    return _gather([x], chosen, dtype=x.dtype)


@implements(np.extract)
def extract(condition, arr):
    """The elements of ``arr`` (flattened) where ``condition`` is nonzero.

    Example:
        >>> import ndgrad
        >>> x = ndgrad.tensor([[1.0, -2.0], [3.0, -4.0]])
        >>> ndgrad.extract(x.numpy() > 0, x).tolist()
        [1.0, 3.0]
    """
    x = _source(arr)
    chosen = np.extract(np.asarray(data_of(condition)), _labels(x.shape))
    return _gather([x], chosen, dtype=x.dtype)


@implements(np.sort_complex)
def sort_complex(a):
    """``a`` sorted by real part, then imaginary part, as a complex tensor
    (complex128 for a real float input, as NumPy); gradients go back to the
    sorted elements (a real input gets the real part).

    Example:
        >>> import ndgrad
        >>> ndgrad.sort_complex(ndgrad.tensor([2.0, 1.0])).tolist()
        [(1+0j), (2+0j)]
    """
    x = _source(a)
    dtype = np.sort_complex(x._data[:0]).dtype
    order = argsort(x, axis=-1)._data
    grids = np.ogrid[tuple(slice(n) for n in x.shape)]
    index = tuple(grids[:-1]) + (order,) if x.ndim else ()
    return astype(getitem(x, index) if x.ndim else x, dtype)


@implements(np.astype)
def _numpy_astype(x, dtype, /, *, copy=True, device=None):
    if device not in (None, "cpu"):
        raise ValueError(f"numpy.astype: device={device!r} is not available; ndgrad "
                         "tensors live on the CPU")
    return astype(x, dtype, copy=copy)
