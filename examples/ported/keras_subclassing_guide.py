# Follows keras-team/keras guides/making_new_layers_and_models_via_subclassing.py
# at commit 3422977a5e38fb2f7709aaa9a08e47f0c43d0f60
# Written independently for ndgrad's real-programs suite; no code copied.
# Framework import lines (the baseline run swaps back only these):
#   from ndgrad import keras
#   from ndgrad.keras import ops
#   from ndgrad.keras import layers
# Data: keras.datasets.mnist.load_data() -> _offline_data.mnist.load_data(); the
#   reshape to (60000, 784) -> (len(x_train), 784) (the offline size varies).
"""The programs of the Keras 3 guide to writing layers and models by
subclassing, in turn: a dense layer whose weights add_weight makes in
__init__, then lazily in build; a non-trainable running sum updated with
assign_add; nested layers and their weight lists; a layer that calls add_loss
and the losses property of the layer around it; a kernel regularizer's loss;
fit with and without a compiled loss on a model whose layer adds a loss;
get_config/from_config; a dropout layer driven by `training`; and the
end-to-end variational autoencoder (Encoder and Decoder layers inside a Model
subclass whose call adds the KL divergence with add_loss), trained with fit
on MNIST for two epochs.
"""

import numpy as np

from ndgrad import keras
from ndgrad.keras import ops
from ndgrad.keras import layers

import _offline_data


# --- A layer whose weights are made in __init__ with add_weight.

class Linear(keras.layers.Layer):
    """x @ w + b, with w (input_dim, units) random normal and b zeros."""

    def __init__(self, units=32, input_dim=32):
        super().__init__()
        self.w = self.add_weight(shape=(input_dim, units), initializer="random_normal",
                                 trainable=True)
        self.b = self.add_weight(shape=(units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b


x = ops.ones((2, 2))
linear_layer = Linear(4, 2)
y = linear_layer(x)
print(y)

# Weights assigned as attributes are tracked, in the order they were made.
assert linear_layer.weights == [linear_layer.w, linear_layer.b]


# --- A non-trainable weight, changed in place by the forward pass.

class ComputeSum(keras.layers.Layer):
    """Accumulates the column sums of every input it sees."""

    def __init__(self, input_dim):
        super().__init__()
        self.total = self.add_weight(initializer="zeros", shape=(input_dim,), trainable=False)

    def call(self, inputs):
        self.total.assign_add(ops.sum(inputs, axis=0))
        return self.total


x = ops.ones((2, 2))
running_sum = ComputeSum(2)
print(running_sum(x).numpy())
print(running_sum(x).numpy())
print("weights:", len(running_sum.weights))
print("non-trainable weights:", len(running_sum.non_trainable_weights))
print("trainable_weights:", running_sum.trainable_weights)


# --- Weights made lazily in build(), once the input shape is known.

class Linear(keras.layers.Layer):
    """x @ w + b where w's first dimension comes from the first input."""

    def __init__(self, units=32):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                 initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="random_normal",
                                 trainable=True)

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b


linear_layer = Linear(32)
y = linear_layer(x)


# --- Layers inside a layer: their weights are the outer layer's too.

class MLPBlock(keras.layers.Layer):
    """Three Linear layers with ReLUs between them."""

    def __init__(self):
        super().__init__()
        self.linear_1 = Linear(32)
        self.linear_2 = Linear(32)
        self.linear_3 = Linear(1)

    def call(self, inputs):
        x = keras.activations.relu(self.linear_1(inputs))
        x = keras.activations.relu(self.linear_2(x))
        return self.linear_3(x)


mlp = MLPBlock()
y = mlp(ops.ones(shape=(3, 64)))  # the first call builds all three layers
print("weights:", len(mlp.weights))
print("trainable weights:", len(mlp.trainable_weights))


# --- Losses added during the forward pass.

class ActivityRegularizationLayer(keras.layers.Layer):
    """Passes its input through and adds rate * mean(input) as a loss."""

    def __init__(self, rate=1e-2):
        super().__init__()
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * ops.mean(inputs))
        return inputs


class OuterLayer(keras.layers.Layer):
    """Holds an ActivityRegularizationLayer; its losses show up here."""

    def __init__(self):
        super().__init__()
        self.activity_reg = ActivityRegularizationLayer(1e-2)

    def call(self, inputs):
        return self.activity_reg(inputs)


layer = OuterLayer()
assert len(layer.losses) == 0  # not called yet
_ = layer(ops.zeros((1, 1)))
assert len(layer.losses) == 1  # one loss from that call
_ = layer(ops.zeros((1, 1)))
assert len(layer.losses) == 1  # the previous call's loss was cleared


