"""``torch.autograd.functional``: ``jacobian``, ``hessian`` and ``vjp`` of a
function at given inputs, over ndgrad's function transformations.

Example:
    >>> import ndgrad.torch as torch
    >>> torch.autograd.functional.jacobian(lambda x: x * x, torch.tensor([1.0, 2.0])).tolist()
    [[2.0, 0.0], [0.0, 4.0]]
"""

from ...autograd import functional as _core
from ...autograd.mode import enable_grad
from ...tensor import Tensor, as_tensor

from .._unsupported import unsupported

__all__ = ["jacobian", "hessian", "vjp"]


def _arguments(inputs):
    single = not isinstance(inputs, (tuple, list))
    return single, tuple([inputs] if single else inputs)


def _refuse(function, strict, vectorize):
    if strict or vectorize:
        raise ValueError(f"torch.autograd.functional.{function}: strict and vectorize are not "
                         "supported; leave them False")


def _finish(result, create_graph):
    """Without ``create_graph`` the result carries no graph, as in PyTorch."""
    if create_graph:
        return result
    if isinstance(result, tuple):
        return tuple(_finish(r, False) for r in result)
    return Tensor._wrap(result._data) if result._rg else result


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy="reverse-mode"):
    """The Jacobian of ``func`` at ``inputs`` (a tensor, or one Jacobian per
    input for a tuple), shaped ``output.shape + input.shape``.

    Example:
        >>> import ndgrad.torch as torch
        >>> jac = torch.autograd.functional.jacobian(lambda a, b: a * b,
        ...                                          (torch.tensor([2.0]), torch.tensor([3.0])))
        >>> [j.tolist() for j in jac]
        [[[3.0]], [[2.0]]]
    """
    _refuse("jacobian", strict, vectorize)
    single, args = _arguments(inputs)
    argnums = 0 if single else tuple(range(len(args)))
    return _finish(_core.jacobian(func, argnums)(*args), create_graph)


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    """The Hessian of the scalar function ``func`` at the tensor ``inputs``.

    Example:
        >>> import ndgrad.torch as torch
        >>> cubes = lambda x: (x ** 3).sum()
        >>> torch.autograd.functional.hessian(cubes, torch.tensor([1.0, 2.0])).tolist()
        [[6.0, 0.0], [0.0, 12.0]]
    """
    _refuse("hessian", strict, vectorize)
    single, args = _arguments(inputs)
    if not single:
        raise ValueError("torch.autograd.functional.hessian: pass one tensor (concatenate "
                         "several inputs into one)")
    return _finish(_core.hessian(func, 0)(*args), create_graph)


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """``(func(inputs), v^T J)``: the output and the vector-Jacobian product.

    Example:
        >>> import ndgrad.torch as torch
        >>> out, grad = torch.autograd.functional.vjp(lambda x: (x * x).sum(), torch.tensor([3.0]))
        >>> out.item(), grad.tolist()
        (9.0, [6.0])
    """
    _refuse("vjp", strict, False)
    from . import grad as _grad
    single, args = _arguments(inputs)
    leaves = [Tensor._wrap(as_tensor(x)._data).requires_grad_(True) for x in args]
    with enable_grad():
        output = func(*leaves)
    grads = _grad(output, leaves, v, create_graph=create_graph, allow_unused=True,
                  materialize_grads=True)
    return _finish(output, False), _finish(grads[0] if single else tuple(grads), create_graph)


__getattr__ = unsupported(__name__, {})
