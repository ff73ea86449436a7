"""ModelCheckpoint: save the model during ``fit``, every epoch or when it improves.

The file name may hold fields filled in at each save, ``{epoch}`` (1-based,
as Keras) and any log such as ``{val_loss:.3f}``. A full checkpoint
(``ndgrad.io.save_checkpoint``: weights, optimizer state, ``ndgrad.random``'s
state, the number of epochs completed, and in ``extra`` the training
DataLoader's shuffling seed as ``"data_seed"`` and the epoch's logs) is
written unless ``save_weights_only=True`` (``ndgrad.io.save_weights``); a
``.keras`` file name saves the whole model with ``model.save`` (Keras 3).
Writes are atomic, so a crash or Ctrl-C never leaves a half-written file. In a
data-parallel fit (``ndgrad.distributed.DataParallel``) rank 0 alone writes;
the other ranks decide the same (their logs are the same) and skip the write.

To resume exactly, rebuild the loader with the saved seed and pass the saved
epoch as ``initial_epoch``::

    info = ndgrad.io.load_checkpoint(path, model, model.optimizer)
    loader = DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True,
                        seed=info["extra"]["data_seed"])
    model.fit(loader, epochs=10, initial_epoch=info["epoch"])

Example:
    >>> import os, tempfile, numpy as np, ndgrad
    >>> from ndgrad.training.callbacks import ModelCheckpoint
    >>> folder = tempfile.mkdtemp()
    >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,))])
    >>> model.compile(optimizer="adam", loss="mse")
    >>> x = np.ones((8, 2), np.float32)
    >>> checkpoint = ModelCheckpoint(os.path.join(folder, "model-{epoch:02d}.safetensors"),
    ...                              monitor="loss")
    >>> _ = model.fit(x, x[:, :1], epochs=2, verbose=0, callbacks=[checkpoint])
    >>> sorted(os.listdir(folder))
    ['model-01.safetensors', 'model-02.safetensors']
"""

import math
import numbers
import os

from .base import Callback, writes_files
from .monitoring import check_mode, monitored_value, resolve_mode

__all__ = ["ModelCheckpoint"]


def _json_logs(logs):
    """The finite float logs (JSON has no NaN or infinity)."""
    clean = {}
    for key, value in (logs or {}).items():
        if isinstance(value, numbers.Real) and math.isfinite(float(value)):
            clean[key] = float(value)
    return clean


