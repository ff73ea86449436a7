"""Convolutional LSTMs, Keras face: ``layers.ConvLSTM1D`` and ``layers.ConvLSTM2D``.

An LSTM whose input and recurrent transforms are convolutions: for a sequence
of images (batch, time, rows, cols, channels), every gate ``i, f, c, o`` is
``conv(x_t, kernel) + bias + conv(h, recurrent_kernel)``; the state ``h`` and
the cell ``c`` are images of ``filters`` channels. Weights are Keras's:
``kernel`` (*kernel_size, channels, 4 * filters), ``recurrent_kernel``
(*kernel_size, filters, 4 * filters), ``bias`` (4 * filters,) with the forget
gate's part at 1 (``unit_forget_bias``).

The input convolution of every step runs at once, as one call of the core
convolution on (batch * time, ...) images; the recurrent one is a convolution
of the previous state (``padding="same"``, stride 1), so it runs once per time
step, with the gate arithmetic in ndgrad ops (their gradients are the
backpropagation through time).

Example:
    >>> from ndgrad import layers
    >>> import ndgrad
    >>> layer = layers.ConvLSTM2D(4, 3, padding="same", return_sequences=True)
    >>> layer(ndgrad.ones((2, 3, 5, 5, 2))).shape, layer.count_params()
    ((2, 3, 5, 5, 4), 880)
"""

import numpy as np

from ..errors import shape_error
from ..ops.convolution import conv1d, conv2d
from ..ops.convolution_geometry import as_tuple, channels_last_flag
from ..ops.join import stack
from ..ops.shape import flip
from ..tensor import Tensor, as_tensor
from . import activation_names
from .cells import dropout_mask
from .module import Module, keras_exports
from .recurrent_keras import _forget_bias_initializer

__all__ = []


