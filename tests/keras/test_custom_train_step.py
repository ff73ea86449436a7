"""The keras-io guide "Customizing what happens in fit() with PyTorch", its
patterns one by one (the guide's ``import torch`` lines become ndgrad's own
calls; ``keras.Input`` models become subclassed ones)."""

import numpy as np
import pytest

import ndgrad
from ndgrad import keras


class Regressor(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(1)

    def call(self, inputs):
        return self.dense(inputs)


class CustomModel(Regressor):
    """The guide's first example: compiled loss and metrics through self.metrics."""

    def train_step(self, data):
        x, y = data
        self.zero_grad()
        y_pred = self(x, training=True)
        loss = self.compute_loss(y=y, y_pred=y_pred)
        loss.backward()
        trainable_weights = [v for v in self.trainable_weights]
        gradients = [v.value.grad for v in trainable_weights]
        with ndgrad.no_grad():
            self.optimizer.apply(gradients, trainable_weights)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


def data(samples=64):
    rng = np.random.default_rng(0)
    x = rng.random((samples, 8)).astype(np.float32)
    return x, (x @ rng.random((8, 1))).astype(np.float32)


def test_compiled_metrics_show_up_in_a_custom_train_step():
    x, y = data()
    model = CustomModel()
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    assert [m.name for m in model.metrics] == ["loss", "mae"]     # before any batch
    history = model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    assert sorted(history.history) == ["loss", "mae"]
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert all(value > 0 for value in history.history["mae"])


def test_accuracy_by_name_is_resolved_inside_a_custom_step():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(64, 4)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)

    class Classifier(CustomModel):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(2)

    model = Classifier()
    model.compile(optimizer=keras.optimizers.Adam(0.05),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    history = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    assert type(model.metrics[1]).__name__ == "SparseCategoricalAccuracy"
    assert history.history["accuracy"][-1] > 0.8


def test_going_lower_level_with_own_trackers_and_the_metrics_property():
    x, y = data()

    class LowLevel(Regressor):
        def __init__(self):
            super().__init__()
            self.loss_tracker = keras.metrics.Mean(name="loss")
            self.mae_metric = keras.metrics.MeanAbsoluteError(name="mae")
            self.loss_fn = keras.losses.MeanSquaredError()

        def train_step(self, data):
            x, y = data
            self.zero_grad()
            y_pred = self(x, training=True)
            loss = self.loss_fn(y, y_pred)
            loss.backward()
            gradients = [v.value.grad for v in self.trainable_weights]
            with ndgrad.no_grad():
                self.optimizer.apply(gradients, self.trainable_weights)
            self.loss_tracker.update_state(loss)
            self.mae_metric.update_state(y, y_pred)
            return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

        @property
        def metrics(self):
            return [self.loss_tracker, self.mae_metric]

    model = LowLevel()
    model.compile(optimizer="adam")
    history = model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    # Reset at each epoch: the second epoch's mean covers its 4 batches only.
    assert model.loss_tracker.count == 4
    assert history.history["loss"][1] < history.history["loss"][0]


def test_metric_attributes_are_tracked_without_a_metrics_property():
    model = Regressor()
    model.extra = keras.metrics.Mean(name="extra")
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    assert [m.name for m in model.metrics] == ["loss", "mae", "extra"]


def test_sample_weights_reach_compute_loss_and_weighted_metrics():
    x, y = data(16)
    weights = np.r_[np.ones(8), np.zeros(8)].astype(np.float32)

    class Weighted(Regressor):
        def train_step(self, data):
            x, y, sample_weight = data
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred, sample_weight=sample_weight)
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred, sample_weight=sample_weight)
            return {m.name: m.result() for m in self.metrics}

    model = Weighted()
    model.compile(optimizer="sgd", loss="mse", weighted_metrics=["mse"])
    logs = model.fit(x, y, sample_weight=weights, epochs=1, batch_size=16, verbose=0).history
    prediction = model.predict(x, verbose=0)
    per_sample = ((prediction - y) ** 2)[:, 0]
    assert logs["mse"][0] == pytest.approx(per_sample[:8].mean(), rel=1e-4)
    assert logs["loss"][0] == pytest.approx((weights * per_sample).sum() / 16, rel=1e-4)


