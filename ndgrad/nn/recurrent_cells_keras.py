"""Recurrent cells, Keras face: ``layers.SimpleRNNCell``, ``layers.LSTMCell``,
``layers.GRUCell`` and ``layers.StackedRNNCells``.

A cell advances one time step: ``cell(inputs, states) -> (output, new_states)``
with Keras's arguments, weights (``kernel`` (input_dim, gates * units),
``recurrent_kernel``, ``bias``), gate orders and ``state_size`` /
``output_size``. The weights and the computation are the Keras layers' own
(the mixins of ``recurrent_keras.py``): one step is the layer's fused scan run
for one step, and ``layers.RNN(cell)`` runs the scan over the whole sequence at
once instead of stepping the cell in Python.

Example:
    >>> from ndgrad import layers
    >>> import ndgrad
    >>> cell = layers.LSTMCell(3)                  # ndgrad.layers.LSTMCell
    >>> h, (h_again, c) = cell(ndgrad.ones((2, 4)), [ndgrad.zeros((2, 3))] * 2)
    >>> h.shape, c.shape, cell.state_size, cell.kernel.shape
    ((2, 3), (2, 3), [3, 3], (4, 12))
"""

import numpy as np

from ..errors import shape_error
from ..tensor import Tensor, as_tensor
from .module import Module, keras_exports
from .recurrent_keras import GRUWeights, LSTMWeights, RecurrentWeights, SimpleRNNWeights

__all__ = ["StackedRNNCells", "build_child", "zero_states"]


def build_child(layer, input_shape):
    """Build a sub-layer from ``input_shape`` when it has a ``build`` and is not built
    yet (a layer without one builds at its first call).

    Example:
        >>> from ndgrad.nn.recurrent_cells_keras import build_child
        >>> import ndgrad
        >>> dense = ndgrad.layers.Dense(2)
        >>> build_child(dense, (None, 3)); dense.kernel.shape
        (3, 2)
    """
    if isinstance(layer, Module) and not layer.built and type(layer).build is not Module.build:
        layer.build(tuple(input_shape))
        layer.built = True


def zero_states(cell, batch, dtype):
    """``cell.get_initial_state(batch)`` when the cell has it, else zeros of
    (batch, size) for each entry of ``state_size`` (nested for stacked cells).

    Example:
        >>> from ndgrad import layers
        >>> from ndgrad.nn.recurrent_cells_keras import zero_states
        >>> [s.shape for s in zero_states(layers.LSTMCell(3), 2, "float32")]
        [(2, 3), (2, 3)]
    """
    make = getattr(cell, "get_initial_state", None)
    if make is not None:
        states = make(batch_size=batch)
        return list(states) if isinstance(states, (list, tuple)) else [states]
    sizes = cell.state_size if isinstance(cell.state_size, (list, tuple)) else [cell.state_size]
    return [Tensor._wrap(np.zeros((batch, int(size)), dtype)) for size in sizes]


class _KerasCell(Module):
    """What the three Keras cells share: arguments, ``state_size``, one step."""

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", dropout=0.0, recurrent_dropout=0.0, seed=None,
                 **kwargs):
        label = type(self).__name__.replace("Keras", "")
        settings = self._configure(label, units, activation, recurrent_activation, use_bias,
                                   kernel_initializer, recurrent_initializer, bias_initializer,
                                   dropout, recurrent_dropout, seed)
        super().__init__(**kwargs)
        self.training = False
        self._apply_settings(settings)
        self.build_from_input_shape()

    @property
    def state_size(self):
        """The size of each state: ``units`` (one state) or ``[units, units]`` (LSTM)."""
        return [self.units] * self._states if self._states > 1 else self.units

    @property
    def output_size(self):
        """The size of the output, ``units``."""
        return self.units

    def build(self, input_shape):
        self._make_weights(input_shape[-1])

    def get_initial_state(self, batch_size=None):
        """Zeros of (batch_size, units), one per state, in a list.

        Example:
            >>> from ndgrad import layers
            >>> [s.shape for s in layers.SimpleRNNCell(2).get_initial_state(3)]
            [(3, 2)]
        """
        return [Tensor._wrap(np.zeros((int(batch_size), self.units), self.dtype))
                for _ in range(self._states)]

    def _checked_states(self, states, x):
        listed = isinstance(states, (list, tuple))
        states = [as_tensor(s) for s in (states if listed else [states])]
        if len(states) != self._states:
            raise ValueError(f"{self._label}: expected {self._states} state tensor(s), got "
                             f"{len(states)}")
        for state in states:
            if state.shape != (x.shape[0], self.units):
                raise shape_error(self._label, [x, state], "each state must have shape "
                                  f"{(x.shape[0], self.units)} (batch, units)")
        return states, listed

    def call(self, inputs, states, training=None):
        """One step: ``(output, new_states)`` for ``inputs`` (batch, features) and
        ``states`` (a list of (batch, units) tensors, or one tensor).

        The new states come as a list when ``states`` was one (always for the LSTM).
        """
        x = as_tensor(inputs)
        if x.ndim != 2 or x.shape[-1] != self.kernel.shape[0]:
            raise shape_error(self._label, [x], "expected inputs of shape (batch, "
                                                f"{self.kernel.shape[0]}), one time step")
        states, listed = self._checked_states(states, x)
        x = self._dropped(x[:, None], self.training_mode(training))
        _, *final = self._run(x, states)
        return final[0], (final if listed or self._states > 1 else final[0])

    def get_config(self):
        return {**super().get_config(), **self._weights_config()}

    def extra_repr(self):
        return f"units={self.units}"


