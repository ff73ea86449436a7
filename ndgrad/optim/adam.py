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
from ..ops import _accelerated
from . import _hyperparameters as hp
from .optimizer import Optimizer


def check_betas(owner, group):
    """Raise unless both betas are in [0, 1).

    Example:
        >>> from ndgrad.optim.adam import check_betas
        >>> check_betas("Adam", {"betas": (0.9, 0.999)})
    """
    for index, beta in enumerate(group["betas"]):
        hp.require(owner, 0.0 <= beta < 1.0, f"beta {index + 1} (betas[{index}]) must be in "
                   f"[0, 1), got {beta}")


def lerp_(target, end, weight, scratch):
    """``target += weight * (end - target)`` in place, as torch's ``lerp_``; uses
    ``scratch`` (an array like ``target``) for the difference.

    Example:
        >>> from ndgrad.optim.adam import lerp_
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
        self._flat_layouts = {}     # parameter ids -> flat moments (update_group)

    def _check_group(self, group):
        super()._check_group(group)
        check_betas(type(self).__name__, group)

    def init_state(self, param, group):
        return {"exp_avg": xp.zeros_like(param), "exp_avg_sq": xp.zeros_like(param)}

    def update(self, param, grad, state, group):
        kernels = _accelerated.elementwise_kernels()
        if kernels is not None and kernels.adam_update(param, grad, state["exp_avg"],
                                                       state["exp_avg_sq"], state["step"], group):
            return          # one compiled pass, the same numbers
        scratch = self.scratch_like(param)
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        _update_moments(exp_avg, exp_avg_sq, grad, group["betas"], scratch)
        second = exp_avg_sq
        if group["amsgrad"]:
            second = state.get("max_exp_avg_sq")
            if second is None:
                second = state["max_exp_avg_sq"] = xp.zeros_like(param)
            xp.maximum(second, exp_avg_sq, out=second)
        direction = _direction(exp_avg, second, state["step"], group, scratch)
        if direction is not None:
            param -= direction

    def update_group(self, params, grads, states, group):
        """All of a group's parameters at once when their moments can live in one
        flat array (same dtype and step, no AMSGrad, at most ``flat_limit``
        elements): a dozen NumPy calls per step instead of a dozen per parameter,
        which is most of the step for small layers. The arithmetic is the same
        per element. Larger groups go parameter by parameter: the calls cost
        nothing next to the memory traffic, and no flat copy of the gradients
        is kept. With the compiled kernels on, each parameter is one kernel call
        on its piece of the flat moments.

        Example:
            >>> import ndgrad
            >>> w, b = ndgrad.Variable([[1.0, 1.0], [1.0, 1.0]]), ndgrad.Variable([1.0, 1.0])
            >>> opt = ndgrad.optim.Adam([w, b], lr=0.5)
            >>> (w.sum() + b.sum()).backward(); opt.step()
            >>> w.tolist(), b.tolist()
            ([[0.5, 0.5], [0.5, 0.5]], [0.5, 0.5])
            >>> opt.state[w]["exp_avg"].base is opt.state[b]["exp_avg"].base   # one flat array
            True
        """
        layout = self._flat_layout(params, states, group)
        if layout is None:
            super().update_group(params, grads, states, group)
            return
        if _accelerated.elementwise_kernels() is not None:
            super().update_group(params, grads, states, group)   # one compiled pass each
            return
        exp_avg, exp_avg_sq, flat_grad = layout
        xp.concatenate([grad.reshape(-1) for grad in grads], out=flat_grad)
        scratch = self.scratch_like(flat_grad)
        _update_moments(exp_avg, exp_avg_sq, flat_grad, group["betas"], scratch)
        direction = _direction(exp_avg, exp_avg_sq, states[0]["step"], group, scratch)
        if direction is None:
            return
        start = 0
        for param in params:
            stop = start + param.size
            param -= direction[start:stop].reshape(param.shape)
            start = stop

    flat_limit = 1 << 20

    def _flat_layout(self, params, states, group):
        """``(exp_avg, exp_avg_sq, gradient buffer)`` as flat arrays whose pieces
        are the states' moment arrays, or None when the group does not qualify.
        Built (the current moments copied in) the first time and again whenever
        a state's arrays were replaced (``load_state_dict``)."""
        if len(params) < 2 or group["amsgrad"]:
            return None
        dtype, step = params[0].dtype, states[0]["step"]
        if any(p.dtype != dtype for p in params) or any(s["step"] != step for s in states):
            return None
        layouts = self._flat_layouts
        key = tuple(map(id, params))
        layout = layouts.get(key)
        if layout is not None and all(
                state["exp_avg"] is m and state["exp_avg_sq"] is v
                for state, m, v in zip(states, layout[3], layout[4])):
            return layout[:3]
        total = sum(p.size for p in params)
        if total > self.flat_limit:
            return None
        for other in [k for k in layouts if set(k) & set(key)]:
            del layouts[other]          # its pieces are about to be replaced
        flat = [xp.empty(total, dtype=dtype) for _ in range(3)]
        pieces = ([], [])
        start = 0
        for param, state in zip(params, states):
            stop = start + param.size
            for name, array, kept in zip(("exp_avg", "exp_avg_sq"), flat, pieces):
                piece = array[start:stop].reshape(param.shape)
                xp.copyto(piece, state[name])
                state[name] = piece
                kept.append(piece)
            start = stop
        layouts[key] = (*flat, *pieces)
        return tuple(flat)


def _update_moments(exp_avg, exp_avg_sq, grad, betas, scratch):
    """``m += (1 - b1) (g - m)`` and ``v = b2 v + (1 - b2) g g``, in place."""
    beta_1, beta_2 = betas
    lerp_(exp_avg, grad, 1.0 - beta_1, scratch)
    exp_avg_sq *= beta_2
    xp.multiply(grad, grad, out=scratch)
    scratch *= 1.0 - beta_2
    exp_avg_sq += scratch


def _direction(exp_avg, second, step, group, scratch):
    """What to subtract from the parameter, ``lr / (1 - b1**t) * m / (sqrt(v) /
    sqrt(1 - b2**t) + eps)``, written into ``scratch``; None when it is zero
    (a zero learning rate)."""
    beta_1, beta_2 = group["betas"]
    step_size = group["lr"] / (1.0 - beta_1 ** step)
    if step_size == 0.0:
        return None
    # step_size is moved into the denominator: one pass over the parameter fewer.
    denominator = xp.sqrt(second, out=scratch)
    denominator *= 1.0 / (math.sqrt(1.0 - beta_2 ** step) * step_size)
    denominator += group["eps"] / step_size
    return xp.divide(exp_avg, denominator, out=denominator)
