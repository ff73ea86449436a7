"""Recurrent layers, Keras face: ``layers.LSTM``, ``layers.GRU``, ``layers.SimpleRNN``.

Batch-major inputs (batch, time, features); weights built from the first
input's last dimension with Keras's names and layouts: ``kernel`` (input_dim,
gates * units), ``recurrent_kernel`` (units, gates * units), ``bias``. LSTM
gates are ``i, f, c, o`` (PyTorch's order too); GRU gates are ``z, r, h`` and,
with ``reset_after=True`` (Keras 3's default, PyTorch's formula), ``bias`` is
(2, 3 * units): input bias, then recurrent bias. The computation is the fused
scan of ``ndgrad.ops.recurrent`` with ``transposed=False`` (Keras's layouts as
they are); the LSTM's input projection runs inside its primitive
(``lstm_layer``). Activations other than tanh/sigmoid, and
``reset_after=False``, take the composite path.

The weights and the sequence computation live in mixins (``LSTMWeights``,
``GRUWeights``, ``SimpleRNNWeights``) that the Keras cells
(``layers.LSTMCell``, ... in ``recurrent_cells_keras.py``) share, so a layer,
a cell in ``layers.RNN`` and a cell stepped by hand give the same numbers.

Example:
    >>> from ndgrad import layers
    >>> import ndgrad
    >>> layer = layers.LSTM(4, return_sequences=True, return_state=True)
    >>> output, h, c = layer(ndgrad.ones((2, 5, 3)))
    >>> output.shape, h.shape, layer.kernel.shape, layer.recurrent_kernel.shape
    ((2, 5, 4), (2, 4), (3, 16), (4, 16))
"""

import numpy as np

from ..errors import shape_error
from ..ops.recurrent import gru_scan, lstm_layer, rnn_scan
from ..ops.shape import flip
from ..tensor import Tensor, as_tensor
from . import activation_names
from ._sizes import size
from .cells import dropout_mask
from .module import Module, unique_name

__all__ = ["RecurrentWeights", "LSTMWeights", "GRUWeights", "SimpleRNNWeights"]


def _forget_bias_initializer(base, units):
    """Keras's ``unit_forget_bias``: ones for the forget gate, ``base`` elsewhere."""
    from . import init
    base = init.get(base)

    def initializer(shape, dtype=None):
        parts = [base((units,), dtype=dtype), None, base((2 * units,), dtype=dtype)]
        parts[1] = np.ones(units, parts[0].dtype)
        return Tensor._wrap(np.concatenate([np.asarray(getattr(p, "_data", p)) for p in parts]))

    return initializer


