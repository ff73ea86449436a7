"""Files that must be refused with a clear error and no change: missing,
empty, truncated, garbled, corrupted, a pickle (never unpickled), a torch.save zip."""

import json
import os
import pickle
import zipfile

import numpy as np
import pytest

import ndgrad
from ndgrad.io import (CheckpointError, CheckpointNotFoundError, load_checkpoint,
                       load_weights, save_checkpoint)

nn = ndgrad.nn


class _CreatesMarker:
    """Unpickling this object opens (creates) the marker file: a stand-in for
    the arbitrary code a malicious pickle runs."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _pickle_payload(marker, protocol):
    return pickle.dumps({"0.weight": _CreatesMarker(marker)}, protocol=protocol)


@pytest.fixture
def trained(tmp_path):
    """A model and optimizer with state, and a good checkpoint's bytes."""
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2))
    optimizer = ndgrad.optim.Adam(model.parameters(), lr=0.01)
    (model(ndgrad.random.normal((5, 3))) ** 2).mean().backward()
    optimizer.step()
    path = tmp_path / "good.safetensors"
    save_checkpoint(path, model, optimizer, epoch=1)
    return model, optimizer, path.read_bytes()


def _snapshot(model, optimizer):
    weights = {n: np.array(t.numpy(), copy=True) for n, t in model.state_dict().items()}
    saved = optimizer.state_dict()
    moments = {(i, k): v for i, entry in saved["state"].items() for k, v in entry.items()}
    return weights, moments, repr(saved["param_groups"]), optimizer.iterations


def _assert_refused_without_change(path, model, optimizer, *patterns):
    before = _snapshot(model, optimizer)
    random_state = ndgrad.random.get_state()
    for load in (lambda: load_checkpoint(path, model, optimizer),
                 lambda: load_weights(model, path)):
        with pytest.raises(CheckpointError) as caught:
            load()
        message = str(caught.value)
        assert str(path) in message
        for pattern in patterns:
            assert pattern in message, message
    after = _snapshot(model, optimizer)
    assert before[0].keys() == after[0].keys() and before[1].keys() == after[1].keys()
    for name in before[0]:
        np.testing.assert_array_equal(before[0][name], after[0][name])
    for key in before[1]:
        np.testing.assert_array_equal(before[1][key], after[1][key])
    assert before[2:] == after[2:]
    assert ndgrad.random.get_state() == random_state


def test_missing_file(tmp_path, trained):
    model, optimizer, _ = trained
    _assert_refused_without_change(tmp_path / "nope.safetensors", model, optimizer,
                                   "no such file")
    with pytest.raises(FileNotFoundError):        # also what a FileNotFoundError handler catches
        load_weights(model, tmp_path / "nope.safetensors")
    with pytest.raises(CheckpointNotFoundError):
        load_weights(model, tmp_path / "nope.safetensors")


def test_empty_file_and_a_folder(tmp_path, trained):
    model, optimizer, _ = trained
    (tmp_path / "empty.safetensors").write_bytes(b"")
    _assert_refused_without_change(tmp_path / "empty.safetensors", model, optimizer,
                                   "only 0 bytes, too short")
    (tmp_path / "folder.safetensors").mkdir()
    _assert_refused_without_change(tmp_path / "folder.safetensors", model, optimizer,
                                   "is a folder")


@pytest.mark.parametrize("keep", [0.999, 0.5, 0.05, 10 / 1e9])
def test_truncated_file(tmp_path, trained, keep):
    model, optimizer, good = trained
    path = tmp_path / "cut.safetensors"
    path.write_bytes(good[:max(1, int(len(good) * keep))])
    _assert_refused_without_change(path, model, optimizer)


def test_garbage_bytes(tmp_path, trained):
    model, optimizer, _ = trained
    path = tmp_path / "garbage.safetensors"
    path.write_bytes(np.random.default_rng(1).bytes(4096))
    _assert_refused_without_change(path, model, optimizer)


def test_corrupted_header_json(tmp_path, trained):
    model, optimizer, good = trained
    length = int.from_bytes(good[:8], "little")
    path = tmp_path / "header.safetensors"
    path.write_bytes(good[:8] + good[8:8 + length].replace(b'"shape"', b'"shap\x00', 1)
                     + good[8 + length:])
    _assert_refused_without_change(path, model, optimizer, "not a valid safetensors file")
    # A header length that points past the end of the file.
    path.write_bytes((len(good) * 2).to_bytes(8, "little") + good[8:])
    _assert_refused_without_change(path, model, optimizer, "truncated")


def test_corrupted_ndgrad_metadata(tmp_path, trained):
    model, optimizer, good = trained
    safetensors_numpy = pytest.importorskip("safetensors.numpy")
    from safetensors import safe_open
    with safe_open(str(tmp_path / "good.safetensors"), framework="np") as file:
        tensors = {name: file.get_tensor(name) for name in file.keys()}
        metadata = file.metadata()
    path = tmp_path / "meta.safetensors"
    path.write_bytes(safetensors_numpy.save(tensors, {"ndgrad": metadata["ndgrad"][:-5]}))
    _assert_refused_without_change(path, model, optimizer, "metadata is not valid JSON")
    newer = dict(json.loads(metadata["ndgrad"]), version=99)
    path.write_bytes(safetensors_numpy.save(tensors, {"ndgrad": json.dumps(newer)}))
    _assert_refused_without_change(path, model, optimizer, "format version 99")


def test_flipped_bit_in_the_data_is_caught_by_the_checksum(tmp_path, trained):
    model, optimizer, good = trained
    damaged = bytearray(good)
    damaged[-3] ^= 0x10                   # inside the last tensor's bytes
    path = tmp_path / "bitflip.safetensors"
    path.write_bytes(bytes(damaged))
    _assert_refused_without_change(path, model, optimizer, "do not match their checksum")


@pytest.mark.parametrize("protocol", [0, 2, pickle.HIGHEST_PROTOCOL])
def test_pickle_is_refused_without_running_it(tmp_path, trained, protocol):
    model, optimizer, _ = trained
    # The payload is live: unpickling a copy of it does create its marker.
    witness = tmp_path / "witness"
    pickle.loads(_pickle_payload(witness, protocol))
    assert witness.exists()

    marker = tmp_path / "marker"
    path = tmp_path / "evil.safetensors"
    path.write_bytes(_pickle_payload(marker, protocol))
    expected = ["is a Python pickle", "never unpickles"] if protocol >= 2 else []
    _assert_refused_without_change(path, model, optimizer, *expected)
    assert not marker.exists()


def test_torch_save_zip_is_refused_without_running_it(tmp_path, trained):
    model, optimizer, _ = trained
    marker = tmp_path / "marker"
    path = tmp_path / "model.pt"
    with zipfile.ZipFile(path, "w") as archive:         # torch.save's layout
        archive.writestr("archive/data.pkl", _pickle_payload(marker, 2))
    _assert_refused_without_change(path, model, optimizer, "zip archive",
                                   "safetensors.torch.save_file")
    assert not marker.exists()


def test_failed_loads_leave_no_files_behind(tmp_path, trained):
    model, optimizer, good = trained
    (tmp_path / "cut.safetensors").write_bytes(good[:100])
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(CheckpointError):
        load_checkpoint(tmp_path / "cut.safetensors", model, optimizer)
    assert sorted(os.listdir(tmp_path)) == before
