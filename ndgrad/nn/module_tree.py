"""How a Module finds what it holds: sub-modules, parameters and buffers, found by
walking its attributes (lists, tuples and dicts included), and registering them
explicitly.

``ModuleTree`` is a base of :class:`ndgrad.nn.Module`; it is not used alone.

Example:
    >>> import ndgrad
    >>> model = ndgrad.nn.Sequential(ndgrad.nn.Linear(2, 2))
    >>> [name for name, _ in model.named_parameters()]
    ['0.weight', '0.bias']
"""

from ..dtypes import as_dtype
from ..tensor import Tensor
from ..variable import Variable


# Attributes that are the module's own settings, never members.
_INTERNAL = frozenset(["_parameters", "_buffers", "_trainable", "training", "built", "name",
                       "dtype", "_input_shape", "_output_shape", "_build_input_shape",
                       # set by compile(): a loss module is configuration, not a layer
                       "optimizer", "loss", "compiled_loss", "compiled_metrics",
                       "compiled_loss_weights"])


def _is_parameter(value):
    return isinstance(value, Variable) and value._is_parameter


def _members(value, prefix, depth=0):
    """(name, member) for the Modules and Tensors inside a container attribute."""
    if isinstance(value, (ModuleTree, Tensor)):
        yield prefix, value
    elif depth < 4 and isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _members(item, f"{prefix}.{i}", depth + 1)
    elif depth < 4 and isinstance(value, dict):
        for key, item in value.items():
            yield from _members(item, f"{prefix}.{key}", depth + 1)


