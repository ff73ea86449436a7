"""``keras.optimizers.schedules``: learning-rate schedules passed as
``learning_rate=`` (``ndgrad.optim.schedules``), evaluated at the optimizer's
``iterations`` before every update.

Example:
    >>> from ndgrad import keras
    >>> schedule = keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=10,
    ...                                                       decay_rate=0.5)
    >>> optimizer = keras.optimizers.Adam(learning_rate=schedule)
    >>> round(schedule(20), 6), optimizer.learning_rate
    (0.025, 0.1)
"""

from ...optim.schedules import (CosineDecay, ExponentialDecay, LearningRateSchedule,
                                PiecewiseConstantDecay, PolynomialDecay, deserialize, serialize)
from .._unsupported import module_getattr

__all__ = ["LearningRateSchedule", "ExponentialDecay", "PiecewiseConstantDecay", "CosineDecay",
           "PolynomialDecay", "serialize", "deserialize"]

_WRITE_ONE = ("not implemented yet; subclass LearningRateSchedule with __call__(step) and "
              "get_config() (a few lines)")
__getattr__ = module_getattr("keras.optimizers.schedules", {
    "InverseTimeDecay": _WRITE_ONE, "CosineDecayRestarts": _WRITE_ONE})
