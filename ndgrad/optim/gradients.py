"""Preparing a gradient for an update: checked against its parameter, then
``maximize`` and weight decay applied (the work every algorithm shares).

Example:
    >>> from ndgrad.optim.gradients import regularized_gradient
    >>> import numpy as np
    >>> param = np.array([2.0], dtype=np.float32)
    >>> regularized_gradient(param, np.array([1.0], np.float32),
    ...                      {"weight_decay": 0.5, "maximize": True}).tolist()
    [0.0]
"""

from .._backend import xp
from ..tensor import Tensor
from .missing_gradients import parameter_label


def checked_gradient(owner, where, param, grad):
    """``grad`` as an array of ``param``'s shape and dtype; anything else is an error.

    Args:
        owner, where: the class and method, for the message.
        param: the parameter (a tensor).
        grad: its gradient: a tensor, an array or nested lists.

    Example:
        >>> from ndgrad.optim.gradients import checked_gradient
        >>> import ndgrad
        >>> checked_gradient("SGD", "step", ndgrad.Variable([1.0]), [2.0]).dtype
        dtype('float32')
    """
    array = grad._data if isinstance(grad, Tensor) else xp.asarray(grad)
    if array.shape != param.shape:
        raise ValueError(f"{owner}.{where}: the gradient of {parameter_label(param)} has shape "
                         f"{array.shape}, but the parameter has shape {param.shape}")
    if array.dtype != param.dtype:
        if not xp.can_cast(array.dtype, param.dtype, casting="same_kind"):
            raise TypeError(f"{owner}.{where}: cannot use a {array.dtype} gradient for the "
                            f"{param.dtype} {parameter_label(param)}")
        array = array.astype(param.dtype)
    return array


def regularized_gradient(param, grad, group, decoupled=False):
    """``grad`` negated when ``group["maximize"]``, plus ``weight_decay * param``
    (L2, as torch's SGD/Adam/...); with decoupled decay (``group`` or
    ``decoupled``: AdamW) ``param`` itself shrinks by ``1 - lr * weight_decay``
    instead. ``grad`` is never modified: a new array is returned when it changes.

    Example:
        >>> from ndgrad.optim.gradients import regularized_gradient
        >>> import numpy as np
        >>> param = np.array([2.0], dtype=np.float32)
        >>> regularized_gradient(param, np.array([1.0], np.float32),
        ...                      {"lr": 0.5, "weight_decay": 0.1}, decoupled=True).tolist()
        [1.0]
        >>> param.tolist()
        [1.899999976158142]
    """
    decay = group.get("weight_decay", 0.0)
    if decay and group.get("decoupled_weight_decay", decoupled):
        param *= 1.0 - group["lr"] * decay
        decay = 0.0
    maximize = group.get("maximize", False)
    if decay:
        # out= keeps a 0-d parameter's gradient an array (NumPy would give a scalar).
        out = xp.multiply(param, decay, out=xp.empty_like(param))
        if maximize:
            out -= grad
        else:
            out += grad
        return out
    return xp.negative(grad, out=xp.empty_like(param)) if maximize else grad


def array_of(tensor):
    """The NumPy array holding ``tensor``'s values, shared (writes change the tensor).

    The one place the optimizers reach into a tensor's storage.

    Example:
        >>> from ndgrad.optim.gradients import array_of
        >>> import ndgrad
        >>> w = ndgrad.Variable([1.0]); array_of(w)[0] = 3.0; w.tolist()
        [3.0]
    """
    return tensor._data
