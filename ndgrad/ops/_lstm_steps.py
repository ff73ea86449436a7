"""The LSTM's loop over time, forward and back: the step loops that
``recurrent_lstm``'s primitives run, on NumPy or on compiled kernels.

Both take the gates feature-major, ``acts`` (T, 4H, N), pre-filled with the
input part of every step's pre-activation, the sigmoid gates' rows halved (see
``recurrent_lstm``), and the recurrent weight likewise halved, (4H, H).
:func:`forward` writes the packed output (h_t in time order, then c_T) and,
when recording, leaves in the workspace what :func:`backward` needs;
:func:`backward` writes the pre-activations' gradients ``d_acts`` (T, 4H, N)
and returns the initial states' gradients.

Two ways to run a step:

- NumPy: whole-block passes over the four gates per step; when recording, the
  derivative of each gate times its chain-rule partner is made for all steps
  at once after the scan (``factors``, ``cell_factor``), so that a backward step
  is six elementwise passes and one matmul.
- compiled (``_numba_recurrent``, when numba is installed and ``_accelerated``
  has the compiled kernels on): per step, the matmul and ONE loop over the H x N
  cells for the whole elementwise part; the backward step's loop makes the
  derivatives from the saved activations, cells and ``tanh(c)``, so the forward
  keeps no factors. Same numbers within float32 rounding (its ``tanh`` is its
  own; see that module).

Example:
    >>> import numpy as np
    >>> from ndgrad.ops import _lstm_steps
    >>> acts, out = np.zeros((1, 4, 1), np.float32), np.empty((2, 1, 1), np.float32)
    >>> _lstm_steps.forward(acts, np.zeros((1, 1)), np.ones((1, 1)), np.zeros((4, 1)), out,
    ...                     False, None)
    >>> [round(float(v), 6) for v in out[:, 0, 0]]     # h_1 = 0.5 tanh(0.5), c_1 = 0.5
    [0.231059, 0.5]
"""

import functools

import numpy as np

from ._scan_support import scratch, steps

__all__ = []


@functools.lru_cache(maxsize=32)
def gate_constants(N, H, dtype):
    """Read-only (4H, N) blocks for one feature-major step: ``scale`` (1/2 on i, f,
    o; 1 on g) and ``shift`` (1/2 on i, f, o; 0 on g). Full arrays rather than one
    broadcast column: a same-shape product runs about twice as fast.

    Example:
        >>> import numpy as np
        >>> from ndgrad.ops._lstm_steps import gate_constants
        >>> scale, shift = gate_constants(1, 1, np.dtype(np.float32))
        >>> scale[:, 0].tolist(), shift[:, 0].tolist()
        ([0.5, 0.5, 1.0, 0.5], [0.5, 0.5, 0.0, 0.5])
    """
    scale = np.full((4, H, N), 0.5, dtype)
    scale[2] = 1
    shift = 1 - scale
    constants = (scale.reshape(4 * H, N), shift.reshape(4 * H, N))
    for array in constants:
        array.flags.writeable = False
    return constants


def _compiled_kernels(dtype):
    """``_numba_recurrent`` when its kernels are to run now on ``dtype``, else None."""
    from . import _accelerated          # here: it imports the convolution modules
    if not _accelerated.enabled():
        return None
    from . import _numba_recurrent
    return _numba_recurrent if _numba_recurrent.usable(dtype) else None


def forward(acts, h0, c0, w, out, reverse, workspace, bias=None):
    """Run the recurrence over ``acts`` (T, 4H, N); write ``out`` (T + 1, N, H): h_t
    in time order, then the last cell. ``bias``: None or a (4H, N) block (halved
    as the gates are) that every step adds to ``acts[t]``. ``workspace`` is None
    when not recording."""
    kernels = _compiled_kernels(acts.dtype)
    if kernels is not None:
        if bias is None:
            bias = _zeros(*acts.shape[1:], acts.dtype)
        _forward_compiled(kernels, acts, h0, c0, w, bias, out, reverse, workspace)
    else:
        if bias is not None:
            acts += bias
        _forward_numpy(acts, h0, c0, w, out, reverse, workspace)


