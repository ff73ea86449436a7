"""scikit-learn's 8x8 handwritten digits: 1,797 images of 10 classes, bundled
with scikit-learn (nothing is downloaded).

Images come as float32 in ``[0, 1]`` (the original 0..16 grey levels divided
by 16), labels as int64. With ``test_size`` the data is split into a train and
a test part that keep the class proportions (a stratified split), the same
split for the same seed on every machine with the same NumPy.

scikit-learn is an optional dependency: ``pip install ndgrad[datasets]``.

Example:
    >>> from ndgrad.datasets import load_digits
    >>> (x_train, y_train), (x_test, y_test) = load_digits(test_size=0.2, seed=0)
    >>> x_train.shape, x_test.shape, y_test.dtype
    ((1437, 8, 8, 1), (360, 8, 8, 1), dtype('int64'))
"""

import functools
import math
import numbers

import numpy as np

from ..data.seeds import check_seed
from .layout import arrange_images, check_layout

__all__ = ["load_digits", "load_data", "stratified_split"]


@functools.lru_cache(maxsize=1)
def _digits_arrays():
    """The images (N, 8, 8) float32 in [0, 1] and int64 labels, read once."""
    try:
        from sklearn.datasets import load_digits as sklearn_load_digits
    except ImportError:
        raise ImportError("load_digits needs scikit-learn, which bundles the digits (no "
                          "download): pip install ndgrad[datasets]") from None
    bunch = sklearn_load_digits()
    images = (bunch.images / 16.0).astype(np.float32)
    labels = np.asarray(bunch.target, dtype=np.int64)
    images.setflags(write=False)   # shared by every call; callers get copies
    labels.setflags(write=False)
    return images, labels


def _test_count(test_size, total, function):
    if isinstance(test_size, bool) or not isinstance(test_size, numbers.Real):
        raise ValueError(f"{function}: test_size must be a fraction in (0, 1) or a number "
                         f"of samples; got {test_size!r}")
    if isinstance(test_size, numbers.Integral):
        count = int(test_size)
    elif 0.0 < test_size < 1.0:
        count = math.ceil(test_size * total)   # scikit-learn rounds the test part up
    else:
        raise ValueError(f"{function}: a fractional test_size must be in (0, 1); "
                         f"got {test_size}")
    if not 1 <= count <= total - 1:
        raise ValueError(f"{function}: test_size={test_size!r} leaves {count} of {total} "
                         f"samples for testing; both parts need at least one sample")
    return count


def stratified_split(labels, test_size, seed=0):
    """Indices ``(train, test)`` that split ``labels`` keeping the class proportions.

    Each class gives the test part its share of ``test_size`` samples (shares
    rounded by largest remainder, so the total is exact); which samples go is
    drawn with ``seed``, and both parts are shuffled.

    Args:
        labels: a 1-D array of integer class labels.
        test_size: a fraction in (0, 1) (rounded up to whole samples) or a
            number of test samples.
        seed: an int fixing the split.

    Returns:
        Two int64 arrays of indices, disjoint and together covering ``labels``.

    Example:
        >>> import numpy as np
        >>> from ndgrad.datasets.digits import stratified_split
        >>> train, test = stratified_split(np.array([0, 0, 0, 0, 1, 1, 1, 1]), 0.5)
        >>> sorted(np.array([0, 0, 0, 0, 1, 1, 1, 1])[test].tolist())
        [0, 0, 1, 1]
    """
    labels = np.asarray(labels)
    count = _test_count(test_size, len(labels), "stratified_split")
    classes, inverse, sizes = np.unique(labels, return_inverse=True, return_counts=True)
    quotas = count * sizes / len(labels)
    shares = np.floor(quotas).astype(np.int64)
    # The samples still missing go to the classes with the largest remainders
    # (ties to the smaller class label: a stable sort keeps the split stable).
    missing = count - int(shares.sum())
    shares[np.argsort(-(quotas - shares), kind="stable")[:missing]] += 1
    rng = np.random.default_rng(check_seed(seed, "stratified_split"))
    train, test = [], []
    for index in range(len(classes)):
        members = rng.permutation(np.flatnonzero(inverse == index))
        test.append(members[:shares[index]])
        train.append(members[shares[index]:])
    return (rng.permutation(np.concatenate(train)).astype(np.int64),
            rng.permutation(np.concatenate(test)).astype(np.int64))


def load_digits(*, test_size=None, seed=0, layout="channels_last", flatten=False):
    """scikit-learn's 8x8 digits as float32 images in ``[0, 1]`` and int64 labels.

    Args:
        test_size: ``None`` (the default) returns all 1,797 samples in
            scikit-learn's order as ``(x, y)``. A fraction in (0, 1) (rounded
            up to whole samples, as scikit-learn does) or a number of samples
            returns a stratified split ``((x_train, y_train), (x_test, y_test))``.
        seed: the int that fixes the split (unused without ``test_size``).
        layout: ``"channels_last"`` for ``(N, 8, 8, 1)`` (Keras ``Conv2D``) or
            ``"channels_first"`` for ``(N, 1, 8, 8)`` (PyTorch ``Conv2d``).
        flatten: ``True`` for ``(N, 64)`` rows (dense networks), whatever the layout.

    Returns:
        NumPy arrays: ``(x, y)``, or ``((x_train, y_train), (x_test, y_test))``.

    Raises:
        ImportError: when scikit-learn is not installed (``pip install ndgrad[datasets]``).
        ValueError: for an unknown layout or a test_size that leaves a part empty.

    Example:
        >>> from ndgrad.datasets import load_digits
        >>> x, y = load_digits(layout="channels_first")
        >>> x.shape, x.dtype, float(x.max()), y[:5].tolist()
        ((1797, 1, 8, 8), dtype('float32'), 1.0, [0, 1, 2, 3, 4])
        >>> load_digits(flatten=True)[0].shape
        (1797, 64)
    """
    check_layout(layout, "load_digits")
    images, labels = _digits_arrays()
    if test_size is None:
        return arrange_images(images.copy(), layout, flatten, "load_digits"), labels.copy()
    _test_count(test_size, len(labels), "load_digits")
    train, test = stratified_split(labels, test_size, seed)
    return ((arrange_images(images[train], layout, flatten, "load_digits"), labels[train]),
            (arrange_images(images[test], layout, flatten, "load_digits"), labels[test]))


def load_data(test_size=0.2, seed=0, layout="channels_last", flatten=False):
    """The digits split into train and test, Keras style:
    ``(x_train, y_train), (x_test, y_test) = load_data()``.

    The same as ``load_digits(test_size=test_size, seed=seed, layout=layout,
    flatten=flatten)``; see :func:`load_digits`.

    Example:
        >>> from ndgrad.datasets import digits
        >>> (x_train, y_train), (x_test, y_test) = digits.load_data()
        >>> len(x_train), len(x_test)
        (1437, 360)
    """
    if test_size is None:
        raise ValueError("digits.load_data: test_size must be a fraction or a count; "
                         "use load_digits() for the whole dataset unsplit")
    return load_digits(test_size=test_size, seed=seed, layout=layout, flatten=flatten)
