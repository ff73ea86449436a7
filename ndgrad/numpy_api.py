"""NumPy's own functions on ndgrad tensors: the ``__array_ufunc__`` and
``__array_function__`` tables.

Ops register the NumPy callables they implement with :func:`implements`.
``np.exp(t)``, ``np.mean(t, axis=0)``, ``np.concatenate([a, b])`` then run the
ndgrad op and return a tensor that carries gradients. A NumPy function with no
entry raises ``TypeError`` naming it: a gradient is never dropped silently.
Functions whose results carry no gradient by nature (``np.shape``,
``np.argmax``, ``np.allclose``) are registered as such and simply work.

``out=`` is honoured only when nothing needs a gradient: writing into an
existing array cannot be recorded, so while recording it is refused.

Example:
    >>> import numpy as np, ndgrad
    >>> w = ndgrad.Variable([1.0, -2.0, 3.0])
    >>> y = np.mean(np.clip(w, -1, 1))
    >>> type(y).__name__, y.requires_grad
    ('Tensor', True)
"""

from ._backend import xp

UFUNCS = {}        # numpy ufunc -> ndgrad function for ufunc(*inputs)
REDUCES = {}       # numpy ufunc -> ndgrad function for ufunc.reduce(x, axis, ...)
ACCUMULATES = {}   # numpy ufunc -> ndgrad function for ufunc.accumulate(x, axis)
FUNCTIONS = {}     # numpy function -> ndgrad function


def implements(*numpy_callables, method="__call__"):
    """Register an ndgrad function as the implementation of NumPy callables.

    Example:
        >>> import numpy as np
        >>> from ndgrad.numpy_api import FUNCTIONS
        >>> FUNCTIONS[np.mean].__name__
        'mean'
    """
    def register(function):
        for numpy_callable in numpy_callables:
            if isinstance(numpy_callable, xp.ufunc):
                table = {"__call__": UFUNCS, "reduce": REDUCES,
                         "accumulate": ACCUMULATES}[method]
                table[numpy_callable] = function
            else:
                FUNCTIONS[numpy_callable] = function
        return function
    return register


def _unsupported(name):
    return TypeError(
        f"numpy.{name} is not supported on ndgrad tensors: ndgrad cannot differentiate it, and "
        "running it on the raw data would drop the gradient silently. Use the ndgrad op of "
        "the same name if there is one, or call it on t.detach().numpy() to cut the gradient "
        "on purpose.")


def _needs_grad(values):
    from .autograd.mode import state
    from .tensor import Tensor
    if not state.enabled:
        return False
    for value in values:
        if isinstance(value, Tensor) and value._rg:
            return True
        if isinstance(value, (list, tuple)) and _needs_grad(value):
            return True
    return False


def _write_out(name, result, out, inputs):
    """Honour ``out=`` when nothing needs a gradient; refuse it otherwise."""
    from .autograd.breaks import describe_site
    from .tensor import Tensor
    targets = out if isinstance(out, tuple) else (out,)
    results = result if isinstance(result, tuple) else (result,)
    from .ops.writes import recorded
    if _needs_grad(inputs) or any(isinstance(t, Tensor) and (t._rg or recorded(t, False))
                                  for t in targets):
        raise ValueError(
            f"numpy.{name}(..., out=...): writing into an existing array cannot be recorded, "
            "so the gradient would be lost. Assign the result instead (y = np."
            f"{name}(...)), or compute under ndgrad.no_grad() if no gradient is wanted.")
    for target, value in zip(targets, results):
        data = value._data if isinstance(value, Tensor) else value
        if isinstance(target, Tensor):
            if not target._data.flags.writeable:
                from .ops.writes import read_only_error
                raise read_only_error(f"numpy.{name}(..., out=)", target)
            xp.copyto(target._data, data, casting="same_kind")
            target._bump_version(site=f"numpy.{name}(..., out=) at {describe_site()}")
        else:
            xp.copyto(target, data, casting="same_kind")
    return targets[0] if len(targets) == 1 else out


def array_ufunc(ufunc, method, inputs, kwargs):
    """Route ``ufunc.method(*inputs, **kwargs)`` to the ndgrad op."""
    out = kwargs.pop("out", None)
    table = {"__call__": UFUNCS, "reduce": REDUCES, "accumulate": ACCUMULATES}.get(method)
    function = table.get(ufunc) if table is not None else None
    if function is None:
        label = ufunc.__name__ if method == "__call__" else f"{ufunc.__name__}.{method}"
        raise _unsupported(label)
    if method == "reduce" and "axis" not in kwargs:
        kwargs["axis"] = 0      # NumPy's default for ufunc.reduce
    result = function(*inputs, **kwargs)
    if out is not None:
        return _write_out(ufunc.__name__, result, out, inputs)
    return result