class _ConvLSTMKeras(Module):
    """Keras's ConvLSTM layers; subclasses set the spatial rank."""

    _dims = 2
    _function = staticmethod(conv2d)

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, **kwargs):
        owner = type(self).__name__
        if isinstance(filters, bool) or int(filters) != filters or filters <= 0:
            raise ValueError(f"{owner}: filters must be a positive integer, got {filters!r}")
        if not 0.0 <= float(dropout) <= 1.0:
            raise ValueError(f"{owner}: dropout must be in [0, 1], got {dropout}")
        if recurrent_dropout:
            raise NotImplementedError(f"{owner}: recurrent_dropout is not supported; use "
                                      "dropout (on the inputs) instead")
        if stateful:
            raise NotImplementedError(f"{owner}: stateful=True is not supported; pass the "
                                      "previous call's states as initial_state")
        padding = str(padding).lower()
        if padding not in ("valid", "same"):
            raise ValueError(f"{owner}: padding must be 'valid' or 'same', got {padding!r}")
        super().__init__(kernel_regularizer=kernel_regularizer,
                         recurrent_regularizer=recurrent_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint,
                         recurrent_constraint=recurrent_constraint,
                         bias_constraint=bias_constraint, **kwargs)
        self.training = False
        dims = self._dims
        self.filters = int(filters)
        self.kernel_size = as_tuple(kernel_size, dims, "kernel_size", owner)
        self.strides = as_tuple(strides, dims, "strides", owner)
        self.dilation_rate = as_tuple(dilation_rate, dims, "dilation_rate", owner)
        self.padding = padding
        self.data_format = data_format or "channels_last"
        self._channels_last = channels_last_flag(self.data_format, owner)
        self.activation = activation_names.get(activation)
        self.recurrent_activation = activation_names.get(recurrent_activation)
        self.use_bias, self.unit_forget_bias = bool(use_bias), bool(unit_forget_bias)
        self.kernel_initializer = kernel_initializer
        self.recurrent_initializer = recurrent_initializer
        self.bias_initializer = bias_initializer
        self.dropout, self.recurrent_dropout, self.seed = float(dropout), 0.0, seed
        self._generator = np.random.default_rng(seed) if seed is not None else None
        self.return_sequences, self.return_state = bool(return_sequences), bool(return_state)
        self.go_backwards, self.stateful = bool(go_backwards), False
        self.kernel = self.recurrent_kernel = self.bias = None
        self.build_from_input_shape()

    def _layout(self):
        spatial = "steps" if self._dims == 1 else "rows, cols"
        return (f"(batch, time, {spatial}, channels)" if self._channels_last
                else f"(batch, time, channels, {spatial})")

    def build(self, input_shape):
        owner = type(self).__name__
        if len(input_shape) != self._dims + 3:
            raise ValueError(f"{owner}: expected a {self._dims + 3}-D input {self._layout()}, "
                             f"got shape {tuple(input_shape)}")
        channels = input_shape[-1 if self._channels_last else 2]
        if channels is None:
            raise ValueError(f"{owner}: the channels must be known; input shape "
                             f"{tuple(input_shape)}")
        width = 4 * self.filters
        self.kernel = self.add_weight("kernel", self.kernel_size + (int(channels), width),
                                      initializer=self.kernel_initializer)
        self.recurrent_kernel = self.add_weight(
            "recurrent_kernel", self.kernel_size + (self.filters, width),
            initializer=self.recurrent_initializer)
        if self.use_bias:
            initializer = (_forget_bias_initializer(self.bias_initializer, self.filters)
                           if self.unit_forget_bias else self.bias_initializer)
            self.bias = self.add_weight("bias", (width,), initializer=initializer)

    def _convolve(self, x, kernel, bias, recurrent):
        if recurrent:
            return self._function(x, kernel, None, 1, "same", 1, data_format=self.data_format,
                                  kernel_layout="keras")
        return self._function(x, kernel, bias, self.strides, self.padding, self.dilation_rate,
                              data_format=self.data_format, kernel_layout="keras")

    def _gate(self, z, index):
        block = slice(index * self.filters, (index + 1) * self.filters)
        return z[..., block] if self._channels_last else z[:, block]

    def _initial_states(self, initial_state, shape, dtype):
        if initial_state is None:
            zeros = Tensor._wrap(np.zeros(shape, dtype))
            return zeros, zeros
        states = list(initial_state) if isinstance(initial_state, (list, tuple)) else [
            initial_state]
        if len(states) != 2:
            raise ValueError(f"{type(self).__name__}: initial_state needs [h, c], got "
                             f"{len(states)} tensor(s)")
        states = [as_tensor(s) for s in states]
        for state in states:
            if tuple(state.shape) != shape:
                raise shape_error(type(self).__name__, [state],
                                  f"each initial state must have shape {shape}")
        return states

    def call(self, inputs, initial_state=None, mask=None, training=None):
        """Run over ``inputs`` (batch, time, *spatial, channels): the last ``h``, or every
        step's (``return_sequences``), then ``h`` and ``c`` with ``return_state``."""
        owner = type(self).__name__
        if mask is not None:
            raise NotImplementedError(f"{owner}: masks are not supported")
        x = as_tensor(inputs)
        channels = self.kernel.shape[-2]
        axis = -1 if self._channels_last else 2
        if x.ndim != self._dims + 3 or x.shape[axis] != channels:
            raise shape_error(owner, [x], f"expected a {self._dims + 3}-D input "
                              f"{self._layout()} with {channels} channels")
        batch, steps = x.shape[:2]
        if steps == 0:
            raise shape_error(owner, [x], "the sequence is empty (0 time steps)")
        if self.dropout and self.training_mode(training):
            x = x * dropout_mask((batch, 1) + x.shape[2:], self.dropout, x.dtype,
                                 self._generator)
        projected = self._convolve(x.reshape((batch * steps,) + x.shape[2:]), self.kernel,
                                   self.bias, recurrent=False)
        projected = projected.reshape((batch, steps) + projected.shape[1:])
        if self.go_backwards:
            projected = flip(projected, axis=1)
        state_shape = list(projected.shape[:1] + projected.shape[2:])
        state_shape[-1 if self._channels_last else 1] = self.filters
        h, c = self._initial_states(initial_state, tuple(state_shape), projected.dtype)
        outputs = []
        for t in range(steps):
            z = projected[:, t] + self._convolve(h, self.recurrent_kernel, None, recurrent=True)
            gate_i = self.recurrent_activation(self._gate(z, 0))
            gate_f = self.recurrent_activation(self._gate(z, 1))
            gate_o = self.recurrent_activation(self._gate(z, 3))
            c = gate_f * c + gate_i * self.activation(self._gate(z, 2))
            h = gate_o * self.activation(c)
            outputs.append(h)
        output = stack(outputs, axis=1) if self.return_sequences else h
        return (output, h, c) if self.return_state else output

    def get_config(self):
        return {**super().get_config(), "filters": self.filters,
                "kernel_size": self.kernel_size, "strides": self.strides,
                "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": self.dilation_rate,
                "activation": activation_names.name_of(self.activation),
                "recurrent_activation": activation_names.name_of(self.recurrent_activation),
                "return_sequences": self.return_sequences, "return_state": self.return_state,
                "go_backwards": self.go_backwards}

    def extra_repr(self):
        return (f"filters={self.filters}, kernel_size={self.kernel_size}, "
                f"return_sequences={self.return_sequences}")


