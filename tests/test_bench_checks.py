"""The benchmarks' correctness checks, at small sizes: no timing here.

Every row of ``make bench`` (``bench/run.py``) first checks that ndgrad and
PyTorch compute the same loss (or gradients) from the same weights; these
tests run those checks so that a change which breaks a benchmark (an API it
uses, a layer it builds, a weight layout it copies) fails in CI, not only
when someone runs ``make bench``.
"""

import importlib
import os
import sys

import numpy as np
import pytest

torch = pytest.importorskip("torch")

BENCH_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench")
if BENCH_DIR not in sys.path:
    sys.path.insert(0, BENCH_DIR)   # the bench scripts import each other by plain names

run = importlib.import_module("run")
_harness = importlib.import_module("_harness")
_models = importlib.import_module("_models")


def fashion_images(count):
    """Channels-last images in [0, 1) and labels, like Fashion-MNIST's."""
    generator = np.random.default_rng(0)
    x = generator.random((count, 28, 28, 1), dtype=np.float32)
    return x, generator.integers(0, 10, count).astype(np.int64)


# row name -> a call of its check at small sizes
SMALL_CHECKS = {
    "digits_mlp": lambda check: check(sizes=(64, 32, 32, 10), batch_size=16, batches=2),
    "wide_mlp": lambda check: check(sizes=(20, 16, 16, 10), batch_size=8),
    "cnn": lambda check: check(batch_size=4),
    "cnn_numpy": lambda check: check(batch_size=4),
    "overhead": lambda check: check(),
    "matmul": lambda check: check(size=64),
    "fft": lambda check: check(shape=(3, 30)),
    "lstm": lambda check: check(input_size=8, hidden_size=16, sequence=5, batch=4),
    "lstm_lm": lambda check: check(vocabulary=50, embedding=8, hidden=16, sequence=5, batch=3),
    "transformer_block": lambda check: check(d_model=16, heads=4, feed_forward=32, sequence=6,
                                             batch=3),
    "cifar_cnn": lambda check: check(batch_size=4, channels=(3, 4, 8), size=8),
    "inference_b1": lambda check: check(sizes=(20, 16, 16, 10)),
    "inference_b256": lambda check: check(sizes=(20, 16, 16, 10), batch_size=8),
    "fashion_cnn": lambda check: check(*fashion_images(4)),
    "memory": lambda check: check(sizes=(20, 16, 16, 10), batch=8, steps=3),
    "scaling": lambda check: check(width=16, batch_size=4),
    "onnx_inference": lambda check: _with_onnx(check, batch=4),
    "onnx_export_time": lambda check: _with_onnx(check, sizes=(20, 16, 16, 10)),
    "onnx_file_size": lambda check: _with_onnx(check, sizes=(20, 16, 16, 10)),
}


def _with_onnx(check, **sizes):
    pytest.importorskip("onnxruntime", reason="the optional extra 'onnx' is not installed")
    return check(**sizes)


def test_every_row_has_a_check_and_a_small_call():
    assert set(run.ORDER) == set(run.ROWS) == set(run.CHECKS) == set(SMALL_CHECKS)


@pytest.mark.parametrize("name", sorted(SMALL_CHECKS))
def test_row_check_passes_at_small_size(name):
    if name == "digits_mlp":
        pytest.importorskip("sklearn")
    result = SMALL_CHECKS[name](run.CHECKS[name])
    if isinstance(result, list):      # the losses of the steps checked
        assert result and all(np.isfinite(result))


def test_every_ported_pytorch_program_is_a_program_row_with_its_check():
    programs = importlib.import_module("programs")
    names = programs.check_programs()
    assert names and "mnist" in names and all(
        programs.ported_runner().PROGRAMS[name].framework == "torch" for name in names)
    with pytest.raises(SystemExit, match="unknown"):
        programs.select(["no_such_program"])