@functools.lru_cache(maxsize=8)
def _zeros(G, N, dtype):
    zeros = np.zeros((G, N), dtype)
    zeros.flags.writeable = False
    return zeros


def backward(g, workspace, w_t, reverse, d_acts, needs_h0):
    """Backpropagation through time from ``g`` (the packed output's gradient) into
    ``d_acts`` (T, 4H, N), the pre-activations' gradients; returns (dh0, dc0).
    ``w_t`` is the recurrent weight as (H, 4H), not halved."""
    if "tanh_c" in workspace:
        from . import _numba_recurrent
        return _backward_compiled(_numba_recurrent, g, workspace, w_t, reverse, d_acts,
                                  needs_h0)
    return _backward_numpy(g, workspace, w_t, reverse, d_acts, needs_h0)


def _forward_compiled(kernels, acts, h0, c0, w, bias, out, reverse, workspace):
    T, G, N = acts.shape
    H = G // 4
    dtype = acts.dtype
    cells = scratch(workspace, "cells", (T + 1, H, N), dtype)   # c0 first (last when reverse)
    tanh_c = scratch(workspace, "tanh_c", (T, H, N), dtype)
    hidden = scratch(None, "hidden", (T, H, N), dtype)
    recurrent = np.empty((G, N), dtype)
    first = T if reverse else 0
    cells[first] = c0.T
    h_prev = np.asarray(h0, dtype).T
    step, matmul = kernels.lstm_forward_step, np.matmul
    for _, t in steps(T, reverse):
        matmul(w, h_prev, out=recurrent)
        step(acts, t, recurrent, bias, cells, t + 1 if reverse else t, t if reverse else t + 1,
             tanh_c, hidden)
        h_prev = hidden[t]
    np.copyto(out[:T], hidden.transpose(0, 2, 1))
    np.copyto(out[T], cells[T - first].T)


def _backward_start(g, T, H, N, dtype):
    """Both backward paths' start: the hidden states' gradients feature-major
    (T, H, N), a zero carried hidden gradient and c_T's gradient, (H, N) each."""
    g_hidden = scratch(None, "g_hidden", (T, H, N), dtype)
    np.copyto(g_hidden, g[:T].transpose(0, 2, 1))
    return g_hidden, np.zeros((H, N), dtype), np.array(g[T].T, dtype, order="C")


def _backward_compiled(kernels, g, workspace, w_t, reverse, d_acts, needs_h0):
    acts, cells, tanh_c = (workspace[k] for k in ("acts", "cells", "tanh_c"))
    T, G, N = acts.shape
    H = G // 4
    dtype = acts.dtype
    g_hidden, dh, dc = _backward_start(g, T, H, N, dtype)
    step, matmul = kernels.lstm_backward_step, np.matmul
    last = T - 1 if reverse else 0
    for _, t in reversed(steps(T, reverse)):
        step(d_acts, acts, t, dh, g_hidden, dc, cells, t + 1 if reverse else t, tanh_c)
        if t != last or needs_h0:
            matmul(w_t, d_acts[t], out=dh)
    return np.ascontiguousarray(dh.T), np.ascontiguousarray(dc.T)


