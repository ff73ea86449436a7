"""Autograd methods of :class:`ndgrad.Tensor`: backward, detach, retain_grad, grad_fn.

``retain_grad`` keeps the gradient of a result (a non-leaf), as PyTorch does:
the node that made the tensor gets a copy of its op whose rule first stores
the incoming gradient in ``.grad``. The walk calls a node's rule once, with
the sum of every consumer's gradient (those recorded before the call too), so
``.grad`` is the whole gradient, never a part.

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
from ._backend import xp
from .autograd import breaks as _breaks
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
        if isinstance(node.op, _RetainingOp) or node.released:
            return
        node.op = _RetainingOp(node.op, weakref.ref(self))

    @property
    def retains_grad(self):
        """Whether ``retain_grad()`` was called on this result.

        Example:
            >>> import ndgrad
            >>> y = ndgrad.Variable([1.0]) * 2; y.retain_grad(); y.retains_grad
            True
        """
        return self._node is not None and isinstance(self._node.op, _RetainingOp)

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None,
                 *, grad=None):
        """Accumulate the gradient of this tensor into ``.grad`` of trainable leaves.

        Args:
            gradient: the gradient of some scalar with respect to this tensor;
                needed when this tensor has more than one element (``grad=`` is
                the same argument, ndgrad's older name).
            retain_graph: keep the graph for another backward (default: freed).
            create_graph: record the backward itself, for higher-order gradients.
            inputs: not supported; use ``ndgrad.grad(outputs, inputs)``.

        Example:
            >>> import ndgrad
            >>> x = ndgrad.Variable(3.0)
            >>> (x ** 2).backward()
            >>> x.grad.item()
            6.0
        """
        from .autograd.graph import backward as _backward
        if inputs is not None:
            raise TypeError("backward: inputs= is not supported; use "
                            "ndgrad.grad(outputs, inputs) for the gradients of chosen tensors")
        if grad is not None:
            if gradient is not None:
                raise TypeError("backward: pass gradient= or grad=, not both")
            gradient = grad
        _storage.refresh(self)      # a view written through since its node was made
        _backward((self,), (gradient,), retain_graph=bool(retain_graph),
                  create_graph=create_graph)


class _RetainingOp:
    """A node's op that stores the gradient reaching the node in the tensor's
    ``.grad`` before running the original rule."""

    __slots__ = ("name", "vjp", "reads", "saves_output", "wants_needs", "array_rule",
                 "original")

    def __init__(self, original, target):
        self.original = original
        self.name = original.name
        self.reads = original.reads
        self.saves_output = original.saves_output
        self.wants_needs = original.wants_needs
        self.array_rule = original.array_rule
        rule = original.vjp

        def vjp(g, out, *inputs, **params):
            tensor = target()
            if tensor is not None:
                _keep(tensor, g)
            return rule(g, out, *inputs, **params)
        self.vjp = vjp

    def __repr__(self):
        return f"<Op {self.name} (retains grad)>"


def _keep(tensor, g):
    if isinstance(g, Tensor) and g._rg:          # create_graph: keep it differentiable
        tensor.grad = g if tensor.grad is None else tensor.grad + g
        return
    array = g._data if isinstance(g, Tensor) else xp.asarray(g)
    if array.shape != tensor.shape:
        array = xp.broadcast_to(array, tensor.shape)
    if tensor.grad is None:
        tensor.grad = Tensor._wrap(xp.array(array, dtype=tensor.dtype, copy=True))
    else:
        tensor.grad._data += array
