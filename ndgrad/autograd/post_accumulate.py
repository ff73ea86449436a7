"""Post-accumulate-grad hooks and final callbacks of a backward walk.

A post-accumulate hook (``Tensor.register_post_accumulate_grad_hook``, as in
PyTorch) is called with a leaf once backward has added the leaf's whole
gradient to ``.grad``, *during* the walk, as soon as no node still to be
visited can add to it: data-parallel training starts sending a gradient while
the rest of the backward runs.

How the walk finds that moment: the walk visits the nodes in reverse
post-order, so a leaf's gradient is final after the visit of its consumer
that comes first in post-order. When some leaf has a post hook, the walk is
cut into segments at those consumers (:func:`walk_in_segments`) and the hooks
of the leaves that received a gradient run between segments; the per-node
loop itself is unchanged, so a backward with no post hook anywhere costs
nothing more. Leaves whose gradient arrives at the end of the walk (those
with ``register_hook`` hooks, which hold their sum, or a root that is a
leaf) have their post hooks run after it.

:func:`queue_callback` adds a function that runs once the running backward
has finished (PyTorch's ``Variable._execution_engine.queue_callback``);
``DistributedDataParallel`` waits for its last gradients there.

Example:
    >>> import ndgrad
    >>> w = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    >>> seen = []
    >>> handle = w.register_post_accumulate_grad_hook(lambda p: seen.append(p.grad.tolist()))
    >>> (w * w).sum().backward()
    >>> seen
    [[2.0, 4.0]]
    >>> handle.remove()
"""

import itertools
import weakref

from .. import tensor as _tensor     # a module: ndgrad.tensor imports this one's users
from .hooks import RemovableHandle, leaf_hooks
from .mode import state

__all__ = ["register", "queue_callback", "walk_in_segments"]

POSTED = {}                 # id(leaf) -> (weakref to the leaf, {key: hook}); empty: no cost
_keys = itertools.count()


class _Walk:
    """What one running backward gathers: the hooked leaves it delivered to
    (id -> leaf), those whose hooks already ran, and its final callbacks."""

    __slots__ = ("delivered", "fired", "callbacks")

    def __init__(self):
        self.delivered = {}
        self.fired = set()
        self.callbacks = []


def attach(registry, tensor, callback):
    """Keep ``callback`` for the leaf ``tensor`` in ``registry`` (``{id(leaf):
    (weakref to the leaf, {key: callback})}``, as POSTED here and captured.LISTENED);
    the entry goes when the leaf does. Returns the handle that removes it.

    Example:
        >>> from ndgrad.autograd.post_accumulate import attach
        >>> import ndgrad
        >>> registry, w = {}, ndgrad.tensor(1.0, requires_grad=True)
        >>> handle = attach(registry, w, print)
        >>> len(registry[id(w)][1]); handle.remove(); len(registry[id(w)][1])
        1
        0
    """
    key = id(tensor)
    entry = registry.get(key)
    if entry is None or entry[0]() is not tensor:
        entry = registry[key] = (
            weakref.ref(tensor, lambda _, key=key: _drop_if_dead(registry, key)), {})
    callback_key = next(_keys)
    entry[1][callback_key] = callback
    return RemovableHandle(entry[1], callback_key)


def _drop_if_dead(registry, key):
    entry = registry.get(key)
    if entry is not None and entry[0]() is None:
        del registry[key]


def register(tensor, hook):
    """Register ``hook(tensor)`` to run after ``tensor.grad`` has its whole
    gradient of a backward (``Tensor.register_post_accumulate_grad_hook``).

    Example:
        >>> from ndgrad.autograd.post_accumulate import register
        >>> import ndgrad
        >>> w = ndgrad.tensor(3.0, requires_grad=True)
        >>> handle = register(w, lambda p: print("grad", p.grad.item()))
        >>> (w * 2).backward()
        grad 2.0
        >>> handle.remove()
    """
    if not callable(hook):
        raise TypeError(f"register_post_accumulate_grad_hook: the hook must be callable (a "
                        f"function of the tensor), got {type(hook).__name__}")
    if tensor._node is not None:
        raise RuntimeError("register_post_accumulate_grad_hook: the tensor is the result of an "
                           "op; post-accumulate hooks are for leaves (parameters), whose .grad "
                           "backward fills. Use register_hook on a result")
    if not tensor._rg:
        raise RuntimeError("register_post_accumulate_grad_hook: the tensor does not require "
                           "grad, so backward never accumulates into it; make it trainable "
                           "with requires_grad_() first")
    return attach(POSTED, tensor, hook)