def _forward_numpy(acts, h0, c0, w, out, reverse, workspace):
    """Run the recurrence over ``acts`` (T, 4H, N), pre-filled with the scaled input
    part of every step's pre-activation; write ``out`` (h_t in time order, then c_T)."""
    T, G, N = acts.shape
    H = G // 4
    dtype = acts.dtype
    scale, shift = gate_constants(N, H, dtype)
    recording = workspace is not None
    cells = scratch(None, "cells", (T + 1, H, N), dtype)      # c0 first (last when reverse)
    tanh_c = scratch(None, "tanh_c", (T, H, N), dtype)
    hidden = scratch(None, "hidden", (T, H, N), dtype)
    # i g and f c_{t-1}, the two terms of c_t, kept for the derivative factors
    terms = scratch(None, "terms", (T, 2 * H, N), dtype) if recording else None
    recurrent, spare = np.empty((G, N), dtype), np.empty((2 * H, N), dtype)
    multiply, tanh, matmul, add = np.multiply, np.tanh, np.matmul, np.add
    cells[T if reverse else 0] = c0.T
    h_prev = np.asarray(h0, dtype).T
    for _, t in steps(T, reverse):
        a = acts[t]
        matmul(w, h_prev, out=recurrent)
        a += recurrent
        tanh(a, out=a)
        a *= scale
        a += shift                                                 # i, f, g, o
        c_prev, c = (cells[t + 1], cells[t]) if reverse else (cells[t], cells[t + 1])
        both = terms[t] if recording else spare
        multiply(a[:H], a[2 * H:3 * H], out=both[:H])
        multiply(a[H:2 * H], c_prev, out=both[H:])
        add(both[:H], both[H:], out=c)
        tanh(c, out=tanh_c[t])
        h_prev = hidden[t]
        multiply(a[3 * H:], tanh_c[t], out=h_prev)
    np.copyto(out[:T], hidden.transpose(0, 2, 1))
    np.copyto(out[T], cells[0 if reverse else T].T)
    if recording:                  # the derivatives times their partners, all steps at once
        factors = scratch(workspace, "factors", (T, G, N), dtype)
        np.subtract(1, acts, out=factors)                          # sigmoid' = s (1 - s)
        factors[:, :2 * H] *= terms                                # i g (1 - i), f c (1 - f)
        factors[:, 3 * H:] *= acts[:, 3 * H:]
        factors[:, 3 * H:] *= tanh_c                               # o (1 - o) tanh(c)
        g_factor = factors[:, 2 * H:3 * H]
        np.multiply(acts[:, 2 * H:3 * H], acts[:, 2 * H:3 * H], out=g_factor)
        np.subtract(1, g_factor, out=g_factor)                     # tanh' = 1 - g^2
        g_factor *= acts[:, :H]                                    # i (1 - g^2)
        cell_factor = scratch(workspace, "cell_factor", (T, H, N), dtype)
        np.multiply(tanh_c, tanh_c, out=cell_factor)
        cell_factor -= 1
        cell_factor *= acts[:, 3 * H:]                             # o (tanh(c)^2 - 1)


def _backward_numpy(g, workspace, w_t, reverse, d_acts, needs_h0):
    """Backpropagation through time from ``g`` (the packed output's gradient) into
    ``d_acts`` (T, 4H, N), the pre-activations' gradients; returns (dh0, dc0).
    ``w_t`` is the recurrent weight as (H, 4H)."""
    acts, factors, cell_factor = (workspace[k] for k in ("acts", "factors", "cell_factor"))
    T, G, N = acts.shape
    H = G // 4
    dtype = acts.dtype
    g_hidden, dh, dc = _backward_start(g, T, H, N, dtype)
    product = np.empty((H, N), dtype)
    multiply, matmul = np.multiply, np.matmul
    last = T - 1 if reverse else 0
    for _, t in reversed(steps(T, reverse)):
        da, d = d_acts[t], factors[t]
        dh += g_hidden[t]
        multiply(dh, d[3 * H:], out=da[3 * H:])                      # o
        multiply(dh, cell_factor[t], out=product)
        dc -= product                                              # dc += dh o (1 - tanh(c)^2)
        multiply(dc, d[:3 * H].reshape(3, H, N), out=da[:3 * H].reshape(3, H, N))  # i, f, g
        dc *= acts[t, H:2 * H]
        if t != last or needs_h0:
            matmul(w_t, da, out=dh)
    return np.ascontiguousarray(dh.T), np.ascontiguousarray(dc.T)


