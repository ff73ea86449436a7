"""Negative log-likelihood losses of regression models, as PyTorch's functional
forms: ``poisson_nll_loss`` (counts) and ``gaussian_nll_loss`` (a mean and a
variance per prediction).

Both follow PyTorch's formulas: the Poisson loss takes the log-rate
(``log_input=True``) or the rate, and with ``full`` adds Stirling's
approximation of ``log(target!)`` where the target exceeds 1; the Gaussian loss
accepts a variance per element, one per sample (one dimension fewer, or size 1
in one dimension) or a float, refuses negative variances, and clamps the
variance to ``eps`` in value only (the gradient passes as if unclamped, as in
PyTorch).

Example:
    >>> from ndgrad.nn.functional import gaussian_nll_loss
    >>> from ndgrad.nn.functional import poisson_nll_loss
    >>> import ndgrad
    >>> poisson_nll_loss(ndgrad.tensor([0.0]), ndgrad.tensor([1.0])).item()
    1.0
    >>> gaussian_nll_loss(ndgrad.tensor([1.0]), ndgrad.tensor([3.0]), 1.0).item()
    2.0
"""

import math

import numpy as np

from ..autograd.primitive import data_of
from ..ops.elementwise import exp, log
from ..ops.selection import clip
from ..tensor import Tensor
from ._loss_reduction import _floating_tensor, _reduce, _reduction_mode

__all__ = []
FUNCTIONAL = ["poisson_nll_loss", "gaussian_nll_loss"]


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8,
                     reduce=None, reduction="mean"):
    """The Poisson negative log-likelihood, as ``torch.nn.functional.poisson_nll_loss``:
    ``exp(input) - target * input`` when ``input`` is the log-rate, else
    ``input - target * log(input + eps)``.

    Args:
        input: the predicted log-rate (``log_input``) or rate.
        target: the observed counts.
        log_input: whether ``input`` is the log of the rate.
        full: add Stirling's term ``t log t - t + log(2 pi t) / 2`` where t > 1.
        eps: keeps ``log`` finite when ``log_input`` is False.
        reduction: "mean", "sum" or "none".

    Example:
        >>> from ndgrad.nn.functional import poisson_nll_loss
        >>> import ndgrad
        >>> loss = poisson_nll_loss(ndgrad.tensor([2.0]), ndgrad.tensor([2.0]), log_input=False)
        >>> f"{loss.item():.4f}"
        '0.6137'
    """
    reduction = _reduction_mode("poisson_nll_loss", reduction, size_average, reduce)
    input = _floating_tensor(input)
    target = _floating_tensor(target, input.dtype)
    loss = exp(input) - target * input if log_input else input - target * log(input + eps)
    if full:
        counts = np.asarray(data_of(target))
        safe = np.where(counts > 1, counts, 1.0).astype(counts.dtype)
        stirling = safe * np.log(safe) - safe + 0.5 * np.log(2 * math.pi * safe)
        loss = loss + Tensor(np.where(counts > 1, stirling, 0.0).astype(counts.dtype))
    return _reduce(loss, reduction)


def _variance_shape(input, var):
    """``var`` reshaped to broadcast against ``input`` as PyTorch allows, or None."""
    if tuple(var.shape) == tuple(input.shape):
        return var
    if tuple(input.shape[:-1]) == tuple(var.shape):
        return var.reshape(tuple(var.shape) + (1,))
    if var.ndim == input.ndim and sum(v for i, v in zip(input.shape, var.shape) if i != v) == 1:
        return var
    return None


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """The Gaussian negative log-likelihood, as ``torch.nn.functional.gaussian_nll_loss``:
    ``(log(var) + (input - target) ** 2 / var) / 2`` (+ ``log(2 pi) / 2`` with ``full``).

    Args:
        input: the predicted means.
        target: the observations.
        var: the predicted variances: the input's shape, one dimension fewer, size 1
            in one dimension (one variance shared along it), or a float.
        full: include the constant term.
        eps: the variance is clamped to at least this (in value; the gradient
            is the unclamped one, as PyTorch).
        reduction: "mean", "sum" or "none".

    Example:
        >>> from ndgrad.nn.functional import gaussian_nll_loss
        >>> import ndgrad
        >>> mean, var = ndgrad.zeros((2, 3)), ndgrad.ones(2)
        >>> gaussian_nll_loss(mean, ndgrad.zeros((2, 3)), var, reduction="none").shape
        (2, 3)
    """
    name = "gaussian_nll_loss"
    input = _floating_tensor(input)
    target = _floating_tensor(target, input.dtype)
    if isinstance(var, (int, float)) and not isinstance(var, bool):
        if var < 0:
            raise ValueError(f"{name}: var has negative entry/entries ({var})")
        var = Tensor(np.full(input.shape, var, dtype=input.dtype))
    var = _floating_tensor(var, input.dtype)
    if np.any(np.asarray(data_of(var)) < 0):
        raise ValueError(f"{name}: var has negative entry/entries; variances must be >= 0")
    shaped = _variance_shape(input, var)
    if shaped is None:
        raise ValueError(f"{name}: var is of incorrect size {tuple(var.shape)} for input "
                         f"{tuple(input.shape)}; give one variance per element, per sample "
                         "(one dimension fewer), or a size-1 dimension to share one")
    reduction = _reduction_mode(name, reduction)
    # The clamp changes the value only: the gradient flows as if it were not there.
    clamped = shaped + (clip(shaped, eps, None) - shaped).detach()
    loss = 0.5 * (log(clamped) + (input - target) ** 2 / clamped)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)