class ModuleTree:
    """Discovery and registration of sub-modules, parameters and buffers."""

    # ------------------------------------------------------------ discovery
    def _direct_members(self):
        """(name, member) for this module's own Modules, Variables and buffers."""
        for key, value in self.__dict__.items():
            if key == "_parameters" or key == "_buffers":
                yield from value.items()
            elif key not in _INTERNAL:
                yield from _members(value, key)

    def named_children(self):
        """(name, module) for the direct sub-modules, in assignment order.

        Example:
            >>> import ndgrad
            >>> [n for n, _ in ndgrad.nn.Sequential(ndgrad.nn.Identity()).named_children()]
            ['0']
        """
        seen = set()
        for name, member in self._direct_members():
            if isinstance(member, ModuleTree) and id(member) not in seen:
                seen.add(id(member))
                yield name, member

    def children(self):
        """The direct sub-modules."""
        return [module for _, module in self.named_children()]

    def named_modules(self, prefix=""):
        """(name, module) for this module and every module below it, each once.

        Example:
            >>> import ndgrad
            >>> [n for n, _ in ndgrad.nn.Sequential(ndgrad.nn.Identity()).named_modules()]
            ['', '0']
        """
        seen = set()
        stack = [(prefix, self)]
        while stack:
            name, module = stack.pop(0)
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            stack[0:0] = [(f"{name}.{child_name}" if name else child_name, child)
                          for child_name, child in module.named_children()]

    def modules(self):
        """This module and every module below it."""
        return [module for _, module in self.named_modules()]

    def _named_tensors(self, want_parameter, prefix="", recurse=True):
        seen = set()
        modules = self.named_modules(prefix) if recurse else [(prefix, self)]
        for module_name, module in modules:
            for name, member in module._direct_members():
                if not isinstance(member, Tensor) or id(member) in seen:
                    continue
                registered_buffer = name in module._buffers
                is_param = _is_parameter(member) and not registered_buffer
                is_buffer = registered_buffer or (isinstance(member, Variable) and not is_param)
                if (want_parameter and is_param) or (not want_parameter and is_buffer):
                    seen.add(id(member))
                    yield (f"{module_name}.{name}" if module_name else name), member

    def named_parameters(self, prefix="", recurse=True):
        """(name, parameter) pairs, PyTorch's names (``0.weight``), each once.

        Example:
            >>> import ndgrad
            >>> [n for n, _ in ndgrad.nn.Linear(2, 3).named_parameters()]
            ['weight', 'bias']
        """
        return self._named_tensors(True, prefix, recurse)

    def parameters(self, recurse=True):
        """Every parameter below this module, frozen ones included (PyTorch).

        Example:
            >>> import ndgrad
            >>> len(ndgrad.nn.Linear(2, 3).parameters())
            2
        """
        return [p for _, p in self.named_parameters(recurse=recurse)]

    def named_buffers(self, prefix="", recurse=True):
        """(name, buffer) pairs: non-trainable state such as running statistics."""
        return self._named_tensors(False, prefix, recurse)

    def buffers(self, recurse=True):
        """Non-trainable state: registered buffers and Variables made with trainable=False."""
        return [b for _, b in self.named_buffers(recurse=recurse)]

    @property
    def trainable_variables(self):
        """The parameters whose ``trainable`` flag is on (Keras).

        Example:
            >>> import ndgrad
            >>> layer = ndgrad.nn.Linear(2, 1); layer.trainable = False
            >>> layer.trainable_variables
            []
        """
        return [p for p in self.parameters() if p.trainable]

    trainable_weights = trainable_variables

    @property
    def non_trainable_variables(self):
        """Frozen parameters and non-trainable state (Keras)."""
        return [p for p in self.parameters() if not p.trainable] + self.buffers()

    non_trainable_weights = non_trainable_variables

    @property
    def variables(self):
        """Every parameter and every buffer (Keras's ``weights``)."""
        return self.parameters() + self.buffers()

    weights = variables

    def count_params(self):
        """The number of scalars in every parameter and buffer.

        Example:
            >>> import ndgrad
            >>> ndgrad.nn.Linear(3, 2).count_params()
            8
        """
        return sum(int(v.size) for v in self.variables)

    # ------------------------------------------------------------ registration
    def register_parameter(self, name, parameter):
        """Register ``parameter`` under ``name`` (None removes nothing, keeps a slot).

        Example:
            >>> import ndgrad
            >>> m = ndgrad.nn.Module(); m.register_parameter("w", ndgrad.nn.Parameter([1.0]))
            >>> [n for n, _ in m.named_parameters()]
            ['w']
        """
        if parameter is not None and not isinstance(parameter, Variable):
            raise TypeError(f"register_parameter: '{name}' must be a Parameter or Variable, "
                            f"got {type(parameter).__name__}")
        if parameter is not None:
            parameter._is_parameter = True
            if parameter.name is None:
                parameter.name = f"{self.name}/{name}"
        self._parameters[name] = parameter
        if parameter is None:
            self._parameters.pop(name)

    def register_buffer(self, name, tensor, persistent=True):
        """Register non-trainable state (saved in ``state_dict``, never trained).

        Example:
            >>> import ndgrad
            >>> m = ndgrad.nn.Module(); m.register_buffer("count", ndgrad.zeros(1))
            >>> [n for n, _ in m.named_buffers()]
            ['count']
        """
        if tensor is not None and not isinstance(tensor, Tensor):
            tensor = Tensor(tensor)
        if tensor is not None and tensor.trainable:
            raise ValueError(f"register_buffer: '{name}' is trainable; buffers are never "
                             "trained. Use register_parameter, or pass a constant.")
        self._buffers[name] = tensor
        object.__setattr__(self, name, tensor)

    def add_module(self, name, module):
        """Register ``module`` as a sub-module under ``name``.

        Example:
            >>> import ndgrad
            >>> m = ndgrad.nn.Module(); m.add_module("inner", ndgrad.nn.Identity())
            >>> [n for n, _ in m.named_children()]
            ['inner']
        """
        if not isinstance(module, ModuleTree):
            raise TypeError(f"add_module: '{name}' must be a Module, got {type(module).__name__}")
        setattr(self, name, module)

    def add_weight(self, name=None, shape=(), initializer=None, trainable=True, dtype=None,
                   **ignored):
        """Create, register and return a Variable named ``<layer>/<name>`` (Keras).

        Args:
            name: the weight's name within the layer.
            shape: its shape.
            initializer: a name ("glorot_uniform", "zeros", ...), an initializer
                object or a callable ``(shape, dtype) -> array`` (default:
                glorot_uniform for trainable weights, zeros otherwise).
            trainable: False makes non-trainable state (a buffer).
            dtype: default: the layer's dtype.

        Example:
            >>> import ndgrad
            >>> layer = ndgrad.layers.Layer(name="custom")
            >>> layer.add_weight("w", (2, 3), initializer="zeros").name
            'custom/w'
        """
        from . import init
        dtype = as_dtype(dtype) or self.dtype
        if initializer is None:
            initializer = "glorot_uniform" if trainable else "zeros"
        value = init.get(initializer)(tuple(shape), dtype=dtype)
        name = name or f"variable_{len(self._parameters) + len(self._buffers)}"
        variable = Variable(value, trainable=trainable, name=f"{self.name}/{name}", dtype=dtype)
        if not self._trainable and trainable:
            variable.trainable = False     # created inside a frozen layer
        (self._parameters if trainable else self._buffers)[name] = variable
        return variable
