"""fit / evaluate / predict on real data and on the inputs they accept."""

import numpy as np
import pytest

import ndgrad
import ndgrad.training     # noqa: F401  (ndgrad.training.Callback below, before any compile)
from ndgrad.data import DataLoader, TensorDataset

from .conftest import regression_data, small_mlp


def compiled_mlp(learning_rate=0.01, metrics=("accuracy",)):
    model = small_mlp()
    model.compile(optimizer=ndgrad.optim.Adam(learning_rate), metrics=list(metrics),
                  loss="sparse_categorical_crossentropy")
    return model


def test_mlp_on_digits_reaches_95_percent_test_accuracy(digits):
    (x_train, y_train), (x_test, y_test) = digits
    model = compiled_mlp()
    history = model.fit(x_train, y_train, epochs=8, batch_size=32, verbose=0,
                        validation_data=(x_test, y_test))
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    assert accuracy >= 0.95
    assert history.history["loss"][-1] < history.history["loss"][0] / 4
    assert history.history["val_accuracy"][-1] == pytest.approx(accuracy)
    predictions = model.predict(x_test, verbose=0)
    assert isinstance(predictions, np.ndarray) and predictions.shape == (len(x_test), 10)
    assert predictions.dtype == np.float32
    assert np.mean(predictions.argmax(axis=1) == y_test) == pytest.approx(accuracy)


def test_history_lists_params_and_epochs(digits):
    (x_train, y_train), _ = digits
    history = compiled_mlp().fit(x_train[:200], y_train[:200], epochs=3, batch_size=64,
                                 verbose=0)
    assert history.epoch == [0, 1, 2]
    assert history.params == {"verbose": 0, "epochs": 3, "steps": 4}
    assert sorted(history.history) == ["accuracy", "loss"]
    assert all(isinstance(v, float) for v in history.history["loss"])


def test_evaluate_returns_float_list_or_dict():
    x, y = regression_data()
    model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse")
    assert isinstance(model.evaluate(x, y, verbose=0), float)
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    assert len(model.evaluate(x, y, verbose=0)) == 2
    result = model.evaluate(x, y, verbose=0, return_dict=True)
    assert list(result) == ["loss", "mae"] == model.metrics_names


def test_evaluate_weights_the_last_smaller_batch_by_its_size():
    x, y = regression_data(samples=10)
    model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    expected = np.mean((model.predict(x, verbose=0) - y) ** 2)
    logs = model.evaluate(x, y, batch_size=4, verbose=0, return_dict=True)
    assert logs["loss"] == pytest.approx(expected, rel=1e-5)


def test_validation_split_keeps_the_last_samples_for_validation():
    x, y = regression_data(samples=20)
    model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(3,))])
    model.compile(optimizer=ndgrad.optim.SGD(learning_rate=0.0), loss="mse")
    history = model.fit(x, y, epochs=1, batch_size=4, validation_split=0.25, verbose=0)
    assert history.params["steps"] == 4          # 15 training samples
    expected = model.evaluate(x[15:], y[15:], verbose=0)
    assert history.history["val_loss"][0] == pytest.approx(expected)


def test_validation_split_refuses_a_dataloader_and_bad_fractions():
    x, y = regression_data()
    model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse")
    loader = DataLoader(TensorDataset(x, y), batch_size=8)
    with pytest.raises(ValueError, match="validation_split needs arrays"):
        model.fit(loader, validation_split=0.2, verbose=0)
    with pytest.raises(ValueError, match=r"validation_split must be a number in \[0, 1\)"):
        model.fit(x, y, validation_split=1.5, verbose=0)


def test_fit_accepts_tensors_datasets_and_dataloaders():
    x, y = regression_data()
    for data, batch_size in (([ndgrad.tensor(x), ndgrad.tensor(y)], 8),
                             ([TensorDataset(x, y)], 8),
                             ([DataLoader(TensorDataset(x, y), batch_size=8, shuffle=True,
                                          seed=1)], None)):
        model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(3,))])
        model.compile(optimizer=ndgrad.optim.SGD(learning_rate=0.05), loss="mse")
        history = model.fit(*data, epochs=3, batch_size=batch_size, verbose=0)
        assert history.params["steps"] == 4
        assert history.history["loss"][-1] < history.history["loss"][0]


def test_float64_arrays_train_a_float32_model():
    x, y = regression_data()
    model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x.astype(np.float64), y.astype(np.float64), epochs=1, verbose=0)
    assert model.layers[0].kernel.dtype == np.float32
    assert model.predict(x.astype(np.float64), verbose=0).dtype == np.float32


