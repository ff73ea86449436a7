"""Keras's initializers by name and as objects, and the samplers behind ``nn.init``.

An initializer is a callable ``initializer(shape, dtype=None) -> Tensor``
(float32 by default) with ``get_config()``. Fans follow KERAS's kernel layout,
``(..., in, out)``: ``fan_in = shape[-2] * receptive field`` and ``fan_out =
shape[-1] * receptive field``, where the receptive field is the product of the
leading (kernel) dimensions. (``nn.init``'s functions use PyTorch's layout
instead, ``(out, in, *kernel)``.)

Randomness comes from ``ndgrad.random.generator()``, so ``ndgrad.random.seed``
makes it reproducible; an initializer built with an integer ``seed`` returns
the same values at every call, as Keras's.

Example:
    >>> import ndgrad
    >>> from ndgrad.nn import initializers
    >>> kernel = initializers.get("glorot_uniform")((784, 10))
    >>> kernel.shape, kernel.dtype
    ((784, 10), dtype('float32'))
    >>> initializers.get("ones")((2,)).tolist()
    [1.0, 1.0]
"""

import math

import numpy as np

from ..dtypes import as_dtype, default_float
from ..errors import DTypeError
from ..tensor import Tensor
from ._sampling import generator_for, normal, orthogonal, truncated_normal, uniform

__all__ = ["Initializer", "Zeros", "Ones", "Constant", "RandomNormal", "RandomUniform",
           "TruncatedNormal", "VarianceScaling", "GlorotUniform", "GlorotNormal", "HeUniform",
           "HeNormal", "LecunUniform", "LecunNormal", "Orthogonal", "Identity", "compute_fans",
           "get"]

# The standard deviation of a standard normal truncated to [-2, 2]: Keras divides by
# it so that the truncated draws keep the variance the scaling asked for.
_TRUNCATED_STD = 0.87962566103423978


def compute_fans(shape):
    """``(fan_in, fan_out)`` in Keras's layout ``(..., in, out)``.

    Args:
        shape: the kernel's shape; a vector's fans are both its length, a scalar's 1.

    Example:
        >>> from ndgrad.nn.init import compute_fans
        >>> compute_fans((3, 3, 16, 32))      # Conv2D kernel: 3x3, 16 in, 32 out
        (144, 288)
    """
    shape = tuple(int(n) for n in shape)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


