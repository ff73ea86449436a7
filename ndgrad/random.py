"""Random tensors from ndgrad's own generator (seeded with ``ndgrad.random.seed``).

The generator is NumPy's PCG64 ``Generator``, separate from NumPy's global
state, so seeding ndgrad makes ndgrad reproducible without touching other code.
Floating results are float32 unless ``dtype`` says otherwise.

Example:
    >>> import ndgrad
    >>> ndgrad.random.seed(0); a = ndgrad.random.normal((2,))
    >>> ndgrad.random.seed(0); b = ndgrad.random.normal((2,))
    >>> a.tolist() == b.tolist()
    True
"""

from ._backend import xp
from .dtypes import as_dtype, default_float
from .tensor import Tensor

__all__ = ["seed", "normal", "uniform", "randint", "permutation", "shuffle",
           "get_state", "set_state", "generator"]

_generator = xp.random.default_rng()


def generator():
    """The NumPy ``Generator`` behind ndgrad's random functions.

    Example:
        >>> import ndgrad
        >>> type(ndgrad.random.generator()).__name__
        'Generator'
    """
    return _generator


def seed(value):
    """Reseed ndgrad's generator.

    Example:
        >>> import ndgrad
        >>> ndgrad.random.seed(42)
    """
    global _generator
    _generator = xp.random.default_rng(value)


def get_state():
    """The generator's state as a JSON-friendly dict (for checkpoints).

    Example:
        >>> import ndgrad
        >>> sorted(ndgrad.random.get_state())[:2]
        ['bit_generator', 'has_uint32']
    """
    return dict(_generator.bit_generator.state)


def set_state(state):
    """Restore a state returned by :func:`get_state`.

    Example:
        >>> import ndgrad
        >>> s = ndgrad.random.get_state(); a = ndgrad.random.uniform((1,))
        >>> ndgrad.random.set_state(s); ndgrad.random.uniform((1,)).tolist() == a.tolist()
        True
    """
    _generator.bit_generator.state = state


def _shape(shape):
    return (shape,) if isinstance(shape, int) else tuple(shape)


def _float(array, dtype):
    return Tensor._wrap(array.astype(as_dtype(dtype) if dtype is not None else default_float,
                                     copy=False))


def normal(shape, mean=0.0, stddev=1.0, dtype=None):
    """Samples from a normal distribution.

    Example:
        >>> import ndgrad
        >>> ndgrad.random.normal((2, 3), stddev=0.1).shape
        (2, 3)
    """
    return _float(_generator.normal(mean, stddev, _shape(shape)), dtype)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None):
    """Samples from the uniform distribution on ``[minval, maxval)``.

    Example:
        >>> import ndgrad
        >>> float(ndgrad.random.uniform((100,), 2.0, 3.0).min()) >= 2.0
        True
    """
    return _float(_generator.uniform(minval, maxval, _shape(shape)), dtype)


def randint(shape, minval, maxval, dtype="int64"):
    """Integers drawn uniformly from ``[minval, maxval)``.

    Example:
        >>> import ndgrad
        >>> ndgrad.random.randint((3,), 0, 2).dtype
        dtype('int64')
    """
    return Tensor._wrap(_generator.integers(minval, maxval, _shape(shape), dtype=as_dtype(dtype)))


def permutation(x):
    """A permuted range (for an int) or a permuted copy along the first axis.

    Example:
        >>> import ndgrad
        >>> sorted(ndgrad.random.permutation(4).tolist())
        [0, 1, 2, 3]
    """
    if isinstance(x, int):
        return Tensor._wrap(_generator.permutation(x))
    from .ops.index import getitem
    order = _generator.permutation(len(x))
    return getitem(x, order) if isinstance(x, Tensor) else Tensor._wrap(xp.asarray(x)[order])


def shuffle(x):
    """Shuffle a tensor or array in place along its first axis.

    Example:
        >>> import ndgrad
        >>> t = ndgrad.arange(5); ndgrad.random.shuffle(t); sorted(t.tolist())
        [0, 1, 2, 3, 4]
    """
    if isinstance(x, Tensor):
        _generator.shuffle(x._data)
        x._bump_version()
    else:
        _generator.shuffle(x)


def randn(*shape, dtype=None, requires_grad=False):
    """Standard normal samples of the given shape (PyTorch's ``randn``).

    Example:
        >>> import ndgrad
        >>> ndgrad.randn(2, 3).shape
        (2, 3)
    """
    shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
    out = normal(shape, dtype=dtype)
    return out.requires_grad_(True) if requires_grad else out


def rand(*shape, dtype=None, requires_grad=False):
    """Uniform samples on ``[0, 1)`` of the given shape (PyTorch's ``rand``).

    Example:
        >>> import ndgrad
        >>> ndgrad.rand(4).shape
        (4,)
    """
    shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
    out = uniform(shape, dtype=dtype)
    return out.requires_grad_(True) if requires_grad else out
