"""Data-parallel training, Keras style: ``model.fit`` on several processes.

A plain Keras 3 script (a CNN on scikit-learn's 8x8 digits, bundled, no
download; ModelCheckpoint and EarlyStopping) with one added line,
``keras.distribution.set_distribution(keras.distribution.DataParallel())``.
Launch it on two processes:

    .venv/bin/mpirun -n 2 .venv/bin/python examples/distributed_fit.py

or on one (``.venv/bin/python examples/distributed_fit.py``): the same
script, a world of one. Each rank fits on its half of the training and
validation digits with ``batch_size`` 32 (a global batch of 64 on two
ranks); the gradients, the loss and the metrics are averaged over the ranks,
so both hold the same model and the same History; rank 0 alone prints the
progress and writes the checkpoint.
"""

import argparse
import os
import time

import ndgrad
from ndgrad import keras
from ndgrad.keras import layers

BATCH_PER_RANK = 32
RUN_DIR = os.path.join("runs", "distributed_fit")


def build_model():
    return keras.Sequential([
        layers.Conv2D(16, 3, padding="same", activation="relu", input_shape=(8, 8, 1)),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=8)
    epochs = parser.parse_args().epochs
    keras.distribution.set_distribution(keras.distribution.DataParallel())   # the one line
    rank = ndgrad.distributed.rank()
    keras.utils.set_random_seed(rank)               # rank 0's weights are broadcast anyway
    (x_train, y_train), (x_test, y_test) = ndgrad.datasets.load_digits(test_size=0.2, seed=0)
    mean, std = float(x_train.mean()), float(x_train.std())
    x_train, x_test = (x_train - mean) / std, (x_test - mean) / std

    model = build_model()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=2e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    checkpoint = os.path.join(RUN_DIR, "best.safetensors")
    callbacks = [keras.callbacks.ModelCheckpoint(checkpoint, monitor="val_accuracy",
                                                 save_best_only=True),
                 keras.callbacks.EarlyStopping(monitor="val_loss", patience=3)]
    started = time.perf_counter()
    history = model.fit(x_train, y_train, batch_size=BATCH_PER_RANK, epochs=epochs,
                        validation_data=(x_test, y_test), callbacks=callbacks, verbose=2)
    seconds = time.perf_counter() - started
    if rank == 0:
        world = ndgrad.distributed.world_size()
        done = len(history.epoch)
        print(f"{world} rank(s) x batch {BATCH_PER_RANK}: {done} epoch{'' if done == 1 else 's'} in "
              f"{seconds:.1f} s, {history.params['steps']} steps per epoch, final val_accuracy "
              f"{history.history['val_accuracy'][-1]:.4f}")
        print(f"rank 0 saved {checkpoint}")


if __name__ == "__main__":
    main()
