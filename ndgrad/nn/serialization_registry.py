"""Where saved configs find their classes and functions: user objects registered by
name, ``custom_objects``, and ndgrad's own namespaces.

Loading a model never imports a module named in the file and never runs code
from it. A name in a config resolves, in this order, to

1. a user class or function given in ``custom_objects`` (to ``load_model`` or
   ``from_config``), in an active :class:`CustomObjectScope`, or registered
   with :func:`register_keras_serializable` (by its registered name
   ``"package>name"`` first, then by its plain name);
2. a class of ndgrad itself, looked up in the namespace the file names when
   that is one of ndgrad's modules, else in ndgrad's public namespaces
   (``ndgrad.layers``, ``ndgrad.models``, initializers, ...). Only classes
   deriving from the bases in :data:`SERIALIZABLE_BASES` (layers, models,
   initializers, optimizers, schedules, metrics, regularizers, losses) are
   accepted, so a file cannot make ndgrad construct, say, a callback that
   writes files.

Example:
    >>> from ndgrad.nn.serialization import resolve_class
    >>> from ndgrad.keras.saving import get_registered_name
    >>> from ndgrad.keras.utils import register_keras_serializable
    >>> import ndgrad
    >>> @register_keras_serializable(package="Docs")
    ... class Twice(ndgrad.layers.Layer):
    ...     def call(self, inputs):
    ...         return inputs * 2
    >>> form = {"class_name": "Twice", "registered_name": "Docs>Twice"}
    >>> get_registered_name(Twice), resolve_class(form) is Twice
    ('Docs>Twice', True)
"""

import importlib
import re
import threading

__all__ = ["register_keras_serializable", "get_registered_name", "get_registered_object",
           "get_custom_objects", "CustomObjectScope", "custom_object_scope", "resolve_class",
           "namespace_of", "SERIALIZABLE_BASES"]

_REGISTERED = {}        # "package>name" and plain names -> object (Keras's global custom objects)
_NAME_OF = {}           # object -> "package>name"
_scopes = threading.local()

# (module, attribute) of the base classes a config may construct; missing ones are skipped.
SERIALIZABLE_BASES = (
    ("ndgrad.nn.module", "Module"),
    ("ndgrad.nn.initializers", "Initializer"),
    ("ndgrad.optim.optimizer", "Optimizer"),
    ("ndgrad.optim.schedules", "LearningRateSchedule"),
    ("ndgrad.training.metrics.base", "Metric"),
    ("ndgrad.nn.regularizers", "Regularizer"),
    ("ndgrad.nn.constraints", "Constraint"),
    ("ndgrad.keras.losses", "Loss"),
)

# Public namespaces searched (in order) for a class named in a config.
_NAMESPACES = ("ndgrad.layers", "ndgrad.models", "ndgrad.nn", "ndgrad.nn.initializers",
               "ndgrad.optim", "ndgrad.optim.schedules", "ndgrad.training.metrics",
               "ndgrad.nn.regularizers", "ndgrad.keras.layers", "ndgrad.keras.losses",
               "ndgrad.keras.initializers", "ndgrad.keras.regularizers")

