"""The connectionist temporal classification loss, ``F.ctc_loss`` / ``nn.CTCLoss``,
as PyTorch defines it.

For each sample the label sequence is extended with blanks (``b l1 b l2 ... b``)
and the forward variable ``alpha[t, s]``, the log-probability of all alignments
of the first t + 1 frames ending at extended position s, is computed frame by
frame (one vectorized step over the batch and all positions per frame; a
position is reached from itself, the one before, or the one two before when
that skips a blank between different labels). The loss is minus the log of the
alignments ending on the last label or the final blank at the sample's last
frame. The backward variable ``beta`` runs the same recursion from the end, and
the gradient with respect to ``log_probs[t, n, c]`` is minus the posterior of
class c at frame t: ``-exp(logsumexp(alpha + beta over positions labelled c) -
log_probs + loss)``.

That is the exact derivative with respect to ``log_probs``. PyTorch's own
backward returns it plus ``exp(log_probs)``, a term that the backward of the
``log_softmax`` producing ``log_probs`` cancels, so gradients with respect to
the logits (and every parameter before them) agree with PyTorch's. Second-order
gradients are not supported (refused, never silently zero).

Example:
    >>> from ndgrad.nn.functional import ctc_loss
    >>> import numpy as np, ndgrad
    >>> log_probs = ndgrad.tensor(np.log(np.full((2, 1, 2), 0.5)))     # T=2, N=1, C=2
    >>> loss = ctc_loss(log_probs, ndgrad.tensor([[1]]), [2], [1], reduction="sum")
    >>> f"{loss.item():.4f}"             # -log(3 / 4): the alignments 11, b1 and 1b
    '0.2877'
"""

import numpy as np

from ..autograd.mode import state
from ..autograd.primitive import as_input, data_of, primitive, shape_of
from ..errors import shape_error
from ..ops.selection import where
from ..tensor import Tensor
from ._loss_reduction import _floating_tensor, _reduction_mode

__all__ = []
FUNCTIONAL = ["ctc_loss"]


def _logsumexp(*terms):
    stacked = np.stack(terms)
    top = stacked.max(axis=0)
    finite = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        return np.log(np.exp(stacked - finite).sum(axis=0)) + finite


def _shift(values, by):
    """``values`` moved ``by`` positions along the last axis, -inf filling the start."""
    out = np.full_like(values, -np.inf)
    out[..., by:] = values[..., :-by]
    return out


class _Alignments:
    """The extended labels and the forward variables, kept from the forward for the rule."""

    __slots__ = ("labels", "skips", "alpha", "loss")


def _forward(lp, labels, skips, input_lengths, target_lengths):
    """``alpha`` (T, N, L) and the per-sample loss (float64)."""
    frames, batch, _ = lp.shape
    positions = labels.shape[1]
    emit = np.take_along_axis(lp, np.broadcast_to(labels, (frames,) + labels.shape), axis=2)
    alpha = np.full((frames, batch, positions), -np.inf)
    alpha[0, :, 0] = emit[0, :, 0]
    has_label = target_lengths > 0
    alpha[0, has_label, 1] = emit[0, has_label, 1]
    for t in range(1, frames):
        previous = alpha[t - 1]
        step = _logsumexp(previous, _shift(previous, 1),
                          np.where(skips, _shift(previous, 2), -np.inf)) + emit[t]
        alpha[t] = np.where((t < input_lengths)[:, None], step, previous)
    last = alpha[input_lengths - 1, np.arange(batch)]
    ends = 2 * target_lengths
    final = _logsumexp(last[np.arange(batch), ends],
                       np.where(has_label, last[np.arange(batch), np.maximum(ends - 1, 0)],
                                -np.inf))
    return alpha, -final, emit


