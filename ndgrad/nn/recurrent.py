"""Recurrent layers, PyTorch face: ``RNN``, ``LSTM``, ``GRU`` (stacked, bidirectional,
batch_first) and the single-step cells (see ``cells.py``).

Each layer and direction projects the whole input sequence with ONE matmul
(``x W_ih^T + b`` for all time steps at once), then runs a fused scan from
``ndgrad.ops.recurrent``: one recurrent matmul per step, backpropagation
through time in NumPy. The LSTM does both in one primitive (``lstm_layer``),
so its gate buffers never leave the op and are reused from step to step.
Parameter names, shapes, gate orders (LSTM ``i, f, g, o``; GRU ``r, z, n``
with ``r * (W_hn h + b_hn)``) and the initialization (uniform in
+-1/sqrt(hidden_size)) are PyTorch's, so a PyTorch state_dict loads as it is.
The Keras face (``layers.LSTM``, ``layers.GRU``, ``layers.SimpleRNN``) lives
in ``recurrent_keras.py`` and shares the scans.

Example:
    >>> import ndgrad
    >>> lstm = ndgrad.nn.LSTM(4, 3, num_layers=2, batch_first=True)
    >>> output, (h_n, c_n) = lstm(ndgrad.ones((2, 5, 4)))
    >>> output.shape, h_n.shape, c_n.shape
    ((2, 5, 3), (2, 2, 3), (2, 2, 3))
"""

import math

import numpy as np

from ..devices import check_device
from .. import random
from ..errors import shape_error
from ..ops.join import concatenate, stack
from ..ops.recurrent import gru_scan, lstm_layer, lstm_scan, rnn_scan  # noqa: F401
from ..tensor import Tensor, as_tensor
from ._sizes import refuse_missing, size
from .cells import GRUCell, LSTMCell, RNNCell, check_input_size, dropout_mask
from .module import Module, keras_exports
from .parameter import Parameter
from .recurrent_keras import GRUKeras, LSTMKeras, SimpleRNNKeras

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell"]
KERAS_EXPORTS = keras_exports({"LSTM": LSTMKeras, "GRU": GRUKeras,
                               "SimpleRNN": SimpleRNNKeras})
FUNCTIONAL = ["lstm_scan", "lstm_layer", "gru_scan", "rnn_scan"]

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


def project(x, weight, bias, batch_major):
    """``x W^T + b`` for every step with one 2-D matmul, returned time-major (T, N, G).

    Example:
        >>> from ndgrad.nn.recurrent import project
        >>> import ndgrad
        >>> project(ndgrad.ones((2, 3, 4)), ndgrad.ones((5, 4)), None, True).shape
        (3, 2, 5)
    """
    lead = x.shape[:2]
    gates = x.reshape(-1, x.shape[-1]) @ weight.T
    if bias is not None:
        gates = gates + bias
    gates = gates.reshape(lead + (weight.shape[0],))
    return gates.swapaxes(0, 1) if batch_major else gates


