"""The graph and the backward walk.

Every recorded op leaves one :class:`Node`: the rule that gives its
vector-Jacobian product, the inputs the rule reads, and an *edge* per input
(the input's own node, the input itself when it is a leaf that needs a
gradient, or ``None``). Results point to their node; leaves point to nothing.

``backward`` works in four steps:

1. Walk the edges from the roots with an explicit stack (no recursion limit)
   and list the nodes in post-order; iterating edges in their tuple order makes
   the walk deterministic.
2. When gradients are wanted for chosen sources only (``GradientTape``,
   ``ndgrad.grad``), mark the nodes from which a source can be reached and skip
   the rest.
3. Visit the nodes in reverse post-order, a topological order in which a node
   comes after every node that consumes it, so its gradient is complete when
   visited. Call its rule (on the plain arrays when the rule is an array rule
   and the backward is not recorded); sum each returned gradient down to its
   input's shape and dtype (the one place broadcasting is undone); add it to
   the gradient of the input's node, or deliver it to the leaf. A gradient
   that nothing else refers to (counted, see ``ownership.py``) is taken over by
   the leaf instead of copied, and sums are added in place.
4. Release each visited node's saved inputs unless ``retain_graph``: the graph
   and its arrays are freed as soon as backward has used them.

Rules are written with ndgrad ops, so running them while recording
(``create_graph=True``) builds the graph of the gradient itself.

Example:
    >>> import ndgrad
    >>> x = ndgrad.Variable(2.0)
    >>> y = x * x * x
    >>> y.backward()
    >>> x.grad.item()
    12.0
"""

import weakref as _weakref

from .. import _tensor_storage as _storage
from .._backend import xp
from ..tensor import Tensor
from . import anomaly as _anomaly
from . import captured as _captured, hooks as _hooks, mode as _mode, post_accumulate as _post
from .accumulate import _NO_PARAMS, _data_of, _deliver_to_leaf, _fit, _wrapped
from .accumulate import sum_to_shape  # noqa: F401  (ndgrad.autograd.graph.sum_to_shape)
from .hooks import HookedOp as _HookedOp
from .ownership import occurrences as _occurrences, unshared as _unshared

_state = _mode.state
_ndarray = xp.ndarray
_wrap = Tensor._wrap


class Node:
    """One recorded op: its rule, the inputs the rule reads, and edges upstream."""

    __slots__ = ("op", "inputs", "edges", "versions", "params", "out_data", "out_vc",
                 "out_version", "n_outputs", "where", "released", "reached", "__weakref__")

    def __init__(self, op, inputs, edges, versions, params):
        self.op = op
        self.inputs = inputs
        self.edges = edges
        self.versions = versions
        self.params = params
        self.out_data = None
        self.out_vc = None
        self.out_version = 0
        self.n_outputs = 1
        self.where = None
        self.released = False
        self.reached = None     # a released root keeps the leaves its graph reached

    @property
    def name(self):
        return self.op.name

    def __repr__(self):
        return f"<Node {self.op.name}>"


def current_version(value):
    vc = getattr(value, "_vc", None)
    return 0 if vc is None else vc[0]


def _check_versions(node):
    """Refuse to run a rule whose saved tensors were written in place since (in
    memory they overlap: a write elsewhere in a shared storage is harmless)."""
    op = node.op
    reads = op.reads if op.reads is not None else range(len(node.inputs))
    inputs = node.inputs
    versions = node.versions
    for index in reads:
        saved = inputs[index]
        vc = getattr(saved, "_vc", None)
        if vc is None or vc[0] == versions[index]:
            continue
        site = _storage.conflicting_write(vc, versions[index], getattr(saved, "_data", None))
        if site is not None:            # else every write since went elsewhere in the memory
            raise RuntimeError(
                f"backward: input {index} of '{op.name}' was modified in place after the op "
                f"used it (by {site}, through this tensor or a view or alias of its "
                f"memory); its gradient would be wrong. Write to a copy (x = x.clone()) or "
                f"do the in-place update after backward.")
    out_vc = node.out_vc
    if out_vc is not None and out_vc[0] != node.out_version:
        site = _storage.conflicting_write(out_vc, node.out_version, node.out_data)
        if site is None:
            return
        raise RuntimeError(
            f"backward: the output of '{op.name}' was modified in place after the op "
            f"(by {site}, through it or a view or alias of its memory); its "
            f"gradient needs the original. Write to a copy (x = x.clone()).")


