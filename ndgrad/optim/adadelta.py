"""Adadelta (Zeiler), ``torch.optim.Adadelta``'s arithmetic.

Example:
    >>> import ndgrad
    >>> w = ndgrad.Variable([1.0])
    >>> opt = ndgrad.optim.Adadelta([w], lr=1.0, rho=0.0, eps=0.0)
    >>> w.grad = ndgrad.tensor([2.0]); opt.step(); w.tolist()
    [1.0]
"""

from .._backend import xp
from . import _hyperparameters as hp
from .optimizer import Optimizer


class Adadelta(Optimizer):
    """Adadelta. With ``g`` the gradient (plus ``weight_decay * p``, negated
    when ``maximize``)::

        v = rho * v + (1 - rho) * g * g                 # state["square_avg"]
        d = sqrt(u + eps) / sqrt(v + eps) * g
        u = rho * u + (1 - rho) * d * d                 # state["acc_delta"]
        p = p - lr * d

    Args:
        params: parameters or parameter groups (PyTorch), or None (Keras).
        lr / learning_rate: scales the step (1.0 with params, as torch; 0.001
            without, as Keras); a float or a schedule.
        rho: the decay of both running averages (0.9 with params; 0.95 without).
        eps / epsilon: added inside the square roots (1e-6 with params; 1e-7
            without).
        weight_decay: L2 coefficient (default 0).
        maximize: ascend instead of descend.
        **options: ``clipnorm``, ``clipvalue``, ``global_clipnorm``,
            ``missing_gradients``, ``name`` (see :class:`Optimizer`).

    Example:
        >>> import ndgrad
        >>> ndgrad.optim.Adadelta().rho, ndgrad.optim.Adadelta([ndgrad.Variable([0.0])]).rho
        (0.95, 0.9)
    """

    pytorch_defaults = {"lr": 1.0, "rho": 0.9, "eps": 1e-6, "weight_decay": 0.0,
                        "maximize": False}
    keras_defaults = {"lr": 1e-3, "rho": 0.95, "eps": 1e-7}
    keras_names = {"lr": "learning_rate", "eps": "epsilon"}
    state_arrays = ("square_avg", "acc_delta")

    def __init__(self, params=None, lr=None, rho=None, eps=None, weight_decay=None, *,
                 maximize=None, learning_rate=None, epsilon=None, **options):
        super().__init__(params, {"lr": lr, "learning_rate": learning_rate, "rho": rho,
                                  "eps": eps, "epsilon": epsilon, "weight_decay": weight_decay,
                                  "maximize": maximize}, options)

    def _check_group(self, group):
        super()._check_group(group)
        hp.require("Adadelta", 0.0 <= group["rho"] <= 1.0, f"rho must be in [0, 1], got "
                   f"{group['rho']}")

    def init_state(self, param, group):
        return {"square_avg": xp.zeros_like(param), "acc_delta": xp.zeros_like(param)}

    def update(self, param, grad, state, group):
        rho, eps = group["rho"], group["eps"]
        square_avg, acc_delta = state["square_avg"], state["acc_delta"]
        scratch = xp.multiply(grad, 1.0 - rho, out=xp.empty_like(param))
        scratch *= grad
        square_avg *= rho
        square_avg += scratch
        delta = xp.add(acc_delta, eps, out=xp.empty_like(param))
        xp.sqrt(delta, out=delta)
        xp.add(square_avg, eps, out=scratch)
        delta /= xp.sqrt(scratch, out=scratch)
        delta *= grad
        xp.multiply(delta, 1.0 - rho, out=scratch)
        scratch *= delta
        acc_delta *= rho
        acc_delta += scratch
        delta *= group["lr"]
        param -= delta