class ModelCheckpoint(Callback):
    """Save the model (or its weights) at the end of each epoch, or every
    ``save_freq`` batches, or only when ``monitor`` improves.

    Args:
        filepath: the file to write; may hold ``{epoch}`` and log fields
            (``"ckpt-{epoch:03d}-{val_loss:.3f}.safetensors"``).
        monitor: the log compared when ``save_best_only`` (default ``"val_loss"``).
        verbose: 1 prints a line at each save.
        save_best_only: save only when ``monitor`` beats the best so far.
        save_weights_only: write the weights alone (``ndgrad.io.save_weights``).
        mode: ``"auto"``, ``"min"`` or ``"max"`` for ``monitor``.
        save_freq: ``"epoch"`` or a number of batches between saves.
        initial_value_threshold: the value a first save must beat (save_best_only).

    Example:
        >>> import os, tempfile, numpy as np, ndgrad
        >>> from ndgrad.training.callbacks import ModelCheckpoint
        >>> path = os.path.join(tempfile.mkdtemp(), "best.safetensors")
        >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,))])
        >>> model.compile(optimizer="adam", loss="mse")
        >>> x = np.ones((8, 2), np.float32)
        >>> best = ModelCheckpoint(path, monitor="val_loss", save_best_only=True)
        >>> _ = model.fit(x, x[:, :1], epochs=2, validation_split=0.25, verbose=0,
        ...               callbacks=[best])
        >>> ndgrad.io.load_checkpoint(path, model)["epoch"] in (1, 2)
        True
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", save_freq="epoch",
                 initial_value_threshold=None):
        super().__init__()
        filepath = os.fspath(filepath)
        if not filepath:
            raise ValueError("ModelCheckpoint: filepath is empty")
        if save_freq != "epoch" and (isinstance(save_freq, bool) or
                                     not isinstance(save_freq, numbers.Integral)
                                     or save_freq < 1):
            raise ValueError(f"ModelCheckpoint: save_freq must be 'epoch' or a positive int "
                             f"(batches); got {save_freq!r}")
        self.filepath = filepath
        self.monitor = monitor
        self.verbose = verbose
        self.save_best_only = bool(save_best_only)
        self.save_weights_only = bool(save_weights_only)
        self.mode = check_mode(mode, "ModelCheckpoint")
        self.save_freq = save_freq
        self.initial_value_threshold = initial_value_threshold
        self.best = None if initial_value_threshold is None else float(initial_value_threshold)
        self._direction = None
        self._batches_seen = 0
        self._epoch = 0
        self.last_saved = None

    def on_train_begin(self, logs=None):
        """Start counting batches for ``save_freq``."""
        self._batches_seen = 0

    def on_epoch_begin(self, epoch, logs=None):
        """Remember the epoch for file names of batch-level saves."""
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        """Save every ``save_freq`` batches when ``save_freq`` is a number."""
        if self.save_freq == "epoch":
            return
        self._batches_seen += 1
        if self._batches_seen % self.save_freq == 0:
            # The epoch is not complete: the checkpoint records the epochs done.
            self._save(self._epoch, logs, completed_epochs=self._epoch, batch=batch)

    def on_epoch_end(self, epoch, logs=None):
        """Save at the end of the epoch (``save_freq="epoch"``)."""
        if self.save_freq == "epoch":
            self._save(epoch, logs, completed_epochs=epoch + 1)

    def _improved(self, current):
        if self.best is None:
            return True
        return current < self.best if self._direction == "min" else current > self.best

    def _save(self, epoch, logs, completed_epochs, batch=None):
        logs = dict(logs or {})
        if self.save_best_only:
            if self._direction is None:
                self._direction = resolve_mode(self.mode, self.monitor, self.model,
                                               "ModelCheckpoint")
            current = monitored_value(logs, self.monitor, "ModelCheckpoint")
            if current is None or not self._improved(current):
                if current is not None and self.verbose > 0:
                    print(f"Epoch {epoch + 1}: {self.monitor} did not improve from "
                          f"{self.best:.5f}")
                return
            previous, self.best = self.best, current
            if self.verbose > 0:
                start = "inf" if previous is None else f"{previous:.5f}"
                print(f"Epoch {epoch + 1}: {self.monitor} improved from {start} to "
                      f"{current:.5f}, saving model to {self._path(epoch, logs, batch)}")
        elif self.verbose > 0:
            print(f"Epoch {epoch + 1}: saving model to {self._path(epoch, logs, batch)}")
        self._write(self._path(epoch, logs, batch), completed_epochs, logs)

    def _path(self, epoch, logs, batch):
        fields = dict(logs)
        fields["epoch"] = epoch + 1
        if batch is not None:
            fields["batch"] = batch + 1
        try:
            return self.filepath.format(**fields)
        except KeyError as missing:
            raise KeyError(f"ModelCheckpoint: filepath {self.filepath!r} names the field "
                           f"{missing}, which is not in the logs; available: epoch, "
                           f"{', '.join(sorted(logs))}") from None

    def _write(self, path, completed_epochs, logs):
        from ... import io
        if not writes_files(self.model):   # a data-parallel fit: rank 0 writes the file
            self.last_saved = path
            return
        folder = os.path.dirname(os.path.abspath(path))
        os.makedirs(folder, exist_ok=True)
        if self.save_weights_only:
            io.save_weights(self.model, path)
        elif path.endswith(".keras"):       # Keras 3's whole-model file: model.save writes it
            save = getattr(self.model, "save", None)
            if save is None:
                raise NotImplementedError(
                    f"ModelCheckpoint: {path!r} asks for a whole-model .keras file, which "
                    f"needs {type(self.model).__name__}.save (the functional API's saving, "
                    "not in this build); use a .safetensors filepath for a checkpoint, or "
                    "save_weights_only=True")
            save(path)
        else:
            loader = getattr(self.model, "_fit_data_loader", None)
            extra = {"logs": _json_logs(logs)}
            seed = getattr(loader, "seed", None)
            if seed is not None:
                extra["data_seed"] = int(seed)
            if self.save_best_only:
                extra["monitor"] = self.monitor
                extra["best"] = self.best
            io.save_checkpoint(path, self.model, optimizer=getattr(self.model, "optimizer", None),
                               epoch=completed_epochs, extra=extra)
        self.last_saved = path
