"""Keras's layer wrappers: ``layers.Bidirectional`` and ``layers.TimeDistributed``.

``Bidirectional(layer)`` makes two copies of a recurrent layer from its config
(``forward_<name>`` and ``backward_<name>``, the second with
``go_backwards=True``), runs both over the sequence and merges their outputs
("concat", "sum", "mul", "ave", or None for the pair); the backward output
sequence is flipped back into time order first. Each copy is the layer's own
fused scan. ``TimeDistributed(layer)`` applies a layer to every time step of
(batch, time, ...) by folding time into the batch: one call on
(batch * time, ...), then the result unfolded, instead of a Python loop over
steps. (A BatchNormalization inside it therefore takes its statistics over
batch and time together, as Keras 2 did; Keras 3 steps it per time step.)

Example:
    >>> from ndgrad.layers import TimeDistributed
    >>> from ndgrad.layers import Bidirectional
    >>> import ndgrad
    >>> layer = Bidirectional(ndgrad.layers.LSTM(4, return_sequences=True))
    >>> layer(ndgrad.ones((2, 5, 3))).shape, layer.count_params()   # 2 * 4 * (3*4 + 4*4 + 4)
    ((2, 5, 8), 256)
    >>> TimeDistributed(ndgrad.layers.Dense(6))(ndgrad.ones((2, 5, 3))).shape
    (2, 5, 6)
"""

from ..errors import shape_error
from ..ops.join import concatenate
from ..ops.shape import flip
from ..tensor import as_tensor
from .module import Module, keras_exports
from .recurrent_cells_keras import build_child

__all__ = []

_MERGE_MODES = ("concat", "sum", "mul", "ave", None)


def _copy(layer, **changes):
    """A new, unbuilt layer made from ``layer``'s config with ``changes``."""
    config = dict(layer.get_config(), **changes)
    return type(layer).from_config(config)


def _without_prefix(name, prefix):
    return name[len(prefix):] if name.startswith(prefix) else name


class Bidirectional(Module):
    """Keras's ``Bidirectional(layer, merge_mode="concat", weights=None,
    backward_layer=None)``: a recurrent layer run both ways.

    Args:
        layer: a recurrent layer (``LSTM``, ``GRU``, ``SimpleRNN``, ``RNN``, or
            one with ``go_backwards``, ``return_sequences`` and ``return_state``);
            it is copied from its config, not used itself.
        merge_mode: "concat" (default), "sum", "mul", "ave", or None (a pair of
            outputs).
        weights: initial weights, the forward layer's then the backward
            layer's (set when the layer is built).
        backward_layer: the layer to run backwards (default: a copy of ``layer``
            with ``go_backwards=True``); it must have ``go_backwards=True``.

    With ``return_state`` the call returns ``output, *forward_states,
    *backward_states`` (``forward, backward, *states`` with merge_mode None),
    and ``initial_state`` takes the forward states then the backward ones.

    Example:
        >>> from ndgrad.layers import Bidirectional
        >>> import ndgrad
        >>> layer = Bidirectional(ndgrad.layers.GRU(3, return_state=True), merge_mode="sum")
        >>> output, h_forward, h_backward = layer(ndgrad.ones((2, 4, 5)))
        >>> output.shape, h_forward.shape, layer.forward_layer.name.startswith("forward_gru")
        ((2, 3), (2, 3), True)
    """

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None,
                 **kwargs):
        if not isinstance(layer, Module):
            raise ValueError(f"Bidirectional: expected a layer (e.g. layers.LSTM), got "
                             f"{type(layer).__name__}")
        if backward_layer is not None and not isinstance(backward_layer, Module):
            raise ValueError(f"Bidirectional: backward_layer must be a layer, got "
                             f"{type(backward_layer).__name__}")
        if merge_mode not in _MERGE_MODES:
            raise ValueError(f"Bidirectional: merge_mode must be one of {_MERGE_MODES}, got "
                             f"{merge_mode!r}")
        for attribute in ("go_backwards", "return_sequences", "return_state"):
            if not hasattr(layer, attribute):
                raise ValueError(f"Bidirectional: {type(layer).__name__} has no "
                                 f"'{attribute}'; wrap a recurrent layer (LSTM, GRU, "
                                 "SimpleRNN, RNN)")
        super().__init__(**kwargs)
        self.training = False
        self.forward_layer = _copy(
            layer, name=f"forward_{_without_prefix(layer.name, 'forward_')}")
        if backward_layer is None:
            backward_layer = _copy(
                layer, go_backwards=True,
                name=f"backward_{_without_prefix(layer.name, 'backward_')}")
        self.backward_layer = backward_layer
        self._check_pair()
        self.merge_mode = merge_mode
        self.return_sequences = bool(layer.return_sequences)
        self.return_state = bool(layer.return_state)
        self.stateful = bool(getattr(layer, "stateful", False))
        self._initial_weights = list(weights) if weights else None
        self.build_from_input_shape()

    def _check_pair(self):
        forward, backward = self.forward_layer, self.backward_layer
        if bool(forward.go_backwards) == bool(getattr(backward, "go_backwards", None)):
            raise ValueError("Bidirectional: the forward and backward layers must differ in "
                             f"go_backwards; got {forward.go_backwards} for both")
        for attribute in ("return_sequences", "return_state"):
            if getattr(forward, attribute) != getattr(backward, attribute, None):
                raise ValueError(f"Bidirectional: the forward and backward layers must have "
                                 f"the same {attribute}; got {getattr(forward, attribute)} and "
                                 f"{getattr(backward, attribute, None)}")

    def build(self, input_shape):
        build_child(self.forward_layer, input_shape)
        build_child(self.backward_layer, input_shape)
        if self._initial_weights is not None:
            half = len(self._initial_weights) // 2
            self.forward_layer.set_weights(self._initial_weights[:half])
            self.backward_layer.set_weights(self._initial_weights[half:])
            self._initial_weights = None

    def call(self, sequences, initial_state=None, mask=None, training=None):
        """Run both layers over ``sequences`` (batch, time, features) and merge."""
        if mask is not None:
            raise NotImplementedError("Bidirectional: masks are not supported; pad with "
                                      "values the model can learn to ignore, or slice")
        forward_state = backward_state = None
        if initial_state is not None:
            initial_state = list(initial_state)
            if len(initial_state) % 2:
                raise ValueError(f"Bidirectional: initial_state must hold the forward states "
                                 f"then the backward states (an even number), got "
                                 f"{len(initial_state)}")
            half = len(initial_state) // 2
            forward_state, backward_state = initial_state[:half], initial_state[half:]
        training = self.training_mode(training)
        forward = self.forward_layer(sequences, initial_state=forward_state, training=training)
        backward = self.backward_layer(sequences, initial_state=backward_state,
                                       training=training)
        states = ()
        if self.return_state:
            states = tuple(forward[1:]) + tuple(backward[1:])
            forward, backward = forward[0], backward[0]
        if self.return_sequences:
            backward = flip(backward, axis=1)
        if self.merge_mode == "concat":
            output = concatenate([forward, backward], axis=-1)
        elif self.merge_mode == "sum":
            output = forward + backward
        elif self.merge_mode == "ave":
            output = (forward + backward) / 2
        elif self.merge_mode == "mul":
            output = forward * backward
        else:
            output = (forward, backward)
        if not self.return_state:
            return output
        return (*output, *states) if self.merge_mode is None else (output, *states)

    def get_config(self):
        config = super().get_config()
        config.pop("weights", None)
        return config

    def extra_repr(self):
        return f"merge_mode={self.merge_mode!r}"


