"""DataLoader: batch counts, dtypes, determinism per (seed, epoch), state round trips."""

import json

import numpy as np
import pytest

import ndgrad
from ndgrad.data import DataLoader, Dataset, TensorDataset, random_split


def _dataset(size=10, features=3):
    x = np.arange(size * features, dtype=np.float32).reshape(size, features)
    return TensorDataset(x, np.arange(size))


class ListDataset(Dataset):
    """A dataset read sample by sample (the loader's general path)."""

    def __init__(self, size):
        self.size = size

    def __len__(self):
        return self.size

    def __getitem__(self, index):
        if not 0 <= index < self.size:
            raise IndexError(index)
        return np.full(2, index, np.float64), index


def _label_order(loader):
    return np.concatenate([y.numpy() for _, y in loader]).tolist()


# ----------------------------------------------------------------- batches
@pytest.mark.parametrize("size, batch_size, drop_last, expected", [
    (10, 3, False, [3, 3, 3, 1]),
    (10, 3, True, [3, 3, 3]),
    (9, 3, False, [3, 3, 3]),
    (9, 3, True, [3, 3, 3]),
    (2, 5, False, [2]),
    (2, 5, True, []),
    (0, 4, False, []),
])
def test_batch_counts_and_sizes(size, batch_size, drop_last, expected):
    loader = DataLoader(_dataset(size), batch_size=batch_size, drop_last=drop_last)
    sizes = [len(y) for _, y in loader]
    assert sizes == expected
    assert len(loader) == len(expected)


def test_batches_are_tensors_that_do_not_require_grad_with_float32_and_int64():
    x = np.random.default_rng(0).random((7, 2))                # float64 data
    y = np.arange(7, dtype=np.uint8)
    for dataset in (TensorDataset(x, y), ListDataset(7)):
        xb, yb = next(iter(DataLoader(dataset, batch_size=4)))
        assert isinstance(xb, ndgrad.Tensor) and isinstance(yb, ndgrad.Tensor)
        assert xb.dtype == np.float32 and yb.dtype == np.int64
        assert not xb.requires_grad and not yb.requires_grad and xb.is_leaf
        assert xb.shape == (4, 2) and yb.shape == (4,)


def test_trainable_tensors_in_a_dataset_give_batches_without_grad():
    w = ndgrad.Variable(np.ones((4, 2), np.float32))
    (xb,) = next(iter(DataLoader(TensorDataset(w), batch_size=4)))
    assert not xb.requires_grad
    np.testing.assert_array_equal(xb.numpy(), np.ones((4, 2)))


def test_fast_path_and_sample_path_give_the_same_batches():
    fast = DataLoader(_dataset(11), batch_size=4, shuffle=True, seed=3)
    slow = DataLoader(_dataset(11), batch_size=4, shuffle=True, seed=3,
                      collate_fn=ndgrad.data.default_collate)
    for (xf, yf), (xs, ys) in zip(fast, slow, strict=True):
        np.testing.assert_array_equal(xf.numpy(), xs.numpy())
        np.testing.assert_array_equal(yf.numpy(), ys.numpy())
        assert xf.dtype == xs.dtype and yf.dtype == ys.dtype


def test_batches_are_copies_not_views_of_the_dataset():
    x = np.zeros((4, 2), np.float32)
    (xb,) = next(iter(DataLoader(TensorDataset(x), batch_size=4)))
    xb.numpy()[:] = 7
    assert x.sum() == 0


def test_single_array_samples_batch_into_one_tensor():
    class Rows(Dataset):
        def __len__(self):
            return 5

        def __getitem__(self, index):
            return np.arange(3) + index

    batches = list(DataLoader(Rows(), batch_size=2))
    assert all(isinstance(b, ndgrad.Tensor) for b in batches)
    assert batches[-1].tolist() == [[4, 5, 6]]


def test_collate_fn_receives_the_list_of_samples_and_its_result_is_the_batch():
    seen = []

    def collate(samples):
        seen.append(samples)
        return [label for _, label in samples]

    batches = list(DataLoader(_dataset(5), batch_size=2, collate_fn=collate))
    assert batches == [[0, 1], [2, 3], [4]]
    assert isinstance(seen[0], list) and len(seen[0]) == 2
    assert isinstance(seen[0][0], tuple) and seen[0][0][0].tolist() == [0.0, 1.0, 2.0]


# ----------------------------------------------------------------- determinism
def test_no_shuffle_keeps_dataset_order_and_draws_no_seed():
    state = ndgrad.random.get_state()
    loader = DataLoader(_dataset(7), batch_size=3)
    assert ndgrad.random.get_state() == state
    assert loader.seed is None
    assert _label_order(loader) == list(range(7)) == _label_order(loader)


