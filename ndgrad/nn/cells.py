"""Single-step recurrent cells, PyTorch face: ``RNNCell``, ``LSTMCell``, ``GRUCell``.

A cell advances one time step; it is the same fused scan as the sequence
layers, run for one step, so a loop of cells and one ``nn.LSTM`` give the same
numbers. Parameters are PyTorch's: ``weight_ih`` (gates * hidden, input),
``weight_hh`` (gates * hidden, hidden), ``bias_ih``, ``bias_hh``.

Example:
    >>> import ndgrad
    >>> cell = ndgrad.nn.LSTMCell(3, 2)
    >>> h, c = cell(ndgrad.ones((4, 3)))
    >>> h.shape, c.shape
    ((4, 2), (4, 2))
"""

import math

import numpy as np

from ..devices import check_device
from .. import random
from ..errors import shape_error
from ..ops.recurrent import gru_scan, lstm_scan, rnn_scan
from ..tensor import Tensor, as_tensor
from ._sizes import refuse_missing, size
from .module import Module
from .parameter import Parameter

__all__ = ["RNNCell", "LSTMCell", "GRUCell"]


def check_input_size(layer, x, input_size):
    """Refuse an input whose last dimension is not the layer's input size.

    Example:
        >>> from ndgrad.nn.cells import check_input_size
        >>> import ndgrad
        >>> check_input_size("LSTM", ndgrad.ones((2, 3)), 3)
    """
    if x.shape[-1] != input_size:
        raise shape_error(layer, [x], f"the input's last dimension is {x.shape[-1]}, but the "
                                      f"layer was made for input_size={input_size}")


def dropout_mask(shape, rate, dtype, generator=None):
    """A constant mask of 0 and ``1 / (1 - rate)``, the inverted-dropout scaling, drawn
    from ``generator`` (default: ``ndgrad.random.generator()``).

    Example:
        >>> from ndgrad.nn.attention import dropout_mask
        >>> dropout_mask((3,), 0.0, "float32").tolist()
        [1.0, 1.0, 1.0]
    """
    if rate >= 1.0:
        return Tensor._wrap(np.zeros(shape, dtype))
    keep = (generator or random.generator()).random(shape) >= rate
    return Tensor._wrap((keep / (1.0 - rate)).astype(dtype))


class _CellBase(Module):
    """Parameters and input handling shared by the three cells."""

    _gates = 1
    _label = "RNNCell"

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None, name=None):
        check_device(device, self._label)
        input_size = size(self._label, "input_size", input_size, minimum=1)
        hidden_size = size(self._label, "hidden_size", hidden_size, minimum=1)
        super().__init__(name=name, dtype=dtype)
        self.input_size, self.hidden_size, self.bias = int(input_size), int(hidden_size), bias
        rows = self._gates * self.hidden_size
        bound = 1.0 / math.sqrt(self.hidden_size)
        self.weight_ih = Parameter(random.uniform((rows, self.input_size), -bound, bound,
                                                  self.dtype))
        self.weight_hh = Parameter(random.uniform((rows, self.hidden_size), -bound, bound,
                                                  self.dtype))
        self.bias_ih = (Parameter(random.uniform((rows,), -bound, bound, self.dtype))
                        if bias else None)
        self.bias_hh = (Parameter(random.uniform((rows,), -bound, bound, self.dtype))
                        if bias else None)

    def _prepare(self, input, states):
        """(x as (1, N, F) one-step sequence, states as (N, H), batched?)."""
        x = as_tensor(refuse_missing(self, input))
        if x.ndim not in (1, 2):
            raise shape_error(self._label, [x], "expected a 2-D input (batch, input_size) or a "
                                                "1-D unbatched (input_size,)")
        check_input_size(self._label, x, self.input_size)
        batched = x.ndim == 2
        if not batched:
            x = x[None]
        expected = (x.shape[0], self.hidden_size) if batched else (self.hidden_size,)
        prepared = []
        for state in states:
            if state is None:
                prepared.append(Tensor._wrap(np.zeros((x.shape[0], self.hidden_size),
                                                      self.dtype)))
                continue
            state = as_tensor(state)
            if state.shape != expected:
                raise shape_error(self._label, [x, state],
                                  f"the state must have shape {expected} (batch, hidden_size)")
            prepared.append(state if batched else state[None])
        return x[None], prepared, batched

    def _gates_x(self, x, bias):
        gates = x @ self.weight_ih.T
        return gates if bias is None else gates + bias

    def extra_repr(self):
        return f"{self.input_size}, {self.hidden_size}, bias={self.bias_ih is not None}"


