"""Function transformations: ``grad``, ``value_and_grad``, ``vjp``, ``jacobian``,
``hessian``.

They differentiate a Python function of tensors without touching ``.grad``.
The transformations compose, and their results stay differentiable whenever
something outside can still differentiate them: ``grad(grad(f))`` is the
second derivative, ``grad(grad(f, 1))(x, y)`` the mixed partial, ``grad(f)(w)``
is differentiable by ``w`` when ``w`` requires grad, and ``grad(lambda y: x *
y)(2.0)`` by the ``x`` it closes over (see ``transform.py`` for the rule). An
argument the result was cut from gets zeros and a warning naming the cut.

Example:
    >>> import ndgrad
    >>> f = lambda x: x ** 3
    >>> ndgrad.grad(f)(2.0).item(), ndgrad.grad(ndgrad.grad(f))(2.0).item()
    (12.0, 12.0)
"""

from ..dtypes import as_array
from ..tensor import Tensor
from . import graph
from .mode import state
from .transform import TransformCall


def _scalar(value, where):
    if not isinstance(value, Tensor) or value.size != 1:
        shape = getattr(value, "shape", type(value).__name__)
        raise ValueError(f"{where}: the function must return a single-element tensor, got "
                         f"shape {shape}; reduce it (sum or mean) or use vjp/jacobian")
    return value


def _tensor_result(value, where):
    if not isinstance(value, Tensor):
        raise TypeError(f"{where}: the function must return a tensor, got "
                        f"{type(value).__name__}")
    return value


def _zeros_like(source):
    from ..ops.creation import zeros_like
    return zeros_like(source)


def _constant(value):
    """``value`` without its graph; unlike ``detach()`` not reported as the user's cut."""
    return Tensor._wrap(value._data) if value._rg else value


def _value_and_grad_call(function, argnums, has_aux, where, args, kwargs):
    call = TransformCall(where, args, argnums)
    try:
        result = call.run(function, **kwargs)
        if has_aux:
            if not (isinstance(result, (tuple, list)) and len(result) == 2):
                raise TypeError(f"{where}: with has_aux=True the function must return a pair "
                                f"(value, aux), got {type(result).__name__}")
            value, aux = result
        else:
            value, aux = result, None
        value = _scalar(value, where)
        create = call.records(value)
        sources = call.sources
        grads = [None] * len(sources)
        if value._rg:
            grads = graph.backward([value], [None], retain_graph=create, create_graph=create,
                                   sources=sources)
        call.warn_missing([k for k, g in enumerate(grads) if g is None], value)
        grads = [g if g is not None else _zeros_like(s) for g, s in zip(grads, sources)]
    finally:
        call.close()
    gradient = grads[0] if call.single else tuple(grads)
    if not create:
        value = _constant(value)
    return value, aux, gradient


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
        value, aux, gradient = _value_and_grad_call(function, argnums, has_aux,
                                                    "value_and_grad", args, kwargs)
        return ((value, aux) if has_aux else value), gradient

    return wrapper


def grad(function, argnums=0, has_aux=False):
    """The gradient function of a scalar-valued ``function``.

    Example:
        >>> import ndgrad
        >>> ndgrad.grad(lambda x, y: (x * y).sum(), argnums=(0, 1))(2.0, 3.0)[1].item()
        2.0
    """
    def wrapper(*args, **kwargs):
        _, aux, gradient = _value_and_grad_call(function, argnums, has_aux, "grad", args,
                                                kwargs)
        return (gradient, aux) if has_aux else gradient

    return wrapper


def vjp(function, *primals):
    """``function(*primals)`` and a function mapping a cotangent to the
    gradients for each primal (vector-Jacobian product).

    Example:
        >>> import ndgrad
        >>> out, pullback = ndgrad.vjp(lambda x: x * 3, ndgrad.tensor([1.0, 2.0]))
        >>> pullback(ndgrad.ones(2))[0].tolist()
        [3.0, 3.0]
    """
    if not primals:
        raise TypeError("vjp: give at least one primal argument: vjp(function, x, ...)")
    call = TransformCall("vjp", primals, tuple(range(len(primals))))
    try:
        out = _tensor_result(call.run(function), "vjp")
        create_out = call.records(out)
    finally:
        call.close()
    sources = call.sources

    def pullback(cotangent):
        if not isinstance(cotangent, Tensor):
            cotangent = Tensor._wrap(as_array(cotangent, dtype=out.dtype))
        grads = [None] * len(sources)
        if out._rg:
            create = state.enabled and (create_out or cotangent._rg)
            grads = graph.backward([out], [cotangent], retain_graph=True, create_graph=create,
                                   sources=sources)
        call.warn_missing([k for k, g in enumerate(grads) if g is None], out)
        return tuple(g if g is not None else _zeros_like(a) for g, a in zip(grads, sources))

    return (out if create_out else _constant(out)), pullback


def _jacobian_call(function, argnums, args, warn):
    from ..ops.join import stack
    from ..ops.shape import reshape
    call = TransformCall("jacobian", args, argnums)
    try:
        out = _tensor_result(call.run(function), "jacobian")
        create = call.records(out)
        sources = call.sources
        rows = [[] for _ in sources]
        reached = [False] * len(sources)
        for k in range(out.size):
            grads = [None] * len(sources)
            if out._rg:
                last = k == out.size - 1
                grads = graph.backward([out], [Tensor._wrap(_unit(out, k))],
                                       retain_graph=create or not last, create_graph=create,
                                       sources=sources)
            for j, (row, g, s) in enumerate(zip(rows, grads, sources)):
                reached[j] = reached[j] or g is not None
                row.append(g if g is not None else _zeros_like(s))
        if warn and out.size:
            call.warn_missing([j for j, hit in enumerate(reached) if not hit], out)
    finally:
        call.close()
    results = []
    for row, s in zip(rows, sources):
        stacked = stack(row) if row else _zeros_like(s).reshape((0,) + s.shape)
        results.append(reshape(stacked, out.shape + s.shape))
    return results[0] if call.single else tuple(results)


def jacobian(function, argnums=0):
    """The Jacobian function: shape ``output.shape + input.shape`` per argument.

    Example:
        >>> import ndgrad
        >>> ndgrad.jacobian(lambda x: x ** 2)(ndgrad.tensor([1.0, 3.0])).tolist()
        [[2.0, 0.0], [0.0, 6.0]]
    """
    def wrapper(*args):
        return _jacobian_call(function, argnums, args, warn=True)

    return wrapper


def _unit(out, k):
    import numpy as np
    seed = np.zeros(out.shape, dtype=out.dtype)
    seed.reshape(-1)[k] = 1
    return seed


def hessian(function, argnums=0):
    """The Hessian function of a scalar-valued ``function`` (Jacobian of its gradient).

    A gradient that does not depend on the argument (``function`` is linear in
    it) gives a zero Hessian without a warning; a cut inside ``function`` is
    reported by the inner ``grad``.

    Example:
        >>> import ndgrad
        >>> ndgrad.hessian(lambda x: (x ** 3).sum())(ndgrad.tensor([1.0, 2.0])).tolist()
        [[6.0, 0.0], [0.0, 12.0]]
    """
    gradient = grad(function, argnums)

    def wrapper(*args):
        return _jacobian_call(gradient, argnums, args, warn=False)

    return wrapper
