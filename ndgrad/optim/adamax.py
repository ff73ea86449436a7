"""Adamax: Adam with the infinity norm (Kingma and Ba), ``torch.optim.Adamax``'s
arithmetic.

Example:
    >>> import ndgrad
    >>> w = ndgrad.Variable([1.0])
    >>> opt = ndgrad.optim.Adamax([w], lr=0.1)
    >>> w.grad = ndgrad.tensor([2.0]); opt.step(); round(w.item(), 4)
    0.9
"""

from .._backend import xp
from .adam import check_betas, lerp_
from .optimizer import Optimizer


class Adamax(Optimizer):
    """Adamax. At step ``t``, with ``g`` the gradient (plus ``weight_decay * p``,
    negated when ``maximize``)::

        m = m + (1 - b1) * (g - m)                  # state["exp_avg"]
        u = max(b2 * u, |g| + eps)                  # state["exp_inf"]
        p = p - lr / (1 - b1**t) * m / u

    (Keras adds ``epsilon`` to ``u`` in the division instead; here it is
    inside the maximum, as torch.)

    Args:
        params: parameters or parameter groups (PyTorch), or None (Keras).
        lr / learning_rate: the step size (2e-3 with params, as torch; 1e-3
            without, as Keras); a float or a schedule.
        betas / beta_1, beta_2: the decay rates (default 0.9, 0.999).
        eps / epsilon: (1e-8 with params; 1e-7 without).
        weight_decay: L2 coefficient (default 0).
        maximize: ascend instead of descend.
        **options: ``clipnorm``, ``clipvalue``, ``global_clipnorm``,
            ``missing_gradients``, ``name`` (see :class:`Optimizer`).

    Example:
        >>> import ndgrad
        >>> ndgrad.optim.Adamax().learning_rate
        0.001
    """

    pytorch_defaults = {"lr": 2e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0,
                        "maximize": False}
    keras_defaults = {"lr": 1e-3, "eps": 1e-7}
    keras_names = {"lr": "learning_rate", "betas": ("beta_1", "beta_2"), "eps": "epsilon"}
    state_arrays = ("exp_avg", "exp_inf")

    def __init__(self, params=None, lr=None, betas=None, eps=None, weight_decay=None, *,
                 maximize=None, learning_rate=None, beta_1=None, beta_2=None, epsilon=None,
                 **options):
        super().__init__(params, {"lr": lr, "learning_rate": learning_rate, "betas": betas,
                                  "beta_1": beta_1, "beta_2": beta_2, "eps": eps,
                                  "epsilon": epsilon, "weight_decay": weight_decay,
                                  "maximize": maximize}, options)

    def _check_group(self, group):
        super()._check_group(group)
        check_betas("Adamax", group)

    def init_state(self, param, group):
        return {"exp_avg": xp.zeros_like(param), "exp_inf": xp.zeros_like(param)}

    def update(self, param, grad, state, group):
        beta_1, beta_2 = group["betas"]
        exp_avg, exp_inf = state["exp_avg"], state["exp_inf"]
        scratch = xp.empty_like(param)
        lerp_(exp_avg, grad, 1.0 - beta_1, scratch)
        exp_inf *= beta_2
        xp.abs(grad, out=scratch)
        scratch += group["eps"]
        xp.maximum(exp_inf, scratch, out=exp_inf)
        step_size = group["lr"] / (1.0 - beta_1 ** state["step"])
        xp.multiply(exp_avg, step_size, out=scratch)
        scratch /= exp_inf
        param -= scratch
