"""keras.callbacks: the core callbacks under Keras names, LambdaCallback, refusals."""

import numpy as np
import pytest

from ndgrad import keras


def small_model():
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_lambda_callback_hooks_receive_keras_arguments():
    events = []
    callback = keras.callbacks.LambdaCallback(
        on_train_begin=lambda logs: events.append("begin"),
        on_epoch_end=lambda epoch, logs: events.append((epoch, sorted(logs))),
        on_train_batch_end=lambda batch, logs: events.append(batch),
        on_test_end=lambda logs: events.append("tested"))
    small_model().fit(np.ones((4, 2)), np.ones((4, 1)), batch_size=2, epochs=1, verbose=0,
                      validation_data=(np.ones((2, 2)), np.ones((2, 1))), callbacks=[callback])
    assert events == ["begin", 0, 1, "tested", (0, ["loss", "val_loss"])]


def test_custom_callback_subclass_sees_model_and_params():
    class Stopper(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            self.steps = self.params["steps"]
            self.model.stop_training = True

    stopper = Stopper()
    history = small_model().fit(np.ones((6, 2)), np.ones((6, 1)), batch_size=3, epochs=5,
                                verbose=0, callbacks=[stopper])
    assert history.epoch == [0] and stopper.steps == 2


def test_learning_rate_callbacks_change_the_optimizer():
    model = small_model()
    schedule = keras.callbacks.LearningRateScheduler(lambda epoch, lr: 0.5 ** (epoch + 1))
    model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=2, verbose=0, callbacks=[schedule])
    assert model.optimizer.learning_rate == 0.25


def test_tensorboard_and_others_are_refused_clearly():
    with pytest.raises(AttributeError, match="TensorBoard is not supported by ndgrad.*CSVLogger"):
        keras.callbacks.TensorBoard
    with pytest.raises(AttributeError, match="BackupAndRestore is not supported"):
        keras.callbacks.BackupAndRestore
    with pytest.raises(TypeError, match="unknown hooks \\['on_epoch_finish'\\]"):
        keras.callbacks.LambdaCallback(on_epoch_finish=print)
