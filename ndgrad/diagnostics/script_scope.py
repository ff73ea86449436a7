"""Which tensor ``python -m ndgrad explain`` explains, and over which variables.

A :class:`Scope` holds the names the script had: its module-level names, and
the local variables of its functions (``main()``...) at its last backward
walk, as the :class:`~ndgrad.diagnostics.recording.BackwardRecorder` saw
them; an inner function's name hides an outer one's, as in Python.

Example:
    >>> import ndgrad
    >>> from ndgrad.diagnostics.script_scope import Scope, find_variables
    >>> model = ndgrad.nn.Linear(2, 1)
    >>> scope = Scope({}, [("main", 12, {"net": model})])
    >>> find_variables(scope)[2]
    "'net' in main() (Linear, 2 parameters)"
"""

from ..autograd import graph
from ..tensor import Tensor
from .collect import _is_module, _is_optimizer
from .reasons import graph_facts


class CommandError(Exception):
    """``explain`` cannot run: the message says what is missing and what to do.

    Example:
        >>> from ndgrad.diagnostics.cli import CommandError
        >>> issubclass(CommandError, Exception)
        True
    """


class Scope(dict):
    """The script's names: module-level ones, then its functions' locals.

    Args:
        namespace: the script's module-level names.
        scopes: ``[(function name, line, locals), ...]``, innermost first.

    Example:
        >>> from ndgrad.diagnostics.script_scope import Scope
        >>> scope = Scope({"a": 1, "b": 2}, [("main", 9, {"b": 3})])
        >>> scope["b"], scope.where("a"), scope.where("b")
        (3, 'module-level', 'in main()')
    """

    def __init__(self, namespace, scopes=()):
        super().__init__(namespace)
        self._places = {}
        for function, _, local_names in reversed(list(scopes)):
            for name, value in local_names.items():
                self[name] = value
                self._places[name] = f"in {function}()"

    def where(self, name):
        """``'module-level'`` or ``'in main()'``: where the script keeps ``name``."""
        return self._places.get(name, "module-level")

    def describe(self, name):
        """``"module-level 'loss'"`` or ``"'loss' in main()"``."""
        place = self.where(name)
        return f"module-level {name!r}" if place == "module-level" else f"{name!r} {place}"

    def first(self, name, test):
        """``(name, value)`` of ``name`` if it passes ``test``, else of the first
        name (in order of definition, innermost function first) that does."""
        if name in self and test(self[name]):
            return name, self[name]
        local = [n for n in self if n in self._places]
        for key in local + [n for n in self if n not in self._places]:
            if not key.startswith("_") and test(self[key]):
                return key, self[key]
        return None, None


def find_target(namespace, name=None, earlier_target=None, recorded=None):
    """The tensor to explain and how it was found (see ``python -m ndgrad
    explain --help``); ``earlier_target`` is the last backward's target before
    the script ran (not the script's); ``recorded`` the script's last backward
    target, kept by the recorder.

    Example:
        >>> import ndgrad
        >>> from ndgrad.diagnostics.cli import find_target
        >>> loss = ndgrad.Variable([2.0]).sum()
        >>> find_target({"loss": loss})[1]
        "module-level variable 'loss'"
    """
    scope = namespace if isinstance(namespace, Scope) else Scope(namespace)
    if name is not None:
        if name not in scope:
            raise CommandError(f"--target {name}: the script defines no name {name!r} (module "
                               f"level or in a function at its last backward); its tensors: "
                               f"{_tensor_names(scope)}")
        if not isinstance(scope[name], Tensor):
            raise CommandError(f"--target {name}: {name!r} is a {type(scope[name]).__name__}, "
                               f"not a tensor; its tensors: {_tensor_names(scope)}")
        place = scope.where(name)
        return scope[name], (f"module-level variable {name!r}" if place == "module-level"
                             else f"variable {name!r} {place}")
    loss = scope.get("loss") if scope.where("loss") == "module-level" else None
    if isinstance(loss, Tensor):
        return loss, "module-level variable 'loss'"
    last = recorded if recorded is not None else graph.last_backward_target()
    if last is not None and last is not earlier_target:
        loss = scope.get("loss")
        note = "" if loss is None or isinstance(loss, Tensor) else (
            f" (the {scope.where('loss')} 'loss' is a {type(loss).__name__}, not a tensor)")
        return last, f"the target of the script's last backward() or tape.gradient(){note}"
    raise CommandError(
        "no target found: the script ran no backward() or tape.gradient() and defines no "
        "module-level tensor 'loss' (pass --target NAME for another name; model.fit keeps no "
        "loss: add 'loss = model.compute_loss(y=y, y_pred=model(x))' after it). Module-level "
        f"tensors in this script: {_tensor_names(scope)}")


