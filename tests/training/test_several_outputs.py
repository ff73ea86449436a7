"""Models with several inputs and outputs: structured data, losses per output
with weights, per-output metrics and loss logs (Keras 3's names)."""

import numpy as np
import pytest

import ndgrad
from ndgrad import keras


class TwoHeads(keras.Model):
    """Two inputs, two outputs (a list, or a dict when ``as_dict``)."""

    def __init__(self, as_dict=False):
        super().__init__()
        self.as_dict = as_dict
        self.left = keras.layers.Dense(4, activation="relu")
        self.right = keras.layers.Dense(4, activation="relu")
        self.classes = keras.layers.Dense(3, activation="softmax")
        self.value = keras.layers.Dense(1)

    def call(self, inputs):
        first, second = inputs
        hidden = ndgrad.concatenate([self.left(first), self.right(second)], axis=-1)
        outputs = [self.classes(hidden), self.value(hidden)]
        return dict(zip(("classes", "value"), outputs)) if self.as_dict else outputs


def data(samples=48):
    rng = np.random.default_rng(0)
    a = rng.normal(size=(samples, 5)).astype(np.float32)
    b = rng.normal(size=(samples, 2)).astype(np.float32)
    labels = (a[:, 0] > 0).astype(np.int64) + (b[:, 0] > 0)
    value = (a[:, :1] + b[:, :1]).astype(np.float32)
    return a, b, labels, value


def test_list_outputs_with_list_losses_weights_and_metrics():
    a, b, labels, value = data()
    model = TwoHeads()
    model.compile(optimizer=keras.optimizers.Adam(0.02),
                  loss=["sparse_categorical_crossentropy", "mse"], loss_weights=[1.0, 0.5],
                  metrics=[["accuracy"], ["mae"]])
    history = model.fit([a, b], [labels, value], epochs=8, batch_size=16, verbose=0)
    assert sorted(history.history) == ["loss", "output_0_accuracy", "output_0_loss",
                                       "output_1_loss", "output_1_mae"]
    logs = history.history
    assert logs["loss"][-1] == pytest.approx(logs["output_0_loss"][-1]
                                             + 0.5 * logs["output_1_loss"][-1], rel=1e-4)
    assert logs["loss"][-1] < logs["loss"][0]
    predictions = model.predict([a, b], verbose=0)
    assert [p.shape for p in predictions] == [(48, 3), (48, 1)]


def test_dict_outputs_losses_and_metrics_by_name():
    a, b, labels, value = data()
    model = TwoHeads(as_dict=True)
    model.compile(optimizer="adam", loss={"classes": "sparse_categorical_crossentropy",
                                          "value": keras.losses.MeanSquaredError()},
                  loss_weights={"value": 2.0, "classes": 1.0},
                  metrics={"classes": "accuracy"})
    result = model.evaluate((a, b), {"classes": labels, "value": value}, verbose=0,
                            return_dict=True)
    assert sorted(result) == ["classes_accuracy", "classes_loss", "loss", "value_loss"]
    assert result["loss"] == pytest.approx(result["classes_loss"] + 2.0 * result["value_loss"],
                                           rel=1e-5)


def test_one_loss_for_every_output_and_validation_split_of_structures():
    a, b, _, value = data()
    model = TwoHeads()
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit([a, b], [np.zeros((48, 3), np.float32), value], epochs=1,
                        validation_split=0.25, batch_size=12, verbose=0)
    assert history.params["steps"] == 3
    assert sorted(history.history) == ["loss", "output_0_loss", "output_1_loss", "val_loss",
                                       "val_output_0_loss", "val_output_1_loss"]


def test_output_names_from_the_model_and_validation_data_lists():
    a, b, labels, value = data()
    model = TwoHeads()
    model.output_names = ["digits", "score"]
    model.compile(optimizer="adam", loss={"digits": "sparse_categorical_crossentropy",
                                          "score": "mse"}, metrics={"score": ["mae"]})
    assert [m.name for m in model.metrics] == ["loss", "digits_loss", "score_loss", "score_mae"]
    history = model.fit([a, b], [labels, value], validation_data=([a, b], [labels, value]),
                        epochs=1, verbose=0)
    assert "val_score_mae" in history.history


def test_structure_mistakes_fail_clearly():
    a, b, labels, value = data()
    model = TwoHeads()
    model.compile(optimizer="adam", loss=["mse"])
    with pytest.raises(ValueError, match="loss has 1 entries for 2 outputs"):
        model.fit([a, b], [labels, value], verbose=0)
    model.compile(optimizer="adam", loss={"nope": "mse"})
    with pytest.raises(ValueError, match="loss names \\['nope'\\], which are not outputs"):
        model.fit([a, b], [labels, value], verbose=0)
    with pytest.raises(ValueError, match="needs the same number of samples"):
        model.fit([a, b[:10]], [labels, value], verbose=0)
    single = keras.Sequential([keras.layers.Dense(1, input_shape=(5,))])
    single.compile(optimizer="sgd", loss=["mse", "mae"])
    with pytest.raises(ValueError, match="the model has one output"):
        single.fit(a, value, verbose=0)