class RecurrentWeights:
    """Keras's recurrent weights and the computation over a whole sequence, shared by
    the layers (``LSTM``, ``GRU``, ``SimpleRNN``) and their cells: a mixin of
    :class:`~ndgrad.nn.Module` subclasses (it defines no ``__init__``).

    Example:
        >>> from ndgrad.nn.recurrent_cells_keras import RecurrentWeights
        >>> import ndgrad
        >>> layer = ndgrad.layers.SimpleRNN(2)
        >>> isinstance(layer, RecurrentWeights), layer(ndgrad.ones((1, 3, 4))).shape
        (True, (1, 2))
    """

    _gates = 1
    _states = 1

    def _configure(self, label, units, activation, recurrent_activation, use_bias,
                   kernel_initializer, recurrent_initializer, bias_initializer, dropout,
                   recurrent_dropout, seed):
        """Check and keep the settings; called by ``__init__`` before ``Module.__init__``."""
        units = size(label, "units", units, minimum=1)
        if not 0.0 <= float(dropout) <= 1.0:
            raise ValueError(f"{label}: dropout must be in [0, 1], got {dropout}")
        if recurrent_dropout:
            raise NotImplementedError(f"{label}: recurrent_dropout is not supported; use "
                                      "dropout (on the inputs) instead")
        settings = dict(units=int(units), activation=activation_names.get(activation),
                        recurrent_activation=activation_names.get(recurrent_activation),
                        use_bias=bool(use_bias), kernel_initializer=kernel_initializer,
                        recurrent_initializer=recurrent_initializer,
                        bias_initializer=bias_initializer, dropout=float(dropout),
                        recurrent_dropout=0.0, seed=seed, _label=label,
                        _generator=np.random.default_rng(seed) if seed is not None else None)
        return settings

    def _apply_settings(self, settings):
        for key, value in settings.items():
            setattr(self, key, value)
        self.kernel = self.recurrent_kernel = self.bias = None

    def _make_weights(self, input_dim):
        width = self._gates * self.units
        self.kernel = self.add_weight("kernel", (input_dim, width),
                                      initializer=self.kernel_initializer)
        self.recurrent_kernel = self.add_weight("recurrent_kernel", (self.units, width),
                                                initializer=self.recurrent_initializer)
        if self.use_bias:
            self.bias = self.add_weight("bias", self._bias_shape(), initializer=self._bias_init())

    def _bias_shape(self):
        return (self._gates * self.units,)

    def _bias_init(self):
        return self.bias_initializer

    def _input_bias(self):
        return self.bias

    def _dropped(self, x, training):
        """``x`` (batch, time, features) with input dropout: one mask for every step."""
        if self.dropout and training:
            x = x * dropout_mask((x.shape[0], 1, x.shape[2]), self.dropout, x.dtype,
                                 self._generator)
        return x

    def _run(self, x, states):
        """(outputs (time, batch, units), *final states) of batch-major inputs: one
        matmul projects every step, then the scan of the subclass."""
        gates = x.reshape(-1, x.shape[-1]) @ self.kernel
        bias = self._input_bias()
        if bias is not None:
            gates = gates + bias
        gates = gates.reshape(x.shape[:2] + (gates.shape[-1],)).swapaxes(0, 1)
        return self._scan(gates, states)

    def _weights_config(self):
        config = {"units": self.units, "activation": activation_names.name_of(self.activation),
                  "use_bias": self.use_bias, "dropout": self.dropout}
        if self._gates > 1:
            config["recurrent_activation"] = activation_names.name_of(self.recurrent_activation)
        return config


class LSTMWeights(RecurrentWeights):
    """The LSTM's weights (gates ``i, f, c, o``) and its fused sequence primitive.

    Example:
        >>> import ndgrad
        >>> ndgrad.layers.LSTMCell(2)(ndgrad.ones((1, 3)), [ndgrad.zeros((1, 2))] * 2)[0].shape
        (1, 2)
    """

    _gates = 4
    _states = 2

    def _bias_init(self):
        if self.unit_forget_bias:
            return _forget_bias_initializer(self.bias_initializer, self.units)
        return self.bias_initializer

    def _run(self, x, states):
        """The projection runs inside the LSTM primitive (``lstm_layer``)."""
        return lstm_layer(x, states[0], states[1], self.kernel, self.recurrent_kernel,
                          self.bias, transposed=False, batch_first=True,
                          activation=self.activation,
                          recurrent_activation=self.recurrent_activation)


class GRUWeights(RecurrentWeights):
    """The GRU's weights (gates ``z, r, h``; ``bias`` (2, 3 * units) with ``reset_after``)
    and its scan.

    Example:
        >>> import ndgrad
        >>> cell = ndgrad.layers.GRUCell(2)
        >>> cell(ndgrad.ones((1, 3)), [ndgrad.zeros((1, 2))])[0].shape, cell.bias.shape
        ((1, 2), (2, 6))
    """

    _gates = 3

    def _bias_shape(self):
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def _input_bias(self):
        if self.bias is None or not self.reset_after:
            return self.bias
        return self.bias[0]

    def _scan(self, gates, states):
        if self.bias is not None and self.reset_after:
            recurrent_bias = self.bias[1]
        else:
            recurrent_bias = Tensor._wrap(np.zeros(3 * self.units, gates.dtype))
        return gru_scan(gates, states[0], self.recurrent_kernel, recurrent_bias,
                        transposed=False, gate_order="zrn", activation=self.activation,
                        recurrent_activation=self.recurrent_activation,
                        reset_after=self.reset_after)


class SimpleRNNWeights(RecurrentWeights):
    """The Elman RNN's weights and its scan, ``h' = activation(x W + h U + b)``.

    Example:
        >>> import ndgrad
        >>> ndgrad.layers.SimpleRNNCell(2)(ndgrad.ones((1, 3)), [ndgrad.zeros((1, 2))])[0].shape
        (1, 2)
    """

    def _scan(self, gates, states):
        return rnn_scan(gates, states[0], self.recurrent_kernel, transposed=False,
                        activation=self.activation)


