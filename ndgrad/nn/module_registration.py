"""Registering what a Module holds by name: parameters, buffers (persistent or
not), sub-modules, Keras weights; and removing them with ``del``.

Plain attribute assignment registers too (``self.w = nn.Parameter(...)``); the
methods here are PyTorch's and Keras's explicit spellings. A name given to
``register_parameter`` or ``register_buffer`` is also an attribute, and a later
assignment to that attribute replaces the registered tensor, as in PyTorch.

``RegistrationMixin`` is a base of :class:`ndgrad.nn.Module`; it is not used alone.

Example:
    >>> import ndgrad
    >>> m = ndgrad.nn.Module()
    >>> m.register_buffer("step", ndgrad.zeros(()), persistent=False)
    >>> m.register_parameter("scale", ndgrad.nn.Parameter([2.0]))
    >>> m.scale.tolist(), list(m.state_dict())
    ([2.0], ['scale'])
"""

from ..dtypes import as_dtype
from ..tensor import Tensor
from ..variable import Variable


# The public attribute names ndgrad keeps for its own settings, and what for. A
# Module or Parameter assigned to one would not be registered, so it is refused.
RESERVED = {
    "training": "the train/eval flag (module.train(), module.eval())",
    "built": "whether the layer has built its weights (Keras)",
    "name": "the layer's name",
    "dtype": "the dtype of the weights the layer creates",
    "trainable": "freezing (layer.trainable = False)",
}


def _holds_members(value, depth=0):
    """Whether ``value`` is, or a list/tuple/dict holds, a Module or a Tensor."""
    from .module_tree import ModuleTree
    if isinstance(value, (ModuleTree, Tensor)):
        return True
    if depth < 4 and isinstance(value, (list, tuple)):
        return any(_holds_members(item, depth + 1) for item in value)
    if depth < 4 and isinstance(value, dict):
        return any(_holds_members(item, depth + 1) for item in value.values())
    return False


def check_reserved(module, key, value):
    """Refuse a Module or Tensor assigned to a name ndgrad keeps (``training``,
    ``built``, ``name``, ``dtype``, ``trainable``), naming it and what to do.

    Example:
        >>> from ndgrad.nn.module import check_reserved
        >>> import ndgrad
        >>> check_reserved(ndgrad.nn.Module(), "training", ndgrad.nn.Linear(2, 2))
        Traceback (most recent call last):
        AttributeError: Module: cannot assign a Linear to 'training': ndgrad keeps 'training' for the train/eval flag (module.train(), module.eval()), so it would not be registered; give it another name (e.g. 'training_layer')
    """
    if key in RESERVED and _holds_members(value):
        raise AttributeError(
            f"{type(module).__name__}: cannot assign a {type(value).__name__} to '{key}': "
            f"ndgrad keeps '{key}' for {RESERVED[key]}, so it would not be registered; give it "
            f"another name (e.g. '{key}_layer')")


def read_only_message(module, key):
    """The error for an assignment to one of ndgrad's read-only views (Keras's
    ``losses``, ``trainable_weights``...), or None when ``key`` is not one.

    Example:
        >>> from ndgrad.nn.module import read_only_message
        >>> import ndgrad
        >>> read_only_message(ndgrad.nn.Module(), "losses")[:40]
        "Module: 'losses' is ndgrad's read-only v"
    """
    found = getattr(type(module), key, None)
    if isinstance(found, property) and found.fset is None:
        return (f"{type(module).__name__}: '{key}' is ndgrad's read-only view of the layer "
                "(Keras's name), computed from what the layer holds; it cannot be assigned. "
                f"Give your attribute another name (e.g. '{key}_')")
    return None


def _check_new_name(module, kind, name):
    """PyTorch's rules for a registered name, checked before anything changes."""
    if not isinstance(name, str):
        raise TypeError(f"{kind}: the name must be a string, got {type(name).__name__}")
    if not name or "." in name:
        raise KeyError(f"{kind}: the name {name!r} must be non-empty and contain no '.'")
    known = name in module._parameters or name in module._buffers
    if name in module.__dict__ and not known and kind != "add_module":
        raise KeyError(f"{kind}: attribute '{name}' already exists on "
                       f"{type(module).__name__}; choose another name or del it first")


