"""Ctrl-C during fit stops at a batch boundary and leaves model and checkpoint intact."""

import os
import signal

import numpy as np
import pytest

import ndgrad
from ndgrad.training import Callback, ModelCheckpoint

from .conftest import regression_data


class PressCtrlC(Callback):
    """Sends SIGINT to this process after a given batch of a given epoch."""

    def __init__(self, epoch, batch):
        super().__init__()
        self.when = (epoch, batch)
        self.epoch = None
        self.weights_after_step = None
        self.batches = []

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        self.batches.append((self.epoch, batch))
        if (self.epoch, batch) == self.when:
            self.weights_after_step = self.model.get_weights()
            os.kill(os.getpid(), signal.SIGINT)


class Ends(Callback):
    def on_train_end(self, logs=None):
        self.called = True


def test_ctrl_c_stops_after_the_batch_and_returns_the_history(tmp_path, capsys):
    pytest.importorskip("safetensors")
    x, y = regression_data()
    model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(3,))])
    model.compile(optimizer="adam", loss="mse")
    path = str(tmp_path / "last.safetensors")
    press, ends = PressCtrlC(epoch=2, batch=1), Ends()
    before = signal.getsignal(signal.SIGINT)
    history = model.fit(x, y, epochs=10, batch_size=8, verbose=2,
                        callbacks=[ModelCheckpoint(path, monitor="loss"), press, ends])
    assert signal.getsignal(signal.SIGINT) == before          # the old handler is back
    assert history.epoch == [0, 1] and history.interrupted and ends.called
    assert press.batches[-1] == (2, 1)                         # no batch after the signal
    for now, then in zip(model.get_weights(), press.weights_after_step):
        np.testing.assert_array_equal(now, then)
    out = capsys.readouterr().out
    assert "Training interrupted (Ctrl-C) after 2 complete epochs" in out
    assert out.count("Epoch ") == 2
    restored = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(3,))])
    assert ndgrad.io.load_checkpoint(path, restored)["epoch"] == 2


def test_fit_can_run_again_after_an_interrupt():
    x, y = regression_data()
    model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, epochs=3, verbose=0, callbacks=[PressCtrlC(epoch=0, batch=0)])
    history = model.fit(x, y, epochs=2, verbose=0)
    assert history.epoch == [0, 1] and not history.interrupted


def test_ctrl_c_outside_fit_still_raises():
    x, y = regression_data()
    model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse")
    original = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        model.fit(x, y, epochs=1, verbose=0)
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
    finally:
        signal.signal(signal.SIGINT, original)
