"""Storage shared between tensors: one version counter per storage, and views
that know their base.

A tensor's ``_vc`` is its storage's version counter, a list ``[version, site,
shared, rebased, log]``: how many in-place writes the memory has seen, where the
last one was (the user's ``file:line`` and the op), whether any other tensor
shares the memory, how many of the writes were recorded on the graph, and, once
shared, the last writes with the part of the memory each one wrote.
Every tensor that shares the memory holds the same list, so a write through any
of them (an in-place op, ``x[i] = v``, ``optimizer.step``, ``Variable.assign``,
under ``no_grad`` or not) is seen by a graph that saved any other: backward
compares the version the op saw with the version now, and refuses unless every
write since touched memory the saved tensor does not overlap
(:func:`conflicting_write`), so ``out[t] = f(out[t - 1])`` stays legal.

Two kinds of tensor share a storage:

- *aliases* (``detach()``, ``.data``, ``view(dtype)``, ``copy.copy``,
  ``Variable.read_value``): the same memory, no graph link to the original;
- *views* made by a view op (basic indexing, ``reshape`` when NumPy gives a
  view, ``transpose``/``.T``/``permute``, ``expand_dims``/``squeeze``,
  ``broadcast_to``/``expand``, ``flip``, ``diagonal``): they also carry
  ``_view = (base, steps, rebased)``, the tensor that owns the memory, the view
  ops that lead from it, and the storage's count of recorded writes when the
  view's graph node was made.

An in-place op on a view is recorded on the base's graph (``ndgrad.ops.writes``,
PyTorch's CopySlices). The other views of the base then hold nodes from before
the write; each is re-derived from the written base when it is next used by a
recorded op (:func:`refresh`), as PyTorch regenerates a view's ``grad_fn``.
The other tensors carry no ``_view`` at all until their memory is shared; then
it is None.

Example:
    >>> import ndgrad
    >>> h = ndgrad.arange(4.0)
    >>> v = h[1:3]
    >>> v._vc is h._vc, v._view[0] is h
    (True, True)
    >>> v += 10.0
    >>> h.tolist(), h._version
    ([0.0, 11.0, 12.0, 3.0], 1)
"""

import numpy as np

from .autograd.mode import state as _mode

_ndarray = np.ndarray
_record = None   # ndgrad.autograd.primitive.record, bound there (it imports this module)


def new_counter(version=0, site=None):
    """A version counter of a storage nobody else shares.

    Example:
        >>> new_counter()
        [0, None, False, 0, None]
    """
    return [version, site, False, 0, None]


def shared_counter(tensor):
    """``tensor``'s version counter, created if needed and marked shared.

    Example:
        >>> import ndgrad
        >>> shared_counter(ndgrad.zeros(2))
        [0, None, True, 0, None]
    """
    vc = tensor._vc
    if vc is None:
        vc = tensor._vc = [0, None, True, 0, None]
        tensor._view = None
    elif not vc[2]:
        vc[2] = True
        tensor._view = None
    return vc


_LOGGED = 16    # writes remembered per shared storage; older ones count as overlapping


def note_write(vc, region, site):
    """Count a write into the storage of ``vc``; ``region`` is the array that was
    written (a view of the storage), or None when it is not known.

    Example:
        >>> import ndgrad
        >>> h = ndgrad.zeros(4); v = h[:2]
        >>> note_write(h._vc, h._data[2:], "a test")
        >>> h._version, conflicting_write(h._vc, 0, v._data), conflicting_write(h._vc, 0, h._data)
        (1, None, 'a test')
    """
    vc[0] += 1
    vc[1] = site
    if vc[2]:
        log = vc[4]
        if log is None:
            log = vc[4] = []
        log.append((vc[0], region, site))
        if len(log) > _LOGGED:
            del log[0]


def conflicting_write(vc, version, array):
    """Where the storage of ``vc`` was written since ``version`` in memory that
    ``array`` may overlap (NumPy's bounds check), or None when no such write was;
    a write whose region is unknown or forgotten counts as overlapping."""
    log = vc[4] or ()
    written = {entry[0]: entry for entry in log}
    for later in range(version + 1, vc[0] + 1):
        entry = written.get(later)
        if entry is None:
            return vc[1]
        region = entry[1]
        if region is None or array is None or np.may_share_memory(region, array):
            return entry[2]
    return None


