"""Compiled kernels for the LSTM's gates (numba): one pass per time step.

``recurrent_lstm`` calls them (through :func:`compiled_kernels`) when numba is
installed and ``_accelerated`` has the compiled kernels on; without numba they
are plain (slow) Python functions, testable on tiny arrays.

The NumPy path makes a step of about a dozen whole-block passes (add the
recurrent product, the activations, the scale and shift that turn ``tanh``
into ``sigmoid``, the cell, its ``tanh``, the hidden state) and the backward
six more, each a separate call over 4H x N numbers. Here the forward of a step
is one loop over the H x N cells that reads the four gates' pre-activations
and writes the activations, ``c_t``, ``tanh(c_t)`` and ``h_t``; the backward of
a step is one loop that writes the four gates' pre-activation gradients and
carries the cell's. The matrix products stay NumPy's (BLAS).

Layout: feature-major, the gates as (4H, T, N) (so the gates' gradients are
already the (4H, T * N) matrix the weight gradients multiply), the states as
(H, N) per step. The arrays are C-contiguous and the inner loop runs over the
batch, so it vectorizes.

``tanh``: numba's ``math.tanh`` and ``math.exp`` are scalar library calls
(180 and 45 microseconds for 16,384 float32 numbers, against 6.5 for NumPy's
vectorized ``np.tanh``), so float32 uses a rational function evaluated in
float64 (Horner with fused multiply-adds), ``x P(x^2) / Q(x^2)`` on [-10, 10]
and +-1 beyond (where tanh rounds
to +-1 in float32); it vectorizes (0.8 ns a number). Its coefficients were
fitted to float64 ``np.tanh`` by iteratively reweighted least squares on the
relative error (largest relative error 1.2e-9 on [0, 10], a fiftieth of a
float32 unit), so after rounding to float32 it is within half a unit in the
last place of the exact value plus that, more accurate than NumPy's float32
``tanh`` (up to 1.4 units). Float64 arrays use ``math.tanh`` (libm). The
sigmoid gates are ``sigmoid(z) = tanh(z / 2) / 2 + 1/2`` as on the NumPy path,
computed in float64 and rounded once.

Results therefore equal the NumPy path's within float32 rounding (not bit for
bit): ``tests/ops/test_accelerated_recurrent.py`` compares the two paths,
outputs and every gradient. ``fastmath`` stays off; ``error_model="numpy"``
only drops Python's zero-division check (the denominators are >= 1), which
otherwise keeps the loops from vectorizing.

Example:
    >>> import numpy as np
    >>> from ndgrad.ops import _numba_recurrent as kernels
    >>> acts = np.zeros((1, 4, 1))                  # T = 1, H = 1, N = 1: all z = 0
    >>> cells, tanh_c, hidden = np.zeros((2, 1, 1)), np.empty((1, 1, 1)), np.empty((1, 1, 1))
    >>> kernels.lstm_forward_step(acts, 0, np.zeros((4, 1)), np.zeros((4, 1)), cells, 0, 1,
    ...                           tanh_c, hidden)
    >>> acts[0, :, 0].tolist()                      # i, f, g, o
    [0.5, 0.5, 0.0, 0.5]
"""

import math

import numpy as np

from ._numba_support import COMPILED, OPTIONS, njit, run_kernel

__all__ = []

_OPTIONS = dict(OPTIONS, error_model="numpy")
_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))
_failed = False           # set when numba cannot compile a kernel here

# tanh(x) ~ x P(x^2) / Q(x^2) on [-10, 10], relative error <= 1.2e-9 (float64 arithmetic)
_P = (0.9999999999190937, 0.13829376559519815, 0.004060156550113096, 3.224570650243724e-05,
      4.341674927367744e-08, -2.871855153669213e-11, 2.1742279457049323e-14)
_Q = (1.0, 0.47162709732194275, 0.027935858826814826, 0.00042883707651237716,
      1.6117043075046078e-06)
_P0, _P1, _P2, _P3, _P4, _P5, _P6 = _P
_Q0, _Q1, _Q2, _Q3, _Q4 = _Q


def _fma(a, b, c):
    """``a * b + c`` rounded once (LLVM's ``llvm.fma``, vectorized, in compiled
    code: about a fifth off the kernels' ``tanh``; an explicit operation, not
    ``fastmath``'s license to contract). Plain Python: ``a * b + c``."""
    return a * b + c


