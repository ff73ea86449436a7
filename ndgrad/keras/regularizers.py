"""``keras.regularizers``: ``L1``, ``L2``, ``L1L2``, ``OrthogonalRegularizer``
(also ``l1``, ``l2``, ``l1_l2``, ``orthogonal_regularizer``), ``Regularizer``,
``get``, ``serialize``, ``deserialize`` — the core ``ndgrad.nn.regularizers``.

Pass them to layers as ``kernel_regularizer=`` / ``bias_regularizer=`` /
``activity_regularizer=``; the penalties appear in ``model.losses`` and ``fit``
adds them to the loss.

Example:
    >>> import ndgrad
    >>> from ndgrad.keras import layers, regularizers
    >>> dense = layers.Dense(2, kernel_regularizer=regularizers.l2(0.5),
    ...                      kernel_initializer="ones", input_shape=(3,))
    >>> [loss.item() for loss in dense.losses]       # 0.5 * 6 squared ones
    [3.0]
"""

from ..nn.regularizers import (L1, L1L2, L2, OrthogonalRegularizer, Regularizer, deserialize, get,
                               l1, l1_l2, l2, orthogonal_regularizer, serialize)

__all__ = ["Regularizer", "L1", "L2", "L1L2", "OrthogonalRegularizer", "l1", "l2", "l1_l2",
           "orthogonal_regularizer", "get", "serialize", "deserialize"]
