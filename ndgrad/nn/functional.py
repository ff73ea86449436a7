"""``ndgrad.nn.functional``: the layers' computations and the losses as functions,
with PyTorch's names and arguments (``F.conv2d``, ``F.cross_entropy``,
``F.softmax(x, dim=1)``).

Each layer family lists its functional forms in ``FUNCTIONAL``; this module
gathers them, with ``linear`` and the losses.

Example:
    >>> import ndgrad
    >>> import ndgrad.nn.functional as F
    >>> F.relu(ndgrad.tensor([-1.0, 2.0])).tolist(), F.softmax(ndgrad.zeros((1, 2)), dim=1).tolist()
    ([0.0, 2.0], [[0.5, 0.5]])
"""

from . import (activation_extras, activation_layers, attention, conv, distances, embedding,
               normalization, pooling, recurrent, regularization, reshaping)
from . import conv_transpose, one_hot, padding, pixel_shuffle, upsampling
from . import (conv_volumes, ctc_loss, dropout_channels, embedding_bag, likelihood_losses,
               margin_losses, normalization_variants, pooling_extras, sliding_windows)
from .classification_losses import (binary_cross_entropy, binary_cross_entropy_with_logits,
                                    cross_entropy, nll_loss)
from .linear import bilinear, linear
from .losses import huber_loss, kl_div, l1_loss, mse_loss, smooth_l1_loss

_FAMILIES = (activation_layers, activation_extras, attention, conv, distances, embedding,
             normalization, pooling, recurrent, regularization, reshaping)
_FAMILIES += (conv_transpose, one_hot, padding, pixel_shuffle, upsampling)
_FAMILIES += (conv_volumes, ctc_loss, dropout_channels, embedding_bag, likelihood_losses,
              margin_losses, normalization_variants, pooling_extras, sliding_windows)
_FUNCTIONS = {name: getattr(family, name) for family in _FAMILIES
              for name in getattr(family, "FUNCTIONAL", ())}
globals().update(_FUNCTIONS)

__all__ = ["linear", "bilinear", "mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss",
           "kl_div", "cross_entropy", "nll_loss", "binary_cross_entropy",
           "binary_cross_entropy_with_logits", *sorted(_FUNCTIONS)]
