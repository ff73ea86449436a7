"""Adam: adaptive moment estimation (Kingma and Ba), ``torch.optim.Adam``'s arithmetic.

Example:
    >>> import ndgrad
    >>> w = ndgrad.Variable([1.0])
    >>> opt = ndgrad.optim.Adam([w], lr=0.1)
    >>> (w * w).sum().backward(); opt.step(); round(w.item(), 4)
    0.9
"""

import math

from .._backend import xp
from . import _hyperparameters as hp
from .optimizer import Optimizer


def check_betas(owner, group):
    """Raise unless both betas are in [0, 1).

    Example:
        >>> check_betas("Adam", {"betas": (0.9, 0.999)})
    """
    for index, beta in enumerate(group["betas"]):
        hp.require(owner, 0.0 <= beta < 1.0, f"beta {index + 1} (betas[{index}]) must be in "
                   f"[0, 1), got {beta}")


def lerp_(target, end, weight, scratch):
    """``target += weight * (end - target)`` in place, as torch's ``lerp_``; uses
    ``scratch`` (an array like ``target``) for the difference.

    Example:
        >>> import numpy as np
        >>> m = np.zeros(2, dtype=np.float32)
        >>> lerp_(m, np.array([1.0, 2.0], dtype=np.float32), 0.5, np.empty_like(m)).tolist()
        [0.5, 1.0]
    """
    xp.subtract(end, target, out=scratch)
    scratch *= weight
    target += scratch
    return target


class Adam(Optimizer):
    """Adam. At step ``t``, with ``g`` the gradient (plus ``weight_decay * p``
    unless the decay is decoupled, negated when ``maximize``)::

        m = m + (1 - b1) * (g - m)          # state["exp_avg"]
        v = b2 * v + (1 - b2) * g * g       # state["exp_avg_sq"]
        v_max = max(v_max, v)               # amsgrad only: state["max_exp_avg_sq"]
        p = p - lr / (1 - b1**t) * m / (sqrt(v or v_max) / sqrt(1 - b2**t) + eps)

    ``decoupled_weight_decay=True`` shrinks ``p`` by ``1 - lr * weight_decay``
    instead of adding to the gradient (that is :class:`AdamW`).

    Args:
        params: parameters or parameter groups (PyTorch), or None (Keras).
        lr / learning_rate: the step size (default 1e-3); a float or a schedule.
        betas / beta_1, beta_2: the moment decay rates (default 0.9, 0.999).
        eps / epsilon: added to the denominator (1e-8 with params, as torch;
            1e-7 without, as Keras).
        weight_decay: L2 coefficient, as ``torch.optim.Adam`` (default 0).
        amsgrad: use the running maximum of ``v`` (AMSGrad).
        maximize: ascend instead of descend.
        decoupled_weight_decay: decay the weights directly (AdamW).
        **options: ``clipnorm``, ``clipvalue``, ``global_clipnorm``,
            ``missing_gradients``, ``name`` (see :class:`Optimizer`).

    Example:
        >>> import ndgrad
        >>> ndgrad.optim.Adam(learning_rate=0.01).get_config()["beta_1"]
        0.9
    """

    pytorch_defaults = {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0,
                        "amsgrad": False, "maximize": False, "decoupled_weight_decay": False}
    keras_defaults = {"eps": 1e-7}
    keras_names = {"lr": "learning_rate", "betas": ("beta_1", "beta_2"), "eps": "epsilon"}
    state_arrays = ("exp_avg", "exp_avg_sq", "max_exp_avg_sq")

    def __init__(self, params=None, lr=None, betas=None, eps=None, weight_decay=None,
                 amsgrad=None, *, maximize=None, decoupled_weight_decay=None, learning_rate=None,
                 beta_1=None, beta_2=None, epsilon=None, **options):
        super().__init__(params, {"lr": lr, "learning_rate": learning_rate, "betas": betas,
                                  "beta_1": beta_1, "beta_2": beta_2, "eps": eps,
                                  "epsilon": epsilon, "weight_decay": weight_decay,
                                  "amsgrad": amsgrad, "maximize": maximize,
                                  "decoupled_weight_decay": decoupled_weight_decay}, options)

    def _check_group(self, group):
        super()._check_group(group)
        check_betas(type(self).__name__, group)

    def init_state(self, param, group):
        return {"exp_avg": xp.zeros_like(param), "exp_avg_sq": xp.zeros_like(param)}

    def update(self, param, grad, state, group):
        beta_1, beta_2 = group["betas"]
        step, exp_avg, exp_avg_sq = state["step"], state["exp_avg"], state["exp_avg_sq"]
        scratch = xp.empty_like(param)
        lerp_(exp_avg, grad, 1.0 - beta_1, scratch)
        exp_avg_sq *= beta_2
        xp.multiply(grad, 1.0 - beta_2, out=scratch)
        scratch *= grad
        exp_avg_sq += scratch
        second = exp_avg_sq
        if group["amsgrad"]:
            second = state.get("max_exp_avg_sq")
            if second is None:
                second = state["max_exp_avg_sq"] = xp.zeros_like(param)
            xp.maximum(second, exp_avg_sq, out=second)
        step_size = group["lr"] / (1.0 - beta_1 ** step)
        denominator = xp.sqrt(second, out=scratch)
        denominator /= math.sqrt(1.0 - beta_2 ** step)
        denominator += group["eps"]
        xp.divide(exp_avg, denominator, out=scratch)
        scratch *= step_size
        param -= scratch