def _backward(lp, labels, skips, emit, input_lengths, target_lengths):
    frames, batch, positions = emit.shape
    beta = np.full((frames, batch, positions), -np.inf)
    ends = 2 * target_lengths
    rows = np.arange(batch)
    last = input_lengths - 1
    beta[last, rows, ends] = emit[last, rows, ends]
    has_label = target_lengths > 0
    beta[last[has_label], rows[has_label], ends[has_label] - 1] = \
        emit[last[has_label], rows[has_label], ends[has_label] - 1]
    ahead_skips = np.zeros_like(skips)
    ahead_skips[:, :-2] = skips[:, 2:]             # s -> s + 2 allowed when s + 2 may skip
    for t in range(frames - 2, -1, -1):
        following = beta[t + 1]
        ahead1 = np.full_like(following, -np.inf)
        ahead1[:, :-1] = following[:, 1:]
        ahead2 = np.full_like(following, -np.inf)
        ahead2[:, :-2] = following[:, 2:]
        step = _logsumexp(following, ahead1, np.where(ahead_skips, ahead2, -np.inf)) + emit[t]
        beta[t] = np.where((t < last)[:, None], step, beta[t])
    return beta


@primitive(name="ctc_loss", reads=(0,))
def _ctc(log_probs, targets, input_lengths, target_lengths, blank, cache):
    lp = np.asarray(log_probs, dtype=np.float64)
    batch = lp.shape[1]
    positions = 2 * targets.shape[1] + 1
    labels = np.full((batch, positions), blank, dtype=np.int64)
    labels[:, 1::2] = targets
    skips = np.zeros((batch, positions), bool)
    skips[:, 2:] = (labels[:, 2:] != blank) & (labels[:, 2:] != labels[:, :-2])
    alpha, loss, _ = _forward(lp, labels, skips, input_lengths, target_lengths)
    if cache is not None:
        cache.labels, cache.skips, cache.alpha, cache.loss = labels, skips, alpha, loss
    return loss.astype(log_probs.dtype)


@_ctc.defvjp
def _ctc_vjp(g, out, log_probs, targets, input_lengths, target_lengths, blank, cache):
    if state.enabled:
        raise NotImplementedError("ctc_loss: second-order gradients are not supported")
    lp = np.asarray(data_of(log_probs), dtype=np.float64)
    labels, skips, alpha = cache.labels, cache.skips, cache.alpha
    emit = np.take_along_axis(lp, np.broadcast_to(labels, (lp.shape[0],) + labels.shape), axis=2)
    beta = _backward(lp, labels, skips, emit, input_lengths, target_lengths)
    loss = cache.loss
    finite = np.isfinite(loss)
    with np.errstate(invalid="ignore", over="ignore"):
        posterior = np.exp(alpha + beta - emit + np.where(finite, loss, 0.0)[None, :, None])
    posterior = np.where(finite[None, :, None], np.nan_to_num(posterior, nan=0.0, posinf=0.0),
                         0.0)
    frames, batch, classes = lp.shape
    cells = (np.arange(frames)[:, None, None] * batch + np.arange(batch)[None, :, None]) \
        * classes + labels[None]
    grad = np.bincount(cells.ravel(), weights=posterior.ravel(),
                       minlength=frames * batch * classes).reshape(lp.shape)
    gd = np.asarray(data_of(g), dtype=np.float64)
    grad *= -gd[None, :, None]
    grad[:, ~finite & (gd != 0)] = np.nan          # no alignment: PyTorch's gradient is NaN too
    return Tensor(grad.astype(np.asarray(data_of(log_probs)).dtype))


def _lengths(name, label, value, batch):
    array = np.asarray(data_of(as_input(value))).astype(np.int64).reshape(-1)
    if array.shape != (batch,):
        raise ValueError(f"{name}: {label} must hold one length per sample ({batch}), got "
                         f"{array.shape[0]}")
    return array


