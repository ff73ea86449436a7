"""``from ndgrad import keras``: a drop-in for Keras 3 programs, on ndgrad's one core.

Every name re-exports or adapts ndgrad's implementation: ``keras.layers.Layer``
is ``ndgrad.nn.Module``, ``keras.Model`` is ``ndgrad.Model``,
``keras.Sequential`` is ``ndgrad.Sequential``, ``keras.optimizers.Adam`` is
``ndgrad.optim.Adam``; the submodules are ``layers``, ``ops``, ``losses``,
``metrics``, ``optimizers`` (with ``schedules``), ``callbacks``,
``activations``, ``initializers``, ``regularizers``, ``random``, ``utils``,
``backend``, ``config``, ``preprocessing`` (and ``models``, ``saving`` where
the functional API provides them). A Keras name that ndgrad does not support raises an
AttributeError that says so and what to use instead.

Example:
    >>> import numpy as np
    >>> from ndgrad import keras
    >>> model = keras.Sequential([keras.layers.Dense(8, activation="relu", input_shape=(4,)),
    ...                           keras.layers.Dense(3)])
    >>> model.compile(optimizer=keras.optimizers.Adam(1e-2),
    ...               loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    ...               metrics=[keras.metrics.SparseCategoricalAccuracy()])
    >>> x = np.random.default_rng(0).normal(size=(32, 4)).astype("float32")
    >>> history = model.fit(x, (x[:, 0] > 0).astype("int64"), epochs=2, verbose=0)
    >>> sorted(history.history)
    ['loss', 'sparse_categorical_accuracy']
"""

import contextlib
import importlib

import numpy as np

from .. import variable as _variable
from .._face_types import instances_of
from ..models import Model, Sequential
from ..nn.module import Module as Layer
from . import (activations, backend, callbacks, config, distribution, initializers, layers, losses,
               metrics, ops, optimizers, preprocessing, random, regularizers, utils)
from ._unsupported import module_getattr
from .initializers import Initializer
from .losses import Loss
from .metrics import Metric
from .optimizers import Optimizer
from .regularizers import Regularizer

__version__ = "3.0.0"    # the Keras API this face follows

__all__ = ["Layer", "Model", "Sequential", "Variable", "Loss", "Metric", "Optimizer",
           "Initializer", "Regularizer", "activations", "backend", "callbacks", "config",
           "initializers", "layers", "losses", "metrics", "ops", "optimizers", "preprocessing",
           "random",
           "regularizers", "utils", "device", "name_scope", "version"]


class Variable(metaclass=instances_of(_variable.Variable)):
    """``keras.Variable(initializer, shape=None, dtype=None, trainable=True,
    name=None)``: a new ``ndgrad.Variable``; ``initializer`` is a value (array,
    tensor, number) or an initializer (a name or a callable ``(shape, dtype)``)
    together with ``shape``. Every ndgrad Variable is an instance of it.

    Example:
        >>> from ndgrad import keras
        >>> v = keras.Variable("ones", shape=(2,), name="v")
        >>> v.tolist(), type(v).__name__, isinstance(v, keras.Variable)
        ([1.0, 1.0], 'Variable', True)
        >>> keras.Variable([[1.0, 2.0]], trainable=False).trainable
        False
    """

    def __new__(cls, initializer, shape=None, dtype=None, trainable=True, autocast=True,
                aggregation="none", synchronization="auto", name=None, **kwargs):
        if isinstance(initializer, str) or (callable(initializer)
                                            and not isinstance(initializer, np.ndarray)
                                            and not hasattr(initializer, "shape")):
            if shape is None:
                raise ValueError("keras.Variable: an initializer needs shape=...; or pass the "
                                 "initial value itself")
            value = initializers.get(initializer)(shape, dtype=dtype)
        else:
            value = initializer
        return _variable.Variable(value, trainable=trainable, name=name, dtype=dtype)


def version():
    """The Keras API version this face follows.

    Example:
        >>> from ndgrad.keras import version
        >>> version()
        '3.0.0'
    """
    return __version__


@contextlib.contextmanager
def device(device_name):
    """A context for placing tensors: ``"cpu"`` is accepted (ndgrad computes on the
    CPU); a GPU is refused clearly.

    Example:
        >>> from ndgrad import keras
        >>> with keras.device("cpu"):
        ...     keras.ops.ones((1,)).tolist()
        [1.0]
    """
    if not str(device_name).lower().startswith("cpu"):
        raise ValueError(f"keras.device: ndgrad computes on the CPU only; got {device_name!r}")
    yield


@contextlib.contextmanager
def name_scope(name, **kwargs):
    """Accepted for Keras programs (names of ndgrad layers come from the layers).

    Example:
        >>> from ndgrad.keras import name_scope
        >>> with name_scope("block"):
        ...     pass
    """
    yield


def _functional(name):
    """Names the functional API provides (``Input``, ``models``, ``saving``, ...),
    looked up where it defines them, so this face needs no edit when it lands."""
    if name in ("models", "saving"):
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ImportError:
            raise AttributeError(name) from None
    if name in ("Input", "InputLayer", "KerasTensor", "InputSpec"):
        for source in ("ndgrad.layers", "ndgrad", f"{__name__}.models"):
            try:
                found = getattr(importlib.import_module(source), name, None)
            except ImportError:
                found = None
            if found is not None:
                return found
    raise AttributeError(name)


_NOT_YET = "the functional API (keras.Input, keras.models, keras.saving) is not in this build yet"
__getattr__ = module_getattr("keras", {
    "Input": _NOT_YET, "InputLayer": _NOT_YET, "KerasTensor": _NOT_YET, "InputSpec": _NOT_YET,
    "models": _NOT_YET, "saving": _NOT_YET,
    "constraints": "constraints are not supported yet; clip the weights after each step",
    "datasets": "use ndgrad.datasets (offline digits, Fashion-MNIST) or load arrays yourself",
    "applications": "ndgrad ships no pretrained models",
    "mixed_precision": "ndgrad computes in float32", "export": "use ndgrad.onnx where present",
    "tree": "use plain Python structures",
    "quantizers": "ndgrad does not quantize", "visualization": "print model.summary()",
    "dtype_policies": "ndgrad computes in float32", "DTypePolicy": None,
    "FloatDTypePolicy": None, "StatelessScope": "ndgrad is eager", "SymbolicScope": None,
    "Operation": "write a Layer, or an ndgrad.Function for a custom gradient",
    "Function": None, "Quantizer": None, "RematScope": None, "remat": None, "wrappers": None,
}, fallback=_functional)