def test_initial_epoch_runs_the_remaining_epochs_and_sets_the_loader_epoch():
    x, y = regression_data()
    loader = DataLoader(TensorDataset(x, y), batch_size=8, shuffle=True, seed=3)
    seen = []

    class Orders(ndgrad.training.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            seen.append((epoch, loader.epoch))

    model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(loader, epochs=5, initial_epoch=3, verbose=0, callbacks=[Orders()])
    assert history.epoch == [3, 4]
    assert seen == [(3, 3), (4, 4)]


def test_same_seed_same_training():
    x, y = regression_data()
    weights = []
    for _ in range(2):
        ndgrad.random.seed(7)
        model = ndgrad.Sequential([ndgrad.layers.Dense(4, input_shape=(3,)),
                                   ndgrad.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, y, epochs=2, batch_size=5, verbose=0)
        weights.append(model.get_weights())
    for first, second in zip(*weights):
        np.testing.assert_array_equal(first, second)


def test_sample_weight_scales_each_sample_as_keras():
    x, y = regression_data(samples=8)
    model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse")
    weights = np.array([1, 1, 1, 1, 0, 0, 0, 0], np.float32)
    weighted = model.evaluate(x, y, sample_weight=weights, verbose=0, batch_size=8)
    per_sample = ((model.predict(x, verbose=0) - y) ** 2)[:, 0]
    # Keras's "sum_over_batch_size": the weighted sum divided by the batch size.
    assert weighted == pytest.approx(np.sum(weights * per_sample) / 8, rel=1e-5)


def test_predict_runs_in_inference_mode_and_fit_in_training_mode():
    modes = []

    class Probe(ndgrad.layers.Layer):
        def call(self, inputs, training=None):
            modes.append(training)
            return inputs

    model = ndgrad.Sequential([ndgrad.layers.Dense(2, input_shape=(3,)), Probe(),
                               ndgrad.layers.Dropout(0.5)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.ones((6, 3), np.float32)
    modes.clear()
    model.fit(x, np.ones((6, 2), np.float32), epochs=1, batch_size=6, verbose=0)
    assert modes == [True]
    modes.clear()
    first = model.predict(x, verbose=0)
    np.testing.assert_array_equal(first, model.predict(x, verbose=0))   # no dropout
    model.evaluate(x, np.ones((6, 2), np.float32), verbose=0)
    assert modes == [False, False, False]
    assert model.training        # the model's own mode flag is left alone


def test_predict_records_no_graph():
    model = ndgrad.Sequential([ndgrad.nn.Linear(3, 2)])
    outputs = []

    class Keep(ndgrad.training.Callback):
        def on_predict_batch_end(self, batch, logs=None):
            outputs.append(logs["outputs"])

    model.predict(np.ones((4, 3), np.float32), batch_size=2, verbose=0, callbacks=[Keep()])
    assert len(outputs) == 2 and all(isinstance(o, np.ndarray) for o in outputs)
    assert model[0].weight.grad is None


def test_train_on_batch_and_test_on_batch_report_this_batch_only():
    x, y = regression_data(samples=8)
    model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(3,))])
    model.compile(optimizer=ndgrad.optim.SGD(learning_rate=0.0), loss="mse", metrics=["mae"])
    first = model.test_on_batch(x[:4], y[:4], return_dict=True)
    second = model.test_on_batch(x[4:], y[4:], return_dict=True)
    assert second["loss"] == pytest.approx(float(np.mean((model.predict(x[4:], verbose=0)
                                                          - y[4:]) ** 2)), rel=1e-5)
    assert first != second
    before = model.get_weights()
    model.compile(optimizer=ndgrad.optim.SGD(learning_rate=0.1), loss="mse")
    loss = model.train_on_batch(x, y)
    assert isinstance(loss, float)
    assert not np.array_equal(before[0], model.get_weights()[0])


def test_custom_train_step_is_used_by_fit():
    x, y = regression_data()

    class HalfSteps(ndgrad.Model):
        def __init__(self):
            super().__init__()
            self.dense = ndgrad.layers.Dense(1)
            self.tracker = None

        def call(self, inputs, training=None):
            return self.dense(inputs)

        def train_step(self, batch):
            inputs, targets = batch
            with ndgrad.GradientTape() as tape:
                loss = ndgrad.mean(ndgrad.square(self(inputs, training=True) - targets))
            variables = self.trainable_variables
            gradients = tape.gradient(loss, variables)
            self.optimizer.apply_gradients(zip(gradients, variables))
            return {"custom_loss": loss, "batch_size": inputs.shape[0]}

    model = HalfSteps()
    model.compile(optimizer=ndgrad.optim.SGD(learning_rate=0.05))
    history = model.fit(x, y, epochs=4, batch_size=10, verbose=0)
    assert sorted(history.history) == ["batch_size", "custom_loss"]
    assert history.history["batch_size"] == [2.0] * 4           # the last batch's logs
    assert history.history["custom_loss"][-1] < history.history["custom_loss"][0]


def test_pytorch_face_model_and_loss_module_train_with_fit(digits):
    (x_train, y_train), (x_test, y_test) = digits
    model = ndgrad.nn.Sequential(ndgrad.nn.Linear(64, 64), ndgrad.nn.ReLU(),
                                 ndgrad.nn.Linear(64, 10))
    model.compile(optimizer=ndgrad.optim.Adam(model.parameters(), lr=0.01),
                  loss=ndgrad.nn.CrossEntropyLoss(), metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=5, verbose=0)
    assert model.evaluate(x_test, y_test, verbose=0, return_dict=True)["accuracy"] >= 0.93


def test_freezing_a_layer_mid_fit_stops_its_updates():
    x, y = regression_data()
    model = ndgrad.Sequential([ndgrad.layers.Dense(4, input_shape=(3,)),
                               ndgrad.layers.Dense(1)])
    model.compile(optimizer=ndgrad.optim.SGD(learning_rate=0.01, momentum=0.9), loss="mse")
    snapshots = {}

    class FreezeAfterFirstEpoch(ndgrad.training.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 0:
                self.model.layers[0].trainable = False
                snapshots["frozen"] = self.model.layers[0].kernel.numpy().copy()
                snapshots["head"] = self.model.layers[1].kernel.numpy().copy()

    model.fit(x, y, epochs=3, batch_size=8, verbose=0, callbacks=[FreezeAfterFirstEpoch()])
    np.testing.assert_array_equal(model.layers[0].kernel.numpy(), snapshots["frozen"])
    assert not np.array_equal(model.layers[1].kernel.numpy(), snapshots["head"])


def test_stop_training_set_by_a_callback_ends_fit_after_that_batch():
    x, y = regression_data()
    batches = []

    class StopAtThird(ndgrad.training.Callback):
        def on_train_batch_end(self, batch, logs=None):
            batches.append(batch)
            if batch == 2:
                self.model.stop_training = True

    model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, y, epochs=4, batch_size=4, verbose=0, callbacks=[StopAtThird()])
    assert batches == [0, 1, 2] and history.epoch == [0]


def test_errors_name_the_function_and_the_fix():
    x, y = regression_data()
    model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(3,))])
    with pytest.raises(RuntimeError, match="fit: the model is not compiled"):
        model.fit(x, y)
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match=r"fit: x, y .* same number of samples.*\(32, 3\)"):
        model.fit(x, y[:5], verbose=0)
    with pytest.raises(ValueError, match="no targets"):
        model.fit(x, verbose=0)
    with pytest.raises(ValueError, match="batch_size must be a positive int"):
        model.fit(x, y, batch_size=0)
    with pytest.raises(ValueError, match="leave y and sample_weight as None"):
        model.fit(TensorDataset(x, y), y)
    with pytest.raises(ValueError, match="verbose must be"):
        model.fit(x, y, verbose=3)
    with pytest.raises(ValueError, match="metrics.get: unknown metric 'acuracy'"):
        model.compile(optimizer="sgd", loss="mse", metrics=["acuracy"])
    assert model.compiled_metrics == []     # the failed compile changed nothing


