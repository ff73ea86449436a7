"""Table entries for resizing, padding and sub-pixel rearrangement
(ndgrad.ops.interpolation, ndgrad.nn.padding, ndgrad.nn.pixel_shuffle).

The NumPy references are written here from the definitions in float64: an
interpolation matrix per axis built one output position at a time (exact
rational positions), ``np.pad`` for the padding modes, strided slices for
pixel shuffle. PyTorch's functional forms are the second oracle.
"""

import math

import numpy as np

from ndgrad.nn.padding import pad
from ndgrad.nn.pixel_shuffle import pixel_shuffle, pixel_unshuffle
from ndgrad.ops.interpolation import interpolate

from .harness import OpCase

try:
    import torch.nn.functional as F
except ImportError:
    F = None


def _torch(function):
    return function if F is not None else None


# ------------------------------------------------------------------ references
def _matrix(in_size, out_size, mode, align_corners=False):
    """(out, in) interpolation weights along one axis, from the definition."""
    matrix = np.zeros((out_size, in_size))
    for j in range(out_size):
        if mode == "nearest":
            matrix[j, min(j * in_size // out_size, in_size - 1)] = 1
            continue
        if mode == "nearest-exact":
            matrix[j, min(math.floor((j + 0.5) * in_size / out_size), in_size - 1)] = 1
            continue
        if align_corners:
            source = j * (in_size - 1) / (out_size - 1) if out_size > 1 else 0.0
        else:
            source = max((j + 0.5) * in_size / out_size - 0.5, 0.0)
        low = min(int(math.floor(source)), in_size - 1)
        high = min(low + 1, in_size - 1)
        fraction = source - low
        matrix[j, low] += 1 - fraction
        matrix[j, high] += fraction
    return matrix


def reference_resize(x, sizes, mode, align_corners=False):
    """float64 resize of the trailing axes of (N, C, *spatial), one matrix per axis."""
    out = np.asarray(x, np.float64)
    sizes = (sizes,) * (out.ndim - 2) if isinstance(sizes, int) else sizes
    for offset, size in enumerate(sizes):
        axis = 2 + offset
        matrix = _matrix(out.shape[axis], size, mode, align_corners)
        out = np.moveaxis(np.tensordot(matrix, np.moveaxis(out, axis, 0), axes=1), 0, axis)
    return out


def reference_pad(x, widths, mode="constant", value=0.0):
    """np.pad with PyTorch's flat, last-dimension-first widths (non-negative)."""
    pairs = [(0, 0)] * x.ndim
    for i in range(len(widths) // 2):
        pairs[x.ndim - 1 - i] = (widths[2 * i], widths[2 * i + 1])
    numpy_mode = {"constant": "constant", "reflect": "reflect", "replicate": "edge",
                  "circular": "wrap"}[mode]
    extra = {"constant_values": value} if mode == "constant" else {}
    return np.pad(x, pairs, mode=numpy_mode, **extra)


def reference_pixel_shuffle(x, r):
    n, c, h, w = x.shape
    out = np.empty((n, c // (r * r), h * r, w * r), x.dtype)
    for i in range(r):
        for j in range(r):
            out[:, :, i::r, j::r] = x[:, i * r + j::r * r]
    return out


def reference_pixel_unshuffle(x, r):
    n, c, h, w = x.shape
    out = np.empty((n, c * r * r, h // r, w // r), x.dtype)
    for i in range(r):
        for j in range(r):
            out[:, i * r + j::r * r] = x[:, :, i::r, j::r]
    return out


def _interpolation(sizes, mode, align_corners=None):
    ours = lambda x: interpolate(x, size=sizes, mode=mode, align_corners=align_corners)  # noqa
    reference = lambda x: reference_resize(x, sizes, "linear" if "linear" in mode  # noqa
                                           else mode, bool(align_corners))
    oracle = _torch(lambda x: F.interpolate(x, size=sizes, mode=mode,
                                            align_corners=align_corners))
    return ours, reference, oracle


def _case(name, sizes, mode, shapes, align_corners=None):
    ours, reference, oracle = _interpolation(sizes, mode, align_corners)
    return OpCase(name, ours, reference, shapes, torch=oracle)


CASES = [
    _case("interpolate_bilinear_up_down", (7, 3), "bilinear", [((2, 3, 4, 5),)]),
    _case("interpolate_bilinear_align_corners", (7, 9), "bilinear", [((1, 2, 4, 5),)],
          align_corners=True),
    _case("interpolate_linear", 11, "linear", [((2, 3, 4),), ((1, 1, 1),)]),
    _case("interpolate_trilinear_align_corners", (3, 5, 2), "trilinear",
          [((1, 2, 2, 3, 4),)], align_corners=True),
    _case("interpolate_nearest", (8, 7), "nearest", [((2, 2, 5, 3),)]),
    _case("interpolate_nearest_down", 3, "nearest", [((2, 2, 7),)]),
    _case("interpolate_nearest_exact", (8, 2), "nearest-exact", [((1, 2, 5, 3),)]),
    OpCase("pad_constant_negative",
           lambda x: pad(x, (1, -1, 0, 2), value=0.5),
           lambda x: reference_pad(x[:, :, :, :-1], (1, 0, 0, 2), value=0.5),
           [((2, 3, 4, 5),)],
           torch=_torch(lambda x: F.pad(x, (1, -1, 0, 2), value=0.5))),
    OpCase("pad_reflect_2d", lambda x: pad(x, (2, 1, 3, 0), mode="reflect"),
           lambda x: reference_pad(x, (2, 1, 3, 0), "reflect"), [((2, 3, 4, 5),), ((3, 4, 3),)],
           torch=_torch(lambda x: F.pad(x, (2, 1, 3, 0), mode="reflect"))),
    OpCase("pad_replicate_1d", lambda x: pad(x, (3, 1), mode="replicate"),
           lambda x: reference_pad(x, (3, 1), "replicate"), [((2, 3, 4),)],
           torch=_torch(lambda x: F.pad(x, (3, 1), mode="replicate"))),
    OpCase("pad_circular_3d", lambda x: pad(x, (1, 2, 0, 3, 2, 1), mode="circular"),
           lambda x: reference_pad(x, (1, 2, 0, 3, 2, 1), "circular"), [((1, 2, 3, 4, 3),)],
           torch=_torch(lambda x: F.pad(x, (1, 2, 0, 3, 2, 1), mode="circular"))),
    OpCase("pixel_shuffle", lambda x: pixel_shuffle(x, 2),
           lambda x: reference_pixel_shuffle(x, 2), [((2, 8, 3, 2),)],
           torch=_torch(lambda x: F.pixel_shuffle(x, 2))),
    OpCase("pixel_unshuffle", lambda x: pixel_unshuffle(x, 3),
           lambda x: reference_pixel_unshuffle(x, 3), [((2, 2, 6, 3),)],
           torch=_torch(lambda x: F.pixel_unshuffle(x, 3))),
]
