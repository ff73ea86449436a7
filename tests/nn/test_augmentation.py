"""The random augmentation layers: identity in inference (evaluate, predict), random in
training (fit, and called on their own, as Keras 3), seeded and reproducible, each
transformation checked on what it must do, gradients, configs, layouts and use inside a
model."""

import numpy as np
import pytest

import ndgrad
from ndgrad import keras, layers

AUGMENTERS = [
    lambda seed=None: layers.RandomFlip(seed=seed),
    lambda seed=None: layers.RandomRotation(0.2, seed=seed),
    lambda seed=None: layers.RandomZoom(0.3, 0.2, seed=seed),
    lambda seed=None: layers.RandomTranslation(0.2, 0.3, seed=seed),
    lambda seed=None: layers.RandomContrast(0.4, seed=seed),
    lambda seed=None: layers.RandomBrightness(0.3, seed=seed),
]
IDS = ["flip", "rotation", "zoom", "translation", "contrast", "brightness"]


@pytest.fixture
def images(rng):
    return (rng.random((4, 6, 7, 3)) * 255).astype(np.float32)


@pytest.mark.parametrize("make", AUGMENTERS, ids=IDS)
def test_inference_is_identity_and_training_is_random_and_seeded(make, images):
    layer = make(seed=5)
    np.testing.assert_array_equal(layer(images, training=False).numpy(), images)
    first, second = layer(images), layer(images, training=True)
    assert first.shape == images.shape and first.dtype == np.float32
    assert not np.allclose(first.numpy(), second.numpy())
    again = make(seed=5)
    np.testing.assert_array_equal(again(images, training=True).numpy(), first.numpy())
    keras.utils.set_random_seed(3)
    unseeded = make()(images, training=True).numpy()
    keras.utils.set_random_seed(3)
    np.testing.assert_array_equal(make()(images, training=True).numpy(), unseeded)
    np.testing.assert_array_equal(layer(images[0], training=True).shape, images[0].shape)


@pytest.mark.parametrize("make", AUGMENTERS, ids=IDS)
def test_config_round_trip_and_symbolic_call(make):
    layer = make(seed=7)
    clone = type(layer).from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
    assert layer(keras.Input((None, None, 3))).shape == (None, None, None, 3)


def test_flip_per_image(images):
    out = layers.RandomFlip("horizontal", seed=0)(images, training=True).numpy()
    flipped = [np.array_equal(o, i[:, ::-1]) for o, i in zip(out, images)]
    kept = [np.array_equal(o, i) for o, i in zip(out, images)]
    assert all(f or k for f, k in zip(flipped, kept)) and any(flipped)
    both = layers.RandomFlip(seed=1)(images, training=True).numpy()
    assert all(np.array_equal(o, i) or np.array_equal(o, i[::-1, ::-1])
               for o, i in zip(both, images))
    with pytest.raises(ValueError, match="mode must be one of"):
        layers.RandomFlip("diagonal")


def test_random_crop_training_window_and_inference_resize(images):
    layer = layers.RandomCrop(4, 5, seed=2)
    out = layer(images, training=True).numpy()
    windows = [(top, left) for top in range(3) for left in range(3)
               if np.array_equal(out, images[:, top:top + 4, left:left + 5])]
    assert len(windows) == 1                                   # one position for the batch
    inferred = layer(images, training=False).numpy()
    expected = layers.Resizing(4, 5, crop_to_aspect_ratio=True)(images).numpy()
    np.testing.assert_allclose(inferred, expected)
    small = layers.RandomCrop(8, 8)(images, training=True)     # larger than the images
    assert small.shape == (4, 8, 8, 3)


def test_contrast_stretches_about_each_channel_mean(rng):
    images = rng.random((3, 5, 5, 2)).astype(np.float32) * 0.2 + 0.4
    out = layers.RandomContrast((0.5, 0.5), value_range=(0, 1), seed=0)(images, training=True)
    out = out.numpy()
    mean = images.mean(axis=(1, 2), keepdims=True)
    factor = ((out - mean) / (images - mean)).reshape(3, -1)
    assert np.allclose(factor, factor[:, :1], rtol=1e-3)       # one factor per image
    assert np.all((factor >= 0.5 - 1e-4) & (factor <= 1.5 + 1e-4))
    np.testing.assert_allclose(out.mean(axis=(1, 2)), mean[:, 0, 0], rtol=1e-5)
    clipped = layers.RandomContrast((0.0, 1.0), seed=1)(np.array([[[0.0], [255.0]]]),
                                                        training=True)
    assert clipped.numpy().min() >= 0 and clipped.numpy().max() <= 255
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\]"):
        layers.RandomContrast(1.5)


def test_brightness_adds_one_clipped_amount_per_image(images):
    out = layers.RandomBrightness(0.2, seed=4)(images, training=True).numpy()
    inside = (out > 0) & (out < 255)
    for o, i, keep in zip(out, images, inside):
        delta = (o - i)[keep]
        assert np.allclose(delta, delta[0], atol=1e-3) and abs(delta[0]) <= 0.2 * 255 + 1e-3
    with pytest.raises(ValueError, match=r"out of range.*\[-1.0, 1.0\]"):
        layers.RandomBrightness(1.5)


