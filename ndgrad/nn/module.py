"""Module: the one base class of layers and models, under both faces.

``ndgrad.nn.Module`` and ``ndgrad.layers.Layer`` are the same class. A module
finds its parameters, buffers and sub-modules by walking its attributes, so a
Parameter kept in a plain list, tuple or dict is registered too (PyTorch would
silently skip it). Subclasses define ``forward(*args)`` (PyTorch) or
``call(inputs, training=None)`` (Keras); ``__call__`` runs whichever exists,
after a lazy ``build(input_shape)`` on the first call, and the hooks registered with
``register_forward_pre_hook``/``register_forward_hook`` (see ``module_hooks``).

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

import functools
import inspect
import threading
import weakref

from ..autograd.breaks import mark_inference, user_site
from ..autograd.mode import state as _grad_state
from ..dtypes import as_dtype, float32
from ..tensor import Tensor
from ..variable import Variable
from .added_losses import AddedLosses, begin_call, end_call
from .layer_config import LayerConfigMixin
from .module_devices import DevicesMixin
from .module_building import check_buildable, first_call, guarded_build
from .layer_names import _snake_case, keras_exports, reset_names, unique_name  # noqa: F401 - re-exported
from .module_hooks import HooksMixin
from .module_registration import RESERVED, check_reserved, read_only_message
from .module_tree import _INTERNAL, ModuleTree
from .symbolic import call_symbolically, has_symbolic
from .symbolic import seen as symbolic_seen

_MAY_HOLD_MEMBERS = (Tensor, ModuleTree, list, tuple, dict)


class _CallContext(threading.local):
    def __init__(self):
        self.training = None     # set by an explicit ``training=`` on an outer call


_context = _CallContext()


class Module(ModuleTree, HooksMixin, AddedLosses, LayerConfigMixin, DevicesMixin):
    """Base class of every layer and model.

    Args:
        name: a readable name (default: the class name in snake case, made
            unique: ``dense``, ``dense_1``).
        trainable: False builds the module frozen.
        dtype: the dtype of the weights it creates (default float32).
        input_shape: (Keras) the shape of one input without the batch
            dimension; the module is built at once.
        activity_regularizer: (Keras) a penalty on the output, added to
            ``losses`` at each call; ``kernel_regularizer=`` and other
            ``<weight>_regularizer=`` options regularize the weights the layer
            creates with ``add_weight`` (see :mod:`ndgrad.nn.added_losses`).

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
            guarded = guarded_build(build)     # a build that raises changes nothing

            @functools.wraps(build)
            def build_and_mark(self, *shapes, **kwargs):
                result = guarded(self, *shapes, **kwargs)
                self.built = True
                if type(self).build is build_and_mark:      # the most derived build only
                    self._check_regularized_weights()
                return result
            build_and_mark._marks_built = True
            cls.build = build_and_mark

    def __init__(self, *, name=None, trainable=True, dtype=None, input_shape=None,
                 input_dim=None, activity_regularizer=None, **unknown):
        regularizer_options = {key: unknown.pop(key) for key in list(unknown)
                               if key.endswith(("_regularizer", "_constraint"))}
        if unknown:
            raise TypeError(f"{type(self).__name__}: unexpected arguments {sorted(unknown)}")
        if input_dim is not None and input_shape is None:
            input_shape = (input_dim,)
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_buffers", {})
        self.name = name or unique_name(_snake_case(type(self).__name__))
        self._named_by_user = bool(name)      # summary(): a name given wins over the path
        self.training = True
        self._trainable = bool(trainable)
        self.dtype = as_dtype(dtype) or float32
        self.built = False
        self._input_shape = tuple(input_shape) if input_shape is not None else None
        self._output_shape = None
        if activity_regularizer is not None or regularizer_options:
            self._configure_regularizers(activity_regularizer, regularizer_options)

    def __setattr__(self, key, value):
        members = self.__dict__
        if "_parameters" not in members:
            if isinstance(value, (Module, Tensor)):
                raise AttributeError(
                    f"cannot assign {type(value).__name__} '{key}' before Module.__init__() "
                    f"ran: call super().__init__() first in {type(self).__name__}.__init__")
        elif key in members["_parameters"] or key in members["_buffers"]:
            self._assign_registered(key, value)
        else:
            if key in RESERVED and isinstance(value, _MAY_HOLD_MEMBERS):
                check_reserved(self, key, value)
            configuration = members.get("_configuration")
            if configuration and key in configuration:
                configuration.discard(key)          # the user's own attribute now
        if isinstance(value, Variable) and value.name is None and key not in _INTERNAL:
            value.name = f"{self.__dict__.get('name', type(self).__name__)}/{key}"
        try:
            object.__setattr__(self, key, value)
        except AttributeError:
            message = read_only_message(self, key)
            if message is None:
                raise
            raise AttributeError(message) from None

    # ------------------------------------------------------------ calling
    def build(self, input_shape):
        """Create weights that depend on the input shape (override; called once)."""

    def _build_once(self, args):
        first = args[0] if args else None
        if isinstance(first, (list, tuple)) and first and all(
                getattr(item, "shape", None) is not None for item in first):
            shape = [tuple(item.shape) for item in first]     # Keras: a list of shapes
        else:
            shape = getattr(first, "shape", None)
            shape = tuple(shape) if shape is not None else None
        if shape is not None:
            self._build_input_shape = shape
            if type(self).build is not Module.build:
                self.build(shape)
        elif type(self).build is not Module.build:
            check_buildable(self, first)
        self.built = True
        self._check_regularized_weights()

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
        if not self.built:          # the first call builds; if it fails, nothing changed
            return first_call(self, self._call, args, kwargs)
        return self._call(args, kwargs)

    def _call(self, args, kwargs):
        if symbolic_seen.any and has_symbolic(args, kwargs):    # Keras's functional API
            return call_symbolically(self, args, kwargs)
        hooked = self._module_hooks
        if hooked is not None:
            args, kwargs, hooked = hooked.before_forward(self, args, kwargs)
        training = kwargs.pop("training", None)
        if not self.built:
            self._build_once(args)
        previous = _context.training
        if training is not None:
            _context.training = bool(training)
        begin_call(self)
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
            end_call()
        if hooked is not None:
            out = hooked.after_forward(out)
        if isinstance(out, Tensor) and out._rg and _is_outermost_inference(training):
            mark_inference(out, functools.partial(_holds_keras_layers, weakref.ref(self)))
        if self.activity_regularizer is not None:
            self._add_activity_loss(out)
        shape = getattr(out, "shape", None)
        # a plain setting: skip __setattr__'s registration checks on every call
        self.__dict__["_output_shape"] = tuple(shape) if shape is not None else None
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
        frozen_by = None if value else (f"layer '{self.name}' (trainable=False)", user_site())
        for parameter in self.parameters():
            parameter.trainable = value
            parameter._frozen_by = frozen_by

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

    # ------------------------------------------------------------ state
    def state_dict(self, destination=None, prefix="", keep_vars=False):
        """Parameters and persistent buffers by PyTorch's names (``0.weight``), in
        PyTorch's order; see :func:`ndgrad.nn.state.state_dict`."""
        from .state import state_dict
        return state_dict(self, destination, prefix, keep_vars)

    def load_state_dict(self, state, strict=True):
        """Load tensors or NumPy arrays by name; all checks happen before any write."""
        from .state import load_state_dict
        return load_state_dict(self, state, strict)

    def save_weights(self, path):
        """Write parameters and buffers to a safetensors file (``ndgrad.io.save_weights``).

        Example:
            >>> import os, tempfile, ndgrad
            >>> layer = ndgrad.nn.Linear(2, 1)
            >>> path = os.path.join(tempfile.mkdtemp(), "linear.safetensors")
            >>> layer.save_weights(path)
            >>> other = ndgrad.nn.Linear(2, 1); _ = other.load_weights(path)
            >>> other.weight.tolist() == layer.weight.tolist()
            True
        """
        from ..io import save_weights
        save_weights(self, path)

    def load_weights(self, path, strict=True):
        """Load a safetensors file written by ``save_weights`` (or by PyTorch's
        ``safetensors.torch.save_file`` with matching names); checked before any write."""
        from ..io import load_weights
        return load_weights(self, path, strict=strict)

    def get_weights(self):
        """Every variable's value as a NumPy array (Keras)."""
        return [v.numpy().copy() for v in self.variables]

    def set_weights(self, weights):
        """Set every variable from a list of arrays in ``get_weights`` order (Keras)."""
        from .state import set_weights
        set_weights(self, weights)

    def summary(self, print_fn=print, gradients=False, *, expand_nested=False, line_length=None):
        """Print a Keras-like table: layer, output shape, parameters, trainable;
        ``gradients=True`` adds each layer's gradient norm (after a backward).
        See :func:`ndgrad.nn.summary.summary`."""
        from .summary import summary
        return summary(self, print_fn, gradients, expand_nested=expand_nested,
                       line_length=line_length)


_accepts_cache = {}


def _is_outermost_inference(training):
    """Whether this call may be a Keras-style model's inference: the outermost call,
    not ``training=True``, no GradientTape recording. Keras gives no gradient there;
    converting the output to NumPy then needs no GradientBreakWarning, if the model
    holds layers written Keras's way (``_holds_keras_layers``, asked only then)."""
    if training or _context.training or _grad_state.tapes or not _grad_state.enabled:
        return False
    from .added_losses import _calls
    return not _calls.depth


def _holds_keras_layers(module_ref):
    """Whether the module still alive behind ``module_ref`` holds a layer written
    Keras's way (``call``, not ``forward``)."""
    module = module_ref()
    return module is not None and any(
        type(m).forward is Module.forward and type(m).call is not Module.call
        for m in module.modules())


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
