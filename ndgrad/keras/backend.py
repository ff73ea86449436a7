"""``keras.backend`` and ``keras.config`` basics: the backend's name, the default
float type, the fuzz factor and the image layout.

ndgrad computes in float32 by default and its Keras layers are channels last
(each layer takes ``data_format=`` for the other layout); ``set_floatx`` and
``set_image_data_format`` accept those values and refuse others clearly.
``set_epsilon`` changes the clipping constant of the Keras cross-entropies.

Example:
    >>> from ndgrad import keras
    >>> keras.backend.backend(), keras.backend.floatx(), keras.backend.epsilon()
    ('ndgrad', 'float32', 1e-07)
    >>> keras.backend.image_data_format()
    'channels_last'
"""

import itertools

import numpy as np

from ..nn import keras_cross_entropies as _cross_entropies
from ..nn.module import reset_names
from ._unsupported import module_getattr

__all__ = ["backend", "floatx", "set_floatx", "epsilon", "set_epsilon", "image_data_format",
           "set_image_data_format", "clear_session", "standardize_dtype", "is_float_dtype",
           "is_int_dtype", "result_type", "get_uid"]

_uids = {}


def backend():
    """The name of the backend: ``"ndgrad"``.

    Example:
        >>> from ndgrad.keras.backend import backend
        >>> backend()
        'ndgrad'
    """
    return "ndgrad"


def floatx():
    """The default float type, ``"float32"``.

    Example:
        >>> from ndgrad.keras.backend import floatx
        >>> floatx()
        'float32'
    """
    return "float32"


def set_floatx(value):
    """Accept ``"float32"`` (the default); other float types are refused.

    Example:
        >>> from ndgrad.keras.backend import set_floatx
        >>> set_floatx("float32")
    """
    if str(value) != "float32":
        raise ValueError(f"set_floatx: ndgrad's default float type is float32 and cannot be "
                         f"changed globally; got {value!r}. Pass dtype= to layers and tensors "
                         "(or call model.double()) for float64")


def epsilon():
    """The fuzz factor that the cross-entropies clip probabilities with (1e-7).

    Example:
        >>> from ndgrad.keras.backend import epsilon
        >>> epsilon()
        1e-07
    """
    return _cross_entropies.EPSILON


def set_epsilon(value):
    """Set the fuzz factor of the Keras cross-entropies and percentage errors.

    Example:
        >>> from ndgrad.keras.backend import epsilon
        >>> from ndgrad.keras.backend import set_epsilon
        >>> set_epsilon(1e-6); epsilon()
        1e-06
        >>> set_epsilon(1e-7)
    """
    value = float(value)
    if not 0 < value < 0.5:
        raise ValueError(f"set_epsilon: the fuzz factor must be in (0, 0.5); got {value}")
    _cross_entropies.EPSILON = value


def image_data_format():
    """The image layout Keras layers default to, ``"channels_last"``.

    Example:
        >>> from ndgrad.keras.backend import image_data_format
        >>> image_data_format()
        'channels_last'
    """
    return "channels_last"


def set_image_data_format(data_format):
    """Accept ``"channels_last"``; for channels first, pass ``data_format=`` per layer.

    Example:
        >>> from ndgrad.keras.backend import set_image_data_format
        >>> set_image_data_format("channels_last")
    """
    if data_format != "channels_last":
        raise ValueError(f"set_image_data_format: ndgrad's Keras layers default to "
                         f"channels_last; got {data_format!r}. Pass "
                         "data_format='channels_first' to each layer instead")


def clear_session(free_memory=True):
    """Start layer names afresh (``dense``, ``dense_1``, ... again), as Keras does.

    Example:
        >>> from ndgrad import keras
        >>> keras.backend.clear_session(); keras.layers.Dense(1).name
        'dense'
    """
    reset_names()
    _uids.clear()


def standardize_dtype(dtype):
    """A dtype's name (``"float32"``), from a string, a NumPy dtype or a type.

    Example:
        >>> import numpy as np
        >>> from ndgrad.keras.backend import standardize_dtype
        >>> standardize_dtype(np.float64), standardize_dtype("int32")
        ('float64', 'int32')
    """
    return "float32" if dtype is None else str(np.dtype(dtype))


def is_float_dtype(dtype):
    """Whether ``dtype`` is a floating type.

    Example:
        >>> from ndgrad.keras.backend import is_float_dtype
        >>> is_float_dtype("float16"), is_float_dtype("int8")
        (True, False)
    """
    return np.dtype(standardize_dtype(dtype)).kind == "f"


def is_int_dtype(dtype):
    """Whether ``dtype`` is an integer type.

    Example:
        >>> from ndgrad.keras.backend import is_int_dtype
        >>> is_int_dtype("uint8")
        True
    """
    return np.dtype(standardize_dtype(dtype)).kind in "iu"


def result_type(*dtypes):
    """The dtype NumPy's promotion gives for ``dtypes`` (Python floats: float32).

    Example:
        >>> from ndgrad.keras.backend import result_type
        >>> result_type("int32", "float32")
        'float64'
    """
    return str(np.result_type(*[np.dtype(standardize_dtype(d)) for d in dtypes]))


def get_uid(prefix=""):
    """1, 2, 3, ... for each ``prefix`` (reset by :func:`clear_session`).

    Example:
        >>> from ndgrad.keras.backend import get_uid
        >>> get_uid("demo_prefix"), get_uid("demo_prefix")
        (1, 2)
    """
    counter = _uids.setdefault(prefix, itertools.count(1))
    return next(counter)


__getattr__ = module_getattr("keras.backend", {
    "is_keras_tensor": "check isinstance(x, keras.KerasTensor) where the functional API exists",
    "set_learning_phase": "pass training= to the model's call",
    "learning_phase": "pass training= to the model's call"})
