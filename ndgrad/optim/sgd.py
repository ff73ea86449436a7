"""Stochastic gradient descent with momentum, Nesterov momentum and weight decay.

Example:
    >>> import ndgrad
    >>> w = ndgrad.Variable([1.0])
    >>> opt = ndgrad.optim.SGD([w], lr=0.1, momentum=0.9)
    >>> (w * w).sum().backward(); opt.step(); w.tolist()
    [0.800000011920929]
"""

from .._backend import xp
from .optimizer import Optimizer


class SGD(Optimizer):
    """SGD. With momentum ``m``: ``v = m v + g``; ``p -= lr v`` (Nesterov:
    ``p -= lr (g + m v)``). ``weight_decay`` adds ``wd * p`` to ``g`` first (L2).

    Args:
        params: parameters (PyTorch style) or None (Keras style).
        learning_rate / lr: the step size (default 0.01).
        momentum: the momentum factor (default 0).
        nesterov: use Nesterov momentum.
        weight_decay: L2 penalty coefficient.

    Example:
        >>> import ndgrad
        >>> ndgrad.optim.SGD(learning_rate=0.1, momentum=0.9).get_config()["momentum"]
        0.9
    """

    def __init__(self, params=None, learning_rate=0.01, momentum=0.0, nesterov=False,
                 weight_decay=0.0, lr=None):
        super().__init__(params, learning_rate, lr)
        if momentum < 0 or weight_decay < 0:
            raise ValueError("SGD: momentum and weight_decay must be >= 0")
        if nesterov and momentum == 0:
            raise ValueError("SGD: nesterov=True needs momentum > 0")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)
        self.weight_decay = float(weight_decay)

    def update(self, param, grad, state):
        if self.weight_decay:
            grad = grad + self.weight_decay * param
        if self.momentum:
            velocity = state.get("momentum")
            if velocity is None:
                velocity = state["momentum"] = grad.copy()
            else:
                velocity *= self.momentum
                velocity += grad
            grad = grad + self.momentum * velocity if self.nesterov else velocity
        xp.subtract(param, self.learning_rate * grad, out=param, casting="same_kind")

    def get_config(self):
        return dict(super().get_config(), momentum=self.momentum, nesterov=self.nesterov,
                    weight_decay=self.weight_decay)
