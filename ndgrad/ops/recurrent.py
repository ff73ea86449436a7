"""Recurrent scans: a whole sequence of LSTM, GRU or Elman-RNN steps as one primitive.

The input projection of every time step is one matmul done by the caller
(``gates_x``, time-major (T, N, G), biases included); a scan then runs the
recurrence, one ``h @ W`` per step, in plain NumPy, and keeps the gate
activations it needs in a workspace that lives on the graph node. Its rule is
backpropagation through time in NumPy too: one matmul per step for the
hidden-state gradient, and the recurrent weight's gradient as ONE matmul over
all steps at the end. Recorded as ~12 small ops per step instead, an LSTM with
hidden 128, sequence 32 and batch 32 trained over twice as slowly (measured).
Their large arrays come from ``_reusable_buffers`` (see ``_scan_support``).
The LSTM lives in ``recurrent_lstm.py`` (re-exported here), with
``lstm_layer``, which takes the input projection into the primitive too.

Higher derivatives: when the backward itself is recorded (``create_graph=True``)
the rule differentiates the composite form (the same recurrence written with
ndgrad ops) instead, so gradients of gradients are exact. The composite form
also serves activations other than the defaults (Keras's ``activation=``).

Layouts: GRU gates ``r, z, n`` (PyTorch) or ``z, r, n`` (Keras), by
``gate_order``. ``transposed=True`` takes the recurrent weight as PyTorch
stores it, (G, H), False as Keras, (H, G). ``reverse=True`` runs from the last
step back, outputs kept in time order.

Example:
    >>> from ndgrad.nn.functional import gru_scan
    >>> import ndgrad
    >>> out, h = gru_scan(ndgrad.zeros((3, 2, 6)), ndgrad.ones((2, 2)),
    ...                   ndgrad.zeros((6, 2)), ndgrad.zeros(6))
    >>> out.shape, round(h.sum().item(), 4)            # z = 0.5 halves h at each step
    ((3, 2, 2), 0.5)
"""

import numpy as np

from ..autograd.mode import state
from ..autograd.primitive import primitive
from ._scan_support import (check_scan as _check, composite_vjp as _composite_vjp,
                            new_workspace as _workspace, scratch as _scratch, steps as _steps,
                            weight_gradient as _weight_gradient, wrap as _wrap)
from .activations import relu, sigmoid
from .join import stack
from .recurrent_lstm import _lstm_packed, _lstm_scan, lstm_layer, lstm_scan  # noqa: F401
from .trigonometric import tanh

__all__ = ["lstm_scan", "lstm_layer", "gru_scan", "rnn_scan"]


def _sigmoid_(x):
    """Logistic function in place, as ``0.5 * tanh(0.5 x) + 0.5``: one
    transcendental pass, no overflow, and the dtype is kept."""
    x *= 0.5
    np.tanh(x, out=x)
    x *= 0.5
    x += 0.5


# ----------------------------------------------------------------------------- GRU
_GATE_ORDERS = {"rzn": (0, 1), "zrn": (1, 0)}    # block index of r and z; n is always last


@primitive(name="gru_scan", saves_output=True)
def _gru_scan(gates_x, h0, weight, bias, transposed, reverse, gate_order, workspace):
    """Hidden states (T, N, H) in time order; the candidate is
    ``tanh(x W_n + b_in + r * (h U_n + b_hn))`` (PyTorch, Keras reset_after)."""
    T, N, G = gates_x.shape
    H = G // 3
    dtype = np.result_type(gates_x, h0, weight, bias)
    w = weight.T if transposed else weight
    r_cols, z_cols = (slice(b * H, (b + 1) * H) for b in _GATE_ORDERS[gate_order])
    acts, recurrent = (_scratch(None, k, (T, N, G), dtype) for k in ("acts", "recurrent"))
    hs = _scratch(None, "hs", (T + 1, N, H), dtype)
    hs[0] = h0
    for s, t in _steps(T, reverse):
        a, gh, gx = acts[s], recurrent[s], gates_x[t]
        np.matmul(hs[s], w, out=gh)
        gh += bias
        np.add(gx[:, :2 * H], gh[:, :2 * H], out=a[:, :2 * H])
        _sigmoid_(a[:, :2 * H])
        r, z, n = a[:, r_cols], a[:, z_cols], a[:, 2 * H:]
        np.multiply(r, gh[:, 2 * H:], out=n)
        n += gx[:, 2 * H:]
        np.tanh(n, out=n)
        np.subtract(hs[s], n, out=hs[s + 1])                     # h = n + z (h_prev - n)
        hs[s + 1] *= z
        hs[s + 1] += n
    if workspace is not None:
        workspace.update(acts=acts, recurrent=recurrent, hs=hs)
    return hs[:0:-1] if reverse else hs[1:]


