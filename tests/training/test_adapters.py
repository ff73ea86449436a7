"""fit/evaluate/predict on every kind of input Keras 3 takes: tf.data.Dataset, DataLoader
(both faces), PyDataset, generators and iterables of batches; batch counts as callbacks see
them; the refusals Keras makes."""

import io
import warnings

import numpy as np
import pytest

import ndgrad
import ndgrad.tensorflow as tf
from ndgrad import keras
from ndgrad.training.adapters import describe, make_adapter
from ndgrad.training.callbacks import Callback, ProgressLogger

from .conftest import regression_data


class Steps(Callback):
    """Records the batch indices of each epoch, and the steps fit announced."""

    def __init__(self):
        super().__init__()
        self.epochs, self.announced = [], []

    def on_epoch_begin(self, epoch, logs=None):
        self.epochs.append([])
        self.announced.append(self.params["steps"])

    def on_train_batch_end(self, batch, logs=None):
        self.epochs[-1].append(batch)


def linear_model(features=3, learning_rate=0.05):
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(features,))])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate), loss="mse")
    return model


def test_batched_tf_dataset_is_read_again_every_epoch():
    x, y = regression_data(samples=40)
    data = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(40, seed=1).batch(16)
    model, steps = linear_model(), Steps()
    history = model.fit(data, epochs=3, verbose=0, callbacks=[steps])
    assert steps.epochs == [[0, 1, 2]] * 3 and steps.announced == [3, 3, 3]
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.evaluate(data, verbose=0) == pytest.approx(
        model.evaluate(x, y, verbose=0), rel=1e-5)
    assert model.predict(data.map(lambda xb, yb: xb), verbose=0).shape == (40, 1)


def test_steps_per_epoch_draws_on_from_a_repeated_dataset():
    x = np.arange(10, dtype=np.float32)[:, None].repeat(3, axis=1)
    seen = []

    def record(xb, yb):
        seen.append(int(xb.numpy()[0, 0]))
        return xb, yb

    data = tf.data.Dataset.from_tensor_slices((x, x[:, :1])).batch(2).map(record).repeat()
    model, steps = linear_model(learning_rate=1e-3), Steps()
    model.fit(data, epochs=3, steps_per_epoch=4, verbose=0, callbacks=[steps])
    # One stream: epoch 2 goes on where epoch 1 stopped (Keras), the dataset repeating.
    assert seen == [0, 2, 4, 6, 8, 0, 2, 4, 6, 8, 0, 2]
    assert steps.epochs == [[0, 1, 2, 3]] * 3 and steps.announced == [4, 4, 4]
    with pytest.raises(ValueError, match="never ends.*pass steps_per_epoch"):
        model.fit(data, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="never ends.*pass steps="):
        model.evaluate(data, verbose=0)


def test_several_inputs_as_dicts_and_sample_weights_in_the_batches():
    first = keras.Input(shape=(2,), name="first")
    second = keras.Input(shape=(3,), name="second")
    joined = keras.layers.Concatenate()([first, second])
    model = keras.Model(inputs={"first": first, "second": second},
                        outputs=keras.layers.Dense(1, kernel_initializer="zeros")(joined))
    model.compile(optimizer="sgd", loss="mse")
    inputs = {"first": np.ones((8, 2), np.float32), "second": np.ones((8, 3), np.float32)}
    targets, weights = np.full((8, 1), 2.0, np.float32), np.array([1.0, 0.0] * 4, np.float32)
    data = tf.data.Dataset.from_tensor_slices((inputs, targets, weights)).batch(4)
    logs = model.evaluate(data, verbose=0, return_dict=True)
    # Keras's sum_over_batch_size: (4 * 1 + 4 * 0) / 8 samples = 2.0 with loss 4 per sample.
    assert logs["loss"] == pytest.approx(2.0)
    assert model.fit(data, epochs=2, verbose=0).params["steps"] == 2


def test_validation_data_as_a_dataset_with_validation_steps():
    x, y = regression_data(samples=32)
    validation = tf.data.Dataset.from_tensor_slices((x, y)).batch(4).repeat()

    class CountTests(Callback):
        tests = 0

        def on_test_batch_end(self, batch, logs=None):
            CountTests.tests += 1

    history = linear_model().fit(x, y, batch_size=8, epochs=2, validation_data=validation,
                                 validation_steps=3, verbose=0, callbacks=[CountTests()])
    assert CountTests.tests == 6 and len(history.history["val_loss"]) == 2
    with pytest.raises(ValueError, match="validation_data is a tf.data.Dataset that never "
                                         "ends.*validation_steps"):
        linear_model().fit(x, y, validation_data=validation, verbose=0)


def test_torch_face_and_core_dataloaders():
    import ndgrad.torch as torch
    from ndgrad.torch.utils.data import DataLoader, TensorDataset
    x, y = regression_data(samples=24)
    loader = DataLoader(TensorDataset(torch.tensor(x), torch.tensor(y)), batch_size=5,
                        shuffle=True)
    model, steps = linear_model(), Steps()
    history = model.fit(loader, epochs=2, verbose=0, callbacks=[steps])
    assert steps.epochs == [[0, 1, 2, 3, 4]] * 2
    assert history.history["loss"][1] < history.history["loss"][0]
    assert model.predict(loader, verbose=0).shape == (24, 1)
    with pytest.raises(ValueError, match="batch_size=5 was given, but x is a DataLoader.*own "
                                         "batch_size"):
        model.fit(loader, batch_size=5, verbose=0)


