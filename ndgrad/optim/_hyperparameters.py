"""Hyper-parameters in two spellings: PyTorch's (``lr``, ``betas``, ``eps``) and
Keras's (``learning_rate``, ``beta_1``/``beta_2``, ``epsilon``).

Every optimizer stores its hyper-parameters under PyTorch's names, in
``defaults`` and in each parameter group, because PyTorch-style schedulers and
users write ``group["lr"]``. Each class names its Keras spellings in
``keras_names``; these helpers turn either spelling into the stored one, fill
the unspecified ones from the defaults of the face in use, and convert values
to plain Python numbers (a NumPy float64 scalar mixed into float32 arithmetic
would promote the temporaries to float64).

Example:
    >>> names = {"lr": "learning_rate", "eps": "epsilon"}
    >>> resolve("Adam", {"lr": None, "learning_rate": 0.1, "eps": None, "epsilon": None},
    ...         {"lr": 0.001, "eps": 1e-8}, names)
    {'lr': 0.1, 'eps': 1e-08}
"""

import numbers

from .._backend import xp
from .schedules import LearningRateSchedule


def pick(owner, torch_name, torch_value, keras_name, keras_value):
    """The value given under either spelling (None when neither); both is an error.

    Example:
        >>> pick("SGD", "lr", None, "learning_rate", 0.5)
        0.5
    """
    if torch_value is not None and keras_value is not None:
        raise TypeError(f"{owner}: got both {torch_name}={torch_value!r} (PyTorch spelling) and "
                        f"{keras_name}={keras_value!r} (Keras spelling); pass only one")
    return torch_value if torch_value is not None else keras_value


def resolve(owner, given, defaults, keras_names):
    """The stored hyper-parameters from the constructor's arguments in either spelling.

    Args:
        owner: the class name, for error messages.
        given: every constructor argument, PyTorch and Keras spellings, None
            where the caller gave nothing.
        defaults: the defaults of the face in use, under PyTorch's names.
        keras_names: PyTorch name -> Keras name (a pair of names for ``betas``).

    Example:
        >>> resolve("Adam", {"betas": None, "beta_1": 0.8, "beta_2": None},
        ...         {"betas": (0.9, 0.999)}, {"betas": ("beta_1", "beta_2")})
        {'betas': (0.8, 0.999)}
    """
    resolved = {}
    for key, default in defaults.items():
        value = given.get(key)
        keras_name = keras_names.get(key)
        if isinstance(keras_name, tuple):          # betas <-> beta_1, beta_2
            parts = tuple(given.get(name) for name in keras_name)
            if value is not None and any(part is not None for part in parts):
                raise TypeError(f"{owner}: got both {key}= (PyTorch spelling) and "
                                f"{'/'.join(keras_name)}= (Keras spelling); pass only one")
            if value is None:
                value = tuple(part if part is not None else fallback
                              for part, fallback in zip(parts, default))
        elif keras_name is not None:
            value = pick(owner, key, value, keras_name, given.get(keras_name))
        resolved[key] = convert(owner, key, default if value is None else value, default)
    return resolved


def translate_group(owner, group, keras_names):
    """A parameter-group dict with any Keras spellings turned into PyTorch's.

    Example:
        >>> translate_group("Adam", {"learning_rate": 0.1, "beta_1": 0.8},
        ...                 {"lr": "learning_rate", "betas": ("beta_1", "beta_2")})
        {'lr': 0.1, 'betas': (0.8, None)}
    """
    out = dict(group)
    for torch_name, keras_name in keras_names.items():
        if isinstance(keras_name, tuple):
            if any(name in out for name in keras_name):
                if torch_name in out:
                    raise TypeError(f"{owner}: a parameter group has both {torch_name!r} and "
                                    f"{'/'.join(keras_name)}; pass only one")
                out[torch_name] = tuple(out.pop(name, None) for name in keras_name)
        elif keras_name in out:
            if torch_name in out:
                raise TypeError(f"{owner}: a parameter group has both {torch_name!r} and "
                                f"{keras_name!r}; pass only one")
            out[torch_name] = out.pop(keras_name)
    return out


def fill_group(owner, group, defaults):
    """``group``'s hyper-parameters completed from ``defaults`` and converted.

    A tuple entry given partly (``(0.8, None)`` from ``beta_1`` alone) takes
    the missing parts from the default. Keys that are not hyper-parameters of
    this optimizer are kept as they are (PyTorch lets users store their own).

    Example:
        >>> fill_group("Adam", {"betas": (0.8, None)}, {"lr": 0.001, "betas": (0.9, 0.999)})
        {'betas': (0.8, 0.999), 'lr': 0.001}
    """
    out = dict(group)
    for key, default in defaults.items():
        value = out.get(key)
        if isinstance(value, tuple) and isinstance(default, tuple):
            value = tuple(v if v is not None else d for v, d in zip(value, default))
        out[key] = convert(owner, key, default if value is None else value, default)
    return out


def convert(owner, key, value, default):
    """``value`` as the plain Python type of ``default`` (float, int, bool or tuple of
    floats).

    ``lr`` may also be a :class:`~ndgrad.optim.schedules.LearningRateSchedule`.

    Example:
        >>> import numpy as np
        >>> type(convert("SGD", "momentum", np.float64(0.9), 0.0))
        <class 'float'>
    """
    if key == "lr" and isinstance(value, LearningRateSchedule):
        return value
    try:
        if isinstance(default, bool):
            if not isinstance(value, (bool, numbers.Integral, xp.bool_)):
                raise TypeError
            return bool(value)
        if isinstance(default, tuple):
            parts = tuple(float(part) for part in value)
            if len(parts) != len(default):
                raise ValueError(f"{owner}: {key} needs {len(default)} values, got {len(parts)}")
            return parts
        if isinstance(default, int) and isinstance(value, numbers.Integral):
            return int(value)           # counts (LBFGS's max_iter) stay ints
        if isinstance(default, (int, float)):
            return float(value)
    except (TypeError, ValueError) as error:
        if str(error).startswith(owner):
            raise
        raise TypeError(f"{owner}: {key} must be a number like {default!r}, got "
                        f"{type(value).__name__} {value!r}") from None
    return value


def plain(value):
    """``value`` with NumPy scalars turned into Python numbers (fast for Python ones).

    Example:
        >>> import numpy as np
        >>> plain((np.float32(0.5), 0.25))
        (0.5, 0.25)
    """
    kind = type(value)
    if kind is float or kind is bool or kind is int:
        return value
    if kind is tuple:
        return tuple(plain(part) for part in value)
    if isinstance(value, numbers.Real) or getattr(value, "ndim", None) == 0:
        return float(value)
    return value


def require(owner, condition, message):
    """Raise ``ValueError("<owner>: <message>")`` unless ``condition`` holds.

    Example:
        >>> require("SGD", 0.1 >= 0, "momentum must be >= 0")
    """
    if not condition:
        raise ValueError(f"{owner}: {message}")