@_gru_scan.defvjp
def _gru_scan_vjp(g, out, gates_x, h0, weight, bias, transposed, reverse, gate_order,
                  workspace, needs):
    if state.enabled:
        return _composite_vjp(_gru_sequence, g, (gates_x, h0, weight, bias),
                              dict(transposed=transposed, reverse=reverse, gate_order=gate_order))
    acts, recurrent, hs = workspace["acts"], workspace["recurrent"], workspace["hs"]
    g = g._data
    T, N, G = acts.shape
    H = G // 3
    w = weight._data if transposed else weight._data.T             # (3H, H)
    r_cols, z_cols = (slice(b * H, (b + 1) * H) for b in _GATE_ORDERS[gate_order])
    d_x, d_h = (_scratch(None, k, acts.shape, acts.dtype) for k in ("d_x", "d_h"))  # x, h U + b
    dh = np.zeros((N, H), acts.dtype)
    for s, t in reversed(_steps(T, reverse)):
        a, dx, dr = acts[s], d_x[s], d_h[s]
        r, z, n = a[:, r_cols], a[:, z_cols], a[:, 2 * H:]
        dh += g[t]
        np.multiply(dh, 1 - z, out=dx[:, 2 * H:])
        dx[:, 2 * H:] *= 1 - n * n                               # d pre-activation of n
        np.multiply(dx[:, 2 * H:], r, out=dr[:, 2 * H:])
        np.multiply(dh, hs[s] - n, out=dx[:, z_cols])
        dx[:, z_cols] *= z - z * z
        np.multiply(dx[:, 2 * H:], recurrent[s][:, 2 * H:], out=dx[:, r_cols])
        dx[:, r_cols] *= r - r * r
        dr[:, :2 * H] = dx[:, :2 * H]
        dh *= z
        if s or needs[1]:
            dh += dr @ w
    g_weight = _weight_gradient(d_h, hs, transposed) if needs[2] else None
    g_bias = d_h.sum(axis=(0, 1)) if needs[3] else None
    g_gates = (d_x[::-1] if reverse else d_x) if needs[0] else None
    return _wrap(g_gates, dh if needs[1] else None, g_weight, g_bias)


def _gru_sequence(gates_x, h0, weight, bias, transposed=True, reverse=False, gate_order="rzn",
                  activation=tanh, recurrent_activation=sigmoid, reset_after=True):
    """The GRU recurrence with ndgrad ops; ``reset_after=False`` is Keras's older
    variant ``tanh(x W_n + (r * h) U_n + b_n)`` (``bias`` is then unused)."""
    H = h0.shape[-1]
    r_cols, z_cols = (slice(b * H, (b + 1) * H) for b in _GATE_ORDERS[gate_order])
    w = weight.T if transposed else weight
    h = h0
    outputs = [None] * gates_x.shape[0]
    for _, t in _steps(gates_x.shape[0], reverse):
        gx = gates_x[t]
        if reset_after:
            gh = h @ w + bias
            rz = recurrent_activation(gx[:, :2 * H] + gh[:, :2 * H])
            r = rz[:, r_cols]
            n = activation(gx[:, 2 * H:] + r * gh[:, 2 * H:])
        else:
            rz = recurrent_activation(gx[:, :2 * H] + h @ w[:, :2 * H])
            r = rz[:, r_cols]
            n = activation(gx[:, 2 * H:] + (r * h) @ w[:, 2 * H:])
        h = n + rz[:, z_cols] * (h - n)
        outputs[t] = h
    return stack(outputs)


def gru_scan(gates_x, h0, weight, bias, transposed=True, reverse=False, gate_order="rzn",
             activation=None, recurrent_activation=None, reset_after=True):
    """Run a GRU over a time-major sequence of projected inputs.

    Args:
        gates_x: (T, N, 3H), ``x_t W_ih^T + b_ih`` for every step.
        h0: (N, H) initial state.
        weight: the recurrent weight, (3H, H) if ``transposed`` else (H, 3H).
        bias: (3H,) recurrent bias ``b_hh`` (inside the reset product for ``n``).
        transposed, reverse: as for :func:`lstm_scan`.
        gate_order: "rzn" (PyTorch) or "zrn" (Keras).
        activation, recurrent_activation: None for tanh/sigmoid (fused path).
        reset_after: False for Keras's ``reset_after=False`` variant.

    Returns:
        (outputs (T, N, H), h_n (N, H)).

    Example:
        >>> from ndgrad.nn.functional import gru_scan
        >>> import ndgrad
        >>> out, h = gru_scan(ndgrad.zeros((2, 1, 3)), ndgrad.ones((1, 1)),
        ...                   ndgrad.zeros((3, 1)), ndgrad.zeros(3))
        >>> round(h.item(), 4)      # z = 0.5 and n = 0 halve h at each step
        0.25
    """
    if gate_order not in _GATE_ORDERS:
        raise ValueError(f"gru_scan: gate_order must be 'rzn' or 'zrn', got {gate_order!r}")
    T = _check("gru_scan", gates_x, h0, 3)
    custom = activation not in (None, tanh) or recurrent_activation not in (None, sigmoid)
    if custom or not reset_after:
        outputs = _gru_sequence(gates_x, h0, weight, bias, transposed, reverse, gate_order,
                                activation or tanh, recurrent_activation or sigmoid, reset_after)
    else:
        outputs = _gru_scan(gates_x, h0, weight, bias, transposed=bool(transposed),
                            reverse=bool(reverse), gate_order=gate_order,
                            workspace=_workspace(gates_x, h0, weight, bias))
    return outputs, outputs[0 if reverse else T - 1]


