"""Resizing by interpolation: nearest, (bi/tri)linear, PyTorch's ``F.interpolate``.

Every supported mode is separable: resizing an image is resizing one axis
after the other. Along one axis, output position ``j`` reads input positions
``low[j]`` and ``high[j]`` with weights ``w0[j]`` and ``w1[j]`` (nearest: only
``low``, weight 1). That is one primitive, :func:`resample`, a gather
(``np.take``) and a weighted sum; its gradient is the adjoint, a weighted
scatter-add, and the adjoint's gradient is the gather again, so gradients of
every order are exact. The source indices never decrease along the axis, so
the scatter-add is a few passes of distinct targets (no ``np.add.at``),
strided views where the positions are evenly spaced; an integer nearest
factor is ``np.repeat``, and its adjoint ``factor`` strided adds.

The source positions follow PyTorch's rules (and its float arithmetic: float32
for float32 inputs): nearest reads ``floor(j * scale)``, "nearest-exact"
``floor((j + 0.5) * scale)``; linear reads ``j * (in - 1) / (out - 1)`` with
``align_corners=True`` and ``(j + 0.5) * scale - 0.5`` (at least 0) without,
where ``scale`` is ``1 / scale_factor`` when one was given, else ``in / out``.
Keras's bilinear resize is the second rule.

Example:
    >>> from ndgrad.nn.functional import interpolate
    >>> import ndgrad
    >>> x = ndgrad.tensor([[[1.0, 2.0]]])
    >>> interpolate(x, scale_factor=2).tolist()
    [[[1.0, 1.0, 2.0, 2.0]]]
    >>> interpolate(x, size=4, mode="linear").tolist()
    [[[1.0, 1.25, 1.75, 2.0]]]
"""

import math
import numbers

import numpy as np

from ..autograd.primitive import as_input, primitive, shape_of
from ..errors import shape_error

__all__ = ["interpolate", "interpolate_as"]


# ------------------------------------------------------------------ the primitive pair
def _weights_along(weight, axis, ndim, dtype):
    shape = [1] * ndim
    shape[axis] = -1
    return weight.astype(dtype, copy=False).reshape(shape)


@primitive(name="resample", reads=())
def _resample(x, axis, low, high, weights, repeats):
    """Gather along ``axis``: ``x[low] * w0 + x[high] * w1`` (nearest: ``x[low]``)."""
    if repeats:
        return np.repeat(x, repeats, axis=axis)
    out = np.take(x, low, axis=axis)
    if weights is None:
        return out
    out *= _weights_along(weights[0], axis, x.ndim, out.dtype)
    out += np.take(x, high, axis=axis) * _weights_along(weights[1], axis, x.ndim, out.dtype)
    return out


@_resample.defvjp
def _resample_vjp(g, out, x, axis, low, high, weights, repeats):
    return _resample_adjoint(g, axis=axis, low=low, high=high, weights=weights,
                             repeats=repeats, size=shape_of(x)[axis])


def _as_slice(positions):
    """An evenly spaced increasing index array as the slice that reads the same
    positions (a view, no gather), else the array itself."""
    if len(positions) == 1:
        return slice(int(positions[0]), int(positions[0]) + 1)
    step = int(positions[1] - positions[0])
    if step > 0 and np.all(np.diff(positions) == step):
        return slice(int(positions[0]), int(positions[-1]) + 1, step)
    return positions


def _scatter_sorted(values, index, axis, size, out=None):
    """``values`` added along ``axis`` at the non-decreasing ``index`` (into ``out``, or
    into zeros of length ``size``).

    The positions that read one source form a run; pass ``k`` adds the k-th
    member of every run at once, so its targets are distinct and a plain
    indexed add is exact. There are as many passes as the longest run (the
    upsampling factor, plus one at most), each a strided view where the
    positions are evenly spaced (an integer factor) and a gather otherwise.
    """
    starts = np.flatnonzero(np.concatenate(([True], index[1:] != index[:-1])))
    counts = np.diff(np.append(starts, len(index)))
    targets = index[starts]
    lead = (slice(None),) * axis
    for k in range(int(counts.max(initial=0))):
        members = counts > k
        source = _as_slice(starts[members] + k)
        target = _as_slice(targets[members])
        block = (values[lead + (source,)] if isinstance(source, slice)
                 else np.take(values, source, axis=axis))
        if out is None:
            if isinstance(target, slice) and target == slice(0, size, 1):
                out = np.array(block, copy=isinstance(source, slice))
                continue
            shape = list(values.shape)
            shape[axis] = size
            out = np.zeros(shape, values.dtype)
        out[lead + (target,)] += block
    if out is None:
        shape = list(values.shape)
        shape[axis] = size
        out = np.zeros(shape, values.dtype)
    return out


