"""torch.save / torch.load: safetensors + JSON round trips, PyTorch's own files refused."""

import io
import math

import numpy as np
import pytest
import torch as real
from safetensors.torch import save_file

import ndgrad
import ndgrad.torch as torch
import ndgrad.torch.nn as nn
from ndgrad.io import CheckpointError


def _trained():
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(2):
        optimizer.zero_grad()
        (model(torch.randn(5, 3)) ** 2).mean().backward()
        optimizer.step()
    return model, optimizer


def _assert_same(a, b):
    assert type(a) is type(b), (type(a), type(b))
    if isinstance(a, dict):
        assert list(a) == list(b)
        for key in a:
            _assert_same(a[key], b[key])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _assert_same(x, y)
    elif isinstance(a, ndgrad.Tensor):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    elif isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b)
    elif isinstance(a, float) and math.isnan(a):
        assert math.isnan(b)
    else:
        assert a == b


def test_model_and_optimizer_state_dicts_round_trip(tmp_path):
    model, optimizer = _trained()
    checkpoint = {"epoch": 7, "model_state_dict": model.state_dict(),
                  "optimizer_state_dict": optimizer.state_dict(), "loss": 0.25,
                  "history": [(1, 0.5), (2, 0.3)], "note": None}
    path = tmp_path / "checkpoint.pt"
    torch.save(checkpoint, path)
    loaded = torch.load(path, map_location="cpu", weights_only=True)
    _assert_same(checkpoint, loaded)

    fresh, fresh_optimizer = _trained()
    fresh.load_state_dict(loaded["model_state_dict"])
    fresh_optimizer.load_state_dict(loaded["optimizer_state_dict"])
    x = torch.randn(4, 3)
    model.eval(), fresh.eval()
    assert torch.equal(model(x), fresh(x))
    _assert_same(optimizer.state_dict(), fresh_optimizer.state_dict())


def test_values_of_every_kind_round_trip_through_a_file_object():
    shared = torch.arange(3)
    obj = {"ints": {0: 1, -1: 2}, "tuple_key": {(1, "a"): True}, "floats": [1.5, math.inf,
           -math.inf, math.nan], "shared": [shared, shared], "array": np.eye(2),
           "leaf": torch.ones(2, requires_grad=True), "param": nn.Parameter(torch.zeros(1)),
           "empty": torch.zeros(0, 3), "scalar": torch.tensor(2.5), "text": "é", "flag": False,
           "numpy_number": np.float32(0.5), "half": torch.ones(2, dtype=torch.float16),
           "bools": torch.tensor([True, False]), "nested": [[{"a": ()}]]}
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    buffer.seek(0)
    loaded = torch.load(buffer)
    assert loaded["shared"][0] is loaded["shared"][1]
    assert loaded["leaf"].requires_grad and loaded["leaf"].is_leaf
    assert isinstance(loaded["param"], nn.Parameter) and loaded["param"].requires_grad
    assert loaded["numpy_number"] == 0.5 and type(loaded["numpy_number"]) is float
    obj["numpy_number"] = 0.5
    _assert_same(obj, loaded)


def test_a_plain_tensor_and_a_list(tmp_path):
    torch.save(torch.arange(4.0), tmp_path / "t.pt")
    assert torch.load(tmp_path / "t.pt").tolist() == [0.0, 1.0, 2.0, 3.0]
    torch.save([1, "two"], str(tmp_path / "l.pt"))
    assert torch.load(str(tmp_path / "l.pt")) == [1, "two"]


def test_files_written_by_pytorch_are_refused_unread(tmp_path):
    state = real.nn.Linear(2, 2).state_dict()
    zipped, legacy = tmp_path / "zip.pt", tmp_path / "legacy.pt"
    real.save(state, zipped)
    real.save(state, legacy, _use_new_zipfile_serialization=False)
    for path in (zipped, legacy):
        with pytest.raises(CheckpointError, match="never unpickles") as error:
            torch.load(path)
        assert "safetensors.torch import save_file" in str(error.value)
        with open(path, "rb") as file, pytest.raises(CheckpointError, match="never unpickles"):
            torch.load(file)


