"""Whole-model saving: .keras round trips, compile settings, user classes, JSON
configs, and archives that are refused before anything is read."""

import json
import os
import pickle
import zipfile

import numpy as np
import pytest

import ndgrad
from ndgrad import layers
from ndgrad.io import CheckpointError, load_model
from ndgrad.keras import models, saving


def _array(value):
    return value.detach().numpy() if isinstance(value, ndgrad.Tensor) else np.asarray(value)


def _functional():
    x = ndgrad.Input((4,), name="features")
    h = layers.Dense(8, activation="relu", name="hidden")(x)
    h = layers.BatchNormalization(name="norm")(h)
    out = layers.Dense(2, name="out")(layers.concatenate([h, x * 2.0]))
    return ndgrad.Model(x, out, name="net")


@pytest.fixture
def path(tmp_path):
    return os.path.join(tmp_path, "model.keras")


def test_functional_round_trip_with_weights_buffers_and_compile(rng, path):
    model = _functional()
    model.compile(optimizer=ndgrad.optim.Adam(learning_rate=0.01), loss="mse",
                  metrics=["mae"])
    data = rng.random((16, 4)).astype(np.float32)
    model.fit(data, rng.random((16, 2)), epochs=2, batch_size=8, verbose=0)
    model.save(path)
    assert sorted(zipfile.ZipFile(path).namelist()) == [
        "config.json", "metadata.json", "model.weights.safetensors"]
    loaded = models.load_model(path)
    assert type(loaded).__name__ == "Functional" and loaded.name == "net"
    assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]
    np.testing.assert_allclose(loaded.predict(data, verbose=0), model.predict(data, verbose=0),
                               rtol=1e-6)
    np.testing.assert_array_equal(loaded.get_layer("norm").moving_mean.numpy(),
                                  model.get_layer("norm").moving_mean.numpy())
    assert type(loaded.optimizer).__name__ == "Adam"
    assert loaded.optimizer.learning_rate == pytest.approx(0.01)
    assert loaded.loss == "mse" and loaded.compiled_metrics == ["mae"]
    loaded.fit(data, rng.random((16, 2)), epochs=1, verbose=0)
    assert load_model(path, compile=False).compiled is False


def test_sequential_and_nested_round_trips(rng, path):
    inner = ndgrad.Sequential([ndgrad.Input((3,)), layers.Dense(4, activation="tanh")],
                              name="inner")
    x = ndgrad.Input((3,))
    model = ndgrad.Model(x, layers.Dense(1)(inner(x)))
    model.save(path)
    loaded = load_model(path)
    data = rng.random((5, 3)).astype(np.float32)
    assert np.allclose(_array(loaded(data)), _array(model(data)))
    assert type(loaded.layers[1]).__name__ == "Sequential"
    sequential = ndgrad.Sequential([layers.Conv1D(2, 3, input_shape=(6, 1)), layers.Flatten(),
                                    layers.Dense(1)])
    sequential.save(path)
    series = rng.random((2, 6, 1)).astype(np.float32)
    assert np.allclose(_array(load_model(path)(series)), _array(sequential(series)))


def test_torch_style_models_save_too(rng, path):
    model = ndgrad.nn.Sequential(ndgrad.nn.Linear(3, 4), ndgrad.nn.ReLU(),
                                 ndgrad.nn.Linear(4, 1))
    model.save(path)
    data = rng.random((2, 3)).astype(np.float32)
    assert np.allclose(_array(load_model(path)(data)), _array(model(data)))


