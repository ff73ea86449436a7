"""F.one_hot: PyTorch's results (int64, no gradient) and clear errors."""

import numpy as np
import pytest

import ndgrad
from ndgrad.nn.functional import one_hot

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("values, classes", [([0, 2, 1], -1), ([[1, 0], [3, 3]], 5), ([], 3),
                                             (2, 4)])
def test_one_hot_matches_pytorch(values, classes):
    ours = one_hot(ndgrad.tensor(np.asarray(values, np.int64)), classes)
    theirs = torch.nn.functional.one_hot(torch.tensor(values, dtype=torch.int64), classes)
    assert ours.dtype == np.int64 and not ours.requires_grad
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_accepts_arrays_and_other_integer_dtypes():
    assert one_hot(np.array([1, 0], np.int32), 2).tolist() == [[0, 1], [1, 0]]


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(ValueError, match=r"one_hot: class values must be non-negative, got -1 "
                                         r"at index \(1,\)"):
        one_hot(ndgrad.tensor([0, -1]), 3)
    with pytest.raises(ValueError, match=r"one_hot: class values must be smaller than "
                                         r"num_classes=3, got 3 at index \(0, 1\)"):
        one_hot(ndgrad.tensor([[0, 3]]), 3)
    with pytest.raises(ndgrad.DTypeError, match="one_hot: expects integer class indices, got "
                                                "float32"):
        one_hot(ndgrad.tensor([0.0, 1.0]))
    with pytest.raises(ValueError, match="one_hot: cannot infer num_classes from an empty"):
        one_hot(ndgrad.tensor(np.zeros(0, np.int64)))
    with pytest.raises(ValueError, match="one_hot: num_classes must be"):
        one_hot(ndgrad.tensor([1]), -2)
