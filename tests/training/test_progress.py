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
