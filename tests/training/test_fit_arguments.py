"""Keras 3's fit/evaluate/predict arguments: class_weight, steps_per_epoch,
validation_steps/_batch_size/_freq, steps; ModelCheckpoint to a .keras file."""

import os

import numpy as np
import pytest

import ndgrad
from ndgrad.training.callbacks import Callback, ModelCheckpoint


def model_and_data(samples=12):
    model = ndgrad.Sequential([ndgrad.layers.Dense(2, input_shape=(3,), activation="softmax",
                                                   kernel_initializer="zeros")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    x = np.ones((samples, 3), np.float32)
    y = np.array([0, 1] * (samples // 2))
    return model, x, y


class CountBatches(Callback):
    def __init__(self):
        super().__init__()
        self.train, self.test = 0, 0

    def on_train_batch_end(self, batch, logs=None):
        self.train += 1

    def on_test_batch_end(self, batch, logs=None):
        self.test += 1


def test_class_weight_scales_each_class_like_sample_weights():
    model, x, y = model_and_data()
    weighted = ndgrad.Sequential([ndgrad.layers.Dense(2, input_shape=(3,), activation="softmax",
                                                      kernel_initializer="zeros")])
    weighted.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    first = model.fit(x, y, class_weight={1: 3.0}, epochs=1, batch_size=12, verbose=0)
    second = weighted.fit(x, y, sample_weight=np.where(y == 1, 3.0, 1.0), epochs=1,
                          batch_size=12, verbose=0)
    assert first.history["loss"] == pytest.approx(second.history["loss"])
    np.testing.assert_allclose(model.get_weights()[0], weighted.get_weights()[0])
    # Data that yields batches gets its class weights batch by batch (as Keras's tf.data).
    from_dataset, _, _ = model_and_data()
    third = from_dataset.fit(ndgrad.data.TensorDataset(x, y), class_weight={1: 3.0}, epochs=1,
                             batch_size=12, shuffle=False, verbose=0)
    assert third.history["loss"] == pytest.approx(first.history["loss"])
    with pytest.raises(ValueError, match="class_weight needs the labels y as one array"):
        model.fit(x, {"out": y}, class_weight={0: 1.0}, verbose=0)


def test_steps_and_validation_frequency():
    model, x, y = model_and_data()
    counter = CountBatches()
    history = model.fit(x, y, batch_size=2, epochs=4, steps_per_epoch=3,
                        validation_data=(x, y), validation_steps=2, validation_freq=2,
                        verbose=0, callbacks=[counter])
    assert counter.train == 12 and counter.test == 4
    assert history.params["steps"] == 3
    assert "val_loss" not in history.history or len(history.history["val_loss"]) == 2
    counter = CountBatches()
    model.fit(x, y, batch_size=4, validation_data=(x, y), validation_batch_size=6, verbose=0,
              callbacks=[counter])
    assert counter.test == 2
    counter = CountBatches()
    model.evaluate(x, y, batch_size=2, steps=2, verbose=0, callbacks=[counter])
    assert counter.test == 2
    assert model.predict(x, batch_size=5, steps=2, verbose=0).shape == (10, 2)
    with pytest.raises(ValueError, match="steps_per_epoch must be a positive int"):
        model.fit(x, y, steps_per_epoch=0, verbose=0)
    with pytest.raises(ValueError, match="validation_freq must be a positive int"):
        model.fit(x, y, validation_freq=0, verbose=0)


def test_model_checkpoint_to_a_keras_file_uses_model_save(tmp_path):
    model, x, y = model_and_data()
    saved = []
    path = os.fspath(tmp_path / "best.keras")
    checkpoint = ModelCheckpoint(path, monitor="loss")
    if not hasattr(model, "save"):
        with pytest.raises(NotImplementedError, match="needs Sequential.save"):
            model.fit(x, y, verbose=0, callbacks=[checkpoint])
    model.save = saved.append
    model.fit(x, y, epochs=2, verbose=0, callbacks=[ModelCheckpoint(path, monitor="loss")])
    assert saved == [path, path]
