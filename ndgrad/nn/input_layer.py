"""``Input`` and ``InputLayer``: where a functional model's graph starts (Keras).

``Input(shape=(784,))`` makes an :class:`InputLayer` and returns its symbolic
output, a tensor of shape ``(None, 784)``: the batch size is left open
unless ``batch_size`` or ``batch_shape`` fixes it. ``dtype`` (default
float32) is the dtype the model casts that input to when it runs.

Example:
    >>> import ndgrad
    >>> tokens = ndgrad.Input(shape=(None,), dtype="int32", name="tokens")
    >>> tokens.shape, str(tokens.dtype), tokens.name
    ((None, None), 'int32', 'tokens')
    >>> tokens.node.operation
    InputLayer(batch_shape=(None, None), dtype=int32)
"""

from ..dtypes import as_dtype, float32
from .module import Module, unique_name
from .symbolic import Node, SymbolicTensor

__all__ = ["Input", "InputLayer"]


def _batch_shape(shape, batch_size, batch_shape):
    if shape is not None and batch_shape is not None:
        raise ValueError("Input: pass shape= (without the batch) or batch_shape= (with it), "
                         "not both")
    if batch_shape is not None:
        if isinstance(batch_shape, int):
            raise TypeError("Input: batch_shape must be a tuple such as (32, 10)")
        if batch_size is not None:
            raise ValueError("Input: batch_size= is part of batch_shape=; pass one of them")
        return tuple(batch_shape)
    if shape is None:
        raise ValueError("Input: pass shape=, the shape of one sample without the batch "
                         "(e.g. shape=(784,) or shape=(None,) for sequences of any length)")
    if isinstance(shape, int):
        shape = (shape,)
    return (batch_size,) + tuple(shape)


class InputLayer(Module):
    """The layer behind ``Input``: it has one node, with no arguments, whose output
    is the input tensor; called on a tensor, it returns it unchanged.

    Args:
        shape: the shape of one sample (no batch dimension); None for a
            dimension of any size.
        batch_size: a fixed batch size (default: any).
        dtype: the input's dtype (default float32).
        sparse: not supported (ndgrad has no sparse tensors).
        batch_shape: the full shape, batch included (instead of ``shape``).
        name: the layer's name, also the input tensor's name (``fit`` matches
            dict inputs by it).
        input_tensor, optional: not supported (refused with the reason).

    Example:
        >>> from ndgrad.layers import InputLayer
        >>> import ndgrad
        >>> layer = InputLayer(shape=(3,), name="features")
        >>> layer.output.shape, layer.get_config()["batch_shape"]
        ((None, 3), (None, 3))
    """

    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None,
                 input_tensor=None, optional=False, name=None, **kwargs):
        if sparse:
            raise NotImplementedError("Input: sparse=True is not supported (ndgrad has no sparse "
                                      "tensors); feed dense arrays")
        if input_tensor is not None:
            raise NotImplementedError("Input: tensor=/input_tensor= is not supported; build the "
                                      "model from a new Input and call it on the tensor")
        if optional:
            raise NotImplementedError("Input: optional=True is not supported")
        batch_shape = _batch_shape(shape, batch_size, batch_shape)
        dtype = as_dtype(dtype) or float32
        super().__init__(name=name or unique_name("input_layer"), dtype=dtype, **kwargs)
        self.batch_shape = tuple(batch_shape)
        node = Node(self)
        node.outputs = SymbolicTensor(self.batch_shape, dtype, name=self.name, node=node)
        self._inbound_nodes = [node]
        self.built = True
        self._output_shape = self.batch_shape

    def forward(self, inputs):
        return inputs

    def get_config(self):
        """``batch_shape``, ``dtype``, ``sparse`` and ``name``, as Keras saves them."""
        return {"batch_shape": self.batch_shape, "dtype": str(self.dtype), "sparse": False,
                "name": self.name}

    def extra_repr(self):
        return f"batch_shape={self.batch_shape}, dtype={self.dtype}"


def Input(shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None, name=None,
          tensor=None, optional=False):
    """A symbolic input tensor to build a functional model from (Keras's ``keras.Input``).

    Args:
        shape: the shape of one sample, without the batch dimension; None for
            a dimension of any size (``shape=(None,)``: sequences of any length).
        batch_size: a fixed batch size (default: any).
        dtype: the dtype the input is cast to when the model runs (default float32).
        sparse: not supported.
        batch_shape: the full shape, batch included (instead of ``shape``).
        name: the input's name (dict inputs to ``fit`` and ``predict`` use it).
        tensor, optional: not supported.

    Example:
        >>> import ndgrad
        >>> image = ndgrad.Input(shape=(32, 32, 3), name="image")
        >>> image.shape, image.name
        ((None, 32, 32, 3), 'image')
        >>> ndgrad.Input(batch_shape=(16, 10, 5)).shape
        (16, 10, 5)
    """
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
                       batch_shape=batch_shape, input_tensor=tensor, optional=optional,
                       name=name)
    return layer.output


KERAS_EXPORTS = {"InputLayer": InputLayer}
KERAS_FUNCTIONS = {"Input": Input}
