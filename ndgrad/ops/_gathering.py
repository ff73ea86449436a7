"""Selections by label: the rearranging functions (``insert``, ``delete``,
``block``, ``choose``, ``compress``...) run NumPy's own function on arrays of
labels (each element of each input numbered once), and the result gathers the
inputs' values at those labels. The values are NumPy's exactly, and the gradient
scatters back through the gather (``take``), summed where a label repeats.
"""

import numpy as np

from ..autograd.primitive import as_input
from ..tensor import Tensor, as_tensor
from .index import take
from .join import concatenate
from .shape import ravel


def source(value):
    """``value`` as a tensor (lists holding tensors keep their gradients)."""
    value = as_input(value)
    return value if isinstance(value, Tensor) else as_tensor(value)


def labels(shape, start=0):
    """The labels ``start, start + 1, ...`` laid out in ``shape``."""
    size = int(np.prod(shape, dtype=np.int64))
    return np.arange(start, start + size, dtype=np.intp).reshape(shape)


def gather(sources, chosen, dtype=None):
    """The values of ``sources`` (tensors) at the labels ``chosen`` (as
    numbered by :func:`labels`, source after source), cast to ``dtype``."""
    if dtype is None:
        dtype = np.result_type(*[s.dtype for s in sources])
    flat = [ravel(s) for s in sources]
    joined = flat[0] if len(flat) == 1 else concatenate(
        [f if f.dtype == dtype else f.astype(dtype) for f in flat])
    if np.size(chosen) == 0 or joined.shape[0] == 0:
        return Tensor._wrap(np.zeros(np.shape(chosen), dtype=dtype))
    result = take(joined, np.asarray(chosen, dtype=np.intp))
    return result if result.dtype == dtype else result.astype(dtype)
