"""``import ndgrad.tensorflow as tf``: the eager TensorFlow 2 vocabulary over
ndgrad's one core.

What TensorFlow tutorials and the seed documents use is here: ``tf.Variable``,
``tf.constant``, ``tf.GradientTape``, ``tf.matmul``, the ``tf.reduce_*`` family
and ``tf.math``, ``tf.nn``, ``tf.random``, ``tf.data.Dataset``, the dtypes,
``tf.keras`` (which is ``ndgrad.keras``) and ``tf.optimizers``. Tensors are
ndgrad tensors (``tf.Tensor is ndgrad.Tensor``), so ``.numpy()``, NumPy
functions and the PyTorch vocabulary work on them too.

Decided once, as TensorFlow does: Python ints become int32 and floats float32
(``tf.constant``); ``tf.GradientTape`` gives ``None`` for sources it did not
see (neither watched nor a trainable variable used inside its ``with`` block;
see :mod:`ndgrad.tensorflow.tape`), and ``apply_gradients`` with only ``None``
gradients raises, as TensorFlow does, with a message that says why.
``tf.function`` runs the function eagerly (the results are the ones a traced
graph gives). A TensorFlow name that ndgrad does not have raises
AttributeError saying so.

Example:
    >>> import ndgrad.tensorflow as tf
    >>> w = tf.Variable(tf.ones([2, 1]), name="w")
    >>> x = tf.constant([[1.0, 2.0]])
    >>> with tf.GradientTape() as tape:
    ...     loss = tf.reduce_sum(tf.square(tf.matmul(x, w)))
    >>> tape.gradient(loss, w).numpy().tolist()
    [[6.0], [12.0]]
"""

import functools
import importlib

import numpy as np

from ..dtypes import as_dtype
from . import config, data, errors, math, nn, random  # noqa: F401
from .array_ops import *  # noqa: F401,F403
from .math import (abs, add, argmax, argmin, cumsum, divide, equal, exp, greater,  # noqa: A004
                   greater_equal, less, less_equal, log, logical_and, logical_not,
                   logical_or, maximum, minimum, multiply, negative, not_equal, pow,
                   reduce_all, reduce_any, reduce_logsumexp, reduce_max, reduce_mean,
                   reduce_min, reduce_prod, reduce_std, reduce_sum, reduce_variance, round,
                   sigmoid, sign, sqrt, square, subtract, tanh, truediv)
from .tape import GradientTape
from .tensors import *  # noqa: F401,F403
from ._keras_alias import install as _install_keras_alias

_install_keras_alias()      # `from tensorflow.keras.layers import Dense` finds ndgrad.keras

__version__ = "2.16.1"     # the TensorFlow API level this face follows

float16 = half = as_dtype("float16")
float32 = as_dtype("float32")
float64 = double = as_dtype("float64")
int8, int16, int32, int64 = (np.dtype(n) for n in ("int8", "int16", "int32", "int64"))
uint8 = np.dtype("uint8")
bool = np.dtype("bool")       # noqa: A001  (tf.bool)
DType = np.dtype
newaxis = None


def as_dtype(type_value):  # noqa: F811  (tf.as_dtype, over the core's)
    """The dtype for a name, NumPy dtype or Python type (``tf.as_dtype``).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.as_dtype("float32") == tf.float32
        True
    """
    from ..dtypes import as_dtype as core
    return core(type_value)


def function(func=None, input_signature=None, autograph=True, jit_compile=None,
             reduce_retracing=False, experimental_compile=None, **unused):
    """Decorator kept for TensorFlow code: the function runs eagerly, which gives
    the results a traced graph would (ndgrad does not build graphs).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> @tf.function
        ... def double(x):
        ...     return x * 2
        >>> double(tf.constant(2.0)).numpy().item()
        4.0
    """
    if func is None:
        return lambda f: function(f)

    @functools.wraps(func)
    def eager(*args, **kwargs):
        return func(*args, **kwargs)
    return eager


def executing_eagerly():
    """Always True: ndgrad runs every op at once.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.executing_eagerly()
        True
    """
    return True


def print(*inputs, sep=" ", end="\n", **unused):  # noqa: A001  (tf.print)
    """Print tensors by their values (as ``tf.print``), other objects as they are.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.print("loss:", tf.constant(0.5))
        loss: 0.5
    """
    import builtins
    shown = [x.detach().numpy() if hasattr(x, "detach") else x for x in inputs]
    builtins.print(*shown, sep=sep, end=end)


_LAZY = {"keras": "ndgrad.keras", "optimizers": "ndgrad.keras.optimizers",
         "losses": "ndgrad.keras.losses", "metrics": "ndgrad.keras.metrics",
         "initializers": "ndgrad.keras.initializers",
         "activations": "ndgrad.keras.activations"}


def __getattr__(name):
    if name in _LAZY:
        module = importlib.import_module(_LAZY[name])
        globals()[name] = module
        return module
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(
        f"ndgrad.tensorflow has no '{name}': this TensorFlow name is not supported by ndgrad "
        "(its TensorFlow face covers eager tensors, tf.Variable, tf.GradientTape, tf.math, "
        "tf.nn, tf.random, tf.data and tf.keras). Use the NumPy-named function in ndgrad "
        f"(ndgrad.{name} if it exists) or open an issue")

