"""Copying a tensor with :mod:`copy`: ``copy.copy`` gives an alias that shares
the memory, the version counter and the graph node (a copy of a view is a view
too); ``copy.deepcopy`` copies a leaf's data and flags (not a result of an op,
which would have to be detached first).

Example:
    >>> import copy, ndgrad
    >>> w = ndgrad.Variable([1.0, 2.0])
    >>> twin = copy.deepcopy(w)
    >>> twin.trainable, twin.tolist(), twin is w
    (True, [1.0, 2.0], False)
"""

import copy as _copy

from ._tensor_storage import alias as _alias

Tensor = None   # ndgrad.tensor.Tensor, bound by ndgrad/tensor.py

_new = object.__new__


class TensorCopies:
    """``__copy__`` and ``__deepcopy__`` of :class:`ndgrad.Tensor`."""

    __slots__ = ()

    def __copy__(self):
        out = _alias(self, Tensor._wrap(self._data))
        out._view = getattr(self, "_view", None)      # a copy of a view is a view too
        out._node = self._node
        out._rg = self._rg
        out._trainable = self._trainable
        out.name = self.name
        return out

    def __deepcopy__(self, memo):
        if self._node is not None:
            raise RuntimeError("deepcopy: only leaf tensors can be deep-copied; "
                               f"this one is the result of '{self._node.name}'. Detach it first.")
        out = _new(type(self))
        memo[id(self)] = out
        for cls in type(self).__mro__:
            for slot in getattr(cls, "__slots__", ()):
                if slot not in ("__weakref__", "_view") and hasattr(self, slot):
                    setattr(out, slot, _copy.deepcopy(getattr(self, slot), memo))
        out._vc = None
        out._watch = 0
        out._rg = out._trainable
        return out
