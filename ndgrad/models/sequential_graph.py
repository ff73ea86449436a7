"""Sequential's functional side (Keras 3): an ``Input`` as the first element, the
symbolic build that gives ``inputs`` / ``outputs`` / ``layer.output``, and its config.

When a Sequential knows its input (``keras.Input(...)`` as its first element,
``input_shape=`` on its first layer, or ``build(input_shape)``), it calls its
layers one after another on the symbolic input: each layer is built once from
the symbolic shape and records its node, so ``model.inputs``,
``model.outputs`` and ``[layer.output for layer in model.layers]`` work as in
Keras (a feature-extraction model can be made from them). ``add`` extends the
chain; ``pop`` shortens it.

Example:
    >>> import ndgrad
    >>> model = ndgrad.Sequential([ndgrad.Input(shape=(4,)), ndgrad.layers.Dense(3),
    ...                            ndgrad.layers.Dense(2)])
    >>> model.inputs[0].shape, model.outputs[0].shape
    ((None, 4), (None, 2))
    >>> features = ndgrad.Model(model.inputs, [layer.output for layer in model.layers])
    >>> [y.shape for y in features(ndgrad.ones((5, 4)))]
    [(5, 3), (5, 2)]
"""

from ..nn.input_layer import Input, InputLayer
from ..nn.module_building import snapshot
from ..nn.symbolic import SymbolicTensor

__all__ = ["input_tensor_of", "build_chain", "extend_chain", "sequential_config",
           "sequential_from_config"]


def input_tensor_of(element):
    """The symbolic input an element of a Sequential stands for (an ``Input`` tensor or
    an ``InputLayer``), else None.

    Example:
        >>> from ndgrad.models.sequential_graph import input_tensor_of
        >>> import ndgrad
        >>> input_tensor_of(ndgrad.Input((2,))).shape, input_tensor_of(ndgrad.layers.Dense(1))
        ((None, 2), None)
    """
    if isinstance(element, SymbolicTensor):
        if element.node is None or not element.node.is_input:
            raise TypeError("Sequential: a symbolic tensor in the layer list must be a "
                            "keras.Input(...), and only as the first element")
        return element
    if isinstance(element, InputLayer):
        return element.output
    return None


def build_chain(model, input_shape=None, strict=False):
    """Build ``model`` by calling its layers on its symbolic input (made from
    ``input_shape`` or the first layer's ``input_shape=`` when it has none).

    Returns True when built; False when the input is still unknown or a layer
    cannot be called symbolically (the model then builds at its first call);
    ``strict`` (an explicit ``model.build(shape)``) raises that layer's error instead.
    Either way a chain that fails leaves every layer as it was.
    """
    tensor = model.__dict__.get("_input_tensor")
    if input_shape is not None:
        shape = tuple(input_shape)
        tensor = Input(batch_shape=(None,) + shape[1:]) if shape else None
    elif tensor is None and model._layers and model._layers[0]._input_shape is not None:
        tensor = Input(shape=tuple(model._layers[0]._input_shape), dtype=model._layers[0].dtype)
    if tensor is None or not model._layers:
        return False
    chain = [tensor]
    undo = snapshot(model)          # a chain that fails leaves no layer of it built
    try:
        for layer in model._layers:
            chain.append(layer(chain[-1]))
    except Exception:       # noqa: BLE001  (e.g. an integer input met as float: build lazily)
        undo()
        if strict or (input_shape is None and model.__dict__.get("_input_tensor") is not None):
            raise
        return False
    object.__setattr__(model, "_chain", chain)
    if model.__dict__.get("_input_tensor") is None:
        object.__setattr__(model, "_input_tensor", tensor)
    model._output_shape = chain[-1].shape
    model.built = True
    return True


def extend_chain(model, layer):
    """Call a newly added ``layer`` on the end of a built chain.

    Example:
        >>> import ndgrad
        >>> model = ndgrad.Sequential([ndgrad.Input((3,))])
        >>> model.add(ndgrad.layers.Dense(2)); model.add(ndgrad.layers.Dense(5))
        >>> model.outputs[0].shape
        (None, 5)
    """
    chain = model.__dict__.get("_chain")
    if chain is None:
        return build_chain(model)
    chain.append(layer(chain[-1]))
    model._output_shape = chain[-1].shape
    return True


def sequential_config(model):
    """``{"name", "trainable", "dtype", "layers", "build_input_shape"}``; ``layers``
    starts with the InputLayer when the model was given an Input.

    Example:
        >>> import ndgrad
        >>> config = ndgrad.Sequential([ndgrad.Input((3,)), ndgrad.layers.Dense(2)]).get_config()
        >>> [form["class_name"] for form in config["layers"]], config["build_input_shape"]
        (['InputLayer', 'Dense'], (None, 3))
    """
    from ..nn.serialization import serialize_object
    forms = []
    tensor = model.__dict__.get("_input_tensor")
    if tensor is not None:
        forms.append(serialize_object(tensor.node.operation, "Sequential input"))
    forms += [serialize_object(layer, f"Sequential '{model.name}'") for layer in model._layers]
    shape = tensor.shape if tensor is not None else None
    if shape is None and model._layers:
        shape = model._layers[0].__dict__.get("_build_input_shape")
        if isinstance(shape, tuple) and shape:
            shape = (None,) + shape[1:]
    return {"name": model.name, "trainable": model.trainable, "dtype": str(model.dtype),
            "layers": forms, "build_input_shape": shape}


def sequential_from_config(cls, config, custom_objects=None):
    """A Sequential from :func:`sequential_config`'s dict, built when its input was known.

    Example:
        >>> import ndgrad
        >>> model = ndgrad.Sequential([ndgrad.Input((3,)), ndgrad.layers.Dense(2, name="out")])
        >>> clone = ndgrad.Sequential.from_config(model.get_config())
        >>> clone.layers[0].name, clone.layers[0].kernel.shape
        ('out', (3, 2))
    """
    from ..nn.serialization import deserialize_object, deserialize_value
    model = cls(name=config.get("name"))
    for form in config.get("layers") or []:
        model.add(deserialize_object(form, custom_objects, f"Sequential '{model.name}'"))
    shape = deserialize_value(config.get("build_input_shape"))
    if not model.built and isinstance(shape, (tuple, list)) and shape:
        build_chain(model, tuple(shape))
    if "trainable" in config and bool(config["trainable"]) != model.trainable:
        model.trainable = bool(config["trainable"])
    return model
