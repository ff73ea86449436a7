"""Listeners on the gradients that a capturing walk returns (``tape.gradient``,
``autograd.grad``), told as soon as each gradient is final.

A capturing walk writes no ``.grad``, so the post-accumulate hooks
(``post_accumulate.py``) never run for it; a Keras-style training step takes
its gradients with ``tape.gradient`` and hands them to the optimizer. A
listener (:func:`listen`) on a leaf is called as ``listener(leaf, gradient)``
during the walk, right after the segment of the walk that made the leaf's
gradient final (the leaf's consumer that comes first in post-order), while
the rest of the backward goes on: data-parallel ``fit`` starts averaging a
layer's gradients across processes while the earlier layers' gradients are
still being computed. The gradient passed is the very tensor the walk
returns; a listener must not change it.

Leaves with ``register_hook`` hooks get their sum at the end of the walk, and
a root that is itself a source has its gradient before the walk: their
listeners are told at the end (:func:`finish`). A walk with no listened
source walks as before, at no cost.

Example:
    >>> import ndgrad
    >>> w = ndgrad.Variable([1.0, 2.0])
    >>> from ndgrad.autograd.captured import listen
    >>> handle = listen(w, lambda leaf, g: print("final:", g.tolist()))
    >>> with ndgrad.GradientTape() as tape:
    ...     loss = (w * w).sum()
    >>> tape.gradient(loss, [w])[0].tolist()
    final: [2.0, 4.0]
    [2.0, 4.0]
    >>> handle.remove()
"""

from .. import tensor as _tensor     # a module: ndgrad.tensor imports this one's users
from .hooks import leaf_hooks
from .post_accumulate import attach

__all__ = ["listen", "walk_in_segments", "finish"]

LISTENED = {}               # id(leaf) -> (weakref to the leaf, {key: listener}); empty: no cost


def listen(tensor, listener):
    """Call ``listener(tensor, gradient)`` whenever a capturing walk
    (``tape.gradient``, ``autograd.grad``) has ``tensor``'s final gradient;
    returns a handle whose ``remove()`` stops it.

    Example:
        >>> import ndgrad
        >>> from ndgrad.autograd.captured import listen
        >>> x = ndgrad.Variable(3.0)
        >>> handle = listen(x, lambda leaf, g: print("heard", g.item()))
        >>> ndgrad.autograd.grad(x * x, [x])[0].item()
        heard 6.0
        6.0
        >>> handle.remove()
    """
    if not callable(listener):
        raise TypeError(f"listen: the listener must be callable (a function of the tensor and "
                        f"its gradient), got {type(listener).__name__}")
    if not isinstance(tensor, _tensor.Tensor) or tensor._node is not None:
        raise ValueError("listen: only a leaf tensor (a parameter or Variable) can be listened "
                         "to; a result's gradient is not returned as final in one place")
    return attach(LISTENED, tensor, listener)


def _tell(leaf, gradient):
    entry = LISTENED.get(id(leaf))
    if entry is not None and entry[0]() is leaf:
        for listener in list(entry[1].values()):
            listener(leaf, gradient)


def _listened(sources):
    """{id(leaf): index of its first place in sources} of the listened leaf sources."""
    wanted = {}
    for index, source in enumerate(sources):
        if source._node is None and id(source) in LISTENED:
            wanted.setdefault(id(source), index)
    return wanted


def walk_in_segments(order, sources, results, walk_segment, *arguments):
    """Run ``walk_segment(nodes, *arguments)`` over ``order`` (post-order, walked
    backwards) in segments that end where a listened source's gradient becomes
    final, telling its listeners after its segment; returns the ids told.

    Example:
        >>> from ndgrad.autograd.captured import walk_in_segments
        >>> walk_in_segments([], [], [], lambda nodes: None)
        set()
    """
    wanted = _listened(sources)
    told = set()
    if not wanted:
        walk_segment(order, *arguments)
        return told
    last, seen = {}, set()
    for position, node in enumerate(order):
        for edge in node.edges:
            if isinstance(edge, _tensor.Tensor) and id(edge) in wanted and id(edge) not in seen:
                seen.add(id(edge))
                last.setdefault(position, []).append(id(edge))
    high = len(order)
    for position in sorted(last, reverse=True):
        walk_segment(order[position:high], *arguments)
        high = position
        for key in last[position]:
            index = wanted[key]
            leaf = sources[index]
            # A leaf with register_hook hooks gets its (hooked) sum at the end.
            if results[index] is not None and not leaf_hooks(leaf):
                told.add(key)
                _tell(leaf, results[index])
    if high:
        walk_segment(order[:high], *arguments)
    return told


def finish(sources, results, told):
    """Tell the listeners of the sources whose gradients were final only at the
    end of the walk (hooked leaves, a root that is a source).

    Example:
        >>> from ndgrad.autograd.captured import finish
        >>> finish([], [], set())
    """
    for key, index in _listened(sources).items():
        if key not in told and results[index] is not None:
            _tell(sources[index], results[index])
