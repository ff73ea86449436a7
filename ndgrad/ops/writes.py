"""In-place writes (``x += y``, ``x.add_(y)``, ``x[i] = v``): into the tensor's
memory, and recorded on the graph when the graph is involved, as PyTorch does.

- **Outside the graph** (no input requires grad, or under ``no_grad``): the
  values are written into the memory and the storage's version is bumped, so a
  graph that saved the old values (through this tensor or any view or alias of
  it) refuses to backward through them.
- **A trainable leaf**, or a view of one, is refused while recording: the update
  would be differentiated. Under ``no_grad`` (or through ``.data``) it is a
  plain write.
- **A result in the graph** that shares its memory with no other tensor is
  rebased: the op is recorded and the tensor points to the new value and node.
- **A tensor whose memory is shared** (it has views or aliases) gets the new
  values written into that memory, so every view sees them, as in NumPy.
- **A view** (``h[0:2]``, ``h.T``, ``h.reshape(...)``): the op is recorded on the
  base's graph, PyTorch's CopySlices: the base becomes "the old base with the
  view's elements replaced by the op's result", so later uses of the base (and
  of its other views, see ``ndgrad._tensor_storage.refresh``) differentiate
  through the write.

Example:
    >>> import ndgrad
    >>> x = ndgrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> w = ndgrad.tensor([5.0, 7.0], requires_grad=True)
    >>> h = x * 2
    >>> v = h[0:2]
    >>> v += w                       # writes into h, recorded on h's graph
    >>> h.tolist()
    [7.0, 11.0, 6.0]
    >>> (h * h).sum().backward()
    >>> x.grad.tolist(), w.grad.tolist()
    ([28.0, 44.0, 24.0], [14.0, 22.0])
"""

import numpy as np

from .. import _tensor_storage as storage
from .._backend import xp
from ..autograd import breaks
from ..autograd.mode import state
from ..autograd.primitive import primitive
from ..errors import DTypeError
from ..tensor import Tensor
from .complex_numbers import differentiates_complex

__all__ = []


def recorded(x, value_rg):
    """Whether a write into ``x`` (of a value that requires grad when ``value_rg``)
    must be recorded: while recording, when ``x``, its base or the value needs grad.

    Example:
        >>> from ndgrad.ops.writes import recorded
        >>> import ndgrad
        >>> recorded(ndgrad.zeros(2), False), recorded(ndgrad.zeros(2), True)
        (False, True)
    """
    if not state.enabled:
        return False
    vc = x._vc
    if vc is not None and vc[3]:
        storage.refresh(x)
    if x._rg or value_rg:
        return True
    if vc is None or not vc[2]:             # nobody shares the memory: not a view
        return False
    view = storage.view_of(x)
    return view is not None and view[0]._rg


def _where(name):
    return f"{name} at {breaks.describe_site()}"


def bump(x, name, region=None):
    """Count a write into ``x``'s memory (into ``region``, a view of it, when given),
    noting the op and the user's line."""
    storage.note_write(x._version_counter(), x._data if region is None else region,
                       _where(name))


def read_only_error(name, x):
    """The error for a write into read-only memory: a ValueError, as NumPy's."""
    return ValueError(
        f"in-place {name}: this tensor's memory is read-only (shape {x.shape}): an "
        "expanded or broadcast view (expand, broadcast_to), where several elements share "
        "one memory location, or a read-only NumPy array. Write into a copy instead "
        "(x = x.clone(), or x.copy()).")


def copy_into(name, x, array):
    """Write ``array`` into ``x``'s memory (refused, with what to do, when read-only;
    NumPy checks before it writes anything)."""
    try:
        xp.copyto(x._data, array, casting="same_kind")
    except ValueError:
        if not x._data.flags.writeable:
            raise read_only_error(name, x) from None
        raise


def snapshot(x, copy=False):
    """A tensor holding ``x``'s current value and node, for an in-place op's rule to
    read after ``x`` itself has been rebased onto the op (see :func:`rebase`);
    ``copy=True`` when the memory is about to be overwritten."""
    before = Tensor._wrap(x._data.copy() if copy else x._data, x._node)
    before._rg = x._rg
    return before


def rebase(x, result):
    """Make ``x`` the recorded ``result`` of an in-place op: its new value and node,
    and a version one ahead, so rules that saved the old ``x`` refuse to run.

    Only for a tensor whose memory nobody else shares: the counter is a new one;
    when the op saved its output (``exp_``, ``sigmoid_``) it is that output's
    counter, so a later write into ``x`` is caught by the op's rule too."""
    old = 0 if x._vc is None else x._vc[0]
    site = breaks.describe_site()
    x._data = result._data
    x._node = result._node
    x._rg = x._node is not None
    node = result._node
    if node is not None and result._vc is not None and result._vc is node.out_vc:
        node.out_version = result._vc[0] = old + 1
        result._vc[1] = site
        x._vc = result._vc
    else:
        x._vc = storage.new_counter(old + 1, site)


