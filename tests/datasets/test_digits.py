"""load_digits: shapes, dtypes, ranges, layouts, and a stratified deterministic split."""

import sys

import numpy as np
import pytest

from ndgrad.datasets import digits, load_digits
from ndgrad.datasets.digits import stratified_split

pytest.importorskip("sklearn")


def test_whole_dataset_channels_last_float32_in_unit_range():
    x, y = load_digits()
    assert x.shape == (1797, 8, 8, 1) and x.dtype == np.float32
    assert y.shape == (1797,) and y.dtype == np.int64
    assert x.min() == 0.0 and x.max() == 1.0
    assert set(np.unique(x * 16)) <= set(range(17))       # grey levels 0..16 over 16
    assert np.bincount(y).tolist()[:3] == [178, 182, 177]


def test_layouts_and_flatten_hold_the_same_pixels():
    last, _ = load_digits()
    first, _ = load_digits(layout="channels_first")
    flat, _ = load_digits(flatten=True)
    assert first.shape == (1797, 1, 8, 8) and flat.shape == (1797, 64)
    np.testing.assert_array_equal(first[:, 0], last[..., 0])
    np.testing.assert_array_equal(flat.reshape(-1, 8, 8), last[..., 0])


def test_returned_arrays_are_the_callers_own():
    x, y = load_digits()
    x[:] = -1
    y[:] = -1
    again_x, again_y = load_digits()
    assert again_x.min() == 0.0 and again_y.min() == 0


def test_split_sizes_match_keras_style_unpacking():
    (x_train, y_train), (x_test, y_test) = load_digits(test_size=0.2, seed=0)
    assert x_train.shape == (1437, 8, 8, 1) and x_test.shape == (360, 8, 8, 1)
    assert y_train.dtype == y_test.dtype == np.int64
    assert len(y_train) == 1437 and len(y_test) == 360


def test_split_is_stratified_disjoint_and_covering():
    x, y = load_digits(flatten=True)
    (x_train, y_train), (x_test, y_test) = load_digits(test_size=0.2, seed=3, flatten=True)
    train_counts, test_counts = np.bincount(y_train), np.bincount(y_test)
    np.testing.assert_array_equal(train_counts + test_counts, np.bincount(y))
    # Every class gives the test part its share, to within one sample.
    assert np.all(np.abs(test_counts - 0.2 * np.bincount(y)) <= 1)
    # The rows of both parts are exactly the dataset's rows.
    rows = np.concatenate([np.c_[x_train, y_train], np.c_[x_test, y_test]])
    order = np.lexsort(rows.T)
    reference = np.c_[x, y]
    np.testing.assert_array_equal(rows[order], reference[np.lexsort(reference.T)])
    # The parts are shuffled, not grouped by class.
    assert not np.all(np.diff(y_test) >= 0)


def test_same_seed_same_split_other_seed_other_split():
    (_, a), (_, a_test) = load_digits(test_size=0.2, seed=1)
    (_, b), (_, b_test) = load_digits(test_size=0.2, seed=1)
    (_, c), _ = load_digits(test_size=0.2, seed=2)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a_test, b_test)
    assert not np.array_equal(a, c)


def test_load_data_is_the_keras_style_split():
    (x_train, _), (x_test, _) = digits.load_data(layout="channels_first")
    assert x_train.shape == (1437, 1, 8, 8) and x_test.shape == (360, 1, 8, 8)
    (_, y_train), _ = digits.load_data(test_size=100, seed=0)
    assert len(y_train) == 1697


@pytest.mark.parametrize("kwargs, message", [
    ({"layout": "NHWC"}, "layout must be 'channels_last'"),
    ({"test_size": 1.0}, r"test_size must be in \(0, 1\)"),
    ({"test_size": 0}, "both parts need at least one sample"),
    ({"test_size": 1797}, "both parts need at least one sample"),
    ({"test_size": "0.2"}, "test_size must be a fraction"),
    ({"test_size": 0.2, "seed": -3}, "seed must be a non-negative int"),
])
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        load_digits(**kwargs)


def test_stratified_split_on_small_labels():
    labels = np.array([0] * 6 + [1] * 3 + [2])
    train, test = stratified_split(labels, 0.5, seed=0)
    assert len(test) == 5 and sorted(train.tolist() + test.tolist()) == list(range(10))
    assert np.bincount(labels[test], minlength=3).tolist() == [3, 2, 0]


def test_missing_scikit_learn_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    digits._digits_arrays.cache_clear()
    try:
        with pytest.raises(ImportError, match=r"pip install ndgrad\[datasets\]"):
            load_digits()
    finally:
        digits._digits_arrays.cache_clear()
