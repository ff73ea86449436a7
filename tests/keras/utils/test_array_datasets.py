"""keras.utils.timeseries_dataset_from_array (the Keras docs' examples and the window rules
by hand), split_dataset on every kind of input, and keras.utils.Progbar."""

import io

import numpy as np
import pytest

import ndgrad.tensorflow as tf
from ndgrad import keras
from ndgrad.data import TensorDataset
from ndgrad.keras import utils


def test_keras_docs_first_example():
    data = np.arange(100)
    dataset = utils.timeseries_dataset_from_array(data[:-10], data[10:], sequence_length=10)
    inputs, targets = next(iter(dataset))
    assert inputs.shape == (81, 10) and inputs[0].tolist() == list(range(10))
    assert int(targets[0]) == 10 and int(targets[-1]) == 90


def test_keras_docs_second_example_sampling_rate_and_stride():
    steps = np.arange(100)
    sampled = utils.timeseries_dataset_from_array(steps, None, sequence_length=5,
                                                  sampling_rate=2, sequence_stride=3,
                                                  batch_size=None)
    windows = [w.tolist() for w in sampled]
    assert windows[0] == [0, 2, 4, 6, 8] and windows[1] == [3, 5, 7, 9, 11]
    assert windows[-1][-1] <= 99 and len(windows) == len(range(0, 100 - 8, 3))


def test_start_end_shuffle_and_batches():
    data = np.arange(50).reshape(25, 2).astype(np.float64)
    targets = np.arange(25) * 100
    dataset = utils.timeseries_dataset_from_array(data, targets, 4, start_index=5, end_index=20,
                                                  batch_size=5)
    inputs, labels = (np.concatenate(part) for part in zip(*[(x.numpy(), y.numpy())
                                                              for x, y in dataset]))
    assert inputs.dtype == np.float64 and len(inputs) == 20 - 5 - 3     # the data's dtype
    np.testing.assert_array_equal(inputs[0], data[5:9])
    assert labels.tolist() == [100 * (5 + i) for i in range(12)]
    shuffled = utils.timeseries_dataset_from_array(data, targets, 4, shuffle=True, seed=2,
                                                   batch_size=None)
    again = utils.timeseries_dataset_from_array(data, targets, 4, shuffle=True, seed=2,
                                                batch_size=None)
    firsts = [int(y) for _, y in shuffled]
    assert sorted(firsts) == [100 * i for i in range(22)] and firsts != sorted(firsts)
    assert sorted(int(y) for _, y in again) == sorted(firsts)
    for x, y in shuffled:
        np.testing.assert_array_equal(x.numpy()[:, 0], data[int(y) // 100:int(y) // 100 + 4, 0])
    with pytest.raises(ValueError, match="sequence_stride must be a positive int"):
        utils.timeseries_dataset_from_array(data, None, 3, sequence_stride=0)
    with pytest.raises(ValueError, match=r"end_index=30 must be above start_index"):
        utils.timeseries_dataset_from_array(data, None, 3, end_index=30)


def test_a_recurrent_model_trains_on_windows():
    keras.utils.set_random_seed(0)
    series = np.sin(np.arange(200) * 0.2).astype(np.float32)[:, None]
    train = utils.timeseries_dataset_from_array(series[:-5], series[5:], sequence_length=5,
                                                batch_size=32)
    model = keras.Sequential([keras.Input((5, 1)), keras.layers.LSTM(8),
                              keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="mse")
    history = model.fit(train, epochs=5, verbose=0)
    assert history.params["steps"] == 6                  # 191 windows in batches of 32
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]


@pytest.mark.parametrize("make", [
    lambda x, y: (x, y),
    lambda x, y: [x, y],
    lambda x, y: TensorDataset(x, y),
    lambda x, y: tf.data.Dataset.from_tensor_slices((x, y)),
], ids=["tuple", "list", "Dataset", "tf.data"])
def test_split_dataset_inputs(make):
    x, y = np.arange(10, dtype=np.float32)[:, None], np.arange(10)
    left, right = utils.split_dataset(make(x, y), right_size=0.3, shuffle=True, seed=4)
    assert (len(left), len(right)) == (7, 3)
    rows = [int(a[0]) for a, b in left] + [int(a[0]) for a, b in right]
    assert sorted(rows) == list(range(10))
    assert all(int(a[0]) == int(b) for a, b in left)
    batched = left.batch(4)
    assert [tuple(a.shape) for a, _ in batched] == [(4, 1), (3, 1)]


def test_split_dataset_half_and_half_and_refusals():
    left, right = utils.split_dataset(np.arange(5.0))          # round(2.5) is 2, as in Keras
    assert [float(v) for v in left] == [0.0, 1.0] and [float(v) for v in right] == [2.0, 3.0, 4.0]
    with pytest.raises(ValueError, match="a float left_size must be in"):
        utils.split_dataset(np.arange(5.0), left_size=1.5)
    with pytest.raises(TypeError, match="dataset must be an array"):
        utils.split_dataset(object())


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_progbar_lines_and_averages():
    quiet = io.StringIO()
    bar = utils.Progbar(4, verbose=2, stream=quiet, stateful_metrics=["lr"])
    bar.update(1, [("loss", 4.0), ("lr", 0.1)])
    bar.update(3, [("loss", 1.0), ("lr", 0.05)])       # covers 2 steps: weight 2
    bar.add(1, [("loss", 2.0)])
    line = quiet.getvalue()
    assert line.count("\n") == 1 and line.startswith("4/4 " + "━" * 20)
    assert line.rstrip().endswith("loss: 2.0000 - lr: 0.0500")   # (4 + 2 + 2) / 4
    terminal = FakeTerminal()
    live = utils.Progbar(2, stream=terminal, interval=0)
    live.update(1, [("loss", 1.0)])
    live.update(2, [("loss", 3.0)])
    frames = terminal.getvalue().split("\r")[1:]
    assert len(frames) == 2 and frames[0].startswith("1/2 " + "━" * 10 + " " * 10)
    assert frames[1].endswith("loss: 2.0000\n")
    unknown = io.StringIO()
    utils.Progbar(None, verbose=2, stream=unknown).update(7, finalize=True)
    assert unknown.getvalue().lstrip().startswith("7/Unknown")
    silent = io.StringIO()
    utils.Progbar(1, verbose=0, stream=silent).update(1, [("loss", 1.0)])
    assert silent.getvalue() == ""
