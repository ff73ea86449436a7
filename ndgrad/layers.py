"""The Keras face: ``Layer`` (the same class as ``ndgrad.nn.Module``) and layers
with Keras's names, arguments, defaults (channels_last) and weight layouts
(``Dense.kernel`` is (input_dim, units)).

Each layer family in ``ndgrad.nn`` implements both faces once and lists its
Keras classes in ``KERAS_EXPORTS``; this module gathers them.

Example:
    >>> import ndgrad
    >>> ndgrad.layers.Layer is ndgrad.nn.Module
    True
    >>> layer = ndgrad.layers.Dense(4, activation="relu")
    >>> layer(ndgrad.ones((2, 3))).shape
    (2, 4)
"""

from .nn import (activation_layers, attention, conv, embedding, normalization, pooling,
                 recurrent, regularization, reshaping)
from .nn import conv_transpose, padding_keras, upsampling
from .nn import activity_regularization, function_layers, input_layer, merging
from .nn import recurrent_cells_keras, recurrent_wrappers, rnn_keras
from .nn import attention_scores, conv_separable, noise, prelu_keras, reshaping_keras
from .nn import conv_lstm, normalization_keras
from .nn import augmentation, augmentation_affine, image_resizing, preprocessing
from .nn.linear import Dense
from .nn.module import Module as Layer

_FAMILIES = (activation_layers, attention, conv, embedding, normalization, pooling, recurrent,
             regularization, reshaping)
_FAMILIES += (conv_transpose, padding_keras, upsampling)
_FAMILIES += (activity_regularization, function_layers, input_layer, merging)
_FAMILIES += (recurrent_cells_keras, recurrent_wrappers, rnn_keras)
_FAMILIES += (attention_scores, conv_separable, noise, prelu_keras, reshaping_keras)
_FAMILIES += (conv_lstm, normalization_keras)
_FAMILIES += (preprocessing, image_resizing, augmentation, augmentation_affine)
_KERAS = {name: layer for family in _FAMILIES
          for name, layer in getattr(family, "KERAS_EXPORTS", {}).items()}
_KERAS.update({name: function for family in _FAMILIES
               for name, function in getattr(family, "KERAS_FUNCTIONS", {}).items()})
globals().update(_KERAS)

__all__ = ["Layer", "Dense", *sorted(_KERAS)]
