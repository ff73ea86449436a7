"""Keras's small shape layers: ``RepeatVector``, ``Permute``, ``Identity``, and
``Masking`` (refused: ndgrad layers take no Keras masks).

They are views and broadcasts over the core shape ops, so gradients flow as
through ``transpose`` and ``broadcast_to`` (a repeated vector's gradient is the
sum over its copies).

Example:
    >>> from ndgrad.layers import Permute
    >>> from ndgrad.layers import RepeatVector
    >>> import ndgrad
    >>> RepeatVector(3)(ndgrad.ones((2, 4))).shape      # ndgrad.layers.RepeatVector
    (2, 3, 4)
    >>> Permute((2, 1))(ndgrad.ones((2, 5, 4))).shape   # ndgrad.layers.Permute
    (2, 4, 5)
"""

from ..errors import shape_error
from ..ops.shape import broadcast_to, expand_dims, transpose
from ..tensor import as_tensor
from .module import Module, keras_exports

__all__ = []


class RepeatVector(Module):
    """Keras's ``RepeatVector(n)``: (batch, features) -> (batch, n, features), the
    input repeated ``n`` times (a broadcast, no copy until used).

    Args:
        n (int): how many times the input is repeated; positive.

    Example:
        >>> from ndgrad.layers import RepeatVector
        >>> import ndgrad
        >>> RepeatVector(2)(ndgrad.tensor([[1.0, 2.0]])).tolist()
        [[[1.0, 2.0], [1.0, 2.0]]]
    """

    def __init__(self, n, **kwargs):
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"RepeatVector: n must be an integer, got {type(n).__name__}")
        if n <= 0:
            raise ValueError(f"RepeatVector: n must be a positive integer, got {n}")
        super().__init__(**kwargs)
        self.training = False
        self.n = n

    def call(self, inputs, training=None):
        x = as_tensor(inputs)
        if x.ndim != 2:
            raise shape_error("RepeatVector", [x], "expected a 2-D input (batch, features)")
        return broadcast_to(expand_dims(x, 1), (x.shape[0], self.n, x.shape[1]))

    def extra_repr(self):
        return f"n={self.n}"


class Permute(Module):
    """Keras's ``Permute(dims)``: reorders the axes after the batch; ``dims`` is a
    permutation of 1..rank-1 (``(2, 1)`` swaps the two axes of (batch, a, b)).

    Args:
        dims (tuple of ints): the new order of the axes after the batch, counted from 1;
            a permutation of ``1 .. rank - 1``.

    Example:
        >>> from ndgrad.layers import Permute
        >>> import ndgrad
        >>> Permute((3, 1, 2))(ndgrad.ones((2, 3, 4, 5))).shape
        (2, 5, 3, 4)
    """

    def __init__(self, dims, **kwargs):
        dims = tuple(int(d) for d in dims)
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(f"Permute: dims must be a permutation of 1..{len(dims)} (the "
                             f"axes after the batch, counted from 1), got {dims}")
        super().__init__(**kwargs)
        self.training = False
        self.dims = dims

    def call(self, inputs, training=None):
        x = as_tensor(inputs)
        if x.ndim != len(self.dims) + 1:
            raise shape_error("Permute", [x], f"dims={self.dims} needs a "
                              f"{len(self.dims) + 1}-D input (batch first)")
        return transpose(x, (0,) + self.dims)

    def extra_repr(self):
        return f"dims={self.dims}"


class IdentityKeras(Module):
    """Keras's ``Identity()``: returns its input (any structure) unchanged.

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.Identity(name="skip")(ndgrad.tensor([1.0, 2.0])).tolist()   # layers.Identity
        [1.0, 2.0]
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.training = False

    def call(self, inputs, training=None):
        return inputs


class Masking(Module):
    """Keras's ``Masking(mask_value=0.0)``, refused: ndgrad layers take no Keras masks,
    so the recurrent layers after it would read the padded steps as data.

    Instead: pad the sequences with values the model can learn to ignore and
    weight the loss (``sample_weight``), or group sequences of equal length in a
    batch, or slice the outputs at each sequence's real length.

    Args:
        mask_value (float, default 0.0): Keras's value marking padded steps; the layer
            is refused whatever it is (see above).

    Example:
        >>> from ndgrad.layers import Masking
        >>> try:
        ...     Masking(mask_value=0.0)
        ... except NotImplementedError as error:
        ...     print(str(error)[:46])
        Masking: Keras masks are not supported by ndgr
    """

    def __init__(self, mask_value=0.0, **kwargs):
        raise NotImplementedError(
            "Masking: Keras masks are not supported by ndgrad (no layer reads or "
            "propagates them, so the padded steps would silently count as data). Pad the "
            "sequences and weight the loss with sample_weight, batch sequences of equal "
            "length together, or slice each output at its real length instead")


KERAS_EXPORTS = keras_exports({"RepeatVector": RepeatVector, "Permute": Permute,
                               "Identity": IdentityKeras, "Masking": Masking})