if COMPILED:
    from llvmlite import ir
    from numba import types
    from numba.extending import intrinsic, overload

    @intrinsic
    def _fused_multiply_add(typing_context, a, b, c):
        signature = types.float64(types.float64, types.float64, types.float64)

        def codegen(context, builder, signature, arguments):
            double = ir.DoubleType()
            function = builder.module.declare_intrinsic(
                "llvm.fma", [double], ir.FunctionType(double, [double] * 3))
            return builder.call(function, arguments)
        return signature, codegen

    @overload(_fma)
    def _fma_compiled(a, b, c):
        return lambda a, b, c: _fused_multiply_add(float(a), float(b), float(c))


@njit(inline="always", **_OPTIONS)
def tanh_single(x):
    """tanh of a float32 number, computed in float64 (vectorizes; see the module
    docstring for its accuracy). NaN stays NaN.

    Example:
        >>> from ndgrad.ops._numba_recurrent import tanh_single
        >>> round(tanh_single(0.5), 9), tanh_single(20.0), tanh_single(-float("inf"))
        (0.462117157, 1.0, -1.0)
    """
    v = float(x)
    r = 10.0 if v > 10.0 else v
    r = -10.0 if r < -10.0 else r
    s = r * r
    p = _fma(_fma(_fma(_fma(_fma(_fma(_P6, s, _P5), s, _P4), s, _P3), s, _P2), s, _P1), s, _P0)
    q = _fma(_fma(_fma(_fma(_Q4, s, _Q3), s, _Q2), s, _Q1), s, _Q0)
    y = r * p / q
    y = 1.0 if v > 10.0 else y
    return -1.0 if v < -10.0 else y


def _tanh(x):
    """tanh for the kernels, in float64: ``tanh_single`` for a float32 ``x``,
    libm's for float64 (chosen at compile time; plain Python uses ``math.tanh``)."""
    return math.tanh(x)


if COMPILED:
    def _single(x):
        return isinstance(x, types.Float) and x.bitwidth == 32

    @overload(_tanh)
    def _tanh_for_type(x):
        if _single(x):
            return lambda x: tanh_single(x)
        return lambda x: math.tanh(x)


@njit(**_OPTIONS)
def lstm_forward_step(acts, t, recurrent, bias, cells, previous, current, tanh_c, hidden):
    """One step of the LSTM's gates. ``acts[t]`` (4H, N) holds the input part of
    the pre-activations (gates i, f, g, o; the sigmoid gates' rows halved, see
    ``recurrent_lstm``) and receives the activations; ``recurrent`` (4H, N) is
    the (likewise halved) ``W_hh h_{t-1}``; ``bias`` (4H, N), the (halved) bias
    as a block, adds to ``acts[t]`` first. Reads ``cells[previous]`` and writes
    ``cells[current]``, ``tanh_c[t]`` and ``hidden[t]`` (each (H, N)).

    Example:
        >>> import numpy as np
        >>> from ndgrad.ops._numba_recurrent import lstm_forward_step
        >>> acts = np.array([0.0, 0.0, 1.0, 0.0]).reshape(1, 4, 1)    # H = 1, N = 1
        >>> cells, tanh_c, hidden = np.ones((2, 1, 1)), np.empty((1, 1, 1)), np.empty((1, 1, 1))
        >>> zeros = np.zeros((4, 1))
        >>> lstm_forward_step(acts, 0, zeros, zeros, cells, 0, 1, tanh_c, hidden)
        >>> round(float(cells[1, 0, 0]), 6)           # f c_prev + i g = 0.5 + 0.5 tanh(1)
        0.880797
    """
    G, N = recurrent.shape
    M = G // 4 * N
    a = acts[t].reshape(G * N)
    r = recurrent.reshape(G * N)
    b = bias.reshape(G * N)
    c_prev = cells[previous].reshape(M)
    c = cells[current].reshape(M)
    tc = tanh_c[t].reshape(M)
    h = hidden[t].reshape(M)
    for k in range(M):
        i = 0.5 * _tanh((a[k] + b[k]) + r[k]) + 0.5
        f = 0.5 * _tanh((a[M + k] + b[M + k]) + r[M + k]) + 0.5
        g = _tanh((a[2 * M + k] + b[2 * M + k]) + r[2 * M + k])
        o = 0.5 * _tanh((a[3 * M + k] + b[3 * M + k]) + r[3 * M + k]) + 0.5
        a[k] = i
        a[M + k] = f
        a[2 * M + k] = g
        a[3 * M + k] = o
        c[k] = f * c_prev[k] + i * g
        tc[k] = _tanh(c[k])
        h[k] = o * tc[k]


