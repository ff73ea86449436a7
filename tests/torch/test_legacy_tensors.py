"""torch.Tensor(...) / torch.FloatTensor(...) legacy constructors and the isinstance
checks, against PyTorch; ndgrad.Tensor keeps its own constructor."""

import numpy as np
import pytest
import torch as real

import ndgrad
import ndgrad.torch as torch

CLASSES = ["Tensor", "FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor",
           "ShortTensor", "CharTensor", "ByteTensor", "BoolTensor"]


def _same(ours, theirs, values=True):
    assert ours.shape == tuple(theirs.shape)
    assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "")
    if values:
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("name", CLASSES)
@pytest.mark.parametrize("args", [(), (3,), (2, 3), ([1, 0, 2],), ([[1.7, 2.0]],), ([True, False],),
                                  (np.arange(3),), ((2, 3),)])
def test_constructors_give_pytorchs_shapes_dtypes_and_values(name, args):
    ours, theirs = getattr(torch, name)(*args), getattr(real, name)(*args)
    sizes_only = bool(args) and all(isinstance(a, int) for a in args)
    _same(ours, theirs, values=not sizes_only)          # PyTorch leaves sizes uninitialised
    if sizes_only:
        assert not ours.numpy().any()


def test_sizes_tensors_and_isinstance_checks():
    _same(torch.Tensor(torch.Size([2, 3])), real.Tensor(real.Size([2, 3])), values=False)
    x = torch.ones(2, requires_grad=True)
    alias = torch.Tensor(x)
    (alias * 3).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]
    theirs = real.Tensor(real.arange(3)).dtype
    assert str(torch.Tensor(torch.arange(3)).dtype) == str(theirs).replace("torch.", "")
    floats, longs = torch.ones(1), torch.ones(1, dtype=torch.long)
    for name in CLASSES:
        assert isinstance(floats, getattr(torch, name)) == isinstance(
            real.ones(1), getattr(real, name)), name
        assert isinstance(longs, getattr(torch, name)) == isinstance(
            real.ones(1, dtype=real.long), getattr(real, name)), name
    assert not isinstance(np.ones(1), torch.Tensor)
    assert issubclass(ndgrad.nn.Parameter, torch.Tensor) and issubclass(ndgrad.Tensor,
                                                                        torch.Tensor)
    assert issubclass(torch.FloatTensor, torch.Tensor) == issubclass(real.FloatTensor,
                                                                     real.Tensor)
    assert type(floats) == torch.Tensor and not type(floats) != torch.Tensor
    assert torch.Tensor.dim is ndgrad.Tensor.dim
    assert floats.type(torch.LongTensor).dtype == np.int64
    assert torch.FloatTensor.dtype == torch.float32


def test_bad_calls_are_refused_like_pytorch():
    with pytest.raises(TypeError, match="unexpected arguments"):
        torch.Tensor([1.0], dtype=torch.float64)
    with pytest.raises(TypeError, match=r"data must be a sequence \(got float\)"):
        torch.Tensor(2.5)
    with pytest.raises(ValueError, match="non-negative"):
        torch.Tensor(-1)
    with pytest.raises(TypeError, match="expected a tensor of dtype int64, got float32"):
        torch.LongTensor(torch.ones(2))
    with pytest.raises(ndgrad.DeviceError):
        torch.Tensor(2, device="cuda")
    assert torch.Tensor(2, device="cpu").shape == (2,)
    with pytest.raises(TypeError, match="subclass ndgrad.Tensor instead"):
        class Mine(torch.Tensor):
            pass


def test_the_core_constructor_keeps_its_meaning():
    assert ndgrad.Tensor(3).shape == () and ndgrad.Tensor([1, 2]).tolist() == [1, 2]