def test_the_conversion_recipe_gives_a_file_that_loads(tmp_path):
    module = real.nn.Linear(3, 2)
    path = tmp_path / "model.safetensors"
    save_file(module.state_dict(), path)           # what the error message says to run
    state = torch.load(path)
    ours = nn.Linear(3, 2)
    ours.load_state_dict(state)
    x = np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32)
    np.testing.assert_allclose(ours(torch.tensor(x)).detach().numpy(),
                               module(real.tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-6)


def test_ndgrad_weight_files_load_and_checkpoints_are_pointed_elsewhere(tmp_path):
    model = nn.Linear(2, 1)
    ndgrad.io.save_weights(model, tmp_path / "w.safetensors")
    assert sorted(torch.load(tmp_path / "w.safetensors")) == ["bias", "weight"]
    ndgrad.io.save_checkpoint(tmp_path / "c.safetensors", model)
    with pytest.raises(CheckpointError, match="load_checkpoint"):
        torch.load(tmp_path / "c.safetensors")


def test_objects_without_a_safe_form_are_refused_with_what_to_save(tmp_path):
    optimizer = torch.optim.SGD(nn.Linear(2, 1).parameters(), lr=0.1)
    with pytest.raises(TypeError, match=r"Save its state_dict\(\) instead"):
        torch.save(optimizer, tmp_path / "m.pt")
    with pytest.raises(TypeError, match=r"at obj\['fn'\]"):
        torch.save({"fn": len}, tmp_path / "f.pt")
    with pytest.raises(TypeError, match="keys must be"):
        torch.save({frozenset(): 1}, tmp_path / "k.pt")
    assert not list(tmp_path.iterdir())
    with pytest.raises(TypeError, match="never pickles"):
        torch.save({}, tmp_path / "p.pt", pickle_module=object())


def test_load_arguments(tmp_path):
    torch.save({"a": 1}, tmp_path / "a.pt")
    for location in (None, "cpu", torch.device("cpu"), {"cuda:0": "cpu"},
                     lambda storage, loc: storage):
        assert torch.load(tmp_path / "a.pt", map_location=location) == {"a": 1}
    with pytest.raises(RuntimeError, match="cuda"):
        torch.load(tmp_path / "a.pt", map_location="cuda:0")
    with pytest.raises(CheckpointError, match="no such file"):
        torch.load(tmp_path / "missing.pt")
    (tmp_path / "junk.pt").write_bytes(b"\x05\x00\x00\x00\x00\x00\x00\x00{}")
    with pytest.raises(CheckpointError):
        torch.load(tmp_path / "junk.pt")
    with pytest.raises(TypeError, match="path or a binary file object"):
        torch.load(3)


def test_complex_tensors_and_arrays_round_trip_with_their_dtypes(tmp_path):
    rng = np.random.default_rng(0)
    z = (rng.standard_normal((3, 4)) + 1j * rng.standard_normal((3, 4)))
    obj = {"c64": torch.tensor(z.astype(np.complex64)), "c128": torch.tensor(z),
           "scalar": torch.tensor(2 - 1j), "strided": torch.tensor(z).T,
           "parameter": nn.Parameter(torch.tensor(z.astype(np.complex64))),
           "array": z[:, ::2].astype(np.complex64), "real": torch.ones(2)}
    path = tmp_path / "complex.pt"
    torch.save(obj, path)
    loaded = torch.load(path)
    for key, value in obj.items():
        expected = value if isinstance(value, np.ndarray) else value.detach().numpy()
        got = loaded[key] if isinstance(loaded[key], np.ndarray) else loaded[key].detach().numpy()
        assert got.dtype == expected.dtype and got.shape == expected.shape, key
        np.testing.assert_array_equal(got, expected)
    assert isinstance(loaded["parameter"], nn.Parameter)


def test_a_complex_adam_run_saved_and_loaded_continues_as_uninterrupted_and_as_pytorch(
        tmp_path):
    rng = np.random.default_rng(1)
    start = (rng.standard_normal((2, 3)) + 1j * rng.standard_normal((2, 3))).astype(np.complex64)
    target = (rng.standard_normal((2, 3)) + 1j * rng.standard_normal((2, 3))).astype(np.complex64)

    def make(values):
        model = nn.Module()
        model.w = nn.Parameter(torch.tensor(values))
        return model, torch.optim.Adam(model.parameters(), lr=0.05, amsgrad=True)

    def steps(model, optimizer, count):
        for _ in range(count):
            optimizer.zero_grad()
            ((model.w - torch.tensor(target)).abs() ** 3).sum().backward()
            optimizer.step()

    model, optimizer = make(start)
    steps(model, optimizer, 5)
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()},
               tmp_path / "run.pt")
    steps(model, optimizer, 5)

    resumed, resumed_optimizer = make(np.zeros_like(start))
    checkpoint = torch.load(tmp_path / "run.pt")
    assert checkpoint["optimizer"]["state"][0]["exp_avg"].dtype == np.complex64
    resumed.load_state_dict(checkpoint["model"])
    resumed_optimizer.load_state_dict(checkpoint["optimizer"])
    steps(resumed, resumed_optimizer, 5)
    np.testing.assert_array_equal(resumed.w.detach().numpy(), model.w.detach().numpy())

    w = real.tensor(start, requires_grad=True)
    reference = real.optim.Adam([w], lr=0.05, amsgrad=True)
    for _ in range(10):
        reference.zero_grad()
        ((w - real.tensor(target)).abs() ** 3).sum().backward()
        reference.step()
    np.testing.assert_allclose(model.w.detach().numpy(), w.detach().numpy(), rtol=1e-5,
                               atol=1e-6)