def test_custom_metrics_listed_in_the_metrics_property_are_reset_each_epoch():
    x, y = regression_data()

    class Tracked(ndgrad.Model):
        def __init__(self):
            super().__init__()
            self.dense = ndgrad.layers.Dense(1)
            self.seen = ndgrad.training.metrics.Mean(name="seen")

        def call(self, inputs, training=None):
            return self.dense(inputs)

        @property
        def metrics(self):
            return [self.seen]

        def train_step(self, batch):
            inputs, _ = batch
            self.seen.update_state(np.ones(inputs.shape[0]), sample_weight=1.0)
            return {"seen": self.seen.count}

    model = Tracked()
    model.compile(optimizer="sgd")
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert history.history["seen"] == [32.0, 32.0]


def test_a_loss_module_refuses_sample_weight_clearly():
    x, y = regression_data(samples=4)
    model = ndgrad.Sequential([ndgrad.nn.Linear(3, 1)])
    model.compile(optimizer="sgd", loss=ndgrad.nn.MSELoss())
    with pytest.raises(ValueError, match="MSELoss .* takes no sample_weight"):
        model.fit(x, y, sample_weight=np.ones(4), verbose=0)


def test_fit_in_a_worker_thread_leaves_signals_alone():
    import threading
    x, y = regression_data()
    model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse")
    results = []
    worker = threading.Thread(target=lambda: results.append(model.fit(x, y, epochs=2,
                                                                      verbose=0)))
    worker.start()
    worker.join()
    assert results[0].epoch == [0, 1]
