"""Factories of ndgrad.torch against PyTorch's: shapes, dtypes, values, errors."""

import numpy as np
import pytest
import torch as real

import ndgrad
import ndgrad.torch as torch


def _same(ours, theirs):
    assert isinstance(ours, ndgrad.Tensor)
    assert ours.shape == tuple(theirs.shape)
    assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "")
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", ["zeros", "ones"])
@pytest.mark.parametrize("size", [((2, 3),), (2, 3), ([4],), (5,), ((),)])
def test_filled_factories_take_every_size_form(name, size):
    _same(getattr(torch, name)(*size), getattr(real, name)(*size))


@pytest.mark.parametrize("name", ["zeros", "ones", "empty"])
def test_dtype_and_requires_grad(name):
    out = getattr(torch, name)(2, dtype=torch.float64, requires_grad=True)
    assert out.dtype == torch.float64 and out.requires_grad and out.is_leaf
    assert getattr(torch, name)(size=(1, 2), dtype=torch.long).dtype == torch.int64


@pytest.mark.parametrize("fill", [3, 2.5, True, 1 + 2j, 2j, np.complex128(1 - 1j)])
def test_full_infers_dtype_from_the_fill_as_pytorch(fill):
    _same(torch.full((2, 2), fill), real.full((2, 2), fill))
    _same(torch.full_like(torch.zeros(3, dtype=torch.complex64), fill),
          real.full_like(real.zeros(3, dtype=real.complex64), fill))
    if not isinstance(fill, complex):
        _same(torch.full_like(torch.zeros(3), fill), real.full_like(real.zeros(3), fill))


@pytest.mark.parametrize("name", ["zeros", "ones", "empty"])
@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_filled_factories_make_complex_tensors_as_pytorch(name, dtype):
    ours = getattr(torch, name)(2, 3, dtype=getattr(torch, dtype), requires_grad=True)
    theirs = getattr(real, name)(2, 3, dtype=getattr(real, dtype), requires_grad=True)
    assert str(ours.dtype) == dtype == str(theirs.dtype).replace("torch.", "")
    assert ours.shape == tuple(theirs.shape) and ours.requires_grad and ours.is_leaf
    if name != "empty":
        _same(ours.detach(), theirs.detach())
    like = getattr(torch, name + "_like")(torch.zeros(2), dtype=getattr(torch, dtype))
    assert str(like.dtype) == dtype


@pytest.mark.parametrize("data, dtype", [([1 + 2j, 3], None), (1j, None),
                                         ([1.5, 2.0], "complex64"), ([[1, 2j]], "complex128"),
                                         ([1 + 1j], "complex128")])
def test_tensor_makes_complex_tensors_as_pytorch(data, dtype):
    ours = torch.tensor(data, dtype=dtype and getattr(torch, dtype))
    _same(ours, real.tensor(data, dtype=dtype and getattr(real, dtype)))


@pytest.mark.parametrize("call", [
    lambda: torch.full((2,), 1j, dtype=torch.float32),
    lambda: torch.full((2,), 1 + 1j, dtype=torch.int64),
    lambda: torch.full_like(torch.zeros(2), 1j),
    lambda: torch.zeros(2).new_full((2,), 2j),
])
def test_a_complex_fill_for_a_real_dtype_is_refused_as_pytorch_refuses_it(call):
    with pytest.raises(TypeError, match="complex"):
        call()


def test_a_complex_fill_without_imaginary_part_fills_a_real_tensor_silently(recwarn):
    _same(torch.full((2,), 2 + 0j, dtype=torch.float32),
          real.full((2,), 2 + 0j, dtype=real.float32))
    _same(torch.full_like(torch.zeros(2), 1 + 0j), real.full_like(real.zeros(2), 1 + 0j))
    _same(torch.zeros(2).new_full((2,), 3 + 0j), real.zeros(2).new_full((2,), 3 + 0j))
    assert not [w for w in recwarn if issubclass(w.category, np.exceptions.ComplexWarning)]


