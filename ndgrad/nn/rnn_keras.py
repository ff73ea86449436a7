"""Keras's generic recurrent layer, ``layers.RNN(cell)``: any cell run over a sequence.

A cell is anything with ``call(inputs, states)`` returning ``(output,
new_states)`` and a ``state_size``: the built-in ``SimpleRNNCell``,
``LSTMCell``, ``GRUCell``, a ``StackedRNNCells`` (or a list of cells), or a
user's own Layer. Built-in cells, alone or stacked, do not step in Python:
each runs the fused scan of its layer over the whole sequence (one input
matmul for every step, then the recurrence in NumPy), so ``RNN(LSTMCell(n))``
is as fast as ``LSTM(n)`` and gives the same numbers with the same weights. A
user's cell is called once per time step, as Keras does.

Example:
    >>> from ndgrad.layers import RNN
    >>> import ndgrad
    >>> layer = RNN(ndgrad.layers.LSTMCell(4), return_sequences=True, return_state=True)
    >>> output, h, c = layer(ndgrad.ones((2, 5, 3)))       # ndgrad.layers.RNN
    >>> output.shape, h.shape, c.shape, layer.cell.kernel.shape
    ((2, 5, 4), (2, 4), (2, 4), (3, 16))
"""

from ..errors import shape_error
from ..ops.join import stack
from ..ops.shape import flip
from ..tensor import as_tensor
from .module import Module, keras_exports
from .recurrent_cells_keras import StackedRNNCells, build_child, zero_states
from .recurrent_keras import RecurrentWeights

__all__ = []


def _as_list(states):
    return list(states) if isinstance(states, (list, tuple)) else [states]


class RNN(Module):
    """Keras's ``RNN(cell, return_sequences=False, return_state=False, go_backwards=False,
    stateful=False, unroll=False)``.

    Args:
        cell: a cell (``call(inputs, states) -> (output, new_states)`` and
            ``state_size``), or a list of cells (stacked with
            :class:`StackedRNNCells`).
        return_sequences: return every step's output (batch, time, output_size),
            not only the last.
        return_state: also return the final states (``output, *states``).
        go_backwards: read the sequence from the end; the outputs come in that
            (reversed) order, as in Keras.
        stateful: not supported (pass the last states as ``initial_state``).
        unroll: accepted; it changes nothing here (no graph to unroll).
        zero_output_for_mask: accepted for configs; ndgrad layers take no masks.

    Example:
        >>> from ndgrad.layers import RNN
        >>> import ndgrad
        >>> layer = RNN([ndgrad.layers.GRUCell(4), ndgrad.layers.GRUCell(2)])
        >>> layer(ndgrad.ones((3, 6, 5))).shape, layer.count_params()   # 132 + 48
        ((3, 2), 180)
    """

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, zero_output_for_mask=False, **kwargs):
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        if not callable(getattr(cell, "call", None)) or getattr(cell, "state_size", None) is None:
            raise ValueError("RNN: the cell needs a call(inputs, states) method and a "
                             f"state_size attribute (an int or a list of ints); got {cell!r}")
        if stateful:
            raise NotImplementedError("RNN: stateful=True is not supported; keep the states "
                                      "that return_state=True gives and pass them as "
                                      "initial_state to the next call")
        super().__init__(**kwargs)
        self.training = False
        self.cell = cell
        self.return_sequences, self.return_state = bool(return_sequences), bool(return_state)
        self.go_backwards, self.stateful = bool(go_backwards), False
        self.unroll, self.zero_output_for_mask = bool(unroll), bool(zero_output_for_mask)
        self.build_from_input_shape()

    @property
    def state_size(self):
        """The cell's ``state_size`` as a list (one entry per state)."""
        return _as_list(self.cell.state_size)

    def build(self, input_shape):
        if len(input_shape) != 3:
            raise ValueError(f"RNN: expected inputs of shape (batch, time, features), got "
                             f"{tuple(input_shape)}")
        build_child(self.cell, (input_shape[0], input_shape[2]))

    def get_initial_state(self, batch_size):
        """The cell's initial states for ``batch_size`` sequences (zeros), in a list.

        Example:
            >>> from ndgrad.layers import RNN
            >>> import ndgrad
            >>> [s.shape for s in RNN(ndgrad.layers.LSTMCell(2)).get_initial_state(3)]
            [(3, 2), (3, 2)]
        """
        return zero_states(self.cell, batch_size, self.dtype)

    def call(self, sequences, initial_state=None, mask=None, training=None):
        """Run the cell over ``sequences`` (batch, time, features).

        Args:
            sequences: the inputs, batch first.
            initial_state: the cell's states (a list; for stacked cells, a list
                per cell); zeros when None.
            mask: not supported (must be None).
            training: passed to the cell (its dropout).

        Returns:
            The last output, or every output with ``return_sequences``; followed
            by the final states with ``return_state``.
        """
        if mask is not None:
            raise NotImplementedError("RNN: masks are not supported; pad with values the "
                                      "model can learn to ignore, or slice the sequences")
        x = as_tensor(sequences)
        if x.ndim != 3:
            raise shape_error("RNN", [x], "expected inputs of shape (batch, time, features)")
        if x.shape[1] == 0:
            raise shape_error("RNN", [x], "the sequence is empty (0 time steps)")
        training = self.training_mode(training)
        states = (self.get_initial_state(x.shape[0]) if initial_state is None
                  else _as_list(initial_state))
        if self.go_backwards:
            x = flip(x, axis=1)
        fused = self._fused_cells()
        if fused is None:
            outputs, last, states = self._step_by_step(x, states, training)
        else:
            outputs, last, states = self._scan(fused, x, states, training)
        output = outputs if self.return_sequences else last
        return (output, *states) if self.return_state else output

    def _fused_cells(self):
        if isinstance(self.cell, RecurrentWeights):
            return [self.cell]
        if isinstance(self.cell, StackedRNNCells):
            return self.cell.fused_cells()
        return None

    def _scan(self, cells, x, states, training):
        """Each built-in cell's fused scan over the whole sequence, bottom to top."""
        if len(cells) == 1 and self.cell is cells[0]:
            states = [states]
        elif len(states) != len(cells):
            raise ValueError(f"RNN: initial_state must hold the states of each of the "
                             f"{len(cells)} stacked cells, got {len(states)} entries")
        finals = []
        for cell, given in zip(cells, states):
            checked, listed = cell._checked_states(given, x[:, 0])
            outputs, *final = cell._run(cell._dropped(x, training), checked)
            x = outputs.swapaxes(0, 1)
            finals.append(final if listed or cell._states > 1 else final[0])
        if len(cells) == 1 and self.cell is cells[0]:
            finals = finals[0]
        return x, x[:, -1], _as_list(finals)

    def _step_by_step(self, x, states, training):
        """A user's cell, called once per time step."""
        steps = []
        for t in range(x.shape[1]):
            output, states = self.cell(x[:, t], states, training=training)
            states = _as_list(states)
            steps.append(output)
        return stack(steps, axis=1), steps[-1], states

    def extra_repr(self):
        return (f"cell={type(self.cell).__name__}, return_sequences={self.return_sequences}, "
                f"return_state={self.return_state}")


KERAS_EXPORTS = keras_exports({"RNN": RNN})
