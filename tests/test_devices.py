"""Decision D2: the CPU is the one device; accelerators can be named, never used."""

import numpy as np
import pytest

import ndgrad
from ndgrad.devices import check_device, parse_to


def test_a_device_is_a_string_with_pytorchs_fields():
    cpu = ndgrad.device("cpu")
    assert cpu == "cpu" and str(cpu) == "cpu" and cpu.type == "cpu" and cpu.index is None
    assert repr(cpu) == "device(type='cpu')" and {cpu: 1}["cpu"] == 1
    assert ndgrad.device(cpu) is cpu and ndgrad.device("cpu", 0).index == 0
    cuda = ndgrad.device("cuda:1")
    assert cuda.type == "cuda" and cuda.index == 1 and repr(cuda) == "device(type='cuda', index=1)"
    with pytest.raises(ValueError, match="unknown device type 'gpu'"):
        ndgrad.device("gpu")
    with pytest.raises(ValueError, match="invalid device string"):
        ndgrad.device("cuda:x")


def test_tensors_live_on_the_cpu():
    t = ndgrad.ones(2)
    assert t.device == "cpu" and t.device.type == "cpu" and not t.is_cuda
    assert t.cpu() is t and t.to("cpu") is t and t.to(ndgrad.device("cpu")) is t


@pytest.mark.parametrize("call", [
    lambda t: t.cuda(), lambda t: t.cuda(0), lambda t: t.to("cuda"),
    lambda t: t.to(ndgrad.device("cuda", 0)), lambda t: t.to("mps"),
    lambda t: t.to(device="cuda:0", dtype=ndgrad.float64), lambda t: t.new_zeros(2, device="cuda"),
])
def test_using_an_accelerator_is_a_clear_error(call):
    t = ndgrad.ones(2)
    with pytest.raises(ndgrad.DeviceError, match="ndgrad runs on the CPU; torch.cuda.is_available"
                                                 r"\(\) is False"):
        call(t)
    assert t.dtype == np.float32


def test_to_reads_pytorchs_forms():
    t = ndgrad.tensor([1.5, 2.5])
    assert t.to(ndgrad.float64).dtype == np.float64
    assert t.to("cpu", ndgrad.float64).dtype == np.float64
    assert t.to(device="cpu", dtype="float16").dtype == np.float16
    assert t.to(ndgrad.tensor([1])).dtype == np.int64
    assert t.to(ndgrad.float32) is t and t.to(ndgrad.float32, copy=True) is not t
    assert t.to("cpu", non_blocking=True) is t
    with pytest.raises(TypeError, match="unexpected keyword"):
        t.to(colour="red")
    assert parse_to("to", ("cpu", ndgrad.float64, False, True), {}) == (np.float64, True)


def test_dtype_conversions_by_pytorchs_names():
    t = ndgrad.tensor([1.7, -2.2])
    assert t.type() == "torch.FloatTensor" and t.long().type() == "torch.LongTensor"
    assert t.type(ndgrad.float64).dtype == np.float64
    assert t.type("torch.IntTensor").tolist() == [1, -2]
    assert t.double().element_size() == 8 and t.half().element_size() == 2
    assert t.byte().dtype == np.uint8 and t.short().dtype == np.int16 and t.bool().dtype == bool
    assert t.int().type_as(t).dtype == np.float32
    assert t.is_floating_point() and not t.long().is_floating_point() and not t.is_complex()


def test_check_device_accepts_only_the_cpu():
    assert check_device(None) == "cpu" and check_device("cpu:0") == "cpu"
    with pytest.raises(ndgrad.DeviceError, match="zeros: ndgrad runs on the CPU"):
        check_device("cuda", "zeros")
    with pytest.raises(ndgrad.DeviceError, match="'cuda:0'"):
        check_device(0)


def test_modules_move_to_the_cpu_and_refuse_cuda_before_any_change():
    model = ndgrad.nn.Sequential(ndgrad.nn.Linear(2, 3), ndgrad.nn.ReLU())
    device = ndgrad.device("cpu")
    assert model.to(device) is model and model.cpu() is model
    before = model[0].weight.tolist()
    with pytest.raises(ndgrad.DeviceError, match="Module.cuda: ndgrad runs on the CPU"):
        model.cuda()
    with pytest.raises(ndgrad.DeviceError):
        model.to("cuda", ndgrad.float64)
    assert model[0].weight.dtype == np.float32 and model[0].weight.tolist() == before
    assert model.to(device, ndgrad.float64)[0].weight.dtype == np.float64
    assert model.to(dtype=ndgrad.float32)[0].bias.dtype == np.float32
