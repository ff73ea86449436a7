"""Where the graph was cut on purpose or by accident, and the user's line.

A gradient break is any place a tensor that requires grad leaves the graph:
``detach()``, conversion to a NumPy array, a cast to an integer or boolean
dtype, a non-differentiable op. ndgrad records the most recent break per
source line (file, line, what happened, the tensor's name) so that
``ndgrad.explain`` can say where a gradient stopped. Implicit conversions
(``np.asarray(t)`` while recording) also warn once per source line with
:class:`GradientBreakWarning`.

Example:
    >>> import warnings, numpy as np, ndgrad
    >>> w = ndgrad.Variable([1.0, 2.0])
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     a = np.asarray(w * 2)
    >>> caught[0].category.__name__
    'GradientBreakWarning'
"""

import os
import sys
import warnings
import weakref
from dataclasses import dataclass

import numpy

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_NUMPY_DIR = os.path.dirname(os.path.abspath(numpy.__file__))


class GradientBreakWarning(UserWarning):
    """A tensor that requires grad was turned into data the graph cannot follow.

    Example:
        >>> import ndgrad
        >>> issubclass(ndgrad.GradientBreakWarning, UserWarning)
        True
    """


@dataclass(frozen=True)
class GradientBreak:
    """One recorded cut: what happened, where, and to which tensor.

    Example:
        >>> from ndgrad.autograd.breaks import GradientBreak
        >>> GradientBreak("detach", "train.py", 12, "dense/kernel").where
        'train.py:12'
    """
    kind: str        # "detach", "numpy", "integer cast", "non-differentiable op", ...
    filename: str
    lineno: int
    tensor_name: str | None = None

    @property
    def where(self):
        return f"{self.filename}:{self.lineno}"


_MAX_RECORDS = 256
_records = {}          # (filename, lineno, kind) -> (GradientBreak, tensor weakref, leaf weakrefs)
_no_grad_uses = {}     # id(tensor) -> (site, tensor weakref, leaf weakrefs)
_warned = set()
_count = [0]           # record_break calls so far: breaks_since reads what came after a mark


def leaves_behind(tensor, limit=100_000):
    """Weak references to the leaves that need a gradient and that ``tensor``
    was computed from: the variables a cut at ``tensor`` takes out of the graph.

    The walk follows the graph's edges (at most ``limit`` nodes) and is cheap
    next to the ops that built the graph; a leaf gives itself.

    Example:
        >>> from ndgrad.autograd.breaks import leaves_behind
        >>> import ndgrad
        >>> w = ndgrad.Variable([1.0])
        >>> [ref() is w for ref in leaves_behind(w * 2)]
        [True]
    """
    node = getattr(tensor, "_node", None)
    if node is None:
        return (weakref.ref(tensor),) if getattr(tensor, "_rg", False) else ()
    from .graph import Node
    leaves, seen, stack = {}, {node}, [node]
    while stack and len(seen) <= limit:
        for edge in stack.pop().edges:
            if edge is None:
                continue
            if type(edge) is Node:
                if edge not in seen:
                    seen.add(edge)
                    stack.append(edge)
            elif edge not in leaves:
                leaves[edge] = None
    return tuple(weakref.ref(leaf) for leaf in leaves)


def _trim(registry):
    if len(registry) >= _MAX_RECORDS:
        registry.pop(next(iter(registry)))


def user_frame():
    """The innermost stack frame outside ndgrad (and NumPy): the user's line.

    Example:
        >>> from ndgrad.autograd.breaks import user_frame
        >>> user_frame().f_code.co_name
        '<module>'
    """
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not (filename.startswith(_PACKAGE_DIR) or filename.startswith(_NUMPY_DIR)
                or filename.startswith("<frozen")):
            return frame
        frame = frame.f_back
    return sys._getframe(1)


def user_site():
    """``(filename, lineno)`` of the user's line that called into ndgrad.

    Example:
        >>> from ndgrad.variable import user_site
        >>> isinstance(user_site()[1], int)
        True
    """
    frame = user_frame()
    return frame.f_code.co_filename, frame.f_lineno


def describe_site():
    """The user's line as ``file:line`` for error messages.

    Example:
        >>> from ndgrad.errors import describe_site
        >>> ":" in describe_site()
        True
    """
    filename, lineno = user_site()
    return f"{filename}:{lineno}"


def record_break(kind, tensor=None, warn=False, message=None):
    """Remember that the graph was cut here; warn once per line when asked.

    Example:
        >>> from ndgrad.autograd.breaks import record_break
        >>> b = record_break("detach")
        >>> b.kind
        'detach'
    """
    filename, lineno = user_site()
    name = getattr(tensor, "name", None) if tensor is not None else None
    brk = GradientBreak(kind, filename, lineno, name)
    key = (filename, lineno, kind)
    if key in _records:
        del _records[key]            # re-inserted last: the dict stays oldest-first
    else:
        _trim(_records)
    ref = weakref.ref(tensor) if tensor is not None else None
    _records[key] = (brk, ref, leaves_behind(tensor) if tensor is not None else ())
    _count[0] += 1
    if warn and key not in _warned:
        _warned.add(key)
        warnings.warn_explicit(message or f"gradient break: {kind}", GradientBreakWarning,
                               filename, lineno)
    return brk


