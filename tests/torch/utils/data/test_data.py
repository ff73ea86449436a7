"""torch.utils.data: PyTorch's DataLoader signature over the core loader."""

import numpy as np
import pytest
import torch as real

import ndgrad
import ndgrad.torch as torch
from ndgrad.torch.utils import data
from ndgrad.torch.utils.data import (BatchSampler, ConcatDataset, DataLoader, Dataset,
                                     IterableDataset, RandomSampler, SequentialSampler,
                                     SubsetRandomSampler, TensorDataset, WeightedRandomSampler,
                                     random_split)


class Squares(Dataset):
    def __len__(self):
        return 7

    def __getitem__(self, index):
        return torch.tensor([float(index)]), index * index


def _batches(loader):
    return [[t.tolist() for t in batch] for batch in loader]


def test_core_classes_are_re_exported():
    for name in ("Dataset", "IterableDataset", "Subset", "ConcatDataset", "RandomSampler",
                 "BatchSampler", "default_collate"):
        assert getattr(data, name) is getattr(ndgrad.data, name)
    assert issubclass(data.TensorDataset, ndgrad.data.TensorDataset)
    assert issubclass(DataLoader, ndgrad.data.DataLoader)


def test_tensor_dataset_samples_are_tensors_like_pytorch():
    x, y = TensorDataset(torch.arange(6.0).reshape(3, 2), torch.tensor([4, 5, 6]))[1]
    rx, ry = real.utils.data.TensorDataset(real.arange(6.0).reshape(3, 2),
                                           real.tensor([4, 5, 6]))[1]
    assert isinstance(x, ndgrad.Tensor) and x.tolist() == rx.tolist()
    assert y.shape == () and y.item() == ry.item()


@pytest.mark.parametrize("kwargs", [{}, {"batch_size": 3}, {"batch_size": 3, "drop_last": True},
                                    {"batch_size": 2, "sampler": [6, 0, 3]}])
def test_batches_match_pytorch_without_shuffling(kwargs):
    ours = _batches(DataLoader(Squares(), **kwargs))
    theirs = [[t.tolist() for t in batch] for batch in real.utils.data.DataLoader(
        _RealSquares(), **kwargs)]
    assert ours == theirs


class _RealSquares(real.utils.data.Dataset):
    def __len__(self):
        return 7

    def __getitem__(self, index):
        return real.tensor([float(index)]), index * index


def test_num_workers_gives_the_same_batches():
    dataset = TensorDataset(torch.randn(20, 3), torch.arange(20))
    torch.manual_seed(0)
    plain = _batches(DataLoader(dataset, batch_size=4, shuffle=True))
    torch.manual_seed(0)
    workers = _batches(DataLoader(dataset, batch_size=4, shuffle=True, num_workers=4,
                                  pin_memory=True, persistent_workers=True, prefetch_factor=2,
                                  worker_init_fn=lambda worker: 1 / 0))
    assert plain == workers
    assert data.get_worker_info() is None


def test_generator_shuffles_reproducibly():
    dataset = TensorDataset(torch.arange(10))
    orders = [_batches(DataLoader(dataset, batch_size=10, shuffle=True,
                                  generator=torch.Generator().manual_seed(3))) for _ in range(2)]
    assert orders[0] == orders[1] and sorted(orders[0][0][0]) == list(range(10))
    loader = DataLoader(dataset, batch_size=10, shuffle=True)
    assert _batches(loader) != _batches(loader)            # a new order each epoch


def test_samplers_and_batch_sampler():
    dataset = TensorDataset(torch.arange(10))
    subset = _batches(DataLoader(dataset, batch_size=3, sampler=SubsetRandomSampler([1, 4, 7])))
    assert sorted(subset[0][0]) == [1, 4, 7]
    weighted = DataLoader(dataset, batch_size=5,
                          sampler=WeightedRandomSampler([0.0] * 9 + [1.0], 5))
    assert _batches(weighted) == [[[9] * 5]]
    batches = DataLoader(dataset, batch_sampler=BatchSampler(SequentialSampler(dataset), 4,
                                                             drop_last=False))
    assert len(batches) == 3 and _batches(batches)[-1] == [[8, 9]]
    random = DataLoader(dataset, batch_size=5, sampler=RandomSampler(dataset))
    assert sorted(sum((b[0] for b in _batches(random)), [])) == list(range(10))
    assert isinstance(DataLoader(dataset).sampler, SequentialSampler)
    assert isinstance(DataLoader(dataset, shuffle=True).sampler, RandomSampler)


def test_iterable_and_concat_datasets():
    class Stream(IterableDataset):
        def __iter__(self):
            return iter(range(5))

    assert _batches(DataLoader(Stream(), batch_size=2)) == [[0, 1], [2, 3], [4]]
    joined = ConcatDataset([TensorDataset(torch.zeros(2)), TensorDataset(torch.ones(3))])
    assert len(DataLoader(joined, batch_size=2)) == 3


def test_random_split_with_a_generator():
    dataset = TensorDataset(torch.arange(10))
    a = random_split(dataset, [7, 3], generator=torch.Generator().manual_seed(42))
    b = random_split(dataset, [0.7, 0.3], generator=torch.Generator().manual_seed(42))
    assert [len(p) for p in a] == [7, 3] and a[0].indices.tolist() == b[0].indices.tolist()


def test_pytorch_argument_checks():
    dataset = TensorDataset(torch.zeros(4))
    with pytest.raises(ValueError, match="num_workers"):
        DataLoader(dataset, num_workers=-1)
    with pytest.raises(ValueError, match="prefetch_factor"):
        DataLoader(dataset, prefetch_factor=2)
    with pytest.raises(ValueError, match="persistent_workers"):
        DataLoader(dataset, persistent_workers=True)
    with pytest.raises(ValueError, match="exclude each other"):
        DataLoader(dataset, shuffle=True, sampler=[0, 1])
    with pytest.raises(ValueError, match="batch_sampler"):
        DataLoader(dataset, batch_size=2, batch_sampler=[[0, 1]])
    with pytest.raises(RuntimeError, match="cuda"):
        DataLoader(dataset, pin_memory=True, pin_memory_device="cuda")
    with pytest.raises(TypeError, match="generator"):
        DataLoader(dataset, generator=1)