class RNNBase(Module):
    """The shared body of ``RNN``, ``LSTM`` and ``GRU`` (PyTorch's ``nn.RNNBase``).

    Args:
        mode: "LSTM", "GRU", "RNN_TANH" or "RNN_RELU".
        input_size: features per time step.
        hidden_size: features of the hidden state.
        num_layers: stacked layers; each after the first reads the one below.
        bias: learn ``bias_ih`` and ``bias_hh``.
        batch_first: inputs and outputs are (batch, seq, feature) rather than
            (seq, batch, feature); states stay (layers * directions, batch, hidden).
        dropout: dropout probability on the outputs of every layer but the last,
            in training mode.
        bidirectional: add a second direction running from the last step back.
        dtype: the weights' dtype (float32).
        proj_size: 0 only (a projected LSTM is refused).

    Example:
        >>> from ndgrad.nn import RNNBase
        >>> import ndgrad
        >>> [n for n, _ in RNNBase("GRU", 2, 3).named_parameters()]
        ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']
    """

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, proj_size=0,
                 device=None, dtype=None, name=None):
        label = "RNN" if mode.startswith("RNN") else mode
        check_device(device, label)
        if mode not in _GATES:
            raise ValueError(f"RNNBase: mode must be one of {sorted(_GATES)}, got {mode!r}")
        input_size = size(label, "input_size", input_size, minimum=1)
        hidden_size = size(label, "hidden_size", hidden_size, minimum=1)
        num_layers = size(label, "num_layers", num_layers, minimum=1)
        if not 0.0 <= float(dropout) <= 1.0 or isinstance(dropout, bool):
            raise ValueError(f"{label}: dropout must be a probability in [0, 1], got {dropout}")
        if proj_size:
            raise NotImplementedError(f"{label}: proj_size={proj_size} is not supported; "
                                      "follow the LSTM with an nn.Linear instead")
        super().__init__(name=name, dtype=dtype)
        self.mode = mode
        self.input_size, self.hidden_size = int(input_size), int(hidden_size)
        self.num_layers, self.bias = int(num_layers), bool(bias)
        self.batch_first, self.dropout = bool(batch_first), float(dropout)
        self.bidirectional, self.proj_size = bool(bidirectional), 0
        directions = 2 if self.bidirectional else 1
        rows = _GATES[mode] * self.hidden_size
        bound = 1.0 / math.sqrt(self.hidden_size)
        self._flat_weights_names = []
        for layer in range(self.num_layers):
            width = self.input_size if layer == 0 else self.hidden_size * directions
            for suffix in ["", "_reverse"][:directions]:
                shapes = {"weight_ih": (rows, width), "weight_hh": (rows, self.hidden_size)}
                if self.bias:
                    shapes.update(bias_ih=(rows,), bias_hh=(rows,))
                for kind, shape in shapes.items():
                    key = f"{kind}_l{layer}{suffix}"
                    setattr(self, key, Parameter(random.uniform(shape, -bound, bound, self.dtype)))
                    self._flat_weights_names.append(key)

    @property
    def _label(self):
        return "RNN" if self.mode.startswith("RNN") else self.mode

    def flatten_parameters(self):
        """Nothing to do (PyTorch compacts cuDNN weights here); kept for compatibility."""

    def _state_shape(self, batch):
        layers = self.num_layers * (2 if self.bidirectional else 1)
        return (layers, self.hidden_size) if batch is None else (layers, batch, self.hidden_size)

    def _initial(self, state, batch, what):
        """A given initial state, checked, as (layers * directions, N, H); zeros if None."""
        expected = self._state_shape(batch)
        if state is None:
            # an unbatched input runs as a batch of one; a batch of 0 stays 0 (PyTorch)
            return Tensor._wrap(np.zeros(self._state_shape(1 if batch is None else batch),
                                         self.dtype))
        state = as_tensor(state)
        if state.shape != expected:
            raise shape_error(self._label, [state],
                              f"the initial {what} must have shape {expected} "
                              "(layers * directions, batch, hidden_size)"
                              + (" for an unbatched input" if batch is None else ""))
        return state if batch is not None else state[:, None]

    def _direction(self, inputs, layer, suffix, h0, c0, batch_major):
        """One layer in one direction: (outputs (T, N, H), h_n, c_n or None)."""
        weight_ih = getattr(self, f"weight_ih_l{layer}{suffix}")
        weight_hh = getattr(self, f"weight_hh_l{layer}{suffix}")
        bias_ih = getattr(self, f"bias_ih_l{layer}{suffix}", None)
        bias_hh = getattr(self, f"bias_hh_l{layer}{suffix}", None)
        reverse = bool(suffix)
        if self.mode == "GRU":
            gates = project(inputs, weight_ih, bias_ih, batch_major)
            if bias_hh is None:
                bias_hh = Tensor._wrap(np.zeros(weight_hh.shape[0], weight_hh.dtype))
            return gru_scan(gates, h0, weight_hh, bias_hh, reverse=reverse) + (None,)
        bias = None if bias_ih is None else bias_ih + bias_hh
        if self.mode == "LSTM":       # the projection runs inside the primitive
            return lstm_layer(inputs, h0, c0, weight_ih, weight_hh, bias, reverse=reverse,
                              batch_first=batch_major)
        gates = project(inputs, weight_ih, bias, batch_major)
        activation = "tanh" if self.mode == "RNN_TANH" else "relu"
        return rnn_scan(gates, h0, weight_hh, reverse=reverse, activation=activation) + (None,)

    def forward(self, input, hx=None):
        """Run the stack over a sequence.

        Args:
            input: (T, N, input_size), (N, T, input_size) if batch_first, or
                (T, input_size) unbatched.
            hx: initial state(s), (layers * directions, N, hidden_size); for the
                LSTM a tuple (h_0, c_0). Zeros when None.

        Returns:
            ``(output, h_n)``, or ``(output, (h_n, c_n))`` for the LSTM; output
            is (T, N, directions * hidden_size) (batch first if batch_first).
        """
        x = as_tensor(refuse_missing(self, input))
        if x.ndim not in (2, 3):
            raise shape_error(self._label, [x], "expected a 3-D input (seq, batch, feature) "
                              "(batch first if batch_first) or a 2-D unbatched (seq, feature)")
        check_input_size(self._label, x, self.input_size)
        batched = x.ndim == 3
        batch = (x.shape[0] if self.batch_first else x.shape[1]) if batched else None
        steps = (x.shape[1] if self.batch_first else x.shape[0]) if batched else x.shape[0]
        if steps == 0:
            raise shape_error(self._label, [x], "the sequence is empty (0 time steps)")
        if not batched:
            x = x[:, None]
        is_lstm = self.mode == "LSTM"
        if is_lstm and hx is not None and not (isinstance(hx, (tuple, list)) and len(hx) == 2):
            raise TypeError("LSTM: hx must be a tuple (h_0, c_0) or None, got "
                            f"{type(hx).__name__}")
        h0 = self._initial(hx[0] if is_lstm and hx is not None else hx, batch, "hidden state")
        c0 = self._initial(hx[1], batch, "cell state") if is_lstm and hx is not None else h0
        if batch == 0:
            return self._empty_batch(x, steps, is_lstm)
        directions = ["", "_reverse"] if self.bidirectional else [""]
        batch_major = batched and self.batch_first
        training = self.training_mode()
        h_n, c_n = [], []
        for layer in range(self.num_layers):
            outputs = []
            for d, suffix in enumerate(directions):
                k = layer * len(directions) + d
                out, h, c = self._direction(x, layer, suffix, h0[k], c0[k], batch_major)
                outputs.append(out)
                h_n.append(h)
                c_n.append(c)
            x = outputs[0] if len(outputs) == 1 else concatenate(outputs, axis=-1)
            batch_major = False
            if self.dropout and training and layer < self.num_layers - 1:
                x = x * dropout_mask(x.shape, self.dropout, x.dtype)
        output = x.swapaxes(0, 1) if self.batch_first and batched else x
        h_n = stack(h_n)
        c_n = stack(c_n) if is_lstm else None
        if not batched:
            output, h_n = output[:, 0], h_n[:, 0]
            c_n = c_n[:, 0] if is_lstm else None
        return (output, (h_n, c_n)) if is_lstm else (output, h_n)

    def _empty_batch(self, x, steps, is_lstm):
        """A batch of 0 sequences, as PyTorch: empty outputs and states, still on the
        graph of the input and the weights (whose gradients are then zeros)."""
        directions = 2 if self.bidirectional else 1
        link = x.sum() * 0
        for parameter in self.parameters():
            link = link + parameter.sum() * 0
        layout = (0, steps) if self.batch_first else (steps, 0)
        output = link + Tensor._wrap(np.zeros(layout + (directions * self.hidden_size,),
                                              self.dtype))
        h_n = link + Tensor._wrap(np.zeros(self._state_shape(0), self.dtype))
        return (output, (h_n, h_n * 1)) if is_lstm else (output, h_n)

    def extra_repr(self):
        text = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            text += f", num_layers={self.num_layers}"
        if self.mode == "RNN_RELU":
            text += ", nonlinearity='relu'"
        for key, default in (("bias", True), ("batch_first", False), ("dropout", 0.0),
                             ("bidirectional", False)):
            if getattr(self, key) != default:
                text += f", {key}={getattr(self, key)}"
        return text


