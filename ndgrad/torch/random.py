"""``torch.random``: seeding and ``torch.Generator``, over ``ndgrad.random``.

``torch.manual_seed(n)`` reseeds ndgrad's own generator (``ndgrad.random``),
the one that weight initialisation, dropout, ``DataLoader`` shuffling and
``random_split`` draw from, so a program that seeds once is reproducible
run after run. It draws the same stream as ``ndgrad.random.seed(n)``.

``torch.Generator`` is a NumPy ``Generator`` (PCG64) with PyTorch's methods
(``manual_seed``, ``seed``, ``initial_seed``, ``get_state``, ``set_state``):
pass it as ``generator=`` to the random factories (``torch.randn``, ...), to ``nn.init``
functions, ``F.dropout``, ``DataLoader`` and ``random_split``.
``torch.default_generator`` shares its stream with ``ndgrad.random``.
The numbers differ from PyTorch's (another algorithm); the reproducibility
does not.

Example:
    >>> import ndgrad.torch as torch
    >>> _ = torch.manual_seed(0); a = torch.randn(3)
    >>> _ = torch.manual_seed(0); torch.equal(a, torch.randn(3))
    True
    >>> g = torch.Generator().manual_seed(1)
    >>> torch.rand(2, generator=g).tolist() == torch.rand(2, generator=g.manual_seed(1)).tolist()
    True
"""

import operator

import numpy as np

from .. import random as _random
from ..devices import check_device as _check_device

__all__ = ["manual_seed", "seed", "initial_seed", "get_rng_state", "set_rng_state",
           "Generator"]

_SEED_MASK = 2**64 - 1
DEFAULT_SEED = 67280421310721      # PyTorch's seed for a new Generator


def _check_seed(function, value):
    if isinstance(value, bool):
        raise TypeError(f"{function}: the seed must be an int, got a bool")
    try:
        return operator.index(value) & _SEED_MASK
    except TypeError:
        raise TypeError(f"{function}: the seed must be an int, got "
                        f"{type(value).__name__}") from None


class Generator(np.random.Generator):
    """A random number generator with PyTorch's methods; also a NumPy ``Generator``.

    A new Generator starts from PyTorch's fixed default seed, so two new
    Generators give the same numbers until seeded otherwise.

    Args:
        device: ``"cpu"`` (the only device ndgrad has).

    Example:
        >>> import ndgrad.torch as torch
        >>> g = torch.Generator().manual_seed(42)
        >>> g.initial_seed(), torch.randperm(4, generator=g).shape
        (42, (4,))
    """

    def __init__(self, device="cpu", *, _bit_generator=None):
        self.device = _check_device(device, "torch.Generator")
        if _bit_generator is None:
            _bit_generator = np.random.PCG64(DEFAULT_SEED)
        super().__init__(_bit_generator)
        self._initial_seed = DEFAULT_SEED

    def manual_seed(self, seed):
        """Restart the stream from ``seed``; returns the generator.

        Example:
            >>> import ndgrad.torch as torch
            >>> g = torch.Generator()
            >>> g.manual_seed(3).random() == g.manual_seed(3).random()
            True
        """
        seed = _check_seed("Generator.manual_seed", seed)
        self.bit_generator.state = np.random.PCG64(seed).state
        self._initial_seed = seed
        return self

    def seed(self):
        """Reseed from fresh entropy and return the new seed.

        Example:
            >>> import ndgrad.torch as torch
            >>> g = torch.Generator(); s = g.seed(); g.initial_seed() == s
            True
        """
        fresh = int(np.random.SeedSequence().generate_state(1, np.uint64)[0])
        return self.manual_seed(fresh).initial_seed()

    def initial_seed(self):
        """The seed last set with :meth:`manual_seed` or :meth:`seed`.

        Example:
            >>> import ndgrad.torch as torch
            >>> torch.Generator().manual_seed(5).initial_seed()
            5
        """
        return self._initial_seed

    def get_state(self):
        """The state, to give back to :meth:`set_state` (a dict, not a byte tensor).

        Example:
            >>> import ndgrad.torch as torch
            >>> g = torch.Generator(); s = g.get_state(); x = g.random()
            >>> g.set_state(s).random() == x
            True
        """
        return {"bit_generator_state": dict(self.bit_generator.state),
                "initial_seed": self._initial_seed}

    def set_state(self, state):
        """Restore a state from :meth:`get_state`; returns the generator.

        Example:
            >>> import ndgrad.torch as torch
            >>> g = torch.Generator(); state = g.get_state(); first = g.random()
            >>> g.set_state(state).random() == first
            True
        """
        if not isinstance(state, dict) or "bit_generator_state" not in state:
            raise TypeError("Generator.set_state: expected the dict that get_state() returns; "
                            f"got {type(state).__name__}")
        self.bit_generator.state = state["bit_generator_state"]
        self._initial_seed = state.get("initial_seed", self._initial_seed)
        return self

    def __repr__(self):
        return f"<torch.Generator (ndgrad, PCG64) initial_seed={self._initial_seed}>"


_default = [None]


def default_generator():
    """The Generator that shares ``ndgrad.random``'s stream (``torch.default_generator``).

    Example:
        >>> from ndgrad.torch.random import default_generator
        >>> import ndgrad
        >>> default_generator().bit_generator is ndgrad.random.generator().bit_generator
        True
    """
    bits = _random.generator().bit_generator
    if _default[0] is None or _default[0].bit_generator is not bits:
        # ndgrad.random.seed() replaces its generator: follow it.
        previous = _default[0]
        _default[0] = Generator(_bit_generator=bits)
        if previous is not None:
            _default[0]._initial_seed = previous._initial_seed
    return _default[0]


def manual_seed(seed):
    """Seed ndgrad's generator (init, dropout, shuffling, random tensors); returns it.

    Example:
        >>> import ndgrad, ndgrad.torch as torch
        >>> _ = torch.manual_seed(7); a = ndgrad.random.uniform((2,))
        >>> ndgrad.random.seed(7); a.tolist() == ndgrad.random.uniform((2,)).tolist()
        True
    """
    return default_generator().manual_seed(_check_seed("torch.manual_seed", seed))


def seed():
    """Seed ndgrad's generator from fresh entropy and return the seed.

    Example:
        >>> import ndgrad.torch as torch
        >>> s = torch.seed(); torch.initial_seed() == s
        True
    """
    return default_generator().seed()


def initial_seed():
    """The seed last given to :func:`manual_seed` (PyTorch's default if none).

    Example:
        >>> import ndgrad.torch as torch
        >>> _ = torch.manual_seed(3); torch.initial_seed()
        3
    """
    return default_generator().initial_seed()


def get_rng_state():
    """The state of ndgrad's generator (a dict), for :func:`set_rng_state`.

    Example:
        >>> import ndgrad.torch as torch
        >>> s = torch.get_rng_state(); a = torch.rand(2)
        >>> torch.set_rng_state(s); torch.equal(torch.rand(2), a)
        True
    """
    return default_generator().get_state()


def set_rng_state(new_state):
    """Restore ndgrad's generator from :func:`get_rng_state`.

    Example:
        >>> import ndgrad.torch as torch
        >>> state = torch.get_rng_state(); a = torch.randn(2)
        >>> torch.set_rng_state(state); torch.equal(torch.randn(2), a)
        True
    """
    default_generator().set_state(new_state)


def __getattr__(name):
    if name == "default_generator":
        return default_generator()
    from ._unsupported import unsupported
    return unsupported(__name__)(name)


