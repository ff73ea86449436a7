"""Reshaping layers: ``nn.Identity``, ``nn.Flatten``, ``nn.Unflatten`` (PyTorch) and
``layers.Flatten``, ``layers.Reshape`` (Keras).

All are views through ``ndgrad.reshape`` (no copy for contiguous inputs; the
gradient is reshaped back). Keras's Flatten with ``data_format=
"channels_first"`` first moves the channels last, as Keras does, so weights
trained on either layout line up after it.

Example:
    >>> import ndgrad
    >>> ndgrad.nn.Flatten()(ndgrad.ones((2, 3, 4))).shape
    (2, 12)
"""

import math

from ..errors import shape_error
from ..ops.shape import reshape, transpose
from ..tensor import Tensor
from .module import Module, keras_exports

__all__ = ["Identity", "Flatten", "Unflatten"]


def _as_tensor(x):
    return x if isinstance(x, Tensor) else Tensor(x)


def _axis(layer, x, axis, label):
    if not -x.ndim <= axis < x.ndim:
        raise shape_error(layer, [x], f"{label}={axis} is out of range for an input with "
                          f"{x.ndim} dimension(s)")
    return axis % x.ndim


class Identity(Module):
    """Returns its input unchanged, as ``torch.nn.Identity`` (arguments are ignored).

    Example:
        >>> from ndgrad.nn import Identity
        >>> import ndgrad
        >>> Identity(54, unused="argument")(ndgrad.tensor([1.0])).tolist()
        [1.0]
    """

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, x):
        return x


class Flatten(Module):
    """Collapse dimensions ``start_dim`` to ``end_dim`` into one, as ``torch.nn.Flatten``.

    Args:
        start_dim: the first dimension to flatten (1: keep the batch).
        end_dim: the last dimension to flatten (-1).

    Example:
        >>> from ndgrad.nn import Flatten
        >>> import ndgrad
        >>> Flatten(0, 1)(ndgrad.ones((2, 3, 4))).shape
        (6, 4)
    """

    def __init__(self, start_dim=1, end_dim=-1, name=None):
        super().__init__(name=name)
        self.start_dim, self.end_dim = int(start_dim), int(end_dim)

    def forward(self, x):
        x = _as_tensor(x)
        start = _axis("Flatten", x, self.start_dim, "start_dim")
        end = _axis("Flatten", x, self.end_dim, "end_dim")
        if start > end:
            raise shape_error("Flatten", [x], f"start_dim ({self.start_dim}) comes after end_dim "
                              f"({self.end_dim})")
        shape = x.shape[:start] + (math.prod(x.shape[start:end + 1]),) + x.shape[end + 1:]
        return reshape(x, shape)

    def extra_repr(self):
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Expand dimension ``dim`` into ``unflattened_size``, as ``torch.nn.Unflatten``.

    Args:
        dim (int): the dimension to expand (negative counts from the end).
        unflattened_size (tuple of ints): the sizes it becomes; their product must be
            its size (one entry may be -1, inferred).

    Example:
        >>> from ndgrad.nn import Unflatten
        >>> import ndgrad
        >>> Unflatten(1, (2, 3))(ndgrad.ones((4, 6))).shape
        (4, 2, 3)
    """

    def __init__(self, dim, unflattened_size, name=None):
        super().__init__(name=name)
        self.dim, self.unflattened_size = int(dim), tuple(int(n) for n in unflattened_size)

    def forward(self, x):
        x = _as_tensor(x)
        dim = _axis("Unflatten", x, self.dim, "dim")
        sizes = self.unflattened_size
        known = math.prod(n for n in sizes if n != -1)
        if (-1 not in sizes and known != x.shape[dim]) or (
                -1 in sizes and (known == 0 or x.shape[dim] % known)):
            raise shape_error("Unflatten", [x], f"dimension {self.dim} of size {x.shape[dim]} "
                              f"cannot be unflattened into {sizes}")
        sizes = tuple(x.shape[dim] // known if n == -1 else n for n in sizes)
        return reshape(x, x.shape[:dim] + sizes + x.shape[dim + 1:])

    def extra_repr(self):
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"


# ---------------------------------------------------------------- Keras face
class FlattenKeras(Module):
    """Keras's ``Flatten(data_format=None)``: (N, ...) becomes (N, features).

    Args:
        data_format: "channels_last" (default) or "channels_first"; with
            channels first, the input is moved to channels last before
            flattening (Keras's rule), so the feature order is the same.

    Example:
        >>> from ndgrad import layers
        >>> import ndgrad
        >>> layers.Flatten()(ndgrad.ones((2, 3, 4))).shape         # ndgrad.layers.Flatten
        (2, 12)
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.training = False
        data_format = data_format or "channels_last"
        if data_format not in ("channels_last", "channels_first"):
            raise ValueError(f"Flatten: data_format must be 'channels_last' or "
                             f"'channels_first', got {data_format!r}")
        self.data_format = data_format

    def call(self, inputs, training=None):
        inputs = _as_tensor(inputs)
        if inputs.ndim == 0:
            raise shape_error("Flatten", [inputs], "expected an input with a batch dimension")
        if self.data_format == "channels_first" and inputs.ndim > 2:
            inputs = transpose(inputs, (0,) + tuple(range(2, inputs.ndim)) + (1,))
        return reshape(inputs, (inputs.shape[0], math.prod(inputs.shape[1:])))

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


class Reshape(Module):
    """Keras's ``Reshape(target_shape)``: each sample is reshaped to
    ``target_shape`` (the batch dimension is kept; one entry may be -1).

    Args:
        target_shape (tuple of ints): the shape of one sample, without the batch axis;
            positive sizes and at most one -1 (inferred).

    Example:
        >>> from ndgrad.layers import Reshape
        >>> import ndgrad
        >>> Reshape((3, -1))(ndgrad.ones((2, 12))).shape
        (2, 3, 4)
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.training = False
        self.target_shape = tuple(int(n) for n in target_shape)
        if sum(n == -1 for n in self.target_shape) > 1 or any(
                n < -1 or n == 0 for n in self.target_shape):
            raise ValueError(f"Reshape: target_shape {self.target_shape} may hold at most one "
                             "-1 and otherwise positive sizes")

    def call(self, inputs, training=None):
        inputs = _as_tensor(inputs)
        if inputs.ndim == 0:
            raise shape_error("Reshape", [inputs], "expected an input with a batch dimension")
        per_sample = math.prod(inputs.shape[1:])
        known = math.prod(n for n in self.target_shape if n != -1)
        fits = (per_sample % known == 0) if -1 in self.target_shape else per_sample == known
        if not fits:
            raise shape_error("Reshape", [inputs], f"cannot reshape samples of shape "
                              f"{inputs.shape[1:]} ({per_sample} values) into target_shape "
                              f"{self.target_shape}")
        target = tuple(per_sample // known if n == -1 else n for n in self.target_shape)
        return reshape(inputs, (inputs.shape[0],) + target)

    def get_config(self):
        return {**super().get_config(), "target_shape": self.target_shape}


KERAS_EXPORTS = keras_exports({"Flatten": FlattenKeras, "Reshape": Reshape})