@saving.register_keras_serializable(package="Tests")
class Scale(layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def build(self, input_shape):
        self.offset = self.add_weight("offset", (input_shape[-1],), initializer="ones")

    def call(self, inputs):
        return inputs * self.factor + self.offset


def cube(x):
    return x ** 3


class Unregistered(layers.Layer):
    def call(self, inputs):
        return inputs + 1


def test_user_layers_and_functions(rng, path):
    x = ndgrad.Input((3,))
    y = layers.Lambda(cube)(Scale(3.0)(x))
    model = ndgrad.Model(x, Unregistered()(y))
    model.save(path)
    with pytest.raises(ValueError, match="unknown function 'cube'.*custom_objects"):
        load_model(path)
    with pytest.raises(ValueError, match="unknown class 'Unregistered'.*custom_objects"):
        load_model(path, custom_objects={"cube": cube})
    loaded = load_model(path, custom_objects={"Unregistered": Unregistered, "cube": cube})
    data = rng.random((2, 3)).astype(np.float32)
    assert np.allclose(_array(loaded(data)), _array(model(data)))
    assert type(loaded.layers[1]) is Scale and loaded.layers[1].factor == 3.0


def test_lambdas_are_refused_at_save(path):
    x = ndgrad.Input((2,))
    model = ndgrad.Model(x, layers.Lambda(lambda t: t * 2)(x))
    with pytest.raises(ValueError, match="lambda.*never does.*register_keras_serializable"):
        model.save(path)
    assert not os.path.exists(path)


def test_json_configs(rng):
    model = _functional()
    text = model.to_json()
    assert json.loads(text)["class_name"] == "Functional"
    clone = models.model_from_json(text)
    assert clone.get_config() == model.get_config()
    assert clone.get_layer("hidden") is not model.get_layer("hidden")
    fresh = models.clone_model(model)
    assert fresh.output_shape == (None, 2)
    with pytest.raises(ValueError, match="not valid JSON"):
        models.model_from_json("{oops")


def test_save_checks_the_file_name(path, tmp_path):
    model = ndgrad.Sequential([ndgrad.Input((2,)), layers.Dense(1)])
    with pytest.raises(ValueError, match="does not write HDF5"):
        model.save(os.path.join(tmp_path, "model.h5"))
    with pytest.raises(ValueError, match="must end in '.keras'"):
        model.save(os.path.join(tmp_path, "model"))
    with pytest.raises(ValueError, match="does not write HDF5.*weights.safetensors"):
        model.save_weights(os.path.join(tmp_path, "model.weights.h5"))
    model.save_weights(os.path.join(tmp_path, "model.weights.safetensors"))
    model.save(path)
    with pytest.raises(FileExistsError):
        model.save(path, overwrite=False)


def _rewrite(path, entries):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)


def _entries(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_damaged_or_foreign_archives_are_refused(path, tmp_path):
    ndgrad.Sequential([ndgrad.Input((2,)), layers.Dense(1)]).save(path)
    good = _entries(path)
    cases = [
        (dict(good, **{"../evil.py": b"print(1)"}), "unexpected entries"),
        ({k: v for k, v in good.items() if k != "config.json"}, "no config.json"),
        (dict(good, **{"config.json": b"{not json"}), "not valid JSON"),
        (dict(good, **{"config.json": b"[1, 2]"}), "not a saved model config"),
        (dict(good, **{"model.weights.safetensors": b"garbage"}), "not a valid safetensors"),
        (dict(good, **{"config.json": json.dumps({"class_name": "Sequential", "config": {
            "layers": [{"class_name": "Dense", "config": {"unit": 3}}]}}).encode()}),
         "does not describe a model"),
        (dict(good, **{"config.json": b"[" * 100000 + b"]" * 100000}), "not valid JSON"),
    ]
    for entries, message in cases:
        _rewrite(path, entries)
        with pytest.raises(CheckpointError, match=message):
            load_model(path)
    pickled = os.path.join(tmp_path, "model.pkl.keras")
    with open(pickled, "wb") as file:
        pickle.dump({"a": 1}, file)
    with pytest.raises(CheckpointError, match="pickle"):
        load_model(pickled)
    with open(pickled, "wb") as file:
        file.write(b"\x89HDF\r\n\x1a\n" + bytes(16))
    with pytest.raises(CheckpointError, match="HDF5"):
        load_model(pickled)
    with open(path, "wb") as file:
        file.write(b"PK\x03\x04" + bytes(30))
    with pytest.raises(CheckpointError, match="damaged zip"):
        load_model(path)
    with pytest.raises(CheckpointError, match="no such file"):
        load_model(os.path.join(tmp_path, "missing.keras"))


def test_weights_that_do_not_fit_leave_nothing_loaded(path):
    model = ndgrad.Sequential([ndgrad.Input((2,)), layers.Dense(3, name="d")])
    model.save(path)
    entries = _entries(path)
    config = json.loads(entries["config.json"])
    config["config"]["layers"][1]["config"]["units"] = 4
    entries["config.json"] = json.dumps(config).encode()
    _rewrite(path, entries)
    with pytest.raises(CheckpointError, match="does not fit"):
        load_model(path)


def test_configs_cannot_construct_arbitrary_classes(path):
    ndgrad.Sequential([ndgrad.Input((2,)), layers.Dense(1)]).save(path)
    entries = _entries(path)
    config = json.loads(entries["config.json"])
    config["config"]["layers"][1] = {"module": "ndgrad.training.callbacks",
                                     "class_name": "CSVLogger",
                                     "config": {"filename": "/tmp/owned.csv"}}
    entries["config.json"] = json.dumps(config).encode()
    _rewrite(path, entries)
    with pytest.raises(ValueError, match="unknown class 'CSVLogger'"):
        load_model(path)
