"""Matmul: a 2048x2048 float32 ``x @ w`` forward and backward in ndgrad against
the three NumPy matmuls it needs, and PyTorch (CPU) for reference, interleaved
in one process.

At this size BLAS does nearly all the work, so ndgrad should cost what NumPy
costs for the same three products: ``x @ w`` forward, then ``g @ w.T`` and
``x.T @ g`` for the gradients of ``x`` and ``w`` from the upstream gradient
``g``. Whatever ndgrad adds (copies, transposes made contiguous, gradient
accumulation) shows as a ratio above 1. The target (this benchmark's own;
issue 6 asks for the ratio and GFLOP/s): ndgrad / NumPy <= 1.1.

Each round, per side:

- ``ndgrad``: ``.grad`` of both leaves set to None, then ``(x @ w).backward(g)``;
- ``numpy``: ``x @ w``, ``g @ w.T``, ``x.T @ g`` on the same arrays;
- ``torch``: as ndgrad, on tensors holding the same values.

Every side starts after a short sleep (``PAUSE``), so that none pays for the
previous side's BLAS or OpenMP threads, which spin for a while after a call.

Run from the repository root::

    .venv/bin/python bench/matmul.py [--size 1024] [--quick]
"""

import time

import numpy as np
import torch

import _harness
import ndgrad  # noqa: E402  (after _harness: the checkout's ndgrad)

DESCRIPTION = ("2048x2048 float32 matmul forward and backward: "
               "ndgrad against NumPy's three matmuls, and PyTorch.")

SIZE = 2048
TARGET_RATIO = 1.1
# Long enough for the idle BLAS/OpenMP threads of the previous side to stop
# spinning (measured: 0.1 s suffices on 2 cores; without it PyTorch after NumPy
# runs 2-3x slower, ndgrad after PyTorch about 30% slower).
PAUSE = 0.15
PHASE = "forward+backward"


def inputs(size=SIZE):
    generator = np.random.default_rng(0)
    x, w, g = (generator.standard_normal((size, size), dtype=np.float32) for _ in range(3))
    return x, w, g


def make_side(lib, x, w, g):
    """One round for ``lib`` (``ndgrad`` or ``torch``): ``x @ w`` and its backward."""
    x = lib.tensor(x, requires_grad=True)
    w = lib.tensor(w, requires_grad=True)
    g = lib.tensor(g)
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


def check_agreement(sides):
    """After the first round, the three sides must hold the same gradients."""
    _, expected_gx, expected_gw = sides["numpy"].results
    for name in ("ndgrad", "torch"):
        gx, gw = (leaf.grad.numpy() for leaf in sides[name].leaves)
        for got, expected, label in ((gx, expected_gx, "x"), (gw, expected_gw, "w")):
            _harness.check_close(f"matmul: {name}'s gradient of {label} against NumPy's",
                                 got, expected, rtol=1e-3, atol=1e-2)


def make_sides(size):
    """The three sides, each run once and checked to agree."""
    x, w, g = inputs(size)
    sides = {"ndgrad": make_side(ndgrad, x, w, g), "numpy": numpy_side(x, w, g),
             "torch": make_side(torch, x, w, g)}
    for side in sides.values():
        side()
    check_agreement(sides)
    return sides


def check(size=SIZE):
    """ndgrad's and PyTorch's gradients equal NumPy's products."""
    make_sides(size)
    return size


def measure(settings, size=SIZE):
    """The matmul row: ndgrad's forward+backward against NumPy's three products."""
    sides = make_sides(size)
    rounds, warmup = settings.rounds(12), settings.warmup(2)
    samples = _harness.run_interleaved(sides, rounds=rounds, warmup=warmup, pause=PAUSE)
    medians = {name: phases[PHASE] for name, phases in _harness.medians(samples).items()}
    spreads = {name: _harness.spread(samples[name][PHASE]) for name in sides}
    ratios = {"ndgrad/numpy": medians["ndgrad"] / medians["numpy"],
              "ndgrad/torch": medians["ndgrad"] / medians["torch"],
              "torch/numpy": medians["torch"] / medians["numpy"]}
    flops = 3 * 2 * size ** 3
    gflops = {name: flops / medians[name] / 1e9 for name in sides}
    notes = [f"GFLOP/s (3 products, {flops / 1e9:.1f} GFLOP): ndgrad {gflops['ndgrad']:.0f}, "
             f"NumPy {gflops['numpy']:.0f}, PyTorch {gflops['torch']:.0f} "
             f"(ndgrad/PyTorch {ratios['ndgrad/torch']:.2f}); IQR/median "
             f"{spreads['ndgrad']:.0%} / {spreads['numpy']:.0%} / {spreads['torch']:.0%} "
             f"over {rounds} rounds"]
    details = {"what": f"{size}x{size} float32 x @ w and its backward from a given upstream "
                       "gradient; ndgrad against the three NumPy matmuls it needs; PyTorch "
                       "for reference",
               "shape": [size, size], "dtype": "float32", "rounds": rounds, "warmup": warmup,
               "ms": {name: value * 1e3 for name, value in medians.items()},
               "gflops": gflops, "ratio": ratios, "relative_iqr": spreads}
    return _harness.make_row("matmul", f"float32 matmul {size}^2: fwd+bwd", "ms",
                             medians["ndgrad"] * 1e3, medians["numpy"] * 1e3, TARGET_RATIO,
                             peer="numpy", notes=notes, details=details)


ROWS = {"matmul": measure}
CHECKS = {"matmul": check}


def main():
    parser = _harness.argument_parser(DESCRIPTION)
    parser.add_argument("--size", type=int, default=SIZE, help=f"matrix side (default {SIZE})")
    args = parser.parse_args()
    thread_setting = _harness.configure_torch(torch)
    row = measure(_harness.settings_from(args), args.size)
    _harness.print_rows([row])
    path = _harness.save_rows([row], torch, thread_setting)
    print(f"written to {path} (key 'matmul')")


if __name__ == "__main__":
    main()
