"""The LSTM as scan primitives: a whole sequence is one op.

Two primitives share one forward and one backward kernel:

- ``lstm_scan(gates_x, h0, c0, weight)`` runs the recurrence over input
  projections the caller made (``x W_ih^T + b`` for every step);
- ``lstm_layer(x, h0, c0, weight_ih, weight_hh, bias)`` is a whole layer in one
  direction: the input projection of every step as one batched matmul written
  straight into the scan's gate buffer, then the recurrence. Its rule gives the
  input weight's and the bias's gradients as one matmul each over all steps.

Every large array (gate activations, factors, gradients, the packed output)
comes from ``_reusable_buffers`` (see ``_scan_support``), so a training loop
reuses the same memory at every step instead of faulting in fresh pages.

The step loops live in ``_lstm_steps``: with numba installed (and
``_accelerated`` on), each step is one product with the recurrent weight and
ONE compiled loop over the cells for all the gates' elementwise work, forward
and back (``_numba_recurrent``); otherwise the NumPy loop described here. On
the bench LSTM (T = N = 32, H = 128) the compiled loops take the gates'
elementwise time from about 3 ms to 1.2 ms a training step (one thread).

The NumPy forward, per step: one product with the recurrent weight and
whole-block passes over the four gates. The weights and the projected inputs
are scaled by 1/2 on the sigmoid gates before the scan, so ``tanh`` of the
block gives ``tanh(z)`` for ``g`` and ``tanh(z / 2)`` for ``i, f, o``, and
``sigmoid(z) = tanh(z / 2) / 2 + 1/2`` finishes them. When recording, the
derivative of each gate times its chain-rule partner (``g``, ``c_{t-1}``,
``i`` and ``tanh(c_t)``) is made for all steps at once after the scan and kept
in ``factors``, with ``o (tanh(c_t)^2 - 1)`` in ``cell_factor``, so that each
backward step is six elementwise passes and one matmul; the forward keeps the
products ``i g`` and ``f c_{t-1}`` it makes anyway (``terms``), which saves two
of those passes (190 against 230 microseconds at T = N = 32, H = 128). The
weights' gradients are ONE matmul each over all steps at the end. (Tried,
even end to end: one per-step product ``[W_hh | W_ih | b] @ [h; x_t; 1]``
instead of the projection; the step's product grows from 22 to 34 us.)

Layout inside the kernels: feature-major, a step's gates are (4H, N) and its
states (H, N), so the per-step products are ``W (4H, H) @ h^T (H, N)`` and
``W^T (H, 4H) @ d (4H, N)``. OpenBLAS runs these about 1.5 times as fast as the
batch-major ``h (N, H) @ W^T`` (measured at H = 128, N = 32: 24 against 38
microseconds), and each gate is a contiguous block of rows. The packed output
stays batch-major; the gates' gradients are copied to (4H, T, N) once for the
weight gradients.

Higher derivatives: when the backward itself is recorded (``create_graph=True``)
the rules differentiate the composite form (the same recurrence written with
ndgrad ops), so gradients of gradients are exact. The composite form also
serves activations other than the defaults (Keras's ``activation=``).

Layouts: gates ``i, f, g, o`` (PyTorch and Keras agree). ``transposed=True``
takes weights as PyTorch stores them, (4H, H) and (4H, I); False as Keras,
(H, 4H) and (I, 4H). ``reverse=True`` runs from the last step back, outputs
kept in time order.

Example:
    >>> from ndgrad.nn.functional import lstm_scan
    >>> import ndgrad
    >>> out, h, c = lstm_scan(ndgrad.zeros((3, 2, 8)), ndgrad.zeros((2, 2)),
    ...                       ndgrad.ones((2, 2)), ndgrad.zeros((8, 2)))
    >>> out.shape, h.shape, round(c.sum().item(), 4)    # c decays by sigmoid(0) = 0.5
    ((3, 2, 2), (2, 2), 0.5)
"""

import numpy as np

from ..autograd.mode import state
from ..autograd.primitive import data_of, primitive
from ._lstm_steps import backward as _backward, forward as _forward, gate_constants
from ._scan_support import (check_scan, composite_vjp, feature_major, new_workspace,
                            recurrent_weight_gradient, scratch, steps, wrap)
