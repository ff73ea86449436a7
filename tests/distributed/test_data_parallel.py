"""DistributedDataParallel in a world of one: the same training as the bare module,
PyTorch's names and refusals, buckets, no_sync and unused parameters (the
two-rank behaviour is in test_mpi.py)."""

import tempfile

import numpy as np
import pytest

import ndgrad
import ndgrad.torch as torch
from ndgrad.distributed import DistributedDataParallel as DDP
from ndgrad.distributed.buckets import assign_buckets
from ndgrad.distributed.consistency import describe, first_difference

nn = torch.nn


def _mlp():
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))


def test_training_through_ddp_equals_training_the_module():
    torch.manual_seed(0)
    bare = _mlp()
    wrapped = _mlp()
    wrapped.load_state_dict(bare.state_dict())
    model = DDP(wrapped, bucket_cap_mb=0.0001)
    assert len(model._reducer.buckets) >= 2
    optimizers = [torch.optim.Adam(m.parameters(), lr=0.01) for m in (bare, model)]
    x, y = torch.randn(16, 4), torch.randn(16, 2)
    for _ in range(5):
        for module, optimizer in zip((bare, model), optimizers):
            optimizer.zero_grad()
            nn.functional.mse_loss(module(x), y).backward()
            optimizer.step()
    for a, b in zip(bare.parameters(), wrapped.parameters()):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_pytorchs_shape_module_and_prefixed_state_dict():
    model = DDP(_mlp())
    assert model.module.__class__.__name__ == "Sequential"
    assert list(model.state_dict()) == ["module.0.weight", "module.0.bias", "module.2.weight",
                                        "module.2.bias"]
    assert [n for n, _ in model.named_parameters()][0] == "module.0.weight"
    assert repr(model).splitlines()[:2] == ["DistributedDataParallel(", "  (module): Sequential("]
    other = DDP(_mlp())
    other.load_state_dict(model.state_dict())
    assert torch.equal(other.module[0].weight, model.module[0].weight)
    assert DDP is torch.nn.parallel.DistributedDataParallel


class _TwoBranches(nn.Module):
    def __init__(self):
        super().__init__()
        self.used = nn.Linear(3, 2)
        self.unused = nn.Linear(3, 2)

    def forward(self, x):
        return self.used(x)


def test_a_parameter_without_gradient_is_an_error_naming_it_unless_find_unused():
    model = DDP(_TwoBranches())
    with pytest.raises(RuntimeError, match=r"2 trainable parameter\(s\) got no gradient in this "
                                           r"backward: 'unused.weight', 'unused.bias'.*"
                                           r"find_unused_parameters=True"):
        model(torch.ones(2, 3)).sum().backward()
    with pytest.raises(RuntimeError, match=r"got no gradient in this backward"):
        model(torch.ones(2, 3)).sum().backward()               # each iteration starts anew
    tolerant = DDP(_TwoBranches(), find_unused_parameters=True)
    for _ in range(2):
        tolerant(torch.ones(2, 3)).sum().backward()
    assert tolerant.module.unused.weight.grad is None          # no rank used it: untouched
    assert tolerant.module.used.bias.grad.tolist() == [4.0, 4.0]


def test_frozen_parameters_are_left_out_and_a_second_backward_stays_local():
    module = _mlp()
    module[0].requires_grad_(False)
    model = DDP(module)
    assert model._reducer.names == ["2.weight", "2.bias"]
    out = model(torch.ones(2, 4)).sum()
    out.backward(retain_graph=True)
    assert not model._reducer.expect        # averaged once; as PyTorch, a second backward
    out.backward()                          # of the same forward only accumulates locally
    assert model.module[2].bias.grad.tolist() == [4.0, 4.0] and module[0].weight.grad is None


def test_no_sync_accumulates_and_the_next_backward_averages():
    model = DDP(nn.Linear(2, 1))
    with model.no_sync():
        assert not model.require_backward_grad_sync
        model(torch.ones(3, 2)).sum().backward()
    assert model.require_backward_grad_sync
    model(torch.ones(3, 2)).sum().backward()
    assert model.module.bias.grad.tolist() == [6.0]
    with ndgrad.no_grad():
        model(torch.ones(3, 2))                                 # evaluation: nothing expected
    assert not model._reducer.expect


@pytest.mark.parametrize("make, error, match", [
    (lambda: DDP(lambda x: x), TypeError, r"module must be an nn.Module .* got function"),
    (lambda: DDP(nn.ReLU()), RuntimeError, r"not needed when a module has no parameter"),
    (lambda: DDP(nn.Linear(1, 1), bucket_cap_mb=0), ValueError, r"bucket_cap_mb must be a "
                                                                r"positive number"),
    (lambda: DDP(nn.Linear(1, 1), device_ids=[0]), ValueError, r"device 0 names a GPU"),
    (lambda: DDP(nn.Linear(1, 1), process_group="pg"), ValueError, r"process_group must be None"),
])
def test_bad_arguments_are_refused_before_anything_changes(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_buckets_follow_reverse_order_one_dtype_each_with_a_small_first_one():
    parameters = [ndgrad.zeros(300), ndgrad.zeros(300), ndgrad.zeros(10, dtype="float64"),
                  ndgrad.zeros(300)]
    assert assign_buckets(parameters, cap_bytes=2000, first_cap_bytes=1000) == [[3], [2], [1, 0]]
    assert assign_buckets(parameters, cap_bytes=10**6, first_cap_bytes=10**6) == [[3, 1, 0], [2]]


def test_model_descriptions_and_their_first_difference():
    a, b = describe(_mlp()), describe(nn.Sequential(nn.Linear(4, 8), nn.ReLU()))
    assert a[0] == ["parameter", "0.weight", [8, 4], "float32", True]
    assert first_difference(a, a, 0, 1) is None
    assert first_difference(a, b, 0, 3) == (
        "rank 0 has 4 parameters, rank 3 has 2; the first extra one is parameter '2.weight' of "
        "shape (2, 8) float32 trainable on rank 0")
    frozen = describe(_mlp().requires_grad_(False))
    assert "0.weight' of shape (8, 4) float32 frozen on rank 1" in first_difference(a, frozen, 0, 1)


def test_the_same_names_and_unused_semantics_as_pytorchs_ddp():
    real = pytest.importorskip("torch")
    import torch.distributed as real_dist
    if real_dist.is_initialized():
        pytest.skip("a torch process group is already running in this process")
    with tempfile.NamedTemporaryFile() as store:
        real_dist.init_process_group("gloo", init_method=f"file://{store.name}", rank=0,
                                     world_size=1)
        try:
            theirs = real.nn.parallel.DistributedDataParallel(
                real.nn.Sequential(real.nn.Linear(4, 8), real.nn.ReLU(), real.nn.Linear(8, 2)))
            assert list(theirs.state_dict()) == list(DDP(_mlp()).state_dict())

            class Branches(real.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.used, self.unused = real.nn.Linear(3, 2), real.nn.Linear(3, 2)

                def forward(self, x):
                    return self.used(x)
            tolerant = real.nn.parallel.DistributedDataParallel(Branches(),
                                                                find_unused_parameters=True)
            tolerant(real.ones(2, 3)).sum().backward()
            assert tolerant.module.unused.weight.grad is None
            assert tolerant.module.used.bias.grad.tolist() == [2.0, 2.0]
        finally:
            real_dist.destroy_process_group()
