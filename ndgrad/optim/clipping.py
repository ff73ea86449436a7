"""Gradient clipping, PyTorch style (in place on ``.grad``) and Keras style
(the optimizer's ``clipnorm`` / ``clipvalue`` / ``global_clipnorm`` arguments).

Example:
    >>> import ndgrad
    >>> w = ndgrad.Variable([3.0, 4.0]); w.grad = ndgrad.tensor([3.0, 4.0])
    >>> total = ndgrad.optim.clip_grad_norm_([w], max_norm=1.0)
    >>> round(total.item(), 4), [round(g, 4) for g in w.grad.tolist()]
    (5.0, [0.6, 0.8])
"""

import math

from .._backend import xp
from ..tensor import Tensor


def _with_gradients(owner, parameters):
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    params = list(parameters)
    for p in params:
        if not isinstance(p, Tensor):
            raise TypeError(f"{owner}: expected ndgrad tensors (parameters), got "
                            f"{type(p).__name__}")
    return [p for p in params if p.grad is not None]


def _norm(array, norm_type):
    """The ``norm_type``-norm of ``array`` seen as one vector, in its own dtype."""
    if norm_type == 2.0:
        return xp.sqrt(xp.vdot(array, array).real.astype(array.dtype))
    magnitude = xp.abs(array)
    if norm_type == math.inf:
        return magnitude.max(initial=0).astype(array.dtype)
    if norm_type == -math.inf:
        return magnitude.min(initial=math.inf).astype(array.dtype)
    if norm_type == 0.0:
        return xp.asarray(xp.count_nonzero(array), dtype=array.dtype)
    if norm_type == 1.0:
        return magnitude.sum(dtype=array.dtype)
    return (magnitude ** norm_type).sum(dtype=array.dtype) ** (1.0 / norm_type)


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False,
                    foreach=None):
    """Scale the gradients of ``parameters`` in place so that their total norm is at
    most ``max_norm``; return the total norm before clipping (as ``torch``).

    The total norm is the norm of all gradients seen as one vector. Gradients
    are multiplied by ``max_norm / (total_norm + 1e-6)`` when that is below 1.
    Parameters without a gradient are skipped.

    Args:
        parameters: a tensor or an iterable of tensors with ``.grad``.
        max_norm: the largest total norm allowed.
        norm_type: the p of the p-norm (``float("inf")`` for the max norm).
        error_if_nonfinite: raise when the total norm is nan or inf.
        foreach: PyTorch's implementation switch; accepted, the result is the same.

    Returns:
        The total norm, a 0-d ndgrad tensor in the gradients' dtype.

    Example:
        >>> import ndgrad
        >>> a, b = ndgrad.Variable([0.0]), ndgrad.Variable([0.0])
        >>> a.grad, b.grad = ndgrad.tensor([6.0]), ndgrad.tensor([8.0])
        >>> ndgrad.optim.clip_grad_norm_([a, b], 5.0).item()
        10.0
        >>> round(a.grad.item(), 4), round(b.grad.item(), 4)
        (3.0, 4.0)
    """
    params = _with_gradients("clip_grad_norm_", parameters)
    norm_type = float(norm_type)
    max_norm = float(max_norm)
    if not params:
        return Tensor(0.0)
    grads = [p.grad._data for p in params]
    dtype = xp.result_type(*grads)
    norms = xp.stack([_norm(g, norm_type).astype(dtype) for g in grads])
    total = _norm(norms, norm_type)
    if error_if_nonfinite and not xp.isfinite(total):
        raise RuntimeError(f"clip_grad_norm_: the total {norm_type}-norm of the gradients is "
                           f"{float(total)}, so they cannot be clipped; find the nan/inf "
                           "gradient, or pass error_if_nonfinite=False to scale by it anyway")
    coefficient = dtype.type(max_norm) / (total + dtype.type(1e-6))
    if not coefficient >= 1:        # a nan norm scales to nan, as torch does
        for p in params:
            xp.multiply(p.grad._data, coefficient, out=p.grad._data, casting="same_kind")
            p.grad._bump_version(site="clip_grad_norm_")
    return Tensor(total)


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clip every gradient of ``parameters`` in place to ``[-clip_value, clip_value]``.

    Args:
        parameters: a tensor or an iterable of tensors with ``.grad``.
        clip_value: the largest magnitude allowed (> 0).
        foreach: PyTorch's implementation switch; accepted, the result is the same.

    Example:
        >>> import ndgrad
        >>> w = ndgrad.Variable([0.0, 0.0]); w.grad = ndgrad.tensor([-3.0, 0.5])
        >>> ndgrad.optim.clip_grad_value_(w, 1.0); w.grad.tolist()
        [-1.0, 0.5]
    """
    clip_value = float(clip_value)
    if not clip_value > 0:
        raise ValueError(f"clip_grad_value_: clip_value must be > 0, got {clip_value}")
    for p in _with_gradients("clip_grad_value_", parameters):
        xp.clip(p.grad._data, -clip_value, clip_value, out=p.grad._data)
        p.grad._bump_version(site="clip_grad_value_")


def check_clip_options(owner, clipnorm, clipvalue, global_clipnorm):
    """The Keras clipping arguments as floats (or None); at most one may be set.

    Keras would silently apply only one of several; here that is an error.

    Example:
        >>> from ndgrad.optim.clipping import check_clip_options
        >>> check_clip_options("SGD", 1, None, None)
        (1.0, None, None)
    """
    given = {name: value for name, value in (("clipnorm", clipnorm), ("clipvalue", clipvalue),
                                             ("global_clipnorm", global_clipnorm))
             if value is not None}
    if len(given) > 1:
        raise ValueError(f"{owner}: set only one of clipnorm, clipvalue and global_clipnorm; "
                         f"got {given}")
    for name, value in given.items():
        if not float(value) > 0:
            raise ValueError(f"{owner}: {name} must be > 0, got {value!r}")
    return tuple(None if value is None else float(value)
                 for value in (clipnorm, clipvalue, global_clipnorm))


def clip_arrays(grads, clipnorm=None, clipvalue=None, global_clipnorm=None):
    """Keras clipping of a list of gradient arrays; the inputs are never modified.

    ``clipnorm``: each array is scaled to norm at most ``clipnorm``
    (``g * clipnorm / max(norm(g), clipnorm)``). ``global_clipnorm``: all are
    scaled by ``clipnorm / max(global_norm, clipnorm)``. ``clipvalue``: each
    entry is clipped to ``[-clipvalue, clipvalue]``.

    Example:
        >>> from ndgrad.optim.clipping import clip_arrays
        >>> import numpy as np
        >>> clipped = clip_arrays([np.array([3.0, 4.0]), np.array([0.3])], clipnorm=1.0)
        >>> [np.round(g, 6).tolist() for g in clipped]
        [[0.6, 0.8], [0.3]]
    """
    if clipnorm is not None:
        out = []
        for g in grads:
            norm = math.sqrt(float(xp.vdot(g, g)))
            out.append(_scaled(g, clipnorm / norm) if norm > clipnorm else g)
        return out
    if global_clipnorm is not None:
        total = math.sqrt(sum(float(xp.vdot(g, g)) for g in grads))
        if total > global_clipnorm:
            return [_scaled(g, global_clipnorm / total) for g in grads]
        return list(grads)
    if clipvalue is not None:
        return [xp.clip(g, -clipvalue, clipvalue, out=xp.empty_like(g)) for g in grads]
    return list(grads)


def _scaled(array, factor):
    # out= keeps a 0-d gradient an array (NumPy would return a scalar).
    return xp.multiply(array, factor, out=xp.empty_like(array))
