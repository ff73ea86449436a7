"""Custom differentiable functions: ``forward`` and ``backward`` with a context.

Subclass :class:`Function` with two static methods, as in PyTorch:
``forward(ctx, *args)`` computes the result (recording is off inside) and may
save what backward needs with ``ctx.save_for_backward``; ``backward(ctx,
*grads)`` returns one gradient per argument of ``forward`` (``None`` for those
that need none). Call it with ``MyOp.apply(*args)``.

A backward that returns the wrong number of gradients, or a gradient whose
shape does not fit its argument, raises an error naming the Function and the
argument. Tensors saved with ``save_for_backward`` and written in place before
backward are refused, as for built-in ops.

Example:
    >>> import ndgrad
    >>> class Square(ndgrad.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x * x
    ...     @staticmethod
    ...     def backward(ctx, g):
    ...         (x,) = ctx.saved_tensors
    ...         return 2 * x * g
    >>> w = ndgrad.Variable([3.0])
    >>> Square.apply(w).sum().backward()
    >>> w.grad.tolist()
    [6.0]
"""

from .. import _tensor_storage as _storage
from .._backend import xp
from ..tensor import Tensor
from .graph import Node, current_version
from .mode import no_grad, state
from .primitive import Op, as_input


class FunctionCtx:
    """What ``forward`` leaves for ``backward``: saved tensors and input facts.

    Example:
        >>> from ndgrad import FunctionCtx
        >>> ctx = FunctionCtx(); ctx.save_for_backward(1, 2); ctx.saved_tensors
        (1, 2)
    """

    def __init__(self, needs_input_grad=()):
        self.needs_input_grad = tuple(needs_input_grad)
        self._saved = ()
        self._versions = ()

    def save_for_backward(self, *tensors):
        """Keep tensors for ``backward``; in-place writes to them are then refused."""
        self._saved = tensors
        self._versions = tuple(current_version(t) for t in tensors)

    @property
    def saved_tensors(self):
        """The tensors given to ``save_for_backward``, checked for in-place writes."""
        for i, (t, version) in enumerate(zip(self._saved, self._versions)):
            if isinstance(t, Tensor) and current_version(t) != version:
                raise RuntimeError(
                    f"saved tensor {i} was modified in place after forward (write at "
                    f"{t._vc[1]}); backward would use the wrong values")
        return self._saved


def _select_vjp(g, out, packed, index):
    return g


_SELECT = Op("select", vjp=_select_vjp, reads=())


class Function:
    """Base class for custom ops with hand-written ``forward`` and ``backward``.

    Example:
        >>> import ndgrad
        >>> class Double(ndgrad.Function):
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         return x * 2
        ...     @staticmethod
        ...     def backward(ctx, g):
        ...         return g * 2
        >>> ndgrad.gradcheck(Double.apply, [ndgrad.tensor([1.0, 2.0])])
        True
    """

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("Function subclasses define forward(ctx, *args)")

    @staticmethod
    def backward(ctx, *grads):
        raise NotImplementedError("Function subclasses define backward(ctx, *grads)")

    @classmethod
    def _op(cls):
        op = cls.__dict__.get("_ndgrad_op")
        if op is None:
            op = Op(cls.__name__, vjp=_function_vjp(cls), reads=())
            setattr(cls, "_ndgrad_op", op)
        return op

    @classmethod
    def apply(cls, *args, **kwargs):
        """Run ``forward`` and, when recording, record ``backward`` as the rule."""
        args = tuple(as_input(a) for a in args)
        recording = state.enabled
        for a in args:
            if isinstance(a, Tensor):
                _storage.refresh(a)     # a view written through since its node was made
        needs = tuple(recording and isinstance(a, Tensor) and a._rg for a in args)
        ctx = FunctionCtx(needs)
        with no_grad():
            result = cls.forward(ctx, *args, **kwargs)
        single = not isinstance(result, (tuple, list))
        outputs = [result] if single else list(result)
        outputs = [o if isinstance(o, Tensor) else Tensor._wrap(xp.asarray(o)) for o in outputs]
        if not any(needs):
            return outputs[0] if single else tuple(outputs)
        edges = tuple((a._node if a._node is not None else a) if need else None
                      for a, need in zip(args, needs))
        node = Node(cls._op(), args, edges, (0,) * len(args),
                    {"ctx": ctx, "shapes": [(o.shape, o.dtype) for o in outputs]})
        node.n_outputs = len(outputs)
        if single:
            return Tensor._wrap(outputs[0]._data, node)
        wrapped = []
        for i, o in enumerate(outputs):
            if o.dtype.kind != "f":
                wrapped.append(Tensor._wrap(o._data))
                continue
            select = Node(_SELECT, (None,), (node,), (0,), {"index": i})
            wrapped.append(Tensor._wrap(o._data, select))
        return tuple(wrapped)


def _function_vjp(cls):
    name = cls.__name__

    def rule(g, out, *inputs, ctx, shapes):
        grads = list(g) if isinstance(g, list) else [g]
        for i, (grad, (shape, dtype)) in enumerate(zip(grads, shapes)):
            if grad is None:
                grads[i] = Tensor._wrap(xp.zeros(shape, dtype=dtype))
        result = cls.backward(ctx, *grads)
        result = tuple(result) if isinstance(result, (tuple, list)) else (result,)
        if len(result) != len(inputs):
            raise RuntimeError(
                f"{name}.backward returned {len(result)} gradient(s), but forward took "
                f"{len(inputs)} argument(s); return one per argument (None where none)")
        checked = []
        for i, (grad, value) in enumerate(zip(result, inputs)):
            if grad is None:
                checked.append(None)
                continue
            if not isinstance(grad, Tensor):
                grad = Tensor._wrap(xp.asarray(grad))
            shape = getattr(value, "shape", None)
            if shape is not None and grad.shape != shape:
                try:
                    fits = xp.broadcast_shapes(shape, grad.shape) == grad.shape
                except ValueError:
                    fits = False
                if not fits:
                    raise RuntimeError(
                        f"{name}.backward returned a gradient of shape {grad.shape} for "
                        f"argument {i}, which has shape {shape}")
            checked.append(grad)
        return tuple(checked)

    return rule
