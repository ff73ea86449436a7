"""NAdam: Adam with Nesterov momentum (Dozat), ``torch.optim.NAdam``'s arithmetic.

Example:
    >>> import ndgrad
    >>> w = ndgrad.Variable([1.0])
    >>> opt = ndgrad.optim.NAdam([w], lr=0.1)
    >>> w.grad = ndgrad.tensor([2.0]); opt.step(); w.item() < 1.0
    True
"""

from .._backend import xp
from . import _hyperparameters as hp
from .adam import check_betas, lerp_
from .optimizer import Optimizer


class NAdam(Optimizer):
    """NAdam. At step ``t``, with ``g`` the gradient (plus ``weight_decay * p``
    unless decoupled, negated when ``maximize``) and ``psi = momentum_decay``::

        mu_t = b1 * (1 - 0.5 * 0.96 ** (t * psi))
        P = P * mu_t                                    # state["mu_product"]
        m = m + (1 - b1) * (g - m);  v = b2 * v + (1 - b2) * g * g
        s = sqrt(v / (1 - b2**t)) + eps
        p = p - lr * (1 - mu_t) / (1 - P) * g / s
              - lr * mu_{t+1} / (1 - P * mu_{t+1}) * m / s

    Keras's ``Nadam`` is the same algorithm with ``psi = 0.004``.

    Args:
        params: parameters or parameter groups (PyTorch), or None (Keras).
        lr / learning_rate: the step size (2e-3 with params, as torch; 1e-3
            without, as Keras); a float or a schedule.
        betas / beta_1, beta_2: the decay rates (default 0.9, 0.999).
        eps / epsilon: added to the denominator (1e-8 with params; 1e-7 without).
        weight_decay: the weight decay coefficient (default 0).
        momentum_decay: ``psi`` (default 4e-3).
        decoupled_weight_decay: decay the weights directly (as AdamW).
        maximize: ascend instead of descend.
        **options: ``clipnorm``, ``clipvalue``, ``global_clipnorm``,
            ``missing_gradients``, ``name`` (see :class:`Optimizer`).

    Example:
        >>> import ndgrad
        >>> ndgrad.optim.NAdam().momentum_decay
        0.004
    """

    pytorch_defaults = {"lr": 2e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0,
                        "momentum_decay": 4e-3, "decoupled_weight_decay": False,
                        "maximize": False}
    keras_defaults = {"lr": 1e-3, "eps": 1e-7}
    keras_names = {"lr": "learning_rate", "betas": ("beta_1", "beta_2"), "eps": "epsilon"}
    state_arrays = ("exp_avg", "exp_avg_sq")
    state_scalars = ("step", "mu_product")

    def __init__(self, params=None, lr=None, betas=None, eps=None, weight_decay=None,
                 momentum_decay=None, decoupled_weight_decay=None, *, maximize=None,
                 learning_rate=None, beta_1=None, beta_2=None, epsilon=None, **options):
        super().__init__(params, {"lr": lr, "learning_rate": learning_rate, "betas": betas,
                                  "beta_1": beta_1, "beta_2": beta_2, "eps": eps,
                                  "epsilon": epsilon, "weight_decay": weight_decay,
                                  "momentum_decay": momentum_decay,
                                  "decoupled_weight_decay": decoupled_weight_decay,
                                  "maximize": maximize}, options)

    def _check_group(self, group):
        super()._check_group(group)
        check_betas("NAdam", group)
        hp.require("NAdam", group["momentum_decay"] >= 0, "momentum_decay must be >= 0, got "
                   f"{group['momentum_decay']}")

    def init_state(self, param, group):
        return {"mu_product": 1.0, "exp_avg": xp.zeros_like(param),
                "exp_avg_sq": xp.zeros_like(param)}

    def update(self, param, grad, state, group):
        beta_1, beta_2 = group["betas"]
        step, lr, decay = state["step"], group["lr"], group["momentum_decay"]
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        mu = beta_1 * (1.0 - 0.5 * 0.96 ** (step * decay))
        mu_next = beta_1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * decay))
        mu_product = state["mu_product"] = state["mu_product"] * mu
        scratch = xp.empty_like(param)
        lerp_(exp_avg, grad, 1.0 - beta_1, scratch)
        exp_avg_sq *= beta_2
        xp.multiply(grad, 1.0 - beta_2, out=scratch)
        scratch *= grad
        exp_avg_sq += scratch
        denominator = xp.divide(exp_avg_sq, 1.0 - beta_2 ** step, out=xp.empty_like(param))
        xp.sqrt(denominator, out=denominator)
        denominator += group["eps"]
        xp.multiply(grad, lr * (1.0 - mu) / (1.0 - mu_product), out=scratch)
        scratch /= denominator
        param -= scratch
        xp.multiply(exp_avg, lr * mu_next / (1.0 - mu_product * mu_next), out=scratch)
        scratch /= denominator
        param -= scratch
