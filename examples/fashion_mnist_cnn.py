"""A 2-conv CNN on Fashion-MNIST (Keras style), read from Debian's
``dataset-fashion-mnist`` package or a folder you give.

    apt-get install dataset-fashion-mnist          # once: /usr/share/datasets/fashion-mnist
    .venv/bin/python examples/fashion_mnist_cnn.py [--path FOLDER] [--epochs 5]

Expected: >= 0.90 test accuracy after 10 epochs (about 12 s each on 2 cores).
"""

import argparse
import os
import time

import numpy as np

import ndgrad
from ndgrad import layers


def build_model():
    """conv(16, 3x3) - maxpool - conv(32, 3x3) - maxpool - dense(128) - softmax(10)."""
    return ndgrad.Sequential([
        layers.Conv2D(16, 3, activation="relu", input_shape=(28, 28, 1)),
        layers.MaxPooling2D(2),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.3),
        layers.Dense(10, activation="softmax"),
    ], name="fashion_cnn")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default=None, help="folder with the four IDX files")
    parser.add_argument("--epochs", type=int, default=10)
    args = parser.parse_args()
    ndgrad.random.seed(0)
    (x_train, y_train), (x_test, y_test) = ndgrad.datasets.load_fashion_mnist(args.path)
    model = build_model()
    model.summary()
    model.compile(optimizer=ndgrad.optim.Adam(learning_rate=0.001),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    started = time.perf_counter()
    history = model.fit(x_train, y_train, batch_size=64, epochs=args.epochs,
                        validation_data=(x_test, y_test))
    seconds = time.perf_counter() - started
    accuracy = float(np.mean(model.predict(x_test, verbose=0).argmax(axis=1) == y_test))
    run_dir = os.path.join("runs", "fashion_mnist")
    os.makedirs(run_dir, exist_ok=True)
    curves = history.plot(os.path.join(run_dir, "training.png"))
    weights = os.path.join(run_dir, "weights.safetensors")
    model.save_weights(weights)
    print(f"test accuracy {accuracy:.4f}; {seconds / args.epochs:.1f} s per epoch "
          f"(training and validation)")
    print(f"saved the weights to {os.path.abspath(weights)} (load them with "
          f"model.load_weights) and the training curves to {os.path.abspath(curves)}")


if __name__ == "__main__":
    main()
