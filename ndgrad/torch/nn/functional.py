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


_WRITE_IT = "write it with ndgrad ops (they differentiate)"

__getattr__ = unsupported(__name__, {
    "conv3d": "3-D convolution is not supported (yet)",
    "max_pool3d": "3-D pooling is not supported (yet)",
    "avg_pool3d": "3-D pooling is not supported (yet)",
    "adaptive_max_pool2d": "use F.max_pool2d with a kernel that covers the input",
    "unfold": "not supported (yet)", "fold": "not supported (yet)",
    "grid_sample": "not supported (yet)", "affine_grid": "not supported (yet)",
    "triplet_margin_loss": _WRITE_IT, "margin_ranking_loss": _WRITE_IT,
    "cosine_embedding_loss": _WRITE_IT, "ctc_loss": _WRITE_IT, "poisson_nll_loss": _WRITE_IT,
    "gaussian_nll_loss": _WRITE_IT, "multilabel_soft_margin_loss": _WRITE_IT,
    "soft_margin_loss": _WRITE_IT, "multi_margin_loss": _WRITE_IT,
    "hinge_embedding_loss": _WRITE_IT, "alpha_dropout": "use F.dropout",
    "feature_alpha_dropout": "use F.dropout2d", "dropout1d": "use F.dropout2d on x[..., None]",
    "rrelu": "use F.leaky_relu",
    "gumbel_softmax": _WRITE_IT, "embedding_bag": "F.embedding(...).sum(1) or .mean(1)",
    "local_response_norm": _WRITE_IT, "instance_norm": "use F.group_norm with one group per "
                                                       "channel",
})