class RegistrationMixin:
    """``register_parameter``, ``register_buffer``, ``add_module``/``register_module``,
    ``add_weight`` and ``del module.name``."""

    def _configure(self, **settings):
        """Set attributes that are configuration, not members (what ``compile`` sets:
        ``optimizer``, ``loss``...): a loss module stored here is not a sub-module.
        A later plain assignment to one of these names makes it an ordinary attribute.

        Example:
            >>> import ndgrad
            >>> m = ndgrad.nn.Module(); m._configure(loss=ndgrad.nn.MSELoss())
            >>> m.children()
            []
        """
        configuration = self.__dict__.setdefault("_configuration", set())
        for key, value in settings.items():
            object.__setattr__(self, key, value)
            configuration.add(key)

    def _assign_registered(self, key, value):
        """Keep ``_parameters``/``_buffers`` in step when a registered name is assigned."""
        if key in self._parameters:
            if value is not None and not isinstance(value, Variable):
                raise TypeError(
                    f"cannot assign {type(value).__name__} as parameter '{key}' of "
                    f"{type(self).__name__}: give an nn.Parameter (or None), or del it first")
            if value is None:
                del self._parameters[key]
            else:
                value._is_parameter = True
                self._parameters[key] = value
        elif key in self._buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign {type(value).__name__} as buffer '{key}' of "
                                f"{type(self).__name__}: give a tensor (or None)")
            self._buffers[key] = value

    def __delattr__(self, name):
        removed = False
        for store in (self._parameters, self._buffers):
            if name in store:
                del store[name]
                removed = True
        self.__dict__.get("_non_persistent_buffers", set()).discard(name)
        if name in self.__dict__:
            del self.__dict__[name]
        elif not removed:
            object.__delattr__(self, name)      # the usual AttributeError

    def register_parameter(self, name, parameter):
        """Register ``parameter`` under ``name``, also as an attribute (None: no parameter).

        Example:
            >>> import ndgrad
            >>> m = ndgrad.nn.Module(); m.register_parameter("w", ndgrad.nn.Parameter([1.0]))
            >>> [n for n, _ in m.named_parameters()], m.w.tolist()
            (['w'], [1.0])
        """
        if parameter is not None and not isinstance(parameter, Variable):
            raise TypeError(f"register_parameter: '{name}' must be a Parameter or Variable, "
                            f"got {type(parameter).__name__}")
        _check_new_name(self, "register_parameter", name)
        self._buffers.pop(name, None)
        if parameter is None:
            self._parameters.pop(name, None)
        else:
            parameter._is_parameter = True
            if parameter.name is None:
                parameter.name = f"{self.name}/{name}"
            self._parameters[name] = parameter
        object.__setattr__(self, name, parameter)

    def register_buffer(self, name, tensor, persistent=True):
        """Register non-trainable state, never trained; ``persistent=False`` keeps it
        out of ``state_dict`` (PyTorch).

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
        _check_new_name(self, "register_buffer", name)
        self._parameters.pop(name, None)
        self._buffers[name] = tensor
        non_persistent = self.__dict__.setdefault("_non_persistent_buffers", set())
        if persistent:
            non_persistent.discard(name)
        else:
            non_persistent.add(name)
        object.__setattr__(self, name, tensor)

    def add_module(self, name, module):
        """Register ``module`` as a sub-module under ``name`` (an attribute too).

        Example:
            >>> import ndgrad
            >>> m = ndgrad.nn.Module(); m.add_module("inner", ndgrad.nn.Identity())
            >>> [n for n, _ in m.named_children()]
            ['inner']
        """
        from .module_tree import ModuleTree
        if module is not None and not isinstance(module, ModuleTree):
            raise TypeError(f"add_module: '{name}' must be a Module, got {type(module).__name__}")
        _check_new_name(self, "add_module", name)
        setattr(self, name, module)

    def register_module(self, name, module):
        """PyTorch's other name for :meth:`add_module`.

        Example:
            >>> import ndgrad
            >>> m = ndgrad.nn.Module(); m.register_module("head", ndgrad.nn.Linear(2, 1))
            >>> m.get_submodule("head").out_features
            1
        """
        self.add_module(name, module)

    def add_weight(self, name=None, shape=(), initializer=None, trainable=True, dtype=None,
                   regularizer=None, constraint=None, **ignored):
        """Create, register and return a Variable named ``<layer>/<name>`` (Keras).

        Args:
            name: the weight's name within the layer.
            shape: its shape.
            initializer: a name ("glorot_uniform", "zeros", ...), an initializer
                object or a callable ``(shape, dtype) -> array`` (default:
                glorot_uniform for trainable weights, zeros otherwise).
            trainable: False makes non-trainable state (a buffer).
            dtype: default: the layer's dtype.
            regularizer: a penalty on the weight (``"l2"``, a regularizer
                object or a callable), reported in ``losses``; default: the
                layer's ``<name>_regularizer=`` option, if any.
            constraint: not supported yet (refused when given).

        Keras 3's order, shape first (``add_weight((2, 3))``), is accepted too.

        Example:
            >>> import ndgrad
            >>> layer = ndgrad.layers.Layer(name="custom")
            >>> layer.add_weight("w", (2, 3), initializer="zeros").name
            'custom/w'
        """
        from . import init
        if name is not None and not isinstance(name, str):     # Keras 3: add_weight(shape, ...)
            if isinstance(shape, (list, tuple)) and shape:
                raise TypeError(f"{type(self).__name__}.add_weight: got two shapes, {name!r} and "
                                f"{shape!r}; pass name= and shape= by keyword")
            if initializer is None and shape != ():
                initializer = shape                # Keras 3's second place: the initializer
            name, shape = None, name
        if constraint is not None:
            raise NotImplementedError(f"{type(self).__name__}.add_weight: constraint= is not "
                                      "supported yet; clip or renormalize the weight yourself "
                                      "after each optimizer step")
        dtype = as_dtype(dtype) or self.dtype
        if initializer is None:
            initializer = "glorot_uniform" if trainable else "zeros"
        value = init.get(initializer)(tuple(shape), dtype=dtype)
        name = name or f"variable_{len(self._parameters) + len(self._buffers)}"
        variable = Variable(value, trainable=trainable, name=f"{self.name}/{name}", dtype=dtype)
        if not self._trainable and trainable:
            variable.trainable = False     # created inside a frozen layer
        (self._parameters if trainable else self._buffers)[name] = variable
        self._regularize_weight(name, variable, regularizer)
        return variable