def _released_error(node):
    return RuntimeError(
        f"backward: the graph through '{node.op.name}' was already freed by an earlier "
        "backward (or tape.gradient). Pass retain_graph=True to the first backward to "
        "go through the graph twice, or use GradientTape(persistent=True).")


def _topological_order(roots, leaves=None):
    """Nodes reachable from ``roots`` in post-order, by an explicit-stack DFS;
    the leaf edges met are appended to ``leaves`` when given."""
    order = []
    seen = set()
    for root in roots:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(root.edges))]
        while stack:
            node, edges = stack[-1]
            for edge in edges:
                if type(edge) is Node:
                    if edge not in seen:
                        seen.add(edge)
                        stack.append((edge, iter(edge.edges)))
                        break
                elif edge is not None and leaves is not None:
                    leaves.append(edge)
            else:
                stack.pop()
                order.append(node)
    return order


def _needed_nodes(order, capture):
    """The nodes from which some captured source can be reached."""
    needed = set()
    for node in order:                       # post-order: inputs before consumers
        if node in capture:
            needed.add(node)
            continue
        for edge in node.edges:
            if edge is not None and (edge in needed or edge in capture):
                needed.add(node)
                break
    return needed


def _as_grad_tensor(root, grad):
    if grad is None:
        if root._data.size != 1:
            raise RuntimeError(
                f"backward: the tensor has shape {root.shape}; a gradient is implied only for "
                "a single element. Reduce it first (loss.sum() or loss.mean()) or pass "
                "grad= with the same shape.")
        if root._data.dtype.kind == "c":
            raise RuntimeError(
                f"backward: the tensor is {root._data.dtype}; a gradient is implied only for a "
                "real scalar (as in PyTorch). Differentiate a real loss (ndgrad.abs(z) ** 2, "
                "ndgrad.real(z)) or pass grad= (the cotangent dL/dRe + i dL/dIm).")
        return Tensor._wrap(xp.ones_like(root._data))
    if not isinstance(grad, Tensor):
        grad = Tensor._wrap(xp.asarray(grad, dtype=root._data.dtype))
    if grad.shape != root.shape:
        raise RuntimeError(f"backward: grad has shape {grad.shape} but the tensor has shape "
                           f"{root.shape}; they must match.")
    return grad


def _no_grad_error():
    return RuntimeError(
        "backward: this tensor does not require grad, so there is no graph to go back "
        "through. Either no input was trainable (a Variable, an nn.Parameter, or a tensor "
        "with requires_grad=True), the inputs were frozen, or it was computed inside "
        "ndgrad.no_grad().")


def backward(roots, grads, retain_graph=False, create_graph=False, sources=None):
    """Run the backward walk from ``roots`` seeded with ``grads``.

    Without ``sources``, gradients accumulate into ``.grad`` of trainable
    leaves. With ``sources`` (a sequence of tensors), nothing is written to
    ``.grad``: the gradient for each source is returned in a list (``None``
    where unconnected), and only the part of the graph leading to them runs.

    Example:
        >>> from ndgrad.autograd.graph import backward
        >>> import ndgrad
        >>> x = ndgrad.Variable(3.0)
        >>> backward([x * x], [None], sources=[x])[0].item()
        6.0
    """
    if create_graph:
        retain_graph = True
    capture = None
    results = None
    if sources is not None:
        capture = {}
        for i, src in enumerate(sources):
            key = src._node if src._node is not None else src
            capture.setdefault(key, []).append(i)
        results = [None] * len(sources)

    holding, walks = _state.holding, _state.walks
    depth, walk_depth = len(holding), len(walks)
    _hooks.begin()
    _post.begin()
    try:
        return _backward(roots, grads, retain_graph, create_graph, sources, capture, results)
    finally:
        del holding[depth:]
        del walks[walk_depth:]


