"""Atomic writes: a write that fails part way leaves the previous file intact."""

import os
import pathlib
import stat
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import ndgrad
from ndgrad.io import atomic, load_checkpoint, save_checkpoint, save_weights

nn = ndgrad.nn
REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]


def _model_and_optimizer(seed):
    ndgrad.random.seed(seed)
    model = nn.Sequential(nn.Linear(64, 64), nn.Linear(64, 2))
    return model, ndgrad.optim.Adam(model.parameters())


def _half_then(exception):
    """A replacement for atomic.write_payload that writes half and fails."""
    def write_half(file, payload):
        view = memoryview(payload).cast("B")
        file.write(view[:len(view) // 2])
        file.flush()
        raise exception
    return write_half


@pytest.mark.parametrize("exception", [OSError(28, "No space left on device"),
                                       KeyboardInterrupt()])
def test_failure_mid_write_keeps_the_previous_checkpoint(tmp_path, monkeypatch, exception):
    path = tmp_path / "ckpt.safetensors"
    first, first_optimizer = _model_and_optimizer(1)
    save_checkpoint(path, first, first_optimizer, epoch=1)
    previous = path.read_bytes()

    second, second_optimizer = _model_and_optimizer(2)
    monkeypatch.setattr(atomic, "write_payload", _half_then(exception))
    with pytest.raises(type(exception)):
        save_checkpoint(path, second, second_optimizer, epoch=2)
    monkeypatch.undo()

    assert os.listdir(tmp_path) == ["ckpt.safetensors"]       # no temporary file left
    assert path.read_bytes() == previous
    model, optimizer = _model_and_optimizer(3)
    assert load_checkpoint(path, model, optimizer)["epoch"] == 1
    np.testing.assert_array_equal(model[0].weight.numpy(), first[0].weight.numpy())


def test_process_killed_mid_write_keeps_the_previous_file(tmp_path):
    path = tmp_path / "w.safetensors"
    save_weights(nn.Linear(8, 8), path)
    previous = path.read_bytes()
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
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT) + os.pathsep
               + os.environ.get("PYTHONPATH", ""))
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, env=env, timeout=60)
    assert result.returncode == 3
    assert path.read_bytes() == previous
    leftovers = [name for name in os.listdir(tmp_path) if name != "w.safetensors"]
    assert all(name.startswith(".w.safetensors.") and name.endswith(".tmp")
               for name in leftovers)
    ndgrad.io.load_weights(nn.Linear(8, 8), path)


def test_file_and_folder_are_synced_before_and_after_the_rename(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd)))
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append("replace"),
                                                      real_replace(a, b)))
    save_weights(nn.Linear(2, 2), tmp_path / "w.safetensors")
    expected = ["fsync", "replace"] + (["fsync"] if os.name != "nt" else [])
    assert events == expected


def test_new_file_gets_the_usual_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        save_weights(nn.Linear(2, 2), tmp_path / "w.safetensors")
    finally:
        os.umask(umask)
    if os.name != "nt":
        assert stat.S_IMODE(os.stat(tmp_path / "w.safetensors").st_mode) == 0o644
