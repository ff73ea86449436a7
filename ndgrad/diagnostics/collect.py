"""Which variables ``explain`` reports on, and under which names.

``variables`` may be None (what the target reaches), a tensor, a list or dict
of tensors, a Module or an optimizer. A Module adds two kinds of rows that
only it can reveal: trainable variables the target uses that the Module does
not hold (kept in a container its discovery does not search), and arrays that
look like weights (floating, two or more dimensions, read by the graph) but
were never registered. An optimizer adds the trainable variables the target
reaches that it does not update.

Example:
    >>> from ndgrad.diagnostics.collect import collect_variables
    >>> from ndgrad.diagnostics.reasons import graph_facts
    >>> import ndgrad
    >>> w = ndgrad.Variable([1.0], name="w")
    >>> facts = graph_facts(w * 2)
    >>> [entry.name for entry in collect_variables(None, facts)]
    ['w']
"""

from ..tensor import Tensor
from ..variable import Variable
from .reasons import graph_facts  # noqa: F401  (used by the example)


class Entry:
    """One variable to report on: its name, the value, and a reason known up front."""

    __slots__ = ("name", "value", "reason", "where")

    def __init__(self, name, value, reason=None, where=None):
        self.name = name
        self.value = value
        self.reason = reason
        self.where = where


def _label(value, fallback):
    return getattr(value, "name", None) or fallback


def _is_module(value):
    return hasattr(value, "named_parameters") and hasattr(value, "named_modules")


def _is_optimizer(value):
    return hasattr(value, "param_groups") and hasattr(value, "step")


def collect_variables(variables, facts):
    """The :class:`Entry` list for ``variables`` (see the module docstring).

    Example:
        >>> from ndgrad.diagnostics.reasons import graph_facts
        >>> from ndgrad.diagnostics.collect import collect_variables
        >>> import ndgrad
        >>> a = ndgrad.Variable([1.0])
        >>> [e.name for e in collect_variables({"a": a}, graph_facts(None))]
        ['a']
    """
    if variables is None:
        return [Entry(_label(leaf, f"leaf {i} {tuple(leaf.shape)}"), leaf)
                for i, leaf in enumerate(facts.reached.values())]
    if _is_module(variables):
        return _module_entries(variables, facts)
    if _is_optimizer(variables):
        return _optimizer_entries(variables, facts)
    if isinstance(variables, dict):
        return [Entry(str(name), value) for name, value in variables.items()]
    if isinstance(variables, (list, tuple)):
        return [Entry(_label(value, f"[{i}]"), value) for i, value in enumerate(variables)]
    if isinstance(variables, Tensor):
        return [Entry(_label(variables, "variable"), variables)]
    raise TypeError(f"explain: variables must be a list or dict of tensors, a Module or an "
                    f"optimizer, got {type(variables).__name__}")


def _optimizer_entries(optimizer, facts):
    held = [p for group in optimizer.param_groups for p in group["params"]]
    entries = [Entry(_label(p, f"param {i}"), p) for i, p in enumerate(held)]
    ids = {id(p) for p in held}
    for leaf in facts.reached.values():
        if id(leaf) not in ids and leaf.trainable:
            entries.append(Entry(
                _label(leaf, f"unheld {tuple(leaf.shape)}"), leaf,
                f"not held by the optimizer: the target uses it, but {type(optimizer).__name__} "
                "never updates it (built before this parameter existed, e.g. a layer added "
                "later?); build the optimizer after the model is complete, or add_param_group"))
    return entries


def _module_entries(module, facts):
    named = list(module.named_parameters())
    entries = [Entry(name, p) for name, p in named]
    known = {id(p) for _, p in named} | {id(b) for _, b in module.named_buffers()}
    for leaf in facts.reached.values():
        if id(leaf) in known or not leaf.trainable:
            continue
        path = _find_path(module, leaf)
        place = f"it is kept in {path}, which" if path else "it is not an attribute that"
        entries.append(Entry(
            path or _label(leaf, f"unregistered {tuple(leaf.shape)}"), leaf,
            f"not registered with the model: the target uses it, but {place} module discovery "
            "does not search (attributes, lists, tuples and dicts are searched); "
            "model.parameters() and optimizers built from it miss it"))
    entries.extend(_unregistered_weights(module, facts, known))
    return entries


def _find_path(module, value):
    for module_name, sub in module.named_modules():
        prefix = f"{module_name}." if module_name else ""
        for attr, member in vars(sub).items():
            if member is value:
                return f"{prefix}{attr}"
            if isinstance(member, (set, frozenset)) and any(m is value for m in member):
                return f"{prefix}{attr} (a set)"
            inner = getattr(member, "__dict__", None)
            if isinstance(inner, dict) and not _is_module(member):
                for key, item in inner.items():
                    if item is value:
                        return f"{prefix}{attr}.{key} (inside a {type(member).__name__})"
    return None


def _looks_like_weight(value):
    if isinstance(value, Variable):
        return False
    data = value._data if isinstance(value, Tensor) else value
    dtype, shape = getattr(data, "dtype", None), getattr(data, "shape", None)
    return dtype is not None and shape is not None and dtype.kind == "f" and len(shape) >= 2


def _unregistered_weights(module, facts, known):
    entries = []
    for module_name, sub in module.named_modules():
        prefix = f"{module_name}." if module_name else ""
        for attr, member in vars(sub).items():
            if attr.startswith("_") or id(member) in known or not _looks_like_weight(member):
                continue
            used = facts.uses_constant(member)
            if used:
                seen = "the forward reads it"
            elif facts.freed or not facts.complete:
                seen = "the graph was freed, so whether the forward reads it is unknown"
            elif facts.nodes:
                continue                       # the graph is alive and does not read it
            else:
                seen = "the target has no graph, so whether the forward reads it is unknown"
            kind = "NumPy array" if not isinstance(member, Tensor) else "plain tensor"
            entries.append(Entry(
                f"{prefix}{attr}", member,
                f"not a parameter: a {kind} of shape {tuple(member.shape)} stored on the "
                f"module ({seen}); wrap it in nn.Parameter (or create it with add_weight) "
                "to train it"))
    return entries