class TimeDistributed(Module):
    """Keras's ``TimeDistributed(layer)``: ``layer`` applied to every time step of a
    (batch, time, ...) input, with the same weights at each step.

    Args:
        layer: any layer taking (batch, ...) inputs.

    Example:
        >>> from ndgrad.layers import TimeDistributed
        >>> import ndgrad
        >>> layer = TimeDistributed(ndgrad.layers.Conv2D(4, 3))
        >>> layer(ndgrad.ones((2, 5, 8, 8, 3))).shape, layer.layer.kernel.shape
        ((2, 5, 6, 6, 4), (3, 3, 3, 4))
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Module):
            raise ValueError(f"TimeDistributed: expected a layer, got {type(layer).__name__}")
        super().__init__(**kwargs)
        self.training = False
        self.layer = layer
        self.build_from_input_shape()

    def build(self, input_shape):
        if len(input_shape) < 3:
            raise ValueError(f"TimeDistributed: expected inputs with at least 3 dimensions "
                             f"(batch, time, ...), got {tuple(input_shape)}")
        build_child(self.layer, (input_shape[0],) + tuple(input_shape[2:]))

    def call(self, inputs, training=None, mask=None):
        """``layer`` on (batch * time, ...), unfolded back to (batch, time, ...)."""
        if mask is not None:
            raise NotImplementedError("TimeDistributed: masks are not supported")
        x = as_tensor(inputs)
        if x.ndim < 3:
            raise shape_error("TimeDistributed", [x], "expected inputs with at least 3 "
                                                      "dimensions (batch, time, ...)")
        batch, steps = x.shape[:2]
        folded = self.layer(x.reshape((batch * steps,) + x.shape[2:]),
                            training=self.training_mode(training))
        if not hasattr(folded, "shape") or folded.ndim < 1:
            raise TypeError(f"TimeDistributed: {type(self.layer).__name__} must return one "
                            "tensor with a batch dimension")
        return folded.reshape((batch, steps) + folded.shape[1:])

    def extra_repr(self):
        return f"layer={type(self.layer).__name__}"


KERAS_EXPORTS = keras_exports({"Bidirectional": Bidirectional,
                               "TimeDistributed": TimeDistributed})