class _KerasRecurrent(Module):
    """What Keras's LSTM, GRU and SimpleRNN share: arguments, checks, sequences and states."""

    _base_name = "simple_rnn"

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", dropout=0.0, recurrent_dropout=0.0,
                 return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, seed=None, use_cudnn="auto", **kwargs):
        label = type(self).__name__.replace("Keras", "")
        settings = self._configure(label, units, activation, recurrent_activation, use_bias,
                                   kernel_initializer, recurrent_initializer, bias_initializer,
                                   dropout, recurrent_dropout, seed)
        if stateful:
            raise NotImplementedError(f"{label}: stateful=True is not supported; pass the "
                                      "previous call's states as initial_state")
        kwargs.setdefault("name", unique_name(self._base_name))
        super().__init__(**kwargs)
        self.training = False
        self._apply_settings(settings)
        self.return_sequences, self.return_state = bool(return_sequences), bool(return_state)
        self.go_backwards, self.stateful, self.unroll = bool(go_backwards), False, bool(unroll)
        self.use_cudnn = use_cudnn        # no effect on the CPU; kept for configs
        self.build_from_input_shape()

    def build(self, input_shape):
        if len(input_shape) != 3:
            raise ValueError(f"{self._label}: expected inputs of shape (batch, time, features), "
                             f"got {tuple(input_shape)}")
        self._make_weights(input_shape[-1])

    def _initial_states(self, initial_state, batch, dtype):
        if initial_state is None:
            zeros = Tensor._wrap(np.zeros((batch, self.units), dtype))
            return [zeros] * self._states
        states = list(initial_state) if isinstance(initial_state, (list, tuple)) else [
            initial_state]
        if len(states) != self._states:
            raise ValueError(f"{self._label}: initial_state needs {self._states} tensor(s), "
                             f"got {len(states)}")
        states = [as_tensor(s) for s in states]
        for state in states:
            if state.shape != (batch, self.units):
                raise shape_error(self._label, [state], f"each initial state must have shape "
                                                        f"{(batch, self.units)} (batch, units)")
        return states

    def call(self, inputs, initial_state=None, mask=None, training=None):
        """Run over ``inputs`` (batch, time, features).

        Args:
            inputs: the sequence, batch first.
            initial_state: a list of (batch, units) tensors ([h, c] for the LSTM);
                zeros when None.
            mask: not supported (must be None).
            training: apply ``dropout`` (default: the layer's or the caller's mode).

        Returns:
            The last output (batch, units) or every output (batch, time, units)
            with ``return_sequences``; followed by the final states with
            ``return_state``.
        """
        if mask is not None:
            raise NotImplementedError(f"{self._label}: masks are not supported; pad with "
                                      "values the model can learn to ignore, or slice")
        x = as_tensor(inputs)
        if x.ndim != 3 or x.shape[-1] != self.kernel.shape[0]:
            raise shape_error(self._label, [x], "expected inputs of shape (batch, time, "
                                                f"{self.kernel.shape[0]})")
        if x.shape[1] == 0:
            raise shape_error(self._label, [x], "the sequence is empty (0 time steps)")
        states = self._initial_states(initial_state, x.shape[0], x.dtype)
        if self.go_backwards:
            x = flip(x, axis=1)
        outputs, *final = self._run(self._dropped(x, self.training_mode(training)), states)
        output = outputs.swapaxes(0, 1) if self.return_sequences else final[0]
        return (output, *final) if self.return_state else output

    def get_config(self):
        return {**super().get_config(), **self._weights_config(),
                "return_sequences": self.return_sequences, "return_state": self.return_state,
                "go_backwards": self.go_backwards}

    def extra_repr(self):
        return f"units={self.units}, return_sequences={self.return_sequences}"


