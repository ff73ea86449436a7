"""ndgrad's main job (``make demo``): a small CNN trained on scikit-learn's digits.

It trains with ``fit`` and a progress bar, prints ``model.summary()`` and the
test accuracy, saves a checkpoint and a training-curve PNG under ``runs/``,
then builds a fresh model, loads the checkpoint into it, and shows that it
reaches the same accuracy.

    make demo                                   # or: .venv/bin/python examples/digits_cnn.py
"""

import os
import time

import numpy as np

import ndgrad
from ndgrad import layers

RUN_DIR = os.path.join("runs", "digits")
TARGET_ACCURACY = 0.97


def build_model():
    """Conv 3x3 (32) -> conv 3x3 (64) -> max-pool -> dense (128) -> softmax (10), on 8x8x1."""
    return ndgrad.Sequential([
        layers.Conv2D(32, 3, padding="same", activation="relu", input_shape=(8, 8, 1)),
        layers.Conv2D(64, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dropout(0.3),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.3),
        layers.Dense(10, activation="softmax"),
    ], name="digits_cnn")


def accuracy(model, x, y):
    return float(np.mean(model.predict(x, verbose=0).argmax(axis=1) == y))


def main():
    started = time.perf_counter()
    ndgrad.random.seed(0)
    (x_train, y_train), (x_test, y_test) = ndgrad.datasets.load_digits(test_size=0.2, seed=0)
    print(f"digits: {len(x_train)} training and {len(x_test)} test images of 8x8")

    model = build_model()
    model.summary()
    model.compile(optimizer=ndgrad.optim.Adam(learning_rate=0.002),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    os.makedirs(RUN_DIR, exist_ok=True)
    stopper = ndgrad.callbacks.EarlyStopping(monitor="val_loss", patience=8,
                                             restore_best_weights=True)
    callbacks = [
        ndgrad.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=3),
        stopper,
        ndgrad.callbacks.ModelCheckpoint(os.path.join(RUN_DIR, "best.safetensors"),
                                         monitor="val_loss", save_best_only=True),
    ]
    epochs = 30
    history = model.fit(x_train, y_train, batch_size=32, epochs=epochs, validation_split=0.1,
                        callbacks=callbacks)
    if stopper.stopped_epoch:
        print(f"stopped early at epoch {stopper.stopped_epoch + 1}/{epochs} (EarlyStopping): "
              f"{stopper.stop_reason()}")
    weights_epoch = stopper.best_epoch + 1 if stopper.best_weights is not None \
        else len(history.epoch)
    print(f"the model now holds the weights of epoch {weights_epoch} (restore_best_weights)")

    test_accuracy = accuracy(model, x_test, y_test)
    print(f"test accuracy: {test_accuracy:.4f}")
    checkpoint = os.path.join(RUN_DIR, "final.safetensors")
    ndgrad.save_checkpoint(checkpoint, model, model.optimizer, epoch=weights_epoch,
                           extra={"test_accuracy": test_accuracy})
    curves = history.plot(os.path.join(RUN_DIR, "training.png"))
    print(f"saved the checkpoint to {checkpoint} and the training curves to {curves}")

    restored = build_model()
    restored.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    info = ndgrad.load_checkpoint(checkpoint, restored, restored.optimizer)
    restored_accuracy = accuracy(restored, x_test, y_test)
    print(f"reloaded the weights of epoch {info['epoch']}: test accuracy {restored_accuracy:.4f} "
          f"({'the same' if restored_accuracy == test_accuracy else 'DIFFERENT'})")
    print(f"done in {time.perf_counter() - started:.1f} s")
    if test_accuracy < TARGET_ACCURACY or restored_accuracy != test_accuracy:
        raise SystemExit(f"the demo missed its goal: accuracy {test_accuracy:.4f} "
                         f"(wanted >= {TARGET_ACCURACY}), reloaded {restored_accuracy:.4f}")


if __name__ == "__main__":
    main()
