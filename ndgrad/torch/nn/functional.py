"""``torch.nn.functional``: ndgrad's functional forms (``ndgrad.nn.functional``),
with PyTorch's ``inplace`` argument accepted.

Every name of the core module is here, taken when this module loads, so new
functional forms in the core appear at once. The activations and dropouts
also take PyTorch's ``inplace=`` (by keyword or position): ndgrad always
returns a new tensor and leaves the input as it was, which is what the usual
``x = F.relu(x, inplace=True)`` then sees.

Example:
    >>> import ndgrad.torch as torch
    >>> import ndgrad.torch.nn.functional as F
    >>> x = torch.tensor([[-1.0, 2.0]])
    >>> F.relu(x, inplace=True).tolist(), F.log_softmax(x, dim=1).argmax(dim=1).tolist()
    ([[0.0, 2.0]], [1])
"""

import functools
import inspect

from ...nn import functional as _core
from .._unsupported import unsupported

CORE_NAMES = list(_core.__all__)
globals().update({name: getattr(_core, name) for name in CORE_NAMES})

# PyTorch's signature is the core one with ``inplace`` added last.
INPLACE_ACTIVATIONS = ("relu", "relu6", "leaky_relu", "elu", "selu", "celu", "silu", "mish",
                       "hardtanh", "hardsigmoid")


def _with_inplace(core_function):
    """The core function, also taking ``inplace`` after its own arguments."""
    count = len(inspect.signature(core_function).parameters)

    @functools.wraps(core_function)
    def function(*args, inplace=False, **kwargs):
        if len(args) > count:
            args = args[:count]
        return core_function(*args, **kwargs)

    return function


globals().update({name: _with_inplace(getattr(_core, name)) for name in INPLACE_ACTIVATIONS
                  if name in CORE_NAMES})
__test__ = {name: globals()[name] for name in INPLACE_ACTIVATIONS if name in CORE_NAMES}

__all__ = sorted(set(CORE_NAMES) | {"dropout", "dropout2d"})


def dropout(input, p=0.5, training=True, inplace=False):
    """Zero each element with probability ``p`` and scale the rest by ``1/(1-p)``
    when ``training`` (``F.dropout(x, training=self.training)``); ``inplace`` is
    accepted, the result is a new tensor.

    Example:
        >>> import ndgrad.torch as torch
        >>> import ndgrad.torch.nn.functional as F
        >>> F.dropout(torch.ones(4), 0.5, training=False).tolist()
        [1.0, 1.0, 1.0, 1.0]
    """
    return _core.dropout(input, p, training)


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels with probability ``p`` when ``training``.

    Example:
        >>> import ndgrad.torch as torch
        >>> import ndgrad.torch.nn.functional as F
        >>> F.dropout2d(torch.ones(1, 2, 3, 3), training=False).shape
        (1, 2, 3, 3)
    """
    return _core.dropout2d(input, p, training)


def _with_indices(core_function):
    """PyTorch's ``*_with_indices`` name: the core function with ``return_indices=True``."""
    @functools.wraps(core_function)
    def function(*args, **kwargs):
        kwargs["return_indices"] = True
        return core_function(*args, **kwargs)

    function.__name__ = function.__qualname__ = core_function.__name__ + "_with_indices"
    function.__doc__ = (f"``F.{core_function.__name__}(..., return_indices=True)``: the "
                        "pooled tensor and the flat indices of its maxima.")
    return function


max_pool1d_with_indices = _with_indices(_core.max_pool1d)
max_pool2d_with_indices = _with_indices(_core.max_pool2d)
adaptive_max_pool1d_with_indices = _with_indices(_core.adaptive_max_pool1d)
adaptive_max_pool2d_with_indices = _with_indices(_core.adaptive_max_pool2d)
native_channel_shuffle = _core.channel_shuffle
__all__ += ["max_pool1d_with_indices", "max_pool2d_with_indices",
            "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices",
            "native_channel_shuffle"]

_WRITE_IT = "write it with ndgrad ops (they differentiate)"

__getattr__ = unsupported(__name__, {
    "adaptive_max_pool3d": "use F.adaptive_avg_pool3d, or F.adaptive_max_pool2d on the "
                           "(N, C * D, H, W) reshape and again over the depth",
    "max_pool3d_with_indices": "F.max_pool3d gives no indices; use F.max_pool2d per depth "
                               "slice",
    "max_unpool3d": "use F.max_unpool2d per depth slice",
    "grid_sample": "not supported (yet)", "affine_grid": "not supported (yet)",
    "rrelu": "use F.leaky_relu", "gumbel_softmax": _WRITE_IT,
    "fractional_max_pool2d": "use F.max_pool2d or F.adaptive_max_pool2d",
})