_inference_outputs = {}    # id -> (weakref to the tensor, test or None), see mark_inference


def mark_inference(tensor, test=None):
    """Note that ``tensor`` is a Keras-style model's output computed for inference
    (outside any GradientTape, not ``training=True``): as in Keras, no gradient is
    expected from it, so converting it to NumPy is not a cut worth a warning.
    ``test``, when given, is asked at that conversion whether it still holds (the
    model's check, kept off the forward's path: conversions are rare, calls are not).

    Example:
        >>> import ndgrad
        >>> from ndgrad.autograd.breaks import is_inference, mark_inference
        >>> out = ndgrad.Variable([1.0]) * 2
        >>> mark_inference(out); is_inference(out)
        True
    """
    key = id(tensor)
    _inference_outputs[key] = (weakref.ref(tensor, lambda _, key=key: _inference_outputs.pop(
        key, None)), test)


def is_inference(tensor):
    """Whether :func:`mark_inference` marked ``tensor`` (by identity) and its test,
    if any, holds.

    Example:
        >>> import ndgrad
        >>> from ndgrad.autograd.breaks import is_inference
        >>> is_inference(ndgrad.Variable([1.0]) * 2)
        False
    """
    entry = _inference_outputs.get(id(tensor))
    if entry is None or entry[0]() is not tensor:
        return False
    return entry[1] is None or bool(entry[1]())


def gradient_breaks():
    """Every recorded break, oldest first, as :class:`GradientBreak` objects.

    Example:
        >>> from ndgrad import gradient_breaks
        >>> isinstance(gradient_breaks(), list)
        True
    """
    return [record[0] for record in _records.values()]


def breaks_for(tensor):
    """The recorded breaks whose tensor is ``tensor`` (by identity).

    Example:
        >>> from ndgrad.autograd.breaks import breaks_for
        >>> breaks_for(object())
        []
    """
    return [brk for brk, ref, _ in _records.values() if ref is not None and ref() is tensor]


def breaks_reaching(variable):
    """The recorded breaks that cut ``variable`` out of a graph, newest first.

    Example:
        >>> from ndgrad.autograd.breaks import breaks_reaching
        >>> import ndgrad
        >>> w = ndgrad.Variable([1.0])
        >>> d = (w * 3).detach()
        >>> [b.kind for b in breaks_reaching(w)][:1]
        ['detach']
    """
    return [brk for brk, _, leaves in reversed(list(_records.values()))
            if any(ref() is variable for ref in leaves)]


def note_no_grad_use(tensor, site):
    """Remember that ``tensor`` (which needs a gradient) was used inside the
    user's ``no_grad`` block at ``site``; once per tensor and block.

    Example:
        >>> from ndgrad.autograd.breaks import no_grad_use
        >>> from ndgrad.autograd.breaks import note_no_grad_use
        >>> import ndgrad
        >>> w = ndgrad.Variable([1.0])
        >>> note_no_grad_use(w, ("train.py", 7)); no_grad_use(w)
        'train.py:7'
    """
    key = id(tensor)
    entry = _no_grad_uses.get(key)
    if entry is not None and entry[0] == site and entry[1]() is tensor:
        return
    if entry is None:
        _trim(_no_grad_uses)
    _no_grad_uses[key] = (site, weakref.ref(tensor), leaves_behind(tensor))


def no_grad_use(variable):
    """``file:line`` of the latest ``no_grad`` block that used ``variable``
    (directly or through a result computed from it), or None.

    Example:
        >>> from ndgrad.autograd.breaks import no_grad_use
        >>> import ndgrad
        >>> no_grad_use(ndgrad.Variable([2.0])) is None
        True
    """
    for site, _, leaves in reversed(list(_no_grad_uses.values())):
        if any(ref() is variable for ref in leaves):
            return f"{site[0]}:{site[1]}"
    return None


def break_count():
    """A mark for :func:`breaks_since`: how many breaks were recorded so far.

    Example:
        >>> from ndgrad.autograd.breaks import break_count
        >>> break_count() >= 0
        True
    """
    return _count[0]


def breaks_since(mark, tensor):
    """The breaks recorded after ``mark`` (from :func:`break_count`) that cut
    ``tensor`` out of a graph, newest first: the cuts made by one call.

    Example:
        >>> from ndgrad.autograd.breaks import breaks_since
        >>> from ndgrad.autograd.breaks import break_count
        >>> import ndgrad
        >>> w = ndgrad.Variable([1.0])
        >>> mark = break_count()
        >>> d = (w * 3).detach()
        >>> [b.kind for b in breaks_since(mark, w)]
        ['detach']
    """
    new = min(_count[0] - mark, len(_records))
    if new <= 0:
        return []
    recent = list(_records.values())[-new:]      # re-recorded keys move to the end too
    return [brk for brk, _, leaves in reversed(recent)
            if any(ref() is tensor for ref in leaves)]


def clear_gradient_breaks():
    """Forget every recorded break and every 'warned once' line.

    Example:
        >>> from ndgrad import gradient_breaks
        >>> from ndgrad.autograd.breaks import clear_gradient_breaks
        >>> clear_gradient_breaks(); gradient_breaks()
        []
    """
    _records.clear()
    _no_grad_uses.clear()
    _warned.clear()
