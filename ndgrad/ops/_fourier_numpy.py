"""NumPy's N-D transforms as ``ndgrad.ops.fourier`` runs them: single precision
kept single, outputs in reused buffers, and a large batch split over a few threads.

Three things made ``numpy.fft`` slow on float32 data (measured with NumPy 2.4 on an
rfft of a (64, 4096) float32 array and its backward; the numbers are from one
loaded 2-core machine, the ratios hold):

- **Single precision ran in double.** For an unscaled transform (a forward one
  under norm "backward", an inverse one under "forward") NumPy hands its
  transform ufunc the Python int ``1`` as the scale, and the ufunc then picks its
  double loop: the float32 input is cast to a float64 temporary, the complex128
  result cast back to complex64, 4 MB of fresh temporaries (1024 page faults)
  per call: 2.3 ms. Every other norm passes a float32 scale (``1/n``) and gets
  the float32 loop: 0.4 ms. So an unscaled single-precision transform runs here
  as the ``1/n``-scaled one, multiplied by ``n`` in place afterwards (exact for
  a power-of-two ``n``); the result equals the double-precision one within
  float32 rounding, as PyTorch's float32 transform does.
- **Fresh pages.** The C allocator hands megabyte blocks back to the operating
  system when they are freed, so every new output was faulted in page by page
  again: 768 page faults per forward and backward, as much system time as the
  transforms took. Outputs come from ``ndgrad.ops._reusable_buffers`` (NumPy's
  ``out=``), as convolution's do.
- **One thread.** NumPy's FFT runs on the calling thread, and releases the GIL
  while it transforms. An input with many lines to transform is cut along an
  axis that is not transformed into a few pieces, and the pieces are
  transformed at once on a small thread pool, each into its part of the output.
  Every line is transformed alone either way, so the result is bit for bit the
  one of a single call. How many threads: ``ndgrad.fft.set_workers``.

NumPy before 2.0 computes every transform in double and has no ``out=``: there
the plain call runs.
"""

import math
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from . import _reusable_buffers as buffers

__all__ = ["transform", "get_workers", "set_workers"]

_FUNCTIONS = {"fftn": (np.fft.fftn, False), "ifftn": (np.fft.ifftn, True),
              "rfftn": (np.fft.rfftn, False), "irfftn": (np.fft.irfftn, True)}
# The norm under which NumPy passes the int scale 1, forward and inverse, and the
# norm that gives the same transform scaled by 1/n with a float32 scale.
_UNSCALED = {False: "backward", True: "forward"}
_SCALED = {False: "forward", True: "backward"}
_SINGLE = (np.dtype(np.float32), np.dtype(np.complex64))
# The dtypes whose transforms' output dtype is known here (others: NumPy's plain call).
_PLAIN_DTYPES = (np.dtype(np.float32), np.dtype(np.float64),
                 np.dtype(np.complex64), np.dtype(np.complex128))
_MODERN = np.lib.NumpyVersion(np.__version__) >= "2.0.0"

# A piece smaller than this (input elements) costs more to hand to a thread
# (tens of microseconds to wake it) than it saves: 8 lines of 4096 points.
MIN_PIECE = 1 << 15


