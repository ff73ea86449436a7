"""``F.one_hot``: class indices to one-hot rows, as ``torch.nn.functional.one_hot``.

The result is an int64 tensor with a new last axis of ``num_classes``; like
every integer tensor it carries no gradient. Indices are checked before
anything is made: a negative one, or one not below ``num_classes``, is an
error naming the offending value and where it is.

Example:
    >>> from ndgrad.nn.functional import one_hot
    >>> import ndgrad
    >>> one_hot(ndgrad.tensor([0, 2]), num_classes=3).tolist()
    [[1, 0, 0], [0, 0, 1]]
"""

import numbers

import numpy as np

from ..autograd.primitive import data_of
from ..errors import dtype_error
from ..tensor import Tensor

__all__ = []
FUNCTIONAL = ["one_hot"]


def one_hot(tensor, num_classes=-1):
    """A one-hot int64 encoding of integer class indices.

    Args:
        tensor: integer class indices, any shape.
        num_classes: the length of the new last axis; -1 (the default) means
            ``max(tensor) + 1``.

    Returns:
        an int64 tensor of shape ``tensor.shape + (num_classes,)``, 1 at each index.

    Example:
        >>> from ndgrad.nn.functional import one_hot
        >>> import ndgrad
        >>> one_hot(ndgrad.tensor([[1], [0]])).shape
        (2, 1, 2)
    """
    indices = np.asarray(data_of(tensor))
    if indices.dtype.kind not in "iu":
        raise dtype_error("one_hot", f"expects integer class indices, got {indices.dtype} "
                          f"(shape {indices.shape}); convert with .long() / "
                          ".astype('int64') first")
    if not isinstance(num_classes, numbers.Integral) or isinstance(num_classes, bool) or \
            num_classes < -1:
        raise ValueError(f"one_hot: num_classes must be a non-negative int or -1 (infer), got "
                         f"{num_classes!r}")
    if num_classes == -1:
        if indices.size == 0:
            raise ValueError("one_hot: cannot infer num_classes from an empty tensor; give "
                             "num_classes")
        num_classes = int(indices.max()) + 1
    if indices.size:
        low, high = int(indices.min()), int(indices.max())
        if low < 0 or high >= num_classes:
            bad = low if low < 0 else high
            where = tuple(int(i) for i in np.argwhere(indices == bad)[0])
            rule = "non-negative" if bad < 0 else f"smaller than num_classes={num_classes}"
            raise ValueError(f"one_hot: class values must be {rule}, got {bad} at index "
                             f"{where} of a tensor of shape {indices.shape}")
    out = np.zeros(indices.shape + (int(num_classes),), dtype=np.int64)
    np.put_along_axis(out, indices[..., None].astype(np.intp), 1, axis=-1)
    return Tensor._wrap(out)
