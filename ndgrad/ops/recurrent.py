"""Recurrent scans: a whole sequence of LSTM, GRU or Elman-RNN steps as one primitive.

The input projection of every time step is one matmul done by the caller
(``gates_x``, time-major (T, N, G), biases included); a scan then runs the
recurrence, one ``h @ W`` per step, in plain NumPy, and keeps the gate
activations it needs in a workspace that lives on the graph node. Its rule is
backpropagation through time in NumPy too: one matmul per step for the
hidden-state gradient, and the recurrent weight's gradient as ONE matmul over
all steps at the end. Recorded as ~12 small ops per step instead, an LSTM with
hidden 128, sequence 32 and batch 32 trained over twice as slowly (measured).

Higher derivatives: when the backward itself is recorded (``create_graph=True``)
the rule differentiates the composite form (the same recurrence written with
ndgrad ops) instead, so gradients of gradients are exact. The composite form
also serves activations other than the defaults (Keras's ``activation=``).

Layouts: LSTM gates ``i, f, g, o`` (PyTorch and Keras agree); GRU gates ``r, z,
n`` (PyTorch) or ``z, r, n`` (Keras), by ``gate_order``. ``transposed=True``
takes the recurrent weight as PyTorch stores it, (G, H), False as Keras, (H, G).
``reverse=True`` runs from the last step back, outputs kept in time order.

Example:
    >>> import ndgrad
    >>> out, h, c = lstm_scan(ndgrad.zeros((3, 2, 8)), ndgrad.zeros((2, 2)),
    ...                       ndgrad.ones((2, 2)), ndgrad.zeros((8, 2)))
    >>> out.shape, h.shape, round(c.sum().item(), 4)    # c decays by sigmoid(0) = 0.5
    ((3, 2, 2), (2, 2), 0.5)
"""

import numpy as np

from ..autograd.functional import vjp
from ..autograd.mode import state
from ..autograd.primitive import primitive
from ..tensor import Tensor
from .activations import relu, sigmoid
from .join import concatenate, stack
from .trigonometric import tanh

__all__ = ["lstm_scan", "gru_scan", "rnn_scan"]


def _sigmoid_(x):
    """Logistic function in place, as ``0.5 * tanh(0.5 x) + 0.5``: one
    transcendental pass, no overflow, and the dtype is kept."""
    x *= 0.5
    np.tanh(x, out=x)
    x *= 0.5
    x += 0.5


def _steps(T, reverse):
    """(step, time) pairs in processing order."""
    return [(s, T - 1 - s) for s in range(T)] if reverse else [(s, s) for s in range(T)]


def _weight_gradient(d_pre, hs, transposed):
    """``sum_t d_t^T h_{t-1}`` as ONE matmul over all steps, in the weight's layout."""
    flat_d, flat_h = d_pre.reshape(-1, d_pre.shape[-1]), hs[:-1].reshape(-1, hs.shape[-1])
    return flat_d.T @ flat_h if transposed else flat_h.T @ flat_d


def _wrap(*arrays):
    return tuple(None if a is None else Tensor._wrap(a) for a in arrays)


def _workspace(*inputs):
    """A dict for the forward to leave its intermediates in, or None when no
    gradient will be asked for (inference skips the derivative bookkeeping)."""
    wanted = state.enabled and any(isinstance(a, Tensor) and a._rg for a in inputs)
    return {} if wanted else None


def _composite_vjp(composite, g, inputs, params):
    """The rule under ``create_graph``: differentiate the composite form, recorded."""
    _, pullback = vjp(lambda *args: composite(*args, **params), *inputs)
    return pullback(g)


