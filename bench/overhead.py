"""Per-op overhead: a chain of 200 small elementwise ops and its backward,
ndgrad against PyTorch (CPU), interleaved in one process.

On a 16-element tensor the arithmetic costs next to nothing, so the time per
op is the framework's own: argument handling, recording the graph node,
wrapping the result, and at backward the walk, the rule calls and the
gradient accumulation. The same op sequence runs in both frameworks from the
same float32 values; the results are checked to agree before any timing.

Reported per op (microseconds, the round's time divided by 200):

- ``forward``: the chain while recording the graph (the leaf requires grad);
- ``backward``: ``y.backward(seed)`` through the 200 recorded nodes;
- ``forward+backward``: the two together (the target: ndgrad within 2x);
- ``forward (no grad)``: the chain under ``no_grad``, for reference: what the
  ops cost without any recording.

Run from the repository root::

    .venv/bin/python bench/overhead.py             # the benchmark
    .venv/bin/python bench/overhead.py --profile   # cProfile of ndgrad's side
"""

import argparse
import cProfile
import os
import pstats
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import ndgrad  # noqa: E402  (the checkout's ndgrad, even when not installed)

import _harness  # noqa: E402

DESCRIPTION = ("Per-op overhead of 200 small elementwise ops and their backward: "
               "ndgrad against PyTorch.")

OPS = 200
SIZE = 16
OPS_PER_CYCLE = 8
TARGET_RATIO = 2.0
PHASES = ("forward", "backward", "forward+backward", "forward (no grad)")


