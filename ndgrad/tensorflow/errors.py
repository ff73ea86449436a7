"""``tf.errors``: the exception classes TensorFlow programs catch, as ndgrad's own.

ndgrad raises :class:`ndgrad.ShapeError` where TensorFlow raises
``InvalidArgumentError`` for operands that do not fit, so ``except
tf.errors.InvalidArgumentError`` catches it.

Example:
    >>> import ndgrad.tensorflow as tf
    >>> try:
    ...     tf.matmul(tf.ones([3, 1]), tf.ones([10, 1]))
    ... except tf.errors.InvalidArgumentError as error:
    ...     print(type(error).__name__)
    ShapeError
"""

from ..errors import ShapeError as InvalidArgumentError

__all__ = ["InvalidArgumentError"]
