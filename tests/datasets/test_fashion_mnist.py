"""load_fashion_mnist on tiny IDX files the tests write, and on the real files if installed."""

import os

import numpy as np
import pytest

from ndgrad.datasets import fashion_mnist, load_fashion_mnist
from ndgrad.datasets.idx import IdxFormatError, write_idx

NAMES = fashion_mnist.FILE_NAMES


def _write_set(folder, train=4, test=3, size=28, compress=True, labels=None):
    """The four IDX files with random pixels; returns what was written."""
    rng = np.random.default_rng(0)
    suffix = ".gz" if compress else ""
    parts = {"train": train, "test": test}
    written = {}
    for part, count in parts.items():
        images = rng.integers(0, 256, (count, size, size), dtype=np.uint8)
        part_labels = labels if labels is not None else np.arange(count, dtype=np.uint8) % 10
        write_idx(os.path.join(folder, NAMES[part + "_images"] + suffix), images)
        write_idx(os.path.join(folder, NAMES[part + "_labels"] + suffix), part_labels)
        written[part] = (images, part_labels)
    return written


@pytest.mark.parametrize("compress", [True, False])
def test_reads_gzip_and_plain_files_as_float32_in_unit_range(tmp_path, compress):
    written = _write_set(tmp_path, compress=compress)
    (x_train, y_train), (x_test, y_test) = load_fashion_mnist(tmp_path)
    assert x_train.shape == (4, 28, 28, 1) and x_test.shape == (3, 28, 28, 1)
    assert x_train.dtype == np.float32 and y_train.dtype == y_test.dtype == np.int64
    np.testing.assert_array_equal(x_train[..., 0] * np.float32(255),
                                  written["train"][0].astype(np.float32))
    assert y_test.tolist() == [0, 1, 2]
    assert 0.0 <= x_train.min() and x_train.max() <= 1.0


def test_mixed_plain_and_gzip_files_in_one_folder(tmp_path):
    _write_set(tmp_path, compress=True)
    os.remove(tmp_path / (NAMES["test_labels"] + ".gz"))
    write_idx(tmp_path / NAMES["test_labels"], np.array([9, 8, 7], np.uint8))
    (_, _), (_, y_test) = load_fashion_mnist(str(tmp_path))
    assert y_test.tolist() == [9, 8, 7]


def test_layouts_and_flatten(tmp_path):
    _write_set(tmp_path)
    (last, _), _ = load_fashion_mnist(tmp_path)
    (first, _), _ = fashion_mnist.load_data(tmp_path, layout="channels_first")
    (flat, _), _ = load_fashion_mnist(tmp_path, flatten=True)
    assert first.shape == (4, 1, 28, 28) and flat.shape == (4, 784)
    np.testing.assert_array_equal(first[:, 0], last[..., 0])
    np.testing.assert_array_equal(flat.reshape(4, 28, 28), last[..., 0])
    with pytest.raises(ValueError, match="layout must be"):
        load_fashion_mnist(tmp_path, layout="NCHW")


def test_absent_files_say_where_it_looked_and_how_to_install(tmp_path, monkeypatch):
    nowhere = str(tmp_path / "not-installed")
    monkeypatch.setattr(fashion_mnist, "DEFAULT_FOLDERS", (nowhere,))
    with pytest.raises(FileNotFoundError) as error:
        load_fashion_mnist()
    message = str(error.value)
    assert nowhere in message and "no such folder" in message
    assert "apt-get install dataset-fashion-mnist" in message and "path=" in message


def test_a_partial_folder_lists_the_missing_files(tmp_path):
    _write_set(tmp_path)
    os.remove(tmp_path / (NAMES["test_images"] + ".gz"))
    with pytest.raises(FileNotFoundError, match=r"missing t10k-images-idx3-ubyte\(\.gz\)"):
        load_fashion_mnist(tmp_path)


def test_truncated_file_is_a_clear_error(tmp_path):
    _write_set(tmp_path, compress=False)
    path = tmp_path / NAMES["train_images"]
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(IdxFormatError, match="train-images-idx3-ubyte is truncated"):
        load_fashion_mnist(tmp_path)


def test_files_that_do_not_belong_together_are_refused(tmp_path):
    _write_set(tmp_path)
    write_idx(tmp_path / (NAMES["train_labels"] + ".gz"), np.zeros(5, np.uint8))
    with pytest.raises(IdxFormatError, match="has 4 images but .* has 5 labels"):
        load_fashion_mnist(tmp_path)


def test_wrong_contents_are_refused(tmp_path):
    _write_set(tmp_path, labels=np.array([0, 1, 12], np.uint8), train=3)
    with pytest.raises(IdxFormatError, match="has label 12"):
        load_fashion_mnist(tmp_path)
    write_idx(tmp_path / (NAMES["train_images"] + ".gz"), np.zeros((3, 28, 28), np.float32))
    with pytest.raises(IdxFormatError, match="not uint8 images"):
        load_fashion_mnist(tmp_path)


def test_train_and_test_images_of_different_sizes_are_refused(tmp_path):
    _write_set(tmp_path)
    write_idx(tmp_path / (NAMES["test_images"] + ".gz"), np.zeros((3, 14, 14), np.uint8))
    with pytest.raises(IdxFormatError, match=r"\(28, 28\) but test images are \(14, 14\)"):
        load_fashion_mnist(tmp_path)


def _real_folder():
    candidates = [os.environ.get("NDGRAD_FASHION_MNIST"), *fashion_mnist.DEFAULT_FOLDERS]
    for folder in candidates:
        if folder and len(fashion_mnist._find_files(folder)) == len(NAMES):
            return folder
    return None


@pytest.mark.skipif(_real_folder() is None,
                    reason="Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)")
def test_the_real_files():
    (x_train, y_train), (x_test, y_test) = load_fashion_mnist(_real_folder())
    assert x_train.shape == (60000, 28, 28, 1) and x_test.shape == (10000, 28, 28, 1)
    assert x_train.dtype == np.float32 and x_train.min() == 0.0 and x_train.max() == 1.0
    assert np.bincount(y_train).tolist() == [6000] * 10
    assert np.bincount(y_test).tolist() == [1000] * 10
