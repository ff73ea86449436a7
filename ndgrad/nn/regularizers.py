"""Weight and activity penalties, Keras's ``keras.regularizers``: ``L1``, ``L2``,
``L1L2``, ``OrthogonalRegularizer``.

A regularizer is a callable ``regularizer(x) -> scalar tensor``, written with
ndgrad's ops so the penalty is differentiable. Keras layers take them as
``kernel_regularizer=`` / ``bias_regularizer=`` (any ``<weight>_regularizer=``
naming a weight the layer creates with ``add_weight``) and
``activity_regularizer=``; the penalties appear in ``layer.losses`` and ``fit``
adds them to the training loss (see :mod:`ndgrad.nn.added_losses`).

Example:
    >>> import ndgrad
    >>> from ndgrad.nn import regularizers
    >>> regularizers.L2(0.5)(ndgrad.ones((2, 2))).item()     # 0.5 * sum(x ** 2)
    2.0
    >>> regularizers.get("l1")
    L1(l1=0.01)
"""

import math

from ..ops.arithmetic import maximum
from ..ops.creation import eye
from ..ops.elementwise import abs as _abs, sqrt, square
from ..ops.linalg import matmul
from ..ops.reduce import sum as _sum
from ..tensor import Tensor, as_tensor

__all__ = ["Regularizer", "L1", "L2", "L1L2", "OrthogonalRegularizer", "l1", "l2", "l1_l2",
           "orthogonal_regularizer", "get", "serialize", "deserialize"]


