"""ONNX mappings of the recurrent layers' ops, on ONNX's own LSTM, GRU and RNN operators.

``lstm_layer`` runs one layer in one direction with its input projection;
ONNX's LSTM takes the same weights with the gates reordered (ndgrad and
PyTorch stack them i, f, g, o; Keras i, f, c, o, the same; ONNX wants i, o, f,
c): one Gather of the weight rows does it. The op's packed output (the hidden
states in time order, then the last cell state) is rebuilt from ONNX's Y and Y_c.

``lstm_scan`` (LSTMCell, one step), ``gru_scan`` and ``rnn_scan`` receive the input projection already computed
(bias included), so ONNX's input weight is a fixed permutation (GRU: ndgrad's
gate order, r z n for PyTorch or z r n for Keras, to ONNX's z r h) or the
identity (RNN), and the recurrent weight and bias are reordered the same way.
GRU uses ``linear_before_reset=1``: ``n = tanh(x_n + r * (W_hn h + b_hn))``.

Initial states that are all zeros (no ``hx`` given) are left out, so the
exported layer runs at any batch size.

Example:
    >>> from ndgrad.onnx.registry import MAPPINGS
    >>> import ndgrad.onnx.mappings
    >>> all(name in MAPPINGS for name in ("lstm_layer", "lstm_scan", "gru_scan", "rnn_scan"))
    True
"""

import numpy as np

from .registry import maps

_GATE_POSITION = {"i": 0, "f": 1, "g": 2, "o": 3}
_ONNX_LSTM = "iofg"               # ONNX: input, output, forget, cell


def _row_order(gates, wanted, hidden):
    """Row indices that reorder a (len(gates) * hidden, ...) block from ``gates`` to ``wanted``."""
    return np.concatenate([np.arange(hidden) + gates.index(g) * hidden for g in wanted])


def _reordered(call, i, rows, transposed, dtype):
    """Input ``i`` (a weight, rows = gates) in ONNX's gate order, with a leading
    direction axis of 1."""
    weight = call.input(i, dtype)
    if not transposed:
        weight = call.emit("Transpose", [weight], perm=[1, 0])
    weight = call.emit("Gather", [weight, call.constant(rows.astype(np.int64), "gate_order")],
                       axis=0)
    return call.emit("Unsqueeze", [weight, call.ints([0])])


def _initial_state(call, i, dtype):
    """Input ``i`` (an (N, H) state) as ONNX's (1, N, H), or "" when it is all zeros."""
    constant = call.constant_of(i)
    if constant is not None and not np.any(constant):
        return ""
    return call.emit("Unsqueeze", [call.input(i, dtype), call.ints([0])])


def _trim(names):
    """ONNX optional inputs: trailing empty names are dropped."""
    names = list(names)
    while names and names[-1] == "":
        names.pop()
    return names


@maps("lstm_layer")
def _lstm_layer(call):
    p = call.params
    dtype = call.out_dtype
    hidden = call.out_shape[-1]
    transposed = p["transposed"]
    x = call.input(0, dtype)
    if p["batch_first"]:
        x = call.emit("Transpose", [x], perm=[1, 0, 2])
    rows = _row_order("ifgo", _ONNX_LSTM, hidden)
    weight = _reordered(call, 3, rows, transposed, dtype)
    recurrent = _reordered(call, 4, rows, transposed, dtype)
    bias = ""
    if not call.is_none(5):
        gathered = call.emit("Gather", [call.input(5, dtype),
                                        call.constant(rows.astype(np.int64), "gate_order")],
                             axis=0)
        zeros = call.constant(np.zeros(4 * hidden, dtype), "lstm.recurrent_bias")
        bias = call.emit("Unsqueeze", [call.emit("Concat", [gathered, zeros], axis=0),
                                       call.ints([0])])
    inputs = [x, weight, recurrent, bias, "", _initial_state(call, 1, dtype),
              _initial_state(call, 2, dtype)]
    return _packed_lstm(call, inputs, hidden, p["reverse"])