def test_a_tensor_fill_is_its_value_and_one_that_requires_grad_is_refused():
    _same(torch.full((2,), torch.tensor(1.5)), real.full((2,), real.tensor(1.5)))
    _same(torch.full((2,), torch.tensor(1j)), real.full((2,), real.tensor(1j)))
    with pytest.raises(TypeError, match="requires grad"):
        torch.full((2,), torch.tensor(1.5, requires_grad=True))


@pytest.mark.parametrize("args", [(5,), (2, 7), (0, 1, 0.25), (1.5,), (10, 0, -3)])
def test_arange(args):
    _same(torch.arange(*args), real.arange(*args))


def test_linspace_logspace_eye():
    _same(torch.linspace(-1, 1, 7), real.linspace(-1, 1, 7))
    _same(torch.logspace(0, 3, 4), real.logspace(0, 3, 4))
    _same(torch.logspace(0, 2, 3, base=2.0), real.logspace(0, 2, 3, base=2.0))
    _same(torch.eye(3), real.eye(3))
    _same(torch.eye(2, 4, dtype=torch.int64), real.eye(2, 4, dtype=real.int64))


@pytest.mark.parametrize("data", [[1, 2], [1.5, 2.0], [[True, False]], 3, 2.5])
def test_tensor_dtype_inference(data):
    _same(torch.tensor(data), real.tensor(data))


def test_tensor_copies_and_detaches_and_as_tensor_shares():
    array = np.arange(3.0)
    copied, shared = torch.tensor(array), torch.as_tensor(array)
    array[0] = 9.0
    assert copied.tolist() == [0.0, 1.0, 2.0] and shared.tolist()[0] == 9.0
    assert copied.dtype == torch.float64                  # NumPy arrays keep their dtype
    x = torch.ones(2, requires_grad=True)
    with pytest.warns(ndgrad.GradientBreakWarning, match=r"detach\(\)\.clone\(\)"):
        y = torch.tensor(x * 2)                           # a cut, said aloud as PyTorch does
    assert not y.requires_grad and y.is_leaf
    assert torch.from_numpy(array).dtype == torch.float64


def test_like_factories():
    x = torch.ones(2, 3, dtype=torch.int64)
    for name in ("zeros_like", "ones_like", "empty_like"):
        out = getattr(torch, name)(x)
        assert out.shape == (2, 3) and out.dtype == torch.int64
    assert torch.zeros_like(x, dtype=torch.float32).dtype == torch.float32
    assert torch.ones_like(torch.zeros(2), requires_grad=True).requires_grad


def test_numel_is_tensor_is_floating_point():
    assert torch.numel(torch.zeros(2, 3)) == real.numel(real.zeros(2, 3)) == 6
    assert torch.is_tensor(torch.zeros(1)) and not torch.is_tensor(np.zeros(1))
    assert torch.is_floating_point(torch.zeros(1)) and not torch.is_floating_point(torch.arange(2))


def test_device_cpu_accepted_and_cuda_refused():
    assert torch.zeros(2, device="cpu").shape == (2,)
    assert torch.ones(1, device=torch.device("cpu")).shape == (1,)
    with pytest.raises(RuntimeError, match="cuda"):
        torch.zeros(2, device="cuda")
    with pytest.raises(RuntimeError, match="mps"):
        torch.tensor([1.0], device="mps")


def test_bad_arguments_are_clear():
    with pytest.raises(TypeError, match="torch.zeros: size must be ints"):
        torch.zeros(2.5)
    with pytest.raises(ValueError, match="negative dimension"):
        torch.ones(-1)
    with pytest.raises(TypeError, match="out= is not supported"):
        torch.zeros(2, out=torch.zeros(2))
    with pytest.raises(RuntimeError, match="only floating and complex tensors can require"):
        torch.zeros(2, dtype=torch.long, requires_grad=True)
    with pytest.raises(TypeError, match="either as arguments or as size="):
        torch.zeros(2, size=(3,))
