"""Layers around a plain function: ``Lambda`` (Keras) and ``SymbolicOp``, the node an
operator or a ``keras.ops`` function records in a functional graph.

Example:
    >>> import ndgrad
    >>> double = ndgrad.layers.Lambda(lambda x: x * 2)
    >>> double(ndgrad.ones((1, 2))).tolist()
    [[2.0, 2.0]]
    >>> x = ndgrad.Input((3,))
    >>> (x + 1).node.operation
    SymbolicOp(add)
"""

import inspect

from .module import Module, keras_exports, unique_name

__all__ = ["Lambda", "SymbolicOp"]


def _function_name(function):
    name = getattr(function, "__name__", None) or type(function).__name__
    return "lambda" if name == "<lambda>" else name


class SymbolicOp(Module):
    """A function applied in a functional graph: ``x + y`` records ``SymbolicOp(add)``.

    Not a layer a user creates: :func:`ndgrad.nn.symbolic.symbolic_or_eager`
    makes one per recorded call. It has no weights; it is listed among a
    functional model's operations, not its ``layers``, as in Keras 3.

    Args:
        function: the function (an ``ndgrad.ops`` / ``keras.ops`` / NumPy
            function, or any callable on tensors), or its saved reference.

    Example:
        >>> from ndgrad.models.functional_graph import SymbolicOp
        >>> import ndgrad
        >>> op = SymbolicOp(ndgrad.ops.add)
        >>> op(ndgrad.ones(2), 1.0).tolist(), op.get_config()["function"]["config"]
        ([2.0, 2.0], 'add')
    """

    def __init__(self, function, name=None, **kwargs):
        from .serialization import deserialize_function
        function = deserialize_function(function, "SymbolicOp")
        super().__init__(name=name or unique_name(_function_name(function)), **kwargs)
        self.function = function

    def forward(self, *args, **kwargs):
        return self.function(*args, **kwargs)

    def get_config(self):
        """``{"name", "function"}``: the function as a reference (never code)."""
        from .serialization import serialize_function
        return {"name": self.name, "function": serialize_function(self.function, self.name)}

    def extra_repr(self):
        return _function_name(self.function)


class Lambda(Module):
    """A layer that applies ``function(inputs, **arguments)`` (Keras's ``Lambda``).

    Args:
        function: a callable on a tensor (or on the list of tensors the layer
            is called with). To save a model holding it, define the function
            with ``def`` and register it with
            ``keras.saving.register_keras_serializable()`` (or pass it in
            ``custom_objects`` when loading): ndgrad never saves code.
        output_shape: accepted for Keras compatibility; ndgrad finds the
            output shape by running the function (see ``symbolic_shapes``).
        mask: not supported (must be None).
        arguments: extra keyword arguments for ``function``.

    Example:
        >>> from ndgrad.layers import Lambda
        >>> import ndgrad
        >>> x = ndgrad.Input((4,))
        >>> y = Lambda(lambda t, power: t ** power, arguments={"power": 2})(x)
        >>> y.shape
        (None, 4)
        >>> Lambda(ndgrad.ops.abs)(ndgrad.tensor([-1.0, 2.0])).tolist()
        [1.0, 2.0]
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        from .serialization import deserialize_function
        function = deserialize_function(function, "Lambda")
        if not callable(function):
            raise TypeError(f"Lambda: function must be callable; got {type(function).__name__}")
        if mask is not None:
            raise NotImplementedError("Lambda: mask= is not supported (ndgrad has no masking); "
                                      "apply the mask inside the function instead")
        if arguments is not None and not isinstance(arguments, dict):
            raise TypeError(f"Lambda: arguments must be a dict of keyword arguments; got "
                            f"{type(arguments).__name__}")
        super().__init__(**kwargs)
        self.function = function
        self.output_shape_hint = output_shape
        self.arguments = dict(arguments or {})
        try:
            parameters = inspect.signature(function).parameters
            self._passes_training = "training" in parameters
        except (TypeError, ValueError):
            self._passes_training = False

    def call(self, inputs, training=None):
        arguments = dict(self.arguments)
        if self._passes_training:
            arguments["training"] = training
        return self.function(inputs, **arguments)

    def get_config(self):
        """Name, trainable, dtype, the function as a reference, output_shape, arguments."""
        from .serialization import serialize_function, serialize_value
        config = {"name": self.name, "trainable": self.trainable, "dtype": str(self.dtype),
                  "function": serialize_function(self.function, f"Lambda '{self.name}'")}
        config["output_shape"] = serialize_value(self.output_shape_hint, "output_shape")
        config["arguments"] = serialize_value(self.arguments, f"Lambda '{self.name}' arguments")
        return config

    def extra_repr(self):
        return _function_name(self.function)


KERAS_EXPORTS = keras_exports({"Lambda": Lambda})