_NDGRAD_MODULE = re.compile(r"^ndgrad(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def register_keras_serializable(package="Custom", name=None):
    """Decorator: make a user class or function loadable by name (Keras's spelling).

    Args:
        package: a prefix that keeps names from different code apart.
        name: the name to register under (default: the object's ``__name__``).

    Example:
        >>> from ndgrad.keras.saving import get_registered_object
        >>> from ndgrad.keras.utils import register_keras_serializable
        >>> @register_keras_serializable(package="Docs", name="cube")
        ... def cube(x):
        ...     return x ** 3
        >>> get_registered_object("Docs>cube") is cube
        True
    """
    def register(obj):
        registered = f"{package}>{name or obj.__name__}"
        if isinstance(obj, type) and not hasattr(obj, "get_config"):
            raise TypeError(f"register_keras_serializable: {obj.__name__} has no get_config(); "
                            "a registered class must be able to describe itself")
        _REGISTERED[registered] = obj
        _NAME_OF[obj] = registered
        return obj
    return register


def get_registered_name(obj):
    """The name ``obj`` was registered under, else its ``__name__``.

    Example:
        >>> from ndgrad.keras.saving import get_registered_name
        >>> def plain(x):
        ...     return x
        >>> get_registered_name(plain)
        'plain'
    """
    try:
        registered = _NAME_OF.get(obj)
    except TypeError:                       # unhashable
        registered = None
    return registered or getattr(obj, "__name__", type(obj).__name__)


def get_custom_objects():
    """The global dict of registered objects (Keras's ``get_custom_objects()``);
    adding ``{"MyLayer": MyLayer}`` to it registers MyLayer by that name.

    Example:
        >>> from ndgrad.keras.utils import get_custom_objects
        >>> isinstance(get_custom_objects(), dict)
        True
    """
    return _REGISTERED


class CustomObjectScope:
    """Context manager: names in ``custom_objects`` resolve to these objects inside it.

    Example:
        >>> from ndgrad.keras.saving import get_registered_object
        >>> from ndgrad.keras.utils import CustomObjectScope
        >>> import ndgrad
        >>> class Mine(ndgrad.layers.Layer):
        ...     pass
        >>> with CustomObjectScope({"Mine": Mine}):
        ...     get_registered_object("Mine") is Mine
        True
        >>> get_registered_object("Mine") is None
        True
    """

    def __init__(self, *custom_objects):
        self.objects = {}
        for objects in custom_objects:
            self.objects.update(objects or {})

    def __enter__(self):
        _stack().append(self.objects)
        return self

    def __exit__(self, *exc):
        _stack().pop()


custom_object_scope = CustomObjectScope


def _stack():
    if not hasattr(_scopes, "stack"):
        _scopes.stack = []
    return _scopes.stack


def get_registered_object(name, custom_objects=None):
    """The user object known by ``name``: in ``custom_objects``, an active scope, or
    the registry (None if unknown).

    Example:
        >>> from ndgrad.keras.saving import get_registered_object
        >>> get_registered_object("NoSuchThing") is None
        True
    """
    if name is None:
        return None
    for objects in [custom_objects or {}, *reversed(_stack()), _REGISTERED]:
        if name in objects:
            return objects[name]
    return None


def _allowed_bases():
    bases = []
    for module_name, attribute in SERIALIZABLE_BASES:
        try:
            bases.append(getattr(importlib.import_module(module_name), attribute))
        except (ImportError, AttributeError):
            continue
    return tuple(bases)


def _ndgrad_namespace(module_name):
    if not isinstance(module_name, str) or not _NDGRAD_MODULE.match(module_name):
        return None
    try:
        return importlib.import_module(module_name)
    except ImportError:
        return None


def namespace_of(cls):
    """The public ndgrad namespace that holds ``cls`` under its name (saved in configs),
    else the module it was defined in.

    Example:
        >>> from ndgrad.nn.serialization import namespace_of
        >>> import ndgrad
        >>> namespace_of(ndgrad.layers.Dense), namespace_of(ndgrad.nn.Linear)
        ('ndgrad.layers', 'ndgrad.nn')
    """
    for module_name in _NAMESPACES:
        module = _ndgrad_namespace(module_name)
        if module is not None and getattr(module, cls.__name__, None) is cls:
            return module_name
    return cls.__module__


def resolve_class(config, custom_objects=None, where="config"):
    """The class a ``{"module", "class_name", "registered_name"}`` config names.

    Raises:
        ValueError: naming the class and how to make it known, when no user
            object, registered object or allowed ndgrad class has that name.

    Example:
        >>> from ndgrad.nn.serialization import resolve_class
        >>> import ndgrad
        >>> resolve_class({"module": "ndgrad.layers", "class_name": "Dense"}) is ndgrad.layers.Dense
        True
    """
    class_name = config.get("class_name")
    if not isinstance(class_name, str):
        raise ValueError(f"{where}: 'class_name' must be a string; got {class_name!r}")
    for key in (config.get("registered_name"), class_name):
        found = get_registered_object(key, custom_objects)
        if found is not None:
            return found
    allowed = _allowed_bases()
    module_name = config.get("module")
    candidates = ([module_name] if _ndgrad_namespace(module_name) is not None else []) + list(
        _NAMESPACES)
    for candidate in candidates:
        module = _ndgrad_namespace(candidate)
        found = getattr(module, class_name, None) if module is not None else None
        if isinstance(found, type) and issubclass(found, allowed):
            return found
    raise ValueError(
        f"{where}: unknown class {class_name!r} (module {module_name!r}). If it is your own "
        f"class, pass custom_objects={{'{class_name}': {class_name}}} when loading, or decorate "
        "it with @keras.saving.register_keras_serializable(); ndgrad never imports code named "
        "in a saved file.")