class ConvLSTM2DKeras(_ConvLSTMKeras):
    """Keras's ``ConvLSTM2D(filters, kernel_size, ...)`` over sequences of images
    (batch, time, rows, cols, channels) (channels_first: (batch, time, channels,
    rows, cols)).

    Args:
        filters: channels of the state and the output.
        kernel_size, strides, dilation_rate: of the input convolution (the
            recurrent one has stride 1 and "same" padding).
        padding: "valid" or "same" (the input convolution).
        data_format: "channels_last" (default) or "channels_first".
        activation, recurrent_activation: "tanh" and "sigmoid" by default.
        use_bias, kernel_initializer, recurrent_initializer, bias_initializer,
            unit_forget_bias: as ``layers.LSTM``.
        dropout: dropout on the inputs (one mask for every step), training only.
        return_sequences, return_state, go_backwards: as ``layers.LSTM``.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: penalties added to
            the model's losses, as Keras (default None).
        kernel_constraint, recurrent_constraint, bias_constraint: functions applied to
            the weights after each optimizer step, as Keras (default None).
        recurrent_dropout: only 0.0 (anything else is refused).
        seed: an integer giving the dropout its own reproducible generator.
        stateful: only False; pass the previous call's states as ``initial_state``.

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layer = layers.ConvLSTM2D(2, (3, 3), return_state=True)   # layers.ConvLSTM2D
        >>> output, h, c = layer(ndgrad.ones((1, 4, 6, 6, 3)))
        >>> output.shape, c.shape, layer.kernel.shape
        ((1, 4, 4, 2), (1, 4, 4, 2), (3, 3, 3, 8))
    """


class ConvLSTM1DKeras(_ConvLSTMKeras):
    """Keras's ``ConvLSTM1D(filters, kernel_size, ...)`` over sequences of 1-D signals
    (batch, time, steps, channels); arguments as :class:`ConvLSTM2DKeras`.

    Args:
        filters (int): channels of the state and the output.
        kernel_size (int): the input convolution's filter length (the recurrent
            convolution uses the same length, stride 1 and "same" padding).
        strides (int, default 1): the input convolution's step.
        padding (str, default "valid"): "valid" or "same", for the input convolution.
        data_format (str, default "channels_last"): "channels_last" for
            (batch, time, steps, channels), "channels_first" for (batch, time, channels, steps).
        dilation_rate (int, default 1): the input convolution's dilation.
        activation (default "tanh"), recurrent_activation (default "sigmoid"): for the
            candidate and output, and for the gates.
        use_bias (bool, default True): learn ``bias`` (4 * filters,).
        kernel_initializer, recurrent_initializer, bias_initializer: names or objects
            (default "glorot_uniform", "orthogonal", "zeros").
        unit_forget_bias (bool, default True): start the forget gate's bias at 1.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: penalties added to
            the model's losses, as Keras (default None).
        kernel_constraint, recurrent_constraint, bias_constraint: functions applied to
            the weights after each optimizer step, as Keras (default None).
        dropout (float, default 0.0): dropout on the inputs (one mask for every step),
            in training only.
        recurrent_dropout (float, default 0.0): only 0 (anything else is refused).
        seed (int or None, default None): gives the dropout its own reproducible generator.
        return_sequences (bool, default False): return every step's output, not the last.
        return_state (bool, default False): also return the final ``h`` and ``c``.
        go_backwards (bool, default False): read the sequence from its end.
        stateful (bool, default False): only False; pass the previous call's states as
            ``initial_state`` instead.

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layer = layers.ConvLSTM1D(3, 2, padding="same")          # layers.ConvLSTM1D
        >>> layer(ndgrad.ones((2, 5, 7, 4))).shape, layer.count_params()   # 96 + 72 + 12
        ((2, 7, 3), 180)
    """

    _dims = 1
    _function = staticmethod(conv1d)


KERAS_EXPORTS = keras_exports({"ConvLSTM2D": ConvLSTM2DKeras, "ConvLSTM1D": ConvLSTM1DKeras})