def _default_workers():
    # One thread unless asked: measured on 2 cores (bench/fourier.py, 80 rounds), a
    # (64, 4096) rfft step split over 2 threads took 1.81-1.84 ms against 1.38-1.64 ms
    # unsplit, the second core being busy with BLAS or another process more often than
    # not. OMP_NUM_THREADS (or set_workers / torch.set_num_threads) opts in.
    value = os.environ.get("OMP_NUM_THREADS", "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    return 1


_state = {"workers": _default_workers(), "pool": None, "pool_size": 0, "pid": None}
_pool_lock = threading.Lock()


class _WorkersSetting:
    """What ``set_workers`` returns: usable as a statement or as a ``with`` block."""

    def __init__(self, previous):
        self.previous = previous

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        _state["workers"] = self.previous
        return False


def get_workers():
    """How many threads ``ndgrad.fft``'s transforms use for a large batch
    (default: ``OMP_NUM_THREADS`` when set, else 1: on a small machine the split
    measured slower than one thread, the other cores being busy).

    Example:
        >>> import ndgrad
        >>> ndgrad.fft.get_workers() >= 1
        True
    """
    return _state["workers"]


def set_workers(workers):
    """Let ``ndgrad.fft``'s transforms of a large batch run on ``workers``
    threads (1: on the calling thread only); as a ``with`` block, only inside
    it. The results do not depend on it. ``ndgrad.torch.set_num_threads`` sets it too.

    Example:
        >>> import ndgrad
        >>> with ndgrad.fft.set_workers(1):
        ...     ndgrad.fft.get_workers()
        1
    """
    if isinstance(workers, bool) or not isinstance(workers, (int, np.integer)):
        raise TypeError(f"fft.set_workers: workers={workers!r} is a "
                        f"{type(workers).__name__}; use a positive int")
    if workers < 1:
        raise ValueError(f"fft.set_workers: workers={workers!r} is not a number of threads; "
                         "use a positive int")
    previous = _state["workers"]
    _state["workers"] = int(workers)
    return _WorkersSetting(previous)


def _pool():
    """The shared thread pool, made again in a forked child (a parent's threads
    do not exist there)."""
    with _pool_lock:
        wanted = _state["workers"] - 1      # the calling thread transforms a piece too
        pool = _state["pool"]
        if pool is None or _state["pid"] != os.getpid() or _state["pool_size"] < wanted:
            if pool is not None and _state["pid"] == os.getpid():
                pool.shutdown(wait=False)
            pool = ThreadPoolExecutor(max_workers=wanted, thread_name_prefix="ndgrad-fft")
            _state.update(pool=pool, pool_size=wanted, pid=os.getpid())
        return pool


def _output(kind, x, axes, sizes):
    shape = list(x.shape)
    for axis, size in zip(axes, sizes):
        shape[axis] = size
    dtype = np.result_type(x.dtype, np.complex64)
    if kind == "rfftn":
        shape[axes[-1]] = sizes[-1] // 2 + 1
    elif kind == "irfftn":
        dtype = np.finfo(dtype).dtype
    return buffers.empty(shape, dtype)


def _split_axis(x, axes):
    """The longest axis not transformed, and into how many pieces to cut it (1: don't)."""
    workers = _state["workers"]
    others = [axis for axis in range(x.ndim) if axis not in axes]
    if workers < 2 or not others:
        return None, 1
    axis = max(others, key=lambda a: x.shape[a])
    return axis, max(1, min(workers, x.shape[axis], x.size // MIN_PIECE))


def transform(kind, x, *, axes, norm, sizes):
    """``numpy.fft.<kind>(x, s=sizes, axes=axes, norm=norm)`` for ``kind`` in
    fftn, ifftn, rfftn, irfftn, with ``sizes`` the transform's own lengths (the
    input's for the forward ones, the output's for irfftn: no cropping or
    padding happens here), faster as the module docstring says.

    Example:
        >>> import numpy as np
        >>> from ndgrad.ops._fourier_numpy import transform
        >>> transform("rfftn", np.ones(4, np.float32), axes=(0,), norm="backward",
        ...           sizes=(4,)).tolist()
        [(4+0j), 0j, 0j]
    """
    function, inverse = _FUNCTIONS[kind]
    if not _MODERN or x.dtype not in _PLAIN_DTYPES:
        return function(x, s=sizes, axes=axes, norm=norm)
    scale = None
    if x.dtype in _SINGLE and norm == _UNSCALED[inverse]:
        norm, scale = _SCALED[inverse], np.float32(math.prod(sizes))

    def run(piece, out=None):
        result = function(piece, s=sizes, axes=axes, norm=norm, out=out)
        if scale is not None:
            result *= scale
        return result

    out = _output(kind, x, axes, sizes)
    axis, pieces = _split_axis(x, axes)
    if pieces == 1:
        return run(x, out)
    bounds = np.linspace(0, x.shape[axis], pieces + 1).astype(int).tolist()
    cuts = [(slice(None),) * axis + (slice(lo, hi),) for lo, hi in zip(bounds, bounds[1:])]
    pool = _pool()
    futures = [pool.submit(run, x[cut], out[cut]) for cut in cuts[1:]]
    run(x[cuts[0]], out[cuts[0]])
    for future in futures:
        future.result()
    return out
