"""Global switches: default dtype, print options, threads, determinism, compile."""

import numpy as np
import pytest

import ndgrad
import ndgrad.torch as torch


def test_default_dtype_is_float32_and_fixed():
    assert torch.get_default_dtype() == torch.float32
    torch.set_default_dtype(torch.float32)
    with pytest.raises(ValueError, match="dtype=torch.float64"):
        torch.set_default_dtype(torch.float64)


def test_print_options_reach_the_repr():
    before = np.get_printoptions()
    try:
        torch.set_printoptions(precision=2)
        assert "0.33" in repr(torch.tensor([1 / 3])) and "0.333" not in repr(torch.tensor([1 / 3]))
    finally:
        np.set_printoptions(**before)


def test_threads_and_determinism_are_recorded():
    before, fft_before = torch.get_num_threads(), ndgrad.fft.get_workers()
    try:
        torch.set_num_threads(3)
        assert torch.get_num_threads() == 3
        assert ndgrad.fft.get_workers() == 3    # torch.fft's transforms follow it
        with pytest.raises(ValueError, match="positive int"):
            torch.set_num_threads(0)
        assert ndgrad.fft.get_workers() == 3
    finally:
        torch.set_num_threads(before)
        ndgrad.fft.set_workers(fft_before)
    torch.use_deterministic_algorithms(True, warn_only=True)
    assert torch.are_deterministic_algorithms_enabled()
    torch.use_deterministic_algorithms(False)


def test_compile_returns_the_model_itself():
    model = torch.nn.Linear(2, 1)
    assert torch.compile(model) is model
    assert torch.compile(model, mode="reduce-overhead", fullgraph=True) is model

    @torch.compile
    def double(x):
        return x * 2

    @torch.compile(dynamic=True)
    def triple(x):
        return x * 3
    assert double(torch.ones(1)).item() == 2.0 and triple(torch.ones(1)).item() == 3.0


def test_dtypes_are_numpy_dtypes():
    x = torch.zeros(2, dtype=torch.long)
    assert x.dtype == torch.int64 == torch.long and isinstance(torch.float, torch.dtype)
    assert torch.finfo(torch.float32).eps == np.finfo(np.float32).eps
    assert torch.iinfo(torch.int32).max == 2**31 - 1
    assert torch.Size([2, 3]) == (2, 3) and isinstance(x, torch.Tensor) and type(x) == torch.Tensor