def _factor(owner, name, value):
    """A non-negative finite float, or a ValueError naming the argument."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value) \
            or math.isinf(value) or value < 0:
        raise ValueError(f"{owner}: {name} must be a non-negative finite number; got {value!r}")
    return float(value)


def _tensor(x):
    return x if isinstance(x, Tensor) else as_tensor(x)


class Regularizer:
    """Base class: subclasses define ``__call__(x)`` and ``get_config()``.

    Example:
        >>> import ndgrad
        >>> class Total(ndgrad.nn.regularizers.Regularizer):
        ...     def __call__(self, x):
        ...         return ndgrad.sum(x)
        >>> Total()(ndgrad.ones(3)).item()
        3.0
    """

    def __call__(self, x):
        """The penalty for ``x`` (a scalar tensor); the base class gives none."""
        return as_tensor(0.0)

    def get_config(self):
        """The constructor arguments, as a dict."""
        return {}

    @classmethod
    def from_config(cls, config):
        """A regularizer from ``get_config()``'s dict.

        Example:
            >>> from ndgrad.keras.regularizers import L2
            >>> L2.from_config({"l2": 0.1})
            L2(l2=0.1)
        """
        return cls(**config)

    def __repr__(self):
        arguments = ", ".join(f"{key}={value!r}" for key, value in self.get_config().items())
        return f"{type(self).__name__}({arguments})"


class L1L2(Regularizer):
    """``l1 * sum(|x|) + l2 * sum(x ** 2)``.

    Args:
        l1: the L1 factor (default 0). l2: the L2 factor (default 0).

    Example:
        >>> from ndgrad.keras.regularizers import L1L2
        >>> import ndgrad
        >>> round(L1L2(l1=0.1, l2=0.5)(ndgrad.tensor([1.0, -2.0])).item(), 6)    # 0.3 + 2.5
        2.8
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _factor(type(self).__name__, "l1", 0.0 if l1 is None else l1)
        self.l2 = _factor(type(self).__name__, "l2", 0.0 if l2 is None else l2)

    def __call__(self, x):
        x = _tensor(x)
        penalty = as_tensor(0.0, dtype=x.dtype)
        if self.l1:
            penalty = penalty + self.l1 * _sum(_abs(x))
        if self.l2:
            penalty = penalty + self.l2 * _sum(square(x))
        return penalty

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    """``l1 * sum(|x|)``.

    Args:
        l1: the factor (default 0.01).

    Example:
        >>> from ndgrad.keras.regularizers import L1
        >>> import ndgrad
        >>> L1(0.5)(ndgrad.tensor([1.0, -3.0])).item()
        2.0
    """

    def __init__(self, l1=0.01):
        self.l1 = _factor("L1", "l1", 0.01 if l1 is None else l1)

    def __call__(self, x):
        return self.l1 * _sum(_abs(_tensor(x)))

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    """``l2 * sum(x ** 2)`` (no factor of 1/2, as Keras).

    Args:
        l2: the factor (default 0.01).

    Example:
        >>> from ndgrad.keras.regularizers import L2
        >>> import ndgrad
        >>> L2(0.5)(ndgrad.tensor([1.0, -3.0])).item()
        5.0
    """

    def __init__(self, l2=0.01):
        self.l2 = _factor("L2", "l2", 0.01 if l2 is None else l2)

    def __call__(self, x):
        return self.l2 * _sum(square(_tensor(x)))

    def get_config(self):
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a 2-D weight towards orthogonality:
    ``factor * 0.5 * sum(|P - diag(P)|) / (n (n - 1) / 2)`` where ``P`` holds
    the dot products of the L2-normalized rows (``mode="rows"``) or columns.

    Args:
        factor: the factor (default 0.01).
        mode: ``"rows"`` or ``"columns"``.

    Example:
        >>> from ndgrad.keras.regularizers import OrthogonalRegularizer
        >>> import ndgrad
        >>> OrthogonalRegularizer(1.0)(ndgrad.eye(3)).item()          # already orthogonal
        0.0
        >>> round(OrthogonalRegularizer(1.0)(ndgrad.ones((2, 2))).item(), 6)    # parallel rows
        1.0
    """

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = _factor("OrthogonalRegularizer", "factor", factor)
        if mode not in ("rows", "columns"):
            raise ValueError(f"OrthogonalRegularizer: mode must be 'rows' or 'columns'; "
                             f"got {mode!r}")
        self.mode = mode

    def __call__(self, x):
        x = _tensor(x)
        if x.ndim != 2:
            raise ValueError(f"OrthogonalRegularizer: needs a 2-D weight; got shape {x.shape}")
        axis = 1 if self.mode == "rows" else 0
        length = sqrt(maximum(_sum(square(x), axis=axis, keepdims=True), 1e-12))
        unit = x / length
        product = matmul(unit, unit.T) if self.mode == "rows" else matmul(unit.T, unit)
        size = x.shape[1 - axis]
        if size < 2:
            return as_tensor(0.0, dtype=x.dtype)
        off_diagonal = product * (1.0 - eye(size, dtype=x.dtype))
        pairs = size * (size - 1) / 2.0
        return self.factor * 0.5 * _sum(_abs(off_diagonal)) / pairs

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


# Keras exports the classes under lower-case names too: regularizers.l2(0.01).
l1, l2, l1_l2, orthogonal_regularizer = L1, L2, L1L2, OrthogonalRegularizer

_CLASSES = {"L1": L1, "L2": L2, "L1L2": L1L2, "OrthogonalRegularizer": OrthogonalRegularizer,
            "Regularizer": Regularizer}
_BY_NAME = {"l1": L1, "l2": L2, "l1_l2": lambda: L1L2(l1=0.01, l2=0.01), "l1l2": L1L2,
            "orthogonal_regularizer": OrthogonalRegularizer}


def serialize(regularizer):
    """``{"class_name": ..., "config": ...}`` for a built-in regularizer.

    Example:
        >>> from ndgrad.keras.regularizers import L2
        >>> from ndgrad.keras.regularizers import serialize
        >>> serialize(L2(0.1))
        {'class_name': 'L2', 'config': {'l2': 0.1}}
    """
    return {"class_name": type(regularizer).__name__, "config": regularizer.get_config()}


def deserialize(config, custom_objects=None):
    """The regularizer that :func:`serialize` describes.

    Example:
        >>> from ndgrad.keras.regularizers import deserialize
        >>> deserialize({"class_name": "L1", "config": {"l1": 0.2}})
        L1(l1=0.2)
    """
    classes = dict(_CLASSES, **(custom_objects or {}))
    cls = classes.get(config.get("class_name"))
    if cls is None:
        raise ValueError(f"regularizers.deserialize: unknown class {config.get('class_name')!r};"
                         f" known: {', '.join(sorted(classes))} (pass custom_objects for yours)")
    return cls.from_config(dict(config.get("config") or {}))


def get(identifier):
    """A regularizer from a name (``"l1"``, ``"l2"``, ``"l1_l2"``,
    ``"orthogonal_regularizer"``, or a class name), a config dict, a regularizer
    or any callable (returned as is), or None.

    Example:
        >>> from ndgrad.keras.regularizers import get
        >>> get("l2"), get("l1_l2"), get(None)
        (L2(l2=0.01), L1L2(l1=0.01, l2=0.01), None)
    """
    if identifier is None or (callable(identifier) and not isinstance(identifier, type)):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Regularizer):
        return identifier()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        factory = _BY_NAME.get(identifier) or _CLASSES.get(identifier)
        if factory is None:
            raise ValueError(f"regularizers.get: unknown regularizer {identifier!r}; known: "
                             f"{', '.join(sorted(_BY_NAME))}, or pass a callable")
        return factory()
    raise TypeError(f"regularizers.get: expected a name, a config dict or a callable; got "
                    f"{type(identifier).__name__}")
