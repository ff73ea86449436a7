"""Function transformations: ``grad``, ``value_and_grad``, ``vjp``, ``jacobian``,
``hessian``.

They differentiate a Python function of tensors without touching ``.grad``.
Arguments that already require grad stay connected to their graph, so the
transformations compose: ``grad(grad(f))`` is the second derivative, and
``grad(f)(x)`` is itself differentiable when ``x`` requires grad.

Example:
    >>> import ndgrad
    >>> f = lambda x: x ** 3
    >>> ndgrad.grad(f)(2.0).item(), ndgrad.grad(ndgrad.grad(f))(2.0).item()
    (12.0, 12.0)
"""

from ..dtypes import as_array
from ..tensor import Tensor
from . import graph
from .mode import enable_grad, state


def _prepare(args, argnums):
    """Make the differentiated arguments tensors that require grad."""
    args = list(args)
    single = isinstance(argnums, int)
    numbers = (argnums,) if single else tuple(argnums)
    connected = False
    for i in numbers:
        value = args[i]
        if isinstance(value, Tensor) and value._rg and state.enabled:
            connected = True
            continue
        data = value._data if isinstance(value, Tensor) else as_array(value)
        if data.dtype.kind != "f":
            raise TypeError(f"grad: argument {i} has dtype {data.dtype}; only floating "
                            "arguments can be differentiated")
        leaf = Tensor._wrap(data)
        leaf._watch = 1      # differentiable for this call only, never trainable
        leaf._rg = True
        args[i] = leaf
    return args, numbers, single, connected


def _scalar(value, where):
    if not isinstance(value, Tensor) or value.size != 1:
        shape = getattr(value, "shape", type(value).__name__)
        raise ValueError(f"{where}: the function must return a single-element tensor, got "
                         f"shape {shape}; reduce it (sum or mean) or use vjp/jacobian")
    return value


def value_and_grad(function, argnums=0, has_aux=False):
    """A function returning ``(value, gradient)`` of a scalar-valued ``function``.

    Args:
        function: returns a single-element tensor (or ``(value, aux)`` with
            ``has_aux``).
        argnums: the argument (int) or arguments (tuple) to differentiate.
        has_aux: ``function`` returns ``(value, aux)``; the result is then
            ``((value, aux), gradient)``.

    Example:
        >>> import ndgrad
        >>> value, g = ndgrad.value_and_grad(lambda x: (x * x).sum())(ndgrad.tensor([1.0, 2.0]))
        >>> value.item(), g.tolist()
        (5.0, [2.0, 4.0])
    """
    def wrapper(*args, **kwargs):
        args, numbers, single, connected = _prepare(args, argnums)
        with enable_grad():
            result = function(*args, **kwargs)
        value, aux = result if has_aux else (result, None)
        value = _scalar(value, "grad")
        sources = [args[i] for i in numbers]
        create = connected
        if value._rg:
            grads = graph.backward([value], [None], retain_graph=create, create_graph=create,
                                   sources=sources)
        else:
            grads = [None] * len(sources)
        grads = [g if g is not None else _zeros_like(s) for g, s in zip(grads, sources)]
        gradient = grads[0] if single else tuple(grads)
        if not create:
            value = value.detach() if value._rg else value
        return ((value, aux) if has_aux else value), gradient

    return wrapper


def grad(function, argnums=0, has_aux=False):
    """The gradient function of a scalar-valued ``function``.

    Example:
        >>> import ndgrad
        >>> ndgrad.grad(lambda x, y: (x * y).sum(), argnums=(0, 1))(2.0, 3.0)[1].item()
        2.0
    """
    inner = value_and_grad(function, argnums, has_aux)

    def wrapper(*args, **kwargs):
        value_part, gradient = inner(*args, **kwargs)
        return (gradient, value_part[1]) if has_aux else gradient

    return wrapper


def _zeros_like(source):
    from ..ops.creation import zeros_like
    return zeros_like(source)


def vjp(function, *primals):
    """``function(*primals)`` and a function mapping a cotangent to the
    gradients for each primal (vector-Jacobian product).

    Example:
        >>> import ndgrad
        >>> out, pullback = ndgrad.vjp(lambda x: x * 3, ndgrad.tensor([1.0, 2.0]))
        >>> pullback(ndgrad.ones(2))[0].tolist()
        [3.0, 3.0]
    """
    args, numbers, _, connected = _prepare(primals, tuple(range(len(primals))))
    with enable_grad():
        out = function(*args)

    def pullback(cotangent):
        if not isinstance(cotangent, Tensor):
            cotangent = Tensor._wrap(as_array(cotangent, dtype=out.dtype))
        if not out._rg:
            return tuple(_zeros_like(a) for a in args)
        grads = graph.backward([out], [cotangent], retain_graph=True,
                               create_graph=connected or state.enabled and bool(state.tapes),
                               sources=list(args))
        return tuple(g if g is not None else _zeros_like(a) for g, a in zip(grads, args))

    return (out if connected else out.detach() if out._rg else out), pullback


def jacobian(function, argnums=0):
    """The Jacobian function: shape ``output.shape + input.shape`` per argument.

    Example:
        >>> import ndgrad
        >>> ndgrad.jacobian(lambda x: x ** 2)(ndgrad.tensor([1.0, 3.0])).tolist()
        [[2.0, 0.0], [0.0, 6.0]]
    """
    def wrapper(*args):
        from ..ops.join import stack
        from ..ops.shape import reshape
        prepared, numbers, single, connected = _prepare(args, argnums)
        with enable_grad():
            out = function(*prepared)
        sources = [prepared[i] for i in numbers]
        rows = [[] for _ in sources]
        for k in range(out.size):
            seed = Tensor._wrap(_unit(out, k))
            if out._rg:
                grads = graph.backward([out], [seed], retain_graph=True,
                                       create_graph=connected, sources=sources)
            else:
                grads = [None] * len(sources)
            for row, g, s in zip(rows, grads, sources):
                row.append(g if g is not None else _zeros_like(s))
        results = []
        for row, s in zip(rows, sources):
            stacked = stack(row) if row else _zeros_like(s).reshape((0,) + s.shape)
            results.append(reshape(stacked, out.shape + s.shape))
        return results[0] if single else tuple(results)

    return wrapper


def _unit(out, k):
    import numpy as np
    seed = np.zeros(out.shape, dtype=out.dtype)
    seed.reshape(-1)[k] = 1
    return seed


def hessian(function, argnums=0):
    """The Hessian function of a scalar-valued ``function`` (Jacobian of its gradient).

    Example:
        >>> import ndgrad
        >>> ndgrad.hessian(lambda x: (x ** 3).sum())(ndgrad.tensor([1.0, 2.0])).tolist()
        [[6.0, 0.0], [0.0, 12.0]]
    """
    return jacobian(grad(function, argnums), argnums)
