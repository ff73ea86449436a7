"""Two ranks under ``mpirun -n 2`` (the venv's, from the ``distributed`` extra).

One launch runs every training check (mpi_training.py prints ``PASS name``
per check and rank), one every Keras-style check (mpi_keras.py: ``fit``
under DataParallel); one launch per fault checks that every rank ends, with a
non-zero exit, in bounded time, and that the message says what happened.
Each launch costs one to five seconds (the timeout's census waits two).
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
MPIRUN = Path(sys.executable).parent / "mpirun"

try:
    import mpi4py  # noqa: F401
    MISSING = None if MPIRUN.exists() else f"no mpirun next to {sys.executable}"
except ImportError:
    MISSING = "mpi4py is not installed (pip install 'ndgrad[distributed]')"

pytestmark = pytest.mark.skipif(MISSING is not None, reason=f"MPI tests skipped: {MISSING}")

CHECKS = ["collectives", "mlp-sgd", "mlp-adam", "cnn-sgd", "cnn-adam", "lstm-sgd", "lstm-adam",
          "cnn-sgd-bn-eval", "no_sync", "find_unused_parameters", "overlap", "no-overlap",
          "sampler"]
KERAS_CHECKS = ["fit-sgd", "fit-adam", "fit-adam-shuffle", "custom-train-step", "overlap-default",
                "overlap-scaled-step", "overlap-off", "batchnorm-agrees",
                "rank0-writes",
                "early-stopping", "resume"]
LIMIT = 60          # seconds: a launch that takes longer has hung


def _launch(*arguments, cwd=None):
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(ROOT), os.environ.get("PYTHONPATH", "")]), OMP_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    environment.pop("NDGRAD_DISTRIBUTED", None)
    started = time.monotonic()
    process = subprocess.Popen([str(MPIRUN), "-n", "2", sys.executable, *arguments],
                               cwd=cwd or ROOT, env=environment, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return process, started


def _finish(launched):
    process, started = launched
    try:
        out, err = process.communicate(timeout=LIMIT)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        pytest.fail(f"mpirun did not end within {LIMIT} s:\n{out}\n{err}")
    return process.returncode, out, err, time.monotonic() - started


_DONE = {}


@pytest.fixture(scope="module")
def launches():
    """Each launch once per worker, when a test first needs it (under xdist the
    tests of this file may run on two workers)."""
    class Launches:
        def __getitem__(self, name):
            if name not in _DONE:
                if name == "training":
                    arguments = [str(HERE / "mpi_training.py")]
                elif name == "keras":
                    arguments = [str(HERE / "mpi_keras.py"), tempfile.mkdtemp(prefix="ndgrad-")]
                else:
                    arguments = [str(HERE / "mpi_faults.py"), name]
                _DONE[name] = _finish(_launch(*arguments))
            return _DONE[name]
    return Launches()


@pytest.mark.parametrize("check", CHECKS)
def test_two_ranks_train_as_one_process_with_the_whole_batch(launches, check):
    code, out, err, _ = launches["training"]
    for rank in (0, 1):
        assert f"PASS {check} (rank {rank})" in out, f"exit {code}\n{out}\n{err}"


def test_the_training_launch_ends_cleanly(launches):
    code, out, err, _ = launches["training"]
    assert code == 0, f"{out}\n{err}"


@pytest.mark.parametrize("check", KERAS_CHECKS)
def test_fit_under_data_parallel_on_two_ranks(launches, check):
    code, out, err, _ = launches["keras"]
    for rank in (0, 1):
        assert f"PASS {check} (rank {rank})" in out, f"exit {code}\n{out}\n{err}"


def test_the_keras_launch_ends_cleanly_and_only_rank_0_prints(launches):
    code, out, err, _ = launches["keras"]
    assert code == 0, f"{out}\n{err}"
    assert out.count("Epoch 1/2 - 6 steps") == 1, out      # one progress line, rank 0's


def test_an_exception_on_one_rank_ends_every_rank_with_its_traceback(launches):
    code, out, err, seconds = launches["exception"]
    assert code != 0 and seconds < 20, (code, seconds)
    assert "rank 1 of 2 raised ValueError" in err and "a fault on rank 1 at step 1" in err
    assert "Traceback (most recent call last)" in err
    assert "did not end the program" not in out


def test_ranks_with_different_models_are_refused_naming_the_first_difference(launches):
    code, out, err, seconds = launches["mismatch"]
    assert code != 0 and seconds < 20, (code, seconds)
    assert ("the model on rank 1 differs from rank 0's (ranks that differ: 1): entry 2: "
            "parameter '1.weight' of shape (3, 4) float32 trainable on rank 0, parameter "
            "'1.weight' of shape (5, 4) float32 trainable on rank 1") in err
    assert "did not end the program" not in out


def test_a_collective_past_the_timeout_names_the_missing_rank_and_ends_all(launches):
    code, out, err, seconds = launches["timeout"]
    assert code != 0 and seconds < 20, (code, seconds)      # rank 1 would sleep 60 s
    assert ("all_reduce (collective #1) on rank 0 waited longer than the timeout of 2 s; "
            "rank(s) 1 never reached it") in err
    assert "did not end the program" not in out


def test_the_pytorch_style_example_trains_on_two_ranks(tmp_path):
    code, out, err, _ = _finish(_launch(str(ROOT / "examples" / "distributed_mnist.py"),
                                        "--epochs", "1", cwd=tmp_path))
    assert code == 0, f"{out}\n{err}"
    assert out.startswith("2 rank(s) x batch 32: 1437 training and 360 test digits, 23 steps")
    assert "epoch 1  loss" in out and "rank 0 saved runs/distributed_mnist/model.pt" in out
    assert (tmp_path / "runs" / "distributed_mnist" / "model.pt").is_file()


def test_the_keras_style_example_fits_on_two_ranks(tmp_path):
    code, out, err, _ = _finish(_launch(str(ROOT / "examples" / "distributed_fit.py"),
                                        "--epochs", "1", cwd=tmp_path))
    assert code == 0, f"{out}\n{err}"
    assert out.count("Epoch 1/1 - 23 steps") == 1, out          # rank 0 alone prints
    assert "2 rank(s) x batch 32: 1 epoch in" in out and "23 steps per epoch" in out
    assert (tmp_path / "runs" / "distributed_fit" / "best.safetensors").is_file()


_THREADS = """
import ndgrad.distributed as dist
from ndgrad.distributed.world import WORLD
dist.init()
print(f"rank {dist.rank()} threads {WORLD.threads}", flush=True)
"""


@pytest.mark.parametrize("variable", [None, "2"])
def test_ranks_sharing_a_machine_share_its_cores_unless_a_thread_variable_is_set(variable):
    pytest.importorskip("threadpoolctl")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.pop(name, None)
    if variable is not None:
        env["OMP_NUM_THREADS"] = variable
    done = subprocess.run([str(MPIRUN), "-n", "2", sys.executable, "-c", _THREADS], env=env,
                          capture_output=True, text=True, timeout=LIMIT, stdin=subprocess.DEVNULL)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    expected = "None" if variable else str(max(1, cores // 2))
    for rank in (0, 1):
        assert f"rank {rank} threads {expected}" in done.stdout, (done.stdout, done.stderr)