def _refuse_trainable_leaf(x, name):
    tensor = f"tensor {x.name!r}" if x.name else "tensor"
    raise RuntimeError(
        f"in-place {name} on a trainable leaf while recording would be differentiated "
        f"({tensor} of shape {x.shape}, a leaf that requires grad). Update it under "
        "`with ndgrad.no_grad():` (torch.no_grad()), write through .data (p.data.add_(...)), "
        "use Variable.assign/assign_add/assign_sub, or write x = x + ... to make a new tensor.")


def _fitted(name, x, result):
    if result.shape != x.shape:
        raise ValueError(f"in-place {name}: the result has shape {result.shape}, which does "
                         f"not fit into the tensor's shape {x.shape}")
    if result.dtype != x.dtype:
        if result.dtype.kind == "c" and x.dtype.kind != "c":
            # NumPy's same_kind rule and PyTorch refuse this too: the imaginary part
            # would be lost (and with it its gradient).
            raise DTypeError(
                f"in-place {name}: the result is {result.dtype}, which cannot be written into "
                f"a {x.dtype} tensor without dropping its imaginary part (as NumPy and PyTorch "
                f"refuse it); write x = x {name.rstrip('=')} ... to make a new complex tensor, "
                f"or cast x to a complex dtype first (at {breaks.describe_site()})")
        from .cast import astype
        result = astype(result, x.dtype)
    return result


def write(x, name, step, reads_before=True, region=None):
    """``x = step(x)`` recorded on the graph and written into ``x``'s memory.

    ``step`` gets a tensor holding ``x``'s value before the write and returns the
    new value (a new array, recorded). ``reads_before=False`` says that its
    rules never read that value (``setitem``), which spares a copy; ``region``
    is the part of ``x``'s array whose values change (all of it by default).
    """
    vc = x._vc
    if vc is None or not vc[2]:
        # Nobody else sees this memory: x takes the result's array (no copy).
        if x._node is None and x._trainable:
            _refuse_trainable_leaf(x, name)
        rebase(x, _fitted(name, x, step(snapshot(x))))
        return x
    view = storage.view_of(x)
    if view is not None:
        return _write_view(x, view, name, step, reads_before, region)
    if x._node is None and x._trainable:
        _refuse_trainable_leaf(x, name)
    if not x._data.flags.writeable:
        raise read_only_error(name, x)
    # Views or aliases see this memory: write into it.
    result = _fitted(name, x, step(snapshot(x, copy=reads_before)))
    xp.copyto(x._data, result._data, casting="same_kind")
    x._node = result._node
    x._rg = x._node is not None or x._watch > 0
    storage.note_write(vc, x._data if region is None else region, _where(name))
    vc[3] += 1                          # the views' nodes now predate the write
    return x


def _write_view(x, view, name, step, reads_before, region):
    base, steps, _ = view
    if base._node is None and base._trainable:
        raise RuntimeError(
            f"in-place {name} on a view of a trainable leaf while recording would be "
            f"differentiated (the view has shape {x.shape}, its base {base.shape}). Update "
            "the leaf under `with ndgrad.no_grad():`, or make a new tensor "
            "(y = x.clone(); y[...] = ...).")
    if base._rg and not x._rg:
        raise RuntimeError(
            f"in-place {name} with recording on, on a view made under no_grad of a tensor "
            "that requires grad: whether the write should be differentiated is ambiguous. "
            "Make the view and write both inside the no_grad block (not recorded) or both "
            "outside it (recorded).")
    if not x._data.flags.writeable:
        raise read_only_error(name, x)
    before_base = snapshot(base)        # the base's old node; its values are not read
    before = storage.replay(before_base, steps)
    if reads_before:
        before._data = before._data.copy()      # its memory is about to change
    result = _fitted(name, x, step(before))
    written = _write_into_view(before_base, result, steps=steps)
    base._node = written._node
    base._rg = base._node is not None or base._watch > 0
    vc = base._vc
    storage.note_write(vc, x._data if region is None else region, _where(name))
    vc[3] += 1
    storage.refresh(x)
    return x


@primitive(name="write_view", reads=())
def _write_into_view(base, values, steps):
    """The base with the view's elements replaced by ``values``: written into the
    base's own memory (the result is that memory), PyTorch's CopySlices."""
    storage.replay_array(base, steps)[...] = values
    return base


@_write_into_view.defvjp
def _write_into_view_vjp(g, out, base, values, steps, needs):
    g_base = _zero_view(g, steps=steps) if needs[0] else None
    g_values = storage.replay(g, steps) if needs[1] else None
    return g_base, g_values


@primitive(name="zero_view", reads=())
def _zero_view(g, steps):
    """``g`` with the view's elements set to zero (a new array)."""
    out = np.array(g, copy=True)
    storage.replay_array(out, steps)[...] = 0
    return out


@_zero_view.defvjp
def _zero_view_vjp(gg, out, g, steps):
    return _zero_view(gg, steps=steps)



differentiates_complex(_write_into_view, _zero_view)
