"""The facts behind ``explain``: what a target's graph reaches, and why a
variable gets no gradient.

Two questions are answered here, cheaply enough to run inside a warning:

- :func:`graph_facts` walks a target's graph back to its leaves: the leaves
  that need a gradient (what the target *reaches*), the constants its ops read,
  and its nodes. After ``backward`` freed the graph, the target's node still
  keeps the leaves it reached, so the walk works then too.
- :func:`why_no_gradient` gives the first reason that applies to one variable,
  with the user's ``file:line`` where ndgrad recorded one: a constant that was
  never a Variable, a frozen variable (and who froze it), a cut between the
  variable and the target (``detach``, conversion to NumPy, an integer cast, a
  non-differentiable op, a ``no_grad`` block), a value set by ``assign``, or
  no use at all.

Example:
    >>> from ndgrad.diagnostics.reasons import why_no_gradient
    >>> from ndgrad.diagnostics.reasons import graph_facts
    >>> import ndgrad
    >>> w = ndgrad.Variable([1.0], name="w")
    >>> loss = (w.detach() * 2).sum()
    >>> facts = graph_facts(loss)
    >>> why_no_gradient(w, facts)[0].startswith("the path to the target was cut: detach")
    True
"""

from ..autograd import breaks
from ..autograd.mode import state
from ..tensor import Tensor


class GraphFacts:
    """What a target's graph holds: reached leaves, constants read, nodes.

    Attributes:
        target: the tensor the facts are about (None when there is none).
        reached: ``id -> leaf`` for every leaf that needs a gradient.
        constants: ``id -> value`` for tensors and arrays the ops read that
            need no gradient (known only while the graph is alive).
        nodes: the graph's nodes, consumers first (empty once freed).
        complete: False when the graph was freed and what it reached is unknown.
        freed: True when ``backward`` already freed the graph.

    Example:
        >>> from ndgrad.diagnostics.reasons import graph_facts
        >>> import ndgrad
        >>> w = ndgrad.Variable([1.0])
        >>> facts = graph_facts(w * 3)
        >>> facts.reaches(w), facts.freed
        (True, False)
    """

    def __init__(self, target=None):
        self.target = target
        self.reached = {}
        self.constants = {}
        self.nodes = []
        self.complete = True
        self.freed = False

    def reaches(self, variable):
        """True when the target depends on ``variable``; None when unknown."""
        if id(variable) in self.reached:
            return True
        return False if self.complete else None

    def uses_constant(self, value):
        """True when some op of the graph read ``value`` (by identity)."""
        return id(value) in self.constants


def _note_constant(facts, value):
    if isinstance(value, Tensor):
        if not value._rg:
            facts.constants[id(value)] = value
    elif hasattr(value, "dtype") and hasattr(value, "shape"):
        facts.constants[id(value)] = value


def graph_facts(target):
    """Walk ``target``'s graph (a tensor, or None) and gather :class:`GraphFacts`.

    Example:
        >>> from ndgrad.diagnostics.reasons import graph_facts
        >>> import ndgrad
        >>> a, b = ndgrad.Variable([1.0]), ndgrad.Variable([2.0])
        >>> facts = graph_facts(a * 2)
        >>> facts.reaches(a), facts.reaches(b)
        (True, False)
    """
    facts = GraphFacts(target)
    if not isinstance(target, Tensor):
        return facts
    root = target._node
    if root is None:
        if target._rg:
            facts.reached[id(target)] = target
        return facts
    if root.released:
        facts.freed = True
        if root.reached is None:
            facts.complete = False
        else:
            facts.reached = {id(leaf): leaf for leaf in root.reached}
        return facts
    seen, stack = {id(root)}, [root]
    while stack:
        node = stack.pop()
        facts.nodes.append(node)
        if node.released:               # part of a graph freed by an earlier backward
            facts.complete = False
            continue
        for edge, value in zip(node.edges, node.inputs or ()):
            if edge is None:
                _note_constant(facts, value)
            elif isinstance(edge, Tensor):
                facts.reached[id(edge)] = edge
            elif id(edge) not in seen:
                seen.add(id(edge))
                stack.append(edge)
    return facts


def _at(site):
    return f"{site[0]}:{site[1]}" if site else None


def _describe_break(brk):
    kind = brk.kind
    if kind == "detach":
        return "detach() (or stop_gradient)"
    if kind.startswith("cast to"):
        return f"a {kind} (integers and booleans carry no gradient)"
    if kind.startswith("non-differentiable op"):
        return f"a {kind}, whose result carries no gradient"
    return kind


def why_no_gradient(variable, facts):
    """``(reason, where)`` for a variable that gets no gradient from ``facts.target``.

    ``where`` is the user's ``file:line`` when ndgrad recorded one, else None.

    Example:
        >>> from ndgrad.diagnostics.reasons import graph_facts
        >>> from ndgrad.diagnostics.reasons import why_no_gradient
        >>> import ndgrad
        >>> frozen = ndgrad.Variable([1.0], trainable=False)
        >>> why_no_gradient(frozen, graph_facts(None))[0]
        'frozen: created with trainable=False'
    """
    if not isinstance(variable, Tensor):
        kind = "NumPy array" if hasattr(variable, "dtype") else f"{type(variable).__name__} object"
        return (f"a {kind}, not a tensor: ndgrad cannot differentiate with respect to it; "
                "create it with ndgrad.Variable", None)
    if variable._node is not None:
        return ("an intermediate result, not a leaf: gradients are kept for Variables and "
                "Parameters (or watch it with GradientTape.watch before computing from it)", None)
    if not variable._rg:
        if hasattr(variable, "assign"):
            frozen_by = getattr(variable, "_frozen_by", None)
            if frozen_by is not None:
                return f"frozen: {frozen_by[0]}", _at(frozen_by[1])
            return "frozen (trainable=False)", None
        return ("a constant tensor, not a Variable, and not watched: create it with "
                "ndgrad.Variable (or nn.Parameter), or call tape.watch on it before computing "
                "the target", None)
    reaches = facts.reaches(variable)
    if reaches:
        if facts.freed:
            return ("the target reaches it, but its .grad is empty: zero_grad() since the "
                    "backward, or the gradient went to a GradientTape", None)
        return "the target reaches it, but its gradient is None", None
    if reaches is None:
        return ("unknown: the target's graph was freed by an earlier backward; call explain "
                "before backward (or with retain_graph=True)", None)
    if getattr(variable, "_watch", 0) and not getattr(variable, "_trainable", False):
        return ("watched, but the target was computed before the tape watched it: compute "
                "the target inside the GradientTape block, after tape.watch", None)
    cuts = breaks.breaks_reaching(variable)
    if cuts:
        return f"the path to the target was cut: {_describe_break(cuts[0])}", cuts[0].where
    site = breaks.no_grad_use(variable)
    if site is not None:
        return ("used only inside a no_grad block (or set_grad_enabled(False)), where nothing "
                "is recorded", site)
    assigned = getattr(variable, "_assigned_at", None)
    if assigned is not None:
        return ("not used by the target; its value was set by assign(), which copies a value "
                "and keeps no graph", _at(assigned))
    hint = "" if state.debug else (
        "; if it was used, run the forward under ndgrad.debug() to find cuts by "
        "non-differentiable ops (argmax, comparisons)")
    return f"not used by the target{hint}", None