@maps("lstm_scan")
def _lstm_scan(call):
    p = call.params
    dtype = call.out_dtype
    hidden = call.out_shape[-1]
    rows = _row_order("ifgo", _ONNX_LSTM, hidden)
    weight = call.constant(_gate_permutation("ifgo", _ONNX_LSTM, hidden, dtype),
                           "lstm.gate_order")
    recurrent = _reordered(call, 3, rows, p["transposed"], dtype)
    inputs = [call.input(0, dtype), weight, recurrent, "", "", _initial_state(call, 1, dtype),
              _initial_state(call, 2, dtype)]
    return _packed_lstm(call, inputs, hidden, p["reverse"])


def _packed_lstm(call, inputs, hidden, reverse):
    """One ONNX LSTM node over ``inputs``, its outputs packed as ndgrad's scan
    packs them: h_1..h_T, then c_T."""
    y, _, y_c = call.builder.emit("LSTM", _trim(inputs), base="lstm", outputs=3,
                                  hidden_size=int(hidden),
                                  direction="reverse" if reverse else "forward")
    states = call.emit("Squeeze", [y, call.ints([1])])
    return call.emit("Concat", [states, y_c], axis=0)


def _gate_permutation(order, wanted, hidden, dtype):
    """The (3H, 3H) matrix W with ``x @ W.T`` = x's gate blocks from ``order`` to ``wanted``."""
    rows = _row_order(order, wanted, hidden)
    permutation = np.zeros((len(rows), len(rows)), dtype)
    permutation[np.arange(len(rows)), rows] = 1
    return permutation[None]


@maps("gru_scan")
def _gru_scan(call):
    p = call.params
    dtype = call.out_dtype
    hidden = call.out_shape[-1]
    order = p["gate_order"].replace("n", "h")                  # ONNX calls n "h"
    rows = _row_order(order, "zrh", hidden)
    weight = call.constant(_gate_permutation(order, "zrh", hidden, dtype), "gru.gate_order")
    recurrent = _reordered(call, 2, rows, p["transposed"], dtype)
    bias_hh = call.emit("Gather", [call.input(3, dtype),
                                   call.constant(rows.astype(np.int64), "gate_order")], axis=0)
    zeros = call.constant(np.zeros(3 * hidden, dtype), "gru.input_bias")
    bias = call.emit("Unsqueeze", [call.emit("Concat", [zeros, bias_hh], axis=0),
                                   call.ints([0])])
    inputs = [call.input(0, dtype), weight, recurrent, bias, "", _initial_state(call, 1, dtype)]
    y = call.builder.emit("GRU", _trim(inputs), base="gru", outputs=2, hidden_size=int(hidden),
                          linear_before_reset=1,
                          direction="reverse" if p["reverse"] else "forward")[0]
    return call.emit("Squeeze", [y, call.ints([1])])


@maps("rnn_scan")
def _rnn_scan(call):
    p = call.params
    dtype = call.out_dtype
    hidden = call.out_shape[-1]
    activation = p.get("nonlinearity") or p.get("activation") or "tanh"
    if activation not in ("tanh", "relu"):
        call.refuse(f"an RNN with the activation {activation!r}")
    weight = call.constant(np.eye(hidden, dtype=dtype)[None], "rnn.identity")
    recurrent = _reordered(call, 2, np.arange(hidden), p["transposed"], dtype)
    inputs = [call.input(0, dtype), weight, recurrent, "", "", _initial_state(call, 1, dtype)]
    y = call.builder.emit("RNN", _trim(inputs), base="rnn", outputs=2, hidden_size=int(hidden),
                          activations=["Tanh" if activation == "tanh" else "Relu"],
                          direction="reverse" if p["reverse"] else "forward")[0]
    return call.emit("Squeeze", [y, call.ints([1])])