# ----------------------------------------------------------------- Keras's classes
class Initializer:
    """Base class: ``initializer(shape, dtype=None)`` returns a new Tensor.

    Subclasses implement ``_generate(shape, dtype)`` (a NumPy array) and
    ``get_config()``; ``from_config`` rebuilds one from its config.

    Example:
        >>> import numpy as np
        >>> from ndgrad.keras import Initializer
        >>> import ndgrad
        >>> class Halves(Initializer):
        ...     def _generate(self, shape, dtype):
        ...         return np.full(shape, 0.5, dtype=dtype)
        >>> Halves()((2,)).tolist()
        [0.5, 0.5]
    """

    random = False        # random initializers accept floating dtypes only

    def __call__(self, shape, dtype=None):
        shape = (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(
            int(n) for n in shape)
        dtype = default_float if dtype is None else as_dtype(dtype)
        if self.random and dtype.kind != "f":
            raise DTypeError(f"{type(self).__name__}: random initial values need a floating "
                             f"dtype; got {dtype}")
        return Tensor._wrap(self._generate(shape, dtype))

    def _generate(self, shape, dtype):
        raise NotImplementedError(f"{type(self).__name__} must implement _generate")

    def get_config(self):
        """The constructor arguments, as a dict (JSON-friendly).

        Example:
            >>> from ndgrad.keras.initializers import RandomUniform
            >>> RandomUniform(seed=1).get_config()
            {'minval': -0.05, 'maxval': 0.05, 'seed': 1}
        """
        return {}

    @classmethod
    def from_config(cls, config):
        """A new initializer from :meth:`get_config`'s dict.

        Example:
            >>> from ndgrad.keras.initializers import Constant
            >>> Constant.from_config({"value": 3.0})((1,)).tolist()
            [3.0]
        """
        return cls(**config)

    def __repr__(self):
        arguments = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({arguments})"


class Zeros(Initializer):
    """All zeros.

    Example:
        >>> from ndgrad.keras.initializers import Zeros
        >>> Zeros()((2,)).tolist()
        [0.0, 0.0]
    """

    def _generate(self, shape, dtype):
        return np.zeros(shape, dtype=dtype)


class Ones(Initializer):
    """All ones.

    Example:
        >>> from ndgrad.keras.initializers import Ones
        >>> Ones()((2,), dtype="int64").tolist()
        [1, 1]
    """

    def _generate(self, shape, dtype):
        return np.ones(shape, dtype=dtype)


class Constant(Initializer):
    """Every element ``value``.

    Example:
        >>> from ndgrad.keras.initializers import Constant
        >>> Constant(0.5)((2,)).tolist()
        [0.5, 0.5]
    """

    def __init__(self, value=0.0):
        self.value = value

    def _generate(self, shape, dtype):
        return np.full(shape, self.value, dtype=dtype)

    def get_config(self):
        return {"value": self.value}


class _Seeded(Initializer):
    random = True

    def __init__(self, seed=None):
        self.seed = seed

    def get_config(self):
        return {"seed": self.seed}


class RandomNormal(_Seeded):
    """Draws from ``normal(mean, stddev)``.

    Example:
        >>> from ndgrad.keras.initializers import RandomNormal
        >>> RandomNormal(mean=1.0, stddev=0.0)((2,)).tolist()
        [1.0, 1.0]
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def _generate(self, shape, dtype):
        return normal(generator_for(self.seed), shape, self.mean, self.stddev, dtype)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class RandomUniform(_Seeded):
    """Draws from ``uniform(minval, maxval)``.

    Example:
        >>> from ndgrad.keras.initializers import RandomUniform
        >>> bool((RandomUniform(0.0, 1.0)((100,)) >= 0).all())
        True
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(seed)
        self.minval, self.maxval = minval, maxval

    def _generate(self, shape, dtype):
        return uniform(generator_for(self.seed), shape, self.minval, self.maxval, dtype)

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


class TruncatedNormal(_Seeded):
    """Draws from ``normal(mean, stddev)``, redrawing those beyond two ``stddev``.

    Example:
        >>> from ndgrad.keras.initializers import TruncatedNormal
        >>> float(abs(TruncatedNormal(stddev=1.0)((1000,))).max()) <= 2.0
        True
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def _generate(self, shape, dtype):
        bound = 2 * self.stddev
        return truncated_normal(generator_for(self.seed), shape, self.mean, self.stddev,
                                 self.mean - bound, self.mean + bound, dtype)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class Orthogonal(_Seeded):
    """An orthogonal matrix times ``gain``, over ``(prod(shape[:-1]), shape[-1])``
    reshaped to ``shape`` (Keras's layout).

    Example:
        >>> from ndgrad.keras.initializers import Orthogonal
        >>> import numpy as np
        >>> q = Orthogonal(seed=0)((3, 3)).numpy()
        >>> bool(np.allclose(q @ q.T, np.eye(3), atol=1e-6))
        True
    """

    def __init__(self, gain=1.0, seed=None):
        super().__init__(seed)
        self.gain = gain

    def _generate(self, shape, dtype):
        if len(shape) < 2:
            raise ValueError(f"Orthogonal: the shape must have at least 2 dimensions; got "
                             f"{shape}")
        rows, cols = math.prod(shape[:-1]), shape[-1]
        if rows * cols == 0:
            return np.zeros(shape, dtype=dtype)
        return orthogonal(generator_for(self.seed), rows, cols, self.gain, dtype).reshape(shape)

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed}


class Identity(Initializer):
    """The identity matrix times ``gain`` (2-D shapes only; ones on the diagonal).

    Example:
        >>> from ndgrad.keras.initializers import Identity
        >>> Identity()((2, 3)).tolist()
        [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def _generate(self, shape, dtype):
        if len(shape) != 2:
            raise ValueError(f"Identity: the shape must be 2-D; got {shape}")
        return (self.gain * np.eye(*shape)).astype(dtype)

    def get_config(self):
        return {"gain": self.gain}


# The variance-scaling family (Glorot, He, LeCun) lives in its own file.
from .initializers_variance_scaling import (GlorotNormal, GlorotUniform, HeNormal,  # noqa: E402
                                             HeUniform, LecunNormal, LecunUniform,
                                             VarianceScaling)


_NAMES = {"zeros": Zeros, "ones": Ones, "constant": Constant, "random_normal": RandomNormal,
          "random_uniform": RandomUniform, "truncated_normal": TruncatedNormal,
          "variance_scaling": VarianceScaling, "glorot_uniform": GlorotUniform,
          "glorot_normal": GlorotNormal, "he_uniform": HeUniform, "he_normal": HeNormal,
          "lecun_uniform": LecunUniform, "lecun_normal": LecunNormal,
          "orthogonal": Orthogonal, "identity": Identity,
          "normal": RandomNormal, "uniform": RandomUniform}


def _normalized(name):
    return name.replace("_", "").lower()


_LOOKUP = {_normalized(name): cls for name, cls in _NAMES.items()}


def get(identifier):
    """An initializer from a Keras name, a config dict, or a callable (returned as is).

    Args:
        identifier: ``"zeros"``, ``"ones"``, ``"constant"``, ``"random_normal"``,
            ``"random_uniform"``, ``"truncated_normal"``, ``"variance_scaling"``,
            ``"glorot_uniform"``, ``"glorot_normal"``, ``"he_uniform"``,
            ``"he_normal"``, ``"lecun_uniform"``, ``"lecun_normal"``,
            ``"orthogonal"``, ``"identity"`` (or the class names, ``"GlorotUniform"``);
            ``{"class_name": ..., "config": {...}}``; a callable; or None.

    Example:
        >>> from ndgrad.keras.initializers import get
        >>> get("he_normal")
        HeNormal(seed=None)
        >>> get({"class_name": "Constant", "config": {"value": 2.0}})((1,)).tolist()
        [2.0]
    """
    if identifier is None or callable(identifier):
        return identifier
    if isinstance(identifier, dict) and "class_name" in identifier:
        cls = _LOOKUP.get(_normalized(str(identifier["class_name"])))
        if cls is not None:
            return cls.from_config(dict(identifier.get("config") or {}))
        identifier = identifier["class_name"]
    if isinstance(identifier, str):
        cls = _LOOKUP.get(_normalized(identifier))
        if cls is not None:
            return cls()
        raise ValueError(f"initializers.get: unknown initializer {identifier!r}; known names: "
                         f"{', '.join(sorted(_NAMES))}")
    raise TypeError(f"initializers.get: expected a name, a config dict or a callable; got "
                    f"{type(identifier).__name__}")