def alias(tensor, out):
    """Make ``out`` (a tensor around ``tensor``'s array) share its version counter.

    Example:
        >>> import ndgrad
        >>> t = ndgrad.zeros(2)
        >>> a = alias(t, ndgrad.Tensor._wrap(t._data))
        >>> a[0] = 1.0
        >>> t._version, t.tolist()
        (1, [1.0, 0.0])
    """
    out._vc = shared_counter(tensor)
    out._view = None
    return out


def view_of(tensor):
    """``(base, steps, rebased)`` when ``tensor`` is a view of its base's memory, else None.

    A view whose base has since been given other memory (``base.data = ...``)
    is no longer one: it keeps the old memory and its counter.

    Example:
        >>> import ndgrad
        >>> h = ndgrad.zeros(3)
        >>> view_of(h[:2])[0] is h, view_of(h)
        (True, None)
    """
    view = getattr(tensor, "_view", None)
    if view is None or view[0]._vc is not tensor._vc:
        return None
    return view


def adopt_view(result, source, step):
    """Register ``result``, made from ``source`` by the view op ``step`` (a tuple
    ``(op, forward, params)``), as a view when its array shares ``source``'s memory.

    A reshape that had to copy, or indexing that NumPy answered with a copy,
    shares nothing and keeps a counter of its own.
    """
    data = result._data
    if type(data) is not _ndarray:          # a sparse tensor's refusing slot
        return
    owner = data.base
    if owner is None:
        return
    src = source._data
    if owner is not src and owner is not src.base and not _may_share(owner, data, src):
        return
    vc = source._vc
    if vc is not None and vc[2]:
        parent = getattr(source, "_view", None)         # set on every sharer (see above)
        if parent is not None and parent[0]._vc is vc:
            result._vc = vc
            result._view = (parent[0], parent[1] + (step,), vc[3])
            return
    else:
        vc = shared_counter(source)
    result._vc = vc
    result._view = (source, (step,), vc[3])


def _may_share(owner, data, src):
    """Whether ``data`` (whose base is ``owner``) may view ``src``'s memory when
    ``owner`` is neither ``src`` nor its base. NumPy gives a view the array that
    owns the memory as its base, so an owner that owns its memory and is not
    ``src``'s root is a fresh array (a reshape that copied): no bounds check."""
    if type(owner) is _ndarray and owner.base is None:
        root = src
        while type(root.base) is _ndarray:
            root = root.base
        if root.base is None:
            return root is owner
    return np.may_share_memory(data, src)


def replay(tensor, steps):
    """The view ``steps`` applied to ``tensor``, recorded as ops are (a view of its
    memory, not registered as one: the caller decides what it is).

    Example:
        >>> import ndgrad
        >>> h = ndgrad.arange(6.0)
        >>> v = h.reshape(2, 3)[1]
        >>> replay(h, v._view[1]).tolist()
        [3.0, 4.0, 5.0]
    """
    for op, forward, params in steps:
        tensor = _record(op, forward(tensor._data, **params), (tensor,), params or None)
    return tensor


def replay_array(array, steps):
    """The view ``steps`` applied to a NumPy array (a view of it)."""
    for _, forward, params in steps:
        array = forward(array, **params)
    return array


def refresh(tensor):
    """Re-derive a view's graph node from its base when a recorded write to the
    storage came after the node was made; called by ops before they use ``tensor``
    (only while recording: outside it there is no node to give).

    Example:
        >>> import ndgrad
        >>> x = ndgrad.tensor([1.0, 2.0], requires_grad=True)
        >>> h = x * 1; a = h[:1]; b = h[1:]
        >>> b.mul_(x[1:])              # recorded on h's graph
        Tensor([4.], dtype=float32, op=getitem)
        >>> refresh(a)                 # a's node now starts from the written h
        >>> (a * h).sum().backward(); x.grad.tolist()     # x0*x0 + x0*x1*x1
        [6.0, 4.0]
    """
    vc = tensor._vc
    if vc is None or not vc[3] or not _mode.enabled:
        return
    view = getattr(tensor, "_view", None)
    if view is None or view[2] == vc[3] or view[0]._vc is not vc or tensor._trainable:
        return
    base, steps, _ = view
    fresh = replay(base, steps)
    tensor._node = fresh._node
    tensor._rg = fresh._node is not None or tensor._watch > 0
    tensor._view = (base, steps, vc[3])
