"""Tensor hooks and kept gradients: ``register_hook`` and ``retain_grad``.

A hook is called with a tensor's gradient when backward has computed all of
it, and may return a replacement (a tensor of the same shape) that is used
instead, as in PyTorch:

- On a result (a non-leaf), the node that made the tensor gets a copy of its
  op (:class:`HookedOp`) whose rule first runs the hooks on the incoming
  gradient, then keeps it in ``.grad`` when ``retain_grad()`` was called (so
  the kept gradient is the hooked one, as in PyTorch 2), then runs the
  original rule with it. ``backward`` calls a node's rule once, with the sum
  of every consumer's gradient, so a hook sees the whole gradient.
- On a leaf, the gradients that backward delivers to it are summed first
  (:func:`hold`) and the hooks run once on the sum at the end of the walk,
  before it is added to ``.grad`` or returned by ``autograd.grad``.

Example:
    >>> import ndgrad
    >>> x = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    >>> handle = x.register_hook(lambda g: g * 10)
    >>> (x * x).sum().backward()
    >>> x.grad.tolist()
    [20.0, 40.0]
    >>> handle.remove(); x.grad = None; (x * x).sum().backward(); x.grad.tolist()
    [2.0, 4.0]
"""

import itertools
import weakref

from .._backend import xp
from .mode import state
from .. import tensor as _tensor     # a module: ndgrad.tensor imports this one's users

_LEAF = {}                  # id(leaf) -> (weakref to the leaf, {key: hook})
_keys = itertools.count()
# state.holding (per thread): one entry per running backward, a dict
# id(leaf) -> [leaf, summed gradient], or None when no leaf had hooks at its start.


class RemovableHandle:
    """What ``register_hook`` returns: ``remove()`` takes the hook away (a
    context manager too, removing it at the end of the block).

    Example:
        >>> import ndgrad
        >>> x = ndgrad.tensor(1.0, requires_grad=True)
        >>> with x.register_hook(lambda g: g * 0):
        ...     (x * 3).backward()
        >>> x.grad.item()
        0.0
    """

    def __init__(self, hooks, key):
        self._hooks = hooks          # the hook dict only: the tensor is not kept alive
        self.id = key

    def remove(self):
        """Take the hook away (again: nothing happens)."""
        self._hooks.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()
        return False


def _checked(result, gradient, hook):
    if not isinstance(result, _tensor.Tensor):
        result = _tensor.Tensor._wrap(xp.asarray(result, dtype=gradient.dtype))
    if result.shape != gradient.shape:
        name = getattr(hook, "__name__", type(hook).__name__)
        raise RuntimeError(f"hook '{name}' returned a gradient of shape {result.shape} for a "
                           f"tensor of shape {gradient.shape}; a hook must keep the shape")
    return result


def run_hooks(hooks, gradient):
    """``gradient`` (a tensor) after each hook in order; a hook returning None
    leaves it as it is.

    Example:
        >>> from ndgrad.autograd.hooks import run_hooks
        >>> import ndgrad
        >>> run_hooks({0: lambda g: g + 1, 1: lambda g: None}, ndgrad.ones(2)).tolist()
        [2.0, 2.0]
    """
    for hook in list(hooks.values()):
        result = hook(gradient)
        if result is not None:
            gradient = _checked(result, gradient, hook)
    return gradient


class HookedOp:
    """A node's op that runs the tensor's hooks on the incoming gradient (and
    keeps it in ``.grad`` for ``retain_grad``) before the original rule."""

    __slots__ = ("original", "name", "reads", "saves_output", "wants_needs", "array_rule",
                 "hooks", "retain")

    def __init__(self, original):
        self.original = original
        self.name = original.name
        self.reads = original.reads
        self.saves_output = original.saves_output
        self.wants_needs = original.wants_needs
        self.array_rule = original.array_rule
        self.hooks = {}
        self.retain = None          # weakref to the tensor whose .grad keeps the gradient

    def run(self, g):
        """The gradient after the hooks (kept for ``retain_grad``), in ``g``'s kind:
        an array in, an array out."""
        array = type(g) is xp.ndarray
        if self.hooks:
            g = run_hooks(self.hooks, _tensor.Tensor._wrap(g) if array else g)
            if array:
                g = g._data
        tensor = self.retain() if self.retain is not None else None
        if tensor is not None:
            _keep(tensor, g)
        return g

    def vjp(self, g, out, *inputs, **params):
        return self.original.vjp(self.run(g), out, *inputs, **params)

    def __repr__(self):
        return f"<Op {self.name} (hooked)>"


