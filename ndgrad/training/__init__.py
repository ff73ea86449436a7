"""Training models Keras style: ``fit``, ``evaluate``, ``predict``, metrics and callbacks.

``Model`` and ``Sequential`` get these methods from
:class:`ndgrad.nn.training.CompileMixin`; the loops live in
:mod:`ndgrad.training.loop`, the default steps in :mod:`ndgrad.training.steps`,
metrics in :mod:`ndgrad.training.metrics` and callbacks in
:mod:`ndgrad.training.callbacks`.

Example:
    >>> import numpy as np, ndgrad
    >>> from ndgrad.training import EarlyStopping
    >>> ndgrad.random.seed(0)
    >>> x = np.random.default_rng(0).normal(size=(64, 2)).astype(np.float32)
    >>> y = (x[:, 0] > 0).astype(np.int64)
    >>> model = ndgrad.Sequential([ndgrad.layers.Dense(2, activation="softmax",
    ...                                                input_shape=(2,))])
    >>> model.compile(optimizer=ndgrad.optim.Adam(0.1), loss="sparse_categorical_crossentropy",
    ...               metrics=["accuracy"])
    >>> history = model.fit(x, y, epochs=30, verbose=0,
    ...                     callbacks=[EarlyStopping(monitor="loss", patience=3)])
    >>> model.evaluate(x, y, verbose=0, return_dict=True)["accuracy"] > 0.9
    True
"""

from . import callbacks, metrics
from .callbacks import (CSVLogger, Callback, CallbackList, EarlyStopping, History,
                        LambdaCallback, LearningRateScheduler, ModelCheckpoint, ProgbarLogger,
                        ProgressLogger, ReduceLROnPlateau, TerminateOnNaN)
from .interrupt import InterruptGuard
from .fitting import fit
from .loop import evaluate, predict, test_on_batch, train_on_batch
from .metrics import AUC, Mean, Metric, Precision, Recall
from .py_dataset import PyDataset

__all__ = ["callbacks", "metrics", "Callback", "CallbackList", "History", "ProgressLogger",
           "ProgbarLogger", "EarlyStopping", "ModelCheckpoint", "LearningRateScheduler",
           "ReduceLROnPlateau", "CSVLogger", "TerminateOnNaN", "LambdaCallback", "PyDataset",
           "InterruptGuard", "fit", "evaluate", "predict", "train_on_batch", "test_on_batch", "Metric", "Mean",
           "Precision", "Recall", "AUC"]
