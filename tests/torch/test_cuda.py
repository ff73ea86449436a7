"""torch.cuda, torch.backends and torch.accelerator: no GPU, said clearly."""

import pytest

import ndgrad
import ndgrad.torch as torch


def test_nothing_is_available_and_seeding_is_accepted():
    assert not torch.cuda.is_available() and torch.cuda.device_count() == 0
    assert not torch.cuda.is_initialized()
    for call in (torch.cuda.manual_seed, torch.cuda.manual_seed_all):
        assert call(0) is None
    torch.cuda.seed(), torch.cuda.seed_all(), torch.cuda.empty_cache()
    assert not torch.backends.mps.is_available() and not torch.backends.mps.is_built()
    assert not torch.backends.cudnn.is_available() and torch.backends.cudnn.version() is None
    assert not torch.backends.cuda.is_built()
    assert not torch.accelerator.is_available() and torch.accelerator.device_count() == 0
    assert torch.accelerator.current_accelerator() is None


def test_flags_programs_set_are_accepted():
    torch.backends.cudnn.benchmark = True
    torch.backends.cudnn.deterministic = True
    torch.backends.cuda.matmul.allow_tf32 = True
    import ndgrad.torch.backends.cudnn as cudnn
    assert cudnn.benchmark and cudnn is torch.backends.cudnn


def test_using_a_gpu_is_a_clear_error():
    for call in (torch.cuda.current_device, torch.cuda.synchronize,
                 lambda: torch.cuda.get_device_name(0)):
        with pytest.raises(RuntimeError, match="CUDA is not available in ndgrad"):
            call()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    assert device == "cpu"
    with pytest.raises(ndgrad.DeviceError, match="cuda"):
        torch.ones(2).to(torch.device("cuda"))
    with pytest.raises(ndgrad.DeviceError, match="torch.randn"):
        torch.randn(2, device="cuda:0")
    with pytest.raises(ndgrad.DeviceError):
        torch.Generator(device="cuda")