class LSTMKeras(LSTMWeights, _KerasRecurrent):
    """Keras's ``LSTM(units, ...)``: batch-major inputs, ``kernel`` (input_dim, 4 * units),
    ``recurrent_kernel`` (units, 4 * units), ``bias`` (4 * units,), gates ``i, f, c, o``.

    Args:
        units: size of the hidden state.
        activation: for the candidate and the output (default "tanh").
        recurrent_activation: for the gates (default "sigmoid").
        use_bias: learn ``bias``.
        kernel_initializer, recurrent_initializer, bias_initializer: names or objects.
        unit_forget_bias: start the forget gate's bias at 1.
        dropout: rate of dropout on the inputs (same mask at every step), training only.
        return_sequences: return every step's output (batch, time, units), not the last.
        return_state: also return the final ``h`` and ``c``.
        go_backwards: read the sequence from the end (outputs come in that order).
        seed: an integer giving the dropout its own reproducible generator.

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layer = layers.LSTM(2)
        >>> layer(ndgrad.ones((3, 4, 5))).shape, layer.count_params()   # 4 * (5*2 + 2*2 + 2)
        ((3, 2), 64)
    """

    _base_name = "lstm"

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, **kwargs):
        self.unit_forget_bias = bool(unit_forget_bias)
        super().__init__(units, activation, recurrent_activation, use_bias, kernel_initializer,
                         recurrent_initializer, bias_initializer, **kwargs)


class GRUKeras(GRUWeights, _KerasRecurrent):
    """Keras's ``GRU(units, ...)``: gates ``z, r, h``; with ``reset_after=True`` (default)
    the candidate is ``tanh(x W_h + b_h + r * (h U_h + b'_h))`` and ``bias`` is
    (2, 3 * units). Arguments as :class:`LSTMKeras`, plus:

    Args:
        reset_after: apply the reset gate after the recurrent matmul (True, Keras 3
            and PyTorch) or before it (False, the original GRU; ``bias`` (3 * units,)).
        units: size of the hidden state.
        activation: for the candidate (default "tanh").
        recurrent_activation: for the gates (default "sigmoid").
        use_bias: learn ``bias`` (default True).
        kernel_initializer, recurrent_initializer, bias_initializer: names or objects
            (default "glorot_uniform", "orthogonal", "zeros").

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layer = layers.GRU(2, return_state=True)
        >>> output, h = layer(ndgrad.ones((3, 4, 5)))
        >>> output.shape, layer.bias.shape
        ((3, 2), (2, 6))
    """

    _base_name = "gru"

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", reset_after=True, **kwargs):
        self.reset_after = bool(reset_after)
        super().__init__(units, activation, recurrent_activation, use_bias, kernel_initializer,
                         recurrent_initializer, bias_initializer, **kwargs)

    def get_config(self):
        return dict(super().get_config(), reset_after=self.reset_after)


class SimpleRNNKeras(SimpleRNNWeights, _KerasRecurrent):
    """Keras's ``SimpleRNN(units, ...)``: ``h' = activation(x kernel + h recurrent_kernel + bias)``.
    Arguments as :class:`LSTMKeras` (no recurrent_activation).

    Args:
        units (int): the size of the hidden state and the output.
        activation (str, callable or None, default "tanh"): applied to each new state.
        use_bias (bool, default True): learn ``bias`` (units,).
        kernel_initializer (default "glorot_uniform"): the input kernel's initializer.
        recurrent_initializer (default "orthogonal"): the recurrent kernel's initializer.
        bias_initializer (default "zeros"): the bias's initializer.
        dropout (float, default 0.0): the rate of dropout on the inputs (one mask for
            every step), in training only.
        recurrent_dropout (float, default 0.0): only 0 (anything else is refused).
        return_sequences (bool, default False): return every step's output
            (batch, time, units), not the last one.
        return_state (bool, default False): also return the final state.
        go_backwards (bool, default False): read the sequence from its end.
        stateful (bool, default False): only False; pass the previous call's state as
            ``initial_state`` instead.
        unroll, use_cudnn: accepted for Keras configs; they change nothing here.
        seed (int or None, default None): gives the dropout its own reproducible generator.

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layer = layers.SimpleRNN(2, return_sequences=True)
        >>> layer(ndgrad.ones((3, 4, 5))).shape, layer.count_params()   # 5*2 + 2*2 + 2
        ((3, 4, 2), 16)
    """

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", **kwargs):
        super().__init__(units, activation, None, use_bias, kernel_initializer,
                         recurrent_initializer, bias_initializer, **kwargs)
