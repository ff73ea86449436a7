"""Module: the one base class of layers and models, under both faces.

``ndgrad.nn.Module`` and ``ndgrad.layers.Layer`` are the same class. A module
finds its parameters, buffers and sub-modules by walking its attributes, so a
Parameter kept in a plain list, tuple or dict is registered too (PyTorch would
silently skip it). Subclasses define ``forward(*args)`` (PyTorch) or
``call(inputs, training=None)`` (Keras); ``__call__`` runs whichever exists,
after a lazy ``build(input_shape)`` on the first call.

What is a parameter: an ``nn.Parameter``, or a ``Variable`` created trainable
(``add_weight(trainable=True)`` included). A Variable created with
``trainable=False`` and tensors given to ``register_buffer`` are buffers:
state that is saved and loaded but never trained. Freezing a module
(``module.trainable = False``) turns off its parameters' flags, which
optimizers read at every step; buffers are untouched by (un)freezing.

Example:
    >>> import ndgrad
    >>> class Affine(ndgrad.nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.scale = ndgrad.nn.Parameter([2.0])
    ...         self.extras = [ndgrad.nn.Parameter([1.0])]   # registered, even in a list
    ...     def forward(self, x):
    ...         return x * self.scale + self.extras[0]
    >>> m = Affine()
    >>> [name for name, _ in m.named_parameters()]
    ['scale', 'extras.0']
    >>> m(ndgrad.tensor([1.0])).tolist()
    [3.0]
"""

import collections
import functools
import inspect
import re
import threading

from ..dtypes import as_dtype, float32
from ..tensor import Tensor
from ..variable import Variable

_name_counts = collections.Counter()
_INTERNAL = frozenset(["_parameters", "_buffers", "_trainable", "training", "built", "name",
                       "dtype", "_input_shape", "_output_shape", "_build_input_shape",
                       # set by compile(): a loss module is configuration, not a layer
                       "optimizer", "loss", "compiled_loss", "compiled_metrics"])


class _CallContext(threading.local):
    def __init__(self):
        self.training = None     # set by an explicit ``training=`` on an outer call


_context = _CallContext()


def _snake_case(name):
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def unique_name(base):
    """``base``, then ``base_1``, ``base_2``, ... (Keras's layer names).

    Example:
        >>> unique_name("doc_example_layer"), unique_name("doc_example_layer")
        ('doc_example_layer', 'doc_example_layer_1')
    """
    count = _name_counts[base]
    _name_counts[base] += 1
    return base if count == 0 else f"{base}_{count}"


def reset_names():
    """Restart layer naming (``dense``, ``dense_1``, ...) from scratch.

    Example:
        >>> import ndgrad
        >>> ndgrad.nn.reset_names(); ndgrad.nn.Module().name
        'module'
    """
    _name_counts.clear()


def keras_exports(classes):
    """Name Keras-face classes as Keras does and return them for ``ndgrad.layers``.

    A family module defines e.g. ``Conv2DKeras`` beside ``Conv2d``; renaming it
    ``Conv2D`` makes reprs, summaries and default layer names (``conv2d``) Keras's.

    Example:
        >>> class DemoKeras(Module):
        ...     pass
        >>> keras_exports({"Demo": DemoKeras})["Demo"].__name__
        'Demo'
    """
    for keras_name, layer_class in classes.items():
        layer_class.__name__ = layer_class.__qualname__ = keras_name
    return classes


def _is_parameter(value):
    return isinstance(value, Variable) and value._is_parameter


def _members(value, prefix, depth=0):
    """(name, member) for the Modules and Tensors inside a container attribute."""
    if isinstance(value, (Module, Tensor)):
        yield prefix, value
    elif depth < 4 and isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _members(item, f"{prefix}.{i}", depth + 1)
    elif depth < 4 and isinstance(value, dict):
        for key, item in value.items():
            yield from _members(item, f"{prefix}.{key}", depth + 1)


