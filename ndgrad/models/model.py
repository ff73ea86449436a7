"""``Model``: the model class of both faces, subclassed or functional.

Subclassed, Keras style (``call``) or PyTorch style (``forward``), its
``layers`` are its direct sub-modules. Given inputs and outputs, Keras's
functional API, ``Model(inputs=..., outputs=...)`` (or positionally) returns
a :class:`Functional` model that replays the graph of layers recorded between
them; a subclass of Model constructed that way (``CustomModel(inputs,
outputs)``, the pattern of Keras's custom ``train_step`` guides) gets the same
graph and keeps its own methods.

Example:
    >>> import ndgrad
    >>> class TwoLayers(ndgrad.Model):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = ndgrad.layers.Dense(8, activation="relu")
    ...         self.out = ndgrad.layers.Dense(1)
    ...     def call(self, inputs, training=None):
    ...         return self.out(self.hidden(inputs))
    >>> model = TwoLayers()
    >>> model(ndgrad.ones((2, 3))).shape, len(model.layers)
    ((2, 1), 2)
    >>> inputs = ndgrad.Input(shape=(3,))
    >>> functional = ndgrad.Model(inputs, ndgrad.layers.Dense(1)(inputs))
    >>> type(functional).__name__, functional(ndgrad.ones((2, 3))).shape
    ('Functional', (2, 1))
"""

from ..nn.model_saving import ModelSavingMixin
from ..nn.module import Module, unique_name
from ..nn.training import CompileMixin

__all__ = ["Model", "Functional", "find_layer"]


def _functional_arguments(args, kwargs):
    return len(args) >= 2 or "inputs" in kwargs or "outputs" in kwargs or (
        len(args) == 1 and "outputs" in kwargs)


def find_layer(layers, name=None, index=None):
    """The layer called ``name`` in ``layers``, or the one at ``index`` (``get_layer``).

    Example:
        >>> from ndgrad.models.model import find_layer
        >>> import ndgrad
        >>> find_layer([ndgrad.layers.Dense(1, name="a")], name="a").name
        'a'
    """
    if index is not None and name is not None:
        raise ValueError("get_layer: pass name= or index=, not both")
    if index is not None:
        if not -len(layers) <= index < len(layers):
            raise ValueError(f"get_layer: index {index} is out of range; the model has "
                             f"{len(layers)} layers")
        return layers[index]
    if name is None:
        raise ValueError("get_layer: pass the layer's name= or its index=")
    for layer in layers:
        if layer.name == name:
            return layer
    raise ValueError(f"get_layer: no layer named {name!r}; the layers are "
                     f"{[layer.name for layer in layers]}")


