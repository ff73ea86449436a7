"""CSVLogger (one row per epoch in a CSV file) and TerminateOnNaN.

Example:
    >>> import os, tempfile
    >>> from ndgrad.training.callbacks import CSVLogger
    >>> path = os.path.join(tempfile.mkdtemp(), "log.csv")
    >>> logger = CSVLogger(path)
    >>> logger.on_train_begin()
    >>> logger.on_epoch_end(0, {"loss": 0.5, "accuracy": 0.75}); logger.on_train_end()
    >>> print(open(path).read().strip())
    epoch,accuracy,loss
    0,0.75,0.5
"""

import csv
import math
import os

from .base import Callback, writes_files

__all__ = ["CSVLogger", "TerminateOnNaN"]


def _cell(value):
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return value


class CSVLogger(Callback):
    """Write each epoch's logs as a row of a CSV file (header: ``epoch`` and the
    log names, sorted, as Keras).

    Args:
        filename: the CSV file (its folder is created if needed).
        separator: the field separator (default ``","``).
        append: add to an existing file (no second header) instead of replacing it.

    Example:
        >>> import os, tempfile, numpy as np, ndgrad
        >>> from ndgrad.training.callbacks import CSVLogger
        >>> path = os.path.join(tempfile.mkdtemp(), "train.csv")
        >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(1,))])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> x = np.ones((4, 1), np.float32)
        >>> _ = model.fit(x, x, epochs=2, verbose=0, callbacks=[CSVLogger(path)])
        >>> [line.split(",")[0] for line in open(path).read().split()]
        ['epoch', '0', '1']
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.filename = os.fspath(filename)
        if not isinstance(separator, str) or len(separator) != 1:
            raise ValueError(f"CSVLogger: separator must be one character; got {separator!r}")
        self.separator = separator
        self.append = bool(append)
        self.keys = None
        self._file = None
        self._writer = None
        self._write_header = True

    def on_train_begin(self, logs=None):
        """Open the file (append or replace); rank 0 alone in a data-parallel fit."""
        if not writes_files(self.model):
            return
        folder = os.path.dirname(os.path.abspath(self.filename))
        os.makedirs(folder, exist_ok=True)
        self._write_header = True
        if self.append and os.path.exists(self.filename):
            with open(self.filename, encoding="utf-8") as existing:
                self._write_header = not existing.read(1)
        self._file = open(self.filename, "a" if self.append else "w", newline="",
                          encoding="utf-8")
        self._writer = None
        self.keys = None

    def on_epoch_end(self, epoch, logs=None):
        """Write the epoch's row (and the header before the first row)."""
        logs = logs or {}
        if not writes_files(self.model):
            return
        if self._file is None:
            self.on_train_begin()
        if self.keys is None:
            self.keys = sorted(logs)
            self._writer = csv.DictWriter(self._file, fieldnames=["epoch"] + self.keys,
                                          delimiter=self.separator, extrasaction="ignore",
                                          restval="NA")
            if self._write_header:
                self._writer.writeheader()
        row = {"epoch": epoch}
        row.update({key: _cell(logs[key]) for key in self.keys if key in logs})
        self._writer.writerow(row)
        self._file.flush()

    def on_train_end(self, logs=None):
        """Close the file."""
        if self._file is not None:
            self._file.close()
        self._file = None
        self._writer = None


class TerminateOnNaN(Callback):
    """Stop training as soon as a batch's loss is NaN or infinite.

    Example:
        >>> from ndgrad.training.callbacks import TerminateOnNaN
        >>> class Model:
        ...     stop_training = False
        >>> guard = TerminateOnNaN(); guard.set_model(Model())
        >>> guard.on_train_batch_end(3, {"loss": float("nan")})
        Batch 3: Invalid loss, terminating training
        >>> guard.model.stop_training
        True
    """

    def on_train_batch_end(self, batch, logs=None):
        """Set ``model.stop_training`` when the loss is not finite."""
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
