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
- ``forward+backward``: the two together (the target: ndgrad no slower
  than PyTorch, ratio <= 1.0, issue 6);
- ``forward (no grad)``: the chain under ``no_grad``, for reference: what the
  ops cost without any recording.

``--diagnostics`` measures what ``ndgrad.explain`` costs (issue 5): the same
chain in ndgrad's normal mode, under ``ndgrad.debug()`` (the user's line of
every op) and under ``ndgrad.detect_anomaly()`` (a finiteness check of every
result and gradient), interleaved, plus the time of one ``detach()`` of the
200-op result (the cut records the leaves behind it). The facts of the normal
mode are always on, so their own cost is the difference between commits;
the closing note of issue 5 gives it.

Run from the repository root::

    .venv/bin/python bench/overhead.py                 # the benchmark
    .venv/bin/python bench/overhead.py --profile       # cProfile of ndgrad's side
    .venv/bin/python bench/overhead.py --diagnostics   # cost of debug and anomaly modes
"""

import cProfile
import pstats
import time

import numpy as np
import torch

import _harness
import ndgrad  # noqa: E402  (after _harness: the checkout's ndgrad)

DESCRIPTION = ("Per-op overhead of 200 small elementwise ops and their backward: "
               "ndgrad against PyTorch.")

OPS = 200
SIZE = 16
OPS_PER_CYCLE = 8
TARGET_RATIO = 1.0
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
    """Refuse to time two computations that are not the same computation;
    returns the smallest gradient magnitude (far from underflow)."""
    results = {}
    for lib in (ndgrad, torch):
        leaf = lib.tensor(start, requires_grad=True)
        y = chain(leaf, lib)
        y.backward(lib.tensor(seed))
        results[lib.__name__] = (np.asarray(y.detach().numpy()), np.asarray(leaf.grad.numpy()))
    (ny, ngrad), (ty, tgrad) = results["ndgrad"], results["torch"]
    _harness.check_close("overhead: chain output", ny, ty, rtol=1e-4, atol=1e-6)
    _harness.check_close("overhead: chain gradient", ngrad, tgrad, rtol=1e-3, atol=1e-6)
    return float(np.abs(ngrad).min())


def inputs():
    generator = np.random.default_rng(0)
    start = generator.uniform(-1.0, 1.0, SIZE).astype(np.float32)
    seed = np.ones(SIZE, dtype=np.float32)
    return start, seed


def check():
    """The chain's output and gradient agree between ndgrad and PyTorch."""
    return check_agreement(*inputs())


def measure(settings):
    """The overhead row: microseconds per op of forward+backward, every phase in
    the details (``forward`` minus ``forward (no grad)`` is the cost of recording)."""
    start, seed = inputs()
    smallest_gradient = check_agreement(start, seed)
    rounds, warmup = settings.rounds(1000), settings.warmup(50)
    sides = {"ndgrad": make_side(ndgrad, start, seed), "torch": make_side(torch, start, seed)}
    samples = _harness.run_interleaved(sides, rounds=rounds, warmup=warmup)
    medians = _harness.medians(samples)
    per_op = {name: {phase: medians[name][phase] / OPS * 1e6 for phase in PHASES}
              for name in sides}
    ratios = {phase: medians["ndgrad"][phase] / medians["torch"][phase] for phase in PHASES}
    spreads = {name: {phase: _harness.spread(samples[name][phase]) for phase in PHASES}
               for name in sides}
    notes = ["us/op forward | backward | forward (no grad): ndgrad "
             + " | ".join(f"{per_op['ndgrad'][p]:.2f}" for p in PHASES if p != PHASES[2])
             + ", PyTorch "
             + " | ".join(f"{per_op['torch'][p]:.2f}" for p in PHASES if p != PHASES[2])
             + f"; {rounds} rounds"]
    details = {"what": f"{OPS} elementwise ops on a ({SIZE},) float32 tensor that requires "
                       "grad, and their backward; times are microseconds per op",
               "ops": OPS, "shape": [SIZE], "dtype": "float32", "rounds": rounds,
               "warmup": warmup, "us_per_op": per_op, "ratio": ratios, "relative_iqr": spreads,
               "smallest_gradient": smallest_gradient}
    title = f"chain of {OPS} small elementwise ops: fwd+bwd"
    return _harness.make_row("overhead", title, "us/op", per_op["ndgrad"][PHASES[2]],
                             per_op["torch"][PHASES[2]], TARGET_RATIO, notes=notes,
                             details=details)


