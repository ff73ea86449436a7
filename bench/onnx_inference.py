"""ONNX export and ONNX Runtime inference of ndgrad models (issue 15).

- ``onnx_inference``: the digits CNN of ``examples/digits_cnn.py`` (Keras face,
  8x8x1 images, conv32-conv64-maxpool-dense128-dense10 softmax) on one random
  batch of 64: the exported model run by ONNX Runtime (CPU, as many intra-op
  threads as NumPy's BLAS) against ndgrad's own ``model.predict(x,
  batch_size=64)``. Interleaved, medians. Target: ORT / ndgrad <= 1.0 (the
  exported model at least as fast). The outputs are checked equal (1e-5) first.
- ``onnx_export_time``: the slower of two export times, the bench's wide MLP
  (784-1024-1024-10) and the digits CNN, against a 0.5 s budget (ratio =
  time / 0.5 s; target <= 1).
- ``onnx_file_size``: bytes of the exported digits CNN and wide MLP files
  against the bytes of the weights they hold (target <= 1.01: at most 1%
  larger).

Needs the optional extra ``onnx`` (onnx and onnxruntime); without it the rows
are skipped with the reason. Run from the repository root::

    .venv/bin/python bench/onnx_inference.py [--quick]
"""

import importlib.util
import io
import os
import sys
import time

import numpy as np

import _harness
import ndgrad  # noqa: E402  (after _harness: the checkout's ndgrad)
import ndgrad.onnx  # noqa: E402

BATCH = 64
WIDE_SIZES = (784, 1024, 1024, 10)
EXPORT_BUDGET = 0.5
SIZE_TARGET = 1.01


def _have_onnx():
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError as error:
        return f"the optional extra 'onnx' is missing ({error.name}): pip install 'ndgrad[onnx]'"
    return None


def digits_cnn():
    """The example's model, built on one 8x8x1 image."""
    path = os.path.join(_harness.REPO_ROOT, "examples", "digits_cnn.py")
    spec = importlib.util.spec_from_file_location("digits_cnn_bench", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ndgrad.random.seed(0)
    model = module.build_model()
    model(np.zeros((1, 8, 8, 1), np.float32))
    return model


def wide_mlp(sizes=WIDE_SIZES):
    stack = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        stack += [ndgrad.nn.Linear(fan_in, fan_out), ndgrad.nn.ReLU()]
    return ndgrad.nn.Sequential(*stack[:-1])


def export(model, example):
    """The exported bytes and the export's seconds."""
    buffer = io.BytesIO()
    started = time.perf_counter()
    ndgrad.onnx.export(model, (example,), buffer, dynamic_axes={"input": {0: "batch"}})
    return buffer.getvalue(), time.perf_counter() - started


def session(data):
    import onnxruntime
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = _harness.blas_threads()[0]
    return onnxruntime.InferenceSession(data, options, providers=["CPUExecutionProvider"])


def weight_bytes(model):
    return sum(int(v.numpy().nbytes) for v in model.state_dict().values())


def _images(batch, seed=0):
    return np.random.default_rng(seed).random((batch, 8, 8, 1), dtype=np.float32)


def check_inference(batch=BATCH):
    """ONNX Runtime's probabilities equal ndgrad's predict (1e-5); returns the largest
    difference."""
    model = digits_cnn()
    x = _images(batch)
    data, _ = export(model, x[:1])
    (theirs,) = session(data).run(None, {"input": x})
    ours = model.predict(x, batch_size=batch, verbose=0)
    _harness.check_close("digits CNN through ONNX Runtime", theirs, np.asarray(ours),
                         rtol=1e-5, atol=1e-6)
    return float(np.max(np.abs(theirs - ours)))


def measure_inference(settings):
    title = f"digits CNN inference, b{BATCH}: ONNX Runtime (exported) vs ndgrad predict"
    missing = _have_onnx()
    if missing:
        return _harness.skipped_row("onnx_inference", title, missing)
    check_inference()
    model = digits_cnn()
    x = _images(BATCH)
    data, _ = export(model, x[:1])
    run = session(data)

    def ort_side():
        started = time.perf_counter()
        run.run(None, {"input": x})
        return {"batch": time.perf_counter() - started}

    def ndgrad_side():
        started = time.perf_counter()
        model.predict(x, batch_size=BATCH, verbose=0)
        return {"batch": time.perf_counter() - started}

    samples = _harness.run_interleaved({"ort": ort_side, "ndgrad": ndgrad_side},
                                       rounds=settings.rounds(40), warmup=settings.warmup(5),
                                       pause=_harness.PAUSE)
    med = _harness.medians(samples)
    ort, own = med["ort"]["batch"], med["ndgrad"]["batch"]
    return _harness.make_row(
        "onnx_inference", title, "ms", ort * 1e3, own * 1e3, 1.0, peer="ndgrad predict",
        notes=[f"ndgrad column = ONNX Runtime on the exported file, peer = ndgrad's predict; "
               f"ORT {ort * 1e3:.2f} ms, ndgrad {own * 1e3:.2f} ms per batch of {BATCH}"])


def check_export(sizes=WIDE_SIZES):
    """Both models export; returns their (seconds, file bytes, weight bytes)."""
    results = {}
    cnn = digits_cnn()
    data, seconds = export(cnn, _images(1))
    results["digits_cnn"] = (seconds, len(data), weight_bytes(cnn))
    mlp = wide_mlp(sizes)
    example = np.zeros((1, sizes[0]), np.float32)
    mlp(example)
    data, seconds = export(mlp, example)
    results["wide_mlp"] = (seconds, len(data), weight_bytes(mlp))
    return results


def _best_of(rounds, sizes=WIDE_SIZES):
    best = {}
    for _ in range(rounds):
        for name, (seconds, size, weights) in check_export(sizes).items():
            previous = best.get(name)
            best[name] = (min(seconds, previous[0]) if previous else seconds, size, weights)
    return best


def measure_export_time(settings):
    title = "export time, wide MLP and digits CNN (slower of the two) vs 0.5 s"
    missing = _have_onnx()
    if missing:
        return _harness.skipped_row("onnx_export_time", title, missing)
    best = _best_of(settings.rounds(5))
    slowest = max(seconds for seconds, _, _ in best.values())
    notes = [f"{name}: {seconds * 1e3:.0f} ms (the best of {settings.rounds(5)} exports)"
             for name, (seconds, _, _) in best.items()]
    return _harness.make_row("onnx_export_time", title, "s", slowest, EXPORT_BUDGET, 1.0,
                             peer="budget", notes=notes)


def measure_file_size(settings):
    title = "exported file bytes vs the weight bytes it holds (larger of the two)"
    missing = _have_onnx()
    if missing:
        return _harness.skipped_row("onnx_file_size", title, missing)
    best = _best_of(1)
    ratios = {name: size / weights for name, (_, size, weights) in best.items()}
    worst = max(ratios, key=ratios.get)
    _, size, weights = best[worst]
    notes = [f"{name}: {best[name][1]} bytes for {best[name][2]} weight bytes "
             f"(+{(ratio - 1) * 100:.3f}%)" for name, ratio in ratios.items()]
    return _harness.make_row("onnx_file_size", title, "bytes", size, weights, SIZE_TARGET,
                             peer="weights", notes=notes)


ROWS = {"onnx_inference": measure_inference, "onnx_export_time": measure_export_time,
        "onnx_file_size": measure_file_size}
CHECKS = {"onnx_inference": check_inference, "onnx_export_time": check_export,
          "onnx_file_size": check_export}

if __name__ == "__main__":
    import run
    sys.exit(run.main(only=list(ROWS)))
