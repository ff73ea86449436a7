"""Stochastic gradient descent with momentum, dampening, Nesterov momentum and
weight decay (``torch.optim.SGD``'s arithmetic).

Example:
    >>> import ndgrad
    >>> w = ndgrad.Variable([1.0])
    >>> opt = ndgrad.optim.SGD([w], lr=0.1, momentum=0.9)
    >>> (w * w).sum().backward(); opt.step(); w.tolist()
    [0.800000011920929]
"""

from .._backend import xp
from ..ops import _accelerated
from . import _hyperparameters as hp
from .optimizer import Optimizer


class SGD(Optimizer):
    """SGD. With ``g`` the gradient (plus ``weight_decay * p``, negated when
    ``maximize``) and momentum ``mu``::

        b = g                          at the first step
        b = mu * b + (1 - dampening) * g   afterwards
        d = g + mu * b  (nesterov)  or  b  (else; g when mu = 0)
        p = p - lr * d

    The buffer ``b`` is ``state["momentum_buffer"]``. (Keras writes momentum
    as a velocity ``v = mu v - lr g``; the two agree while ``lr`` is constant.)

    Args:
        params: parameters or parameter groups (PyTorch), or None (Keras).
        lr / learning_rate: the step size (default 1e-3 with params, as
            torch; 0.01 without, as Keras); a float or a Keras schedule.
        momentum: the momentum factor ``mu`` (default 0).
        dampening: damps the gradient's share of the momentum (default 0).
        weight_decay: L2 coefficient added to the gradient (default 0).
        nesterov: use Nesterov momentum (needs momentum > 0, dampening 0).
        maximize: ascend instead of descend.
        **options: ``clipnorm``, ``clipvalue``, ``global_clipnorm``,
            ``missing_gradients``, ``name`` (see :class:`Optimizer`).

    Example:
        >>> import ndgrad
        >>> ndgrad.optim.SGD(learning_rate=0.1, momentum=0.9).get_config()["momentum"]
        0.9
    """

    pytorch_defaults = {"lr": 1e-3, "momentum": 0.0, "dampening": 0.0, "weight_decay": 0.0,
                        "nesterov": False, "maximize": False}
    keras_defaults = {"lr": 0.01}
    state_arrays = ("momentum_buffer",)
    reads_step = False      # PyTorch's SGD state has no "step"

    def __init__(self, params=None, lr=None, momentum=None, dampening=None, weight_decay=None,
                 nesterov=None, *, maximize=None, learning_rate=None, **options):
        super().__init__(params, {"lr": lr, "learning_rate": learning_rate,
                                  "momentum": momentum, "dampening": dampening,
                                  "weight_decay": weight_decay, "nesterov": nesterov,
                                  "maximize": maximize}, options)

    def _check_group(self, group):
        super()._check_group(group)
        hp.require("SGD", group["momentum"] >= 0, f"momentum must be >= 0, got "
                   f"{group['momentum']}")
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError("SGD: nesterov=True needs momentum > 0 and dampening = 0, got "
                             f"momentum={group['momentum']}, dampening={group['dampening']}")

    def update(self, param, grad, state, group):
        momentum = group["momentum"]
        buffer = state.get("momentum_buffer") if momentum else None
        first = bool(momentum) and buffer is None
        if first:
            buffer = state["momentum_buffer"] = xp.empty_like(param)
            xp.copyto(buffer, grad)
        kernels = _accelerated.elementwise_kernels()
        if kernels is not None and kernels.sgd_update(param, grad, buffer, group, first):
            return          # one compiled pass, the same numbers
        scratch = self.scratch_like(param)
        direction = grad
        if momentum:
            if not first:
                buffer *= momentum
                dampening = group["dampening"]
                if dampening:
                    buffer += xp.multiply(grad, 1.0 - dampening, out=scratch)
                else:
                    buffer += grad
            if group["nesterov"]:
                direction = xp.multiply(buffer, momentum, out=scratch)
                direction += grad
            else:
                direction = buffer
        param -= xp.multiply(direction, group["lr"], out=scratch)
