"""``ndgrad.explain``: which variables get a gradient from a target, and why
the others do not.

One row per variable: its name, shape, whether it is trainable, whether the
target reaches it, the gradient's status (``ok``, ``zero``, ``none``, ``nan``,
``inf``) and norm, and for every variable without a gradient the reason and
the user's ``file:line`` where ndgrad recorded one. The report prints as a
table; its ``rows`` are plain dicts for programs.

Example:
    >>> import ndgrad
    >>> w = ndgrad.Variable([1.0, 2.0], name="w")
    >>> b = ndgrad.Variable([0.5], trainable=False, name="b")
    >>> loss = (w * w).sum() + b.sum()
    >>> report = ndgrad.explain(loss, [w, b])
    >>> [(row["name"], row["status"]) for row in report.rows]
    [('w', 'ok'), ('b', 'none')]
    >>> report.rows[1]["reason"]
    'frozen: created with trainable=False'
"""

import math

from .._backend import xp
from ..autograd import graph
from ..autograd.tape import gradients_given
from ..tensor import Tensor
from .collect import collect_variables
from .reasons import graph_facts, why_no_gradient

COLUMNS = ("name", "shape", "trainable", "reaches", "status", "norm", "reason", "where")


class Explanation:
    """The report ``explain`` returns: ``rows`` (dicts), printable as a table.

    Example:
        >>> import ndgrad
        >>> w = ndgrad.Variable([3.0, 4.0], name="w")
        >>> report = ndgrad.explain((w * 1).sum(), [w])
        >>> round(report["w"]["norm"], 4), report.missing
        (1.4142, [])
    """

    def __init__(self, rows, target_description):
        self.rows = rows
        self.target_description = target_description

    def __getitem__(self, name):
        for row in self.rows:
            if row["name"] == name:
                return row
        raise KeyError(f"explain: no row named {name!r}; rows: {[r['name'] for r in self.rows]}")

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    @property
    def missing(self):
        """The rows of trainable variables whose gradient is ``none``."""
        return [row for row in self.rows if row["status"] == "none" and row["trainable"]]

    def table(self, rows=None):
        """The rows as an aligned text table (reasons on their own lines)."""
        rows = self.rows if rows is None else rows
        header = ["name", "shape", "trainable", "reaches", "grad", "norm"]
        cells = [[row["name"], str(row["shape"]), _yes_no(row["trainable"]),
                  _yes_no(row["reaches"]), row["status"],
                  "-" if row["norm"] is None else f"{row['norm']:.4g}"] for row in rows]
        widths = [max(len(line[i]) for line in [header] + cells) for i in range(len(header))]
        lines = ["  ".join(text.ljust(width) for text, width in zip(line, widths)).rstrip()
                 for line in [header] + cells]
        out = [lines[0], "-" * len(lines[0])]
        for line, row in zip(lines[1:], rows):
            out.append(line)
            if row["reason"]:
                where = f" ({row['where']})" if row["where"] else ""
                out.append(f"    why: {row['reason']}{where}")
        return "\n".join(out)

    def __str__(self):
        return f"explain: {self.target_description}\n{self.table()}"

    __repr__ = __str__


def _yes_no(flag):
    return "?" if flag is None else "yes" if flag else "no"


def _status(grad):
    if grad is None:
        return "none", None
    data = grad._data if isinstance(grad, Tensor) else xp.asarray(grad)
    if xp.isnan(data).any():
        return "nan", None
    if xp.isinf(data).any():
        return "inf", None
    norm = float(xp.sqrt(xp.sum(xp.square(data, dtype=xp.float64))))
    return ("zero" if norm == 0 else "ok"), norm


def _describe_target(target, rows=()):
    if not isinstance(target, Tensor):
        return "no target"
    value = ""
    if target.size == 1 and target.dtype.kind == "f":
        number = float(target._data.reshape(-1)[0])
        value = f" = {number:.6g}" if math.isfinite(number) else f" = {number}"
    producer = f"'{target._node.name}' " if target._node is not None else ""
    text = f"target: {producer}result of shape {tuple(target.shape)}{value}"
    if not target._rg:
        text += "\n  the target depends on no trainable or watched tensor: " + _why_constant(rows)
    return text


