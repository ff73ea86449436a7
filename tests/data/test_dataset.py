"""Dataset, TensorDataset and Subset: what indexing returns and what is refused."""

import numpy as np
import pytest

import ndgrad
from ndgrad.data import Dataset, Subset, TensorDataset


def test_tensor_dataset_indexes_every_array_along_the_first_axis():
    x, y = np.arange(12.0).reshape(4, 3), np.array([3, 1, 4, 1])
    data = TensorDataset(x, y)
    assert len(data) == 4
    row, label = data[2]
    np.testing.assert_array_equal(row, [6.0, 7.0, 8.0])
    assert label == 4
    assert data.arrays[0] is x   # kept, not copied


def test_tensor_dataset_accepts_tensors_and_lists():
    data = TensorDataset(ndgrad.ones((3, 2)), [[1.5], [2.5], [3.5]])
    assert [a.dtype for a in data.arrays] == [np.float32, np.float32]
    assert [t.shape for t in data.tensors] == [(3, 2), (3, 1)]
    assert not any(t.requires_grad for t in data.tensors)


def test_tensor_dataset_length_mismatch_names_the_shapes():
    with pytest.raises(ValueError, match=r"same length.*\(5, 2\), \(4,\)"):
        TensorDataset(np.zeros((5, 2)), np.zeros(4))


def test_tensor_dataset_refuses_no_arrays_and_scalars():
    with pytest.raises(ValueError, match="at least one array"):
        TensorDataset()
    with pytest.raises(ValueError, match="argument 1 is a scalar"):
        TensorDataset(np.zeros(3), 5)


def test_index_past_the_end_raises_index_error():
    with pytest.raises(IndexError):
        TensorDataset(np.zeros(3))[3]


def test_base_dataset_says_what_a_subclass_must_define():
    class Empty(Dataset):
        pass

    with pytest.raises(NotImplementedError, match="Empty must define __len__"):
        len(Empty())
    with pytest.raises(NotImplementedError, match="__getitem__"):
        Empty()[0]


def test_subset_maps_indices_in_order():
    base = TensorDataset(np.arange(10) * 10)
    part = Subset(base, [9, 0, 9])
    assert len(part) == 3
    assert [part[i][0] for i in range(3)] == [90, 0, 90]
    assert part[-1][0] == 90
    nested = Subset(part, [1])
    assert nested[0][0] == 0


@pytest.mark.parametrize("indices, message", [
    ([0, 10], r"indices \[10\] are out of range"),
    ([-1], r"indices \[-1\] are out of range"),
    ([[0, 1]], "1-D sequence of integers"),
    ([0.5], "1-D sequence of integers"),
])
def test_subset_refuses_bad_indices(indices, message):
    with pytest.raises(ValueError, match=message):
        Subset(TensorDataset(np.arange(10)), indices)


def test_empty_subset_is_allowed():
    assert len(Subset(TensorDataset(np.arange(3)), [])) == 0