class Model(Module, CompileMixin, ModelSavingMixin):
    """A model: subclass it, or give it ``inputs`` and ``outputs`` (functional API).

    Args:
        inputs: (functional) an ``ndgrad.Input`` tensor, or a list / dict of them.
        outputs: (functional) the symbolic tensor(s) computed from ``inputs``.
        name, trainable, dtype: as for every Module.

    Example:
        >>> import ndgrad
        >>> ndgrad.Model(name="empty").layers
        []
    """

    def __new__(cls, *args, **kwargs):
        if cls is Model and _functional_arguments(args, kwargs):
            return super().__new__(Functional, *args, **kwargs)
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        if not _functional_arguments(args, kwargs):
            if args:
                raise TypeError(f"{type(self).__name__}: unexpected positional arguments; a "
                                "functional model takes Model(inputs, outputs)")
            super().__init__(**kwargs)
            return
        from .functional_graph import FunctionalGraph
        inputs = kwargs.pop("inputs", args[0] if args else None)
        outputs = kwargs.pop("outputs", args[1] if len(args) > 1 else None)
        if len(args) > 2:
            raise TypeError(f"{type(self).__name__}: takes Model(inputs, outputs, name=...); "
                            f"got {len(args)} positional arguments")
        if inputs is None or outputs is None:
            raise TypeError(f"{type(self).__name__}: a functional model needs both inputs= "
                            "and outputs=")
        name = kwargs.pop("name", None) or unique_name("functional")
        graph = FunctionalGraph(inputs, outputs, name)
        super().__init__(name=name, **kwargs)
        object.__setattr__(self, "_graph", graph)
        self.built = True
        self._output_shape = graph.flat_outputs[0].shape

    @property
    def is_functional(self):
        """Whether this model was built from inputs and outputs (a graph of layers)."""
        return self.__dict__.get("_graph") is not None

    def _direct_members(self):
        graph = self.__dict__.get("_graph")
        if graph is not None:
            yield from ((operation.name, operation) for operation in graph.operations)
        yield from super()._direct_members()

    def call(self, inputs, training=None):
        """Run the recorded graph (functional models; subclasses override this)."""
        graph = self.__dict__.get("_graph")
        if graph is None:
            raise NotImplementedError(
                f"{type(self).__name__} defines neither forward(...) (PyTorch style) nor "
                "call(inputs, training=None) (Keras style), and was not built from inputs "
                "and outputs")
        return graph.run(inputs, self.name)

    # ------------------------------------------------------------ structure
    @property
    def layers(self):
        """Functional: every layer in topological order, InputLayers first (not the
        operators' nodes). Subclassed: the direct sub-modules, in assignment order."""
        graph = self.__dict__.get("_graph")
        return graph.layers if graph is not None else self.children()

    @property
    def operations(self):
        """Functional: the layers and the recorded operators (``x + y``), in order."""
        graph = self.__dict__.get("_graph")
        return list(graph.operations) if graph is not None else self.children()

    def _require_graph(self, what):
        graph = self.__dict__.get("_graph")
        if graph is None:
            raise AttributeError(f"{type(self).__name__} '{self.name}' is a subclassed model; "
                                 f"only a functional model (Model(inputs, outputs)) has {what}")
        return graph

    @property
    def inputs(self):
        """The model's input tensors, as a flat list (functional models)."""
        return list(self._require_graph("inputs").flat_inputs)

    @property
    def outputs(self):
        """The model's output tensors, as a flat list (functional models)."""
        return list(self._require_graph("outputs").flat_outputs)

    @property
    def input(self):
        """The inputs in the structure they were given (one tensor, a list, a dict)."""
        graph = self.__dict__.get("_graph")
        return graph.inputs if graph is not None else super().input

    @property
    def output(self):
        """The outputs in the structure they were given."""
        graph = self.__dict__.get("_graph")
        return graph.outputs if graph is not None else super().output

    @property
    def output_names(self):
        """The outputs' names (Keras 3): the keys when the outputs are a dict, else the
        names of the layers that make them; None for a subclassed model until set
        (``model.output_names = [...]``, as Keras allows).

        Example:
            >>> import ndgrad
            >>> x = ndgrad.Input((2,), name="features")
            >>> ndgrad.Model(x, [ndgrad.layers.Dense(1, name="score")(x), x]).output_names
            ['score', 'features']
        """
        given = self.__dict__.get("_output_names")
        graph = self.__dict__.get("_graph")
        if given is not None or graph is None:
            return given
        if isinstance(graph.outputs, dict):
            return list(graph.outputs)
        names = [tensor.node.operation.name for tensor in graph.flat_outputs]
        return [name if names.count(name) == 1 else f"{name}_{index}"
                for index, name in enumerate(names)]

    @output_names.setter
    def output_names(self, names):
        object.__setattr__(self, "_output_names", None if names is None else list(names))

    @property
    def input_shape(self):
        """The input shape(s), None for unknown dimensions (functional models)."""
        graph = self._require_graph("input_shape")
        shapes = [t.shape for t in graph.flat_inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self):
        """The output shape(s), None for unknown dimensions (functional models)."""
        graph = self._require_graph("output_shape")
        shapes = [t.shape for t in graph.flat_outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    def get_layer(self, name=None, index=None):
        """The layer called ``name``, or at position ``index`` of :attr:`layers`.

        Example:
            >>> import ndgrad
            >>> x = ndgrad.Input((2,), name="features")
            >>> model = ndgrad.Model(x, ndgrad.layers.Dense(1, name="score")(x))
            >>> model.get_layer("score").units, model.get_layer(index=0).name
            (1, 'features')
        """
        return find_layer(self.layers, name, index)

    # ------------------------------------------------------------ config and summary
    def get_config(self):
        """Functional: the graph (layers, their calls, inputs and outputs) as JSON-ready
        dicts. Subclassed: the constructor's arguments, as for every layer."""
        if self.is_functional:
            from .functional_config import functional_config
            return functional_config(self)
        return super().get_config()

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A model from :meth:`get_config`'s dict (a functional graph is rebuilt layer
        by layer; user classes come from ``custom_objects`` or the registry)."""
        if isinstance(config, dict) and "layers" in config and "output_layers" in config:
            from .functional_config import functional_from_config
            return functional_from_config(cls, config, custom_objects)
        from ..nn.serialization_registry import CustomObjectScope
        with CustomObjectScope(custom_objects):
            return super().from_config(config)

    def summary(self, print_fn=print, gradients=False, *, expand_nested=False, line_length=None):
        """Print the table of layers; a functional model's has a ``Connected to`` column
        (``layer[node][tensor]`` for each input of each call)."""
        if self.is_functional:
            from .functional_summary import functional_summary
            return functional_summary(self, print_fn, gradients, expand_nested=expand_nested,
                                      line_length=line_length)
        return super().summary(print_fn, gradients, expand_nested=expand_nested,
                               line_length=line_length)


class Functional(Model):
    """A model made by ``Model(inputs, outputs)``: the graph of layer calls between them.

    Example:
        >>> import ndgrad
        >>> a, b = ndgrad.Input((2,), name="a"), ndgrad.Input((2,), name="b")
        >>> model = ndgrad.Model([a, b], ndgrad.layers.add([a, b], name="total"), name="sum")
        >>> model([ndgrad.ones((1, 2)), ndgrad.ones((1, 2))]).tolist()
        [[2.0, 2.0]]
        >>> [layer.name for layer in model.layers]
        ['a', 'b', 'total']
    """
