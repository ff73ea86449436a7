"""Checkpoint files as files: readable by the safetensors library, large ones
memory-mapped with the same checks, the digest inside .keras archives, paths
that are not regular files refused at once, and the leftovers of killed saves
removed by the next save.
"""

import fcntl
import json
import os
import subprocess
import sys
import textwrap
import threading
import zipfile

import numpy as np
import pytest

import ndgrad
import ndgrad.torch as torch
from ndgrad.io import CheckpointError, load_checkpoint, load_weights, save_checkpoint
from ndgrad.io.safetensors_file import read_tensors
from tests.adversarial.checkpoint_helpers import assert_refused, trained

nn = ndgrad.nn
safetensors_numpy = pytest.importorskip("safetensors.numpy")
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_files_stay_readable_by_the_safetensors_library(tmp_path):
    from safetensors import safe_open
    model, optimizer = trained()
    path = tmp_path / "c.safetensors"
    save_checkpoint(path, model, optimizer, epoch=1)
    with safe_open(str(path), framework="np") as file:
        metadata = file.metadata()
        loaded = {name: file.get_tensor(name) for name in file.keys()}
    assert set(metadata) == {"ndgrad", "ndgrad.sha256"} and len(metadata["ndgrad.sha256"]) == 64
    assert json.loads(metadata["ndgrad"])["version"] == 2
    np.testing.assert_array_equal(loaded["model/0.weight"], model[0].weight.numpy())
    assert sorted(safetensors_numpy.load_file(str(path))) == sorted(loaded)


def test_large_files_read_through_a_memory_map_get_the_same_checks(tmp_path):
    """Files of 1 MiB and more are mapped and each tensor copied out: the copies
    are what is checked and returned, and they outlive the map."""
    model = nn.Sequential(nn.Linear(300, 500), nn.Linear(500, 2))
    optimizer = ndgrad.optim.Adam(model.parameters())
    (model(ndgrad.ones((1, 300))) ** 2).sum().backward()
    optimizer.step()
    path = tmp_path / "big.safetensors"
    save_checkpoint(path, model, optimizer, epoch=4)
    good = path.read_bytes()
    assert len(good) > 1 << 20
    tensors, header = read_tensors(path)
    assert header["epoch"] == 4 and tensors["model/0.weight"].flags.writeable
    np.testing.assert_array_equal(tensors["model/0.weight"], model[0].weight.numpy())
    header_end = 8 + int.from_bytes(good[:8], "little")
    epoch_digit = good.index(b'epoch\\": 4') + len(b'epoch\\": ')      # 4 -> 5: valid JSON
    assert epoch_digit < header_end
    for position, fragment in ((epoch_digit, "SHA-256"), (len(good) - 5, "checksum"),
                               (header_end + 10, "checksum")):
        damaged = bytearray(good)
        damaged[position] ^= 0x01
        path.write_bytes(bytes(damaged))
        assert_refused(path, fragment)
    path.write_bytes(good[:-1])
    assert_refused(path, "not a valid safetensors file")


def test_a_relabelled_dtype_is_caught_by_the_digest(tmp_path):
    model, optimizer = trained()
    path = tmp_path / "c.safetensors"
    save_checkpoint(path, model, optimizer)
    data = path.read_bytes()
    assert data.count(b'"F32"') >= 2
    path.write_bytes(data.replace(b'"F32"', b'"I32"', 1))
    assert_refused(path, "the file is corrupted", "SHA-256", "dtypes")


def _rewrite_member(path, name, change):
    with zipfile.ZipFile(path) as archive:
        entries = {entry: archive.read(entry) for entry in archive.namelist()}
    entries[name] = change(entries[name])
    with zipfile.ZipFile(path, "w") as archive:             # CRC-32s recomputed
        for entry, data in entries.items():
            archive.writestr(entry, data)


def test_keras_archive_weights_carry_the_digest_and_old_archives_still_load(tmp_path):
    path = tmp_path / "m.keras"
    model = ndgrad.Sequential([ndgrad.Input((3,)), ndgrad.layers.Dense(2, name="d")])
    model.save(path)
    _rewrite_member(path, "model.weights.safetensors",
                    lambda data: data.replace(b'"F32"', b'"I32"', 1))
    with pytest.raises(CheckpointError, match="the file is corrupted.*SHA-256"):
        ndgrad.io.load_model(path)
    model.save(path)
    arrays = {name: t.numpy() for name, t in model.state_dict().items()}
    _rewrite_member(path, "model.weights.safetensors",        # as ndgrad wrote it before
                    lambda data: safetensors_numpy.save(arrays, metadata={"format": "ndgrad"}))
    loaded = ndgrad.io.load_model(path)
    np.testing.assert_array_equal(loaded.get_layer("d").kernel.numpy(),
                                  model.get_layer("d").kernel.numpy())


# ------------------------------------------------------------ not regular files

def _loaders(tmp_path):
    model, optimizer = trained()
    return {"load_weights": lambda p: load_weights(model, p),
            "Module.load_weights": lambda p: model.load_weights(p),
            "load_checkpoint": lambda p: load_checkpoint(p, model, optimizer),
            "torch.load": lambda p: torch.load(p),
            "load_model": lambda p: ndgrad.io.load_model(p)}


