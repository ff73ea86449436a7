"""Matmul: a 1024x1024 float32 ``x @ w`` forward and backward in ndgrad against
the three NumPy matmuls it needs, and PyTorch (CPU) for reference, interleaved
in one process.

At this size BLAS does nearly all the work, so ndgrad should cost what NumPy
costs for the same three products: ``x @ w`` forward, then ``g @ w.T`` and
``x.T @ g`` for the gradients of ``x`` and ``w`` from the upstream gradient
``g``. Whatever ndgrad adds (copies, transposes made contiguous, gradient
accumulation) shows as a ratio above 1. The target: ndgrad / NumPy <= 1.1.

Each round, per side:

- ``ndgrad``: ``.grad`` of both leaves set to None, then ``(x @ w).backward(g)``;
- ``numpy``: ``x @ w``, ``g @ w.T``, ``x.T @ g`` on the same arrays;
- ``torch``: as ndgrad, on tensors holding the same values.

Every side starts after a short sleep (``PAUSE``), so that none pays for the
previous side's BLAS or OpenMP threads, which spin for a while after a call.

Run from the repository root::

    .venv/bin/python bench/matmul.py
"""

import argparse
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import ndgrad  # noqa: E402  (the checkout's ndgrad, even when not installed)

import _harness  # noqa: E402

DESCRIPTION = ("1024x1024 float32 matmul forward and backward: "
               "ndgrad against NumPy's three matmuls, and PyTorch.")

SIZE = 1024
TARGET_RATIO = 1.1
# Long enough for the idle BLAS/OpenMP threads of the previous side to stop
# spinning (measured: 0.1 s suffices on 2 cores; without it PyTorch after NumPy
# runs 2-3x slower, ndgrad after PyTorch about 30% slower).
PAUSE = 0.15
PHASE = "forward+backward"


def inputs():
    generator = np.random.default_rng(0)
    x, w, g = (generator.standard_normal((SIZE, SIZE), dtype=np.float32) for _ in range(3))
    return x, w, g


def ndgrad_side(x, w, g):
    x = ndgrad.tensor(x, requires_grad=True)
    w = ndgrad.tensor(w, requires_grad=True)
    perf_counter = time.perf_counter

    def one_round():
        x.grad = None
        w.grad = None
        t0 = perf_counter()
        (x @ w).backward(g)
        return {PHASE: perf_counter() - t0}

    one_round.leaves = (x, w)
    return one_round


def numpy_side(x, w, g):
    x, w, g = x.copy(), w.copy(), g.copy()
    perf_counter = time.perf_counter

    def one_round():
        t0 = perf_counter()
        y = x @ w
        gx = g @ w.T
        gw = x.T @ g
        seconds = perf_counter() - t0
        one_round.results = (y, gx, gw)
        return {PHASE: seconds}

    return one_round


def torch_side(x, w, g):
    x = torch.tensor(x, requires_grad=True)
    w = torch.tensor(w, requires_grad=True)
    g = torch.tensor(g)
    perf_counter = time.perf_counter

    def one_round():
        x.grad = None
        w.grad = None
        t0 = perf_counter()
        (x @ w).backward(g)
        return {PHASE: perf_counter() - t0}

    one_round.leaves = (x, w)
    return one_round


def check_agreement(sides):
    """After the first round, the three sides must hold the same gradients."""
    _, expected_gx, expected_gw = sides["numpy"].results
    for name in ("ndgrad", "torch"):
        gx, gw = (leaf.grad.numpy() for leaf in sides[name].leaves)
        if gx.dtype != np.float32 or gw.dtype != np.float32:
            raise SystemExit(f"{name} gradients are not float32: {gx.dtype}, {gw.dtype}")
        for got, expected, label in ((gx, expected_gx, "x"), (gw, expected_gw, "w")):
            if not np.allclose(got, expected, rtol=1e-3, atol=1e-2):
                raise SystemExit(f"{name}'s gradient for {label} differs from NumPy's by "
                                 f"{np.abs(got - expected).max()}; timing would compare "
                                 "different work")


def benchmark(rounds, warmup):
    thread_setting = _harness.configure_torch(torch)
    x, w, g = inputs()
    sides = {"ndgrad": ndgrad_side(x, w, g), "numpy": numpy_side(x, w, g),
             "torch": torch_side(x, w, g)}
    for side in sides.values():
        side()
    check_agreement(sides)
    samples = _harness.run_interleaved(sides, rounds=rounds, warmup=warmup, pause=PAUSE)
    medians = {name: phases[PHASE] for name, phases in _harness.medians(samples).items()}
    spreads = {name: _harness.spread(samples[name][PHASE]) for name in sides}
    ratios = {"ndgrad/numpy": medians["ndgrad"] / medians["numpy"],
              "ndgrad/torch": medians["ndgrad"] / medians["torch"],
              "torch/numpy": medians["torch"] / medians["numpy"]}
    flops = 3 * 2 * SIZE ** 3

    print(f"matmul: {SIZE}x{SIZE} float32 x @ w forward and backward (3 matmuls), "
          f"median of {rounds} interleaved rounds ({warmup} warm-up, {PAUSE:g} s pause "
          "before each side); "
          f"torch threads = {thread_setting['threads']} ({thread_setting['threads_source']})")
    rows = [[name, f"{medians[name] * 1e3:.2f}", f"{flops / medians[name] / 1e9:.1f}",
             f"{spreads[name]:.0%}"] for name in sides]
    _harness.print_table("milliseconds per forward+backward",
                         ["side", "ms", "GFLOP/s", "IQR/median"], rows)
    _harness.print_table("ratios (lower is better for the left side)", ["ratio", "value"],
                         [[name, f"{value:.3f}"] for name, value in ratios.items()])
    meets = ratios["ndgrad/numpy"] <= TARGET_RATIO
    print(f"target: ndgrad/numpy <= {TARGET_RATIO:g}: "
          f"{'met' if meets else 'NOT met'} ({ratios['ndgrad/numpy']:.3f})")

    entry = {
        "what": f"{SIZE}x{SIZE} float32 x @ w and its backward from a given upstream "
                "gradient; ndgrad against the three NumPy matmuls it needs; PyTorch for "
                "reference; times are milliseconds",
        "shape": [SIZE, SIZE], "dtype": "float32", "rounds": rounds, "warmup": warmup,
        "ms": {name: value * 1e3 for name, value in medians.items()},
        "ratio": ratios, "relative_iqr": spreads,
        "target": {"ratio": "ndgrad/numpy", "max_ratio": TARGET_RATIO, "met": meets},
        "environment": _harness.environment(torch, thread_setting),
    }
    path = _harness.merge_results("matmul", entry)
    print(f"written to {os.path.relpath(path)} (key 'matmul')")


def main():
    parser = argparse.ArgumentParser(description=DESCRIPTION)
    parser.add_argument("--rounds", type=int, default=40, help="timed rounds (default 40)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed rounds first (default 3)")
    args = parser.parse_args()
    benchmark(args.rounds, args.warmup)


if __name__ == "__main__":
    main()
