"""Fused attention: ``softmax(Q K^T * scale + masks) V`` as one primitive with its own rule.

The composite form (two batched matmuls around a softmax, each an op) keeps the
scores, the weights and the softmax's intermediate arrays, and its softmax
reduces along rows of only S numbers, which NumPy does slowly (measured on
(32, 4, 64, 64) float32: 0.5 ms for the row maxima against 0.06 ms for the same
maxima taken down the columns of the transposed layout). This primitive
computes the scores transposed, ``S^T = (K * scale) Q^T`` of shape
(..., S, L), so that the maxima and sums over the keys run down columns; it
divides the (L, dv) output by each query's sum instead of the (S, L) weights,
and keeps only what the rule needs: the exponentials (transposed, in the one
buffer the scores were computed in) and their sums, the scaled keys, and the
dropout mask when there is one. The rule, with ``P`` the weights, ``M`` the dropout mask (0 or
``1 / (1 - p)``) and ``O = (P * M) V`` the output:

    dV = (P * M)^T dO
    dS = P * (M * (dO V^T) - rowsum(dO * O))      (rowsum(dO * O) = rowsum(dP * P))
    dQ = dS (K * scale),  dK = scale * dS^T Q,  d(mask) = dS

Inputs come in one of four layouts (``layout``), so that the heads are split
and merged by strided views, without copies: the matmuls read and write
(batch, heads, time, head_dim) views of

- ``"heads"``: q (..., L, d), k (..., S, d), v (..., S, dv) as given (PyTorch's
  ``scaled_dot_product_attention``); the output is (..., L, dv);
- ``"tokens"``: (N, T, heads, d) arrays (Keras's projections); output (N, L, heads, dv);
- ``"merged"``: (N, T, heads * d) arrays; output (N, L, heads * dv);
- ``"packed"``: one (N, T, 3 * heads * d) array holding q, k and v side by side
  (the in-projection's single matmul; k and v are None); output (N, L, heads * d).

Masks are additive float arrays or tensors broadcastable to (..., L, S) (one
attention mask and one key-padding mask, either may be None); a query whose
every key is masked gets NaN, as in the composite form. The dropout mask
``keep`` (the weights' shape, (..., L, S)) multiplies the weights before ``V``.

Under ``create_graph`` the rule differentiates the composite form, so
higher-order gradients are exact.

Example:
    >>> import ndgrad
    >>> from ndgrad.ops.attention_fused import fused_attention
    >>> q = ndgrad.ones((2, 3, 4))
    >>> fused_attention(q, q, ndgrad.ones((2, 3, 5)), scale=0.5).shape
    (2, 3, 5)
"""

import numpy as np

from ..autograd.mode import state
from ..autograd.primitive import as_input, data_of, primitive
from ..tensor import Tensor
from . import _reusable_buffers
from ._scan_support import composite_vjp
from .softmax import softmax

__all__ = []

LAYOUTS = ("heads", "tokens", "merged", "packed")


