"""Every callback in fit, with scripted monitored values where the rule matters."""

import csv
import math

import numpy as np
import pytest

import ndgrad
from ndgrad.data import DataLoader, TensorDataset
from ndgrad.training import (CSVLogger, Callback, EarlyStopping, LearningRateScheduler,
                             ModelCheckpoint, ReduceLROnPlateau, TerminateOnNaN)

from .conftest import regression_data


class Script(Callback):
    """Writes a scripted value into the epoch's logs (before the callbacks after it)."""

    def __init__(self, values, key="score"):
        super().__init__()
        self.values, self.key = values, key

    def on_epoch_end(self, epoch, logs=None):
        logs[self.key] = self.values[epoch]


class KeepWeights(Callback):
    def __init__(self):
        super().__init__()
        self.by_epoch = {}

    def on_epoch_end(self, epoch, logs=None):
        self.by_epoch[epoch] = self.model.get_weights()


def linear_model(learning_rate=0.01, metrics=None, optimizer=None):
    model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(3,))])
    model.compile(optimizer=optimizer or ndgrad.optim.SGD(learning_rate=learning_rate),
                  loss="mse", metrics=metrics)
    return model


def recorder_class(calls):
    """A Callback that overrides every hook and records its calls."""
    def hook(name):
        def record(self, *args, **kwargs):
            calls.append(f"{name}({args[0]})" if args and isinstance(args[0], int) else name)
        return record
    hooks = [name for name in dir(Callback) if name.startswith("on_")]
    return type("Recorder", (Callback,), {name: hook(name) for name in hooks})


def test_hooks_run_in_keras_order():
    calls = []
    Recorder = recorder_class(calls)
    x, y = regression_data(samples=8)
    model = linear_model()
    model.fit(x, y, batch_size=4, epochs=1, validation_data=(x[:4], y[:4]), verbose=0,
              callbacks=[Recorder()])
    assert calls == [
        "on_train_begin", "on_epoch_begin(0)",
        "on_train_batch_begin(0)", "on_train_batch_end(0)",
        "on_train_batch_begin(1)", "on_train_batch_end(1)",
        "on_test_begin", "on_test_batch_begin(0)", "on_test_batch_end(0)", "on_test_end",
        "on_epoch_end(0)", "on_train_end"]
    calls.clear()
    model.predict(x, batch_size=8, verbose=0, callbacks=[Recorder()])
    assert calls == ["on_predict_begin", "on_predict_batch_begin(0)",
                     "on_predict_batch_end(0)", "on_predict_end"]


def test_callbacks_get_the_model_and_params():
    seen = {}

    class Look(Callback):
        def on_train_begin(self, logs=None):
            seen["model"], seen["params"] = self.model, dict(self.params)

    x, y = regression_data(samples=8)
    model = linear_model()
    model.fit(x, y, batch_size=4, epochs=2, verbose=0, callbacks=[Look()])
    assert seen == {"model": model, "params": {"verbose": 0, "epochs": 2, "steps": 2}}
    with pytest.raises(TypeError, match="expected Callback objects"):
        model.fit(x, y, callbacks=[print])


# ------------------------------------------------------------------ EarlyStopping
def run_early_stopping(values, **options):
    x, y = regression_data(samples=8)
    model = linear_model()
    stopper = EarlyStopping(monitor="score", **options)
    history = model.fit(x, y, epochs=len(values), batch_size=8, verbose=0,
                        callbacks=[Script(values), stopper])
    return history, stopper, model


def test_early_stopping_waits_patience_epochs_without_improvement():
    history, stopper, _ = run_early_stopping([5, 4, 4.5, 4.2, 4.1, 3], patience=3, mode="min")
    assert history.epoch == [0, 1, 2, 3, 4] and stopper.stopped_epoch == 4
    assert stopper.best == 4 and stopper.best_epoch == 1


def test_early_stopping_min_delta_and_max_mode():
    history, stopper, _ = run_early_stopping([0.5, 0.505, 0.509, 0.7], patience=2,
                                             min_delta=0.01, mode="max")
    assert history.epoch == [0, 1, 2] and stopper.best == 0.5


def test_early_stopping_auto_mode_reads_the_metric_direction():
    x, y = regression_data(samples=8)
    model = linear_model(metrics=["mae"])
    stopper = EarlyStopping(monitor="mae", patience=0)
    model.fit(x, y, epochs=3, verbose=0, callbacks=[stopper])
    assert stopper._direction == "min"
    with pytest.raises(ValueError, match="mode='auto' cannot tell whether 'score'"):
        run_early_stopping([1, 2], patience=1)


