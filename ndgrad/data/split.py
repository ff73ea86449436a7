"""Splitting a dataset into disjoint random parts.

Example:
    >>> import numpy as np
    >>> from ndgrad.data import TensorDataset, random_split
    >>> train, val = random_split(TensorDataset(np.arange(10)), [0.8, 0.2], seed=0)
    >>> len(train), len(val)
    (8, 2)
"""

import math
import numbers

from .._backend import xp
from .dataset import Subset
from .seeds import seed_from

__all__ = ["random_split", "split_lengths"]

_FRACTION_TOLERANCE = 1e-6


def split_lengths(total, lengths):
    """The integer part sizes for ``lengths`` (integers, or fractions summing to 1).

    Fractions are floored, and the samples left over go one each to the
    first parts, so the sizes always add up to ``total``.

    Args:
        total: the number of samples to split.
        lengths: integer sizes summing to ``total``, or fractions summing to 1.

    Example:
        >>> from ndgrad.data import split_lengths
        >>> split_lengths(10, [1/3, 1/3, 1/3]), split_lengths(10, [7, 3])
        ([4, 3, 3], [7, 3])
    """
    lengths = list(lengths)
    if not lengths:
        raise ValueError("random_split: lengths is empty; pass sizes such as [0.8, 0.2]")
    if any(isinstance(n, bool) or not isinstance(n, numbers.Real) or n < 0 for n in lengths):
        raise ValueError(f"random_split: lengths must be non-negative numbers; got {lengths}")
    if all(isinstance(n, numbers.Integral) for n in lengths):
        if sum(lengths) != total:
            raise ValueError(f"random_split: lengths {lengths} add up to {sum(lengths)}, "
                             f"but the dataset has {total} samples")
        return [int(n) for n in lengths]
    if any(n > 1 for n in lengths) or abs(math.fsum(lengths) - 1.0) > _FRACTION_TOLERANCE:
        raise ValueError(f"random_split: fractional lengths must each be in [0, 1] and add "
                         f"up to 1; got {lengths} (sum {math.fsum(lengths)})")
    sizes = [math.floor(total * fraction) for fraction in lengths]
    for i in range(total - sum(sizes)):
        sizes[i % len(sizes)] += 1
    return sizes


def random_split(dataset, lengths, seed=None, *, generator=None):
    """Split ``dataset`` into disjoint random :class:`~ndgrad.data.Subset` s that
    together cover it.

    The split is a pure function of ``seed`` and the dataset's length: the
    same seed gives the same parts.

    Args:
        dataset: the dataset to split.
        lengths: the part sizes, as integers adding up to ``len(dataset)`` or
            as fractions adding up to 1 (``[0.8, 0.2]``).
        seed: an int; ``None`` draws one from ``ndgrad.random.generator()``
            (so ``ndgrad.random.seed`` makes it reproducible).
        generator: a NumPy Generator (a ``torch.Generator``) to draw the seed
            from, instead of ``seed``.

    Returns:
        A list of Subsets, one per length, in the order of ``lengths``.

    Example:
        >>> import numpy as np
        >>> from ndgrad.data import TensorDataset, random_split
        >>> a, b = random_split(TensorDataset(np.arange(5)), [3, 2], seed=1)
        >>> sorted(a.indices.tolist() + b.indices.tolist())
        [0, 1, 2, 3, 4]
    """
    total = len(dataset)
    sizes = split_lengths(total, lengths)
    seed = seed_from("random_split", seed, generator)
    order = xp.random.default_rng(seed).permutation(total)
    bounds = xp.cumsum([0] + sizes)
    return [Subset(dataset, order[start:stop]) for start, stop in zip(bounds[:-1], bounds[1:])]