def chain(x, lib):
    """The 200 ops: scalar multiply/add/subtract/divide, tanh, sin and a square,
    chosen to keep values in (-1, 1) and gradients far from underflow.

    ``lib`` is ``ndgrad`` or ``torch``; both spell these ops the same way.
    """
    for _ in range(OPS // OPS_PER_CYCLE):
        x = x * 0.9
        x = x + 0.1
        x = lib.tanh(x)
        x = x * 1.5
        x = x - 0.2
        x = lib.sin(x)
        x = x * x
        x = x / 1.25
    return x


def make_side(lib, start, seed):
    """A function that times one round for ``lib`` and returns its phases."""
    leaf = lib.tensor(start, requires_grad=True)
    seed = lib.tensor(seed)
    perf_counter = time.perf_counter

    def one_round():
        leaf.grad = None
        t0 = perf_counter()
        y = chain(leaf, lib)
        t1 = perf_counter()
        y.backward(seed)
        t2 = perf_counter()
        with lib.no_grad():
            chain(leaf, lib)
        t3 = perf_counter()
        return {"forward": t1 - t0, "backward": t2 - t1, "forward+backward": t2 - t0,
                "forward (no grad)": t3 - t2}

    return one_round


def check_agreement(start, seed):
    """Refuse to time two computations that are not the same computation."""
    results = {}
    for lib in (ndgrad, torch):
        leaf = lib.tensor(start, requires_grad=True)
        y = chain(leaf, lib)
        y.backward(lib.tensor(seed))
        results[lib.__name__] = (np.asarray(y.detach().numpy()), np.asarray(leaf.grad.numpy()))
    (ny, ngrad), (ty, tgrad) = results["ndgrad"], results["torch"]
    if ny.dtype != np.float32 or ngrad.dtype != np.float32:
        raise SystemExit(f"ndgrad left float32: output {ny.dtype}, gradient {ngrad.dtype}")
    same_output = np.allclose(ny, ty, rtol=1e-4, atol=1e-6)
    same_gradient = np.allclose(ngrad, tgrad, rtol=1e-3, atol=1e-6)
    if not (same_output and same_gradient):
        raise SystemExit("ndgrad and PyTorch disagree on the chain; timing would compare "
                         f"different work.\n output diff {np.abs(ny - ty).max()}, "
                         f"gradient diff {np.abs(ngrad - tgrad).max()}")
    return float(np.abs(ngrad).min())


def inputs():
    generator = np.random.default_rng(0)
    start = generator.uniform(-1.0, 1.0, SIZE).astype(np.float32)
    seed = np.ones(SIZE, dtype=np.float32)
    return start, seed


def benchmark(rounds, warmup):
    thread_setting = _harness.configure_torch(torch)
    start, seed = inputs()
    smallest_gradient = check_agreement(start, seed)
    sides = {"ndgrad": make_side(ndgrad, start, seed), "torch": make_side(torch, start, seed)}
    samples = _harness.run_interleaved(sides, rounds=rounds, warmup=warmup)
    medians = _harness.medians(samples)

    per_op = {name: {phase: medians[name][phase] / OPS * 1e6 for phase in PHASES}
              for name in sides}
    ratios = {phase: medians["ndgrad"][phase] / medians["torch"][phase] for phase in PHASES}
    spreads = {name: {phase: _harness.spread(samples[name][phase]) for phase in PHASES}
               for name in sides}

    print(f"overhead: {OPS} elementwise ops on a ({SIZE},) float32 tensor, "
          f"median of {rounds} interleaved rounds ({warmup} warm-up); "
          f"torch threads = {thread_setting['threads']} ({thread_setting['threads_source']})")
    rows = [[phase, f"{per_op['ndgrad'][phase]:.2f}", f"{per_op['torch'][phase]:.2f}",
             f"{ratios[phase]:.2f}",
             f"{spreads['ndgrad'][phase]:.0%} / {spreads['torch'][phase]:.0%}"]
            for phase in PHASES]
    _harness.print_table("microseconds per op (ratio = ndgrad / torch; lower is better)",
                         ["phase", "ndgrad", "torch", "ratio", "IQR/median"], rows)
    meets = ratios["forward+backward"] <= TARGET_RATIO
    print(f"target: forward+backward ratio <= {TARGET_RATIO:g}: "
          f"{'met' if meets else 'NOT met'} ({ratios['forward+backward']:.2f})")

    entry = {
        "what": f"{OPS} elementwise ops on a ({SIZE},) float32 tensor that requires grad, "
                "and their backward; times are microseconds per op",
        "ops": OPS, "shape": [SIZE], "dtype": "float32", "rounds": rounds, "warmup": warmup,
        "us_per_op": per_op, "ratio": ratios, "relative_iqr": spreads,
        "smallest_gradient": smallest_gradient,
        "target": {"phase": "forward+backward", "max_ratio": TARGET_RATIO, "met": meets},
        "environment": _harness.environment(torch, thread_setting),
    }
    path = _harness.merge_results("overhead", entry)
    print(f"written to {os.path.relpath(path)} (key 'overhead')")


def profile(rounds, top):
    """Profile ndgrad's side alone: where its per-op time goes, by tottime."""
    start, seed = inputs()
    side = make_side(ndgrad, start, seed)
    for _ in range(20):
        side()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        side()
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs().sort_stats("tottime")
    print(f"cProfile of ndgrad's side, {rounds} rounds ({rounds * OPS} ops forward, backward "
          f"and forward without grad); cProfile inflates the time of small functions")
    stats.print_stats(top)


def main():
    parser = argparse.ArgumentParser(description=DESCRIPTION)
    parser.add_argument("--rounds", type=int, default=1000, help="timed rounds (default 1000)")
    parser.add_argument("--warmup", type=int, default=50, help="untimed rounds first (default 50)")
    parser.add_argument("--profile", action="store_true",
                        help="profile ndgrad's side with cProfile instead of benchmarking")
    parser.add_argument("--top", type=int, default=30, help="functions to list with --profile")
    args = parser.parse_args()
    if args.profile:
        profile(min(args.rounds, 100), args.top)
    else:
        benchmark(args.rounds, args.warmup)


if __name__ == "__main__":
    main()
