"""The keras-io guide "Making new layers and models via subclassing", its
patterns run as written (only the import changed)."""

import numpy as np

from ndgrad import keras
from ndgrad.keras import ops


class Linear(keras.layers.Layer):
    def __init__(self, units=32, input_dim=32):
        super().__init__()
        self.w = self.add_weight(shape=(input_dim, units), initializer="random_normal",
                                 trainable=True)
        self.b = self.add_weight(shape=(units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b


class ComputeSum(keras.layers.Layer):
    def __init__(self, input_dim):
        super().__init__()
        self.total = self.add_weight(initializer="zeros", shape=(input_dim,), trainable=False)

    def call(self, inputs):
        self.total.assign_add(ops.sum(inputs, axis=0))
        return self.total


class ActivityRegularizationLayer(keras.layers.Layer):
    def __init__(self, rate=1e-2):
        super().__init__()
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * ops.mean(inputs))
        return inputs


class OuterLayer(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.activity_reg = ActivityRegularizationLayer(1e-2)

    def call(self, inputs):
        return self.activity_reg(inputs)


class Sampling(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(1337)

    def call(self, inputs):
        z_mean, z_log_var = inputs
        batch, dim = ops.shape(z_mean)[0], ops.shape(z_mean)[1]
        epsilon = keras.random.normal(shape=(batch, dim), seed=self.seed_generator)
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon


class VariationalAutoEncoder(keras.Model):
    def __init__(self, original_dim, intermediate_dim=16, latent_dim=4, name="autoencoder",
                 **kwargs):
        super().__init__(name=name, **kwargs)
        self.original_dim = original_dim
        self.dense_proj = keras.layers.Dense(intermediate_dim, activation="relu")
        self.dense_mean = keras.layers.Dense(latent_dim)
        self.dense_log_var = keras.layers.Dense(latent_dim)
        self.sampling = Sampling()
        self.dense_out = keras.layers.Dense(original_dim, activation="sigmoid")

    def call(self, inputs):
        hidden = self.dense_proj(inputs)
        z_mean, z_log_var = self.dense_mean(hidden), self.dense_log_var(hidden)
        z = self.sampling((z_mean, z_log_var))
        reconstructed = self.dense_out(z)
        kl_loss = -0.5 * ops.mean(z_log_var - ops.square(z_mean) - ops.exp(z_log_var) + 1)
        self.add_loss(kl_loss)
        return reconstructed


def test_weights_and_non_trainable_state():
    linear = Linear(4, 2)
    assert linear(ops.ones((2, 2))).shape == (2, 4)
    assert len(linear.weights) == 2 and len(linear.trainable_weights) == 2
    my_sum = ComputeSum(2)
    my_sum(ops.ones((2, 2)))
    assert my_sum(ops.ones((2, 2))).tolist() == [4.0, 4.0]
    assert len(my_sum.weights) == 1 and len(my_sum.non_trainable_weights) == 1
    assert my_sum.trainable_weights == []


def test_add_loss_is_reset_at_each_outer_call():
    layer = OuterLayer()
    assert len(layer.losses) == 0
    _ = layer(ops.zeros((1, 1)))
    assert len(layer.losses) == 1
    _ = layer(ops.zeros((1, 1)))
    assert len(layer.losses) == 1


def test_kernel_regularizer_losses():
    class OuterLayerWithKernelRegularizer(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(32, kernel_regularizer=keras.regularizers.l2(1e-3))

        def call(self, inputs):
            return self.dense(inputs)

    layer = OuterLayerWithKernelRegularizer()
    _ = layer(ops.zeros((1, 1)))
    assert len(layer.losses) == 1
    expected = 1e-3 * float((layer.dense.kernel.numpy() ** 2).sum())
    assert abs(layer.losses[0].item() - expected) < 1e-7


def test_vae_trains_with_fit_and_its_added_kl_loss():
    x_train = np.random.default_rng(0).random((256, 12)).astype("float32")
    vae = VariationalAutoEncoder(12)
    optimizer = keras.optimizers.Adam(learning_rate=1e-2)
    vae.compile(optimizer, loss=keras.losses.MeanSquaredError())
    history = vae.fit(x_train, x_train, epochs=3, batch_size=64, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    reconstruction = vae(x_train[:4])
    assert reconstruction.shape == (4, 12) and len(vae.losses) == 1


def test_custom_loop_with_model_losses_as_in_the_guide():
    x_train = np.random.default_rng(1).random((64, 12)).astype("float32")
    vae = VariationalAutoEncoder(12)
    optimizer = keras.optimizers.Adam(learning_rate=1e-2)
    loss_fn = keras.losses.MeanSquaredError()
    import ndgrad
    losses = []
    for step in range(20):
        with ndgrad.GradientTape() as tape:
            reconstructed = vae(x_train)
            loss = loss_fn(x_train, reconstructed) + sum(vae.losses)
        grads = tape.gradient(loss, vae.trainable_weights)
        optimizer.apply_gradients(zip(grads, vae.trainable_weights))
        losses.append(loss.item())
    assert losses[-1] < losses[0]
