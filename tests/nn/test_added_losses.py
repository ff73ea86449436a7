"""add_loss, layer.losses, weight and activity regularizers, and fit training on them."""

import numpy as np
import pytest

import ndgrad
from ndgrad import layers
from ndgrad.nn import regularizers


class AddsInputSum(layers.Layer):
    def call(self, inputs):
        self.add_loss(0.5 * ndgrad.sum(inputs))
        return inputs


def test_losses_are_recursive_and_cleared_at_each_outermost_call():
    inner = AddsInputSum()
    model = ndgrad.Sequential([inner, layers.Dense(1, kernel_initializer="ones",
                                                    kernel_regularizer=regularizers.L1(1.0))])
    model(ndgrad.ones((2, 3)))
    assert [round(loss.item(), 6) for loss in model.losses] == [3.0, 3.0]
    assert [loss.item() for loss in inner.losses] == [3.0]
    model(ndgrad.zeros((2, 3)))              # the old add_loss value is gone
    assert [loss.item() for loss in model.losses] == [0.0, 3.0]


def test_a_sublayer_called_alone_clears_only_its_own_losses():
    first, second = AddsInputSum(), AddsInputSum()
    first(ndgrad.ones(2))
    second(ndgrad.ones(4))
    second(ndgrad.ones(6))
    assert [t.item() for t in first.losses] == [1.0]
    assert [t.item() for t in second.losses] == [3.0]


def test_activity_regularizer_penalizes_each_output():
    dense = layers.Dense(2, kernel_initializer="ones", activity_regularizer=regularizers.L2(0.1))
    dense(ndgrad.ones((1, 3)))           # outputs [3, 3]
    assert dense.losses[0].item() == pytest.approx(1.8)
    layer = layers.ActivityRegularization(l1=0.5, l2=0.25)
    out = layer(ndgrad.tensor([[1.0, -2.0]]))
    assert out.tolist() == [[1.0, -2.0]] and layer.losses[0].item() == pytest.approx(1.5 + 1.25)


def test_weight_regularizers_on_keras_layers_name_their_weights():
    conv = layers.Conv2D(2, 3, kernel_regularizer="l2", bias_regularizer="l1",
                         input_shape=(5, 5, 1))
    embedding = layers.Embedding(4, 2, embeddings_regularizer=regularizers.L1(1.0))
    lstm = layers.LSTM(3, recurrent_regularizer="l2")
    lstm(ndgrad.ones((1, 2, 2)))
    kernel = conv.kernel.numpy()
    assert conv.losses[0].item() == pytest.approx(0.01 * (kernel ** 2).sum(), rel=1e-5)
    assert conv.losses[1].item() == 0.0       # the zero bias
    assert embedding.losses[0].item() == pytest.approx(np.abs(embedding.embeddings.numpy()).sum(),
                                                       rel=1e-5)
    recurrent = lstm.recurrent_kernel.numpy()
    assert lstm.losses[0].item() == pytest.approx(0.01 * (recurrent ** 2).sum(), rel=1e-5)


def test_frozen_weights_contribute_no_penalty():
    dense = layers.Dense(2, kernel_regularizer="l2", input_shape=(3,))
    assert len(dense.losses) == 1
    dense.trainable = False
    assert dense.losses == []


def test_add_weight_takes_a_regularizer_and_keras_3_positional_shape():
    class Scale(layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight((input_shape[-1],), "ones", regularizer=regularizers.L1(2.0))

        def call(self, inputs):
            return inputs * self.w

    layer = Scale()
    layer(ndgrad.ones((1, 3)))
    assert layer.w.shape == (3,) and layer.losses[0].item() == 6.0


def test_fit_trains_on_the_added_losses():
    # A loss made only of penalties: fit drives the kernel towards zero.
    x = np.ones((16, 4), np.float32)
    model = ndgrad.Sequential([layers.Dense(1, kernel_regularizer=regularizers.L2(1.0),
                                            use_bias=False, input_shape=(4,))])
    model.compile(optimizer=ndgrad.optim.SGD(learning_rate=0.1))
    before = float((model.layers[0].kernel.numpy() ** 2).sum())
    history = model.fit(x, None, epochs=5, batch_size=16, verbose=0)
    after = float((model.layers[0].kernel.numpy() ** 2).sum())
    assert after < before * 0.5
    assert history.history["loss"][0] == pytest.approx(before, rel=1e-5)


def test_compiled_loss_plus_penalties_is_what_fit_and_evaluate_report():
    x, y = np.ones((8, 2), np.float32), np.zeros((8, 1), np.float32)
    model = ndgrad.Sequential([layers.Dense(1, kernel_initializer="ones",
                                            kernel_regularizer=regularizers.L2(0.5),
                                            input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse")
    # prediction 2 -> mse 4; penalty 0.5 * (1 + 1) = 1
    assert model.evaluate(x, y, verbose=0) == pytest.approx(5.0)
    loss = model.compute_loss(y=ndgrad.tensor(y), y_pred=model(x))
    assert loss.item() == pytest.approx(5.0)


def test_custom_loop_uses_model_losses():
    model = ndgrad.Sequential([AddsInputSum(), layers.Dense(1)])
    with ndgrad.GradientTape() as tape:
        out = model(ndgrad.ones((2, 2)))
        loss = ndgrad.mean(out) + sum(model.losses)
    grads = tape.gradient(loss, model.trainable_variables)
    assert all(g is not None for g in grads)


def test_bad_regularizer_options_fail_clearly():
    with pytest.raises(ValueError, match="Dropout: kernel_regularizer given, but the layer "
                                         "creates no such weight"):
        layers.Dropout(0.5, kernel_regularizer="l2")(ndgrad.ones((2, 2)))
    with pytest.raises(NotImplementedError, match="kernel_constraint is not supported yet"):
        layers.Dense(2, kernel_constraint="max_norm")
    with pytest.raises(TypeError, match="add_loss: got a callable"):
        layers.Layer().add_loss(lambda: ndgrad.ones(1))
    with pytest.raises(TypeError, match="two shapes"):
        layers.Layer().add_weight((2,), (3,))
