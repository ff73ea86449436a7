"""Adagrad (Duchi et al.), ``torch.optim.Adagrad``'s arithmetic.

Example:
    >>> import ndgrad
    >>> w = ndgrad.Variable([1.0])
    >>> opt = ndgrad.optim.Adagrad([w], lr=0.1)
    >>> w.grad = ndgrad.tensor([3.0]); opt.step(); round(w.item(), 4)
    0.9
"""

from .._backend import xp
from . import _hyperparameters as hp
from .optimizer import Optimizer


class Adagrad(Optimizer):
    """Adagrad. At step ``t``, with ``g`` the gradient (plus ``weight_decay * p``,
    negated when ``maximize``)::

        s = s + g * g                                   # state["sum"]
        p = p - lr / (1 + (t - 1) * lr_decay) * g / (sqrt(s) + eps)

    ``s`` starts at ``initial_accumulator_value``. (Keras adds ``epsilon``
    inside the square root; here it is outside, as torch.)

    Args:
        params: parameters or parameter groups (PyTorch), or None (Keras).
        lr / learning_rate: the step size (0.01 with params, as torch; 0.001
            without, as Keras); a float or a schedule.
        lr_decay: the learning-rate decay per step (default 0).
        weight_decay: L2 coefficient (default 0).
        initial_accumulator_value: the start of ``s`` (0 with params; 0.1 without).
        eps / epsilon: added to the denominator (1e-10 with params; 1e-7 without).
        maximize: ascend instead of descend.
        **options: ``clipnorm``, ``clipvalue``, ``global_clipnorm``,
            ``missing_gradients``, ``name`` (see :class:`Optimizer`).

    Example:
        >>> import ndgrad
        >>> ndgrad.optim.Adagrad().initial_accumulator_value
        0.1
    """

    pytorch_defaults = {"lr": 1e-2, "lr_decay": 0.0, "weight_decay": 0.0,
                        "initial_accumulator_value": 0.0, "eps": 1e-10, "maximize": False}
    keras_defaults = {"lr": 1e-3, "initial_accumulator_value": 0.1, "eps": 1e-7}
    keras_names = {"lr": "learning_rate", "eps": "epsilon"}
    state_arrays = ("sum",)

    def __init__(self, params=None, lr=None, lr_decay=None, weight_decay=None,
                 initial_accumulator_value=None, eps=None, *, maximize=None,
                 learning_rate=None, epsilon=None, **options):
        super().__init__(params, {"lr": lr, "learning_rate": learning_rate,
                                  "lr_decay": lr_decay, "weight_decay": weight_decay,
                                  "initial_accumulator_value": initial_accumulator_value,
                                  "eps": eps, "epsilon": epsilon, "maximize": maximize},
                         options)

    def _check_group(self, group):
        super()._check_group(group)
        for key in ("lr_decay", "initial_accumulator_value"):
            hp.require("Adagrad", group[key] >= 0, f"{key} must be >= 0, got {group[key]}")

    def init_state(self, param, group):
        return {"sum": xp.full_like(param, group["initial_accumulator_value"])}

    def update(self, param, grad, state, group):
        step_size = group["lr"] / (1.0 + (state["step"] - 1) * group["lr_decay"])
        total = state["sum"]
        scratch = xp.multiply(grad, grad, out=xp.empty_like(param))
        total += scratch
        denominator = xp.sqrt(total, out=scratch)
        denominator += group["eps"]
        xp.divide(grad, denominator, out=scratch)
        scratch *= step_size
        param -= scratch
