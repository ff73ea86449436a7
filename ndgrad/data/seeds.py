"""Seeds for the data pipeline: checked, drawn from ndgrad's generator when not
given, and turned into per-epoch generators.

An epoch's generator is seeded with the pair ``(seed, epoch)`` through NumPy's
``SeedSequence``, so the order of epoch ``k`` depends on nothing but the seed
and ``k``: a loader can jump to any epoch (to resume training) without
replaying the epochs before it.

Example:
    >>> from ndgrad.data.seeds import epoch_generator
    >>> a = epoch_generator(7, 2).permutation(5)
    >>> b = epoch_generator(7, 2).permutation(5)
    >>> a.tolist() == b.tolist()
    True
"""

import numbers

from .._backend import xp
from .. import random as _random

__all__ = ["check_seed", "draw_seed", "epoch_generator"]

_SEED_BOUND = 2**32   # small enough for every JSON reader to keep exact


def check_seed(seed, function):
    """``seed`` as a Python int, or a ValueError naming ``function``.

    Example:
        >>> from ndgrad.data.seeds import check_seed
        >>> check_seed(3, "DataLoader")
        3
    """
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"{function}: seed must be a non-negative int or None; got {seed!r}")
    return int(seed)


def draw_seed():
    """A fresh seed from ``ndgrad.random.generator()`` (reproducible under
    ``ndgrad.random.seed``).

    Example:
        >>> import ndgrad
        >>> from ndgrad.data.seeds import draw_seed
        >>> ndgrad.random.seed(0); a = draw_seed()
        >>> ndgrad.random.seed(0); a == draw_seed()
        True
    """
    return int(_random.generator().integers(_SEED_BOUND))


def epoch_generator(seed, epoch):
    """The NumPy generator for ``epoch`` of a pipeline seeded with ``seed``.

    Example:
        >>> from ndgrad.data.seeds import epoch_generator
        >>> type(epoch_generator(0, 1)).__name__
        'Generator'
    """
    return xp.random.default_rng(xp.random.SeedSequence((seed, epoch)))
