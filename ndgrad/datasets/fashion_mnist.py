"""Fashion-MNIST (Zalando): 70,000 28x28 grayscale images of 10 kinds of
clothing, read from its four IDX files with NumPy alone.

The files are looked for in a folder you give, or where Debian's
``dataset-fashion-mnist`` package installs them
(``/usr/share/datasets/fashion-mnist``; ``sudo apt-get install
dataset-fashion-mnist``). Each file may be gzip-compressed (``.gz``) or plain.
Nothing is downloaded.

Example:
    >>> import os, tempfile, numpy as np
    >>> from ndgrad.datasets import load_fashion_mnist
    >>> from ndgrad.datasets.idx import write_idx
    >>> folder = tempfile.mkdtemp()
    >>> for part, count in (("train", 3), ("t10k", 2)):
    ...     write_idx(os.path.join(folder, f"{part}-images-idx3-ubyte.gz"),
    ...               np.full((count, 28, 28), 255, np.uint8))
    ...     write_idx(os.path.join(folder, f"{part}-labels-idx1-ubyte.gz"),
    ...               np.arange(count, dtype=np.uint8))
    >>> (x_train, y_train), (x_test, y_test) = load_fashion_mnist(folder)
    >>> x_train.shape, float(x_train.max()), y_test.tolist()
    ((3, 28, 28, 1), 1.0, [0, 1])
"""

import os

import numpy as np

from .idx import IdxFormatError, read_idx
from .layout import arrange_images, check_layout

__all__ = ["load_fashion_mnist", "load_data", "CLASS_NAMES", "DEFAULT_FOLDERS", "FILE_NAMES"]

DEFAULT_FOLDERS = ("/usr/share/datasets/fashion-mnist",)   # Debian's dataset-fashion-mnist

FILE_NAMES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}

CLASS_NAMES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
               "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")

_INSTALL_HINT = ("Install Debian's package (sudo apt-get install dataset-fashion-mnist, which "
                 "puts the files in /usr/share/datasets/fashion-mnist) or pass path= a folder "
                 "holding the four IDX files of https://github.com/zalandoresearch/fashion-mnist")


def _find_files(folder):
    """``{key: file path}`` for the files present in ``folder`` (plain name first)."""
    found = {}
    for key, name in FILE_NAMES.items():
        for candidate in (name, name + ".gz"):
            full = os.path.join(folder, candidate)
            if os.path.isfile(full):
                found[key] = full
                break
    return found


def _locate(path):
    folders = DEFAULT_FOLDERS if path is None else (os.fspath(path),)
    looked = []
    for folder in folders:
        found = _find_files(folder)
        if len(found) == len(FILE_NAMES):
            return found
        missing = [FILE_NAMES[key] + "(.gz)" for key in FILE_NAMES if key not in found]
        state = "no such folder" if not os.path.isdir(folder) else "missing " + ", ".join(missing)
        looked.append(f"{folder} ({state})")
    raise FileNotFoundError("load_fashion_mnist: the Fashion-MNIST IDX files were not found. "
                            f"Looked in: {'; '.join(looked)}. {_INSTALL_HINT}.")


def _read_part(files, part):
    images_path, labels_path = files[part + "_images"], files[part + "_labels"]
    images, labels = read_idx(images_path), read_idx(labels_path)
    if images.dtype != np.uint8 or images.ndim != 3:
        raise IdxFormatError(f"load_fashion_mnist: {images_path} holds {images.dtype} of "
                             f"shape {images.shape}, not uint8 images (N, height, width)")
    if labels.dtype != np.uint8 or labels.ndim != 1:
        raise IdxFormatError(f"load_fashion_mnist: {labels_path} holds {labels.dtype} of "
                             f"shape {labels.shape}, not uint8 labels (N,)")
    if len(images) != len(labels):
        raise IdxFormatError(f"load_fashion_mnist: {images_path} has {len(images)} images "
                             f"but {labels_path} has {len(labels)} labels")
    if labels.size and labels.max() >= len(CLASS_NAMES):
        raise IdxFormatError(f"load_fashion_mnist: {labels_path} has label {labels.max()}; "
                             f"Fashion-MNIST labels are 0..{len(CLASS_NAMES) - 1}")
    return images, labels


def _scaled(images):
    pixels = images.astype(np.float32)
    np.divide(pixels, 255, out=pixels)   # 255 / 255 is exactly 1.0 in float32
    return pixels


def load_fashion_mnist(path=None, *, layout="channels_last", flatten=False):
    """Fashion-MNIST's train and test parts as float32 images in ``[0, 1]`` and
    int64 labels (0..9, named in ``CLASS_NAMES``).

    Args:
        path: the folder holding ``train-images-idx3-ubyte``,
            ``train-labels-idx1-ubyte``, ``t10k-images-idx3-ubyte`` and
            ``t10k-labels-idx1-ubyte`` (each plain or ``.gz``); ``None``
            looks in ``DEFAULT_FOLDERS`` (Debian's package location).
        layout: ``"channels_last"`` for ``(N, 28, 28, 1)`` or
            ``"channels_first"`` for ``(N, 1, 28, 28)``.
        flatten: ``True`` for ``(N, 784)`` rows, whatever the layout.

    Returns:
        ``((x_train, y_train), (x_test, y_test))``, NumPy arrays (60,000 and
        10,000 samples in the published files).

    Raises:
        FileNotFoundError: when the files are not there; the message says
            where it looked and how to install them.
        IdxFormatError: when a file is truncated, corrupted, or not what
            Fashion-MNIST holds (a ``ValueError``).

    Example:
        >>> import tempfile
        >>> from ndgrad.datasets import load_fashion_mnist
        >>> try:
        ...     load_fashion_mnist(tempfile.mkdtemp())
        ... except FileNotFoundError as error:
        ...     print("apt-get install dataset-fashion-mnist" in str(error))
        True
    """
    check_layout(layout, "load_fashion_mnist")
    files = _locate(path)
    train_images, train_labels = _read_part(files, "train")
    test_images, test_labels = _read_part(files, "test")
    if train_images.shape[1:] != test_images.shape[1:]:
        raise IdxFormatError(f"load_fashion_mnist: train images are "
                             f"{train_images.shape[1:]} but test images are "
                             f"{test_images.shape[1:]}; the files come from different datasets")
    return ((arrange_images(_scaled(train_images), layout, flatten, "load_fashion_mnist"),
             train_labels.astype(np.int64)),
            (arrange_images(_scaled(test_images), layout, flatten, "load_fashion_mnist"),
             test_labels.astype(np.int64)))


def load_data(path=None, layout="channels_last", flatten=False):
    """Keras style: ``(x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()``.

    The same as :func:`load_fashion_mnist`.

    Example:
        >>> import tempfile
        >>> from ndgrad.datasets import fashion_mnist
        >>> try:
        ...     fashion_mnist.load_data(tempfile.mkdtemp())
        ... except FileNotFoundError as error:
        ...     print(str(error).startswith("load_fashion_mnist"))
        True
    """
    return load_fashion_mnist(path, layout=layout, flatten=flatten)