def array_function(func, types, args, kwargs):
    """Route a NumPy function call to the ndgrad op registered for it."""
    from .tensor import Tensor
    for kind in types:
        if not issubclass(kind, (Tensor, xp.ndarray)):
            return NotImplemented
    function = FUNCTIONS.get(func)
    if function is None:
        raise _unsupported(func.__name__)
    out = kwargs.pop("out", None) if "out" in kwargs else None
    result = function(*args, **kwargs)
    if out is not None:
        return _write_out(func.__name__, result, out, args)
    return result


def supported_functions():
    """The names of the NumPy functions and ufuncs that work on ndgrad tensors.

    Example:
        >>> from ndgrad.numpy_api import supported_functions
        >>> "concatenate" in supported_functions()
        True
    """
    names = {f.__name__ for f in FUNCTIONS} | {u.__name__ for u in UFUNCS}
    return sorted(names)


def differentiable_functions(qualified=False):
    """The names of the NumPy functions and ufuncs ndgrad differentiates
    (piecewise constant ones, whose gradient is zero, included). With
    ``qualified=True`` the names carry their submodule (``"linalg.det"``), as
    in :func:`classification`.

    Example:
        >>> from ndgrad.numpy_api import differentiable_functions
        >>> "exp" in differentiable_functions() and "argmax" not in differentiable_functions()
        True
        >>> "linalg.det" in differentiable_functions(qualified=True)
        True
    """
    def differentiates(numpy_callable):
        function = FUNCTIONS.get(numpy_callable, UFUNCS.get(numpy_callable))
        return function is not None and getattr(function, "differentiable", True)
    if qualified:
        return sorted(name for name, numpy_callable in public_numpy_callables().items()
                      if differentiates(numpy_callable))
    tables = (FUNCTIONS, UFUNCS)
    return sorted({numpy_callable.__name__ for table in tables
                   for numpy_callable, function in table.items()
                   if getattr(function, "differentiable", True)})


def public_numpy_callables():
    """NumPy's public functions and ufuncs by name: ``numpy``'s own (classes,
    modules and constants left out), ``numpy.linalg`` and ``numpy.fft`` as
    ``"linalg.<name>"`` and ``"fft.<name>"``.

    Example:
        >>> from ndgrad.numpy_api import public_numpy_callables
        >>> import numpy as np
        >>> public_numpy_callables()["linalg.det"] is np.linalg.det
        True
    """
    import types
    found = {}
    for module, prefix in ((xp, ""), (xp.linalg, "linalg."), (xp.fft, "fft.")):
        names = dir(module) if not prefix else module.__all__
        for name in names:
            value = getattr(module, name, None)
            if name.startswith("_") or not callable(value) or isinstance(
                    value, (type, types.ModuleType)):
                continue
            found[prefix + name] = value
    return found


def classification():
    """One row per public NumPy function or ufunc (:func:`public_numpy_callables`):
    ``(name, class, reason, implemented)``, where class is one of
    ``ndgrad.numpy_api_table.KINDS`` ("unclassified" for a name the table does
    not know yet) and ``implemented`` says whether it runs on tensors.

    Example:
        >>> from ndgrad.numpy_api import classification
        >>> rows = {row[0]: row for row in classification()}
        >>> rows["mean"][1:], rows["argmax"][1]
        (('differentiable', 'reductions and statistics', True), 'integer or boolean valued')
    """
    from .numpy_api_table import TABLE
    rows = []
    for name, numpy_callable in sorted(public_numpy_callables().items()):
        kind, reason = TABLE.get(name, ("unclassified", ""))
        implemented = numpy_callable in FUNCTIONS or numpy_callable in UFUNCS
        rows.append((name, kind, reason, implemented))
    return rows


def classification_counts():
    """How many public NumPy names fall in each class, the differentiable ones
    split into implemented and not yet.

    Example:
        >>> from ndgrad.numpy_api import classification_counts
        >>> counts = classification_counts()
        >>> counts["differentiable, implemented"] > 150
        True
    """
    counts = {}
    for _, kind, _, implemented in classification():
        if kind == "differentiable":
            kind += ", implemented" if implemented else ", not yet"
        counts[kind] = counts.get(kind, 0) + 1
    return counts


# Facts about an array, not functions of its values: no gradient to lose.
def _fact(function):
    function.differentiable = False
    return function


FUNCTIONS[xp.shape] = _fact(lambda a: xp.shape(getattr(a, "_data", a)))
FUNCTIONS[xp.ndim] = _fact(lambda a: xp.ndim(getattr(a, "_data", a)))
FUNCTIONS[xp.size] = _fact(lambda a, axis=None: xp.size(getattr(a, "_data", a), axis))
FUNCTIONS[xp.result_type] = _fact(
    lambda *args: xp.result_type(*[getattr(a, "dtype", a) for a in args]))
