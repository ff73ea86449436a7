"""Complex tensors in safetensors files (``ndgrad.io.complex_tensors``): stored as
float pairs with a marker in the JSON header (format 3), read back complex; a marker
that does not fit the stored tensor is refused; PyTorch's own complex64 files load."""

import json

import numpy as np
import pytest

import ndgrad
from ndgrad.io import CheckpointError, load_checkpoint, save_checkpoint
from ndgrad.io.safetensors_file import read_tensors, write_tensors

safetensors_numpy = pytest.importorskip("safetensors.numpy")


def _complex(rng, shape, dtype):
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)


def _stored(path):
    """The tensors and the ndgrad header as a plain safetensors reader sees them."""
    with open(path, "rb") as file:
        data = file.read()
    size = int.from_bytes(data[:8], "little")
    metadata = json.loads(data[8:8 + size])["__metadata__"]
    return safetensors_numpy.load(data), json.loads(metadata["ndgrad"])


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128, np.dtype(">c16")])
def test_complex_arrays_are_stored_as_float_pairs_and_read_back_complex(tmp_path, rng, dtype):
    z = _complex(rng, (3, 2), dtype)
    path = tmp_path / "z.safetensors"
    write_tensors(path, {"z": z, "scalar": np.complex64(1 - 2j), "w": np.ones(2, np.float32)},
                  {"kind": "weights"})
    plain, header = _stored(path)
    assert plain["z"].shape == (3, 2, 2) and plain["z"].dtype.kind == "f"
    np.testing.assert_array_equal(plain["z"][..., 0], z.real)
    np.testing.assert_array_equal(plain["z"][..., 1], z.imag)
    assert header["version"] == 3
    assert header["complex"] == {"z": np.dtype(dtype).newbyteorder("=").name,
                                 "scalar": "complex64"}
    tensors, _ = read_tensors(path)
    assert tensors["z"].dtype == np.dtype(dtype).newbyteorder("=")
    np.testing.assert_array_equal(tensors["z"], z)
    assert tensors["scalar"].shape == () and tensors["scalar"] == np.complex64(1 - 2j)
    assert tensors["w"].dtype == np.float32


def test_a_file_without_complex_tensors_keeps_format_2(tmp_path):
    path = tmp_path / "w.safetensors"
    write_tensors(path, {"w": np.ones(2, np.float32)}, {"kind": "weights"})
    _, header = _stored(path)
    assert header["version"] == 2 and "complex" not in header


def test_a_dtype_without_a_safetensors_form_is_refused_on_writing(tmp_path):
    if np.dtype(np.clongdouble).itemsize == 16:
        pytest.skip("clongdouble is complex128 on this platform")
    with pytest.raises(TypeError, match="has no safetensors form"):
        write_tensors(tmp_path / "x.safetensors", {"z": np.zeros(2, np.clongdouble)}, {})


@pytest.mark.parametrize("marker, stored, words", [
    ({"z": "complex64"}, np.zeros(3, np.float32), "must be stored as float32 pairs"),
    ({"z": "complex64"}, np.zeros((3, 2), np.float64), "must be stored as float32 pairs"),
    ({"z": "complex128"}, np.zeros((3, 2), np.float32), "must be stored as float64 pairs"),
    ({"z": "float32"}, np.zeros((3, 2), np.float32), "not a complex dtype"),
    ({"other": "complex64"}, np.zeros((3, 2), np.float32), "holds no tensor of that name"),
    (["z"], np.zeros((3, 2), np.float32), "not a dict of tensor names"),
])
def test_a_complex_marker_that_does_not_fit_is_refused(tmp_path, marker, stored, words):
    path = tmp_path / "bad.safetensors"
    # a sealed file whose (intact) header carries a wrong marker: a writer's bug, not damage
    write_tensors(path, {"z": stored}, {"kind": "weights", "complex": marker})
    with pytest.raises(CheckpointError, match=words):
        read_tensors(path)


def test_pytorchs_complex64_safetensors_files_load(tmp_path):
    torch = pytest.importorskip("torch")
    from safetensors.torch import save_file
    z = torch.randn(2, 3, dtype=torch.complex64)
    path = tmp_path / "torch.safetensors"
    save_file({"z": z}, str(path))
    tensors, header = read_tensors(path)
    assert header is None and tensors["z"].dtype == np.complex64
    np.testing.assert_array_equal(tensors["z"], z.numpy())
    loaded = ndgrad.torch.load(path)
    assert loaded["z"].dtype == np.complex64


def test_pytorch_reads_ndgrads_complex_pairs_with_view_as_complex(tmp_path, rng):
    torch = pytest.importorskip("torch")
    from safetensors.torch import load_file
    z = _complex(rng, (4,), np.complex128)
    path = tmp_path / "ours.safetensors"
    write_tensors(path, {"z": z}, {"kind": "weights"})
    np.testing.assert_array_equal(torch.view_as_complex(load_file(str(path))["z"]).numpy(), z)


def test_a_checkpoint_of_a_complex_adam_run_resumes_exactly(tmp_path, rng):
    start, target = _complex(rng, (2, 3), np.complex64), _complex(rng, (2, 3), np.complex64)

    def make():
        model = ndgrad.nn.Module()
        model.w = ndgrad.nn.Parameter(ndgrad.tensor(start))
        return model, ndgrad.optim.Adam(model.parameters(), lr=0.05, amsgrad=True)

    def steps(model, optimizer, count):
        for _ in range(count):
            optimizer.zero_grad()
            (ndgrad.abs(model.w - ndgrad.tensor(target)) ** 3).sum().backward()
            optimizer.step()

    model, optimizer = make()
    steps(model, optimizer, 4)
    save_checkpoint(tmp_path / "run.safetensors", model, optimizer, epoch=1)
    steps(model, optimizer, 4)
    resumed, resumed_optimizer = make()
    load_checkpoint(tmp_path / "run.safetensors", resumed, resumed_optimizer)
    assert resumed.w.dtype == np.complex64
    steps(resumed, resumed_optimizer, 4)
    np.testing.assert_array_equal(resumed.w.detach().numpy(), model.w.detach().numpy())