def test_custom_test_step_for_evaluate():
    x, y = data()

    class Evaluated(Regressor):
        def test_step(self, data):
            x, y = data
            y_pred = self(x, training=False)
            loss = self.compute_loss(y=y, y_pred=y_pred)
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    model = Evaluated()
    model.compile(loss="mse", metrics=["mae"])
    result = model.evaluate(x, y, verbose=0, return_dict=True)
    prediction = model.predict(x, verbose=0)
    assert result["mae"] == pytest.approx(np.abs(prediction - y).mean(), rel=1e-5)
    assert result["loss"] == pytest.approx(((prediction - y) ** 2).mean(), rel=1e-5)


def test_gan_pattern_with_two_optimizers_and_a_seed_generator():
    discriminator = keras.Sequential([keras.layers.Dense(8, activation="relu"),
                                      keras.layers.Dense(1)])
    generator = keras.Sequential([keras.layers.Dense(4)])

    class GAN(keras.Model):
        def __init__(self, discriminator, generator, latent_dim):
            super().__init__()
            self.discriminator = discriminator
            self.generator = generator
            self.latent_dim = latent_dim
            self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
            self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
            self.seed_generator = keras.random.SeedGenerator(1337)
            self.built = True

        @property
        def metrics(self):
            return [self.d_loss_tracker, self.g_loss_tracker]

        def compile(self, d_optimizer, g_optimizer, loss_fn):
            super().compile()
            self.d_optimizer, self.g_optimizer, self.loss_fn = d_optimizer, g_optimizer, loss_fn

        def train_step(self, real):
            if isinstance(real, tuple):
                real = real[0]
            batch_size = real.shape[0]
            noise = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
            combined = keras.ops.concatenate([self.generator(noise), real], axis=0)
            labels = keras.ops.concatenate([keras.ops.ones((batch_size, 1)),
                                            keras.ops.zeros((batch_size, 1))], axis=0)
            labels = labels + 0.05 * keras.random.uniform(labels.shape, seed=self.seed_generator)
            self.zero_grad()
            d_loss = self.loss_fn(labels, self.discriminator(combined))
            d_loss.backward()
            grads = [v.value.grad for v in self.discriminator.trainable_weights]
            with ndgrad.no_grad():
                self.d_optimizer.apply(grads, self.discriminator.trainable_weights)
            noise = keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)
            self.zero_grad()
            g_loss = self.loss_fn(keras.ops.zeros((batch_size, 1)),
                                  self.discriminator(self.generator(noise)))
            g_loss.backward()
            grads = [v.value.grad for v in self.generator.trainable_weights]
            with ndgrad.no_grad():
                self.g_optimizer.apply(grads, self.generator.trainable_weights)
            self.d_loss_tracker.update_state(d_loss)
            self.g_loss_tracker.update_state(g_loss)
            return {"d_loss": self.d_loss_tracker.result(),
                    "g_loss": self.g_loss_tracker.result()}

    gan = GAN(discriminator, generator, latent_dim=3)
    gan.compile(d_optimizer=keras.optimizers.Adam(learning_rate=0.0003),
                g_optimizer=keras.optimizers.Adam(learning_rate=0.0003),
                loss_fn=keras.losses.BinaryCrossentropy(from_logits=True))
    real = np.random.default_rng(0).normal(size=(32, 4)).astype(np.float32)
    history = gan.fit(real, epochs=2, batch_size=16, verbose=0)
    assert sorted(history.history) == ["d_loss", "g_loss"]
    assert np.isfinite(history.history["d_loss"]).all()


def test_compute_loss_override_with_keras_3_signature_is_called_with_training():
    x, y = data(16)
    seen = []

    class Own(Regressor):
        def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
            seen.append(training)
            return keras.ops.mean((y_pred - y) ** 2)

    model = Own()
    model.compile(optimizer="sgd")
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    model.evaluate(x, y, verbose=0)
    assert seen == [True, False]


def test_compile_arguments_keras_programs_pass():
    model = Regressor()
    model.compile(optimizer="adam", loss="mse", run_eagerly=True, jit_compile=False)
    with pytest.raises(ValueError, match="steps_per_execution=4 is not supported"):
        model.compile(optimizer="adam", loss="mse", steps_per_execution=4)
    with pytest.raises(ValueError, match="unknown loss 'msee'"):
        model.compile(optimizer="adam", loss="msee")
