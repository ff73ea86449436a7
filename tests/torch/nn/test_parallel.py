"""torch.nn.DataParallel on the CPU, checked against PyTorch's (which, with no GPU
visible, also runs the module itself); DistributedDataParallel is the core's
(tests/distributed/ checks it)."""

import io
import warnings

import numpy as np
import pytest
import torch as real

import ndgrad
import ndgrad.torch as torch

nn = torch.nn


def _pair():
    ours = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    theirs = real.nn.Sequential(real.nn.Linear(3, 4), real.nn.ReLU(), real.nn.Linear(4, 2))
    theirs.load_state_dict({k: real.from_numpy(v.numpy().copy())
                            for k, v in ours.state_dict().items()})
    return ours, theirs


def test_data_parallel_runs_the_module_with_pytorchs_names():
    ours, theirs = _pair()
    wrapped = nn.DataParallel(ours)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        their_wrapped = real.nn.DataParallel(theirs)
    assert list(wrapped.state_dict()) == list(their_wrapped.state_dict())
    assert [n for n, _ in wrapped.named_parameters()] == [
        n for n, _ in their_wrapped.named_parameters()]
    assert wrapped.module is ours and wrapped.device_ids == their_wrapped.device_ids == []
    x = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)
    out, their_out = wrapped(torch.tensor(x)), their_wrapped(real.tensor(x))
    np.testing.assert_allclose(out.detach().numpy(), their_out.detach().numpy(), rtol=1e-6)
    out.sum().backward()
    their_out.sum().backward()
    np.testing.assert_allclose(ours[0].weight.grad.numpy(), theirs[0].weight.grad.numpy(),
                               rtol=1e-5)
    assert repr(wrapped).splitlines()[:2] == repr(their_wrapped).splitlines()[:2]
    assert nn.DataParallel is nn.parallel.DataParallel


def test_a_wrapped_checkpoint_loads_into_a_wrapped_model_and_trains():
    model = nn.DataParallel(nn.Linear(2, 1))
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    buffer.seek(0)
    other = nn.DataParallel(nn.Linear(2, 1), device_ids=None, output_device="cpu", dim=0)
    other.load_state_dict(torch.load(buffer))
    assert torch.equal(other.module.weight, model.module.weight)
    optimizer = torch.optim.SGD(other.parameters(), lr=0.1)
    loss = other(torch.ones(4, 2)).pow(2).mean()
    loss.backward()
    optimizer.step()
    assert not torch.equal(other.module.weight, model.module.weight)
    whole = io.BytesIO()
    torch.save(model, whole)
    whole.seek(0)
    assert type(torch.load(whole).module).__name__ == "Linear"


def test_the_functional_form_and_the_refusals():
    layer = nn.Linear(2, 2)
    x = torch.ones(1, 2)
    assert torch.equal(nn.parallel.data_parallel(layer, x), layer(x))
    assert torch.equal(nn.parallel.data_parallel(layer, (x,), module_kwargs={}), layer(x))
    for device_ids in ([0], [0, 1], ["cuda:0"], [torch.device("cuda")]):
        with pytest.raises(ndgrad.DeviceError, match=r"DataParallel: device .* names a GPU.*"
                                                      r"leave device_ids"):
            nn.DataParallel(layer, device_ids=device_ids)
    with pytest.raises(ndgrad.DeviceError, match="names a GPU"):
        nn.DataParallel(layer, output_device=0)
    with pytest.raises(TypeError, match="must be an nn.Module"):
        nn.DataParallel(lambda x: x)
    assert torch.equal(nn.DataParallel(layer, device_ids=["cpu"])(x), layer(x))
    with pytest.raises(ValueError, match=r"DistributedDataParallel: device 0 names a GPU"):
        nn.parallel.DistributedDataParallel(layer, device_ids=[0])
    from ndgrad.torch.nn.parallel import DistributedDataParallel as DDP
    assert DDP is ndgrad.distributed.DistributedDataParallel and not isinstance(layer, DDP)
    with pytest.raises(AttributeError, match=r"torch\.nn\.parallel\.scatter is not supported"):
        nn.parallel.scatter
