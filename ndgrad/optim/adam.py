"""Adam: adaptive moment estimation (Kingma and Ba), PyTorch's formulation.

Example:
    >>> import ndgrad
    >>> w = ndgrad.Variable([1.0])
    >>> opt = ndgrad.optim.Adam([w], lr=0.1)
    >>> (w * w).sum().backward(); opt.step(); round(w.item(), 4)
    0.9
"""

import math

from .._backend import xp
from .optimizer import Optimizer


class Adam(Optimizer):
    """Adam. Per step ``t``: ``m = b1 m + (1 - b1) g``, ``v = b2 v + (1 - b2) g^2``,
    ``p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)``.
    ``weight_decay`` adds ``wd * p`` to ``g`` (L2, as ``torch.optim.Adam``).

    Args:
        params: parameters (PyTorch style) or None (Keras style).
        learning_rate / lr: the step size (default 0.001).
        beta_1, beta_2: the moment decay rates (``betas=(b1, b2)`` also works).
        epsilon / eps: added to the denominator (default 1e-8).
        weight_decay: L2 penalty coefficient.

    Example:
        >>> import ndgrad
        >>> ndgrad.optim.Adam(learning_rate=0.01).get_config()["beta_1"]
        0.9
    """

    def __init__(self, params=None, learning_rate=0.001, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-8, weight_decay=0.0, lr=None, betas=None, eps=None):
        super().__init__(params, learning_rate, lr)
        if betas is not None:
            beta_1, beta_2 = betas
        self.beta_1 = float(beta_1)
        self.beta_2 = float(beta_2)
        self.epsilon = float(eps if eps is not None else epsilon)
        self.weight_decay = float(weight_decay)
        if not (0 <= self.beta_1 < 1 and 0 <= self.beta_2 < 1):
            raise ValueError(f"Adam: betas must be in [0, 1), got {self.beta_1}, {self.beta_2}")

    def update(self, param, grad, state):
        if self.weight_decay:
            grad = grad + self.weight_decay * param
        if not state:
            state["step"] = 0
            state["m"] = xp.zeros_like(param)
            state["v"] = xp.zeros_like(param)
        state["step"] += 1
        step, m, v = state["step"], state["m"], state["v"]
        m *= self.beta_1
        m += (1 - self.beta_1) * grad
        v *= self.beta_2
        v += (1 - self.beta_2) * (grad * grad)
        step_size = self.learning_rate / (1 - self.beta_1 ** step)
        denom = xp.sqrt(v)
        denom /= math.sqrt(1 - self.beta_2 ** step)
        denom += self.epsilon
        m_over = m / denom
        m_over *= step_size
        xp.subtract(param, m_over, out=param, casting="same_kind")

    def get_config(self):
        return dict(super().get_config(), beta_1=self.beta_1, beta_2=self.beta_2,
                    epsilon=self.epsilon, weight_decay=self.weight_decay)
