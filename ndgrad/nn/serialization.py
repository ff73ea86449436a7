"""Configs as JSON: values, functions and objects (layers, initializers, ...) to and from
plain dicts, lists, strings and numbers.

The forms follow Keras 3's: an object is ``{"module", "class_name", "config",
"registered_name"}`` (a layer also has ``"build_config"``); a tuple is
``{"class_name": "__tuple__", "config": {"value": [...]}}`` so that it comes
back a tuple; an activation function is its name (``"relu"``); another
function is ``{"class_name": "function", "module", "config": name}``. A small
NumPy array is stored as its values (``"__ndarray__"``). No form holds code:
lambdas and local functions are refused with a message that says how to make
them saveable, and loading resolves names as
:mod:`ndgrad.nn.serialization_registry` describes.

Example:
    >>> from ndgrad.keras.saving import deserialize_value
    >>> from ndgrad.keras.saving import serialize_value
    >>> import ndgrad
    >>> value = serialize_value({"kernel_size": (3, 3), "activation": ndgrad.ops.relu}, "demo")
    >>> value["activation"], value["kernel_size"]["class_name"]
    ('relu', '__tuple__')
    >>> deserialize_value(value)["kernel_size"]
    (3, 3)
"""

import importlib

import numpy as np

from ..tensor import Tensor
from .serialization_registry import get_registered_object, namespace_of, resolve_class, _NAME_OF

__all__ = ["serialize_value", "deserialize_value", "serialize_function",
           "deserialize_function", "serialize_object", "deserialize_object"]

_ARRAY_LIMIT = 65536          # elements: a config holds settings, not weights

# Namespaces whose public functions a saved graph may name.
_FUNCTION_NAMESPACES = ("ndgrad.ops", "ndgrad.keras.ops", "ndgrad.keras.activations",
                        "ndgrad.nn.functional")


def _activation_name(function):
    from . import activation_names
    for name, known in activation_names._ACTIVATIONS.items():
        if known is function:
            return name
    return None


def _builtin_reference(function):
    """``(namespace, name)`` of an ndgrad op or a NumPy function ndgrad implements."""
    for module_name in _FUNCTION_NAMESPACES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        name = getattr(function, "__name__", None)
        found = getattr(module, name, None) if name and not name.startswith("_") else None
        # keras.ops wraps each function (functools.wraps) to route it: match the inner one too
        if found is not None and (found is function or getattr(found, "__wrapped__", None)
                                  is function):
            return module_name, name
    from .. import numpy_api
    if function in numpy_api.UFUNCS or function in numpy_api.FUNCTIONS:
        return "numpy", function.__name__
    return None


def serialize_function(function, where):
    """A saveable reference to ``function`` (see the module); refuses lambdas.

    Example:
        >>> from ndgrad.nn.serialization import serialize_function
        >>> import ndgrad
        >>> serialize_function(ndgrad.ops.tanh, "demo")
        'tanh'
        >>> serialize_function(ndgrad.ops.concatenate, "demo")["module"]
        'ndgrad.ops'
    """
    name = _activation_name(function)
    if name is not None:
        return name
    reference = _builtin_reference(function)
    if reference is not None:
        return {"class_name": "function", "module": reference[0], "config": reference[1],
                "registered_name": None}
    registered = _NAME_OF.get(function) if _hashable(function) else None
    qualified = getattr(function, "__qualname__", "")
    if registered is None and ("<lambda>" in qualified or "<locals>" in qualified
                               or not hasattr(function, "__name__")):
        raise ValueError(
            f"{where}: the function {getattr(function, '__name__', function)!r} is a lambda, a "
            "local function or a callable object, which cannot be saved without pickling code "
            "(ndgrad never does). Define it at module level with def and decorate it with "
            "@keras.saving.register_keras_serializable(), then pass it in custom_objects or "
            "import it before loading.")
    return {"class_name": "function", "module": getattr(function, "__module__", None),
            "config": function.__name__, "registered_name": registered}


def _hashable(value):
    try:
        hash(value)
        return True
    except TypeError:
        return False


def deserialize_function(reference, where, custom_objects=None):
    """The function a reference names (a callable is returned as it is).

    Example:
        >>> from ndgrad.nn.serialization import deserialize_function
        >>> import ndgrad
        >>> deserialize_function("relu", "demo")(ndgrad.tensor([-1.0])).tolist()
        [0.0]
    """
    if callable(reference):
        return reference
    if isinstance(reference, str):
        found = get_registered_object(reference, custom_objects)
        if found is not None:
            return found
        from . import activation_names
        return activation_names.get(reference)
    if isinstance(reference, dict) and reference.get("class_name") == "function":
        name = reference.get("config")
        for key in (reference.get("registered_name"), name):
            found = get_registered_object(key, custom_objects)
            if found is not None:
                return found
        module_name = reference.get("module")
        if module_name in _FUNCTION_NAMESPACES or module_name == "numpy":
            function = _namespace_function(module_name, name)
            if function is not None:
                return function
        raise ValueError(f"{where}: unknown function {name!r} (module {module_name!r}); pass "
                         f"custom_objects={{'{name}': {name}}} when loading, or register it "
                         "with @keras.saving.register_keras_serializable()")
    raise TypeError(f"{where}: expected a function or a function reference; got "
                    f"{type(reference).__name__}")


def _namespace_function(module_name, name):
    if not isinstance(name, str) or name.startswith("_"):
        return None
    if module_name == "numpy":
        from .. import numpy_api
        function = getattr(np, name, None)
        supported = function in numpy_api.UFUNCS or function in numpy_api.FUNCTIONS
        return function if supported else None
    try:
        function = getattr(importlib.import_module(module_name), name, None)
    except ImportError:
        return None
    return function if callable(function) and not isinstance(function, type) else None


