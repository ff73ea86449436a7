"""What the loss functions share: the reduction (with PyTorch's deprecated
``size_average``/``reduce`` pair) and the cast of targets to floating tensors.

Example:
    >>> _reduction_mode("mse_loss", "mean", size_average=False)
    'sum'
"""

from ..dtypes import default_float
from ..ops.reduce import mean as _mean, sum as _sum
from ..tensor import Tensor, as_tensor

_REDUCTIONS = ("mean", "sum", "none")


def _reduction_mode(name, reduction, size_average=None, reduce=None, allowed=_REDUCTIONS):
    """The reduction to apply, with PyTorch's deprecated ``size_average`` /
    ``reduce`` pair mapped onto it (either one given overrides ``reduction``)."""
    if size_average is not None or reduce is not None:
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = "mean" if size_average and reduce else "sum" if reduce else "none"
    if reduction not in allowed:
        raise ValueError(f"{name}: reduction must be one of {', '.join(map(repr, allowed))}; "
                         f"got {reduction!r}")
    return reduction


def _reduce(loss, reduction):
    if reduction == "mean":
        return _mean(loss)
    if reduction == "sum":
        return _sum(loss)
    return loss


def _floating_tensor(value, dtype=None):
    """``value`` as a tensor of ``dtype`` (default: its own if floating, else float32);
    a differentiable cast, so a target that requires grad keeps its gradient."""
    tensor = value if isinstance(value, Tensor) else as_tensor(value)
    if dtype is None:
        dtype = tensor.dtype if tensor.dtype.kind == "f" else default_float
    return tensor if tensor.dtype == dtype else tensor.astype(dtype)
