"""What fit, evaluate and predict print, and History.plot."""

import re
import sys

import numpy as np
import pytest

import ndgrad

from .conftest import regression_data

EPOCH_LINE = re.compile(r"^Epoch (\d+)/(\d+) - (\d+) steps? - [\d.]+m?s - loss: \d+\.\d{4}"
                        r"( - mae: \d+\.\d{4})?( - val_loss: \d+\.\d{4} - val_mae: \d+\.\d{4})?$")


def trained(epochs=2, verbose=1, **options):
    x, y = regression_data(samples=20)
    model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    history = model.fit(x, y, epochs=epochs, batch_size=8, verbose=verbose, **options)
    return model, history, x, y


def test_verbose_1_off_a_terminal_prints_one_line_per_epoch(capsys):
    trained(epochs=3, validation_split=0.2)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    for number, line in enumerate(lines, start=1):
        match = EPOCH_LINE.match(line)
        assert match, line
        assert match.group(1, 2, 3) == (str(number), "3", "2")
        assert match.group(4) and match.group(5)


def test_verbose_2_prints_lines_and_verbose_0_prints_nothing(capsys):
    trained(epochs=2, verbose=2)
    assert [bool(EPOCH_LINE.match(line)) for line in capsys.readouterr().out.splitlines()] \
        == [True, True]
    model, _, x, y = trained(epochs=2, verbose=0)
    model.evaluate(x, y, verbose=0)
    model.predict(x, verbose=0)
    assert capsys.readouterr().out == ""


def test_evaluate_and_predict_print_one_line(capsys):
    model, _, x, y = trained(verbose=0)
    model.evaluate(x, y, batch_size=8, verbose=1)
    model.predict(x, batch_size=20, verbose=2)
    evaluate_line, predict_line = capsys.readouterr().out.splitlines()
    assert re.match(r"^3 steps - [\d.]+m?s - loss: \d+\.\d{4} - mae: \d+\.\d{4}$", evaluate_line)
    assert re.match(r"^1 step - [\d.]+m?s$", predict_line)


def test_a_terminal_gets_a_tqdm_bar_with_time_per_step(capsys, monkeypatch):
    pytest.importorskip("tqdm")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    trained(epochs=2)
    out = capsys.readouterr().out
    final = [part.strip() for part in out.replace("\r", "\n").splitlines() if part.strip()]
    epoch_2 = [line for line in final if line.startswith("Epoch 2/2: 3/3")][-1]
    assert re.search(r"s/step", epoch_2), epoch_2
    assert re.search(r"loss: \d+\.\d{4} - mae: \d+\.\d{4}", epoch_2), epoch_2


def test_without_tqdm_a_terminal_gets_lines(capsys, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setitem(sys.modules, "tqdm", None)           # import tqdm fails
    trained(epochs=2)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(EPOCH_LINE.match(line) for line in lines)


def test_history_plot_writes_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    _, history, _, _ = trained(epochs=3, verbose=0, validation_split=0.2)
    path = history.plot(str(tmp_path / "runs" / "curves.png"))
    assert path == str(tmp_path / "runs" / "curves.png")
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 1000
    width, height = np.frombuffer(data[16:24], dtype=">u4")
    assert width > 2 * height            # two panels side by side: loss and mae


def test_history_plot_of_nothing_says_so(tmp_path):
    pytest.importorskip("matplotlib")
    with pytest.raises(ValueError, match="nothing to plot"):
        ndgrad.training.History().plot(str(tmp_path / "empty.png"))
    assert not (tmp_path / "empty.png").exists()


def test_history_plot_without_matplotlib_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.backends.backend_agg", None)
    history = ndgrad.training.History()
    history.history, history.epoch = {"loss": [1.0]}, [0]
    with pytest.raises(ImportError, match=r"pip install ndgrad\[train\]"):
        history.plot(str(tmp_path / "curves.png"))


def _screen(out):
    """The lines a terminal shows after ``out``: each carriage return starts the
    line over (tqdm pads with spaces to erase longer text), and every piece written
    must fit the width (a longer one would wrap and leave debris)."""
    lines, pieces = [], []
    for line in out.split("\n"):
        parts = line.split("\r")
        pieces += parts
        lines.append(parts[-1].rstrip())
    return lines, pieces


def _classifier_fit(epochs=2):
    generator = np.random.default_rng(0)
    x = generator.normal(size=(40, 4)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)
    model = ndgrad.Sequential([ndgrad.layers.Dense(2, activation="softmax", input_shape=(4,))])
    model.compile(optimizer=ndgrad.optim.SGD(learning_rate=0.001),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    schedule = ndgrad.training.callbacks.LearningRateScheduler(lambda epoch, rate: rate)
    return model.fit(x, y, epochs=epochs, batch_size=8, validation_split=0.25,
                     callbacks=[schedule], verbose=1)


@pytest.mark.parametrize("width", [60, 80, 120, 200])
def test_every_metric_appears_in_full_at_any_terminal_width(width, capsys, monkeypatch):
    pytest.importorskip("tqdm")
    import os
    import shutil
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(shutil, "get_terminal_size",
                        lambda fallback=(80, 24): os.terminal_size((width, 24)))
    history = _classifier_fit()
    lines, pieces = _screen(capsys.readouterr().out)
    assert max(len(piece.rstrip()) for piece in pieces) <= width, pieces
    screen = "\n".join(lines)
    from ndgrad.training.callbacks.progress import format_value
    for name in ("loss", "accuracy", "val_loss", "val_accuracy", "learning_rate"):
        for value in history.history[name]:
            assert f"{name}: {format_value(value)}" in screen, (name, screen)
    for epoch in (1, 2):                      # each epoch's metrics stay under its own line
        start = next(i for i, line in enumerate(lines) if line.startswith(f"Epoch {epoch}/2"))
        block = "\n".join(lines[start:start + 4])
        value = format_value(history.history["val_accuracy"][epoch - 1])
        assert f"val_accuracy: {value}" in block
    if width >= 200:                          # wide enough: one line per epoch, with a bar
        assert all("|" in line for line in lines if line.startswith("Epoch "))
        assert not any(line.startswith("    ") for line in lines)


def test_the_bar_goes_before_any_number(capsys, monkeypatch):
    pytest.importorskip("tqdm")
    import os
    import shutil
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(shutil, "get_terminal_size",
                        lambda fallback=(80, 24): os.terminal_size((60, 24)))
    _classifier_fit(epochs=1)
    lines, _ = _screen(capsys.readouterr().out)
    epoch_line = next(line for line in lines if line.startswith("Epoch 1/1"))
    assert "|" not in epoch_line and "loss: " in epoch_line
    assert lines[lines.index(epoch_line) + 1].startswith("    ")      # continuation


def test_piped_output_is_one_line_per_epoch_at_any_width(capsys, monkeypatch):
    import os
    import shutil
    monkeypatch.setattr(shutil, "get_terminal_size",
                        lambda fallback=(80, 24): os.terminal_size((40, 24)))
    history = _classifier_fit()
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all("val_accuracy: " in line and "learning_rate: " in line
                                   for line in lines)
    assert len(lines[0]) > 40 and history.history["learning_rate"]
