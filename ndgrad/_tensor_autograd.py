"""Autograd methods of :class:`ndgrad.Tensor`: backward, detach, retain_grad,
register_hook, grad_fn.

``retain_grad`` keeps the gradient of a result (a non-leaf) and
``register_hook`` runs a function on it, as PyTorch does: the node that made
the tensor gets a copy of its op whose rule first runs the hooks on the
incoming gradient and stores it in ``.grad`` (``ndgrad/autograd/hooks.py``).
The walk calls a node's rule once, with the sum of every consumer's gradient
(those recorded before the call too), so ``.grad`` is the whole gradient,
never a part.

Example:
    >>> import ndgrad
    >>> x = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    >>> y = x * 3
    >>> y.retain_grad()
    >>> (y * y).sum().backward()
    >>> y.grad.tolist(), x.grad.tolist()
    ([6.0, 12.0], [18.0, 36.0])
"""

import weakref

from . import _tensor_storage as _storage
from .autograd import breaks as _breaks, hooks as _hooks, post_accumulate as _post
from .autograd.mode import state as _mode

Tensor = None   # ndgrad.tensor.Tensor, bound by ndgrad/tensor.py


class TensorAutograd:
    """The autograd surface: gradients, cutting the graph, keeping gradients."""

    __slots__ = ()

    def requires_grad_(self, requires_grad=True):
        """Set ``requires_grad`` in place and return this tensor.

        Example:
            >>> import ndgrad
            >>> ndgrad.zeros(2).requires_grad_().trainable
            True
        """
        self._set_trainable(requires_grad, "requires_grad_")
        return self

    def zero_grad(self, set_to_none=False):
        """Reset ``.grad``: zero it in place (or drop it with ``set_to_none``).

        Example:
            >>> import ndgrad
            >>> w = ndgrad.Variable([1.0]); (w * 3).sum().backward(); w.zero_grad()
            >>> w.grad
            Tensor([0.], dtype=float32)
        """
        if set_to_none or self.grad is None:
            self.grad = None
        else:
            self.grad._data[...] = 0

    @property
    def is_leaf(self):
        """True when no recorded op made this tensor (created by the user).

        Example:
            >>> import ndgrad
            >>> w = ndgrad.Variable([1.0]); w.is_leaf, (w * 2).is_leaf
            (True, False)
        """
        return self._node is None

    @property
    def grad_fn(self):
        """The graph node that made this tensor (None for a leaf), PyTorch's name.

        Example:
            >>> import ndgrad
            >>> w = ndgrad.Variable([1.0])
            >>> (w * 2).grad_fn, w.grad_fn
            (<Node multiply>, None)
        """
        _storage.refresh(self)      # a view whose base was written since its node
        return self._node

    def detach(self):
        """A leaf sharing this tensor's data, with no graph and no gradient.

        The cut is deliberate; it is recorded so ``ndgrad.explain`` can report it.
        The two share a version counter: an in-place write through either is
        seen by a graph that saved the other.

        Example:
            >>> import ndgrad
            >>> w = ndgrad.Variable([1.0]); d = (w * 2).detach()
            >>> d.requires_grad, d.is_leaf
            (False, True)
        """
        if self._rg and _mode.enabled:
            _breaks.record_break("detach", self)
        # One storage, one version counter: writes through either are seen by both.
        return _storage.alias(self, Tensor._wrap(self._data))

    def detach_(self):
        """Cut this tensor from the graph in place: it becomes a leaf that does not
        require grad (PyTorch's ``detach_``); returns it.

        Example:
            >>> import ndgrad
            >>> w = ndgrad.Variable([1.0]); y = w * 2
            >>> y.detach_() is y, y.requires_grad, y.is_leaf
            (True, False, True)
        """
        if self._rg and _mode.enabled:
            _breaks.record_break("detach_", self)
        self._node = None
        self._trainable = False
        self._rg = self._watch > 0
        if _storage.view_of(self) is not None:
            self._view = None       # still shares the memory, no longer a differentiable view
        return self

    def retain_grad(self):
        """Keep this result's gradient in ``.grad`` at the next backward (leaves
        keep theirs anyway); gradients of later backwards add up, as in PyTorch.

        Example:
            >>> import ndgrad
            >>> w = ndgrad.Variable([2.0]); h = w * w
            >>> h.retain_grad(); (h * 5).sum().backward(); h.grad.tolist()
            [5.0]
        """
        node = self._node
        if node is None:
            if not self._rg:
                raise RuntimeError(
                    "retain_grad: this tensor does not require grad, so no gradient reaches "
                    "it; make an input trainable (requires_grad=True) first")
            return
        if node.released:
            return
        op = _hooks.hooked_op(node)
        if op.retain is None or op.retain() is None:
            op.retain = weakref.ref(self)

    def register_hook(self, hook):
        """Call ``hook(gradient)`` when backward has computed this tensor's
        gradient; a tensor it returns is used instead (same shape), None keeps
        the gradient. Works on leaves (before ``.grad`` is added to, once per
        backward with the whole gradient) and on results (before the gradient
        flows on), in ``autograd.grad`` too, as in PyTorch. Returns a handle
        whose ``remove()`` takes the hook away.

        Example:
            >>> import ndgrad
            >>> x = ndgrad.tensor([1.0, 2.0], requires_grad=True)
            >>> h = x * 2
            >>> handle = h.register_hook(lambda g: g * 100)
            >>> (h * h).sum().backward(); x.grad.tolist()
            [800.0, 1600.0]
            >>> handle.remove()
        """
        return _hooks.register(self, hook)

    def register_post_accumulate_grad_hook(self, hook):
        """Call ``hook(tensor)`` on this leaf once backward has added its whole
        gradient to ``.grad``: during the walk, as soon as nothing still to be
        visited adds to it (data-parallel training sends gradients from here).
        The hook's return value is ignored, as in PyTorch. Returns a handle
        whose ``remove()`` takes the hook away.

        Example:
            >>> import ndgrad
            >>> w = ndgrad.tensor([1.0, 2.0], requires_grad=True)
            >>> handle = w.register_post_accumulate_grad_hook(lambda p: print(p.grad.tolist()))
            >>> (w * 3).sum().backward()
            [3.0, 3.0]
            >>> handle.remove()
        """
        return _post.register(self, hook)

    @property
    def retains_grad(self):
        """Whether ``retain_grad()`` was called on this result.

        Example:
            >>> import ndgrad
            >>> y = ndgrad.Variable([1.0]) * 2; y.retain_grad(); y.retains_grad
            True
        """
        op = self._node.op if self._node is not None else None
        return type(op) is _hooks.HookedOp and op.retain is not None and op.retain() is self

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None,
                 *, grad=None):
        """Accumulate the gradient of this tensor into ``.grad`` of trainable leaves.

        Args:
            gradient: the gradient of some scalar with respect to this tensor;
                needed when this tensor has more than one element (``grad=`` is
                the same argument, ndgrad's older name).
            retain_graph: keep the graph for another backward (default: freed).
            create_graph: record the backward itself, for higher-order gradients.
            inputs: the tensors whose ``.grad`` receives the gradient (leaves or
                results); the others are left alone (``ndgrad.autograd.backward``).

        Example:
            >>> import ndgrad
            >>> x = ndgrad.Variable(3.0)
            >>> (x ** 2).backward()
            >>> x.grad.item()
            6.0
        """
        from .autograd.graph import backward as _backward
        if grad is not None:
            if gradient is not None:
                raise TypeError("backward: pass gradient= or grad=, not both")
            gradient = grad
        _storage.refresh(self)      # a view written through since its node was made
        if inputs is not None:
            from .autograd.gradients import backward as _backward_into
            _backward_into(self, gradient, retain_graph, create_graph, inputs)
            return
        _backward((self,), (gradient,), retain_graph=bool(retain_graph),
                  create_graph=create_graph)
