"""A functional model's config: its graph as JSON-ready dicts, and the graph rebuilt.

The layout is Keras 3's. ``layers`` lists every operation once, in the
graph's order, each as its saved form (``module``, ``class_name``,
``config``) plus its ``name`` and its ``inbound_nodes``: one entry per call,
``{"args": [...], "kwargs": {...}}``, where each symbolic tensor is
``{"class_name": "__keras_tensor__", "config": {"shape", "dtype",
"keras_history": [layer name, node index, tensor index]}}``: the output
``tensor index`` of the ``node index``-th call of that layer in this model.
``input_layers`` and ``output_layers`` give the model's inputs and outputs in
their structure (a single ``[name, node, tensor]``, a list or a dict of them).

Rebuilding creates each layer from its form, then replays the calls, each
as soon as the tensors it needs exist (a shared layer's later call may need
a layer listed after it), and finally makes the model from the tensors named
by ``input_layers`` and ``output_layers``.

Example:
    >>> import ndgrad
    >>> x = ndgrad.Input((3,), name="x")
    >>> model = ndgrad.Model(x, ndgrad.layers.Dense(2, name="d")(x), name="tiny")
    >>> config = model.get_config()
    >>> [form["name"] for form in config["layers"]], config["output_layers"]
    (['x', 'd'], ['d', 0, 0])
    >>> clone = ndgrad.Model.from_config(config)
    >>> clone.name, [layer.name for layer in clone.layers]
    ('tiny', ['x', 'd'])
"""

from ..nn import nest
from ..nn.serialization import deserialize_object, deserialize_value, serialize_object
from ..nn.serialization import serialize_value
from ..nn.serialization_registry import CustomObjectScope
from ..nn.symbolic import SymbolicTensor

__all__ = ["functional_config", "functional_from_config"]

_TENSOR = "__keras_tensor__"


def _histories(graph):
    """id(tensor) -> [operation name, node index within this model, tensor index]."""
    histories = {}
    for operation in graph.operations:
        for node_index, node in enumerate(graph.nodes_of(operation)):
            for tensor_index, tensor in enumerate(node.output_tensors):
                histories[id(tensor)] = [operation.name, node_index, tensor_index]
    return histories


def _serialize_arguments(value, histories, where):
    if isinstance(value, SymbolicTensor):
        return {"class_name": _TENSOR, "config": {
            "shape": list(value.shape), "dtype": str(value.dtype),
            "keras_history": histories[id(value)]}}
    if isinstance(value, list):
        return [_serialize_arguments(item, histories, where) for item in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return {"class_name": "__tuple__", "config": {
            "value": [_serialize_arguments(item, histories, where) for item in value]}}
    if isinstance(value, dict):
        return {key: _serialize_arguments(item, histories, where) for key, item in value.items()}
    return serialize_value(value, where)


def _structure_of(structure, histories):
    if isinstance(structure, dict):
        return {key: _structure_of(item, histories) for key, item in structure.items()}
    if isinstance(structure, (list, tuple)):
        return [_structure_of(item, histories) for item in structure]
    return histories[id(structure)]


def functional_config(model):
    """The config of a functional ``model`` (see the module).

    Example:
        >>> from ndgrad.models.functional_config import functional_config
        >>> import ndgrad
        >>> a = ndgrad.Input((2,), name="a")
        >>> model = ndgrad.Model([a], [a * 2])
        >>> functional_config(model)["input_layers"]
        [['a', 0, 0]]
    """
    graph = model._graph
    histories = _histories(graph)
    forms = []
    for operation in graph.operations:
        form = serialize_object(operation, f"model '{model.name}'")
        form.pop("build_config", None)           # the calls rebuild the layer
        form["name"] = operation.name
        form["inbound_nodes"] = [] if isinstance(operation, _input_layer_class()) else [
            {"args": _serialize_arguments(list(node.args), histories, operation.name),
             "kwargs": _serialize_arguments(node.kwargs, histories, operation.name)}
            for node in graph.nodes_of(operation)]
        forms.append(form)
    return {"name": model.name, "trainable": model.trainable, "layers": forms,
            "input_layers": _structure_of(graph.inputs, histories),
            "output_layers": _structure_of(graph.outputs, histories)}


def _input_layer_class():
    from ..nn.input_layer import InputLayer
    return InputLayer


def _is_history(value):
    return (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str)
            and all(isinstance(i, int) and not isinstance(i, bool) for i in value[1:]))