class RNN(RNNBase):
    """Elman RNN, ``h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)`` (or relu),
    PyTorch's ``nn.RNN``; see :class:`RNNBase` for the arguments.

    Args:
        nonlinearity: "tanh" (default) or "relu".
        input_size (int): features per time step.
        hidden_size (int): features of the hidden state.
        num_layers (int, default 1): stacked layers; each after the first reads the one
            below.
        bias (bool, default True): learn ``bias_ih`` and ``bias_hh``.
        batch_first (bool, default False): inputs and outputs are (batch, seq, feature)
            rather than (seq, batch, feature).
        dropout (float, default 0.0): dropout on the outputs of every layer but the
            last, in training mode.
        bidirectional (bool, default False): add a second direction running from the
            last step back.
        dtype: the weights' dtype (default float32).

    Example:
        >>> import ndgrad
        >>> rnn = ndgrad.nn.RNN(3, 2, nonlinearity="relu")
        >>> output, h_n = rnn(ndgrad.ones((4, 5, 3)))
        >>> output.shape, h_n.shape, rnn.weight_hh_l0.shape
        ((4, 5, 2), (1, 5, 2), (2, 2))
    """

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, device=None, dtype=None,
                 name=None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNN: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        self.nonlinearity = nonlinearity
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", input_size,
                         hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         device=device, dtype=dtype, name=name)