class Module:
    """Base class of every layer and model.

    Args:
        name: a readable name (default: the class name in snake case, made
            unique: ``dense``, ``dense_1``).
        trainable: False builds the module frozen.
        dtype: the dtype of the weights it creates (default float32).
        input_shape: (Keras) the shape of one input without the batch
            dimension; the module is built at once.

    Example:
        >>> import ndgrad
        >>> class Scale(ndgrad.layers.Layer):
        ...     def build(self, input_shape):
        ...         self.w = self.add_weight("w", (input_shape[-1],), initializer="ones")
        ...     def call(self, inputs, training=None):
        ...         return inputs * self.w
        >>> layer = Scale()
        >>> layer(ndgrad.ones((2, 3))).shape, [v.name for v in layer.trainable_variables]
        ((2, 3), ['scale/w'])
    """

    def __init_subclass__(cls, **kwargs):
        # A build() called directly (Keras allows layer.build(shape)) marks the
        # layer built, so the first call does not build it again over the weights.
        super().__init_subclass__(**kwargs)
        build = cls.__dict__.get("build")
        if build is not None and not getattr(build, "_marks_built", False):
            @functools.wraps(build)
            def build_and_mark(self, *shapes, **kwargs):
                result = build(self, *shapes, **kwargs)
                self.built = True
                return result
            build_and_mark._marks_built = True
            cls.build = build_and_mark

    def __init__(self, *, name=None, trainable=True, dtype=None, input_shape=None,
                 input_dim=None, **unknown):
        if unknown:
            raise TypeError(f"{type(self).__name__}: unexpected arguments {sorted(unknown)}")
        if input_dim is not None and input_shape is None:
            input_shape = (input_dim,)
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_buffers", {})
        self.name = name or unique_name(_snake_case(type(self).__name__))
        self.training = True
        self._trainable = bool(trainable)
        self.dtype = as_dtype(dtype) or float32
        self.built = False
        self._input_shape = tuple(input_shape) if input_shape is not None else None
        self._output_shape = None

    def __setattr__(self, key, value):
        if "_parameters" not in self.__dict__ and isinstance(value, (Module, Tensor)):
            raise AttributeError(
                f"cannot assign {type(value).__name__} '{key}' before Module.__init__() "
                f"ran: call super().__init__() first in {type(self).__name__}.__init__")
        if isinstance(value, Variable) and value.name is None and key not in _INTERNAL:
            value.name = f"{self.__dict__.get('name', type(self).__name__)}/{key}"
        object.__setattr__(self, key, value)

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
            if isinstance(member, Module) and id(member) not in seen:
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
        if not isinstance(module, Module):
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

    # ------------------------------------------------------------ calling
    def build(self, input_shape):
        """Create weights that depend on the input shape (override; called once)."""

    def _build_once(self, args):
        shape = getattr(args[0], "shape", None) if args else None
        if type(self).build is not Module.build and shape is not None:
            self._build_input_shape = tuple(shape)
            self.build(tuple(shape))
        self.built = True

    def build_from_input_shape(self):
        """Build now when ``input_shape=`` was given (Keras); layers call this at the
        end of their ``__init__``, once their own settings exist."""
        if self._input_shape is not None and not self.built:
            self.build((None,) + tuple(self._input_shape))
            self.built = True

    def training_mode(self, training=None):
        """Whether this call should behave as in training: an explicit ``training``
        wins, then one given to an enclosing call, then ``self.training``."""
        if training is not None:
            return bool(training)
        if _context.training is not None:
            return _context.training
        return self.training

    def __call__(self, *args, **kwargs):
        training = kwargs.pop("training", None)
        if not self.built:
            self._build_once(args)
        previous = _context.training
        if training is not None:
            _context.training = bool(training)
        try:
            if type(self).forward is not Module.forward:
                if training is not None and _accepts(self.forward, "training"):
                    kwargs["training"] = training
                out = self.forward(*args, **kwargs)
            elif type(self).call is not Module.call:
                if _accepts(self.call, "training"):
                    kwargs["training"] = self.training_mode(training)
                out = self.call(*args, **kwargs)
            else:
                raise NotImplementedError(
                    f"{type(self).__name__} defines neither forward(...) (PyTorch style) nor "
                    "call(inputs, training=None) (Keras style)")
        finally:
            _context.training = previous
        shape = getattr(out, "shape", None)
        self._output_shape = tuple(shape) if shape is not None else None
        return out

    def forward(self, *args, **kwargs):
        """The computation, PyTorch style (override this or ``call``)."""
        raise NotImplementedError

    def call(self, inputs, training=None):
        """The computation, Keras style (override this or ``forward``)."""
        raise NotImplementedError

    # ------------------------------------------------------------ modes and freezing
    def train(self, mode=True):
        """Set training mode on this module and every module below; returns self.

        Example:
            >>> import ndgrad
            >>> ndgrad.nn.Dropout(0.5).eval().training
            False
        """
        for module in self.modules():
            module.training = bool(mode)
        return self

    def eval(self):
        """Set inference mode (``train(False)``); returns self."""
        return self.train(False)

    @property
    def trainable(self):
        """Whether this module trains. Setting False freezes every parameter below
        (optimizers skip them: no update, no decay, no momentum) and makes
        normalization layers below use and keep their running statistics."""
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        value = bool(value)
        for module in self.modules():
            module._trainable = value
        for parameter in self.parameters():
            parameter.trainable = value

    def freeze(self):
        """``trainable = False``; returns self."""
        self.trainable = False
        return self

    def unfreeze(self):
        """``trainable = True``; returns self."""
        self.trainable = True
        return self

    def requires_grad_(self, requires_grad=True):
        """PyTorch's spelling of setting ``trainable``; returns self."""
        self.trainable = requires_grad
        return self

    def zero_grad(self, set_to_none=True):
        """Clear the gradients of every parameter."""
        for parameter in self.parameters():
            parameter.zero_grad(set_to_none=set_to_none)

    def apply(self, function):
        """Call ``function(module)`` on every sub-module, then on this one; returns self."""
        for module in reversed(self.modules()):
            function(module)
        return self

    def to(self, dtype):
        """Cast every floating parameter and buffer to ``dtype`` in place; returns self."""
        dtype = as_dtype(dtype)
        if dtype.kind != "f":
            raise TypeError(f"to: modules hold floating weights; cannot cast to {dtype}")
        for tensor in self.variables:
            if tensor.dtype.kind == "f" and tensor.dtype != dtype:
                tensor.data = tensor.data.astype(dtype)
                tensor.grad = None
                tensor._bump_version(site=f"{type(self).__name__}.to")
        for module in self.modules():
            module.dtype = dtype
        return self

    def float(self):
        return self.to(float32)

    def double(self):
        return self.to("float64")

    # ------------------------------------------------------------ state
    def state_dict(self):
        """Parameters and buffers by PyTorch-style name (``0.weight``), as tensors."""
        from .state import state_dict
        return state_dict(self)

    def load_state_dict(self, state, strict=True):
        """Load tensors or NumPy arrays by name; all checks happen before any write."""
        from .state import load_state_dict
        return load_state_dict(self, state, strict)

    def get_weights(self):
        """Every variable's value as a NumPy array (Keras)."""
        return [v.numpy().copy() for v in self.variables]

    def set_weights(self, weights):
        """Set every variable from a list of arrays in ``get_weights`` order (Keras)."""
        from .state import set_weights
        set_weights(self, weights)

    def summary(self, print_fn=print):
        """Print a Keras-like table: layer, output shape, parameters, trainable."""
        from .summary import summary
        return summary(self, print_fn)

    def extra_repr(self):
        """Extra text shown in this module's repr (override)."""
        return ""

    def __repr__(self):
        children = [f"  ({name}): " + repr(child).replace("\n", "\n  ")
                    for name, child in self.named_children()]
        head = f"{type(self).__name__}({self.extra_repr()}"
        return head + ")" if not children else head + "\n" + "\n".join(children) + "\n)"


_accepts_cache = {}


def _accepts(method, name):
    """Whether a bound method takes keyword ``name`` (cached per function)."""
    function = getattr(method, "__func__", method)
    key = (function, name)
    found = _accepts_cache.get(key)
    if found is None:
        try:
            parameters = inspect.signature(function).parameters
            found = name in parameters or any(p.kind is p.VAR_KEYWORD
                                              for p in parameters.values())
        except (TypeError, ValueError):
            found = False
        _accepts_cache[key] = found
    return found
