"""Seeding and random tensors, PyTorch's way, over ``ndgrad.random``.

``torch.manual_seed(n)`` reseeds ndgrad's own generator (``ndgrad.random``),
the one that weight initialisation, dropout, ``DataLoader`` shuffling and
``random_split`` draw from, so a program that seeds once is reproducible
run after run. It draws the same stream as ``ndgrad.random.seed(n)``.

``torch.Generator`` is a NumPy ``Generator`` (PCG64) with PyTorch's methods
(``manual_seed``, ``seed``, ``initial_seed``, ``get_state``, ``set_state``):
pass it as ``generator=`` to the random factories here, to ``nn.init``
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
from ..tensor import Tensor
from ._arguments import dtype_of, finish, refuse_out, rng_of, size_of
from ..devices import check_device as _check_device

__all__ = ["manual_seed", "seed", "initial_seed", "get_rng_state", "set_rng_state",
           "Generator", "randn", "rand", "randint", "randperm", "normal", "rand_like",
           "randn_like", "randint_like", "bernoulli", "multinomial"]

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
        return self.manual_seed(int(np.random.SeedSequence().generate_state(2, np.uint64)[0]))\
            ._initial_seed

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


def _drawn(function, values, dtype, requires_grad, device):
    dtype = dtype_of(function, dtype) or np.dtype("float32")
    if dtype.kind != "f":
        raise TypeError(f"{function}: needs a floating dtype; got {dtype}")
    return finish(function, Tensor._wrap(values.astype(dtype, copy=False)), requires_grad,
                  device)


def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None,
          requires_grad=False, pin_memory=False, **keywords):
    """Standard normal samples of the given size.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.randn(2, 3).shape, torch.randn((4,), dtype=torch.float64).dtype
        ((2, 3), dtype('float64'))
    """
    refuse_out("torch.randn", out)
    shape = size_of("torch.randn", size, keywords.pop("size", None))
    values = rng_of("torch.randn", generator).normal(0.0, 1.0, shape)
    return _drawn("torch.randn", values, dtype, requires_grad, device)


def rand(*size, generator=None, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False, **keywords):
    """Uniform samples on ``[0, 1)`` of the given size.

    Example:
        >>> import ndgrad.torch as torch
        >>> x = torch.rand(100); bool((x >= 0).all() and (x < 1).all())
        True
    """
    refuse_out("torch.rand", out)
    shape = size_of("torch.rand", size, keywords.pop("size", None))
    values = rng_of("torch.rand", generator).uniform(0.0, 1.0, shape)
    return _drawn("torch.rand", values, dtype, requires_grad, device)


def randint(*bounds_and_size, generator=None, out=None, dtype=None, layout=None, device=None,
            requires_grad=False, **keywords):
    """Integers drawn uniformly from ``[low, high)``: ``randint(high, size)`` or
    ``randint(low, high, size)``; int64 unless ``dtype`` says otherwise.

    Example:
        >>> import ndgrad.torch as torch
        >>> x = torch.randint(3, 10, (50,)); x.dtype, int(x.min()) >= 3, int(x.max()) < 10
        (dtype('int64'), True, True)
    """
    refuse_out("torch.randint", out)
    args = list(bounds_and_size)
    low = keywords.pop("low", None)
    high = keywords.pop("high", None)
    size = keywords.pop("size", None)
    if keywords:
        raise TypeError(f"torch.randint: unexpected arguments {sorted(keywords)}")
    if size is None and args and isinstance(args[-1], (tuple, list)):
        size = args.pop()
    if high is None and args:
        high = args.pop()
    if low is None:
        low = args.pop() if args else 0
    if args or high is None or size is None:
        raise TypeError("torch.randint: call it as randint(high, size) or "
                        "randint(low, high, size), with size a tuple such as (3,)")
    shape = size_of("torch.randint", (size,))
    values = rng_of("torch.randint", generator).integers(int(low), int(high), shape)
    out = Tensor._wrap(values.astype(dtype_of("torch.randint", dtype) or np.int64, copy=False))
    return finish("torch.randint", out, requires_grad, device)


def randperm(n, *, generator=None, out=None, dtype=None, layout=None, device=None,
             requires_grad=False, pin_memory=False):
    """A random permutation of ``0 .. n-1`` (int64).

    Example:
        >>> import ndgrad.torch as torch
        >>> sorted(torch.randperm(5).tolist())
        [0, 1, 2, 3, 4]
    """
    refuse_out("torch.randperm", out)
    values = rng_of("torch.randperm", generator).permutation(operator.index(n))
    out = Tensor._wrap(values.astype(dtype_of("torch.randperm", dtype) or np.int64, copy=False))
    return finish("torch.randperm", out, requires_grad, device)


def _array(value):
    return value.detach().numpy() if isinstance(value, Tensor) else np.asarray(value)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, out=None, dtype=None,
           layout=None, device=None, requires_grad=False):
    """Normal samples with ``mean`` and ``std`` (numbers or tensors, broadcast
    together), or of ``size`` when both are numbers.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.normal(torch.zeros(3), 1.0).shape, torch.normal(2.0, 0.5, size=(2, 2)).shape
        ((3,), (2, 2))
    """
    refuse_out("torch.normal", out)
    mean_array, std_array = _array(mean), _array(std)
    if (std_array < 0).any():
        raise ValueError("torch.normal: std must be >= 0")
    if size is not None:
        shape = size_of("torch.normal", (size,))
    else:
        shape = np.broadcast_shapes(mean_array.shape, std_array.shape)
    values = rng_of("torch.normal", generator).normal(mean_array, std_array, shape)
    tensors = [value for value in (mean, std) if isinstance(value, Tensor)]
    if dtype is None and tensors:
        dtype = tensors[0].dtype
    return _drawn("torch.normal", values, dtype, requires_grad, device)


def rand_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    """Uniform samples on ``[0, 1)`` shaped (and typed) like ``input``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.rand_like(torch.zeros(2, dtype=torch.float64)).dtype
        dtype('float64')
    """
    return rand(input.shape, dtype=dtype or input.dtype, device=device,
                requires_grad=requires_grad)


def randn_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    """Standard normal samples shaped (and typed) like ``input``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.randn_like(torch.zeros(2, 3)).shape
        (2, 3)
    """
    return randn(input.shape, dtype=dtype or input.dtype, device=device,
                 requires_grad=requires_grad)


def randint_like(input, low=0, high=None, *, dtype=None, layout=None, device=None,
                 requires_grad=False, memory_format=None):
    """Integers from ``[low, high)`` (``randint_like(x, high)`` also) shaped like ``input``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.randint_like(torch.zeros(3), 5).shape
        (3,)
    """
    if high is None:
        low, high = 0, low
    return randint(low, high, input.shape, dtype=dtype or input.dtype, device=device,
                   requires_grad=requires_grad)


def bernoulli(input, p=None, *, generator=None, out=None):
    """1 with probability ``input`` (or ``p``) per element, else 0; dtype of ``input``.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.bernoulli(torch.tensor([0.0, 1.0])).tolist()
        [0.0, 1.0]
    """
    refuse_out("torch.bernoulli", out)
    probability = _array(input if p is None else p)
    if ((probability < 0) | (probability > 1)).any():
        raise ValueError("torch.bernoulli: probabilities must be in [0, 1]")
    shape = np.shape(input)
    draws = rng_of("torch.bernoulli", generator).random(shape) < probability
    return Tensor._wrap(draws.astype(np.asarray(input).dtype if isinstance(input, Tensor)
                                     else np.float32))


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    """``num_samples`` category indices per row, drawn with probability
    proportional to the (non-negative) weights in ``input`` (1-D or 2-D).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.multinomial(torch.tensor([0.0, 1.0, 0.0]), 2, replacement=True).tolist()
        [1, 1]
    """
    refuse_out("torch.multinomial", out)
    weights = _array(input).astype(np.float64)
    if weights.ndim not in (1, 2) or (weights < 0).any() or not np.isfinite(weights).all():
        raise ValueError("torch.multinomial: input must be a 1-D or 2-D tensor of finite, "
                         f"non-negative weights; got shape {weights.shape}")
    rows = weights.reshape(-1, weights.shape[-1])
    totals = rows.sum(axis=1, keepdims=True)
    if (totals <= 0).any():
        raise ValueError("torch.multinomial: every row needs a positive total weight")
    if not replacement and num_samples > (rows > 0).sum(axis=1).min():
        raise ValueError(f"torch.multinomial: cannot draw {num_samples} samples without "
                         "replacement from fewer categories with non-zero weight")
    rng = rng_of("torch.multinomial", generator)
    picks = np.stack([rng.choice(rows.shape[1], num_samples, replace=replacement,
                                 p=row / total) for row, total in zip(rows, totals[:, 0])])
    return Tensor._wrap(picks.reshape(weights.shape[:-1] + (num_samples,)).astype(np.int64))


def __getattr__(name):
    if name == "default_generator":
        return default_generator()
    from ._unsupported import unsupported
    return unsupported(__name__)(name)