def _call_with_timeout(function, fifo=None, seconds=20):
    """``function()``'s exception; fails if it is still running after ``seconds``
    (then a writer is opened on ``fifo`` so that the blocked reader returns)."""
    outcome = {}

    def run():
        try:
            function()
        except BaseException as error:          # noqa: B902 (report whatever it was)
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        if fifo is not None:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail(f"still waiting after {seconds} s: it opened a file it cannot finish reading")
    return outcome.get("error")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
@pytest.mark.parametrize("loader", ["load_weights", "Module.load_weights", "load_checkpoint",
                                    "torch.load", "load_model"])
def test_a_fifo_a_folder_and_a_device_are_refused_at_once(tmp_path, loader):
    load = _loaders(tmp_path)[loader]
    fifo = tmp_path / "pipe.keras"
    os.mkfifo(fifo)
    (tmp_path / "folder.keras").mkdir()
    cases = [(fifo, "is a named pipe (FIFO), not a regular file"),
             (tmp_path / "folder.keras", "is a folder")]
    if os.path.exists("/dev/zero"):
        cases.append(("/dev/zero", "is a character device, not a regular file"))
    for path, fragment in cases:
        error = _call_with_timeout(lambda: load(path), fifo=fifo)
        assert isinstance(error, CheckpointError), repr(error)
        assert str(path) in str(error) and fragment in str(error), str(error)
    assert sorted(os.listdir(tmp_path)) == ["folder.keras", "pipe.keras"]


# ------------------------------------------------------------ leftover temporary files

def test_the_next_save_removes_leftovers_of_that_path_only(tmp_path):
    target = tmp_path / "c.safetensors"
    leftovers = [".c.safetensors.0123456789ab.tmp", ".c.safetensors.ffffffffffff.tmp"]
    kept = [".c.safetensors.tmp", ".c.safetensors.0123456789AB.tmp",
            ".c.safetensors.0123456789a.tmp", ".c.safetensors.0123456789ab.tmp.bak",
            "c.safetensors.0123456789ab.tmp", ".d.safetensors.0123456789ab.tmp",
            ".c.safetensors.0123456789ab.0123456789ab.tmp", "notes.txt"]
    for name in leftovers + kept:
        (tmp_path / name).write_bytes(b"half a checkpoint")
    (tmp_path / ".c.safetensors.abcdefabcdef.tmp").mkdir()       # not a file: kept
    kept.append(".c.safetensors.abcdefabcdef.tmp")
    model, optimizer = trained()
    save_checkpoint(target, model, optimizer)
    assert sorted(os.listdir(tmp_path)) == sorted(kept + ["c.safetensors"])
    for name in kept:
        if name != ".c.safetensors.abcdefabcdef.tmp":
            assert (tmp_path / name).read_bytes() == b"half a checkpoint"


def test_a_temporary_file_that_a_live_save_holds_is_left_alone(tmp_path):
    busy = tmp_path / ".w.safetensors.0123456789ab.tmp"
    busy.write_bytes(b"being written")
    with open(busy, "rb") as file:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX)            # as a writer holds it
        ndgrad.io.save_weights(nn.Linear(1, 1), tmp_path / "w.safetensors")
        assert busy.exists()
    ndgrad.io.save_weights(nn.Linear(1, 1), tmp_path / "w.safetensors")
    assert not busy.exists()


def test_a_killed_save_leaves_a_temporary_file_that_the_next_save_removes(tmp_path):
    path = tmp_path / "w.safetensors"
    ndgrad.io.save_weights(nn.Linear(8, 8), path)
    script = textwrap.dedent(f"""
        import os
        import ndgrad
        from ndgrad.io import atomic, save_weights
        def die_half_way(file, payload):
            file.write(bytes(memoryview(payload).cast("B")[:100])); file.flush()
            os._exit(3)                       # no cleanup, as with SIGKILL or a power cut
        atomic.write_payload = die_half_way
        save_weights(ndgrad.nn.Linear(8, 8), {str(path)!r})
    """)
    env = dict(os.environ, PYTHONPATH=REPO_ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, env=env, timeout=120)
    assert result.returncode == 3
    leftovers = [name for name in os.listdir(tmp_path) if name != "w.safetensors"]
    assert len(leftovers) == 1 and leftovers[0].startswith(".w.safetensors.")
    ndgrad.io.save_weights(nn.Linear(8, 8), path)
    assert os.listdir(tmp_path) == ["w.safetensors"]
    ndgrad.io.load_weights(nn.Linear(8, 8), path)


@pytest.mark.parametrize("tree, fragment", [
    ({"list": [{"tensor": "7", "requires_grad": False}]}, "does not hold"),
    ({"dict": [[{"list": []}]]}, "Error"),
    ({"mystery": 1}, "Error"),
    ({"tuple": 5}, "Error"),
])
def test_torch_load_refuses_a_malformed_tree_with_a_checkpoint_error(tmp_path, tree, fragment):
    from ndgrad.io.safetensors_file import write_tensors
    path = tmp_path / "obj.pt"
    write_tensors(path, {"0": np.zeros(1, np.float32)}, {"kind": "torch.save", "tree": tree})
    with pytest.raises(CheckpointError, match=fragment) as caught:
        torch.load(path)
    assert str(path) in str(caught.value)