class LSTM(RNNBase):
    """Long short-term memory, PyTorch's ``nn.LSTM``: gates ``i, f, g, o`` stacked in
    ``weight_ih_l{k}`` (4 * hidden_size, in); ``forward(input, (h_0, c_0))`` returns
    ``(output, (h_n, c_n))``.

    Args:
        input_size: features per time step.
        hidden_size: features of the hidden and cell states.
        num_layers: stacked layers; each after the first reads the one below.
        bias: learn ``bias_ih_l{k}`` and ``bias_hh_l{k}``.
        batch_first: inputs and outputs are (batch, seq, feature) rather than
            (seq, batch, feature); the states stay (layers * directions, batch, hidden).
        dropout: dropout probability on the outputs of every layer but the last,
            in training mode.
        bidirectional: add a second direction running from the last step back
            (``output`` then has ``2 * hidden_size`` features).
        proj_size: 0 only (PyTorch's projected LSTM is refused with a clear error).
        device, dtype: the CPU; the weights' dtype (float32).

    Example:
        >>> import ndgrad
        >>> lstm = ndgrad.nn.LSTM(3, 2, bidirectional=True)
        >>> output, (h_n, c_n) = lstm(ndgrad.ones((4, 5, 3)))
        >>> output.shape, h_n.shape, lstm.weight_ih_l0_reverse.shape
        ((4, 5, 4), (2, 5, 2), (8, 3))
    """

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, proj_size=0, device=None, dtype=None,
                 name=None):
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, proj_size, device=device, dtype=dtype, name=name)


class GRU(RNNBase):
    """Gated recurrent unit, PyTorch's ``nn.GRU``: gates ``r, z, n`` with
    ``n = tanh(W_in x + b_in + r * (W_hn h + b_hn))`` and ``h' = (1 - z) n + z h``.
    See :class:`RNNBase` for the arguments.

    Args:
        input_size: features per time step.
        hidden_size: features of the hidden state.
        num_layers: stacked layers; each after the first reads the one below.
        bias: learn ``bias_ih_l{k}`` and ``bias_hh_l{k}``.
        batch_first: inputs and outputs are (batch, seq, feature) rather than
            (seq, batch, feature); the state stays (layers * directions, batch, hidden).
        dropout: dropout probability on the outputs of every layer but the last,
            in training mode.
        bidirectional: add a second direction running from the last step back.
        device, dtype: the CPU; the weights' dtype (float32).

    Example:
        >>> import ndgrad
        >>> gru = ndgrad.nn.GRU(3, 2, batch_first=True)
        >>> output, h_n = gru(ndgrad.ones((5, 4, 3)))
        >>> output.shape, h_n.shape, gru.weight_ih_l0.shape
        ((5, 4, 2), (1, 5, 2), (6, 3))
    """

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, device=None, dtype=None, name=None):
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, device=device, dtype=dtype, name=name)