def _tensor_names(namespace):
    names = [name for name, value in namespace.items()
             if isinstance(value, Tensor) and not name.startswith("_")]
    return ", ".join(names) if names else "none"


def _holds_parameters(value):
    return _is_optimizer(value) and any(group["params"] for group in value.param_groups)


def find_variables(namespace, name=None, target=None):
    """What to report on: ``(variables, extras, description, model)``.

    ``variables`` goes to ``explain`` as it is; ``extras`` (a dict, maybe
    empty) holds the Variables the script defines that ``variables`` and the
    target's graph leave out, so that a Variable the optimizer never saw, or
    one cut off by ``detach``, still gets its row; ``model`` is the Module
    whose attribute paths name the rows (or None).

    Example:
        >>> import ndgrad
        >>> from ndgrad.diagnostics.cli import find_variables
        >>> model = ndgrad.nn.Linear(2, 1)
        >>> lonely = ndgrad.Variable([1.0], name="lonely")
        >>> chosen, extras, text, _ = find_variables({"model": model, "lonely": lonely})
        >>> chosen is model, list(extras)
        (True, ['lonely'])
        >>> text
        "module-level 'model' (Linear, 2 parameters), plus 1 Variable defined by the script"
    """
    scope = namespace if isinstance(namespace, Scope) else Scope(namespace)
    _, model = scope.first("model", _is_module)
    if name is not None:
        if name not in scope:
            raise CommandError(f"--variables {name}: the script defines no name {name!r} "
                               "(module level or in a function at its last backward)")
        return (scope[name], {}, f"{scope.describe(name)} ({type(scope[name]).__name__})",
                model)
    covered = {id(leaf) for leaf in graph_facts(target).reached.values()}
    optimizer_name, optimizer = scope.first("optimizer", _holds_parameters)
    model_name, _ = scope.first("model", _is_module)
    if optimizer is not None:
        held = [p for group in optimizer.param_groups for p in group["params"]]
        covered.update(id(p) for p in held)
        chosen = optimizer
        text = (f"{scope.describe(optimizer_name)} ({type(optimizer).__name__}, {len(held)} "
                "parameters)")
    elif model is not None:
        covered.update(id(v) for v in model.parameters() + model.buffers())
        chosen = model
        text = (f"{scope.describe(model_name)} ({type(model).__name__}, "
                f"{len(model.parameters())} parameters)")
    else:
        chosen, covered = None, set()
        text = "every variable the target reaches"
    extras = _script_variables(scope, covered)
    text += _plus(len(extras))
    if chosen is None and extras:              # the script's own names, then the other leaves
        extras.update(_reached_leaves(target, extras))
        return extras, {}, text, model
    return chosen, extras, text, model
def _plus(count):
    if not count:
        return ""
    return f", plus {count} Variable{'s' if count > 1 else ''} defined by the script"


def _unique(chosen, name):
    key, suffix = name, 1
    while key in chosen:
        suffix += 1
        key = f"{name} ({suffix})"
    return key


def _script_variables(namespace, covered):
    """The module-level Variables (leaves with ``assign``) not in ``covered``, by name."""
    chosen, seen = {}, set(covered)
    for name, value in namespace.items():
        if isinstance(value, Tensor) and value.is_leaf and hasattr(value, "assign") \
                and id(value) not in seen and not name.startswith("_"):
            seen.add(id(value))
            chosen[_unique(chosen, value.name or name)] = value
    return chosen


def _reached_leaves(target, already):
    """The leaves the target reaches that ``already`` does not hold, by name."""
    known = {id(value) for value in already.values()}
    found = {}
    for index, leaf in enumerate(graph_facts(target).reached.values()):
        if id(leaf) not in known:
            name = leaf.name or f"leaf {index} {tuple(leaf.shape)}"
            found[_unique({**already, **found}, name)] = leaf
    return found