def _why_constant(rows):
    """The header's cause for a target that needs no gradient, from the rows' reasons."""
    reasons = [row["reason"] or "" for row in rows]
    for reason in reasons:
        if reason.startswith("the path to the target was cut: "):
            where = next(row["where"] for row in rows if row["reason"] == reason)
            cut = reason[len("the path to the target was cut: "):]
            return f"every path to it was cut ({cut}{f' at {where}' if where else ''})"
    if any(reason.startswith("used only inside a no_grad") for reason in reasons):
        return "it was computed under no_grad (or set_grad_enabled(False))"
    return ("it was computed under no_grad, or from frozen variables and constants only "
            "(run it under ndgrad.debug() to locate cuts by non-differentiable ops)")


def _gradients(target, facts, variables):
    """Gradients of ``target`` for the reached variables: computed while the
    graph is alive (keeping it); once it was freed, those a GradientTape
    returned (while the caller holds them), else ``.grad``."""
    reached = [v for v in variables if isinstance(v, Tensor) and facts.reaches(v)]
    if not reached:
        return {}
    if not facts.freed and target._node is not None:
        seed = Tensor._wrap(xp.ones(target.shape, dtype=target.dtype))
        grads = graph.backward([target], [seed], retain_graph=True, sources=reached)
        return {id(v): g for v, g in zip(reached, grads)}
    if target._node is None:                 # the target is itself the variable
        return {id(target): Tensor._wrap(xp.ones(target.shape, dtype=target.dtype))}
    given = gradients_given(target)          # what a GradientTape returned, if still held
    return {id(v): given.get(id(v), v.grad) for v in reached}


def explain(target=None, variables=None, *, model=None):
    """Explain which variables get a gradient from ``target``, and why the others do not.

    Args:
        target: the tensor to differentiate (a loss). Default: the target of
            the latest ``backward()`` or ``tape.gradient`` call, while alive.
        variables: a list or dict of tensors, a Module (its parameters, plus
            anything its forward used that looks like an unregistered weight),
            or an optimizer (its parameters, plus every trainable variable the
            target reaches that the optimizer does not hold). Default: every
            variable the target reaches.
        model: a Module whose attribute paths (``features.0.weight``) name the
            rows, when ``variables`` is an optimizer, a list or None.

    Returns:
        an :class:`Explanation`: print it, or read ``rows`` (dicts with keys
        name, shape, trainable, reaches, status, norm, reason, where).

    Example:
        >>> import ndgrad, numpy as np
        >>> w = ndgrad.Variable([[1.0, -2.0]], name="w")
        >>> clipped = ndgrad.tensor(np.clip(w.detach().numpy(), -1, 1))
        >>> loss = (clipped * 3).sum()
        >>> row = ndgrad.explain(loss, [w]).rows[0]
        >>> row["status"], row["reason"]
        ('none', 'the path to the target was cut: detach() (or stop_gradient)')
    """
    if target is None:
        target = graph.last_backward_target()
        if target is None:
            raise ValueError("explain: no target given and no backward() has run since (or "
                             "its target was freed); pass the loss: ndgrad.explain(loss, model)")
    if not isinstance(target, Tensor):
        raise TypeError(f"explain: the target must be an ndgrad tensor (the loss), got "
                        f"{type(target).__name__}")
    facts = graph_facts(target)
    entries = collect_variables(variables, facts, model)
    grads = _gradients(target, facts, [entry.value for entry in entries])
    rows = [_row(entry, facts, grads) for entry in entries]
    return Explanation(rows, _describe_target(target, rows))


def _row(entry, facts, grads):
    value = entry.value
    is_tensor = isinstance(value, Tensor)
    status, norm = _status(grads.get(id(value))) if is_tensor else ("none", None)
    reason, where = entry.reason, entry.where
    if status == "none" and reason is None:
        reason, where = why_no_gradient(value, facts)
    elif status == "zero" and reason is None:
        reason = ("the gradient is exactly zero: the target depends on it only through ops "
                  "whose derivative is zero here (a ReLU that is off for every input, floor, "
                  "round, sign)")
    trainable = bool(value.trainable) if is_tensor else False
    return {"name": entry.name, "shape": tuple(getattr(value, "shape", ())),
            "trainable": trainable, "reaches": facts.reaches(value) if is_tensor else False,
            "status": status, "norm": norm, "reason": reason, "where": where}