def test_same_seed_and_epoch_give_the_same_order_and_epochs_differ():
    a = DataLoader(_dataset(50), batch_size=8, shuffle=True, seed=11)
    b = DataLoader(_dataset(50), batch_size=8, shuffle=True, seed=11)
    first_a, first_b = _label_order(a), _label_order(b)
    assert first_a == first_b and sorted(first_a) == list(range(50))
    second = _label_order(a)
    assert second != first_a and sorted(second) == list(range(50))
    assert _label_order(DataLoader(_dataset(50), shuffle=True, seed=12)) != first_a


def test_each_full_pass_advances_the_epoch_and_set_epoch_reproduces_it():
    loader = DataLoader(_dataset(30), batch_size=4, shuffle=True, seed=5)
    orders = []
    for epoch in range(3):
        assert loader.epoch == epoch
        orders.append(_label_order(loader))
    assert loader.epoch == 3
    loader.set_epoch(1)
    assert _label_order(loader) == orders[1] and loader.epoch == 2
    fresh = DataLoader(_dataset(30), batch_size=4, shuffle=True, seed=5)
    fresh.set_epoch(2)
    assert _label_order(fresh) == orders[2]
    assert loader.epoch_order(0).tolist() == orders[0]


def test_an_interrupted_pass_does_not_advance_the_epoch():
    loader = DataLoader(_dataset(20), batch_size=4, shuffle=True, seed=2)
    for _ in zip(range(2), loader):
        pass
    assert loader.epoch == 0
    assert _label_order(loader) == loader.epoch_order(0).tolist()
    assert loader.epoch == 1


def test_set_epoch_after_iter_does_not_change_the_pass_under_way():
    loader = DataLoader(_dataset(20), batch_size=20, shuffle=True, seed=2)
    iterator = iter(loader)
    loader.set_epoch(4)
    (_, labels), = list(iterator)
    assert labels.tolist() == loader.epoch_order(0).tolist()
    assert loader.epoch == 4   # the caller's choice stands


def test_seed_none_is_drawn_once_from_ndgrad_random():
    ndgrad.random.seed(123)
    first = DataLoader(_dataset(40), shuffle=True)
    ndgrad.random.seed(123)
    second = DataLoader(_dataset(40), shuffle=True)
    assert isinstance(first.seed, int) and first.seed == second.seed
    assert _label_order(first) == _label_order(second)
    assert DataLoader(_dataset(40), shuffle=True).seed != first.seed


def test_state_dict_round_trip_through_json_resumes_the_order():
    loader = DataLoader(_dataset(25), batch_size=5, shuffle=True)
    for _ in range(2):
        _label_order(loader)
    state = json.loads(json.dumps(loader.state_dict()))
    assert state == {"epoch": 2, "seed": loader.seed}
    expected = _label_order(loader)
    resumed = DataLoader(_dataset(25), batch_size=5, shuffle=True, seed=999)
    resumed.load_state_dict(state)
    assert _label_order(resumed) == expected
    assert resumed.state_dict() == loader.state_dict()


@pytest.mark.parametrize("state", [
    {"epoch": 1},
    {"epoch": -1, "seed": 3},
    {"epoch": 1, "seed": "x"},
    {"epoch": 1, "seed": None},
    [1, 2],
])
def test_load_state_dict_refuses_bad_states_and_changes_nothing(state):
    loader = DataLoader(_dataset(5), shuffle=True, seed=4)
    loader.set_epoch(3)
    with pytest.raises(ValueError, match="DataLoader.load_state_dict"):
        loader.load_state_dict(state)
    assert loader.state_dict() == {"epoch": 3, "seed": 4}


def test_subsets_of_a_tensor_dataset_batch_their_own_samples():
    train, val = random_split(_dataset(10), [7, 3], seed=0)
    labels = _label_order(DataLoader(val, batch_size=2))
    assert labels == val.indices.tolist()
    shuffled = _label_order(DataLoader(train, batch_size=3, shuffle=True, seed=1))
    assert sorted(shuffled) == sorted(train.indices.tolist())


# ----------------------------------------------------------------- refusals
@pytest.mark.parametrize("kwargs, message", [
    ({"batch_size": 0}, "batch_size must be a positive int"),
    ({"batch_size": 2.5}, "batch_size must be a positive int"),
    ({"batch_size": True}, "batch_size must be a positive int"),
    ({"seed": -1}, "seed must be a non-negative int"),
    ({"seed": 1.5}, "seed must be a non-negative int"),
])
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        DataLoader(_dataset(3), **kwargs)


def test_non_datasets_and_non_callables_are_refused():
    with pytest.raises(TypeError, match="TensorDataset"):
        DataLoader(5)
    with pytest.raises(TypeError, match="collate_fn must be callable"):
        DataLoader(_dataset(3), collate_fn="stack")
    with pytest.raises(ValueError, match="epoch must be a non-negative int"):
        DataLoader(_dataset(3)).set_epoch(-2)