def hooked_op(node):
    """The node's :class:`HookedOp`, put in place of its op on first use."""
    op = node.op
    if type(op) is not HookedOp:
        op = node.op = HookedOp(op)
    return op


def _keep(tensor, g):
    if isinstance(g, _tensor.Tensor) and g._rg:          # create_graph: keep it differentiable
        tensor.grad = g if tensor.grad is None else tensor.grad + g
        return
    array = g._data if isinstance(g, _tensor.Tensor) else xp.asarray(g)
    if array.shape != tensor.shape:
        array = xp.broadcast_to(array, tensor.shape)
    if tensor.grad is None:
        tensor.grad = _tensor.Tensor._wrap(xp.array(array, dtype=tensor.dtype, copy=True))
    else:
        tensor.grad._data += array


def leaf_hooks(leaf, create=False):
    """The hook dict of a leaf (None when it has none, unless ``create``)."""
    entry = _LEAF.get(id(leaf))
    if entry is not None and entry[0]() is leaf:
        return entry[1]
    if not create:
        return None
    key = id(leaf)
    ref = weakref.ref(leaf, lambda _, key=key: _forget(key))
    hooks = {}
    _LEAF[key] = (ref, hooks)
    return hooks


def _forget(key):
    entry = _LEAF.get(key)
    if entry is not None and entry[0]() is None:
        del _LEAF[key]


def register(tensor, hook):
    """Register ``hook`` on ``tensor`` (``Tensor.register_hook``); a handle back.

    Example:
        >>> from ndgrad.autograd.hooks import register
        >>> import ndgrad
        >>> y = ndgrad.Variable([1.0]) * 2
        >>> register(y, lambda g: g * 3).id >= 0
        True
    """
    if not callable(hook):
        raise TypeError(f"register_hook: the hook must be callable (a function of the "
                        f"gradient), got {type(hook).__name__}")
    if not tensor._rg:
        raise RuntimeError("register_hook: cannot register a hook on a tensor that does not "
                           "require grad (no gradient will reach it); make it trainable with "
                           "requires_grad_() or compute it from one that is")
    node = tensor._node
    hooks = leaf_hooks(tensor, create=True) if node is None else hooked_op(node).hooks
    key = next(_keys)
    hooks[key] = hook
    return RemovableHandle(hooks, key)


def hold(leaf, g):
    """During a backward walk: sum ``g`` for a leaf with hooks instead of
    delivering it (True), so its hooks run once on the whole gradient.

    Example:
        >>> from ndgrad.autograd.hooks import hold
        >>> import ndgrad
        >>> hold(ndgrad.tensor(1.0, requires_grad=True), ndgrad.ones(()))   # no walk running
        False
    """
    stack = state.holding
    held = stack[-1] if stack else None
    if held is None or not leaf_hooks(leaf):
        return False
    entry = held.get(id(leaf))
    if entry is None:
        held[id(leaf)] = [leaf, g]
    else:
        entry[1] = entry[1] + g
    return True


def begin():
    """Start holding the gradients of hooked leaves for one backward walk
    (``graph.backward`` calls it; :func:`finish` ends it).

    Example:
        >>> from ndgrad.autograd.hooks import finish
        >>> from ndgrad.autograd.hooks import begin
        >>> begin(); finish(None, False)
    """
    state.holding.append({} if _LEAF else None)


def finish(deliver, create_graph, sources=None, results=None):
    """End the walk's holding: run leaf hooks on the held sums and deliver
    them; run them on the captured gradients of leaf ``sources`` too."""
    held = state.holding.pop()
    if held:
        for leaf, g in held.values():
            deliver(leaf, run_hooks(leaf_hooks(leaf), g), create_graph, hooked=True)
    if results is not None and _LEAF:
        for i, source in enumerate(sources):
            hooks = leaf_hooks(source) if source._node is None else None
            if hooks and results[i] is not None:
                results[i] = run_hooks(hooks, results[i])
