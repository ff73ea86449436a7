"""Whether the backward walk may reuse a gradient's array instead of copying it.

A gradient that a rule has just computed belongs to nobody else, so the walk
can hand it to a leaf as its ``.grad`` (no copy of, say, a 4 MB weight
gradient) and add later contributions into it in place (no new array per
sum). A gradient that someone else can still see must not be reused: the seed
a user passed to ``backward``, a gradient a rule passed through unchanged, a
view of a saved input, a tensor a custom rule kept, a gradient already handed
to another leaf or waiting for another node.

Which of the two it is cannot be told from the values; it is told from
CPython's reference counts, the way NumPy itself decides to reuse the
temporaries of ``a + b + c``. A tensor the walk holds under ``held`` names,
and nowhere else, shows exactly ``held`` references plus what the call
itself adds; an array that only that tensor holds shows one plus the call's;
an array with a ``base`` is a view of memory someone else may own. What the
call adds differs between Python versions, so it is measured once, at
import, by the same calls on a tensor known to be held by one name.

Example:
    >>> from ndgrad.autograd.ownership import unshared
    >>> import ndgrad
    >>> t = ndgrad.tensor([1.0, 2.0])
    >>> unshared(t, 1)                 # held by the name t only
    True
    >>> alias = t
    >>> unshared(t, 1)                 # a second name sees it too
    False
"""

import sys

from .._backend import xp
from ..tensor import Tensor

_refcount = sys.getrefcount


def _reference_counts(t):
    """How many references the tensor ``t`` and its array have, seen from here."""
    return _refcount(t), _refcount(t._data)


def _probe(t):
    return _reference_counts(t)     # the same call depth as in unshared


def _calibrate():
    fresh = Tensor._wrap(xp.empty(1))   # referred to by this one local name only
    tensor_refs, array_refs = _probe(fresh)
    return tensor_refs - 1, array_refs


# What a tensor nobody else holds shows from inside unshared, besides the
# caller's ``held`` names, and what an array held by one tensor only shows.
_CALL_REFS, _SOLE_ARRAY_REFS = _calibrate()


def unshared(t, held):
    """True when the caller's ``held`` names are the only references to tensor
    ``t``, ``t`` is the only reference to its array, and that array owns its
    memory: writing into it, or handing it to a leaf as its ``.grad``, cannot be
    seen through any other tensor, view or saved input.

    Example:
        >>> from ndgrad.autograd.ownership import unshared
        >>> import ndgrad
        >>> unshared(ndgrad.tensor([1.0, 2.0])[::2], 1)    # a view of another array
        False
    """
    tensor_refs, array_refs = _reference_counts(t)
    if tensor_refs != held + _CALL_REFS or array_refs != _SOLE_ARRAY_REFS:
        return False
    data = t._data
    return data.base is None and data.flags.writeable and t._node is None


def occurrences(items, item, start=0):
    """How many times ``item`` itself (not an equal value) is in ``items[start:]``.

    Example:
        >>> from ndgrad.autograd.ownership import occurrences
        >>> a, b = object(), object()
        >>> occurrences((a, b, a), a), occurrences((a, b, a), a, start=1)
        (2, 1)
    """
    count = 0
    for index in range(start, len(items)):
        if items[index] is item:
            count += 1
    return count