@primitive(name="resample_adjoint", reads=())
def _resample_adjoint(g, axis, low, high, weights, repeats, size):
    """The adjoint of :func:`_resample`: ``g`` added back where it was read."""
    if repeats:
        return _scatter_sorted(g, np.arange(g.shape[axis]) // repeats, axis, size)
    if weights is None:
        return _scatter_sorted(g, low, axis, size)
    out = _scatter_sorted(g * _weights_along(weights[0], axis, g.ndim, g.dtype), low, axis,
                          size)
    return _scatter_sorted(g * _weights_along(weights[1], axis, g.ndim, g.dtype), high, axis,
                           size, out)


@_resample_adjoint.defvjp
def _resample_adjoint_vjp(h, out, g, axis, low, high, weights, repeats, size):
    return _resample(h, axis=axis, low=low, high=high, weights=weights, repeats=repeats)


# ------------------------------------------------------------------ source positions
def source_positions(in_size, out_size, mode, align_corners=False, scale=None,
                     dtype=np.float32, exact_ratios=False):
    """Where each output position reads along one axis, PyTorch's rules:
    ``(low, high, weights)`` (``high`` and ``weights`` None for the nearest modes).

    ``scale`` is the user's scale factor (None: ``out_size / in_size``); it
    changes the positions only when it differs from that ratio. As PyTorch,
    the nearest modes compute in float32 whatever the dtype, the linear one in
    the input's precision, and 2-D nearest (``exact_ratios``) copies (equal
    sizes) or halves (twice the size) the index whatever the scale.

    Example:
        >>> from ndgrad.ops.interpolation import source_positions
        >>> source_positions(3, 6, "nearest")[0].tolist()
        [0, 0, 1, 1, 2, 2]
        >>> low, high, (w0, w1) = source_positions(2, 3, "linear", align_corners=True)
        >>> low.tolist(), high.tolist(), w1.tolist()
        ([0, 0, 1], [1, 1, 1], [0.0, 0.5, 0.0])
    """
    nearest = mode in ("nearest", "nearest-exact")
    if nearest or np.dtype(dtype) != np.float64:
        dtype = np.dtype(np.float32)
    else:
        dtype = np.dtype(np.float64)
    step = (dtype.type(1.0 / scale) if scale is not None and scale > 0
            else dtype.type(in_size) / dtype.type(out_size))
    j = np.arange(out_size)
    if nearest:
        if mode == "nearest" and exact_ratios and out_size in (in_size, 2 * in_size):
            return j // (out_size // in_size), None, None
        if mode == "nearest":
            start = j.astype(np.float32) * step
        else:               # PyTorch adds the half in double, floors in float
            start = ((j + 0.5) * np.float64(step)).astype(np.float32)
        return np.minimum(np.floor(start).astype(np.int64), in_size - 1), None, None
    j = j.astype(dtype)
    if align_corners:
        step = (dtype.type(in_size - 1) / dtype.type(out_size - 1) if out_size > 1
                else dtype.type(0))
        source = j * step
    else:
        source = np.maximum((j + dtype.type(0.5)) * step - dtype.type(0.5), dtype.type(0))
    low = np.minimum(np.floor(source).astype(np.int64), in_size - 1)
    fraction = np.clip(source - low.astype(dtype), 0, 1).astype(dtype)
    high = low + (low < in_size - 1)
    return low, high, (dtype.type(1) - fraction, fraction)


def resample(x, axis, low, high=None, weights=None):
    """``x`` resized along ``axis``: output ``j`` is ``x[low[j]] * w0[j] + x[high[j]] * w1[j]``
    (``x[low[j]]`` without weights); ``low`` and ``high`` must not decrease.

    Example:
        >>> from ndgrad.nn.upsampling import resample
        >>> import ndgrad, numpy as np
        >>> resample(ndgrad.tensor([1.0, 3.0]), 0, np.array([0, 0, 1])).tolist()
        [1.0, 1.0, 3.0]
    """
    low = np.asarray(low, dtype=np.int64)
    size = shape_of(x)[axis]
    repeats = 0
    if weights is None and len(low) % size == 0 and len(low) >= size:
        factor = len(low) // size
        if np.array_equal(low, np.arange(len(low)) // factor):
            repeats = factor
    return _resample(x, axis=axis, low=low, high=high, weights=weights, repeats=repeats)


def resize(x, sizes, axes, mode="nearest", align_corners=False, scales=None,
           exact_ratios=False):
    """``x`` resized to ``sizes`` along ``axes``, one axis after the other (``mode``
    "nearest", "nearest-exact" or "linear"; ``scales`` the user's factors or None;
    ``exact_ratios`` as :func:`source_positions`). An axis whose size does not
    change is left alone where PyTorch copies it (linear, and nearest without a
    different scale).

    Example:
        >>> from ndgrad.nn.image_resizing import resize
        >>> import ndgrad
        >>> resize(ndgrad.ones((1, 2, 2, 3)), (4, 4), (1, 2)).shape
        (1, 4, 4, 3)
    """
    x_shape = shape_of(x)
    scales = scales if scales is not None else (None,) * len(axes)
    dtype = getattr(x, "dtype", np.float64)
    for axis, size, scale in zip(axes, sizes, scales):
        in_size = x_shape[axis]
        if in_size == size and (mode == "linear" or exact_ratios or scale in (None, 1)):
            continue
        low, high, weights = source_positions(in_size, size, mode, align_corners, scale, dtype,
                                              exact_ratios)
        x = resample(x, axis, low, high, weights)
    return x


# ------------------------------------------------------------------ PyTorch's function
_LINEAR = {"linear": 3, "bilinear": 4, "trilinear": 5}
_NEAREST = ("nearest", "nearest-exact")


def _per_axis(value, count, label, owner, kind):
    if isinstance(value, (numbers.Number, np.number)) and not isinstance(value, bool):
        return (kind(value),) * count
    values = tuple(kind(v) for v in value)
    if len(values) != count:
        raise ValueError(f"{owner}: {label} {value!r} must be one number or {count} (one per "
                         f"spatial dimension of the input)")
    return values


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """Resize a batch of (N, C, *spatial) inputs, as ``torch.nn.functional.interpolate``.

    Args:
        input: (N, C, L), (N, C, H, W) or (N, C, D, H, W).
        size: the output's spatial size (an int or one per axis); or
        scale_factor: multiply each spatial size (floored); the factor itself
            sets the source positions unless ``recompute_scale_factor=True``.
        mode: "nearest" (PyTorch's historical rule, ``floor(j * in / out)``),
            "nearest-exact", "linear" (3-D input), "bilinear" (4-D), "trilinear" (5-D).
        align_corners: for the linear modes, whether the corner pixels' centres
            line up (True) or their outer edges do (False, the default).

    Example:
        >>> from ndgrad.nn.functional import interpolate
        >>> import ndgrad
        >>> x = ndgrad.tensor([[[[0.0, 3.0]]]])
        >>> interpolate(x, size=(2, 4), mode="bilinear", align_corners=True)[0, 0, 0].tolist()
        [0.0, 1.0, 2.0, 3.0]
        >>> interpolate(x, size=(1, 4), mode="bilinear")[0, 0, 0].tolist()
        [0.0, 0.75, 2.25, 3.0]
    """
    return interpolate_as("interpolate", input, size, scale_factor, mode, align_corners,
                          recompute_scale_factor, antialias)


def interpolate_as(owner, input, size=None, scale_factor=None, mode="nearest",
                   align_corners=None, recompute_scale_factor=None, antialias=False):
    """:func:`interpolate` with errors that name ``owner`` (the layer that called it).

    Example:
        >>> from ndgrad.nn.upsampling import interpolate_as
        >>> import ndgrad
        >>> interpolate_as("Upsample", ndgrad.ones((1, 1, 2)), scale_factor=2).shape
        (1, 1, 4)
    """
    input = as_input(input)
    shape = shape_of(input)
    dims = len(shape) - 2
    if dims not in (1, 2, 3):
        raise shape_error(owner, [input], f"expected a 3-D, 4-D or 5-D input (N, C, *spatial), "
                          f"got {len(shape)}-D")
    if mode in _LINEAR:
        if _LINEAR[mode] != len(shape):
            raise shape_error(owner, [input], f"mode {mode!r} needs a {_LINEAR[mode]}-D input, "
                              f"got {len(shape)}-D; use " + ", ".join(
                                  f"{m!r} for {n}-D" for m, n in _LINEAR.items()))
    elif mode in _NEAREST:
        if align_corners is not None:
            raise ValueError(f"{owner}: align_corners is for the linear modes only, not "
                             f"mode={mode!r}; leave it None")
    else:
        raise NotImplementedError(f"{owner}: mode={mode!r} is not supported; use 'nearest', "
                                  "'nearest-exact', 'linear', 'bilinear' or 'trilinear'")
    if antialias:
        raise NotImplementedError(f"{owner}: antialias=True is not supported")
    if (size is None) == (scale_factor is None):
        raise ValueError(f"{owner}: give exactly one of size and scale_factor, got size={size!r}"
                         f", scale_factor={scale_factor!r}")
    spatial = shape[2:]
    if size is not None:
        sizes = _per_axis(size, dims, "size", owner, int)
        scales = None
    else:
        factors = _per_axis(scale_factor, dims, "scale_factor", owner, float)
        sizes = tuple(math.floor(n * f) for n, f in zip(spatial, factors))
        scales = None if recompute_scale_factor else factors
    if any(n <= 0 for n in sizes):
        raise shape_error(owner, [input], f"the output size {sizes} must be positive (input "
                          f"spatial size {spatial}, size={size!r}, scale_factor={scale_factor!r})")
    return resize(input, sizes, tuple(range(2, 2 + dims)),
                  "linear" if mode in _LINEAR else mode, bool(align_corners), scales,
                  exact_ratios=dims == 2)
