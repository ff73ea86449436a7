"""Buffers of the update loop: Adam's flat moments give exactly the numbers of the
per-parameter path (and PyTorch's), survive freezing and state_dict reloads,
and the shared work buffer keeps a step from allocating per parameter."""

import numpy as np
import pytest

import ndgrad

SHAPES = [(5, 3), (3,), (), (2, 2, 2)]


def _train(make, flat_limit, steps=12, freeze=None, reload_at=None):
    params = [ndgrad.nn.Parameter(np.random.default_rng(1).standard_normal(shape)
                                  .astype(np.float32)) for shape in SHAPES]
    optimizer = make(params)
    optimizer.flat_limit = flat_limit
    rng = np.random.default_rng(2)
    for step in range(steps):
        for p in params:
            p.grad = ndgrad.tensor(rng.standard_normal(p.shape).astype(np.float32)
                                   + 0.5 * p.numpy())
        params[1].trainable = not (freeze is not None and freeze[0] <= step < freeze[1])
        optimizer.step()
        if reload_at == step:
            saved = optimizer.state_dict()
            optimizer = make(params)
            optimizer.flat_limit = flat_limit
            optimizer.load_state_dict(saved)
    return [p.numpy().copy() for p in params], optimizer


CONFIGS = [
    lambda ps: ndgrad.optim.Adam(ps, lr=0.01),
    lambda ps: ndgrad.optim.Adam(ps, lr=0.01, weight_decay=0.1, maximize=True),
    lambda ps: ndgrad.optim.Adam(ps, lr=0.01, amsgrad=True),
    lambda ps: ndgrad.optim.AdamW(ps, lr=0.01),
]


@pytest.mark.parametrize("make", CONFIGS)
@pytest.mark.parametrize("events", [{}, {"freeze": (3, 6)}, {"reload_at": 5}])
def test_flat_adam_gives_the_per_parameter_numbers_exactly(make, events):
    flat, _ = _train(make, 1 << 20, **events)
    per_parameter, _ = _train(make, 0, **events)
    for a, b in zip(flat, per_parameter):
        np.testing.assert_array_equal(a, b)


def test_flat_adam_matches_pytorch():
    torch = pytest.importorskip("torch")
    ours, _ = _train(CONFIGS[0], 1 << 20)
    theirs = [torch.nn.Parameter(torch.tensor(np.random.default_rng(1).standard_normal(shape)
                                              .astype(np.float32))) for shape in SHAPES]
    optimizer = torch.optim.Adam(theirs, lr=0.01)
    rng = np.random.default_rng(2)
    for _ in range(12):
        for p in theirs:
            p.grad = (torch.tensor(rng.standard_normal(p.shape).astype(np.float32))
                      + 0.5 * p.detach())
        optimizer.step()
    for a, p in zip(ours, theirs):
        np.testing.assert_allclose(a, p.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_flat_moments_are_pieces_of_one_array_and_save_as_separate_arrays():
    _, optimizer = _train(CONFIGS[0], 1 << 20, steps=2)
    states = [optimizer.state[p] for p in optimizer.params]
    assert len({id(state["exp_avg"].base) for state in states}) == 1
    saved = optimizer.state_dict()["state"]
    assert [saved[i]["exp_avg"].shape for i in range(len(SHAPES))] == SHAPES
    assert all(saved[i]["exp_avg"].base is None for i in range(len(SHAPES)))


def test_a_zero_learning_rate_changes_no_parameter():
    w = ndgrad.Variable([1.0, 2.0])
    b = ndgrad.Variable([3.0])
    optimizer = ndgrad.optim.Adam([w, b], lr=0.0)
    (w.sum() + b.sum()).backward()
    optimizer.step()
    assert w.tolist() == [1.0, 2.0] and b.tolist() == [3.0]


def test_the_work_buffer_is_shared_and_sized_by_the_largest_parameter():
    optimizer = ndgrad.optim.SGD(lr=0.1)
    small = optimizer.scratch_like(np.zeros(3, np.float32))
    large = optimizer.scratch_like(np.zeros((4, 5), np.float32))
    again = optimizer.scratch_like(np.zeros(3, np.float32))
    assert large.shape == (4, 5) and again.base is large.base and small.base is not large.base
    assert optimizer.scratch_like(np.zeros(2, np.float64)).dtype == np.float64


@pytest.mark.parametrize("options", [{}, {"momentum": 0.9}, {"momentum": 0.9, "nesterov": True},
                                     {"momentum": 0.9, "dampening": 0.5},
                                     {"weight_decay": 0.1, "maximize": True}])
def test_sgd_never_changes_the_gradient_it_reads(options):
    w = ndgrad.Variable([1.0, -2.0, 3.0])
    optimizer = ndgrad.optim.SGD([w], lr=0.1, **options)
    for _ in range(3):
        w.grad = ndgrad.tensor([0.5, 0.25, -1.0])
        optimizer.step()
        assert w.grad.tolist() == [0.5, 0.25, -1.0]
