"""Inference latency of the wide MLP under ``no_grad``, ndgrad against PyTorch
(issue 17).

The wide MLP of ``mlp.py`` (784-1024-1024-10, ReLU, PyTorch's initial weights
in both) called on a fixed random batch inside ``ndgrad.no_grad()`` and
``torch.no_grad()``: the forward pass alone, no loss. One sample is the mean
time of ``CALLS`` consecutive calls (a batch-1 call takes tens of
microseconds, too short to time one at a time), samples interleaved as in
every row; the outputs are checked to agree first.

- ``inference_b1``: batch 1, the latency a server answering one request
  sees; what ndgrad spends beyond the three matrix-vector products is its
  per-op overhead. Target: ndgrad / PyTorch <= 0.7.
- ``inference_b256``: batch 256, BLAS-bound. No target in the issue.

Run from the repository root::

    .venv/bin/python bench/inference.py [--quick]
"""

import sys
import time

import numpy as np
import torch

import _harness
import _models
import ndgrad  # noqa: E402

SIZES = (784, 1024, 1024, 10)
CALLS = {1: 200, 256: 10}
TARGETS = {1: 0.7, 256: None}


def inference_pair(batch_size, sizes=SIZES):
    """``{"ndgrad": predict, "torch": predict}`` (no-grad forward passes of the same
    MLP on the same batch, returning NumPy arrays)."""
    model, reference = _models.mlp_pair(sizes)
    model.eval()
    reference.eval()
    x = _models.random_batch((batch_size, sizes[0]))[0]
    ours, theirs = ndgrad.tensor(x), torch.from_numpy(x)

    def ndgrad_predict():
        with ndgrad.no_grad():
            return model(ours)

    def torch_predict():
        with torch.no_grad():
            return reference(theirs)

    return {"ndgrad": ndgrad_predict, "torch": torch_predict}


def check_inference(batch_size=1, sizes=SIZES):
    """The same outputs and no graph recorded on ndgrad's side; returns the
    largest difference."""
    predict = inference_pair(batch_size, sizes)
    ours = predict["ndgrad"]()
    if ours.requires_grad:
        raise _harness.Mismatch("inference: ndgrad's output under no_grad requires grad")
    return _harness.check_close("inference: output", ours.numpy(),
                                predict["torch"]().numpy(), rtol=1e-4, atol=1e-5)


def _measure(batch_size, settings):
    name = f"inference_b{batch_size}"
    predict = inference_pair(batch_size)
    check_inference(batch_size)
    calls = CALLS[batch_size]
    perf_counter = time.perf_counter

    def timed(function):
        def sample():
            start = perf_counter()
            for _ in range(calls):
                function()
            return {"call": (perf_counter() - start) / calls}
        return sample

    rounds, warmup = settings.rounds(25), settings.warmup(3)
    samples = _harness.run_interleaved({side: timed(f) for side, f in predict.items()},
                                       rounds, warmup, pause=_harness.PAUSE)
    us = {side: value["call"] * 1e6 for side, value in _harness.medians(samples).items()}
    spreads = {side: _harness.spread(samples[side]["call"]) for side in samples}
    notes = [f"mean of {calls} calls per sample; IQR/median {spreads['ndgrad']:.0%} / "
             f"{spreads['torch']:.0%} over {rounds} rounds"]
    title = f"MLP 784-1024-1024-10 no_grad forward, b{batch_size}: latency"
    return _harness.make_row(name, title, "us/call", us["ndgrad"], us["torch"],
                             TARGETS[batch_size], notes=notes,
                             details={"us": us, "relative_iqr": spreads, "rounds": rounds,
                                      "calls_per_sample": calls})


def measure_inference_b1(settings):
    return _measure(1, settings)


def measure_inference_b256(settings):
    return _measure(256, settings)


ROWS = {"inference_b1": measure_inference_b1, "inference_b256": measure_inference_b256}
CHECKS = {"inference_b1": lambda sizes=SIZES: check_inference(1, sizes),
          "inference_b256": lambda sizes=SIZES, batch_size=256: check_inference(batch_size,
                                                                                 sizes)}

if __name__ == "__main__":
    import run
    sys.exit(run.main(only=list(ROWS)))