# ----------------------------------------------------------------------------- Elman RNN
@primitive(name="rnn_scan", saves_output=True)
def _rnn_scan(gates_x, h0, weight, transposed, reverse, nonlinearity, workspace):
    """Hidden states (T, N, H) in time order: ``h = act(x W_ih^T + b + h W_hh^T)``."""
    T, N, H = gates_x.shape
    w = weight.T if transposed else weight
    hs = _scratch(None, "hs", (T + 1, N, H), np.result_type(gates_x, h0, weight))
    hs[0] = h0
    for s, t in _steps(T, reverse):
        np.matmul(hs[s], w, out=hs[s + 1])
        hs[s + 1] += gates_x[t]
        if nonlinearity == "tanh":
            np.tanh(hs[s + 1], out=hs[s + 1])
        else:
            np.maximum(hs[s + 1], 0, out=hs[s + 1])
    if workspace is not None:
        workspace["hs"] = hs
    return hs[:0:-1] if reverse else hs[1:]


@_rnn_scan.defvjp
def _rnn_scan_vjp(g, out, gates_x, h0, weight, transposed, reverse, nonlinearity, workspace,
                  needs):
    if state.enabled:
        return _composite_vjp(_rnn_sequence, g, (gates_x, h0, weight),
                              dict(transposed=transposed, reverse=reverse,
                                   activation=tanh if nonlinearity == "tanh" else relu))
    hs, g = workspace["hs"], g._data
    T, N, H = g.shape
    w = weight._data if transposed else weight._data.T
    d_pre = _scratch(None, "d_pre", (T, N, H), hs.dtype)
    dh = np.zeros((N, H), hs.dtype)
    for s, t in reversed(_steps(T, reverse)):
        dh += g[t]
        h = hs[s + 1]
        np.multiply(dh, 1 - h * h if nonlinearity == "tanh" else h > 0, out=d_pre[s])
        if s or needs[1]:
            dh = d_pre[s] @ w
    g_weight = _weight_gradient(d_pre, hs, transposed) if needs[2] else None
    g_gates = (d_pre[::-1] if reverse else d_pre) if needs[0] else None
    return _wrap(g_gates, dh if needs[1] else None, g_weight)


def _rnn_sequence(gates_x, h0, weight, transposed=True, reverse=False, activation=tanh):
    w = weight.T if transposed else weight
    h = h0
    outputs = [None] * gates_x.shape[0]
    for _, t in _steps(gates_x.shape[0], reverse):
        h = activation(gates_x[t] + h @ w)
        outputs[t] = h
    return stack(outputs)


def rnn_scan(gates_x, h0, weight, transposed=True, reverse=False, activation="tanh"):
    """Run an Elman RNN over a time-major sequence of projected inputs.

    Args:
        gates_x: (T, N, H), ``x_t W_ih^T + b`` for every step.
        h0: (N, H) initial state.
        weight: the recurrent weight (H, H), applied transposed if ``transposed``.
        transposed, reverse: as for :func:`lstm_scan`.
        activation: "tanh" or "relu" (fused), or any callable.

    Returns:
        (outputs (T, N, H), h_n (N, H)).

    Example:
        >>> from ndgrad.nn.functional import rnn_scan
        >>> import ndgrad
        >>> out, h = rnn_scan(ndgrad.ones((2, 1, 1)), ndgrad.zeros((1, 1)),
        ...                   ndgrad.ones((1, 1)), activation="relu")
        >>> out.tolist()
        [[[1.0]], [[2.0]]]
    """
    T = _check("rnn_scan", gates_x, h0, 1)
    if isinstance(activation, str) and activation not in ("tanh", "relu"):
        raise ValueError(f"rnn_scan: activation must be 'tanh', 'relu' or a callable, got "
                         f"{activation!r}")
    if activation in ("tanh", "relu", tanh, relu):
        name = "tanh" if activation in ("tanh", tanh) else "relu"
        outputs = _rnn_scan(gates_x, h0, weight, transposed=bool(transposed),
                            reverse=bool(reverse), nonlinearity=name,
                            workspace=_workspace(gates_x, h0, weight))
    else:
        outputs = _rnn_sequence(gates_x, h0, weight, transposed, reverse, activation)
    return outputs, outputs[0 if reverse else T - 1]