def test_early_stopping_baseline_and_start_from_epoch():
    # The first epoch does not beat the baseline 1.0, so it does not reset the wait.
    history, _, _ = run_early_stopping([3, 3, 3, 3], patience=2, mode="min", baseline=1.0)
    assert history.epoch == [0, 1]
    history, _, _ = run_early_stopping([3, 3, 3, 3], patience=2, mode="min")
    assert history.epoch == [0, 1, 2]
    # Epochs before start_from_epoch are not watched at all.
    history, stopper, _ = run_early_stopping([1, 2, 3, 4, 5, 6], patience=1, mode="min",
                                             start_from_epoch=3)
    assert history.epoch == [0, 1, 2, 3, 4] and stopper.best_epoch == 3


def test_early_stopping_restores_the_best_weights():
    x, y = regression_data(samples=8)
    model = linear_model(learning_rate=0.05)
    keeper = KeepWeights()
    stopper = EarlyStopping(monitor="score", mode="min", patience=2, restore_best_weights=True)
    model.fit(x, y, epochs=10, verbose=0,
              callbacks=[Script([3, 1, 2, 2.5, 0]), stopper, keeper])
    assert stopper.stopped_epoch == 3
    for restored, best in zip(model.get_weights(), keeper.by_epoch[1]):
        np.testing.assert_array_equal(restored, best)


def test_early_stopping_warns_when_the_monitor_is_missing():
    x, y = regression_data(samples=8)
    with pytest.warns(RuntimeWarning, match="'val_loss' is not in the logs; available: loss"):
        linear_model().fit(x, y, epochs=1, verbose=0, callbacks=[EarlyStopping()])


