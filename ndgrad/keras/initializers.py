"""``keras.initializers``: ndgrad's Keras initializers (``ndgrad.nn.initializers``)
under Keras 3's class and lower-case names, with ``get``, ``serialize`` and
``deserialize``.

An initializer is called ``initializer(shape, dtype=None)`` and returns a new
tensor; layers take one (or its name) as ``kernel_initializer=``. A subclass
of :class:`Initializer` may override ``__call__`` directly, as in Keras.

Example:
    >>> from ndgrad.keras import initializers
    >>> initializers.Constant(2.0)((2,)).tolist(), initializers.zeros()((1,)).tolist()
    ([2.0, 2.0], [0.0])
    >>> initializers.get("he_normal")
    HeNormal(seed=None)
"""

from ..nn import initializers as _core
from ..nn.initializers import (Constant, GlorotNormal, GlorotUniform, HeNormal, HeUniform,
                               Identity, Initializer, LecunNormal, LecunUniform, Ones,
                               Orthogonal, RandomNormal, RandomUniform, TruncatedNormal,
                               VarianceScaling, Zeros, get)
from ._unsupported import module_getattr

IdentityInitializer, OrthogonalInitializer = Identity, Orthogonal
constant, glorot_normal, glorot_uniform, he_normal, he_uniform = (
    Constant, GlorotNormal, GlorotUniform, HeNormal, HeUniform)
identity, lecun_normal, lecun_uniform, ones, orthogonal = (
    Identity, LecunNormal, LecunUniform, Ones, Orthogonal)
random_normal, random_uniform, truncated_normal, variance_scaling, zeros = (
    RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling, Zeros)

__all__ = ["Initializer", "Zeros", "Ones", "Constant", "RandomNormal", "RandomUniform",
           "TruncatedNormal", "VarianceScaling", "GlorotUniform", "GlorotNormal", "HeUniform",
           "HeNormal", "LecunUniform", "LecunNormal", "Orthogonal", "OrthogonalInitializer",
           "Identity", "IdentityInitializer", "zeros", "ones", "constant", "random_normal",
           "random_uniform", "truncated_normal", "variance_scaling", "glorot_uniform",
           "glorot_normal", "he_uniform", "he_normal", "lecun_uniform", "lecun_normal",
           "orthogonal", "identity", "get", "serialize", "deserialize"]


def serialize(initializer):
    """``{"class_name": ..., "config": ...}`` for an initializer.

    Example:
        >>> from ndgrad.keras.initializers import Constant
        >>> from ndgrad.keras.initializers import serialize
        >>> serialize(Constant(1.5))
        {'class_name': 'Constant', 'config': {'value': 1.5}}
    """
    return {"class_name": type(initializer).__name__, "config": initializer.get_config()}


def deserialize(config, custom_objects=None):
    """The initializer that :func:`serialize` describes (``custom_objects`` for yours).

    Example:
        >>> from ndgrad.keras.initializers import deserialize
        >>> deserialize({"class_name": "Zeros", "config": {}})((2,)).tolist()
        [0.0, 0.0]
    """
    name = config.get("class_name") if isinstance(config, dict) else config
    if custom_objects and name in custom_objects:
        return custom_objects[name].from_config(dict(config.get("config") or {}))
    return _core.get(config)


__getattr__ = module_getattr("keras.initializers", {
    "STFT": "ndgrad has no complex tensors", "STFTInitializer": None, "stft": None})
