"""Containers: ``Sequential`` (both faces), ``ModuleList``, ``ModuleDict``.

``Sequential([a, b])`` (Keras) and ``Sequential(a, b)`` (PyTorch) are one
class with ``.layers``, indexing, ``len``, ``append``, ``add`` and ``pop``.
When it knows its input (``keras.Input(...)`` as its first element, or the
first layer's ``input_shape=``), a Sequential builds itself at once by calling
its layers on the symbolic input (see :mod:`ndgrad.models.sequential_graph`),
so its summary, variables, ``inputs`` and ``outputs`` are available before
any data arrives, as in Keras.

Example:
    >>> import ndgrad
    >>> ndgrad.nn.reset_names()
    >>> model = ndgrad.Sequential([ndgrad.layers.Dense(4, input_shape=(3,)),
    ...                            ndgrad.layers.Dense(1)])
    >>> [v.name for v in model.trainable_variables]
    ['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias']
"""

import collections

from .model_saving import ModelSavingMixin
from .module import Module
from .training import CompileMixin


class Sequential(Module, CompileMixin, ModelSavingMixin):
    """Layers applied one after another.

    Args:
        *layers: modules (PyTorch style), or one list of them (Keras style),
            or one ordered dict of name -> module.
        name: the model's name.

    Example:
        >>> import ndgrad
        >>> model = ndgrad.nn.Sequential(ndgrad.nn.Linear(2, 3), ndgrad.nn.ReLU())
        >>> model(ndgrad.ones((4, 2))).shape, len(model)
        ((4, 3), 2)
    """

    def __init__(self, *layers, name=None, trainable=True, dtype=None):
        super().__init__(name=name, trainable=trainable, dtype=dtype)
        if len(layers) == 1 and isinstance(layers[0], collections.OrderedDict):
            self._names = list(layers[0].keys())
            modules = list(layers[0].values())
            self._pytorch_face = True
        else:
            # Sequential(a, b) is PyTorch's spelling, Sequential([a, b]) Keras's: the
            # summary names a PyTorch-face model's rows by attribute path ("0", "features").
            self._pytorch_face = bool(layers) and not (
                len(layers) == 1 and isinstance(layers[0], (list, tuple)))
            if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
                layers = tuple(layers[0])
            self._names = None
            modules = list(layers)
        self._layers = []
        for module in modules:
            self._append(module)
        self._build_if_shape_known()

    def _append(self, module):
        from ..models.sequential_graph import input_tensor_of
        tensor = input_tensor_of(module)
        if tensor is not None:       # keras.Input(...) / InputLayer: the model's input
            if self._layers or self.__dict__.get("_input_tensor") is not None:
                raise ValueError("Sequential: an Input must be the first element, and only one")
            object.__setattr__(self, "_input_tensor", tensor)
            return
        if not isinstance(module, Module):
            raise TypeError(f"Sequential: expected a layer/Module, got {type(module).__name__}")
        self._layers.append(module)
        if self._names is not None and len(self._names) < len(self._layers):
            self._names.append(str(len(self._layers) - 1))

    def _direct_members(self):
        names = self._names or [str(i) for i in range(len(self._layers))]
        yield from zip(names, self._layers)
        for key, value in super()._direct_members():
            if not key.startswith("_layers"):
                yield key, value

    def _build_if_shape_known(self):
        """Build symbolically when the input is known (an Input first, or the first
        layer's ``input_shape=``); see :mod:`ndgrad.models.sequential_graph`."""
        from ..models.sequential_graph import build_chain
        if not self.built:
            build_chain(self)

    def build(self, input_shape=None):
        """Build every layer for inputs of ``input_shape`` (batch first, as Keras); a
        layer that refuses the shape raises, and no layer stays built."""
        from ..models.sequential_graph import build_chain
        if input_shape is not None:
            # at a first call a chain that cannot run symbolically builds lazily instead
            build_chain(self, input_shape, strict=not self.__dict__.get("_lazy_build"))

    def _build_once(self, args):
        object.__setattr__(self, "_lazy_build", True)
        try:
            super()._build_once(args)
        finally:
            self.__dict__.pop("_lazy_build", None)

    @property
    def inputs(self):
        """The symbolic input, as a one-element list (once the input is known)."""
        return [self._symbolic_chain("inputs")[0]]

    @property
    def outputs(self):
        """The symbolic output, as a one-element list (once the input is known)."""
        return [self._symbolic_chain("outputs")[-1]]

    @property
    def input(self):
        return self._symbolic_chain("input")[0]

    @property
    def output(self):
        return self._symbolic_chain("output")[-1]

    def _symbolic_chain(self, what):
        chain = self.__dict__.get("_chain")
        if chain is None:
            raise AttributeError(f"Sequential '{self.name}' has no {what} yet: its input is "
                                 "unknown. Start it with keras.Input(shape=...), or call or "
                                 "build it first")
        return chain

    def get_layer(self, name=None, index=None):
        """The layer called ``name``, or at position ``index`` (Keras)."""
        from ..models.model import find_layer
        return find_layer(self._layers, name, index)

    def get_config(self):
        """Name, trainable, dtype, the layers' configs and the input shape."""
        from ..models.sequential_graph import sequential_config
        return sequential_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A Sequential rebuilt from :meth:`get_config` (user layers from ``custom_objects``)."""
        from ..models.sequential_graph import sequential_from_config
        return sequential_from_config(cls, config, custom_objects)

    @property
    def layers(self):
        """The layers, in order (a new list)."""
        return list(self._layers)

    def forward(self, x):
        for layer in self._layers:
            x = layer(x)
        return x

    def add(self, layer):
        """Append a layer, or give the input with ``add(keras.Input(...))`` (Keras); the
        model builds as soon as its input is known."""
        from ..models.sequential_graph import extend_chain
        self._append(layer)
        if self.__dict__.get("_chain") is not None and self._layers \
                and self._layers[-1] is layer:
            extend_chain(self, layer)
        else:
            self.built = False
            self._build_if_shape_known()

    def append(self, layer):
        """Append a layer (PyTorch); returns self."""
        self.add(layer)
        return self

    def pop(self):
        """Remove and return the last layer."""
        if not self._layers:
            raise IndexError("pop: the Sequential is empty")
        if self._names is not None:
            self._names.pop()
        chain = self.__dict__.get("_chain")
        if chain is not None and len(chain) > 1:
            chain.pop()
            self._output_shape = chain[-1].shape
        return self._layers.pop()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Sequential(*self._layers[index])
        return self._layers[index]

    def __len__(self):
        return len(self._layers)

    def __iter__(self):
        return iter(self._layers)


class ModuleList(Module):
    """A list of modules that registers them (PyTorch).

    Args:
        modules (iterable of modules, default ()): the modules to register, in order;
            they are named "0", "1", ... in the state dict.

    Example:
        >>> import ndgrad
        >>> blocks = ndgrad.nn.ModuleList([ndgrad.nn.Linear(2, 2) for _ in range(3)])
        >>> len(blocks.parameters())
        6
    """

    def __init__(self, modules=()):
        super().__init__()
        self._items = []
        for module in modules:
            self.append(module)

    def _direct_members(self):
        yield from ((str(i), m) for i, m in enumerate(self._items))

    def append(self, module):
        if not isinstance(module, Module):
            raise TypeError(f"ModuleList: expected a Module, got {type(module).__name__}")
        self._items.append(module)
        return self

    def extend(self, modules):
        for module in modules:
            self.append(module)
        return self

    def insert(self, index, module):
        if not isinstance(module, Module):
            raise TypeError(f"ModuleList: expected a Module, got {type(module).__name__}")
        self._items.insert(index, module)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return ModuleList(self._items[index])
        return self._items[index]

    def __setitem__(self, index, module):
        if not isinstance(module, Module):
            raise TypeError(f"ModuleList: expected a Module, got {type(module).__name__}")
        self._items[index] = module

    def __len__(self):
        return len(self._items)

    def __iter__(self):
        return iter(self._items)


class ModuleDict(Module):
    """A dict of modules that registers them (PyTorch).

    Args:
        modules (mapping or iterable of (key, module) pairs, default None): the
            modules to register, in order; keys are kept as strings, values must
            be Modules.

    Example:
        >>> import ndgrad
        >>> heads = ndgrad.nn.ModuleDict({"a": ndgrad.nn.Linear(2, 1), "b": ndgrad.nn.Identity()})
        >>> sorted(heads.keys()), [n for n, _ in heads.named_parameters()]
        (['a', 'b'], ['a.weight', 'a.bias'])
        >>> heads.c = ndgrad.nn.Linear(1, 1)           # entries are attributes too
        >>> heads.a is heads["a"], list(heads)
        (True, ['a', 'b', 'c'])
    """

    def __init__(self, modules=None):
        super().__init__()
        self._items = collections.OrderedDict()
        for key, module in dict(modules or {}).items():
            self[key] = module

    def _direct_members(self):
        yield from self._items.items()

    def __setitem__(self, key, module):
        if not isinstance(module, Module):
            raise TypeError(f"ModuleDict: expected a Module for '{key}', got "
                            f"{type(module).__name__}")
        self._items[str(key)] = module

    def __getitem__(self, key):
        return self._items[key]

    def __getattr__(self, key):
        # PyTorch registers a ModuleDict's entries as attributes: heads.a is heads["a"].
        items = self.__dict__.get("_items")
        if items is not None and key in items:
            return items[key]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{key}'")

    def __setattr__(self, key, value):
        items = self.__dict__.get("_items")
        if items is not None and isinstance(value, Module) and not key.startswith("_"):
            self[key] = value           # heads.c = nn.Linear(...) adds an entry, as PyTorch
            return
        super().__setattr__(key, value)

    def __delitem__(self, key):
        del self._items[key]

    def __contains__(self, key):
        return key in self._items

    def __len__(self):
        return len(self._items)

    def __iter__(self):
        return iter(self._items)

    def keys(self):
        return self._items.keys()

    def values(self):
        return self._items.values()

    def items(self):
        return self._items.items()

    def update(self, modules):
        for key, module in dict(modules).items():
            self[key] = module

    def pop(self, key):
        """Remove the entry ``key`` and return its module."""
        return self._items.pop(key)

    def clear(self):
        """Remove every entry."""
        self._items.clear()
