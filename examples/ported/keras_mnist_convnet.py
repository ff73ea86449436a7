# Follows keras-team/keras examples/keras_io/vision/mnist_convnet.py
# at commit 2588a15440a10de8d0cc10b50c21ede333a2bd01
# Written independently for ndgrad's real-programs suite; no code copied.
# Framework import lines (the baseline run swaps back only these):
#   from ndgrad import keras
#   from ndgrad.keras import layers
# Data: keras.datasets.mnist.load_data() -> _offline_data.mnist.load_data() (same arrays
#   and dtypes; sizes by PORTED_DATA).
"""A small convolutional network classifies handwritten digits: two Conv2D +
MaxPooling2D stages, Dropout and a softmax Dense in a Sequential model,
categorical cross-entropy with Adam, fit with validation_split=0.1 for 15
epochs of batch 128, then evaluate on the test set.
"""

import numpy as np

from ndgrad import keras
from ndgrad.keras import layers

import _offline_data

NUM_CLASSES = 10
IMAGE_SHAPE = (28, 28, 1)
BATCH_SIZE = 128
EPOCHS = 15

# uint8 images in 0..255 and integer labels, split into train and test.
(train_images, train_labels), (test_images, test_labels) = _offline_data.mnist.load_data()

# Pixels to [0, 1] floats, and a trailing channel axis.
train_images = np.expand_dims(train_images.astype("float32") / 255, -1)
test_images = np.expand_dims(test_images.astype("float32") / 255, -1)
print("x_train shape:", train_images.shape)
print(train_images.shape[0], "train samples")
print(test_images.shape[0], "test samples")

# One-hot targets for the categorical cross-entropy.
train_targets = keras.utils.to_categorical(train_labels, NUM_CLASSES)
test_targets = keras.utils.to_categorical(test_labels, NUM_CLASSES)

model = keras.Sequential(
    [
        keras.Input(shape=IMAGE_SHAPE),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(NUM_CLASSES, activation="softmax"),
    ]
)
model.summary()

model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(train_images, train_targets, batch_size=BATCH_SIZE, epochs=EPOCHS,
          validation_split=0.1)

test_loss, test_accuracy = model.evaluate(test_images, test_targets, verbose=0)
print("Test loss:", test_loss)
print("Test accuracy:", test_accuracy)