def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean",
             zero_infinity=False):
    """The CTC loss, as ``torch.nn.functional.ctc_loss``.

    Args:
        log_probs: (T, N, C) log-probabilities (``log_softmax`` over C), or (T, C).
        targets: (N, S) padded label indices, or the N label sequences concatenated
            (1-D, ``sum(target_lengths)`` long); labels are in [0, C) and not ``blank``.
        input_lengths: the frames of each sample (each at most T).
        target_lengths: the labels of each sample.
        blank: the blank class.
        reduction: "mean" (each loss divided by its target length, then the batch
            mean), "sum" or "none".
        zero_infinity: a sample with no possible alignment (infinite loss) gets
            0 loss and 0 gradient.

    Example:
        >>> from ndgrad.nn.functional import ctc_loss
        >>> import ndgrad
        >>> x = ndgrad.random.normal((6, 2, 4)).log_softmax(2)
        >>> ctc_loss(x, ndgrad.tensor([[1, 2], [3, 3]]), [6, 5], [2, 2]).shape
        ()
    """
    name = "ctc_loss"
    reduction = _reduction_mode(name, reduction)
    log_probs = _floating_tensor(log_probs)
    shape = shape_of(log_probs)
    unbatched = len(shape) == 2
    if unbatched:
        log_probs = log_probs.reshape(shape[0], 1, shape[1])
    elif len(shape) != 3:
        raise shape_error(name, [log_probs], "expected (T, N, C) or (T, C) log_probs")
    frames, batch, classes = log_probs.shape
    input_lengths = _lengths(name, "input_lengths", input_lengths, batch)
    target_lengths = _lengths(name, "target_lengths", target_lengths, batch)
    labels = np.asarray(data_of(as_input(targets)))
    if labels.dtype.kind not in "iu":
        raise TypeError(f"{name}: targets must be integer class indices, got {labels.dtype}")
    if np.any(input_lengths < 1) or np.any(input_lengths > frames):
        raise ValueError(f"{name}: input_lengths must be in [1, {frames}] (T), got "
                         f"{input_lengths.tolist()}")
    if np.any(target_lengths < 0):
        raise ValueError(f"{name}: target_lengths must be >= 0, got {target_lengths.tolist()}")
    longest = int(target_lengths.max(initial=0))
    if unbatched or labels.ndim == 1:
        flat = labels.reshape(-1)
        if unbatched:
            flat = flat[:target_lengths[0]]
        elif flat.size != target_lengths.sum():
            raise ValueError(f"{name}: 1-D targets must hold sum(target_lengths) = "
                             f"{target_lengths.sum()} labels, got {flat.size}")
        padded = np.zeros((batch, longest), np.int64)
        starts = np.concatenate([[0], np.cumsum(target_lengths)[:-1]])
        for_each = np.arange(longest)[None, :] < target_lengths[:, None]
        padded[for_each] = flat[(starts[:, None] + np.arange(longest)[None, :])[for_each]]
    else:
        if labels.ndim != 2 or labels.shape[0] != batch or labels.shape[1] < longest:
            raise shape_error(name, [labels], f"padded targets must be (N={batch}, S >= "
                              f"{longest}), got {labels.shape}")
        padded = labels[:, :longest].astype(np.int64)
    used = padded[np.arange(longest)[None, :] < target_lengths[:, None]]
    if used.size and (used.min() < 0 or used.max() >= classes or np.any(used == blank)):
        raise ValueError(f"{name}: target labels must be in [0, {classes}) and differ from "
                         f"blank={blank}")
    cache = _Alignments() if log_probs.requires_grad else None
    losses = _ctc(log_probs, targets=padded, input_lengths=input_lengths,
                  target_lengths=target_lengths, blank=int(blank), cache=cache)
    if zero_infinity:
        infinite = ~np.isfinite(np.asarray(data_of(losses)))
        if infinite.any():
            losses = where(infinite, 0.0, losses)
    if reduction == "mean":
        divisor = np.maximum(target_lengths, 1).astype(losses.dtype)
        return (losses / divisor).mean()
    if reduction == "sum":
        return losses.sum()
    return losses[0] if unbatched else losses