class OuterLayerWithKernelRegularizer(keras.layers.Layer):
    """A Dense layer whose kernel carries an L2 penalty."""

    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(32, kernel_regularizer=keras.regularizers.l2(1e-3))

    def call(self, inputs):
        return self.dense(inputs)


layer = OuterLayerWithKernelRegularizer()
_ = layer(ops.zeros((1, 1)))
print(layer.losses)

# fit adds the layers' losses to the compiled loss, or trains on them alone.
inputs = keras.Input(shape=(3,))
outputs = ActivityRegularizationLayer()(inputs)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.random((2, 3)), np.random.random((2, 3)))
model.compile(optimizer="adam")
model.fit(np.random.random((2, 3)), np.random.random((2, 3)))


# --- Serializable layers: get_config and from_config.

class Linear(keras.layers.Layer):
    """The lazy Linear layer, with a config holding its units."""

    def __init__(self, units=32):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                 initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="random_normal",
                                 trainable=True)

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b

    def get_config(self):
        return {"units": self.units}


layer = Linear(64)
config = layer.get_config()
print(config)
new_layer = Linear.from_config(config)


class Linear(keras.layers.Layer):
    """The lazy Linear layer, passing name/dtype keywords to the base class
    and extending the base class's config."""

    def __init__(self, units=32, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                 initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="random_normal",
                                 trainable=True)

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units})
        return config


layer = Linear(64)
config = layer.get_config()
print(config)
new_layer = Linear.from_config(config)


# --- A layer that behaves differently in training.

class CustomDropout(keras.layers.Layer):
    """Drops inputs at ``rate`` only when called with training=True."""

    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, inputs, training=None):
        if training:
            return keras.random.dropout(inputs, rate=self.rate)
        return inputs


# --- End to end: a variational autoencoder trained with fit.

class Sampling(layers.Layer):
    """Draws z = mean + exp(log_var / 2) * epsilon with epsilon ~ N(0, 1)."""

    def call(self, inputs):
        z_mean, z_log_var = inputs
        batch = ops.shape(z_mean)[0]
        dim = ops.shape(z_mean)[1]
        epsilon = keras.random.normal(shape=(batch, dim))
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon


class Encoder(layers.Layer):
    """Image vector -> (z_mean, z_log_var, z)."""

    def __init__(self, latent_dim=32, intermediate_dim=64, name="encoder", **kwargs):
        super().__init__(name=name, **kwargs)
        self.dense_proj = layers.Dense(intermediate_dim, activation="relu")
        self.dense_mean = layers.Dense(latent_dim)
        self.dense_log_var = layers.Dense(latent_dim)
        self.sampling = Sampling()

    def call(self, inputs):
        hidden = self.dense_proj(inputs)
        z_mean = self.dense_mean(hidden)
        z_log_var = self.dense_log_var(hidden)
        return z_mean, z_log_var, self.sampling((z_mean, z_log_var))


class Decoder(layers.Layer):
    """Latent vector z -> image vector with values in (0, 1)."""

    def __init__(self, original_dim, intermediate_dim=64, name="decoder", **kwargs):
        super().__init__(name=name, **kwargs)
        self.dense_proj = layers.Dense(intermediate_dim, activation="relu")
        self.dense_output = layers.Dense(original_dim, activation="sigmoid")

    def call(self, inputs):
        return self.dense_output(self.dense_proj(inputs))


class VariationalAutoEncoder(keras.Model):
    """Encoder then decoder; the KL divergence of the code is added as a loss."""

    def __init__(self, original_dim, intermediate_dim=64, latent_dim=32, name="autoencoder",
                 **kwargs):
        super().__init__(name=name, **kwargs)
        self.original_dim = original_dim
        self.encoder = Encoder(latent_dim=latent_dim, intermediate_dim=intermediate_dim)
        self.decoder = Decoder(original_dim, intermediate_dim=intermediate_dim)

    def call(self, inputs):
        z_mean, z_log_var, z = self.encoder(inputs)
        reconstruction = self.decoder(z)
        kl_divergence = -0.5 * ops.mean(z_log_var - ops.square(z_mean) - ops.exp(z_log_var) + 1)
        self.add_loss(kl_divergence)
        return reconstruction


(x_train, _), _ = _offline_data.mnist.load_data()
x_train = x_train.reshape(len(x_train), 784).astype("float32") / 255

original_dim = 784
vae = VariationalAutoEncoder(784, 64, 32)
optimizer = keras.optimizers.Adam(learning_rate=1e-3)
vae.compile(optimizer, loss=keras.losses.MeanSquaredError())
vae.fit(x_train, x_train, epochs=2, batch_size=64)
