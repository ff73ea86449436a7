# Follows keras-team/keras examples/keras_io/vision/autoencoder.py
# at commit 2588a15440a10de8d0cc10b50c21ede333a2bd01
# Written independently for ndgrad's real-programs suite; no code copied.
# Framework import lines (the baseline run swaps back only these):
#   from ndgrad.keras import layers
#   from ndgrad.keras.models import Model
# Data: from keras.datasets import mnist -> from _offline_data import mnist (same
#   load_data(); sizes by PORTED_DATA).
"""A convolutional autoencoder learns to remove noise from digit images: a
functional Model (two Conv2D + MaxPooling2D stages down, two strided
Conv2DTranspose up, a sigmoid Conv2D), binary cross-entropy with Adam, fit
clean -> clean for 50 epochs, then noisy -> clean for 100, with predictions
and image grids after each.
"""

import matplotlib.pyplot as plt
import numpy as np

from ndgrad.keras import layers
from ndgrad.keras.models import Model

from _offline_data import mnist

NOISE_FACTOR = 0.4


def to_unit_images(images):
    """uint8 digits -> float32 in [0, 1] with a channel axis: (N, 28, 28, 1)."""
    return np.reshape(images.astype("float32") / 255.0, (len(images), 28, 28, 1))


def with_noise(images):
    """The images plus Gaussian noise (scaled by NOISE_FACTOR), kept in [0, 1]."""
    noisy = images + NOISE_FACTOR * np.random.normal(loc=0.0, scale=1.0, size=images.shape)
    return np.clip(noisy, 0.0, 1.0)


def show_pairs(top_row, bottom_row, count=10):
    """Draw ``count`` randomly chosen images of ``top_row`` above the images at
    the same places in ``bottom_row``, in grey, without axes."""
    picks = np.random.randint(len(top_row), size=count)
    plt.figure(figsize=(20, 4))
    for column, index in enumerate(picks):
        for row, images in enumerate((top_row, bottom_row)):
            axes = plt.subplot(2, count, row * count + column + 1)
            plt.imshow(images[index].reshape(28, 28))
            plt.gray()
            axes.get_xaxis().set_visible(False)
            axes.get_yaxis().set_visible(False)
    plt.show()


# The labels are not needed: the images are both input and target.
(train_images, _), (test_images, _) = mnist.load_data()
train_images = to_unit_images(train_images)
test_images = to_unit_images(test_images)
noisy_train_images = with_noise(train_images)
noisy_test_images = with_noise(test_images)
show_pairs(train_images, noisy_train_images)

image = layers.Input(shape=(28, 28, 1))
# Down: 28x28 -> 14x14 -> 7x7 feature maps.
x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(image)
x = layers.MaxPooling2D((2, 2), padding="same")(x)
x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(x)
x = layers.MaxPooling2D((2, 2), padding="same")(x)
# Up: 7x7 -> 14x14 -> 28x28, then one sigmoid channel.
x = layers.Conv2DTranspose(32, (3, 3), strides=2, activation="relu", padding="same")(x)
x = layers.Conv2DTranspose(32, (3, 3), strides=2, activation="relu", padding="same")(x)
x = layers.Conv2D(1, (3, 3), activation="sigmoid", padding="same")(x)

autoencoder = Model(image, x)
autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
autoencoder.summary()

# First it learns to reproduce clean images.
autoencoder.fit(
    x=train_images,
    y=train_images,
    epochs=50,
    batch_size=128,
    shuffle=True,
    validation_data=(test_images, test_images),
)
show_pairs(test_images, autoencoder.predict(test_images))

# Then it learns to map noisy images to their clean originals.
autoencoder.fit(
    x=noisy_train_images,
    y=train_images,
    epochs=100,
    batch_size=128,
    shuffle=True,
    validation_data=(noisy_test_images, test_images),
)
show_pairs(noisy_test_images, autoencoder.predict(noisy_test_images))