def begin():
    """Open the record of one backward walk (``graph.backward`` calls it).

    Example:
        >>> from ndgrad.autograd.post_accumulate import finish
        >>> from ndgrad.autograd.post_accumulate import begin
        >>> begin(); finish()
    """
    state.walks.append(_Walk())


def delivered(leaf):
    """Note that the running walk added to ``leaf.grad`` (``accumulate`` calls
    it for leaves with post hooks only).

    Example:
        >>> from ndgrad.autograd.post_accumulate import delivered
        >>> import ndgrad
        >>> delivered(ndgrad.tensor(1.0))     # no walk running: nothing to note
    """
    walks = state.walks
    if walks and id(leaf) in POSTED:
        walks[-1].delivered[id(leaf)] = leaf


def _fire(walk, key):
    leaf = walk.delivered[key]
    walk.fired.add(key)
    entry = POSTED.get(key)
    if entry is not None and entry[0]() is leaf:
        for hook in list(entry[1].values()):
            hook(leaf)


def walk_in_segments(order, walk_segment, *arguments):
    """Run ``walk_segment(nodes, *arguments)`` over ``order`` (post-order, walked
    backwards) in segments that end where a hooked leaf's gradient becomes
    final, running that leaf's post hooks after its segment.

    Example:
        >>> from ndgrad.autograd.post_accumulate import finish
        >>> from ndgrad.autograd.post_accumulate import walk_in_segments
        >>> from ndgrad.autograd.post_accumulate import begin
        >>> begin(); walk_in_segments([], lambda nodes: None); finish()   # nothing to walk
    """
    last = {}                               # position -> ids of the leaves final there
    seen = set()
    for position, node in enumerate(order):
        for edge in node.edges:
            if isinstance(edge, _tensor.Tensor) and id(edge) in POSTED and id(edge) not in seen:
                seen.add(id(edge))
                last.setdefault(position, []).append(id(edge))
    walk = state.walks[-1]
    high = len(order)
    for position in sorted(last, reverse=True):
        walk_segment(order[position:high], *arguments)
        high = position
        for key in last[position]:
            # A leaf with register_hook hooks gets its sum at the end of the walk.
            if key in walk.delivered and not leaf_hooks(walk.delivered[key]):
                _fire(walk, key)
    if high:
        walk_segment(order[:high], *arguments)


def finish():
    """Run the post hooks not run yet (leaves delivered at the end of the walk),
    then the final callbacks, in order (a callback may queue another).

    Example:
        >>> from ndgrad.autograd.post_accumulate import finish
        >>> from ndgrad.autograd.post_accumulate import queue_callback
        >>> from ndgrad.autograd.post_accumulate import begin
        >>> begin(); queue_callback(lambda: print("done")); finish()
        done
    """
    walk = state.walks[-1]
    for key in list(walk.delivered):
        if key not in walk.fired:
            _fire(walk, key)
    callbacks = walk.callbacks
    index = 0
    while index < len(callbacks):
        callbacks[index]()
        index += 1
    state.walks.pop()


def queue_callback(callback):
    """Run ``callback()`` once the running backward has finished (from a hook).

    Example:
        >>> from ndgrad.autograd.post_accumulate import queue_callback
        >>> import ndgrad
        >>> w = ndgrad.tensor(1.0, requires_grad=True)
        >>> def hook(p):
        ...     queue_callback(lambda: print("after backward, grad", p.grad.item()))
        >>> handle = w.register_post_accumulate_grad_hook(hook)
        >>> (w * 5).backward()
        after backward, grad 5.0
        >>> handle.remove()
    """
    if not callable(callback):
        raise TypeError(f"queue_callback: the callback must be callable, got "
                        f"{type(callback).__name__}")
    if not state.walks:
        raise RuntimeError("queue_callback: no backward is running; call it from a hook "
                           "during backward")
    state.walks[-1].callbacks.append(callback)
