"""ConcatDataset, ChainDataset, IterableDataset and ``+`` on datasets."""

import numpy as np
import pytest

from ndgrad.data import (ChainDataset, ConcatDataset, DataLoader, IterableDataset,
                         TensorDataset)


class Count(IterableDataset):
    def __init__(self, stop):
        self.stop = stop

    def __iter__(self):
        return iter(range(self.stop))


def test_concat_indexes_across_the_parts():
    joined = TensorDataset(np.arange(3)) + TensorDataset(np.arange(10, 14))
    assert isinstance(joined, ConcatDataset) and len(joined) == 7
    assert [int(joined[i][0]) for i in range(7)] == [0, 1, 2, 10, 11, 12, 13]
    assert int(joined[-1][0]) == 13 and joined.cumulative_sizes == [3, 7]
    with pytest.raises(IndexError, match="out of range"):
        joined[7]
    with pytest.raises(IndexError, match="out of range"):
        joined[-8]
    batches = [b.tolist() for b, in DataLoader(joined, batch_size=4)]
    assert batches == [[0, 1, 2, 10], [11, 12, 13]]


def test_concat_refuses_bad_parts():
    with pytest.raises(ValueError, match="empty"):
        ConcatDataset([])
    with pytest.raises(TypeError, match="ChainDataset"):
        ConcatDataset([Count(2)])


def test_iterable_datasets_chain_and_batch():
    chained = Count(2) + Count(3)
    assert isinstance(chained, ChainDataset) and list(chained) == [0, 1, 0, 1, 2]
    assert len(ChainDataset([range(2), range(3)])) == 5
    loader = DataLoader(Count(5), batch_size=2, drop_last=True)
    assert [b.tolist() for b in loader] == [[0, 1], [2, 3]] and loader.epoch == 1
    with pytest.raises(TypeError, match="no length"):
        len(DataLoader(Count(5)))
    with pytest.raises(ValueError, match="IterableDataset gives its own order"):
        DataLoader(Count(5), shuffle=True)
    with pytest.raises(TypeError, match="iterate the loader"):
        DataLoader(Count(5)).epoch_order()