# ------------------------------------------------------------------ ModelCheckpoint
def test_model_checkpoint_formats_the_path_and_saves_a_resumable_checkpoint(tmp_path):
    pytest.importorskip("safetensors")
    x, y = regression_data()
    model = linear_model(optimizer=ndgrad.optim.Adam(0.01))
    loader = DataLoader(TensorDataset(x, y), batch_size=8, shuffle=True, seed=11)
    path = str(tmp_path / "ckpt" / "e{epoch:02d}-{val_loss:.3f}.safetensors")
    checkpoint = ModelCheckpoint(path)
    model.fit(loader, epochs=2, validation_data=(x, y), verbose=0, callbacks=[checkpoint])
    names = sorted(p.name for p in (tmp_path / "ckpt").iterdir())
    assert [n[:4] for n in names] == ["e01-", "e02-"]
    restored = linear_model(optimizer=ndgrad.optim.Adam(0.01))
    info = ndgrad.io.load_checkpoint(checkpoint.last_saved, restored, restored.optimizer)
    assert info["epoch"] == 2 and info["extra"]["data_seed"] == 11
    assert info["extra"]["logs"]["val_loss"] == pytest.approx(
        float(names[1][4:-len(".safetensors")]), abs=1e-3)
    for a, b in zip(restored.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_model_checkpoint_resume_matches_training_straight_through(tmp_path):
    pytest.importorskip("safetensors")
    x, y = regression_data()

    def fresh():
        ndgrad.random.seed(5)
        model = ndgrad.Sequential([ndgrad.layers.Dense(4, input_shape=(3,)),
                                   ndgrad.layers.Dropout(0.2), ndgrad.layers.Dense(1)])
        model.compile(optimizer=ndgrad.optim.Adam(0.01), loss="mse")
        return model, DataLoader(TensorDataset(x, y), batch_size=8, shuffle=True)

    straight, loader = fresh()
    straight.fit(loader, epochs=4, verbose=0)

    first, loader = fresh()
    path = str(tmp_path / "last.safetensors")
    first.fit(loader, epochs=2, verbose=0, callbacks=[ModelCheckpoint(path, monitor="loss")])
    resumed, _ = fresh()
    info = ndgrad.io.load_checkpoint(path, resumed, resumed.optimizer)
    loader = DataLoader(TensorDataset(x, y), batch_size=8, shuffle=True,
                        seed=info["extra"]["data_seed"])
    resumed.fit(loader, epochs=4, initial_epoch=info["epoch"], verbose=0)
    for a, b in zip(resumed.get_weights(), straight.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_model_checkpoint_save_best_only_and_weights_only(tmp_path):
    pytest.importorskip("safetensors")
    x, y = regression_data(samples=8)
    model = linear_model()
    path = tmp_path / "best.safetensors"
    saved = []

    class Spy(ModelCheckpoint):
        def _write(self, target, completed_epochs, logs):
            saved.append(completed_epochs)
            super()._write(target, completed_epochs, logs)

    model.fit(x, y, epochs=5, verbose=0,
              callbacks=[Script([3, 2, 2.5, 1, 4]),
                         Spy(path, monitor="score", mode="min", save_best_only=True,
                             save_weights_only=True)])
    assert saved == [1, 2, 4]
    other = linear_model()
    ndgrad.io.load_weights(other, str(path))
    with pytest.raises(ndgrad.io.CheckpointError):
        ndgrad.io.load_checkpoint(str(path), other)    # a weights file, not a checkpoint


def test_model_checkpoint_names_a_missing_field(tmp_path):
    x, y = regression_data(samples=8)
    with pytest.raises(KeyError, match="names the field 'val_acc'"):
        linear_model().fit(x, y, epochs=1, verbose=0,
                           callbacks=[ModelCheckpoint(str(tmp_path / "{val_acc}.st"))])


def test_model_checkpoint_every_n_batches(tmp_path):
    pytest.importorskip("safetensors")
    x, y = regression_data()
    path = str(tmp_path / "e{epoch}-b{batch}.safetensors")
    linear_model().fit(x, y, epochs=2, batch_size=8, verbose=0,
                       callbacks=[ModelCheckpoint(path, save_freq=3)])
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "e1-b3.safetensors", "e2-b2.safetensors"]


# ------------------------------------------------------------------ learning rate
def test_learning_rate_scheduler_sets_the_rate_each_epoch():
    x, y = regression_data(samples=8)
    model = linear_model(learning_rate=0.1)
    rates = []

    class Watch(Callback):
        def on_train_batch_begin(self, batch, logs=None):
            rates.append(self.model.optimizer.learning_rate)

    history = model.fit(x, y, epochs=3, verbose=0,
                        callbacks=[LearningRateScheduler(lambda epoch, lr: lr / 2), Watch()])
    assert rates == [0.05, 0.025, 0.0125]
    assert history.history["learning_rate"] == [0.05, 0.025, 0.0125]
    with pytest.raises(ValueError, match="must return a number >= 0; for epoch 0"):
        model.fit(x, y, verbose=0, callbacks=[LearningRateScheduler(lambda epoch: "fast")])


def test_reduce_lr_on_plateau_with_cooldown_and_min_lr():
    x, y = regression_data(samples=8)
    model = linear_model(learning_rate=1e-3)
    scores = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    history = model.fit(x, y, epochs=len(scores), verbose=0,
                        callbacks=[Script(scores),
                                   ReduceLROnPlateau(monitor="score", factor=0.5, patience=1,
                                                     cooldown=2, min_lr=2e-4)])
    # Logged before each epoch's decision: reduce at epochs 1, 3, 5 (cooldown in between).
    assert history.history["learning_rate"] == pytest.approx(
        [1e-3, 1e-3, 5e-4, 5e-4, 2.5e-4, 2.5e-4, 2e-4])
    with pytest.raises(ValueError, match=r"factor must be in \(0, 1\)"):
        ReduceLROnPlateau(factor=2.0)


# ------------------------------------------------------------------ CSVLogger, TerminateOnNaN
def test_csv_logger_writes_a_row_per_epoch_and_appends(tmp_path):
    x, y = regression_data(samples=8)
    path = tmp_path / "logs" / "train.csv"
    model = linear_model(metrics=["mae"])
    first = model.fit(x, y, epochs=2, validation_data=(x, y), verbose=0,
                      callbacks=[CSVLogger(str(path), separator=";")])
    model.fit(x, y, epochs=1, validation_data=(x, y), verbose=0,
              callbacks=[CSVLogger(str(path), separator=";", append=True)])
    rows = list(csv.reader(open(path), delimiter=";"))
    assert rows[0] == ["epoch", "loss", "mae", "val_loss", "val_mae"]
    assert [r[0] for r in rows[1:]] == ["0", "1", "0"]
    assert float(rows[2][1]) == pytest.approx(first.history["loss"][1], rel=1e-6)
    assert float(rows[3][3]) == pytest.approx(model.history.history["val_loss"][0], rel=1e-6)


def test_terminate_on_nan_stops_after_the_bad_batch(capsys):
    x, y = regression_data()
    y[9] = np.nan                                # the second batch of 8 has a NaN target
    batches = []

    class Count(Callback):
        def on_train_batch_end(self, batch, logs=None):
            batches.append(batch)

    history = linear_model().fit(x, y, epochs=3, batch_size=8, shuffle=False, verbose=0,
                                 callbacks=[TerminateOnNaN(), Count()])
    assert batches == [0, 1] and history.epoch == [0]
    assert math.isnan(history.history["loss"][0])
    assert "Batch 1: Invalid loss, terminating training" in capsys.readouterr().out


def test_early_stopping_says_which_metric_and_patience_stopped_it(capsys):
    model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(1,))])
    model.compile(optimizer=ndgrad.optim.SGD(learning_rate=0.0), loss="mse")
    stopper = ndgrad.callbacks.EarlyStopping(monitor="loss", patience=2, verbose=1,
                                             restore_best_weights=True)
    x = np.ones((4, 1), dtype=np.float32)
    model.fit(x, x, epochs=10, verbose=0, callbacks=[stopper])
    out = capsys.readouterr().out
    assert stopper.stopped_epoch == 2 and stopper.best_epoch == 0
    assert ("Epoch 3: early stopping: loss did not improve for 2 epochs (patience=2); the best "
            "loss was") in out
    assert "at epoch 1" in stopper.stop_reason()
    assert "Restoring model weights from the end of the best epoch: 1." in out
