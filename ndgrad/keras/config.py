"""``keras.config``: the global settings (see :mod:`ndgrad.keras.backend`).

Example:
    >>> from ndgrad import keras
    >>> keras.config.floatx(), keras.config.image_data_format(), keras.config.backend()
    ('float32', 'channels_last', 'ndgrad')
"""

from ._unsupported import module_getattr
from .backend import (backend, epsilon, floatx, image_data_format, set_epsilon, set_floatx,
                      set_image_data_format)

__all__ = ["backend", "floatx", "set_floatx", "epsilon", "set_epsilon", "image_data_format",
           "set_image_data_format", "dtype_policy", "set_dtype_policy",
           "enable_traceback_filtering", "disable_traceback_filtering",
           "is_traceback_filtering_enabled"]


def dtype_policy():
    """The dtype policy's name: ``"float32"`` (ndgrad has no mixed precision).

    Example:
        >>> from ndgrad.keras.config import dtype_policy
        >>> dtype_policy()
        'float32'
    """
    return "float32"


def set_dtype_policy(policy):
    """Accept ``"float32"``; mixed precision (``"mixed_float16"``, ...) is refused.

    Example:
        >>> from ndgrad.keras.config import set_dtype_policy
        >>> set_dtype_policy("float32")
    """
    name = getattr(policy, "name", policy)
    if name != "float32":
        raise ValueError(f"set_dtype_policy: ndgrad computes in float32 (or per-layer dtype=); "
                         f"mixed precision policy {name!r} is not supported")


def enable_traceback_filtering():
    """Accepted for Keras programs: ndgrad's tracebacks are never filtered.

    Example:
        >>> from ndgrad.keras.config import enable_traceback_filtering
        >>> enable_traceback_filtering()
    """


def disable_traceback_filtering():
    """Accepted for Keras programs: ndgrad's tracebacks are never filtered.

    Example:
        >>> from ndgrad.keras.config import disable_traceback_filtering
        >>> disable_traceback_filtering()
    """


def is_traceback_filtering_enabled():
    """False: ndgrad shows whole tracebacks.

    Example:
        >>> from ndgrad.keras.config import is_traceback_filtering_enabled
        >>> is_traceback_filtering_enabled()
        False
    """
    return False


def _from_saving(name):
    if name == "enable_unsafe_deserialization":
        import importlib
        try:
            return getattr(importlib.import_module("ndgrad.keras.saving"), name)
        except (ImportError, AttributeError):
            raise AttributeError(name) from None
    raise AttributeError(name)


__getattr__ = module_getattr("keras.config", {
    "enable_unsafe_deserialization": "ndgrad's model files hold no code to run; there is "
                                     "nothing unsafe to enable",
    "disable_interactive_logging": "pass verbose=0 (or 2) to fit/evaluate/predict",
    "enable_interactive_logging": None, "is_interactive_logging_enabled": None,
    "enable_flash_attention": "ndgrad has one attention implementation",
    "disable_flash_attention": None, "is_flash_attention_enabled": None,
    "set_backend": "ndgrad is its own backend", "max_epochs": None, "set_max_epochs": None,
    "max_steps_per_epoch": None, "set_max_steps_per_epoch": None, "is_nnx_enabled": None},
    fallback=_from_saving)
