"""RMSprop (Hinton), ``torch.optim.RMSprop``'s arithmetic, centered and with momentum.

Example:
    >>> import ndgrad
    >>> w = ndgrad.Variable([1.0])
    >>> opt = ndgrad.optim.RMSprop([w], lr=0.01, alpha=0.0)
    >>> w.grad = ndgrad.tensor([2.0]); opt.step(); round(w.item(), 4)
    0.99
"""

from .._backend import xp
from . import _hyperparameters as hp
from .adam import lerp_
from .optimizer import Optimizer


class RMSprop(Optimizer):
    """RMSprop. With ``g`` the gradient (plus ``weight_decay * p``, negated when
    ``maximize``) and ``a = alpha``::

        v = a * v + (1 - a) * g * g              # state["square_avg"]
        c = c + (1 - a) * (g - c)                # centered only: state["grad_avg"]
        s = sqrt(v - c * c  (centered)  or  v) + eps
        b = momentum * b + g / s;  p = p - lr * b     # momentum > 0: state["momentum_buffer"]
        p = p - lr * g / s                            # momentum = 0

    ``alpha`` is Keras's ``rho``. (Keras adds ``epsilon`` inside the square
    root; here it is outside, as torch.)

    Args:
        params: parameters or parameter groups (PyTorch), or None (Keras).
        lr / learning_rate: the step size (0.01 with params, as torch; 0.001
            without, as Keras); a float or a schedule.
        alpha / rho: the decay of the squared-gradient average (0.99 with
            params; 0.9 without).
        eps / epsilon: added to the denominator (1e-8 with params; 1e-7 without).
        weight_decay: L2 coefficient (default 0).
        momentum: the momentum factor (default 0).
        centered: divide by an estimate of the gradient's variance instead.
        maximize: ascend instead of descend.
        **options: ``clipnorm``, ``clipvalue``, ``global_clipnorm``,
            ``missing_gradients``, ``name`` (see :class:`Optimizer`).

    Example:
        >>> import ndgrad
        >>> opt = ndgrad.optim.RMSprop()
        >>> opt.learning_rate, opt.rho, opt.epsilon
        (0.001, 0.9, 1e-07)
    """

    pytorch_defaults = {"lr": 1e-2, "alpha": 0.99, "eps": 1e-8, "weight_decay": 0.0,
                        "momentum": 0.0, "centered": False, "maximize": False}
    keras_defaults = {"lr": 1e-3, "alpha": 0.9, "eps": 1e-7}
    keras_names = {"lr": "learning_rate", "alpha": "rho", "eps": "epsilon"}
    state_arrays = ("square_avg", "grad_avg", "momentum_buffer")

    def __init__(self, params=None, lr=None, alpha=None, eps=None, weight_decay=None,
                 momentum=None, centered=None, *, maximize=None, learning_rate=None, rho=None,
                 epsilon=None, **options):
        super().__init__(params, {"lr": lr, "learning_rate": learning_rate, "alpha": alpha,
                                  "rho": rho, "eps": eps, "epsilon": epsilon,
                                  "weight_decay": weight_decay, "momentum": momentum,
                                  "centered": centered, "maximize": maximize}, options)

    def _check_group(self, group):
        super()._check_group(group)
        hp.require("RMSprop", group["alpha"] >= 0, f"alpha (rho) must be >= 0, got "
                   f"{group['alpha']}")
        hp.require("RMSprop", group["momentum"] >= 0, f"momentum must be >= 0, got "
                   f"{group['momentum']}")

    def init_state(self, param, group):
        return {"square_avg": xp.zeros_like(param)}

    def update(self, param, grad, state, group):
        alpha, square_avg = group["alpha"], state["square_avg"]
        scratch = xp.multiply(grad, 1.0 - alpha, out=xp.empty_like(param))
        scratch *= grad
        square_avg *= alpha
        square_avg += scratch
        if group["centered"]:
            grad_avg = state.get("grad_avg")
            if grad_avg is None:
                grad_avg = state["grad_avg"] = xp.zeros_like(param)
            lerp_(grad_avg, grad, 1.0 - alpha, scratch)
            xp.multiply(grad_avg, grad_avg, out=scratch)
            xp.subtract(square_avg, scratch, out=scratch)
            denominator = xp.sqrt(scratch, out=scratch)
        else:
            denominator = xp.sqrt(square_avg, out=scratch)
        denominator += group["eps"]
        if group["momentum"] > 0:
            buffer = state.get("momentum_buffer")
            if buffer is None:
                buffer = state["momentum_buffer"] = xp.zeros_like(param)
            buffer *= group["momentum"]
            buffer += xp.divide(grad, denominator, out=scratch)
            xp.multiply(buffer, group["lr"], out=scratch)
        else:
            xp.divide(grad, denominator, out=scratch)
            scratch *= group["lr"]
        param -= scratch