class RNNCell(_CellBase):
    """One Elman step, ``h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)`` (or relu).

    Args:
        input_size, hidden_size: feature sizes.
        bias: learn ``bias_ih`` and ``bias_hh``.
        nonlinearity: "tanh" or "relu".

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.RNNCell(3, 2)(ndgrad.ones((4, 3))).shape
        (4, 2)
    """

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None,
                 dtype=None, name=None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNNCell: nonlinearity must be 'tanh' or 'relu', got "
                             f"{nonlinearity!r}")
        super().__init__(input_size, hidden_size, bias, device=device, dtype=dtype, name=name)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        """The next hidden state, (N, hidden_size) (or (hidden_size,) unbatched)."""
        x, (h,), batched = self._prepare(input, [hx])
        bias = None if self.bias_ih is None else self.bias_ih + self.bias_hh
        _, h = rnn_scan(self._gates_x(x, bias), h, self.weight_hh,
                        activation=self.nonlinearity)
        return h if batched else h[0]


class LSTMCell(_CellBase):
    """One LSTM step: gates ``i, f, g, o``; returns ``(h', c')``.

    Args:
        input_size, hidden_size: feature sizes.
        bias: learn ``bias_ih`` and ``bias_hh``.

    Example:
        >>> import ndgrad
        >>> cell = ndgrad.nn.LSTMCell(3, 2)
        >>> cell.weight_ih.shape, cell(ndgrad.ones(3))[0].shape
        ((8, 3), (2,))
    """

    _gates = 4
    _label = "LSTMCell"

    def forward(self, input, hx=None):
        """``(h', c')``; ``hx`` is a tuple ``(h, c)`` or None for zeros."""
        if hx is not None and not (isinstance(hx, (tuple, list)) and len(hx) == 2):
            raise TypeError(f"LSTMCell: hx must be a tuple (h, c) or None, got "
                            f"{type(hx).__name__}")
        x, (h, c), batched = self._prepare(input, [None, None] if hx is None else list(hx))
        bias = None if self.bias_ih is None else self.bias_ih + self.bias_hh
        _, h, c = lstm_scan(self._gates_x(x, bias), h, c, self.weight_hh)
        return (h, c) if batched else (h[0], c[0])


class GRUCell(_CellBase):
    """One GRU step, PyTorch's formula: ``n = tanh(W_in x + b_in + r * (W_hn h + b_hn))``,
    ``h' = (1 - z) n + z h``.

    Args:
        input_size, hidden_size: feature sizes.
        bias: learn ``bias_ih`` and ``bias_hh``.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.GRUCell(3, 2)(ndgrad.ones((4, 3))).shape
        (4, 2)
    """

    _gates = 3
    _label = "GRUCell"

    def forward(self, input, hx=None):
        """The next hidden state, (N, hidden_size) (or (hidden_size,) unbatched)."""
        x, (h,), batched = self._prepare(input, [hx])
        bias_hh = self.bias_hh
        if bias_hh is None:
            bias_hh = Tensor._wrap(np.zeros(self.weight_hh.shape[0], self.weight_hh.dtype))
        _, h = gru_scan(self._gates_x(x, self.bias_ih), h, self.weight_hh, bias_hh)
        return h if batched else h[0]
