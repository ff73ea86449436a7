"""compile/fit/evaluate for models with several outputs: losses and loss weights as
lists or dicts, per-output logs and metrics."""

import numpy as np
import pytest

import ndgrad
from ndgrad import layers


def _model():
    x = ndgrad.Input((3,), name="x")
    first = layers.Dense(1, name="first", kernel_initializer="ones")(x)
    second = layers.Dense(2, name="second", kernel_initializer="ones")(x)
    return ndgrad.Model(x, [first, second])


def _data(rng):
    return (rng.random((8, 3)).astype(np.float32),
            [rng.random((8, 1)).astype(np.float32), rng.random((8, 2)).astype(np.float32)])


def _by_hand(model, x, targets, weights):
    first, second = (p.numpy() for p in model(x))
    mse = float(np.mean((first - targets[0]) ** 2))
    mae = float(np.mean(np.abs(second - targets[1])))
    return mse, mae, weights[0] * mse + weights[1] * mae


def test_list_losses_with_weights(rng):
    model = _model()
    x, y = _data(rng)
    model.compile(optimizer="sgd", loss=["mse", "mae"], loss_weights=[2.0, 0.5])
    mse, mae, total = _by_hand(model, x, y, (2.0, 0.5))
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert logs == pytest.approx({"loss": total, "first_loss": mse, "second_loss": mae},
                                 rel=1e-5)
    assert model.evaluate(x, y, verbose=0) == pytest.approx([total, mse, mae], rel=1e-5)
    assert model.metrics_names == ["loss", "first_loss", "second_loss"]


def test_dict_losses_and_targets_by_output_name(rng):
    model = _model()
    x, y = _data(rng)
    model.compile(optimizer="sgd", loss={"second": "mae", "first": "mse"},
                  loss_weights={"first": 1.0, "second": 3.0})
    mse, mae, total = _by_hand(model, x, y, (1.0, 3.0))
    logs = model.evaluate(x, {"first": y[0], "second": y[1]}, verbose=0, return_dict=True)
    assert logs["loss"] == pytest.approx(total, rel=1e-5)
    history = model.fit(x, {"first": y[0], "second": y[1]}, epochs=3, batch_size=4, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_one_loss_for_every_output_and_per_output_metrics(rng):
    model = _model()
    x, y = _data(rng)
    model.compile(optimizer="sgd", loss="mse", metrics={"second": ["mae"]})
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    first, second = (p.numpy() for p in model(x))
    assert logs["loss"] == pytest.approx(np.mean((first - y[0]) ** 2)
                                         + np.mean((second - y[1]) ** 2), rel=1e-5)
    assert logs["second_mae"] == pytest.approx(np.mean(np.abs(second - y[1])), rel=1e-5)
    assert sorted(logs) == ["first_loss", "loss", "second_loss", "second_mae"]
    model.compile(optimizer="sgd", loss=["mse", "mse"], metrics=[["mae"], ["mse"]])
    logs = model.train_on_batch(x, y, return_dict=True)
    assert {"first_mae", "second_mse"} <= set(logs)


def test_dict_outputs_are_named_by_their_keys(rng):
    x = ndgrad.Input((3,))
    model = ndgrad.Model(x, {"score": layers.Dense(1)(x), "probs": layers.Dense(2)(x)})
    model.compile(optimizer="sgd", loss={"score": "mse", "probs": "mse"})
    data, targets = _data(rng)
    logs = model.train_on_batch(data, {"score": targets[0], "probs": targets[1]},
                                return_dict=True)
    assert sorted(logs) == ["loss", "probs_loss", "score_loss"]
    predictions = model.predict(data, verbose=0)
    assert sorted(predictions) == ["probs", "score"] and predictions["probs"].shape == (8, 2)


def test_errors_name_the_outputs(rng):
    model = _model()
    with pytest.raises(ValueError, match="loss has 3 entries.*2 outputs"):
        model.compile(optimizer="sgd", loss=["mse", "mse", "mse"])
    with pytest.raises(ValueError, match="'third'"):
        model.compile(optimizer="sgd", loss={"third": "mse"})
    model.compile(optimizer="sgd", loss=["mse", "mse"])
    x, y = _data(rng)
    with pytest.raises(ValueError, match="'second'.*no target in y"):
        model.train_on_batch(x, [y[0]])


def test_accuracy_follows_each_output_loss(rng):
    x = ndgrad.Input((3,))
    model = ndgrad.Model(x, [layers.Dense(4, activation="softmax", name="kind")(x),
                             layers.Dense(1, activation="sigmoid", name="flag")(x)])
    model.compile(optimizer="sgd", loss=["sparse_categorical_crossentropy",
                                         "binary_crossentropy"],
                  metrics={"kind": "accuracy", "flag": ["accuracy"]})
    data = rng.random((6, 3)).astype(np.float32)
    kinds, flags = rng.integers(0, 4, 6), rng.integers(0, 2, (6, 1)).astype(np.float32)
    logs = model.evaluate(data, [kinds, flags], verbose=0, return_dict=True)
    probabilities, flag = (p.numpy() for p in model(data))
    assert logs["kind_accuracy"] == pytest.approx(np.mean(probabilities.argmax(1) == kinds))
    assert logs["flag_accuracy"] == pytest.approx(np.mean((flag > 0.5) == (flags > 0.5)))
