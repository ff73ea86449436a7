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

__all__ = ["check_seed", "draw_seed", "seed_from", "epoch_generator"]

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


def seed_from(function, seed, generator):
    """The pipeline seed from ``seed`` (an int), or drawn from ``generator`` (a NumPy
    ``Generator``, such as a ``torch.Generator``), or from ndgrad's generator.

    Example:
        >>> import numpy as np
        >>> from ndgrad.data.seeds import seed_from
        >>> a = seed_from("f", None, np.random.default_rng(0))
        >>> a == seed_from("f", None, np.random.default_rng(0))
        True
    """
    if generator is not None:
        if seed is not None:
            raise ValueError(f"{function}: pass seed or generator, not both")
        if not isinstance(generator, xp.random.Generator):
            raise TypeError(f"{function}: generator must be a NumPy Generator (or a "
                            f"torch.Generator); got {type(generator).__name__}")
        return int(generator.integers(_SEED_BOUND))
    return draw_seed() if seed is None else check_seed(seed, function)


def epoch_generator(seed, epoch):
    """The NumPy generator for ``epoch`` of a pipeline seeded with ``seed``.

    Example:
        >>> from ndgrad.data.seeds import epoch_generator
        >>> type(epoch_generator(0, 1)).__name__
        'Generator'
    """
    return xp.random.default_rng(xp.random.SeedSequence((seed, epoch)))