def _backward(roots, grads, retain_graph, create_graph, sources, capture, results):
    pending = {}
    root_nodes = []
    for root, grad in zip(roots, grads):
        g = _as_grad_tensor(root, grad)
        if root._node is not None:
            node = root._node
            if node.released:
                raise _released_error(node)
            pending[node] = pending[node] + g if node in pending else g
            root_nodes.append(node)
        elif capture is not None:
            _capture(capture, results, root, g)
        elif root._trainable:
            _deliver_to_leaf(root, g, create_graph)
        elif not root._rg:
            raise _no_grad_error()

    leaves = []
    order = _topological_order(root_nodes, leaves)
    needed = _needed_nodes(order, capture) if capture is not None else None
    with _mode.internal_mode(create_graph):
        told = None
        if _post.POSTED and capture is None:     # post hooks run as leaves become final
            _post.walk_in_segments(order, _walk, pending, needed, capture, results,
                                   retain_graph, create_graph)
        elif _captured.LISTENED and capture is not None:    # listeners, as sources become final
            told = _captured.walk_in_segments(order, sources, results, _walk, pending, needed,
                                              capture, results, retain_graph, create_graph)
        else:
            _walk(order, pending, needed, capture, results, retain_graph, create_graph)
        _hooks.finish(_deliver_to_leaf, create_graph, sources, results)
        if told is not None:
            _captured.finish(sources, results, told)
        _post.finish()
    if not retain_graph:
        reached = tuple(dict.fromkeys(leaves))
        for node in root_nodes:
            node.reached = reached
    _last_backward[0] = _weakref.ref(roots[0]) if roots else None
    if roots and backward_observers:
        for observer in tuple(backward_observers):
            observer(roots[0], sources, results)
    return results


_last_backward = [None]
# Callables given (target, sources, results) of each backward walk when it is done
# (``explain``'s recorder); sources and results are None unless gradients are returned.
backward_observers = []


def last_backward_target():
    """The target of the latest backward walk (``loss.backward()``,
    ``tape.gradient``) while it is alive, else None; ``explain`` and the
    optimizers' missing-gradient report start from it.

    Example:
        >>> from ndgrad.autograd.graph import last_backward_target
        >>> import ndgrad
        >>> w = ndgrad.Variable(2.0)
        >>> loss = w * w
        >>> loss.backward()
        >>> last_backward_target() is loss
        True
    """
    ref = _last_backward[0]
    return ref() if ref is not None else None


def _capture(capture, results, key, g):
    for i in capture[key]:
        results[i] = g if results[i] is None else results[i] + g