def test_program_results_become_rows_with_time_ratios_or_failures():
    programs = importlib.import_module("programs")
    result = {"program": "mnist", "source": "pytorch/examples mnist", "metric": "accuracy",
              "ndgrad": "0.9", "torch": "0.91", "within_5%": "yes", "ndgrad_error": None,
              "ndgrad_seconds": 30.0, "torch_seconds": 20.0, "ndgrad_metrics": [0.9],
              "torch_metrics": [0.91]}
    row = programs.as_row(result)
    assert (row["name"], row["ratio"], row["result"]) == ("program:mnist", 1.5, "info")
    failed = programs.as_row(dict(result, ndgrad="fails", ndgrad_error="ValueError: bad"))
    assert failed["result"] == "FAILED: RuntimeError: ValueError: bad"


def test_inference_check_refuses_different_outputs():
    inference = importlib.import_module("inference")
    predict = inference.inference_pair(2, (12, 8, 10))
    with pytest.raises(_harness.Mismatch, match="output"):
        _harness.check_close("inference: output", predict["ndgrad"]().numpy() + 1,
                             predict["torch"]().numpy())


def test_check_steps_refuses_different_weights():
    model, reference = _models.mlp_pair((12, 8, 10))
    with torch.no_grad():
        reference[0].weight.add_(0.5)
    steps = _models.make_steps(model, reference, "sgd", 0.01)
    batch = _models.as_tensors(*_models.random_batch((4, 12)))
    with pytest.raises(_harness.Mismatch, match="loss at step 1"):
        _models.check_steps("mlp", steps, [batch])


def test_check_close_refuses_float64_and_other_shapes():
    with pytest.raises(_harness.Mismatch, match="left float32"):
        _harness.check_close("x", np.zeros(3), np.zeros(3))
    with pytest.raises(_harness.Mismatch, match="shape"):
        _harness.check_close("x", np.zeros(3, np.float32), np.zeros(4))


def test_rows_print_with_verdicts_and_skips(capsys):
    rows = [_harness.make_row("a", "row a", "ms", 2.0, 4.0, 0.85),
            _harness.make_row("b", "row b", "ms", 3.0, 2.0, 1.0, peer="numpy"),
            _harness.make_row("c", "row c", "MB", 1.0, 1.0, None, notes=["a note"]),
            _harness.skipped_row("d", "row d", "no data")]
    assert [row["result"] for row in rows] == ["PASS", "MISS", "info", "skipped: no data"]
    _harness.print_rows(rows)
    printed = capsys.readouterr().out
    assert "1.5" in printed and "(numpy)" in printed and "[c] a note" in printed


def test_quick_settings_shorten_every_benchmark():
    quick, explicit = _harness.Settings(quick=True), _harness.Settings(rounds=7, warmup=0)
    assert quick.rounds(30) < 30 and quick.rounds(8) >= 3
    assert explicit.rounds(30) == 7 and explicit.warmup(3) == 0


def test_profile_step_times_ops_and_numpy_and_puts_everything_back():
    profile_step = importlib.import_module("profile_step")
    matmul, ops = np.matmul, profile_step._op_functions()
    forwards = {id(f): f.__closure__[f.__code__.co_freevars.index("forward")].cell_contents
                for f in ops if "forward" in f.__code__.co_freevars}
    model, reference = _models.mlp_pair((12, 8, 10))
    steps = _models.make_steps(model, reference, "sgd", 0.01)
    x, y = _models.as_tensors(*_models.random_batch((4, 12)))["ndgrad"]
    timers = profile_step.Timers()
    with profile_step.instrumented(timers):
        steps["ndgrad"](x, y)
    assert ("forward", "linear") in timers.calls and ("backward", "linear") in timers.calls
    assert all(seconds >= 0 for seconds in timers.own.values())
    assert np.matmul is matmul
    assert all(f.__closure__[f.__code__.co_freevars.index("forward")].cell_contents
               is forwards[id(f)] for f in ops if id(f) in forwards)
    assert profile_step._category(("forward", "conv")) == "conv/pool windows"
    assert profile_step._category(("numpy", "matmul")) == "BLAS"
    assert profile_step._category(("numpy", "copyto")) == "copies"