class SimpleRNNCellKeras(SimpleRNNWeights, _KerasCell):
    """Keras's ``SimpleRNNCell(units, ...)``: one step of ``layers.SimpleRNN``,
    ``h' = activation(x kernel + h recurrent_kernel + bias)``.

    Args:
        units: size of the state and the output.
        activation: default "tanh".
        use_bias: learn ``bias`` (units,).
        kernel_initializer, recurrent_initializer, bias_initializer: names or objects.
        dropout: rate of dropout on the inputs, training only (one mask per
            sequence inside ``layers.RNN``).
        seed: an integer giving the dropout its own generator.
        recurrent_dropout: only 0.0 (anything else is refused).

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> cell = layers.SimpleRNNCell(4)            # ndgrad.layers.SimpleRNNCell
        >>> output, h = cell(ndgrad.ones((2, 3)), ndgrad.zeros((2, 4)))
        >>> output.shape, cell.state_size, cell.count_params()       # 3*4 + 4*4 + 4
        ((2, 4), 4, 32)
    """

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", dropout=0.0, recurrent_dropout=0.0, seed=None,
                 **kwargs):
        super().__init__(units, activation, None, use_bias, kernel_initializer,
                         recurrent_initializer, bias_initializer, dropout, recurrent_dropout,
                         seed, **kwargs)


class LSTMCellKeras(LSTMWeights, _KerasCell):
    """Keras's ``LSTMCell(units, ...)``: one step of ``layers.LSTM``; gates ``i, f, c, o``,
    ``state_size`` [units, units]; ``call`` returns ``(h, [h, c])``.

    Args:
        units, activation, recurrent_activation, use_bias, initializers, dropout,
            seed: as :class:`SimpleRNNCellKeras` (recurrent_activation "sigmoid").
        unit_forget_bias: start the forget gate's bias at 1.
        kernel_initializer, recurrent_initializer, bias_initializer: names or objects
            (default "glorot_uniform", "orthogonal", "zeros").
        recurrent_dropout: only 0.0 (anything else is refused).

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> cell = layers.LSTMCell(2)                  # ndgrad.layers.LSTMCell
        >>> _ = cell(ndgrad.ones((1, 3)), cell.get_initial_state(1))
        >>> cell.count_params(), cell.bias.tolist()   # 4 * (3*2 + 2*2 + 2)
        (48, [0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0])
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
        self.unit_forget_bias = bool(unit_forget_bias)
        super().__init__(units, activation, recurrent_activation, use_bias, kernel_initializer,
                         recurrent_initializer, bias_initializer, dropout, recurrent_dropout,
                         seed, **kwargs)


class GRUCellKeras(GRUWeights, _KerasCell):
    """Keras's ``GRUCell(units, ...)``: one step of ``layers.GRU``; gates ``z, r, h``,
    ``bias`` (2, 3 * units) with ``reset_after=True`` (the default).

    Args:
        units, activation, recurrent_activation, use_bias, initializers, dropout,
            seed: as :class:`LSTMCellKeras`.
        reset_after: apply the reset gate after the recurrent matmul.
        kernel_initializer, recurrent_initializer, bias_initializer: names or objects
            (default "glorot_uniform", "orthogonal", "zeros").
        recurrent_dropout: only 0.0 (anything else is refused).

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> cell = layers.GRUCell(2, reset_after=False)        # ndgrad.layers.GRUCell
        >>> output, [h] = cell(ndgrad.ones((1, 3)), [ndgrad.zeros((1, 2))])
        >>> output.shape, cell.bias.shape, cell.count_params()    # 3 * (3*2 + 2*2 + 2)
        ((1, 2), (6,), 36)
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", dropout=0.0, recurrent_dropout=0.0,
                 reset_after=True, seed=None, **kwargs):
        self.reset_after = bool(reset_after)
        super().__init__(units, activation, recurrent_activation, use_bias, kernel_initializer,
                         recurrent_initializer, bias_initializer, dropout, recurrent_dropout,
                         seed, **kwargs)

    def get_config(self):
        return dict(super().get_config(), reset_after=self.reset_after)


