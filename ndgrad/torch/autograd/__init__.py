"""``torch.autograd``: ``grad``, ``backward``, custom ``Function`` s, gradient
checks and the recording switches, over ndgrad's one engine.

``torch.autograd.Variable`` is PyTorch's legacy wrapper: calling it returns a
tensor (``Variable(t, requires_grad=True)`` is a new leaf sharing ``t``'s
values), and ``isinstance(x, Variable)`` is true for every tensor, as in
PyTorch since 0.4. It is not ``ndgrad.Variable`` (Keras's trainable variable).

Example:
    >>> import ndgrad.torch as torch
    >>> x = torch.tensor([1.0, 2.0], requires_grad=True)
    >>> (dx,) = torch.autograd.grad((x ** 2).sum(), x)
    >>> dx.tolist()
    [2.0, 4.0]
"""

from ...autograd import graph as _graph, mode as _mode
from ...autograd.anomaly import detect_anomaly
from ...diagnostics.gradcheck import GradcheckError, gradcheck as _gradcheck
from ...tensor import Tensor, as_tensor
from .._unsupported import unsupported
from . import function, functional, grad_mode
from .function import Function, once_differentiable
from .grad_mode import enable_grad, inference_mode, no_grad, set_grad_enabled

__all__ = ["grad", "backward", "Function", "Variable", "gradcheck", "gradgradcheck",
           "no_grad", "enable_grad", "set_grad_enabled", "inference_mode", "detect_anomaly",
           "set_detect_anomaly", "once_differentiable", "function", "functional",
           "grad_mode"]


def _tensors(values, what):
    if values is None:
        return None
    if isinstance(values, Tensor):
        return [values]
    values = list(values)
    if not all(isinstance(v, Tensor) for v in values):
        kinds = sorted({type(v).__name__ for v in values if not isinstance(v, Tensor)})
        raise TypeError(f"torch.autograd: {what} must be tensors; got {', '.join(kinds)}")
    return values


def _seeds(outputs, grad_outputs, function):
    if grad_outputs is None:
        return [None] * len(outputs)
    seeds = [grad_outputs] if isinstance(grad_outputs, Tensor) else list(grad_outputs)
    if len(seeds) != len(outputs):
        raise RuntimeError(f"{function}: got {len(seeds)} gradients for {len(outputs)} "
                           "outputs; give one per output (None for a scalar)")
    return seeds


def _check_graph(outputs, function):
    for i, out in enumerate(outputs):
        if not out.requires_grad:
            raise RuntimeError(f"{function}: element {i} of the outputs does not require "
                               "grad and has no graph (was it computed under no_grad, or "
                               "from tensors without requires_grad=True?)")


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False,
         materialize_grads=False):
    """The gradients of ``outputs`` with respect to ``inputs``, returned (not
    accumulated into ``.grad``).

    Args:
        outputs: a tensor or a sequence of tensors to differentiate.
        inputs: a tensor or a sequence of tensors.
        grad_outputs: the vector(s) of the vector-Jacobian product (None for scalars).
        retain_graph: keep the graph for another backward (default: ``create_graph``).
        create_graph: record the gradient computation, for higher derivatives.
        allow_unused: return None for an input the outputs do not depend on
            (otherwise that is an error).
        materialize_grads: return zeros instead of None for unused inputs.

    Returns:
        A tuple with one gradient per input.

    Example:
        >>> import ndgrad.torch as torch
        >>> x = torch.tensor(3.0, requires_grad=True)
        >>> (g,) = torch.autograd.grad(x ** 3, x, create_graph=True)
        >>> (g2,) = torch.autograd.grad(g, x)
        >>> g.item(), g2.item()
        (27.0, 18.0)
    """
    if is_grads_batched:
        raise ValueError("torch.autograd.grad: is_grads_batched=True is not supported; "
                         "loop over the batch of grad_outputs")
    outputs = _tensors(outputs, "outputs")
    inputs = _tensors(inputs, "inputs")
    _check_graph(outputs, "torch.autograd.grad")
    retain = create_graph if retain_graph is None else retain_graph
    results = _graph.backward(outputs, _seeds(outputs, grad_outputs, "torch.autograd.grad"),
                              retain_graph=retain, create_graph=create_graph, sources=inputs)
    unused = [i for i, g in enumerate(results) if g is None]
    if unused and not (allow_unused or materialize_grads):
        raise RuntimeError(f"torch.autograd.grad: input(s) {unused} were not used to compute "
                           "the outputs; pass allow_unused=True to get None for them")
    if materialize_grads:
        results = [g if g is not None else Tensor._wrap(x.detach().numpy() * 0)
                   for g, x in zip(results, inputs)]
    return tuple(results)


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False,
             grad_variables=None, inputs=None):
    """Accumulate the gradients of ``tensors`` into ``.grad`` of the leaves
    (``torch.autograd.backward([a, b], [ga, gb])`` is ``a.backward(ga)`` plus
    ``b.backward(gb)`` in one walk).

    Example:
        >>> import ndgrad.torch as torch
        >>> x = torch.ones(2, requires_grad=True)
        >>> torch.autograd.backward([(x * 3).sum(), (x * x).sum()]); x.grad.tolist()
        [5.0, 5.0]
    """
    if inputs is not None:
        raise ValueError("torch.autograd.backward: inputs= is not supported; use "
                         "torch.autograd.grad(outputs, inputs) to get chosen gradients")
    tensors = _tensors(tensors, "tensors")
    seeds = _seeds(tensors, grad_tensors if grad_tensors is not None else grad_variables,
                   "torch.autograd.backward")
    retain = create_graph if retain_graph is None else retain_graph
    _graph.backward(tensors, seeds, retain_graph=retain, create_graph=create_graph)


