"""What every Module gets for Keras's functional API and saving: ``get_config`` /
``from_config`` built from the constructor's arguments, ``build_from_config``,
and ``input`` / ``output`` after a call on symbolic tensors.

``Module.__new__`` (from :class:`LayerConfigMixin`) records the arguments each
module was constructed with, as Keras 3 does. ``get_config()`` returns
``name``, ``trainable`` and ``dtype`` (their current values) and every
constructor argument, defaults included, bound to the ``__init__``
signature, so that ``type(layer).from_config(layer.get_config())`` builds the
same layer: no layer needs a hand-written ``get_config``. A class that keeps
arguments without a JSON form (an array, an arbitrary object) overrides
``get_config`` (and, if needed, ``from_config``) as in Keras; an override that
calls ``super().get_config()`` gets the arguments that do have one.

Example:
    >>> import ndgrad
    >>> layer = ndgrad.layers.Conv2D(8, (3, 3), activation="relu", name="conv")
    >>> config = layer.get_config()
    >>> config["filters"], config["kernel_size"], config["name"]
    (8, (3, 3), 'conv')
    >>> clone = ndgrad.layers.Conv2D.from_config(config)
    >>> type(clone).__name__, clone.name, clone.get_config() == config
    ('Conv2D', 'conv', True)
"""

import inspect

__all__ = ["LayerConfigMixin", "constructor_config", "construct_from_config", "config_value"]

_BASE_KEYS = ("name", "trainable", "dtype")


class ConstructorCall:
    """The positional and keyword arguments a module was constructed with (opaque to
    the search for sub-modules and parameters, unlike a tuple or a dict)."""

    __slots__ = ("args", "kwargs")

    def __init__(self, args, kwargs):
        self.args = args
        self.kwargs = kwargs


_signatures = {}


def _signature(cls):
    signature = _signatures.get(cls)
    if signature is None:
        signature = _signatures[cls] = inspect.signature(cls.__init__)
    return signature


def constructor_config(module, strict=True):
    """The constructor arguments of ``module`` (defaults included), by parameter name.

    Args:
        module: a Module.
        strict: raise NotImplementedError for an argument with no JSON form
            (else leave it out).

    Example:
        >>> from ndgrad.nn.layer_config import constructor_config
        >>> import ndgrad
        >>> sorted(constructor_config(ndgrad.layers.Dropout(0.5)))
        ['noise_shape', 'rate', 'seed']
    """
    from .serialization import serialize_value
    call = module.__dict__.get("_constructor_call")
    if call is None:
        return {}
    signature = _signature(type(module))
    try:
        bound = signature.bind(module, *call.args, **call.kwargs)
    except TypeError:
        return {}
    bound.apply_defaults()
    config = {}
    parameters = list(signature.parameters.values())
    for name, value in bound.arguments.items():
        parameter = signature.parameters[name]
        if parameter is parameters[0]:
            continue
        items = value.items() if parameter.kind is parameter.VAR_KEYWORD else [(name, value)]
        for key, item in items:
            if key in _BASE_KEYS:
                continue
            where = f"{type(module).__name__} argument '{key}'"
            try:
                serialize_value(item, where)
            except (TypeError, ValueError) as error:
                if strict:
                    raise NotImplementedError(
                        f"{type(module).__name__}.get_config: {error}. Override get_config() "
                        "(and from_config()) in this class to save it.") from None
                continue
            config[key] = config_value(item, where)
    return config


def config_value(value, where="config"):
    """``value`` as Keras's ``get_config`` shows it: layers, initializers and other
    objects in their saved form, functions by name, tuples, lists and plain values as
    they are.

    Example:
        >>> from ndgrad.nn.layer_config import config_value
        >>> import ndgrad
        >>> config_value((3, ndgrad.ops.relu))
        (3, 'relu')
        >>> config_value(ndgrad.nn.initializers.Zeros())["class_name"]
        'Zeros'
    """
    from .serialization import serialize_value
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(config_value(item, where) for item in value)
    if isinstance(value, list):
        return [config_value(item, where) for item in value]
    if isinstance(value, dict):
        return {key: config_value(item, where) for key, item in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)) or value is Ellipsis \
            or isinstance(value, slice) or hasattr(value, "__array__"):
        return value
    return serialize_value(value, where)


