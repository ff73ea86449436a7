"""``kl_divergence(p, q)``: the Kullback-Leibler divergence ``KL(p || q)`` in closed form.

A table holds one function per pair of distribution classes;
:func:`register_kl` adds to it (for a pair of the program's own classes,
as in PyTorch), and a pair looks up the most specific entry along both
classes' MROs. Each function is written with ndgrad ops, so the divergence
differentiates in the parameters of both (the KL term of a VAE's loss).
Infinite divergences (``q`` gives probability 0 where ``p`` does not) come
out as ``inf``.

Example:
    >>> import ndgrad
    >>> from ndgrad.distributions import Normal, kl_divergence
    >>> p = Normal(ndgrad.tensor([0.0, 1.0]), ndgrad.tensor([1.0, 2.0]))
    >>> [round(v, 4) for v in kl_divergence(p, Normal(0.0, 1.0)).tolist()]
    [0.0, 1.3069]
"""

import numpy as np

from .. import ops
from ..tensor import Tensor
from .continuous import Normal, Uniform
from .discrete import Bernoulli, Categorical

__all__ = ["kl_divergence", "register_kl"]

_TABLE = {}


def register_kl(type_p, type_q):
    """A decorator registering ``function(p, q)`` as ``KL(p || q)`` for these classes.

    Example:
        >>> from ndgrad.distributions import kl_divergence
        >>> from ndgrad.distributions import register_kl
        >>> from ndgrad.distributions import Normal
        >>> class Shifted(Normal):
        ...     pass
        >>> @register_kl(Shifted, Shifted)
        ... def _kl_shifted(p, q):
        ...     return (p.loc - q.loc) ** 2
        >>> kl_divergence(Shifted(1.0, 1.0), Shifted(0.0, 1.0)).item()
        1.0
    """
    if not (isinstance(type_p, type) and isinstance(type_q, type)):
        raise TypeError(f"register_kl: expected two distribution classes, got "
                        f"{type_p!r} and {type_q!r}")

    def decorator(function):
        _TABLE[type_p, type_q] = function
        return function

    return decorator


def _lookup(type_p, type_q):
    """The entry for the nearest registered pair along both MROs (None if none)."""
    best, best_rank = None, None
    for rank_p, base_p in enumerate(type_p.__mro__):
        for rank_q, base_q in enumerate(type_q.__mro__):
            function = _TABLE.get((base_p, base_q))
            if function is not None and (best_rank is None or rank_p + rank_q < best_rank):
                best, best_rank = function, rank_p + rank_q
    return best


def kl_divergence(p, q):
    """``KL(p || q)`` for each distribution of the (broadcast) batch.

    Raises:
        NotImplementedError: for a pair of classes with no registered formula.

    Example:
        >>> from ndgrad.distributions import kl_divergence
        >>> import ndgrad
        >>> from ndgrad.distributions import Categorical
        >>> p = Categorical(ndgrad.tensor([0.5, 0.5]))
        >>> round(kl_divergence(p, Categorical(ndgrad.tensor([0.9, 0.1]))).item(), 4)
        0.5108
    """
    function = _lookup(type(p), type(q))
    if function is None:
        known = ", ".join(f"{a.__name__}/{b.__name__}" for a, b in _TABLE)
        raise NotImplementedError(f"kl_divergence: no formula for {type(p).__name__} and "
                                  f"{type(q).__name__} (known pairs: {known}); register one "
                                  "with @register_kl, or estimate it from samples: "
                                  "(p.log_prob(x) - q.log_prob(x)).mean() with x = p.sample()")
    return function(p, q)


def _infinite_where(mask, dtype):
    """0 where ``mask`` is false, ``inf`` where true (added to force infinite divergences)."""
    return Tensor._wrap(np.where(mask, np.inf, 0.0).astype(dtype))


@register_kl(Normal, Normal)
def _kl_normal_normal(p, q):
    variance_ratio = (p.scale / q.scale) ** 2
    mean_term = ((p.loc - q.loc) / q.scale) ** 2
    return 0.5 * (variance_ratio + mean_term - 1 - ops.log(variance_ratio))


@register_kl(Categorical, Categorical)
def _kl_categorical_categorical(p, q):
    p_probs = p.probs.detach().numpy()
    q_probs = np.broadcast_to(q.probs.detach().numpy(), np.broadcast_shapes(
        p_probs.shape, q.probs.shape))
    terms = p.probs * (p.logits - q.logits)
    zero_p = np.broadcast_to(p_probs == 0, terms.shape)
    terms = ops.where(Tensor._wrap(zero_p), 0.0, terms)      # 0 log 0 = 0
    infinite = (q_probs == 0) & ~zero_p                       # p puts mass where q has none
    return (terms + _infinite_where(infinite, terms.dtype)).sum(-1)


@register_kl(Bernoulli, Bernoulli)
def _kl_bernoulli_bernoulli(p, q):
    p_probs, q_probs = p.probs.detach().numpy(), q.probs.detach().numpy()
    one = p.probs * (ops.softplus(-q.logits) - ops.softplus(-p.logits))
    zero = (1 - p.probs) * (ops.softplus(q.logits) - ops.softplus(p.logits))
    shape = one.shape
    one = ops.where(Tensor._wrap(np.broadcast_to(p_probs == 0, shape)), 0.0, one)
    zero = ops.where(Tensor._wrap(np.broadcast_to(p_probs == 1, shape)), 0.0, zero)
    infinite = ((q_probs == 0) & (p_probs > 0)) | ((q_probs == 1) & (p_probs < 1))
    return one + zero + _infinite_where(np.broadcast_to(infinite, shape), one.dtype)


@register_kl(Uniform, Uniform)
def _kl_uniform_uniform(p, q):
    result = ops.log((q.high - q.low) / (p.high - p.low))
    outside = ((q.low.detach().numpy() > p.low.detach().numpy())
               | (q.high.detach().numpy() < p.high.detach().numpy()))
    return result + _infinite_where(np.broadcast_to(outside, result.shape), result.dtype)
