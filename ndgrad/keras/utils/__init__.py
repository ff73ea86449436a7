"""``keras.utils``: data helpers (``to_categorical``, ``pad_sequences``,
``normalize``, ``split_dataset``, ``PyDataset``/``Sequence``,
``pack_x_y_sample_weight``/``unpack_x_y_sample_weight``), datasets made from
folders and arrays (``image_dataset_from_directory``,
``text_dataset_from_directory``, ``timeseries_dataset_from_array``), image
files (``load_img``, ``img_to_array``, ``array_to_img``, ``save_img``, on
Pillow: the ``images`` extra), ``Progbar``, ``set_random_seed``, and clear
refusals for what needs a network or plotting tools (``get_file``,
``plot_model``).

Example:
    >>> from ndgrad import keras
    >>> keras.utils.to_categorical([0, 2, 1], num_classes=3).tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    >>> keras.utils.pad_sequences([[1, 2, 3], [4]], maxlen=2).tolist()
    [[2, 3], [0, 4]]
"""

import random as _python_random

import numpy as np

from ... import random as _ndgrad_random
from ...tensorflow import random as _tensorflow_random
from ...autograd.primitive import data_of
from ...tensor import Tensor, as_tensor
from ...training.inputs import unpack_batch
from ...training.py_dataset import PyDataset
from .._unsupported import module_getattr
from .array_datasets import split_dataset, timeseries_dataset_from_array
from .directory_datasets import image_dataset_from_directory, text_dataset_from_directory
from .images import array_to_img, img_to_array, load_img, save_img
from .progbar import Progbar
from .sequences import pad_sequences

Sequence = PyDataset

__all__ = ["to_categorical", "pad_sequences", "normalize", "set_random_seed", "split_dataset",
           "PyDataset", "Sequence", "pack_x_y_sample_weight", "unpack_x_y_sample_weight",
           "image_dataset_from_directory", "text_dataset_from_directory",
           "timeseries_dataset_from_array", "load_img", "img_to_array", "array_to_img",
           "save_img", "Progbar"]


def to_categorical(x, num_classes=None):
    """One-hot rows (float32) for integer class labels; a trailing axis of 1 is
    dropped first. A tensor gives a tensor, anything else a NumPy array.

    Args:
        x: integer labels.
        num_classes: the number of classes (default: the largest label + 1).

    Example:
        >>> from ndgrad.keras.utils import to_categorical
        >>> to_categorical([[1], [0]]).tolist()
        [[0.0, 1.0], [1.0, 0.0]]
    """
    labels = np.asarray(data_of(x))
    if labels.dtype.kind == "f":
        if not np.array_equal(labels, np.round(labels)):
            raise ValueError("to_categorical: x must hold integer class labels; got "
                             "non-integer values")
    labels = labels.astype(np.int64)
    if labels.ndim > 1 and labels.shape[-1] == 1:
        labels = labels[..., 0]
    count = int(labels.max()) + 1 if num_classes is None and labels.size else int(num_classes)
    if labels.size and (labels.min() < 0 or labels.max() >= count):
        raise ValueError(f"to_categorical: labels must be in [0, {count}); got values in "
                         f"[{labels.min()}, {labels.max()}]")
    out = np.zeros(labels.shape + (count,), dtype=np.float32)
    np.put_along_axis(out, labels[..., None], 1.0, axis=-1)
    return as_tensor(out) if isinstance(x, Tensor) else out


def normalize(x, axis=-1, order=2):
    """``x`` divided by its ``order``-norm along ``axis`` (zero vectors stay zero);
    a tensor gives a tensor, anything else a NumPy array.

    Example:
        >>> from ndgrad.keras.utils import normalize
        >>> normalize([[3.0, 4.0], [0.0, 0.0]]).tolist()
        [[0.6, 0.8], [0.0, 0.0]]
    """
    if isinstance(x, Tensor):
        from .. import ops
        return ops.normalize(x, axis=axis, order=order)
    x = np.asarray(x, dtype=np.float64 if not np.issubdtype(np.asarray(x).dtype, np.floating)
                   else None)
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    return x / np.expand_dims(norm, axis)


def set_random_seed(seed):
    """Seed Python's ``random``, NumPy's global generator, ndgrad's generator
    (weights, dropout, shuffling, ``keras.random`` without a seed) and, as Keras
    on TensorFlow does, TensorFlow's global seed (``tf.data`` shuffles with a
    seed, ``tf.random`` ops with an op seed).

    Example:
        >>> from ndgrad import keras
        >>> keras.utils.set_random_seed(1); a = keras.random.normal((2,))
        >>> keras.utils.set_random_seed(1); (keras.random.normal((2,)).tolist() == a.tolist())
        True
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"set_random_seed: seed must be an int; got {seed!r}")
    _python_random.seed(int(seed))
    np.random.seed(int(seed) % 2 ** 32)
    _ndgrad_random.seed(int(seed))
    _tensorflow_random.set_seed(int(seed))


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``, as a batch is packed.

    Example:
        >>> from ndgrad.keras.utils import pack_x_y_sample_weight
        >>> pack_x_y_sample_weight("x", "y")
        ('x', 'y')
    """
    if y is None:
        return (x,)
    return (x, y) if sample_weight is None else (x, y, sample_weight)


def unpack_x_y_sample_weight(data):
    """``(x, y, sample_weight)`` from a batch (missing parts are None).

    Example:
        >>> from ndgrad.keras.utils import unpack_x_y_sample_weight
        >>> unpack_x_y_sample_weight(("x", "y"))
        ('x', 'y', None)
    """
    return unpack_batch(data)


def _late(name):
    """``register_keras_serializable`` and friends live in ``keras.saving``."""
    if name in ("register_keras_serializable", "serialize_keras_object",
                "deserialize_keras_object", "get_custom_objects", "custom_object_scope",
                "CustomObjectScope"):
        import importlib
        try:
            saving = importlib.import_module("ndgrad.keras.saving")
        except ImportError:
            raise AttributeError(name) from None
        return getattr(saving, name)
    raise AttributeError(name)


__getattr__ = module_getattr("keras.utils", {
    "get_file": "ndgrad downloads nothing; fetch the file yourself and pass its path (offline "
                "datasets: ndgrad.datasets)",
    "plot_model": "ndgrad draws no model diagrams; print model.summary() instead "
                  "(ndgrad.draw_graph draws a computation graph)",
    "model_to_dot": "print model.summary() instead",
    "audio_dataset_from_directory": "read the files in Python and pass arrays",
    "register_keras_serializable": "ndgrad's keras.saving is not in this build yet",
    "serialize_keras_object": None, "deserialize_keras_object": None,
    "get_custom_objects": None, "custom_object_scope": None, "CustomObjectScope": None,
    "Config": None, "disable_interactive_logging": "pass verbose=0 to fit()",
    "enable_interactive_logging": None, "is_interactive_logging_enabled": None,
}, fallback=_late)