def _array_form(value, where):
    array = value.numpy() if isinstance(value, Tensor) else np.asarray(value)
    if array.size > _ARRAY_LIMIT:
        raise TypeError(f"{where}: an array of {array.size} elements is too large for a "
                        "config; configs hold settings, and weights are saved separately")
    return {"class_name": "__ndarray__",
            "config": {"value": array.tolist(), "dtype": str(array.dtype)}}


def serialize_value(value, where):
    """``value`` in JSON form (see the module); a TypeError naming ``where`` if it has none.

    Example:
        >>> from ndgrad.keras.saving import serialize_value
        >>> serialize_value([1, (2, None), slice(0, 3)], "demo")[2]["class_name"]
        '__slice__'
    """
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.dtype) or (isinstance(value, type) and issubclass(value, np.generic)):
        return str(np.dtype(value))
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return {"class_name": "__tuple__",
                "config": {"value": [serialize_value(v, where) for v in value]}}
    if isinstance(value, list):
        return [serialize_value(v, where) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise TypeError(f"{where}: dict keys must be strings to be saved")
        return {key: serialize_value(v, f"{where}[{key!r}]") for key, v in value.items()}
    if isinstance(value, slice):
        return {"class_name": "__slice__", "config": {
            "start": value.start, "stop": value.stop, "step": value.step}}
    if value is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(value, (np.ndarray, Tensor)):
        return _array_form(value, where)
    if type(value).__name__ == "device":
        return str(value)
    if hasattr(value, "get_config") and not isinstance(value, type):
        return serialize_object(value, where)
    if callable(value):
        return serialize_function(value, where)
    raise TypeError(f"{where}: a {type(value).__name__} ({value!r:.60}) has no saveable form; "
                    "override get_config() to describe it with numbers, strings, lists and "
                    "dicts")


def serialize_object(obj, where="object"):
    """``{"module", "class_name", "config", "registered_name"}`` for an object with
    ``get_config`` (a layer also gets its ``build_config``).

    Example:
        >>> from ndgrad.models.functional_config import serialize_object
        >>> import ndgrad
        >>> form = serialize_object(ndgrad.layers.Dense(2, name="out"))
        >>> form["class_name"], form["config"]["units"], form["config"]["name"]
        ('Dense', 2, 'out')
    """
    cls = type(obj)
    label = getattr(obj, "name", None) or cls.__name__
    config = serialize_value(obj.get_config(), f"{where} ({label})")
    form = {"module": namespace_of(cls), "class_name": cls.__name__, "config": config,
            "registered_name": _NAME_OF.get(cls)}
    shape = obj.__dict__.get("_build_input_shape") if hasattr(obj, "__dict__") else None
    if shape is not None and getattr(obj, "built", False) and getattr(obj, "variables", None):
        form["build_config"] = {"input_shape": serialize_value(shape, where)}
    return form


def deserialize_object(form, custom_objects=None, where="config"):
    """The object a :func:`serialize_object` form describes, from its class's ``from_config``.

    Example:
        >>> from ndgrad.models.functional_config import serialize_object
        >>> from ndgrad.models.functional_config import deserialize_object
        >>> import ndgrad
        >>> layer = deserialize_object(serialize_object(ndgrad.layers.Dense(2, name="out")))
        >>> type(layer).__name__, layer.units, layer.name
        ('Dense', 2, 'out')
    """
    if not isinstance(form, dict) or "class_name" not in form:
        raise ValueError(f"{where}: expected {{'class_name': ..., 'config': ...}}; got "
                         f"{type(form).__name__}")
    cls = resolve_class(form, custom_objects, where)
    config = form.get("config") or {}
    if not isinstance(config, dict):
        raise ValueError(f"{where}: the config of {form['class_name']} must be a dict")
    from .serialization_registry import CustomObjectScope
    with CustomObjectScope(custom_objects):
        obj = cls.from_config(config)
        build_config = form.get("build_config")
        if build_config and not getattr(obj, "built", True) and hasattr(obj, "build_from_config"):
            obj.build_from_config(deserialize_value(build_config))
    return obj


def deserialize_value(value, custom_objects=None):
    """The inverse of :func:`serialize_value`.

    Example:
        >>> from ndgrad.keras.saving import deserialize_value
        >>> deserialize_value({"class_name": "__ndarray__",
        ...                    "config": {"value": [1, 2], "dtype": "int32"}}).dtype
        dtype('int32')
    """
    if isinstance(value, list):
        return [deserialize_value(v, custom_objects) for v in value]
    if not isinstance(value, dict):
        return value
    kind = value.get("class_name")
    config = value.get("config")
    if kind == "__tuple__":
        return tuple(deserialize_value(v, custom_objects) for v in config["value"])
    if kind == "__slice__":
        return slice(config.get("start"), config.get("stop"), config.get("step"))
    if kind == "__ellipsis__":
        return Ellipsis
    if kind == "__ndarray__":
        dtype = np.dtype(config["dtype"])
        if dtype.kind not in "biufc":
            raise ValueError(f"config: an array of dtype {dtype} cannot be loaded; saved "
                             "arrays hold booleans or numbers")
        return np.asarray(config["value"], dtype=dtype)
    if kind == "function":
        return deserialize_function(value, "config", custom_objects)
    if isinstance(kind, str) and "config" in value:
        return deserialize_object(value, custom_objects)
    return {key: deserialize_value(v, custom_objects) for key, v in value.items()}
