"""Classes and functions in a ``torch.save`` file: stored by name, found without importing.

A whole module saved by ``torch.save`` names its class as ``"module:qualname"``
(``"model:RNNModel"``, ``"ndgrad.nn.linear:Linear"``), and a function kept as
an attribute (``self.activation = F.relu``) is named the same way. Loading
looks each name up in what the running process has already imported
(``sys.modules``) and reads the namespaces with ``vars``, so it never imports
a module and never runs a module's ``__getattr__``: a class the process lacks
is an error that says to define or import it first (what pickle would do
silently, by importing, ndgrad leaves to the program).

What may be named: any ``nn.Module`` subclass (the program's own classes
included), and the classes and functions of ndgrad itself. A function from
anywhere else (the program's own, NumPy's, a lambda) is refused at save, as is
a class defined inside a function (it has no name to find it by).

Example:
    >>> import ndgrad.torch as torch
    >>> reference(torch.nn.Linear, "obj.fc", "class")
    'ndgrad.nn.linear:Linear'
    >>> find(reference(torch.nn.functional.relu, "obj.act", "function")) is torch.nn.functional.relu
    True
"""

import sys
import types

__all__ = ["reference", "find", "is_ndgrad", "is_computation", "describe"]


def is_ndgrad(module_name):
    """Whether ``module_name`` is ndgrad itself or one of its submodules.

    Example:
        >>> is_ndgrad("ndgrad.nn.linear"), is_ndgrad("ndgradx"), is_ndgrad("__main__")
        (True, False, False)
    """
    return isinstance(module_name, str) and (module_name == "ndgrad"
                                             or module_name.startswith("ndgrad."))


# Where a stored function may come from: ndgrad's math, layers and the faces' math
# modules. A file cannot point a model's attribute at ndgrad's file, save or
# command-line functions, so loading a file cannot set up a later write or call.
_COMPUTATION = ("ndgrad.ops", "ndgrad.nn", "ndgrad.linalg", "ndgrad.distributions",
                "ndgrad.keras.ops", "ndgrad.keras.activations", "ndgrad.tensorflow.math",
                "ndgrad.tensorflow.nn", "ndgrad.tensorflow.array_ops", "ndgrad.torch.pointwise",
                "ndgrad.torch.reductions", "ndgrad.torch.shaping", "ndgrad.torch.creation",
                "ndgrad.torch.linalg", "ndgrad.torch.nn.functional", "ndgrad.torch.nn.init")
_NOT_COMPUTATION = ("ndgrad.nn.model_saving", "ndgrad.nn.state")


def is_computation(module_name):
    """Whether a function of ``module_name`` may be stored by name and restored:
    one of ndgrad's op, layer or face math modules (not its file or tool modules).

    Example:
        >>> is_computation("ndgrad.ops.activations"), is_computation("ndgrad.io.weights")
        (True, False)
    """
    def under(prefixes):
        return any(module_name == p or module_name.startswith(p + ".") for p in prefixes)
    return isinstance(module_name, str) and under(_COMPUTATION) and not under(_NOT_COMPUTATION)


def _lookup(module_name, qualname):
    """The object at ``module_name:qualname`` among imported modules, or None.

    Reads namespaces with ``vars`` only: nothing is imported, no ``__getattr__`` runs.
    """
    value = sys.modules.get(module_name)
    for part in qualname.split("."):
        if not isinstance(value, (types.ModuleType, type)):
            return None
        value = vars(value).get(part)
    return value


def _search_ndgrad(obj):
    """``"module:name"`` under which one of ndgrad's imported modules holds ``obj``.

    For an object whose own ``__qualname__`` does not find it: a Keras-face class
    renamed by ``keras_exports``, or a function wrapped with ``functools.wraps``.
    """
    for module_name in sorted(name for name in list(sys.modules) if is_ndgrad(name)):
        module = sys.modules.get(module_name)
        for key, value in list(vars(module).items()) if module is not None else ():
            if value is obj and not key.startswith("__"):
                return f"{module_name}:{key}"
    return None


def describe(obj):
    """How messages name a class or function: ``RNNModel (module 'model')``.

    Example:
        >>> import ndgrad
        >>> describe(ndgrad.nn.Linear)
        "Linear (module 'ndgrad.nn.linear')"
    """
    return f"{getattr(obj, '__qualname__', obj)} (module {getattr(obj, '__module__', None)!r})"


def reference(obj, where, kind):
    """The name ``"module:qualname"`` that :func:`find` turns back into ``obj``.

    Args:
        obj: a class (``kind="class"``) or a function (``kind="function"``).
        where: the path of the attribute in the saved object, for messages.
        kind: ``"class"`` or ``"function"``.

    Raises:
        TypeError: for a lambda, a function that is not ndgrad's, or a class
            or function defined inside a function; the message names ``where``.

    Example:
        >>> import ndgrad
        >>> reference(ndgrad.nn.ReLU, "obj.act", "class")
        'ndgrad.nn.activation_layers:ReLU'
    """
    module_name = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if kind == "function" and not is_computation(module_name):
        raise TypeError(
            f"torch.save: at {where}, the function {qualname or obj!r} (module "
            f"{module_name!r}) cannot be saved: ndgrad never saves code, and stores by name "
            "only ndgrad's own math functions (torch.nn.functional.relu, torch.tanh, ...). "
            "Make it an nn.Module, set the attribute again after loading, or save the "
            "model's state_dict() instead")
    if isinstance(module_name, str) and isinstance(qualname, str):
        if "<locals>" not in qualname and _lookup(module_name, qualname) is obj:
            return f"{module_name}:{qualname}"
        if is_ndgrad(module_name):
            found = _search_ndgrad(obj)
            if found is not None:
                return found
    what = "class" if kind == "class" else "function"
    raise TypeError(
        f"torch.save: at {where}, the {what} {qualname or obj!r} (module {module_name!r}) "
        f"cannot be found again by its name: a {what} defined inside a function (or a "
        "lambda) has none. Define it at the top level of a module or script, or save the "
        "model's state_dict() instead")


def find(name, allowed=()):
    """The class or function ``name`` (``"module:qualname"``) names, or None when the
    running process has not defined it.

    Args:
        name: what :func:`reference` returned.
        allowed: the ``safe_globals`` entries: a class listed there is found by
            its qualified name too (a class saved from a script's ``__main__``
            and loaded where it lives in a module), and ``(obj, "module.name")``
            pairs by the name they give.

    Example:
        >>> find("ndgrad.nn.linear:Linear").__name__, find("no_such_module:Net")
        ('Linear', None)
    """
    module_name, _, qualname = str(name).partition(":")
    found = _lookup(module_name, qualname) if qualname else None
    if found is not None:
        return found
    dotted = f"{module_name}.{qualname}"
    for entry in allowed:
        if isinstance(entry, tuple) and len(entry) == 2 and entry[1] == dotted:
            return entry[0]
    for entry in allowed:
        if not isinstance(entry, tuple) and getattr(entry, "__qualname__", None) == qualname:
            return entry
    return None
