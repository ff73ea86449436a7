"""``keras.ops`` math and linear algebra: ``erf``, ``logsumexp``, ``rsqrt``,
``top_k``, ``in_top_k``, segment reductions, ``extract_sequences`` and the
``keras.ops.linalg`` functions over ``ndgrad.linalg``.

Segment reductions are written with a one-hot ``(segments, samples)`` matrix,
so they are differentiable and cost ``samples * segments`` memory (fine for the
hundreds of segments programs use).

Example:
    >>> import ndgrad
    >>> from ndgrad.keras import ops
    >>> values, indices = ops.top_k(ndgrad.tensor([1.0, 5.0, 3.0]), k=2)
    >>> values.tolist(), indices.tolist()
    ([5.0, 3.0], [1, 2])
"""

import numpy as np

from ... import linalg as _linalg
from ... import ops as core
from ...autograd.primitive import data_of
from ...tensor import Tensor, as_tensor
from ._routing import keras_op, reexport

erf = reexport(core.erf)
erfc = reexport(core.erfc)
logsumexp = reexport(core.logsumexp)
cholesky = reexport(_linalg.cholesky)
det = reexport(_linalg.det)
eigh = reexport(_linalg.eigh)
inv = reexport(_linalg.inv)
lstsq = reexport(_linalg.lstsq)
norm = reexport(_linalg.norm)
qr = reexport(_linalg.qr)
solve = reexport(_linalg.solve)
svd = reexport(_linalg.svd)
slogdet = reexport(_linalg.slogdet)


def _tensor(x):
    return x if isinstance(x, Tensor) else as_tensor(x)


@keras_op
def rsqrt(x):
    """``1 / sqrt(x)``.

    Example:
        >>> from ndgrad.keras.ops import rsqrt
        >>> rsqrt([4.0]).tolist()
        [0.5]
    """
    return 1.0 / core.sqrt(_tensor(x))


@keras_op
def logdet(x):
    """``log(det(x))`` for a positive-definite ``x`` (``log|det|``, computed stably).

    Example:
        >>> from ndgrad.keras.ops import logdet
        >>> import ndgrad
        >>> round(logdet(ndgrad.eye(2) * 2.0).item(), 4)
        1.3863
    """
    return _linalg.slogdet(_tensor(x))[1]


@keras_op
def solve_triangular(a, b, lower=False):
    """The solution ``x`` of ``a x = b`` for a triangular ``a`` (only its
    ``lower``/upper triangle is read, and receives a gradient).

    Example:
        >>> from ndgrad.keras.ops import solve_triangular
        >>> solve_triangular([[2.0, 0.0], [1.0, 1.0]], [[2.0], [2.0]], lower=True).tolist()
        [[1.0], [1.0]]
    """
    a = _tensor(a)
    return _linalg.solve(core.tril(a) if lower else core.triu(a), _tensor(b))


@keras_op
def top_k(x, k, sorted=True):
    """The ``k`` largest values along the last axis and their indices, largest first.

    Example:
        >>> from ndgrad.keras.ops import top_k
        >>> values, indices = top_k([[1.0, 4.0, 2.0]], 2)
        >>> values.tolist(), indices.tolist()
        ([[4.0, 2.0]], [[1, 2]])
    """
    x = _tensor(x)
    order = np.argsort(-np.asarray(data_of(x)), axis=-1, kind="stable")[..., :int(k)]
    return core.take_along_axis(x, order, -1), as_tensor(order)


@keras_op
def in_top_k(targets, predictions, k):
    """Whether each target's score is among the ``k`` highest of its row (ties count in).

    Example:
        >>> from ndgrad.keras.ops import in_top_k
        >>> in_top_k([1, 0], [[0.1, 0.9, 0.3], [0.1, 0.9, 0.3]], 2).tolist()
        [True, False]
    """
    scores = np.asarray(data_of(predictions))
    labels = np.asarray(data_of(targets)).astype(np.int64)
    target_scores = np.take_along_axis(scores, labels[:, None], axis=-1)
    return as_tensor((scores > target_scores).sum(axis=-1) < int(k))


def _segments(segment_ids, num_segments, owner):
    ids = np.asarray(data_of(segment_ids)).astype(np.int64)
    if ids.ndim != 1:
        raise ValueError(f"{owner}: segment_ids must be 1-D; got shape {ids.shape}")
    count = int(ids.max()) + 1 if num_segments is None and ids.size else int(num_segments or 0)
    return ids, count


@keras_op
def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    """The sum of the rows of ``data`` in each segment (empty segments give 0).

    Example:
        >>> from ndgrad.keras.ops import segment_sum
        >>> segment_sum([1.0, 2.0, 3.0], [0, 0, 2]).tolist()
        [3.0, 0.0, 3.0]
    """
    data = _tensor(data)
    ids, count = _segments(segment_ids, num_segments, "segment_sum")
    membership = (np.arange(count)[:, None] == ids[None, :]).astype(data.dtype)
    rows = core.reshape(data, (data.shape[0], -1))
    return core.reshape(core.matmul(membership, rows), (count,) + data.shape[1:])


@keras_op
def segment_max(data, segment_ids, num_segments=None, sorted=False):
    """The maximum of the rows of ``data`` in each segment (empty segments give the
    dtype's lowest value, as Keras).

    Example:
        >>> from ndgrad.keras.ops import segment_max
        >>> segment_max([1.0, 5.0, 3.0], [0, 0, 1]).tolist()
        [5.0, 3.0]
    """
    data = _tensor(data)
    ids, count = _segments(segment_ids, num_segments, "segment_max")
    membership = np.arange(count)[:, None] == ids[None, :]
    rows = core.reshape(data, (1, data.shape[0], -1))
    lowest = np.finfo(data.dtype).min if data.dtype.kind == "f" else np.iinfo(data.dtype).min
    masked = core.where(membership[:, :, None], rows, lowest)
    return core.reshape(core.max(masked, axis=1), (count,) + data.shape[1:])


@keras_op
def extract_sequences(x, sequence_length, sequence_stride):
    """Frames of ``sequence_length`` taken every ``sequence_stride`` along the last
    axis: shape ``(..., frames, sequence_length)``.

    Example:
        >>> from ndgrad.keras.ops import extract_sequences
        >>> extract_sequences([1.0, 2.0, 3.0, 4.0], 2, 2).tolist()
        [[1.0, 2.0], [3.0, 4.0]]
    """
    x = _tensor(x)
    frames = (x.shape[-1] - sequence_length) // sequence_stride + 1
    index = (np.arange(frames)[:, None] * sequence_stride + np.arange(sequence_length)[None, :])
    return x[..., index]


UNSUPPORTED = dict.fromkeys(
    ("fft", "fft2", "ifft2", "rfft", "irfft", "stft", "istft", "view_as_complex",
     "view_as_real"), "ndgrad has no complex tensors; use numpy.fft on ops.convert_to_numpy(x)")
UNSUPPORTED.update(dict.fromkeys(
    ("erfinv", "segment_min", "segment_prod", "eig", "lu_factor", "gammainc", "cdist", "jvp",
     "cholesky_inverse", "associative_scan", "custom_gradient"),
    "not implemented yet; write it with the ops that exist (ndgrad.Function for a custom "
    "gradient)"))
