"""Layer normalization as one primitive, and group normalization on top of it.

When the normalized axes are the trailing ones (PyTorch's ``normalized_shape``,
Keras's default ``axis=-1``) the input is read as rows (R, D), one row per
sample, and every step is a whole-array pass with a per-row or per-column
operand, in the input's dtype (float32 stays float32):

- forward: row means (one einsum pass), the centered rows written once into
  a buffer, their variance as row dot products of the centered values (two
  passes in all, so a large mean does not cancel the variance away as
  ``E[x^2] - E[x]^2`` would), scaled in place into ``x_hat``, then weight and
  bias. ``x_hat`` is kept for the rule: recomputing it there would cost two
  more passes than it saves in memory.
- rule: ``gx = invstd * (gy - mean(gy) - x_hat * mean(gy * x_hat))`` with
  ``gy = g * weight``: two row reductions and four passes over two buffers;
  the weight's and bias's gradients are a column einsum and a GEMV.

Both run over blocks of rows of about 1 MiB, so that the passes over a block
find it in cache (15-20% faster than whole-array passes, measured).

When numba is installed and the compiled kernels are on (``_accelerated``),
the rule over C-contiguous float32/float64 rows runs ``_numba_layer_norm_rows``
instead: the same formulas one row at a time while it is in cache, the sums in
float64 (equal to this path within float32 rounding). The forward stays on
NumPy: a compiled forward was measured no faster than these passes for the
Transformer's (2048, 64) rows (0.165 vs 0.160 ms).

The large arrays come from ``_reusable_buffers``, so a training loop reuses
the same memory at every step. Other axes (Keras's ``axis=(0, 2)``) take a
general path built on einsum reductions over those axes.

When the backward is recorded (``create_graph=True``) the rule is a composite
of ndgrad ops that recomputes the statistics from ``x``, so second-order
gradients are exact.

Example:
    >>> from ndgrad.nn.functional import layer_norm
    >>> import ndgrad
    >>> layer_norm(ndgrad.tensor([[1.0, 3.0], [2.0, 6.0]]), (2,), eps=0.0).tolist()
    [[-1.0, 1.0], [-1.0, 1.0]]
"""

import numpy as np

from ..autograd.mode import state
from ..autograd.primitive import as_input, data_of, primitive
from ..errors import shape_error
from ..tensor import Tensor
from . import _accelerated, _reusable_buffers
from .normalization import (_axes_tuple, _broadcast_shape, _floating, _inverse_std,
                            _recorded_rule, _statistics, _sum_of_products, _sum_over)
from .shape import reshape

__all__ = ["layer_norm", "group_norm"]

_row_dot = getattr(np, "vecdot", None) or (lambda a, b: np.einsum("ij,ij->i", a, b))


def _is_trailing(axes, ndim):
    return axes == tuple(range(ndim - len(axes), ndim))


def _rows(array, axes):
    """``array`` as (R, D) with the normalized axes flattened into D (a view when
    it is contiguous)."""
    count = int(np.prod([array.shape[i] for i in axes]))
    return array.reshape(-1, count)


def _flat(value, dtype):
    return None if value is None else value.reshape(-1).astype(dtype, copy=False)


# ---------------------------------------------------------------- the rows path
_BLOCK_ELEMENTS = 1 << 18      # rows are processed in blocks of about 1 MiB of float32


