"""layers.Rescaling and layers.Normalization: values from the Keras docs and by hand,
adapt over arrays, batches and datasets, gradients, configs, use in models."""

import numpy as np
import pytest

import ndgrad
import ndgrad.tensorflow as tf
from ndgrad import keras, layers


def test_rescaling_casts_and_scales():
    out = layers.Rescaling(1 / 255)(np.array([[0, 51, 255]], np.uint8))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.numpy(), [[0.0, 0.2, 1.0]], rtol=1e-6)
    per_channel = layers.Rescaling([1.0, 2.0], offset=[0.0, -1.0])
    assert per_channel(np.ones((2, 2))).tolist() == [[1.0, 1.0], [1.0, 1.0]]
    config = per_channel.get_config()
    assert config["scale"] == [1.0, 2.0] and config["offset"] == [0.0, -1.0]
    assert layers.Rescaling.from_config(config)(np.ones((1, 2))).tolist() == [[1.0, 1.0]]


def test_rescaling_gradient():
    layer = layers.Rescaling(0.5, offset=2.0, dtype="float64")
    assert ndgrad.gradcheck(lambda x: layer(x), [np.random.default_rng(0).random((3, 4))])


def test_normalization_keras_doc_examples():
    adapt_data = np.array([[0.0, 7.0, 4.0], [2.0, 9.0, 6.0], [0.0, 7.0, 4.0], [2.0, 9.0, 6.0]],
                          np.float32)
    layer = layers.Normalization(axis=-1)
    layer.adapt(adapt_data)
    assert layer(np.array([[0.0, 7.0, 4.0]], np.float32)).tolist() == [[-1.0, -1.0, -1.0]]
    scalar = layers.Normalization(axis=None)
    scalar.adapt(np.array([1.0, 2.0, 3.0, 4.0, 5.0], np.float32))
    np.testing.assert_allclose(scalar(np.array([1.0, 2.0, 3.0, 4.0, 5.0])).numpy(),
                               [-1.41421, -0.70711, 0.0, 0.70711, 1.41421], atol=1e-5)
    given = layers.Normalization(mean=3.0, variance=2.0)
    np.testing.assert_allclose(given(np.array([[1.0], [2.0], [3.0]])).numpy(),
                               [[-1.4142135], [-0.70710677], [0.0]], rtol=1e-6)
    inverse = layers.Normalization(axis=-1, invert=True)
    inverse.adapt(adapt_data)
    # mean [1, 8, 5], variance [1, 1, 1]: x -> mean + x * 1
    assert inverse(np.array([[1.0, 2.0, 3.0]])).tolist() == [[2.0, 10.0, 8.0]]


def test_adapt_in_batches_and_over_datasets_matches_numpy(rng):
    images = (rng.random((23, 4, 5, 3)) * 255).astype(np.float32)
    expected_mean = images.astype(np.float64).mean(axis=(0, 1, 2))
    expected_variance = images.astype(np.float64).var(axis=(0, 1, 2))
    whole, parts, streamed = (layers.Normalization() for _ in range(3))
    whole.adapt(images)
    parts.adapt(images, batch_size=5)
    streamed.adapt(tf.data.Dataset.from_tensor_slices(images).batch(7))
    for layer in (whole, parts, streamed):
        assert layer.mean.shape == (1, 1, 1, 3)
        np.testing.assert_allclose(layer.mean.numpy().ravel(), expected_mean, rtol=1e-6)
        np.testing.assert_allclose(layer.variance.numpy().ravel(), expected_variance, rtol=1e-5)
        assert int(layer.count.numpy()) == 23 * 20
    per_pixel = layers.Normalization(axis=(1, 2))
    per_pixel.adapt(images[:, :, :, 0])
    np.testing.assert_allclose(per_pixel.mean.numpy()[0], images[:, :, :, 0].mean(axis=0),
                               rtol=1e-5)
    first_two = layers.Normalization()
    first_two.adapt(iter([images[:5], images[5:10], images[10:]]), steps=2)
    np.testing.assert_allclose(first_two.mean.numpy().ravel(),
                               images[:10].astype(np.float64).mean(axis=(0, 1, 2)), rtol=1e-6)


def test_normalization_weights_save_and_the_layer_trains_a_model(tmp_path):
    rng = np.random.default_rng(1)
    x = (rng.normal(size=(64, 3)) * [1.0, 10.0, 100.0] + [0.0, 50.0, -20.0]).astype(np.float32)
    y = (x @ np.array([[1.0], [0.1], [0.01]], np.float32)).astype(np.float32)
    normalizer = layers.Normalization()
    normalizer.adapt(x)
    model = keras.Sequential([keras.Input((3,)), normalizer, layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.1), loss="mse")
    history = model.fit(x, y, epochs=40, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < 0.05 * history.history["loss"][0]
    assert sorted(v.name.split("/")[-1] for v in normalizer.variables) == [
        "count", "mean", "variance"]
    assert not normalizer.trainable_variables
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6)


def test_normalization_gradient_config_and_symbolic_call():
    layer = layers.Normalization(mean=[1.0, 2.0], variance=[4.0, 0.25], dtype="float64")
    assert ndgrad.gradcheck(lambda x: layer(x), [np.random.default_rng(2).random((3, 2))])
    config = layer.get_config()
    assert config["mean"] == [1.0, 2.0] and config["variance"] == [4.0, 0.25]
    clone = layers.Normalization.from_config(config)
    assert clone(np.array([[3.0, 2.5]])).tolist() == [[1.0, 1.0]]
    inputs = keras.Input((5, 2))
    assert layers.Normalization()(inputs).shape == (None, 5, 2)


def test_normalization_refusals():
    with pytest.raises(ValueError, match="give both mean and variance"):
        layers.Normalization(mean=1.0)
    with pytest.raises(ValueError, match="axis 0 is the batch axis"):
        layers.Normalization(axis=0).adapt(np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"adapt to the features alone.*lambda x, y: x"):
        layers.Normalization().adapt(tf.data.Dataset.from_tensor_slices(
            (np.ones((4, 2)), np.ones(4))).batch(2))
    with pytest.raises(ValueError, match="was given mean and variance"):
        layers.Normalization(mean=0.0, variance=1.0).adapt(np.ones((2, 2)))
    adapted = layers.Normalization()
    adapted.adapt(np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"kept axes have sizes \(2,\), the layer's \(3,\)"):
        adapted.adapt(np.ones((4, 2)))