def construct_from_config(cls, config):
    """``cls(**config)``, passing ``name`` / ``trainable`` / ``dtype`` only where
    ``__init__`` takes them and setting them afterwards otherwise.

    Example:
        >>> from ndgrad.nn.layer_config import construct_from_config
        >>> import ndgrad
        >>> construct_from_config(ndgrad.nn.Linear, {"in_features": 2, "out_features": 3,
        ...                                          "name": "proj"}).name
        'proj'
    """
    from .serialization import deserialize_value
    config = {key: deserialize_value(value) for key, value in dict(config).items()}
    parameters = _signature(cls).parameters
    takes_any = any(p.kind is p.VAR_KEYWORD for p in parameters.values())
    variadic = next((p.name for p in parameters.values() if p.kind is p.VAR_POSITIONAL), None)
    positional = tuple(config.pop(variadic, ())) if variadic else ()
    arguments, later = {}, {}
    for key, value in config.items():
        if key in parameters or (takes_any and key not in _BASE_KEYS):
            arguments[key] = value
        elif key in _BASE_KEYS:
            later[key] = value
        else:
            raise TypeError(f"{cls.__name__}.from_config: {cls.__name__}.__init__ takes no "
                            f"argument {key!r}; override from_config to handle it")
    if takes_any:
        arguments.update(later)
    module = cls(*positional, **arguments)
    # Set afterwards too: an __init__ may take **kwargs without passing them on.
    if config.get("name"):
        module.name = config["name"]
    if "trainable" in config and bool(config["trainable"]) != module.trainable:
        module.trainable = bool(config["trainable"])
    return module


class LayerConfigMixin:
    """``get_config`` / ``from_config`` / ``build_from_config`` and ``input`` /
    ``output``: a base of :class:`ndgrad.nn.Module` (see the module)."""

    def __new__(cls, *args, **kwargs):
        instance = super().__new__(cls)
        object.__setattr__(instance, "_constructor_call", ConstructorCall(args, kwargs))
        return instance

    def get_config(self):
        """The layer as a JSON-friendly dict: name, trainable, dtype and the
        constructor's arguments (override to add or change entries, as in Keras).

        Example:
            >>> import ndgrad
            >>> ndgrad.layers.Dense(4, name="d").get_config()["units"]
            4
        """
        strict = type(self).get_config is LayerConfigMixin.get_config
        config = {"name": self.name, "trainable": self.trainable, "dtype": str(self.dtype)}
        config.update(constructor_config(self, strict=strict))
        return config

    @classmethod
    def from_config(cls, config):
        """A new layer from :meth:`get_config`'s dict (nested objects in their saved
        form are rebuilt first).

        Example:
            >>> import ndgrad
            >>> ndgrad.layers.Dense.from_config({"units": 3, "name": "out"}).units
            3
        """
        return construct_from_config(cls, config)

    def build_from_config(self, config):
        """Create the weights for ``config["input_shape"]`` (saved with the layer): by
        ``build(input_shape)`` when the class defines it, else by running the layer
        on stand-in tensors (weights created at the first call).

        Example:
            >>> import ndgrad
            >>> layer = ndgrad.layers.Dense(2)
            >>> layer.build_from_config({"input_shape": (None, 5)}); layer.kernel.shape
            (5, 2)
        """
        from .module import Module
        from .symbolic import SymbolicTensor
        from .symbolic_shapes import output_specs
        shape = (config or {}).get("input_shape")
        if shape is None or self.built:
            return
        if type(self).build is not Module.build:
            self.build(list(shape) if shape and isinstance(shape[0], (list, tuple))
                       else tuple(shape))
            return
        if shape and isinstance(shape[0], (list, tuple)):
            return          # several inputs: the first call builds the layer
        for dtype in ("float32", "int64"):
            placeholder = SymbolicTensor(shape, dtype)
            try:
                self._build_once((placeholder,))
                output_specs(self, (placeholder,), {})
                return
            except Exception:               # noqa: BLE001  (an integer input? try the next)
                self.built = False
        # Left unbuilt: loading weights into it then says that it has none yet.

    # ------------------------------------------------------------ graph
    def _single_node(self, what):
        nodes = self.__dict__.get("_inbound_nodes") or []
        if not nodes:
            raise AttributeError(f"layer '{self.name}' has never been called on symbolic "
                                 f"tensors (keras.Input), so it has no {what}")
        if len(nodes) > 1:
            raise AttributeError(f"layer '{self.name}' was called on symbolic tensors "
                                 f"{len(nodes)} times, so its {what} is ambiguous; use the "
                                 "tensors those calls returned")
        return nodes[0]

    @property
    def input(self):
        """The symbolic input of this layer's only call in a functional graph.

        Example:
            >>> import ndgrad
            >>> x = ndgrad.Input((3,)); dense = ndgrad.layers.Dense(2); _ = dense(x)
            >>> dense.input is x
            True
        """
        node = self._single_node("input")
        return node.args[0] if len(node.args) == 1 and not node.kwargs else node.input_tensors

    @property
    def output(self):
        """The symbolic output of this layer's only call in a functional graph.

        Example:
            >>> import ndgrad
            >>> dense = ndgrad.layers.Dense(2); y = dense(ndgrad.Input((3,)))
            >>> dense.output is y
            True
        """
        return self._single_node("output").outputs