# ---------------------------------------------------------------- layouts
def _split(array, layout, heads, part):
    """Input ``part`` (0 q, 1 k, 2 v) as a (batch..., heads, time, head_dim) view."""
    if layout == "heads":
        return array
    if layout == "tokens":
        return array.swapaxes(1, 2)
    N, T, F = array.shape
    if layout == "packed":
        return array.reshape(N, T, 3, heads, F // (3 * heads))[:, :, part].swapaxes(1, 2)
    return array.reshape(N, T, heads, F // heads).swapaxes(1, 2)


def _merged(view, layout):
    """The array in ``layout`` whose (batch, heads, time, dim) view is ``view``."""
    if layout == "heads":
        return view
    tokens = view.swapaxes(1, 2)
    if layout == "tokens":
        return tokens
    return tokens.reshape(tokens.shape[:2] + (-1,))


def _buffer(layout, batch, time, dim, dtype):
    """A fresh (*batch, time, dim) view over memory laid out as ``layout`` wants
    (for all but "heads", batch is (N, heads) and the memory (N, time, heads, dim))."""
    if layout == "heads":
        return _reusable_buffers.empty(batch + (time, dim), dtype)
    return _reusable_buffers.empty((batch[0], time, batch[1], dim), dtype).swapaxes(1, 2)


def _at_least_2d(mask):
    return mask if mask.ndim >= 2 else mask.reshape((1,) * (2 - mask.ndim) + mask.shape)


# ---------------------------------------------------------------- the kernels
def _forward(q, k, v, masks, scale, keep, layout, workspace):
    """The output's (batch, heads, L, dv) view, over memory in ``layout``."""
    dtype = q.dtype
    batch, L, S = q.shape[:-2], q.shape[-2], k.shape[-2]
    scaled_keys = np.multiply(k, scale, dtype=dtype)
    weights_t = _reusable_buffers.empty(batch + (S, L), dtype)      # scores, transposed
    np.matmul(scaled_keys, q.swapaxes(-1, -2), out=weights_t)
    for mask in masks:
        if mask is not None:
            weights_t += _at_least_2d(mask).swapaxes(-1, -2)
    top = weights_t.max(axis=-2, keepdims=True)                   # down the columns: fast
    if not np.isfinite(top).all():                                # a fully masked query
        top = np.where(np.isfinite(top), top, 0)
    weights_t -= top
    np.exp(weights_t, out=weights_t)          # unnormalized: the output is divided instead
    # Sums down the columns as one batched GEMV (4 times NumPy's sum over axis -2).
    totals = np.matmul(_reusable_buffers.constant_vector(1, S, dtype), weights_t)[..., None]
    dropped_t = weights_t if keep is None else weights_t * keep.swapaxes(-1, -2)
    out = _buffer(layout, batch, L, v.shape[-1], dtype)
    np.matmul(dropped_t.swapaxes(-1, -2), v, out=out)
    with np.errstate(invalid="ignore", divide="ignore"):          # 0 / 0: NaN, as composite
        out /= totals
    if workspace is not None:
        workspace.update(powers_t=weights_t, totals=totals, scaled_keys=scaled_keys)
    return out


def _backward(g, out, q, k, v, views, scale, keep, workspace, needs):
    """dq, dk, dv written into ``views`` (those needed) and dS transposed back to
    (..., L, S) when ``needs[3]``; all arguments are (batch, heads, time, dim) views.

    The forward kept the exponentials E (P = E / totals, per query): dividing the
    (L, dv) gradient by the totals instead of the (S, L) weights saves a pass."""
    powers_t, totals = workspace["powers_t"], workspace["totals"]
    keep_t = None if keep is None else keep.swapaxes(-1, -2)
    with np.errstate(invalid="ignore", divide="ignore"):
        g = g / totals                                   # dO / totals
    if needs[2]:
        dropped_t = powers_t if keep_t is None else powers_t * keep_t
        np.matmul(dropped_t, g, out=views[2])
    if not (needs[0] or needs[1] or needs[3]):
        return None
    # rowsum(dO * O) / totals per query: a row subtracted from every key's row of dS^T
    ones = _reusable_buffers.constant_vector(1, g.shape[-1], g.dtype)
    along = np.ascontiguousarray(np.multiply(g, out) @ ones)[..., None, :]    # GEMVs
    d_scores_t = _reusable_buffers.empty(powers_t.shape, powers_t.dtype)
    np.matmul(v, g.swapaxes(-1, -2), out=d_scores_t)
    if keep_t is not None:
        d_scores_t *= keep_t
    d_scores_t -= along
    d_scores_t *= powers_t
    if needs[0]:
        np.matmul(d_scores_t.swapaxes(-1, -2), workspace["scaled_keys"], out=views[0])
    if needs[1]:
        np.matmul(d_scores_t, q, out=views[1])
        views[1] *= scale
    return d_scores_t.swapaxes(-1, -2) if needs[3] else None


# ---------------------------------------------------------------- the primitive
def _views(q, k, v, layout, heads):
    if layout == "packed":
        return tuple(_split(q, layout, heads, part) for part in range(3))
    return tuple(_split(a, layout, heads, part) for part, a in enumerate((q, k, v)))


@primitive(name="attention", saves_output=True, reads=(0, 1, 2))
def _attention(q, k, v, attn_mask, padding_mask, scale, layout, heads, keep, workspace):
    qh, kh, vh = _views(np.asarray(q), None if k is None else np.asarray(k),
                        None if v is None else np.asarray(v), layout, heads)
    masks = [None if m is None else np.asarray(m) for m in (attn_mask, padding_mask)]
    return _merged(_forward(qh, kh, vh, masks, scale, keep, layout, workspace), layout)


@_attention.defvjp
def _attention_vjp(g, out, q, k, v, attn_mask, padding_mask, scale, layout, heads, keep,
                   workspace, needs):
    if state.enabled:
        return _recorded_rule(g, (q, k, v, attn_mask, padding_mask), needs,
                              dict(scale=scale, layout=layout, heads=heads, keep=keep))
    qh, kh, vh = _views(data_of(q), data_of(k), data_of(v), layout, heads)
    out_layout = "merged" if layout == "packed" else layout
    gh = _split(g._data, out_layout, heads, 0)
    oh = _split(data_of(out), out_layout, heads, 0)
    batch, dtype = qh.shape[:-2], qh.dtype
    if layout == "packed":
        whole = (_reusable_buffers.empty(q.shape, dtype) if needs[0] else None)
        views = [None if whole is None else _split(whole, layout, heads, part)
                 for part in range(3)]
        wanted = (needs[0],) * 3
    else:
        views = [_buffer(layout, batch, t.shape[-2], t.shape[-1], dtype) if need
                 else None for t, need in zip((qh, kh, vh), needs)]
        wanted = tuple(needs[:3])
    d_scores = _backward(gh, oh, qh, kh, vh, views, scale, keep, workspace,
                         wanted + (needs[3] or needs[4],))
    if layout == "packed":
        grads = (whole, None, None)
    else:
        grads = tuple(None if view is None else _merged(view, layout) for view in views)
    return grads + (d_scores if needs[3] else None, d_scores if needs[4] else None)


def _recorded_rule(g, inputs, needs, params):
    """The rule under ``create_graph``: the composite form's, recorded."""
    present = [i for i, a in enumerate(inputs) if a is not None and needs[i]]

    def composite(*given):
        full = list(inputs)
        for i, value in zip(present, given):
            full[i] = value
        return _composite(*full, **params)

    grads = composite_vjp(composite, g, tuple(inputs[i] for i in present), {})
    result = [None] * len(inputs)
    for i, grad in zip(present, grads):
        result[i] = grad
    return tuple(result)


def _composite(q, k, v, attn_mask=None, padding_mask=None, scale=1.0, layout="heads",
               heads=None, keep=None):
    """The same attention written with ndgrad ops (recorded, differentiable again)."""
    if layout == "packed":
        N, T, F = q.shape
        parts = q.reshape(N, T, 3, heads, F // (3 * heads))
        qh, kh, vh = (parts[:, :, i].swapaxes(1, 2) for i in range(3))
    elif layout == "heads":
        qh, kh, vh = q, k, v
    elif layout == "tokens":
        qh, kh, vh = q.swapaxes(1, 2), k.swapaxes(1, 2), v.swapaxes(1, 2)
    else:
        qh, kh, vh = (a.reshape(a.shape[0], a.shape[1], heads, -1).swapaxes(1, 2)
                      for a in (q, k, v))
    scores = (qh * scale) @ kh.swapaxes(-1, -2)
    for mask in (attn_mask, padding_mask):
        if mask is not None:
            scores = scores + mask
    weights = softmax(scores, axis=-1)
    if keep is not None:
        weights = weights * Tensor._wrap(keep)
    out = weights @ vh
    if layout == "heads":
        return out
    out = out.swapaxes(1, 2)
    return out if layout == "tokens" else out.reshape(out.shape[0], out.shape[1], -1)


def _scores_shape(q, k, layout, heads):
    """The (..., L, S) shape of the scores, from the inputs' shapes."""
    if layout == "heads":
        return tuple(q.shape[:-1]) + (k.shape[-2],)
    if layout == "tokens":
        return (q.shape[0], q.shape[2], q.shape[1], k.shape[1])
    return (q.shape[0], heads, q.shape[1], (q if layout == "packed" else k).shape[1])


def _fits(q, k, v, masks, layout, heads):
    """Whether the kernels take these inputs as they are: one floating dtype, batch
    axes that do not broadcast, masks that do not enlarge the scores. Anything else
    runs the composite form (the same numbers, op by op)."""
    arrays = [data_of(a) for a in (q, k, v) if a is not None]
    dtype = arrays[0].dtype
    if dtype.kind != "f" or any(a.dtype != dtype for a in arrays):
        return False
    if layout == "heads" and not (q.shape[:-2] == k.shape[:-2] == v.shape[:-2]):
        return False
    shape = _scores_shape(q, k, layout, heads)
    if 0 in shape:
        return False
    for mask in masks:
        if mask is not None:
            mask_dtype = np.asarray(data_of(mask)).dtype
            if mask_dtype != dtype:
                return False
            try:
                if np.broadcast_shapes(shape, np.shape(data_of(mask))) != shape:
                    return False
            except ValueError:
                return False
    return True


def _check(query, key, value, layout, heads):
    if layout not in LAYOUTS:
        raise ValueError(f"fused_attention: layout must be one of {LAYOUTS}, got {layout!r}")
    if layout == "packed":
        if key is not None or value is not None:
            raise ValueError("fused_attention: the 'packed' layout takes q, k and v in one "
                             "array (query); pass key=None and value=None")
        if query.ndim != 3 or query.shape[-1] % (3 * heads):
            raise ValueError(f"fused_attention: a packed query must be (N, T, 3 * heads * d) "
                             f"with heads={heads}, got shape {tuple(query.shape)}")
        return
    if key is None or value is None:
        raise ValueError(f"fused_attention: the {layout!r} layout needs key and value")
    ndim = {"heads": None, "tokens": 4, "merged": 3}[layout]
    if ndim is None:
        ok = (query.ndim >= 2 and key.ndim == query.ndim == value.ndim
              and query.shape[-1] == key.shape[-1] and key.shape[-2] == value.shape[-2])
    else:
        ok = (query.ndim == key.ndim == value.ndim == ndim
              and query.shape[0] == key.shape[0] == value.shape[0]
              and query.shape[2:] == key.shape[2:] and key.shape[1] == value.shape[1])
        if layout == "merged":
            ok = ok and query.shape[-1] % heads == 0 and value.shape[-1] % heads == 0
        else:
            ok = ok and value.shape[2] == query.shape[2]
    if not ok:
        raise ValueError(f"fused_attention: shapes {tuple(query.shape)}, {tuple(key.shape)}, "
                         f"{tuple(value.shape)} do not fit the {layout!r} layout (query and "
                         f"key need the same features, key and value the same length)")


def fused_attention(query, key, value, attn_mask=None, padding_mask=None, *, scale,
                    layout="heads", heads=None, keep=None):
    """``softmax(query key^T * scale + attn_mask + padding_mask) value``, one op.

    Args:
        query, key, value: tensors in ``layout`` (see the module's docstring); for
            "packed", query holds q, k and v and key, value are None.
        attn_mask, padding_mask: additive float masks (0 or -inf, or any float)
            broadcastable to the scores (..., L, S), or None.
        scale: the scores' factor (1 / sqrt(head_dim) in PyTorch and Keras).
        layout: "heads", "tokens", "merged" or "packed".
        heads: the number of heads (for "merged" and "packed").
        keep: None, or the dropout mask of the weights' shape (..., L, S): 0 where a
            weight is dropped and ``1 / (1 - p)`` elsewhere.

    Example:
        >>> import ndgrad
        >>> from ndgrad.ops.attention_fused import fused_attention
        >>> qkv = ndgrad.ones((2, 5, 3 * 8), requires_grad=True)
        >>> out = fused_attention(qkv, None, None, scale=0.5, layout="packed", heads=2)
        >>> out.sum().backward()
        >>> out.shape, qkv.grad.shape
        ((2, 5, 8), (2, 5, 24))
    """
    query, key, value = as_input(query), as_input(key), as_input(value)
    if not isinstance(query, Tensor):
        query = Tensor._wrap(np.asarray(query))
    key = key if key is None or isinstance(key, Tensor) else Tensor._wrap(np.asarray(key))
    value = (value if value is None or isinstance(value, Tensor)
             else Tensor._wrap(np.asarray(value)))
    if layout in ("merged", "packed") and (heads is None or int(heads) < 1):
        raise ValueError(f"fused_attention: the {layout!r} layout needs heads >= 1, got "
                         f"{heads!r}")
    heads = None if heads is None else int(heads)
    _check(query, key, value, layout, heads)
    masks = tuple(None if m is None else as_input(m) for m in (attn_mask, padding_mask))
    keep = None if keep is None else np.asarray(data_of(keep))
    params = dict(scale=float(scale), layout=layout, heads=heads, keep=keep)
    if not _fits(query, key, value, masks, layout, heads):
        return _composite(query, key, value, *masks, **params)
    recording = state.enabled and any(isinstance(a, Tensor) and a._rg
                                      for a in (query, key, value) + masks)
    return _attention(query, key, value, *masks, **params,
                      workspace={} if recording else None)
