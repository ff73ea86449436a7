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

``tanh`` and the sigmoid gates: numba's ``math.tanh`` and ``math.exp`` are
scalar library calls (180 and 45 microseconds for 16,384 float32 numbers,
against 6.5 for NumPy's vectorized ``np.tanh``), so float32 computes them in
float32 arithmetic from a vectorizing ``exp`` of its own: ``2^n e^r`` with
``n`` the nearest integer to ``v / ln 2``, ``r`` the rest (ln 2 in two parts,
the first exact in products with ``n``), ``e^r = 1 + (r + r^2 E(r))`` and
``2^n`` written as exponent bits. ``tanh(x)`` is ``x + x^3 T(x^2)`` for
``|x| < 0.75`` and ``+-(1 - 2 / (e^(2|x|) + 1))`` beyond (``|x|`` capped at 9.5,
where tanh rounds to +-1); a sigmoid gate is ``1 / (1 + e^(-z))``. ``E`` and
``T`` were fitted by least squares on the relative error (7e-9 and 3e-10 in
float64, well under float32's 6e-8), and the polynomials run as Horner with
fused multiply-adds (``llvm.fma``: one rounding each, an explicit operation,
not ``fastmath``). Measured on every float32 step of a dense grid: ``tanh``
within 1.05 units in the last place (NumPy's float32 ``np.tanh``: 1.4), the
sigmoid within 2.5 units of its own value everywhere (the NumPy path's
``tanh(z / 2) / 2 + 1/2`` is as close in absolute terms but loses all relative
accuracy below about 1e-4), the cell ``f c + i g`` with one rounding fewer
(fused). All in float32 with 16 lanes a vector instead of float64's 8: the
step's loop takes about 13-18 instead of 24 microseconds at hidden 128,
batch 32 (0.5 ns a ``tanh``, 0.3 a sigmoid). Float64 arrays use ``math.tanh``
(libm) and ``tanh(z / 2) / 2 + 1/2``.

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

from ._numba_support import COMPILED, OPTIONS, KernelFamily, njit

__all__ = []

_OPTIONS = dict(OPTIONS, error_model="numpy")
_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))
_family = KernelFamily("the LSTM's cells")   # off once numba fails on one
_run = _family.run               # False when numba cannot compile the kernel

_F = np.float32
# exp(r) ~ 1 + r + r^2 E(r) on |r| <= ln 2 / 2 (relative error 7e-9, float64 arithmetic)
_E0, _E1, _E2, _E3, _E4 = (_F(0.49999991059303284), _F(0.16666541993618011),
                           _F(0.04166920855641365), _F(0.008366144262254238),
                           _F(0.0013752946397289634))
# tanh(x) ~ x + x s T(s), s = x^2, on |x| < _SPLIT (relative error 3e-10, float64 arithmetic)
_T = tuple(_F(c) for c in (-0.3333333134651184, 0.13333286345005035, -0.05396066978573799,
                           0.021810639649629593, -0.008614767342805862, 0.0029951983597129583,
                           -0.0006467471248470247))
_T0, _T1, _T2, _T3, _T4, _T5, _T6 = _T
_SPLIT = _F(0.75)
_LOG2E, _LN2_HI, _LN2_LO = _F(1.4426950408889634), _F(0.693359375), _F(-2.1219444005469057e-4)
_ROUNDER = _F(12582912.0)          # 1.5 * 2^23: adding and subtracting it rounds to an integer
_EXP_LIMIT, _TANH_LIMIT = _F(87.0), _F(9.5)
_ONE, _TWO, _ZERO = _F(1.0), _F(2.0), _F(0.0)


def _fma(a, b, c):
    """``a * b + c`` rounded once, in the arguments' precision (LLVM's
    ``llvm.fma``, vectorized, in compiled code; an explicit operation, not
    ``fastmath``'s license to contract). Plain Python: ``a * b + c``."""
    return a * b + c


def _power_of_two(n):
    """``2.0 ** n`` as float32 for an integer-valued float32 ``n`` in [-126, 127]
    (compiled: the exponent bits written directly, vectorized)."""
    return np.float32(2.0 ** int(n))


if COMPILED:
    from llvmlite import ir
    from numba import types
    from numba.extending import intrinsic, overload

    @intrinsic
    def _fused_multiply_add(typing_context, a, b, c):
        signature = a(a, a, a)

        def codegen(context, builder, signature, arguments):
            kind = ir.FloatType() if signature.return_type == types.float32 else ir.DoubleType()
            function = builder.module.declare_intrinsic(
                "llvm.fma", [kind], ir.FunctionType(kind, [kind] * 3))
            return builder.call(function, arguments)
        return signature, codegen

    @overload(_fma)
    def _fma_compiled(a, b, c):
        if all(isinstance(v, types.Float) and v.bitwidth == 32 for v in (a, b, c)):
            return lambda a, b, c: _fused_multiply_add(a, b, c)
        return lambda a, b, c: _fused_multiply_add(float(a), float(b), float(c))

    @intrinsic
    def _bits_to_single(typing_context, bits):
        signature = types.float32(types.int32)

        def codegen(context, builder, signature, arguments):
            return builder.bitcast(arguments[0], ir.FloatType())
        return signature, codegen

    @overload(_power_of_two)
    def _power_of_two_compiled(n):
        return lambda n: _bits_to_single((np.int32(n) + np.int32(127)) << np.int32(23))


@njit(inline="always", **_OPTIONS)
def _exp_single(v):
    """exp of a float32 ``v`` in float32 arithmetic, ``v`` clamped to [-87, 87]:
    ``2^n e^r`` with ``n`` the nearest integer to ``v / ln 2`` and ``r`` the rest,
    reduced in two exact-enough parts (within about one unit in the last place)."""
    v = _EXP_LIMIT if v > _EXP_LIMIT else v
    v = -_EXP_LIMIT if v < -_EXP_LIMIT else v
    n = (v * _LOG2E + _ROUNDER) - _ROUNDER
    r = _fma(-n, _LN2_HI, v)
    r = _fma(-n, _LN2_LO, r)
    e = _fma(_fma(_fma(_fma(_E4, r, _E3), r, _E2), r, _E1), r, _E0)
    return (_fma(r * r, e, r) + _ONE) * _power_of_two(n)


@njit(inline="always", **_OPTIONS)
def tanh_single(x):
    """tanh of a float32 number in float32 arithmetic (vectorizes; see the module
    docstring for its accuracy). NaN stays NaN.

    Example:
        >>> import numpy as np
        >>> from ndgrad.ops._numba_recurrent import tanh_single
        >>> round(float(tanh_single(np.float32(0.5))), 7), tanh_single(20.0)
        (0.4621172, 1.0)
    """
    x = np.float32(x)
    s = x * x
    t = _fma(_fma(_fma(_fma(_fma(_fma(_T6, s, _T5), s, _T4), s, _T3), s, _T2), s, _T1), s, _T0)
    small = x if s == _ZERO else _fma(x * s, t, x)      # x itself keeps -0.0's sign
    a = -x if x < _ZERO else x
    a = _TANH_LIMIT if a > _TANH_LIMIT else a
    large = _ONE - _TWO / (_exp_single(a + a) + _ONE)
    large = -large if x < _ZERO else large
    return small if (x < _SPLIT and x > -_SPLIT) else large


def _tanh(x):
    """tanh for the kernels: ``tanh_single`` for a float32 ``x``, libm's for
    float64 (chosen at compile time; plain Python uses ``math.tanh``)."""
    return math.tanh(x)


def _sigmoid_of_double(x):
    """``sigmoid(2 x)`` (the sigmoid gates' rows are halved): for float32,
    ``1 / (1 + exp(-2 x))`` in float32; for float64 ``tanh(x) / 2 + 1/2``."""
    return 0.5 * math.tanh(x) + 0.5


if COMPILED:
    def _single(x):
        return isinstance(x, types.Float) and x.bitwidth == 32

    @overload(_tanh)
    def _tanh_for_type(x):
        if _single(x):
            return lambda x: tanh_single(x)
        return lambda x: math.tanh(x)

    @overload(_sigmoid_of_double)
    def _sigmoid_for_type(x):
        if _single(x):
            return lambda x: _ONE / (_ONE + _exp_single(-(x + x)))
        return lambda x: 0.5 * math.tanh(x) + 0.5


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
        i = _sigmoid_of_double((a[k] + b[k]) + r[k])
        f = _sigmoid_of_double((a[M + k] + b[M + k]) + r[M + k])
        g = _tanh((a[2 * M + k] + b[2 * M + k]) + r[2 * M + k])
        o = _sigmoid_of_double((a[3 * M + k] + b[3 * M + k]) + r[3 * M + k])
        a[k] = i
        a[M + k] = f
        a[2 * M + k] = g
        a[3 * M + k] = o
        c[k] = _fma(f, c_prev[k], i * g)
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
    if not COMPILED or _family.failed or dtype not in _FLOATS:
        return False
    if dtype not in _compiled:
        _compiled[dtype] = _try_kernels(dtype)
    return _compiled[dtype] and not _family.failed


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