from .activations import sigmoid
from .join import concatenate, stack
from .trigonometric import tanh

__all__ = ["lstm_scan", "lstm_layer"]


def _gate_scale(H, dtype):
    """The (4H,) scale: 1/2 on the sigmoid gates' rows, 1 on ``g``'s."""
    return gate_constants(1, H, np.dtype(dtype))[0][:, 0]


def _scaled(weight, transposed, dtype):
    """The weight as a C-contiguous (4H, in) with its i, f, o rows halved."""
    w = weight if transposed else weight.T
    scaled = np.empty(w.shape, dtype)
    return np.multiply(w, _gate_scale(w.shape[0] // 4, dtype)[:, None], out=scaled)


def _unscaled_transpose(weight, transposed, dtype):
    """The weight as a C-contiguous (in, 4H), what the backward's products take."""
    return np.ascontiguousarray(weight.T if transposed else weight, dtype)


# ----------------------------------------------------------------------------- lstm_scan
@primitive(name="lstm_scan", saves_output=True)
def _lstm_scan(gates_x, h0, c0, weight, transposed, reverse, workspace):
    """Packed (T + 1, N, H): the hidden states in time order, then the last cell."""
    T, N, G = gates_x.shape
    dtype = np.result_type(gates_x, h0, c0, weight)
    acts = scratch(workspace, "acts", (T, G, N), dtype)
    np.multiply(gates_x.transpose(0, 2, 1), gate_constants(N, G // 4, dtype)[0], out=acts)
    out = scratch(None, "out", (T + 1, N, G // 4), dtype)
    _forward(acts, h0, c0, _scaled(weight, transposed, dtype), out, reverse, workspace)
    return out


@_lstm_scan.defvjp
def _lstm_scan_vjp(g, out, gates_x, h0, c0, weight, transposed, reverse, workspace, needs):
    if state.enabled:
        return composite_vjp(_lstm_packed, g, (gates_x, h0, c0, weight),
                             dict(transposed=transposed, reverse=reverse))
    acts = workspace["acts"]
    T, G, N = acts.shape
    d_acts = scratch(None, "d_acts", acts.shape, acts.dtype)
    w_t = _unscaled_transpose(data_of(weight), transposed, acts.dtype)
    dh0, dc0 = _backward(g._data, workspace, w_t, reverse, d_acts, needs[1])
    g_gates = g_weight = None
    if needs[0]:
        g_gates = np.empty((T, N, G), acts.dtype)
        np.copyto(g_gates, d_acts.transpose(0, 2, 1))
    if needs[3]:
        g_weight = recurrent_weight_gradient(feature_major(d_acts), out._data,
                                             np.asarray(data_of(h0), acts.dtype),
                                             transposed, reverse)
    return wrap(g_gates, dh0 if needs[1] else None, dc0 if needs[2] else None, g_weight)


def _lstm_packed(gates_x, h0, c0, weight, transposed=True, reverse=False,
                 activation=tanh, recurrent_activation=sigmoid):
    """The LSTM recurrence written with ndgrad ops, packed as ``_lstm_scan`` packs it."""
    H = h0.shape[-1]
    w = weight.T if transposed else weight
    h, c = h0, c0
    outputs = [None] * gates_x.shape[0]
    for _, t in steps(gates_x.shape[0], reverse):
        z = gates_x[t] + h @ w
        i, f = recurrent_activation(z[:, :H]), recurrent_activation(z[:, H:2 * H])
        c = f * c + i * activation(z[:, 2 * H:3 * H])
        h = recurrent_activation(z[:, 3 * H:]) * activation(c)
        outputs[t] = h
    return concatenate([stack(outputs), c[None]])


def _unpack(packed, T, reverse):
    return packed[:T], packed[0 if reverse else T - 1], packed[T]


def _is_custom(activation, recurrent_activation):
    return activation not in (None, tanh) or recurrent_activation not in (None, sigmoid)


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
        >>> from ndgrad.nn.functional import lstm_scan
        >>> import ndgrad
        >>> out, h, c = lstm_scan(ndgrad.ones((2, 1, 4)), ndgrad.zeros((1, 1)),
        ...                       ndgrad.zeros((1, 1)), ndgrad.zeros((4, 1)))
        >>> round(h.item(), 4)
        0.5453
    """
    T = check_scan("lstm_scan", gates_x, h0, 4)
    if _is_custom(activation, recurrent_activation):
        packed = _lstm_packed(gates_x, h0, c0, weight, transposed, reverse,
                              activation or tanh, recurrent_activation or sigmoid)
    else:
        packed = _lstm_scan(gates_x, h0, c0, weight, transposed=bool(transposed),
                            reverse=bool(reverse), workspace=new_workspace(gates_x, h0, c0, weight))
    return _unpack(packed, T, reverse)


# ----------------------------------------------------------------------------- lstm_layer
@primitive(name="lstm_layer", saves_output=True)
def _lstm_layer(x, h0, c0, weight_ih, weight_hh, bias, transposed, reverse, batch_first,
                workspace):
    """Packed as ``_lstm_scan``; ``x`` is (T, N, I), or (N, T, I) with ``batch_first``."""
    xs = x.swapaxes(0, 1) if batch_first else x
    T, N, I = xs.shape
    H = h0.shape[-1]
    dtype = np.result_type(*(a for a in (x, h0, c0, weight_ih, weight_hh, bias) if a is not None))
    if not xs.flags.c_contiguous or xs.dtype != dtype:             # time-major for the matmuls
        time_major = scratch(workspace, "x", (T, N, I), dtype)
        np.copyto(time_major, xs)
        xs = time_major
    acts = scratch(workspace, "acts", (T, 4 * H, N), dtype)
    np.matmul(_scaled(weight_ih, transposed, dtype), xs.transpose(0, 2, 1), out=acts)
    if bias is not None:            # as a whole (4H, N) block: 2.5 times as fast as a column
        bias = np.repeat((bias * _gate_scale(H, dtype))[:, None], N, axis=1)
    out = scratch(None, "out", (T + 1, N, H), dtype)
    _forward(acts, h0, c0, _scaled(weight_hh, transposed, dtype), out, reverse, workspace, bias)
    return out


@_lstm_layer.defvjp
def _lstm_layer_vjp(g, out, x, h0, c0, weight_ih, weight_hh, bias, transposed, reverse,
                    batch_first, workspace, needs):
    if state.enabled:
        given = [a for a in (x, h0, c0, weight_ih, weight_hh, bias) if a is not None]
        params = dict(transposed=transposed, reverse=reverse, batch_first=batch_first,
                      with_bias=bias is not None)
        grads = composite_vjp(_lstm_layer_packed, g, tuple(given), params)
        return tuple(grads) + ((None,) if bias is None else ())
    acts = workspace["acts"]
    T, G, N = acts.shape
    d_acts = scratch(None, "d_acts", acts.shape, acts.dtype)
    w_hh_t = _unscaled_transpose(data_of(weight_hh), transposed, acts.dtype)   # (H, 4H)
    dh0, dc0 = _backward(g._data, workspace, w_hh_t, reverse, d_acts, needs[1])
    d_features = feature_major(d_acts)
    flat = d_features.reshape(G, T * N)
    gx = g_w_ih = g_w_hh = g_bias = None
    if needs[0]:
        w_ih = data_of(weight_ih) if transposed else data_of(weight_ih).T   # (4H, I)
        gx = (flat.T @ w_ih).reshape(T, N, -1)
        gx = gx.swapaxes(0, 1) if batch_first else gx
    if needs[3]:
        xs = workspace.get("x")
        if xs is None:
            xs = data_of(x).swapaxes(0, 1) if batch_first else data_of(x)
        xs = xs.reshape(T * N, -1)
        g_w_ih = flat @ xs if transposed else xs.T @ flat.T
    if needs[4]:
        g_w_hh = recurrent_weight_gradient(d_features, out._data,
                                           np.asarray(data_of(h0), acts.dtype),
                                           transposed, reverse)
    if needs[5]:
        g_bias = flat @ np.ones(T * N, acts.dtype)                 # a GEMV beats a sum
    return wrap(gx, dh0 if needs[1] else None, dc0 if needs[2] else None, g_w_ih, g_w_hh,
                g_bias)


def _project(x, weight_ih, bias, transposed, batch_first):
    """``x W_ih^T + b`` for every step with ndgrad ops, time-major (T, N, 4H)."""
    lead = x.shape[:2]
    gates = x.reshape(-1, x.shape[-1]) @ (weight_ih.T if transposed else weight_ih)
    if bias is not None:
        gates = gates + bias
    gates = gates.reshape(lead + (gates.shape[-1],))
    return gates.swapaxes(0, 1) if batch_first else gates


def _lstm_layer_packed(x, h0, c0, weight_ih, weight_hh, bias=None, transposed=True,
                       reverse=False, batch_first=False, with_bias=True,
                       activation=tanh, recurrent_activation=sigmoid):
    """``lstm_layer`` with ndgrad ops; ``with_bias=False`` when no bias was given."""
    gates = _project(x, weight_ih, bias if with_bias else None, transposed, batch_first)
    return _lstm_packed(gates, h0, c0, weight_hh, transposed, reverse, activation,
                        recurrent_activation)


def lstm_layer(x, h0, c0, weight_ih, weight_hh, bias=None, transposed=True, reverse=False,
               batch_first=False, activation=None, recurrent_activation=None):
    """One LSTM layer in one direction over a whole sequence, input projection included.

    Args:
        x: (T, N, I) inputs, or (N, T, I) with ``batch_first``.
        h0, c0: (N, H) initial hidden and cell states.
        weight_ih: the input weight, (4H, I) if ``transposed`` else (I, 4H).
        weight_hh: the recurrent weight, (4H, H) if ``transposed`` else (H, 4H).
        bias: (4H,) added to every step's pre-activation, or None.
        transposed: PyTorch's layout (True) or Keras's (False).
        reverse: run from the last step to the first (outputs stay in time order).
        batch_first: ``x`` is batch-major; the outputs stay time-major.
        activation, recurrent_activation: callables for the candidate/output
            and the gates (None: tanh and sigmoid, the fused fast path).

    Returns:
        (outputs (T, N, H), h_n (N, H), c_n (N, H)).

    Example:
        >>> from ndgrad.nn.functional import lstm_layer
        >>> import ndgrad
        >>> out, h, c = lstm_layer(ndgrad.ones((2, 1, 3)), ndgrad.zeros((1, 1)),
        ...                        ndgrad.zeros((1, 1)), ndgrad.ones((4, 3)) / 3,
        ...                        ndgrad.zeros((4, 1)))
        >>> out.shape, round(h.item(), 4)
        ((2, 1, 1), 0.5453)
    """
    steps_axis = 1 if batch_first else 0
    if len(x.shape) != 3 or x.shape[steps_axis] == 0:
        raise ValueError(f"lstm_layer: x must be ({'batch, time' if batch_first else 'time, batch'}"
                         f", features) with at least one time step, got shape {tuple(x.shape)}")
    rows = weight_hh.shape[0] if transposed else weight_hh.shape[1]
    batch = x.shape[1 - steps_axis]
    if rows % 4 or tuple(h0.shape) != (batch, rows // 4) or tuple(c0.shape) != tuple(h0.shape):
        raise ValueError(f"lstm_layer: the initial states must be (batch, hidden) = "
                         f"{(batch, rows // 4)} for a recurrent weight of shape "
                         f"{tuple(weight_hh.shape)}, got {tuple(h0.shape)} and {tuple(c0.shape)}")
    T = x.shape[steps_axis]
    if _is_custom(activation, recurrent_activation):
        packed = _lstm_layer_packed(x, h0, c0, weight_ih, weight_hh, bias, transposed, reverse,
                                    batch_first, bias is not None, activation or tanh,
                                    recurrent_activation or sigmoid)
    else:
        packed = _lstm_layer(x, h0, c0, weight_ih, weight_hh, bias, transposed=bool(transposed),
                             reverse=bool(reverse), batch_first=bool(batch_first),
                             workspace=new_workspace(x, h0, c0, weight_ih, weight_hh, bias))
    return _unpack(packed, T, reverse)