def _output_size(cell):
    size = getattr(cell, "output_size", None)
    if size is not None:
        return int(size)
    state_size = cell.state_size
    return int(state_size[0] if isinstance(state_size, (list, tuple)) else state_size)


class StackedRNNCells(Module):
    """Keras's ``StackedRNNCells(cells)``: several cells as one, each reading the output
    of the one below; its states are the list of each cell's states.

    Inside ``layers.RNN``, a stack of built-in cells runs as one fused scan per
    cell over the whole sequence (the same numbers as stepping the stack).

    Args:
        cells (list of cells): the cells, bottom first; each needs ``call(inputs,
            states)`` and ``state_size`` (``layers.SimpleRNNCell``, ``LSTMCell``,
            ``GRUCell`` or your own). At least one.

    Example:
        >>> from ndgrad.layers import StackedRNNCells
        >>> import ndgrad
        >>> stack = StackedRNNCells([ndgrad.layers.SimpleRNNCell(4),
        ...                          ndgrad.layers.LSTMCell(2)])
        >>> out, states = stack(ndgrad.ones((3, 5)), stack.get_initial_state(3))
        >>> out.shape, stack.state_size, [len(s) for s in states]
        ((3, 2), [4, [2, 2]], [1, 2])
    """

    def __init__(self, cells, **kwargs):
        cells = list(cells)
        if not cells:
            raise ValueError("StackedRNNCells: give at least one cell")
        for cell in cells:
            if not callable(getattr(cell, "call", None)) or not hasattr(cell, "state_size"):
                raise ValueError(f"StackedRNNCells: every cell needs a call(inputs, states) "
                                 f"method and a state_size attribute; got {cell!r}")
        super().__init__(**kwargs)
        self.cells = cells

    @property
    def state_size(self):
        """Each cell's ``state_size``, in order."""
        return [cell.state_size for cell in self.cells]

    @property
    def output_size(self):
        """The last cell's output size."""
        return _output_size(self.cells[-1])

    def build(self, input_shape):
        shape = tuple(input_shape)
        for cell in self.cells:
            build_child(cell, shape)
            shape = shape[:-1] + (_output_size(cell),)

    def get_initial_state(self, batch_size=None):
        """Each cell's initial states (a tensor for a one-state cell without its own
        ``get_initial_state``), in a list."""
        states = []
        for cell in self.cells:
            own = zero_states(cell, batch_size, self.dtype)
            single = not isinstance(cell.state_size, (list, tuple))
            states.append(own[0] if single and not hasattr(cell, "get_initial_state") else own)
        return states

    def call(self, inputs, states, training=None):
        """One step through every cell: ``(last output, [states of each cell])``."""
        if len(states) != len(self.cells):
            raise ValueError(f"StackedRNNCells: expected the states of {len(self.cells)} "
                             f"cells, got {len(states)}")
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            inputs, cell_states = cell(inputs, cell_states, training=training)
            new_states.append(cell_states)
        return inputs, new_states

    def fused_cells(self):
        """The cells when each is a built-in Keras cell (so ``layers.RNN`` can run each
        as one scan), else None."""
        fused = all(isinstance(cell, RecurrentWeights) for cell in self.cells)
        return list(self.cells) if fused else None


KERAS_EXPORTS = keras_exports({"SimpleRNNCell": SimpleRNNCellKeras, "LSTMCell": LSTMCellKeras,
                               "GRUCell": GRUCellKeras, "StackedRNNCells": StackedRNNCells})