def _blocks(R, D):
    """Row ranges small enough for every pass over a block to stay in cache (measured:
    15-20% faster than whole-array passes on (8192, 512))."""
    step = max(1, _BLOCK_ELEMENTS // max(D, 1))
    return [(lo, min(lo + step, R)) for lo in range(0, R, step)]


def _normalize_rows(rows, weight, bias, eps, workspace, x_hat=None):
    """``(rows - mean) * invstd * weight + bias`` row by row; keeps ``x_hat``,
    ``invstd`` (and the mean) in ``workspace`` when there is one. ``x_hat``: a
    buffer for it (it may be ``rows`` itself, which is then overwritten; the
    op must then be affine, so that ``x_hat`` is kept)."""
    R, D = rows.shape
    dtype = rows.dtype
    affine = weight is not None or bias is not None
    if x_hat is None:
        x_hat = _reusable_buffers.empty((R, D), dtype)
    out = _reusable_buffers.empty((R, D), dtype) if affine else x_hat
    mean, invstd = np.empty(R, dtype), np.empty(R, dtype)
    for lo, hi in _blocks(R, D):
        block, centered, result = rows[lo:hi], x_hat[lo:hi], out[lo:hi]
        m = block @ _reusable_buffers.constant_vector(1, D, dtype)    # a GEMV beats a sum
        m /= D
        np.subtract(block, m[:, None], out=centered)
        variance = _row_dot(centered, centered)
        variance /= D
        s = _inverse_std(variance, eps, dtype)
        centered *= s[:, None]
        if weight is not None:
            np.multiply(centered, weight, out=result)
            if bias is not None:
                result += bias
        elif bias is not None:
            np.add(centered, bias, out=result)
        mean[lo:hi], invstd[lo:hi] = m, s
    if workspace is not None:                  # without affine, the rule recomputes x_hat
        workspace.update(mean=mean, invstd=invstd, x_hat=x_hat if affine else None)
    return out


def _compiled_rule():
    """``_numba_layer_norm_rows`` when its kernel is to run now, else None
    (imported here: importing it imports numba, which ``import ndgrad`` must not)."""
    if not _accelerated.enabled():
        return None
    from . import _numba_layer_norm_rows
    return _numba_layer_norm_rows.kernels()


def _rows_gradients(g, rows, weight, workspace, needs):
    """(gx, gw, gb) as (R, D), (D,), (D,) arrays (None where not needed)."""
    R, D = g.shape
    mean, invstd, x_hat = workspace["mean"], workspace["invstd"], workspace["x_hat"]
    gx = _reusable_buffers.empty((R, D), g.dtype) if needs[0] else None
    compiled = _compiled_rule()
    sums = compiled and compiled.gradients(g, x_hat, rows, mean, invstd, weight, gx, needs)
    if sums:
        gw, gb = (None if s is None else s.astype(g.dtype) for s in sums)
        return gx, gw, gb
    gw = np.zeros(D, g.dtype) if needs[1] else None
    gb = np.zeros(D, g.dtype) if needs[2] else None
    ones = np.ones(min(R, _blocks(R, D)[0][1]), g.dtype)
    scratch = np.empty((len(ones), D), g.dtype)
    for lo, hi in _blocks(R, D):
        g_block = g[lo:hi]
        if x_hat is None:
            h = scratch[:hi - lo]
            np.subtract(rows[lo:hi], mean[lo:hi, None], out=h)
            h *= invstd[lo:hi, None]
        else:
            h = x_hat[lo:hi]
        if needs[1]:
            gw += np.einsum("ij,ij->j", g_block, h)
        if needs[2]:
            gb += ones[:hi - lo] @ g_block                            # a GEMV beats a sum
        if needs[0]:
            # gx = invstd * (gy - mean(gy) - x_hat * mean(gy * x_hat)), gy = g * weight
            result = gx[lo:hi]
            gy = g_block if weight is None else np.multiply(g_block, weight, out=result)
            mean_gy = gy @ _reusable_buffers.constant_vector(1, D, gy.dtype)
            mean_gy /= D
            along = _row_dot(gy, h)
            along /= D
            projection = np.multiply(h, along[:, None], out=h if x_hat is None else
                                     scratch[:hi - lo])
            np.subtract(gy, mean_gy[:, None], out=result)
            result -= projection
            result *= invstd[lo:hi, None]
    return gx, gw, gb


# ---------------------------------------------------------------- the general path
def _normalize_axes(x, weight, bias, axes, eps, workspace):
    mean, variance = _statistics(x, axes)
    invstd = _inverse_std(variance, eps, x.dtype)
    out = x - mean
    out *= invstd
    shape = _broadcast_shape(out.shape, axes)
    if weight is not None:
        out *= weight.reshape(shape).astype(out.dtype, copy=False)
    if bias is not None:
        out += bias.reshape(shape).astype(out.dtype, copy=False)
    if workspace is not None:
        workspace.update(mean=mean, invstd=invstd)
    return out


def _axes_gradients(g, x, weight, axes, workspace, needs):
    samples = tuple(i for i in range(g.ndim) if i not in axes)
    param_shape = tuple(g.shape[i] for i in axes)
    invstd = workspace["invstd"]
    x_hat = x - workspace["mean"]
    x_hat *= invstd
    gw = _sum_of_products(g, x_hat, axes).reshape(param_shape) if needs[1] else None
    gb = g.sum(axis=samples).reshape(param_shape) if needs[2] else None
    gx = None
    if needs[0]:
        gx = g * weight.reshape(_broadcast_shape(g.shape, axes)) if weight is not None else g.copy()
        count = int(np.prod(param_shape))
        x_hat *= _sum_of_products(gx, x_hat, samples) / count
        gx -= _sum_over(gx, samples) / count
        gx -= x_hat
        gx *= invstd
    return gx, gw, gb


# ---------------------------------------------------------------- the primitive
@primitive(name="layer_norm", reads=(0, 1))
def _layer_norm(x, weight, bias, axes, eps, workspace):
    x = _floating(x)
    weight = None if weight is None else np.asarray(weight)
    if not _is_trailing(axes, x.ndim):
        return _normalize_axes(x, weight, bias, axes, eps, workspace)
    out = _normalize_rows(_rows(x, axes), _flat(weight, x.dtype), _flat(bias, x.dtype), eps,
                          workspace)
    return out.reshape(x.shape)


@_layer_norm.defvjp
def _layer_norm_vjp(g, out, x, weight, bias, axes, eps, workspace, needs):
    if state.enabled:
        gx, gw, gb = _recorded_rule(g, x, weight, axes, axes, None, None, eps, True)
        return gx if needs[0] else None, gw if needs[1] else None, gb if needs[2] else None
    gd = g._data
    data = _floating(data_of(x))
    w = data_of(weight)
    w = None if w is None else np.asarray(w).astype(gd.dtype, copy=False)
    if not _is_trailing(axes, gd.ndim):
        return _axes_gradients(gd, data, w, axes, workspace, needs)
    gx, gw, gb = _rows_gradients(_rows(gd, axes), _rows(data, axes), _flat(w, gd.dtype),
                                 workspace, needs)
    param_shape = tuple(gd.shape[i] for i in axes)
    return (None if gx is None else gx.reshape(gd.shape),
            None if gw is None else gw.reshape(param_shape),
            None if gb is None else gb.reshape(param_shape))


def layer_norm(x, normalized_shape=None, weight=None, bias=None, eps=1e-5, axis=None):
    """Layer normalization, as ``torch.nn.functional.layer_norm``: each sample is
    normalized over its last dimensions (``normalized_shape``), or over ``axis``
    (Keras's LayerNormalization), then scaled by ``weight`` and shifted by ``bias``.

    Args:
        x: the input.
        normalized_shape: the trailing dimensions to normalize over.
        weight, bias: tensors of the normalized dimensions' shape, or None.
        eps: added to the variance.
        axis: instead of ``normalized_shape``, the axis or axes to normalize over.

    Example:
        >>> from ndgrad.nn.functional import layer_norm
        >>> import ndgrad
        >>> layer_norm(ndgrad.tensor([[1.0, 3.0]]), (2,), eps=0.0).tolist()
        [[-1.0, 1.0]]
    """
    x = as_input(x)
    data = _floating(data_of(x))
    if (normalized_shape is None) == (axis is None):
        raise ValueError("layer_norm: give exactly one of normalized_shape (PyTorch) or axis "
                         "(Keras)")
    if axis is not None:
        axes = _axes_tuple(axis, data.ndim, "layer_norm")
    else:
        normalized_shape = ((normalized_shape,) if isinstance(normalized_shape, (int, np.integer))
                            else tuple(normalized_shape))
        count = len(normalized_shape)
        if count == 0 or data.shape[data.ndim - count:] != normalized_shape or count > data.ndim:
            raise shape_error("layer_norm", [x], f"the input's last dimensions must be "
                              f"normalized_shape {normalized_shape}")
        axes = tuple(range(data.ndim - count, data.ndim))
    param_shape = tuple(data.shape[i] for i in axes)
    for label, value in (("weight", weight), ("bias", bias)):
        if value is not None and tuple(np.shape(data_of(value))) != param_shape:
            raise shape_error("layer_norm", [x, value],
                              f"{label} must have the normalized dimensions' shape {param_shape}")
    weight, bias = as_input(weight), as_input(bias)
    recording = state.enabled and any(isinstance(a, Tensor) and a._rg for a in (x, weight, bias))
    return _layer_norm(x, weight, bias, axes=axes, eps=float(eps),
                       workspace={} if recording else None)


def group_norm(x, num_groups, weight=None, bias=None, eps=1e-5):
    """Group normalization, as ``torch.nn.functional.group_norm``: the channels of
    (N, C, *) are split into ``num_groups`` groups, each normalized per sample.

    Example:
        >>> from ndgrad.nn.functional import group_norm
        >>> import ndgrad
        >>> group_norm(ndgrad.tensor([[[1.0], [3.0]]]), 1, eps=0.0).tolist()
        [[[-1.0], [1.0]]]
    """
    x = as_input(x)
    if not isinstance(x, Tensor):
        x = Tensor._wrap(_floating(x))
    if x.ndim < 2 or x.shape[1] % num_groups:
        raise shape_error("group_norm", [x], f"the input must be (N, C, ...) with C divisible "
                          f"by num_groups={num_groups}")
    batch, channels = x.shape[0], x.shape[1]
    grouped = reshape(x, (batch, num_groups, -1))
    out = reshape(layer_norm(grouped, axis=2, eps=eps), x.shape)
    shape = (1, channels) + (1,) * (x.ndim - 2)
    if weight is not None:
        out = out * reshape(weight, shape)
    if bias is not None:
        out = out + reshape(bias, shape)
    return out
