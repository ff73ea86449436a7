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


def collect_variables(variables, facts, model=None):
    """The :class:`Entry` list for ``variables`` (see the module docstring);
    ``model`` (a Module) names the rows by attribute path (``features.0.weight``).

    Example:
        >>> from ndgrad.diagnostics.reasons import graph_facts
        >>> from ndgrad.diagnostics.collect import collect_variables
        >>> import ndgrad
        >>> a = ndgrad.Variable([1.0])
        >>> [e.name for e in collect_variables({"a": a}, graph_facts(None))]
        ['a']
    """
    paths = _paths(model)
    if variables is None:
        return [Entry(paths.get(id(leaf)) or _label(leaf, f"leaf {i} {tuple(leaf.shape)}"), leaf)
                for i, leaf in enumerate(facts.reached.values())]
    if _is_module(variables):
        return _module_entries(variables, facts)
    if _is_optimizer(variables):
        return _optimizer_entries(variables, facts, model, paths)
    if isinstance(variables, dict):
        return [Entry(str(name), value) for name, value in variables.items()]
    if isinstance(variables, (list, tuple)):
        return [Entry(paths.get(id(value)) or _label(value, f"[{i}]"), value)
                for i, value in enumerate(variables)]
    if isinstance(variables, Tensor):
        return [Entry(paths.get(id(variables)) or _label(variables, "variable"), variables)]
    raise TypeError(f"explain: variables must be a list or dict of tensors, a Module or an "
                    f"optimizer, got {type(variables).__name__}")


def _paths(model):
    """``{id(parameter): attribute path}`` for ``model`` (empty without one)."""
    if not _is_module(model):
        return {}
    return {id(p): name for name, p in model.named_parameters()}


def _learning_rate(group, optimizer):
    rate = group.get("lr", getattr(optimizer, "learning_rate", None))
    try:
        return float(rate)
    except (TypeError, ValueError):
        return None                             # a schedule: its value changes


def _optimizer_entries(optimizer, facts, model=None, paths=None):
    paths = paths or {}
    name = type(optimizer).__name__
    entries = []
    for index, group in enumerate(optimizer.param_groups):
        frozen_rate = _learning_rate(group, optimizer) == 0.0
        reason = (f"its learning rate is 0.0 (param group {index}): {name}.step() leaves it "
                  "unchanged although it gets a gradient; give the optimizer a nonzero lr"
                  if frozen_rate else None)
        for p in group["params"]:
            entries.append(Entry(paths.get(id(p)) or _label(p, f"param {len(entries)}"), p,
                                 reason))
    ids = {id(entry.value) for entry in entries}
    for leaf in facts.reached.values():
        if id(leaf) not in ids and leaf.trainable:
            entries.append(Entry(paths.get(id(leaf)) or _label(leaf, f"unheld {tuple(leaf.shape)}"),
                                 leaf, _unheld_reason(name, ids, model, paths)))
    return entries


def _unheld_reason(name, held, model, paths):
    """Why the optimizer misses a parameter the target uses: with the model
    known, which part of it the optimizer was built over."""
    start = f"not held by the optimizer: the target uses it, but {name} never updates it"
    if not paths:
        return (f"{start}: the optimizer was built over other parameters (part of the "
                "model, or before this parameter existed); build it over model.parameters() "
                "once the model is complete, or add it with add_param_group")
    owned = [path for path, p_id in ((path, i) for i, path in paths.items()) if p_id in held]
    if not owned:
        return (f"{start}: the optimizer holds none of the model's parameters (it was built "
                "over another model's, or the model's were replaced since); build it over "
                "model.parameters()")
    parts = sorted({path.rsplit(".", 1)[0] + ".*" if "." in path else path for path in owned})
    shown = ", ".join(parts[:4]) + (", ..." if len(parts) > 4 else "")
    order = list(paths)                       # named_parameters order: first layer first
    last_held = max(i for i, p_id in enumerate(order) if p_id in held)
    added_later = all(i > last_held for i, p_id in enumerate(order) if p_id not in held)
    cause = ("built before the later layers were added (or over the first layers only)"
             if added_later else "built over part of the model only")
    return (f"{start}: the optimizer was {cause} ({len(owned)} of the model's {len(paths)} "
            f"parameters: {shown}); pass model.parameters() to train the whole model, once it "
            "is complete, or add the rest with add_param_group (to freeze them, set "
            "trainable=False instead)")


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
