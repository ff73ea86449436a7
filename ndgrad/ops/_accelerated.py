"""Optional compiled kernels behind the NumPy ops: when they are used.

numba is an optional extra (``pip install ndgrad[accel]``). When it is
installed, four families of memory-bound work run as compiled loops:

- max pooling with 2x2 windows and stride 2 (the usual CNN pooling) and its
  gradient read each window once (``_numba_pooling``) instead of a dozen
  whole-array NumPy passes;
- convolution's im2col, col2im and the stride-1 input gradient's shifted sums
  copy and add short rows without NumPy's per-row overhead
  (``_numba_convolution``, called through ``convolution_geometry.compiled_kernels``);
- batch normalization's statistics, normalization and gradient make one or
  two passes over the arrays instead of NumPy's one per operation
  (``_numba_normalization``, called through :func:`normalization_kernels`);
- relu's gradient and SGD's parameter update make one pass instead of two,
  Adam's (without AMSGrad) one instead of a dozen (``_numba_elementwise``,
  through :func:`elementwise_kernels`); layer norm's gradient makes one pass
  per row (``_numba_layer_norm_rows``).

The LSTM's cells have their own compiled kernels (``_numba_recurrent``).
The elementwise kernels (relu, SGD, Adam) ride along: they run only once numba
is imported already (by the layers' kernels above, the LSTM's, or the user) and
never import it themselves. On an MLP, the only model where they would be the
first, they save a few percent of the step, less than numba's import costs:
about 110 MB of memory and half a second (``make bench``'s ``memory`` row went
from 86 to 198 MB when an MLP's relu imported it). The layers' kernels pay for
it: 1.3-1.4x on a CNN's step, 1.25x on the LSTM's, about 6% on a transformer
encoder layer's (layer norm's gradient, with relu and SGD riding along).

On the small CNN of ``bench/`` they take the training step from 10.7 to 8.8 ms
(``make bench`` on the quiet 2-core machine, 2026-12-07), and the CIFAR-size
CNN's, with batch norm, about 1.4 times faster (bench/README.md).
Everything else, and everything when numba is missing or turned off, runs the
NumPy code, which gives the same numbers (the kernels follow its rules
exactly: the convolution kernels are bit-identical, pooling differs only
where the incoming gradient is infinite or NaN at cells that are not a
window's maximum: NumPy's ``g * 0`` there is NaN, the kernels write 0, and
batch norm's per-channel sums are float64 in the kernels, float32 in NumPy:
equal within float32 rounding).

The kernels are used when numba imports, the environment variable
``NDGRAD_NUMBA`` is not ``0``, and :func:`set_enabled` has not turned them off.
numba compiles each kernel once per dtype and memory layout, on first use, and
caches the machine code beside the package when it can write there.

Example:
    >>> import numpy as np
    >>> from ndgrad.ops import _accelerated
    >>> previous = _accelerated.set_enabled(False)
    >>> out = np.empty((1, 1, 1, 1), np.float32)
    >>> _accelerated.max_pool_forward(np.ones((1, 1, 2, 2), np.float32), out,
    ...                               (2, 2), (2, 2), (1, 1), ((0, 0), (0, 0)))
    False
    >>> _accelerated.set_enabled(previous) is False
    True
"""

import os
import sys

import numpy as np

from .convolution_geometry import memory_order

__all__ = []

_requested = os.environ.get("NDGRAD_NUMBA", "1").strip() != "0"
_kernels = None          # the kernel module once loaded; False when numba is missing
_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def _load():
    global _kernels
    if _kernels is None:
        try:
            import numba  # noqa: F401  (only to ask whether it is installed)
        except ImportError:
            _kernels = False
        else:
            from . import _numba_pooling
            _kernels = _numba_pooling
    return _kernels


def available():
    """Whether numba is installed (the kernels can be used at all).

    Example:
        >>> from ndgrad.ops import _accelerated
        >>> _accelerated.available() in (True, False)
        True
    """
    return bool(_load())


def enabled():
    """Whether the compiled kernels are used now.

    Example:
        >>> from ndgrad.ops import _accelerated
        >>> _accelerated.enabled() in (True, False)
        True
    """
    return _requested and available()


def set_enabled(enabled):
    """Use the compiled kernels (when numba is installed) or not; returns the
    previous request. Both settings compute the same numbers.

    Example:
        >>> from ndgrad.ops import _accelerated
        >>> previous = _accelerated.set_enabled(False)
        >>> _accelerated.enabled()
        False
        >>> _ = _accelerated.set_enabled(previous)
    """
    global _requested
    previous = _requested
    _requested = bool(enabled)
    return previous


def already_imported():
    """Whether numba is imported in this process already: the ride-along
    kernels (relu, SGD, Adam) run only then.

    Example:
        >>> from ndgrad.ops import _accelerated
        >>> _accelerated.already_imported() in (True, False)
        True
    """
    return "numba" in sys.modules