def print_phases(row):
    """Every phase of the overhead row, per op, with both sides' spreads."""
    details = row["details"]
    per_op, ratios, spreads = details["us_per_op"], details["ratio"], details["relative_iqr"]
    rows = [[phase, f"{per_op['ndgrad'][phase]:.2f}", f"{per_op['torch'][phase]:.2f}",
             f"{ratios[phase]:.2f}",
             f"{spreads['ndgrad'][phase]:.0%} / {spreads['torch'][phase]:.0%}"]
            for phase in PHASES]
    _harness.print_table(f"overhead: {OPS} elementwise ops on a ({SIZE},) float32 tensor, "
                         f"microseconds per op, median of {details['rounds']} interleaved "
                         "rounds (ratio = ndgrad / torch; lower is better)",
                         ["phase", "ndgrad", "torch", "ratio", "IQR/median"], rows)


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


def diagnostics_cost(settings):
    """ndgrad's chain in its three modes (microseconds per op, forward+backward)
    and one ``detach()`` of the chain's result (microseconds)."""
    start, seed_values = inputs()
    leaf = ndgrad.tensor(start, requires_grad=True)
    seed = ndgrad.tensor(seed_values)
    perf_counter = time.perf_counter

    def timed(context):
        def one_round():
            leaf.grad = None
            with context():
                t0 = perf_counter()
                y = chain(leaf, ndgrad)
                y.backward(seed)
                return {"fwd+bwd": perf_counter() - t0}
        return one_round

    def cut():
        y = chain(leaf, ndgrad)
        t0 = perf_counter()
        y.detach()
        return {"detach": perf_counter() - t0}

    sides = {"normal": timed(_nothing), "debug()": timed(ndgrad.debug),
             "detect_anomaly()": timed(ndgrad.detect_anomaly), "detach": cut}
    samples = _harness.run_interleaved(sides, rounds=settings.rounds(300),
                                       warmup=settings.warmup(20))
    medians = _harness.medians(samples)
    per_op = {mode: medians[mode]["fwd+bwd"] / OPS * 1e6 for mode in list(sides)[:3]}
    rows = [[mode, f"{value:.2f}", f"{value / per_op['normal']:.2f}"]
            for mode, value in per_op.items()]
    _harness.print_table(f"diagnostics: ndgrad's {OPS}-op chain, forward+backward, us per op "
                         "(ratio to the normal mode)", ["mode", "us/op", "ratio"], rows)
    detach_us = medians["detach"]["detach"] * 1e6
    print(f"  one detach() of the {OPS}-op result (records the cut and the leaf behind it): "
          f"{detach_us:.1f} us")
    return {"us_per_op": per_op, "detach_us": detach_us}


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


ROWS = {"overhead": measure}
CHECKS = {"overhead": check}


def main():
    parser = _harness.argument_parser(DESCRIPTION)
    parser.add_argument("--profile", action="store_true",
                        help="profile ndgrad's side with cProfile instead of benchmarking")
    parser.add_argument("--top", type=int, default=30, help="functions to list with --profile")
    parser.add_argument("--diagnostics", action="store_true",
                        help="measure ndgrad.debug() and detect_anomaly() against the normal mode")
    args = parser.parse_args()
    if args.profile:
        profile(min(args.rounds or 100, 100), args.top)
        return
    if args.diagnostics:
        result = diagnostics_cost(_harness.settings_from(args))
        path = _harness.merge_results({"diagnostics_overhead": result})
        print(f"written to {path} (key 'diagnostics_overhead')")
        return
    thread_setting = _harness.configure_torch(torch)
    row = measure(_harness.settings_from(args))
    print_phases(row)
    _harness.print_rows([row])
    path = _harness.save_rows([row], torch, thread_setting)
    print(f"written to {path} (key 'overhead')")


if __name__ == "__main__":
    main()
