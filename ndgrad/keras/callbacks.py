"""``keras.callbacks``: ndgrad's callbacks (:mod:`ndgrad.training.callbacks`)
under Keras 3's names: ``Callback`` (subclass it; hooks ``on_train_begin``,
``on_epoch_end``, ``on_train_batch_end``, ... with ``self.model`` and
``self.params``), ``History``, ``EarlyStopping``, ``ModelCheckpoint``,
``ReduceLROnPlateau``, ``LearningRateScheduler``, ``CSVLogger``,
``TerminateOnNaN``, ``LambdaCallback``, ``ProgbarLogger``, ``CallbackList``.

``TensorBoard`` is refused (ndgrad writes no TensorBoard event files): log
with ``CSVLogger`` or read ``History``.

Example:
    >>> import numpy as np
    >>> from ndgrad import keras
    >>> model = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> stop = keras.callbacks.EarlyStopping(monitor="loss", patience=0)
    >>> history = model.fit(np.ones((8, 2)), np.ones((8, 1)), epochs=2, verbose=0,
    ...                     callbacks=[stop])
    >>> sorted(history.history)
    ['loss']
"""

from ..training.callbacks import (CSVLogger, Callback, CallbackList, EarlyStopping, History,
                                  LambdaCallback, LearningRateScheduler, ModelCheckpoint,
                                  ProgbarLogger, ReduceLROnPlateau, TerminateOnNaN)
from ._unsupported import module_getattr

__all__ = ["Callback", "CallbackList", "History", "EarlyStopping", "ModelCheckpoint",
           "ReduceLROnPlateau", "LearningRateScheduler", "CSVLogger", "TerminateOnNaN",
           "LambdaCallback", "ProgbarLogger"]

__getattr__ = module_getattr("keras.callbacks", {
    "TensorBoard": "ndgrad writes no TensorBoard event files; log the metrics with "
                   "keras.callbacks.CSVLogger('log.csv') or read fit()'s History",
    "BackupAndRestore": "save with keras.callbacks.ModelCheckpoint and resume with "
                        "fit(initial_epoch=...)",
    "RemoteMonitor": "post the logs yourself from a LambdaCallback",
    "SwapEMAWeights": "ndgrad optimizers keep no EMA weights",
    "OrbaxCheckpoint": "use keras.callbacks.ModelCheckpoint"})