def normalization_kernels():
    """``_numba_normalization`` when its compiled kernels are to run now (numba
    is installed and the kernels are on), else None: the NumPy code runs.

    Example:
        >>> from ndgrad.ops import _accelerated
        >>> kernels = _accelerated.normalization_kernels()
        >>> kernels is None or kernels.usable()
        True
    """
    if not enabled():
        return None
    from . import _numba_normalization
    return _numba_normalization if _numba_normalization.usable() else None


def elementwise_kernels():
    """``_numba_elementwise`` when its compiled kernels (relu's gradient, SGD's
    and Adam's updates: one pass each) are to run now, else None. They ride
    along: None until something else has imported numba.

    Example:
        >>> from ndgrad.ops import _accelerated
        >>> kernels = _accelerated.elementwise_kernels()
        >>> kernels is None or kernels.usable()
        True
    """
    if not already_imported() or not enabled():
        return None
    from . import _numba_elementwise
    return _numba_elementwise if _numba_elementwise.usable() else None


def _pooling_layout(x4, out4, kernel, stride, dilation, padding, arrays):
    """For 2x2 / stride 2 max pooling: the axes order to hand the kernels the
    arrays in and whether that is channels last; None when the kernels do not apply."""
    if not (_requested and kernel == (2, 2) and stride == (2, 2) and dilation == (1, 1)
            and padding == ((0, 0), (0, 0))):
        return None
    if out4.shape[2:] != (x4.shape[2] // 2, x4.shape[3] // 2) or 0 in out4.shape:
        return None
    if x4.dtype not in _FLOATS or any(a.dtype != x4.dtype for a in arrays):
        return None
    order = memory_order(x4)
    if order in ((0, 1, 2, 3), (1, 0, 2, 3)):
        layout = (order, False)
    elif order == (0, 2, 3, 1):
        layout = (order, True)
    else:
        return None
    return layout if _load() else None


def max_pool_forward(x4, out4, kernel, stride, dilation, padding):
    """Max-pool the logical (N, C, H, W) ``x4`` into ``out4`` with a compiled
    kernel; False (and nothing written) when no kernel applies.

    Example:
        >>> import numpy as np
        >>> from ndgrad.ops import _accelerated
        >>> x, out = np.arange(16.0).reshape(1, 1, 4, 4), np.zeros((1, 1, 2, 2))
        >>> done = _accelerated.max_pool_forward(x, out, (2, 2), (2, 2), (1, 1), ((0, 0), (0, 0)))
        >>> out[0, 0].tolist() if done else [[5.0, 7.0], [13.0, 15.0]]
        [[5.0, 7.0], [13.0, 15.0]]
    """
    layout = _pooling_layout(x4, out4, kernel, stride, dilation, padding, (out4,))
    if layout is None:
        return False
    order, channels_last = layout
    forward = (_kernels.max_pool_2x2_channels_last if channels_last
               else _kernels.max_pool_2x2_planes)
    return _run(forward, x4.transpose(order), out4.transpose(order))


def max_pool_scatter(g4, x4, out4, grad4, kernel, stride, dilation, padding):
    """Route each window's gradient ``g4`` to its first maximum, writing every
    cell of ``grad4`` (zeros elsewhere); False (and nothing written) when no
    compiled kernel applies.

    Example:
        >>> import numpy as np
        >>> from ndgrad.ops import _accelerated
        >>> x = np.array([[[[1.0, 2.0, 9.0], [4.0, 3.0, 9.0], [9.0, 9.0, 9.0]]]])
        >>> out, grad = np.array([[[[4.0]]]]), np.full((1, 1, 3, 3), np.nan)
        >>> done = _accelerated.max_pool_scatter(np.ones((1, 1, 1, 1)), x, out, grad,
        ...                                      (2, 2), (2, 2), (1, 1), ((0, 0), (0, 0)))
        >>> grad[0, 0].tolist() if done else [[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
        [[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    """
    layout = _pooling_layout(x4, out4, kernel, stride, dilation, padding, (g4, out4, grad4))
    if layout is None:
        return False
    order, channels_last = layout
    height, width = x4.shape[2:]
    if height % 2:
        grad4[:, :, height - 1, :] = 0       # the last row no window covers
    if width % 2:
        grad4[:, :, :, width - 1] = 0
    scatter = (_kernels.max_pool_2x2_scatter_channels_last if channels_last
               else _kernels.max_pool_2x2_scatter_planes)
    return _run(scatter, g4.transpose(order), x4.transpose(order), out4.transpose(order),
                grad4.transpose(order))


def _turn_off():
    global _kernels
    _kernels = False


def _run(kernel, *arrays):
    """Call a kernel; False (the pooling kernels off from now on) if numba
    cannot compile it here: NumPy does the work."""
    from ._numba_support import run_kernel     # here: importing it imports numba
    return run_kernel(kernel, arrays, "pooling", _turn_off)