def _tensor_at(history, tensors, where):
    name, node_index, tensor_index = history
    outputs = tensors.get((name, node_index))
    if outputs is None or not 0 <= tensor_index < len(outputs):
        raise ValueError(f"{where}: the config refers to output {tensor_index} of call "
                         f"{node_index} of layer {name!r}, which does not exist")
    return outputs[tensor_index]


def _rebuild_arguments(value, tensors, custom_objects):
    """Arguments with saved tensors replaced by rebuilt ones (KeyError: not made yet)."""
    if isinstance(value, list):
        return [_rebuild_arguments(item, tensors, custom_objects) for item in value]
    if isinstance(value, dict):
        kind = value.get("class_name")
        if kind == _TENSOR:
            name, node_index, tensor_index = value["config"]["keras_history"]
            return tensors[(name, node_index)][tensor_index]
        if kind == "__tuple__":
            return tuple(_rebuild_arguments(item, tensors, custom_objects)
                         for item in value["config"]["value"])
        if isinstance(kind, str) and "config" in value:
            return deserialize_value(value, custom_objects)
        return {key: _rebuild_arguments(item, tensors, custom_objects)
                for key, item in value.items()}
    return value


def _rebuild_structure(structure, tensors, where):
    if _is_history(structure):
        return _tensor_at(structure, tensors, where)
    if isinstance(structure, dict):
        return {key: _rebuild_structure(item, tensors, where) for key, item in structure.items()}
    if isinstance(structure, list):
        return [_rebuild_structure(item, tensors, where) for item in structure]
    raise ValueError(f"{where}: input_layers/output_layers must hold [layer, node, tensor] "
                     f"entries; got {structure!r:.80}")


def functional_from_config(cls, config, custom_objects=None):
    """A functional model of class ``cls`` rebuilt from :func:`functional_config`'s dict.

    Example:
        >>> from ndgrad.models.functional_config import functional_from_config
        >>> import ndgrad
        >>> x = ndgrad.Input((2,), name="in")
        >>> shared = ndgrad.layers.Dense(2, name="shared")
        >>> model = ndgrad.Model(x, shared(shared(x)))
        >>> clone = functional_from_config(ndgrad.Model, model.get_config())
        >>> len(clone.get_layer("shared")._inbound_nodes)
        2
    """
    where = f"model '{config.get('name')}'"
    forms = config.get("layers")
    if not isinstance(forms, list):
        raise ValueError(f"{where}: the config's 'layers' must be a list")
    tensors, pending = {}, []
    with CustomObjectScope(custom_objects):
        for form in forms:
            if not isinstance(form, dict):
                raise ValueError(f"{where}: each entry of 'layers' must be a dict")
            operation = deserialize_object(form, custom_objects, where)
            name = form.get("name", operation.name)
            if isinstance(name, str) and operation.name != name:
                operation.name = name       # a user get_config may leave the name out
            if isinstance(operation, _input_layer_class()):
                tensors[(name, 0)] = [operation.output]
            for node_index, node in enumerate(form.get("inbound_nodes") or []):
                pending.append((operation, name, node_index, node))
        while pending:
            progress = []
            for item in pending:
                operation, name, node_index, node = item
                try:
                    args = _rebuild_arguments(node.get("args", []), tensors, custom_objects)
                    kwargs = _rebuild_arguments(node.get("kwargs", {}), tensors, custom_objects)
                except KeyError:
                    continue                    # an input of this call is not rebuilt yet
                outputs = operation(*args, **kwargs)
                tensors[(name, node_index)] = [leaf for leaf in nest.flatten(outputs)
                                               if isinstance(leaf, SymbolicTensor)]
                progress.append(item)
            if not progress:
                names = sorted({name for _, name, _, _ in pending})
                raise ValueError(f"{where}: the calls of {names} need tensors that no layer in "
                                 "the config makes; the config is incomplete or corrupted")
            done = {id(item) for item in progress}
            pending = [item for item in pending if id(item) not in done]
        inputs = _rebuild_structure(config.get("input_layers"), tensors, where)
        outputs = _rebuild_structure(config.get("output_layers"), tensors, where)
    model = cls(inputs=inputs, outputs=outputs, name=config.get("name"))
    if "trainable" in config and bool(config["trainable"]) != model.trainable:
        model.trainable = bool(config["trainable"])
    return model