class _VariableType(type):
    def __instancecheck__(cls, value):
        return isinstance(value, Tensor)


class Variable(metaclass=_VariableType):
    """PyTorch's legacy ``Variable``: calling it returns a tensor.

    Example:
        >>> import ndgrad.torch as torch
        >>> v = torch.autograd.Variable(torch.ones(2), requires_grad=True)
        >>> v.requires_grad, isinstance(torch.zeros(1), torch.autograd.Variable)
        (True, True)
    """

    def __new__(cls, data, requires_grad=False, volatile=False):
        data = as_tensor(data)
        if not requires_grad:
            return data
        leaf = data.detach()
        leaf.requires_grad_(True)
        return leaf


def gradcheck(func, inputs, *, eps=1e-06, atol=1e-05, rtol=0.001, raise_exception=True,
              **options):
    """Check ``func``'s gradients against finite differences (ndgrad's
    ``gradcheck``, on float64 copies of ``inputs``); True when they match.

    Example:
        >>> import ndgrad.torch as torch
        >>> x = torch.randn(3, dtype=torch.float64, requires_grad=True)
        >>> torch.autograd.gradcheck(torch.sin, (x,))
        True
    """
    return _check(func, inputs, eps, atol, rtol, raise_exception, second_order=False)


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-06, atol=1e-05, rtol=0.001,
                  raise_exception=True, **options):
    """Also check the gradients of the gradients (second order).

    Example:
        >>> import ndgrad.torch as torch
        >>> x = torch.tensor([1.5], dtype=torch.float64)
        >>> torch.autograd.gradgradcheck(lambda v: v ** 3, (x,))
        True
    """
    return _check(func, inputs, eps, atol, rtol, raise_exception, second_order=True)


def _check(func, inputs, eps, atol, rtol, raise_exception, second_order):
    inputs = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    try:
        return _gradcheck(func, inputs, eps=eps, atol=atol, rtol=rtol,
                          second_order=second_order)
    except GradcheckError:
        if raise_exception:
            raise
        return False


class set_detect_anomaly:
    """Switch anomaly detection on or off at once (a plain call, as PyTorch's),
    or for a ``with`` block, restoring the previous setting at its end.

    Example:
        >>> import ndgrad.torch as torch
        >>> with torch.autograd.set_detect_anomaly(True):
        ...     torch.autograd.grad_mode  # doctest: +ELLIPSIS
        <module ...>
    """

    def __init__(self, mode, check_nan=True):
        self._previous = _mode.state.anomaly
        _mode.state.anomaly = bool(mode) and bool(check_nan)
        _mode.refresh_checking()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        _mode.state.anomaly = self._previous
        _mode.refresh_checking()
        return False


__getattr__ = unsupported(__name__, {
    "forward_ad": "forward-mode AD is not supported; use torch.autograd.functional.jacobian",
    "profiler": "profile with Python's cProfile",
    "graph": "saved-tensor hooks are not supported",
})