def test_rotation_zoom_translation_by_hand():
    square = np.arange(9.0).reshape(3, 3, 1)
    rotated = layers.RandomRotation((0.5, 0.5), interpolation="nearest")(square, training=True)
    assert rotated[:, :, 0].tolist() == square[::-1, ::-1, 0].tolist()
    shifted = layers.RandomTranslation((1 / 3, 1 / 3), 0.0, fill_mode="constant",
                                       fill_value=-1.0, interpolation="nearest")
    assert shifted(square, training=True)[:, :, 0].tolist() == [[-1.0] * 3, [0.0, 1.0, 2.0],
                                                                [3.0, 4.0, 5.0]]
    zoomed = layers.RandomZoom((-0.5, -0.5), interpolation="nearest")
    wide = np.arange(16.0).reshape(4, 4, 1)
    # Zooming in by 2 about the centre (1.5, 1.5): output x reads 0.5 * x + 0.75.
    assert zoomed(wide, training=True)[0, :, 0].tolist() == [5.0, 5.0, 6.0, 6.0]
    with pytest.raises(ValueError, match=r"each bound must be in \(-1, 1\]"):
        layers.RandomZoom(-1.0)
    with pytest.raises(NotImplementedError, match="fill_mode='mirror'"):
        layers.RandomRotation(0.1, fill_mode="mirror")


def test_channels_first_matches_channels_last(images):
    for make in (lambda fmt: layers.RandomRotation(0.3, seed=9, data_format=fmt),
                 lambda fmt: layers.RandomContrast(0.3, seed=9, data_format=fmt)):
        last = make("channels_last")(images, training=True).numpy()
        first = make("channels_first")(images.transpose(0, 3, 1, 2), training=True).numpy()
        np.testing.assert_allclose(first.transpose(0, 2, 3, 1), last, rtol=1e-6, atol=1e-4)


def test_gradients_through_training_transformations(rng):
    x = rng.random((2, 5, 4, 2)) * 0.5 + 0.25
    for make in (lambda: layers.RandomRotation(0.2, seed=1, dtype="float64"),
                 lambda: layers.RandomZoom(0.3, seed=1, dtype="float64"),
                 lambda: layers.RandomContrast(0.3, value_range=(0, 1), seed=1, dtype="float64"),
                 lambda: layers.RandomBrightness(0.1, value_range=(0, 1), seed=1,
                                                 dtype="float64"),
                 lambda: layers.RandomFlip(seed=1, dtype="float64")):
        # A fresh layer per evaluation: every run draws the same transformation.
        assert ndgrad.gradcheck(lambda t, make=make: make()(t, training=True), [x])


def test_augmentation_inside_a_model_is_active_only_in_fit(rng):
    images = rng.random((16, 8, 8, 1)).astype(np.float32)
    labels = (images.mean(axis=(1, 2, 3)) > 0.5).astype(np.int64)
    seen = []

    class Spy(layers.Layer):
        def call(self, inputs):
            seen.append(inputs.numpy().copy())
            return inputs

    model = keras.Sequential([keras.Input((8, 8, 1)), layers.RandomFlip(seed=0),
                              layers.RandomRotation(0.1, seed=0), Spy(), layers.Flatten(),
                              layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(images, labels, batch_size=16, epochs=1, shuffle=False, verbose=0)
    assert not np.allclose(seen[-1], images)
    np.testing.assert_array_equal(model.predict(images, verbose=0),
                                  model.predict(images, verbose=0))
    assert np.allclose(seen[-1], images)


def test_keras_io_pattern_a_sequential_of_augmenters_in_a_map_and_a_functional_model(rng):
    import ndgrad.tensorflow as tf
    augmentation = keras.Sequential([layers.RandomFlip("horizontal", seed=1),
                                     layers.RandomRotation(0.1, seed=1)])
    images = rng.random((6, 8, 8, 3)).astype(np.float32) * 255
    labels = np.arange(6) % 2
    data = tf.data.Dataset.from_tensor_slices((images, labels)).batch(3)
    augmented = data.map(lambda x, y: (augmentation(x), y))       # called on its own: random
    assert not np.allclose(np.concatenate([x.numpy() for x, _ in augmented]), images)
    inputs = keras.Input((8, 8, 3))
    x = augmentation(inputs)
    x = layers.Rescaling(1.0 / 255)(x)
    outputs = layers.Dense(2, activation="softmax")(layers.GlobalAveragePooling2D()(x))
    model = keras.Model(inputs, outputs)
    assert [type(layer).__name__ for layer in model.layers][1:3] == ["Sequential", "Rescaling"]
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    assert model.fit(augmented, epochs=2, verbose=0).params["steps"] == 2
    np.testing.assert_array_equal(model.predict(images, verbose=0),
                                  model.predict(images, verbose=0))
