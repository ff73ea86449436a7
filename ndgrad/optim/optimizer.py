"""The optimizer base: parameters, the two faces, and the cross-cutting work.

One class serves both vocabularies:

- PyTorch: ``opt = SGD(model_params, lr=0.1)``; ``loss.backward()``;
  ``opt.step()``; ``opt.zero_grad()``.
- Keras: ``opt = Adam(learning_rate=0.01)``;
  ``opt.apply_gradients(zip(grads, variables))``; the optimizer learns its
  variables from the pairs it is given.

Subclasses implement ``update(param, grad, state)`` on NumPy arrays, in place.
The base class reads each parameter's ``trainable`` flag at every step, so a
frozen parameter gets no update, no weight decay and no momentum, and
unfreezing needs no rebuild.

Example:
    >>> import ndgrad
    >>> w = ndgrad.Variable([1.0])
    >>> opt = ndgrad.optim.SGD([w], lr=0.5)
    >>> (w * w).sum().backward(); opt.step()
    >>> w.tolist()
    [0.0]
"""

import warnings

from .._backend import xp
from ..tensor import Tensor


class Optimizer:
    """Base class: holds parameters and per-parameter state; subclasses update.

    Args:
        params: the parameters (an iterable of tensors), or None to learn them
            from ``apply_gradients`` (Keras style).
        learning_rate: the step size (``lr`` is the PyTorch spelling).

    Example:
        >>> import ndgrad
        >>> opt = ndgrad.optim.Adam(learning_rate=0.01)
        >>> opt.learning_rate
        0.01
    """

    def __init__(self, params=None, learning_rate=0.01, lr=None):
        self.learning_rate = float(lr if lr is not None else learning_rate)
        self.params = []
        self.state = {}          # id(param) -> dict of NumPy arrays and counts
        self.iterations = 0
        if params is not None:
            if isinstance(params, Tensor):
                raise TypeError("optimizer params must be an iterable of tensors, not a single "
                                "tensor: pass [w]")
            for p in params:
                self._add(p)

    @property
    def lr(self):
        """The learning rate (PyTorch's name)."""
        return self.learning_rate

    @lr.setter
    def lr(self, value):
        self.learning_rate = float(value)

    def _add(self, param):
        if not isinstance(param, Tensor):
            raise TypeError(f"optimizer: parameters must be ndgrad tensors, got "
                            f"{type(param).__name__}")
        if not param.is_leaf:
            raise ValueError("optimizer: can only optimize leaf tensors (Variables, Parameters); "
                             f"got the result of '{param._node.name}'")
        if id(param) not in self.state:
            self.params.append(param)
            self.state[id(param)] = {}

    def zero_grad(self, set_to_none=True):
        """Clear the gradients of every parameter (``None`` by default, as PyTorch).

        Example:
            >>> import ndgrad
            >>> w = ndgrad.Variable([1.0]); opt = ndgrad.optim.SGD([w], lr=0.1)
            >>> (w * 2).sum().backward(); opt.zero_grad(); print(w.grad)
            None
        """
        for p in self.params:
            p.zero_grad(set_to_none=set_to_none)

    def step(self):
        """Update every trainable parameter that has a gradient (PyTorch style).

        Example:
            >>> import ndgrad
            >>> w = ndgrad.Variable([2.0]); opt = ndgrad.optim.SGD([w], lr=0.25)
            >>> (w * w).sum().backward(); opt.step(); w.tolist()
            [1.0]
        """
        pairs = [(p.grad, p) for p in self.params if p.trainable and p.grad is not None]
        self._apply(pairs)

    def apply_gradients(self, grads_and_vars):
        """Apply ``(gradient, variable)`` pairs (Keras style).

        Frozen variables (``trainable=False``) are skipped. When no variable has
        a gradient this is an error that says why for each; when some lack one,
        a warning names them.

        Example:
            >>> import ndgrad
            >>> w = ndgrad.Variable([1.0]); opt = ndgrad.optim.SGD(learning_rate=0.5)
            >>> opt.apply_gradients([(ndgrad.tensor([2.0]), w)]); w.tolist()
            [0.0]
        """
        pairs = list(grads_and_vars)
        usable, missing = [], []
        for grad, var in pairs:
            if not isinstance(var, Tensor):
                raise TypeError(f"apply_gradients: expected (gradient, variable) pairs with "
                                f"ndgrad variables, got {type(var).__name__}")
            if grad is None or not var.trainable:
                missing.append(var)
            else:
                usable.append((grad, var))
        if pairs and not usable:
            raise ValueError("apply_gradients: No gradients provided for any variable:\n  - "
                             + "\n  - ".join(_why_missing(v) for v in missing))
        if missing:
            warnings.warn("apply_gradients: some variables get no update:\n  - "
                          + "\n  - ".join(_why_missing(v) for v in missing),
                          RuntimeWarning, stacklevel=2)
        for _, var in usable:
            self._add(var)
        self._apply(usable)

    def _apply(self, pairs):
        if not pairs:
            return
        self.iterations += 1
        for grad, param in pairs:
            g = grad.data if isinstance(grad, Tensor) else xp.asarray(grad)
            if g.shape != param.shape:
                raise ValueError(f"optimizer: gradient shape {g.shape} does not match parameter "
                                 f"{param.name or ''} of shape {param.shape}")
            if g.dtype != param.dtype:
                g = g.astype(param.dtype)
            self.update(param.data, g, self.state[id(param)])
            param._bump_version(site=f"{type(self).__name__}.step")

    def update(self, param, grad, state):
        """Update the NumPy array ``param`` in place from ``grad``; ``state`` is this
        parameter's own dict."""
        raise NotImplementedError

    def get_config(self):
        """The hyper-parameters as a dict.

        Example:
            >>> import ndgrad
            >>> ndgrad.optim.SGD(lr=0.1).get_config()["learning_rate"]
            0.1
        """
        return {"learning_rate": self.learning_rate}


def _why_missing(var):
    label = f"'{var.name}'" if var.name else f"tensor of shape {var.shape}"
    if not hasattr(var, "assign") and var.is_leaf and not var.trainable:
        return f"{label} is a constant tensor, not a Variable: it cannot be trained"
    if not var.trainable:
        return f"{label} has trainable=False (frozen)"
    return (f"{label} got no gradient: the loss does not depend on it, or the path was cut "
            "(detach, no_grad, conversion to NumPy); ndgrad.explain(loss) says where")