def _walk(order, pending, needed, capture, results, retain_graph, create_graph):
    anomaly = _state.checking and _state.anomaly        # read once, not per node
    for node in reversed(order):
        if needed is not None and node not in needed:
            continue
        g = pending.pop(node, None)
        if g is None:
            continue
        if node.released:
            raise _released_error(node)
        op = node.op
        if capture is not None and node in capture:
            if type(op) is _HookedOp:                  # the captured gradient is the hooked one
                g, op = op.run(g), op.original
            _capture(capture, results, node, g)
            if not any(e in needed or e in capture for e in node.edges if e is not None):
                continue
        # The in-place check, inline: a call per node is a tenth of its cost.
        saved, versions = node.inputs, node.versions
        for index in (op.reads if op.reads is not None else range(len(saved))):
            vc = getattr(saved[index], "_vc", None)
            if vc is not None and vc[0] != versions[index]:
                _check_versions(node)             # raises, naming the write
        if node.out_vc is not None and node.out_vc[0] != node.out_version:
            _check_versions(node)
        params = node.params or _NO_PARAMS
        if op.array_rule and not create_graph:
            # The rule runs on the arrays; its results are wrapped once here. One
            # and two inputs (most ops) are spelled out: no list built per node.
            inputs = node.inputs
            if len(inputs) == 2:
                a, b = inputs
                grads_in = op.vjp(g._data, node.out_data,
                                  a._data if type(a) is Tensor else _data_of(a),
                                  b._data if type(b) is Tensor else _data_of(b), **params)
            elif len(inputs) == 1:
                a = inputs[0]
                grads_in = op.vjp(g._data, node.out_data,
                                  a._data if type(a) is Tensor else _data_of(a), **params)
            else:
                grads_in = op.vjp(g._data, node.out_data,
                                  *[a._data if type(a) is Tensor else _data_of(a)
                                    for a in inputs], **params)
            if type(grads_in) is _ndarray and len(node.edges) == 1:
                grads_in = (_wrap(grads_in),)          # the common one-input case
            elif type(grads_in) is tuple and len(grads_in) == 2:
                a, b = grads_in
                grads_in = (_wrap(a) if type(a) is _ndarray else
                            None if a is None else _wrapped((a,), 1)[0],
                            _wrap(b) if type(b) is _ndarray else
                            None if b is None else _wrapped((b,), 1)[0])
            else:
                grads_in = _wrapped(grads_in, len(node.edges))
            # No hidden references to inputs or gradients (_unshared counts them,
            # and reused buffers are handed out by their counts).
            a = b = None
        else:
            out = None
            if node.out_data is not None:
                out = Tensor._wrap(node.out_data, node)
            grads_in = op.vjp(g, out, *node.inputs, **params)
            if type(grads_in) is not tuple:
                grads_in = (grads_in,) if len(node.edges) == 1 else tuple(grads_in)
        if anomaly:
            _anomaly.check_backward(node, g, grads_in)
        edges, inputs = node.edges, node.inputs
        # By index, not zip: zip's reused result tuple would hold a hidden
        # reference to the last gradient and spoil _unshared's count.
        for i in range(min(len(edges), len(grads_in))):
            edge, gi = edges[i], grads_in[i]
            if edge is None or gi is None:
                continue
            like = inputs[i]
            if type(gi) is not Tensor or not isinstance(like, Tensor) or (
                    gi._data.shape != like._data.shape or gi._data.dtype != like._data.dtype):
                gi = _fit(gi, like)
            if type(edge) is Node:
                if needed is not None and edge not in needed:
                    continue
                if edge.n_outputs != 1:
                    slots = pending.setdefault(edge, [None] * edge.n_outputs)
                    k = node.params["index"] if node.params else 0
                    slots[k] = gi if slots[k] is None else slots[k] + gi
                elif edge in pending:
                    total = pending[edge]
                    # Add in place to a sum held only by pending, by this name
                    # and by grads_in at an index already passed (x * x).
                    if (create_graph or total is g or total is gi or total._rg or gi._rg
                            or _occurrences(grads_in, total, i)
                            or not _unshared(total, 2 + _occurrences(grads_in, total))):
                        pending[edge] = total + gi
                    else:
                        total._data += gi._data
                else:
                    pending[edge] = gi
            elif capture is not None:
                if edge in capture:
                    _capture(capture, results, edge, gi)
            elif edge._trainable:
                # Held by the name gi, by g when the rule passed its input
                # through, and once by grads_in (unless _fit made a new one); a
                # gradient the rule returned twice is never taken over.
                returned = _occurrences(grads_in, gi)
                owned = (not create_graph and returned <= 1
                         and _unshared(gi, 1 + (gi is g) + returned))
                _deliver_to_leaf(edge, gi, create_graph, owned)
        if not retain_graph:
            # Drop what backward needed; a second backward through it is an error.
            node.edges = ()
            node.inputs = node.out_data = node.params = None
            node.released = True