@njit(**_OPTIONS)
def lstm_backward_step(d_acts, acts, t, dh, g_hidden, dc, cells, previous, tanh_c):
    """One step back through the gates: from ``dh`` (H, N), the part of ``h_t``'s
    gradient that came through the recurrence, ``g_hidden[t]`` (H, N), the part
    from the output, and ``dc`` (H, N), ``c_t``'s (updated in place to
    ``c_{t-1}``'s), write the pre-activations' gradients ``d_acts[t]`` (4H, N)
    from the saved activations ``acts[t]``, ``cells[previous]`` and ``tanh_c[t]``.

    Example:
        >>> import numpy as np
        >>> from ndgrad.ops._numba_recurrent import lstm_backward_step
        >>> acts, d_acts, dc = np.full((1, 4, 1), 0.5), np.empty((1, 4, 1)), np.zeros((1, 1))
        >>> lstm_backward_step(d_acts, acts, 0, np.zeros((1, 1)), np.ones((1, 1, 1)), dc,
        ...                    np.ones((2, 1, 1)), 0, np.zeros((1, 1, 1)))
        >>> d_acts[0, :, 0].tolist(), dc.tolist()
        ([0.0625, 0.125, 0.1875, 0.0], [[0.25]])
    """
    H, N = dc.shape
    M = H * N
    a = acts[t].reshape(4 * M)
    d = d_acts[t].reshape(4 * M)
    d_hidden = dh.reshape(M)
    g = g_hidden[t].reshape(M)
    d_cell = dc.reshape(M)
    c_prev = cells[previous].reshape(M)
    tc = tanh_c[t].reshape(M)
    one = a.dtype.type(1)
    for k in range(M):
        i, f, cand, o, tck = a[k], a[M + k], a[2 * M + k], a[3 * M + k], tc[k]
        d_h = d_hidden[k] + g[k]
        d_c = d_cell[k] + d_h * o * (one - tck * tck)
        d[k] = d_c * cand * i * (one - i)
        d[M + k] = d_c * c_prev[k] * f * (one - f)
        d[2 * M + k] = d_c * i * (one - cand * cand)
        d[3 * M + k] = d_h * tck * o * (one - o)
        d_cell[k] = d_c * f


def usable(dtype):
    """Whether the kernels can run on arrays of ``dtype``: numba is installed, the
    dtype is float32 or float64, and the kernels compiled for it here (tried once
    per dtype, on tiny arrays, so that a failure never interrupts a sequence).
    Whether they are *on* is ``_accelerated.enabled()``.

    Example:
        >>> import numpy as np
        >>> from ndgrad.ops import _numba_recurrent
        >>> _numba_recurrent.usable(np.float16)
        False
    """
    dtype = np.dtype(dtype)
    if not COMPILED or _failed or dtype not in _FLOATS:
        return False
    if dtype not in _compiled:
        _compiled[dtype] = _try_kernels(dtype)
    return _compiled[dtype] and not _failed


_compiled = {}            # dtype -> whether both kernels ran


def _try_kernels(dtype):
    acts, d_acts = np.zeros((1, 4, 1), dtype), np.empty((1, 4, 1), dtype)
    cells, tanh_c, hidden = np.zeros((2, 1, 1), dtype), np.empty((1, 1, 1), dtype), np.empty(
        (1, 1, 1), dtype)
    state = np.zeros((1, 1), dtype)
    zeros = np.zeros((4, 1), dtype)
    return (_run(lstm_forward_step, acts, 0, zeros, zeros, cells, 0, 1, tanh_c, hidden)
            and _run(lstm_backward_step, d_acts, acts, 0, state, hidden, state.copy(), cells, 0,
                     tanh_c))


def _turn_off():
    global _failed
    _failed = True


def _run(kernel, *arguments):
    """Call a kernel; False (the recurrent kernels off from now on, with a
    warning) if numba cannot compile it here: NumPy does the work."""
    return run_kernel(kernel, arguments, "the LSTM's cells", _turn_off)
