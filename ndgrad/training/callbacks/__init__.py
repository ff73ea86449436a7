"""Callbacks for ``fit``/``evaluate``/``predict``, with Keras's names and hooks.

Example:
    >>> import numpy as np, ndgrad
    >>> from ndgrad.training.callbacks import EarlyStopping, TerminateOnNaN
    >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(1,))])
    >>> model.compile(optimizer="adam", loss="mse")
    >>> x = np.ones((8, 1), np.float32)
    >>> history = model.fit(x, x, epochs=2, verbose=0,
    ...                     callbacks=[EarlyStopping(monitor="loss"), TerminateOnNaN()])
    >>> history.epoch
    [0, 1]
"""

from .base import Callback, CallbackList, writes_files
from .early_stopping import EarlyStopping
from .history import History
from .lambda_callback import LambdaCallback
from .learning_rate import LearningRateScheduler, ReduceLROnPlateau
from .log_callbacks import CSVLogger, TerminateOnNaN
from .model_checkpoint import ModelCheckpoint
from .progress import ProgressLogger

ProgbarLogger = ProgressLogger     # Keras's name

__all__ = ["Callback", "CallbackList", "History", "ProgressLogger", "ProgbarLogger",
           "EarlyStopping", "ModelCheckpoint", "LearningRateScheduler", "ReduceLROnPlateau",
           "CSVLogger", "TerminateOnNaN", "LambdaCallback", "writes_files"]