def test_generator_with_steps_per_epoch_and_unknown_length():
    x, y = regression_data(samples=8)

    def forever():
        while True:
            for start in range(0, 8, 4):
                yield x[start:start + 4], y[start:start + 4]

    model, steps = linear_model(), Steps()
    model.fit(forever(), steps_per_epoch=3, epochs=2, verbose=0, callbacks=[steps])
    assert steps.epochs == [[0, 1, 2]] * 2
    # Without steps_per_epoch the first epoch counts the batches; the bar then has a total.
    finite = (batch for batch in [(x[:4], y[:4]), (x[4:], y[4:])])
    steps = Steps()
    history = linear_model().fit(finite, epochs=1, verbose=0, callbacks=[steps])
    assert steps.announced == [None] and history.params["steps"] == 2
    generator = forever()
    assert linear_model().predict((xb for xb, _ in generator), steps=2, verbose=0).shape == (8, 1)


def test_an_exhausted_generator_stops_fit_with_a_clear_warning():
    x, y = regression_data(samples=8)
    once = ((x[i:i + 4], y[i:i + 4]) for i in (0, 4))
    with pytest.warns(UserWarning, match=r"ran out of data: x \(a Python generator\) has no "
                                         r"batches left at the start of epoch 2/3.*cannot "
                                         r"start again.*steps_per_epoch"):
        history = linear_model().fit(once, epochs=3, verbose=0)
    assert history.epoch == [0]
    with pytest.raises(ValueError, match=r"gave no batches \(a generator that was already used"):
        linear_model().evaluate(once, verbose=0)


def test_data_that_runs_out_mid_epoch_ends_the_epoch_with_keras_warning():
    x, y = regression_data(samples=12)
    data = tf.data.Dataset.from_tensor_slices((x, y)).batch(4)
    steps = Steps()
    with pytest.warns(UserWarning, match="gave 1 of the 2 batches.*ran out of data"):
        linear_model().fit(data, steps_per_epoch=2, epochs=3, verbose=0, callbacks=[steps])
    # 3 batches per pass read as one stream: [0, 1] [2 | out] then a new pass [0, 1].
    assert steps.epochs == [[0, 1], [0], [0, 1]]


def test_endless_py_dataset_needs_steps_per_epoch():
    class Endless(keras.utils.PyDataset):
        @property
        def num_batches(self):
            return None

        def __getitem__(self, index):
            return np.full((2, 3), index, np.float32), np.zeros((2, 1), np.float32)

    model, steps = linear_model(learning_rate=1e-3), Steps()
    model.fit(Endless(), steps_per_epoch=2, epochs=2, verbose=0, callbacks=[steps])
    assert steps.epochs == [[0, 1], [0, 1]]
    with pytest.raises(ValueError, match="keras.utils.PyDataset that never ends"):
        model.fit(Endless(), verbose=0)


def test_refusals_name_the_input_and_what_to_do():
    x, y = regression_data(samples=8)
    data = tf.data.Dataset.from_tensor_slices((x, y)).batch(4)
    model = linear_model()
    with pytest.raises(ValueError, match=r"batch_size=4 was given, but x is a tf.data.Dataset, "
                                         r"which yields whole batches.*dataset.batch\(n\)"):
        model.fit(data, batch_size=4, verbose=0)
    with pytest.raises(ValueError, match="x is a Python generator.*leave y as None"):
        model.fit((b for b in [x]), y, verbose=0)
    with pytest.raises(ValueError, match="batch_size=2 was given, but x is a Python generator"):
        model.predict((b for b in [x]), batch_size=2, verbose=0)
    with pytest.raises(TypeError, match="x must be NumPy arrays.*got object"):
        model.fit(object(), verbose=0)
    with pytest.raises(ValueError, match="validation_batch_size=3 was given, but "
                                         "validation_data is a tf.data.Dataset"):
        model.fit(x, y, validation_data=data, validation_batch_size=3, verbose=0)


def test_progress_line_for_an_iterable_of_unknown_length():
    x, y = regression_data(samples=8)
    stream = io.StringIO()
    batches = iter([(x[:4], y[:4]), (x[4:], y[4:])])
    linear_model().fit(batches, epochs=1, verbose=2, callbacks=[ProgressLogger(stream)])
    assert stream.getvalue().startswith("Epoch 1/1 - 2 steps - ")


def test_progress_bar_counts_unknown_steps_then_knows_the_total(monkeypatch):
    pytest.importorskip("tqdm")

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stdout", terminal)
    x, y = regression_data(samples=8)
    data = tf.data.Dataset.from_tensor_slices((x, y)).batch(4).filter(lambda xb, yb: True)
    linear_model().fit(data, epochs=2, verbose=1)
    first, second = terminal.getvalue().split("\n")[:2]
    assert "Epoch 1/2: 2/Unknown" in first and "Epoch 2/2: 2/2 |" in second


def test_describe_and_adapters_for_each_kind():
    x, y = regression_data(samples=4)
    # Keras: arrays with steps_per_epoch and no batch_size cover the data in that many steps.
    assert make_adapter("fit", *regression_data(samples=10), steps=3).loader.batch_size == 4
    assert describe(tf.data.Dataset.range(3)) == "a tf.data.Dataset"
    assert make_adapter("fit", tf.data.Dataset.range(3).filter(lambda v: v > 0)).num_batches \
        is None
    assert make_adapter("fit", x, y).kind == "arrays"
    assert make_adapter("fit", ndgrad.data.TensorDataset(x, y)).kind == "a Dataset"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not make_adapter("fit", tf.data.Dataset.range(3)).one_shot
