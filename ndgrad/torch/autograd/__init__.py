"""``torch.autograd``: ``grad``, ``backward``, custom ``Function`` s, gradient
checks and the recording switches, over ndgrad's one engine. ``grad`` and
``backward`` are ``ndgrad.autograd.grad`` and ``ndgrad.autograd.backward``
(one implementation, PyTorch's contract).

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

from ...autograd import mode as _mode
from ...autograd.anomaly import detect_anomaly
from ...autograd.gradients import backward, grad
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