def _check(name, gates_x, h0, blocks):
    """The number of steps, after refusing shapes the scan cannot run on."""
    shape = tuple(gates_x.shape)
    if len(shape) != 3 or shape[0] == 0 or shape[2] % blocks:
        raise ValueError(f"{name}: gates_x must be (time, batch, {blocks} * hidden) with at "
                         f"least one time step, got shape {shape}")
    if tuple(h0.shape) != (shape[1], shape[2] // blocks):
        raise ValueError(f"{name}: the initial state must be (batch, hidden) = "
                         f"{(shape[1], shape[2] // blocks)}, got {tuple(h0.shape)}")
    return shape[0]


# ----------------------------------------------------------------------------- LSTM
def _lstm_affine(N, H, dtype):
    """Constants for all four gates in whole-row passes: with ``u = scale * x``,
    ``tanh(u) * scale + shift`` is sigmoid(x) for i, f, o and tanh(x) for g, and
    ``-slope * (tanh(u)^2 - 1)`` its derivative. Full (N, 4H) arrays, since a
    same-shape product runs twice as fast as one broadcasting a row."""
    scale = np.full((N, 4, H), 0.5, dtype)
    scale[:, 2] = 1
    shift = 1 - scale
    shift[:, 2] = 0
    return scale.reshape(N, 4 * H), shift.reshape(N, 4 * H), -(scale * scale).reshape(N, 4 * H)


@primitive(name="lstm_scan", saves_output=True)
def _lstm_scan(gates_x, h0, c0, weight, transposed, reverse, workspace):
    """Packed (T + 1, N, H): the hidden states in time order, then the last cell. When
    recording, ``factors`` keeps each gate's derivative times its chain-rule partner
    (g, c_prev, i for i, f, g; tanh(c) for o): backward steps are whole-row products."""
    T, N, G = gates_x.shape
    H = G // 4
    dtype = np.result_type(gates_x, h0, c0, weight)
    recording = workspace is not None
    w = weight.T if transposed else weight                       # (H, 4H), a view
    scale, shift, negative_slope = _lstm_affine(N, H, dtype)
    acts = np.empty((T, N, G), dtype)
    factors = np.empty((T if recording else 1, N, G), dtype)
    hs, cs = np.empty((T + 1, N, H), dtype), np.empty((T + 1, N, H), dtype)
    tanh_c = np.empty((T, N, H), dtype)
    product = np.empty((N, H), dtype)
    hs[0], cs[0] = h0, c0
    for s, t in _steps(T, reverse):
        a, d = acts[s], factors[s if recording else 0]
        np.matmul(hs[s], w, out=a)
        a += gates_x[t]
        a *= scale
        np.tanh(a, out=a)
        if recording:
            np.multiply(a, a, out=d)
            d -= 1
            d *= negative_slope
        a *= scale
        a += shift                                               # i, f, g, o
        i, f, g, o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
        np.multiply(f, cs[s], out=cs[s + 1])
        np.multiply(i, g, out=product)
        cs[s + 1] += product
        np.tanh(cs[s + 1], out=tanh_c[s])
        np.multiply(o, tanh_c[s], out=hs[s + 1])
        if recording:
            d[:, :H] *= g
            d[:, H:2 * H] *= cs[s]
            d[:, 2 * H:3 * H] *= i
            d[:, 3 * H:] *= tanh_c[s]
    packed = np.empty((T + 1, N, H), dtype)
    packed[:T] = hs[:0:-1] if reverse else hs[1:]
    packed[T] = cs[T]
    if recording:
        workspace.update(acts=acts, factors=factors, hs=hs, tanh_c=tanh_c)
    return packed


@_lstm_scan.defvjp
def _lstm_scan_vjp(g, out, gates_x, h0, c0, weight, transposed, reverse, workspace, needs):
    if state.enabled:
        return _composite_vjp(_lstm_packed, g, (gates_x, h0, c0, weight),
                              dict(transposed=transposed, reverse=reverse))
    acts, factors, hs, tanh_c = (workspace[k] for k in ("acts", "factors", "hs", "tanh_c"))
    g = g.data
    T, N, G = acts.shape
    H = G // 4
    w = weight.data if transposed else weight.data.T             # (4H, H)
    d_acts = np.empty_like(acts)
    dh = np.zeros((N, H), acts.dtype)
    through_c = np.empty((N, H), acts.dtype)
    dc = g[T].astype(acts.dtype, copy=True)
    for s, t in reversed(_steps(T, reverse)):
        da, d, tc = d_acts[s], factors[s], tanh_c[s]
        dh += g[t]
        np.multiply(dh, d[:, 3 * H:], out=da[:, 3 * H:])          # o
        np.multiply(tc, tc, out=through_c)                       # dc += dh o (1 - tanh(c)^2)
        through_c -= 1
        through_c *= acts[s, :, 3 * H:]
        through_c *= dh
        dc -= through_c
        np.multiply(dc[:, None], d.reshape(N, 4, H)[:, :3],       # i, f, g at once
                    out=da.reshape(N, 4, H)[:, :3])
        dc *= acts[s, :, H:2 * H]
        if s or needs[1]:
            dh = da @ w
    g_gates = (d_acts[::-1] if reverse else d_acts) if needs[0] else None
    g_weight = _weight_gradient(d_acts, hs, transposed) if needs[3] else None
    return _wrap(g_gates, dh if needs[1] else None, dc if needs[2] else None, g_weight)


def _lstm_packed(gates_x, h0, c0, weight, transposed=True, reverse=False,
                 activation=tanh, recurrent_activation=sigmoid):
    """The LSTM recurrence written with ndgrad ops, packed as ``_lstm_scan`` packs it."""
    H = h0.shape[-1]
    w = weight.T if transposed else weight
    h, c = h0, c0
    outputs = [None] * gates_x.shape[0]
    for _, t in _steps(gates_x.shape[0], reverse):
        z = gates_x[t] + h @ w
        i, f = recurrent_activation(z[:, :H]), recurrent_activation(z[:, H:2 * H])
        c = f * c + i * activation(z[:, 2 * H:3 * H])
        h = recurrent_activation(z[:, 3 * H:]) * activation(c)
        outputs[t] = h
    return concatenate([stack(outputs), c[None]])


def lstm_scan(gates_x, h0, c0, weight, transposed=True, reverse=False,
              activation=None, recurrent_activation=None):
    """Run an LSTM over a time-major sequence of projected inputs.

    Args:
        gates_x: (T, N, 4H), ``x_t W_ih^T + b`` for every step, gates ``i, f, g, o``.
        h0, c0: (N, H) initial hidden and cell states.
        weight: the recurrent weight, (4H, H) if ``transposed`` else (H, 4H).
        transposed: PyTorch's layout (True) or Keras's (False).
        reverse: run from the last step to the first (outputs stay in time order).
        activation, recurrent_activation: callables for the candidate/output
            and the gates (None: tanh and sigmoid, the fused fast path).

    Returns:
        (outputs (T, N, H), h_n (N, H), c_n (N, H)).

    Example:
        >>> import ndgrad
        >>> out, h, c = lstm_scan(ndgrad.ones((2, 1, 4)), ndgrad.zeros((1, 1)),
        ...                       ndgrad.zeros((1, 1)), ndgrad.zeros((4, 1)))
        >>> round(h.item(), 4)
        0.5453
    """
    T = _check("lstm_scan", gates_x, h0, 4)
    custom = activation not in (None, tanh) or recurrent_activation not in (None, sigmoid)
    if custom:
        packed = _lstm_packed(gates_x, h0, c0, weight, transposed, reverse,
                              activation or tanh, recurrent_activation or sigmoid)
    else:
        packed = _lstm_scan(gates_x, h0, c0, weight, transposed=bool(transposed),
                            reverse=bool(reverse), workspace=_workspace(gates_x, h0, c0, weight))
    return packed[:T], packed[0 if reverse else T - 1], packed[T]


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
    acts, recurrent = np.empty((T, N, G), dtype), np.empty((T, N, G), dtype)
    hs = np.empty((T + 1, N, H), dtype)
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
    g = g.data
    T, N, G = acts.shape
    H = G // 3
    w = weight.data if transposed else weight.data.T             # (3H, H)
    r_cols, z_cols = (slice(b * H, (b + 1) * H) for b in _GATE_ORDERS[gate_order])
    d_x, d_h = np.empty_like(acts), np.empty_like(acts)          # gates_x and h U + b
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
    hs = np.empty((T + 1, N, H), np.result_type(gates_x, h0, weight))
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
    hs, g = workspace["hs"], g.data
    T, N, H = g.shape
    w = weight.data if transposed else weight.data.T
    d_pre = np.empty((T, N, H), hs.dtype)
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
