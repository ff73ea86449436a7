"""Data-parallel speed (issue 14): ndgrad.distributed on 2 ranks against 1, and
against PyTorch's DistributedDataParallel on gloo; allreduce latency and
bandwidth here, and the ring-allreduce efficiency they project for 8, 64 and
256 ranks.

Every rank runs with one BLAS thread (OMP_NUM_THREADS=OPENBLAS_NUM_THREADS=1,
and threadpoolctl's limit when it is installed; PyTorch: set_num_threads(1)),
so 2 ranks use the 2 cores that 1 rank x 1 thread leaves half idle. The model
is the wide MLP 784-1024-1024-10 (ReLU), per-rank batch 256, SGD; every
configuration is one launch of ``bench/_distributed_worker.py`` under the
venv's ``mpirun`` (the PyTorch processes take their rank from it as well and
meet over gloo on 127.0.0.1). A configuration's step time is the median over
its timed steps, on the slowest rank; each launch runs ``--rounds`` times and
the best round counts (the machine's other load only ever slows a round).

Measured per configuration (ndgrad):

- ``ddp``: the PyTorch face's loop, DistributedDataParallel;
- ``fit``: Keras ``model.fit`` under DataParallel;
- each with the allreduce overlapping the backward (the default) and after
  the full backward (``NDGRAD_DISTRIBUTED_OVERLAP=0``), each launch without
  and with MPICH's progress thread (``MPIR_CVAR_ASYNC_PROGRESS=1``);
- waiting: the median time per step spent waiting for gradients (blocked on
  the gradient buckets' allreduce), as a % of the step;
- ``ddp-no-communication``: 2 ranks stepping under ``no_sync`` (the ceiling
  that 2 busy cores allow without any communication).

Then the latency and bandwidth of loopback MPI (ping-pong, one way, and
2-rank Allreduce, 8 B .. 64 MB), fitted as t = alpha + n * beta, and the
projection table (the model is in bench/README.md). The table goes to the
screen, the numbers to ``bench/distributed_results.json``; ``--readme``
also rewrites the projection table in bench/README.md.

Run from the repository root::

    make bench-distributed          # or: .venv/bin/python bench/distributed.py
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time

import numpy as np

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(BENCH_DIR)
RESULTS_PATH = os.path.join(BENCH_DIR, "distributed_results.json")
README_PATH = os.path.join(BENCH_DIR, "README.md")
WORKER = os.path.join(BENCH_DIR, "_distributed_worker.py")
MPIRUN = os.path.join(os.path.dirname(sys.executable), "mpirun")

TARGET_SPEEDUP = 1.7
TARGET_WAIT_PCT = 10.0
TARGET_RATIO = 1.2
LAUNCH_LIMIT = 240               # seconds: a launch that takes longer has hung

WIDE_MLP_PARAMETERS = 784 * 1024 + 1024 + 1024 * 1024 + 1024 + 1024 * 10 + 10
BIG_PARAMETERS = 25_000_000
RANKS = (8, 64, 256)
# (name, alpha in seconds, beta in seconds per byte); loopback is measured.
LINKS = (("10 Gb/s Ethernet (TCP)", 30e-6, 8 / 10e9),
         ("25 Gb/s Ethernet (RoCE)", 10e-6, 8 / 25e9),
         ("100 Gb/s InfiniBand", 2e-6, 8 / 100e9))
BACKWARD_SHARE = 2 / 3           # of a step: what the allreduce can hide behind
README_BEGIN = "<!-- distributed-projection: begin (bench/distributed.py --readme) -->"
README_END = "<!-- distributed-projection: end -->"


# ------------------------------------------------------------------ launching
def _environment(async_progress=False, port=None):
    environment = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
                       MKL_NUM_THREADS="1", PYTHONPATH=os.pathsep.join(
                           [REPO_ROOT, os.environ.get("PYTHONPATH", "")]))
    environment.pop("NDGRAD_DISTRIBUTED_OVERLAP", None)
    environment.pop("NDGRAD_DISTRIBUTED", None)
    environment["MPIR_CVAR_ASYNC_PROGRESS"] = "1" if async_progress else "0"
    if port is not None:
        environment.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    return environment


def launch(ranks, arguments, **environment):
    """Run the worker on ``ranks`` processes; rank 0's RESULT as a dict."""
    command = [MPIRUN, "-n", str(ranks), sys.executable, WORKER, *map(str, arguments)]
    try:
        done = subprocess.run(command, env=_environment(**environment), cwd=REPO_ROOT,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=LAUNCH_LIMIT)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"{' '.join(command)} did not end within {LAUNCH_LIMIT} s") from None
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    raise RuntimeError(f"{' '.join(command)} failed (exit {done.returncode}):\n"
                       f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}")


def _free_port():
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _best(rounds):
    """Of several rounds of one configuration, the fastest, per variant."""
    if "variants" not in rounds[0]:
        return min(rounds, key=lambda r: r["step_ms"])
    best = dict(rounds[0], variants={})
    for name in rounds[0]["variants"]:
        best["variants"][name] = min((r["variants"][name] for r in rounds),
                                     key=lambda v: v["step_ms"])
    return best


def measure(steps, warmup, rounds):
    # MPICH's progress thread spins on a core that a rank computes on: several times
    # slower here, so it runs fewer steps, in the first round only (it is for the record)
    async_steps = max(5, steps // 3)
    configurations = {
        "ndgrad-1": (1, ["ndgrad", steps, warmup], {}),
        "ndgrad-2": (2, ["ndgrad", steps, warmup], {}),
        "ndgrad-2-async": (2, ["ndgrad", async_steps, min(warmup, 3)], {"async_progress": True}),
        "torch-1": (1, ["torch", steps, warmup], {}),
        "torch-2": (2, ["torch", steps, warmup], {}),
    }
    collected = {name: [] for name in configurations}
    for round_index in range(rounds):            # interleaved: A B C ... A B C
        for name, (ranks, arguments, options) in configurations.items():
            if name.endswith("async") and round_index:
                continue
            if name.startswith("torch"):
                options = dict(options, port=_free_port())
            started = time.monotonic()
            collected[name].append(launch(ranks, arguments, **options))
            print(f"  round {round_index + 1}/{rounds}: {name} "
                  f"({time.monotonic() - started:.1f} s)", flush=True)
    return {name: _best(results) for name, results in collected.items()}


# ------------------------------------------------------------------ alpha, beta
def fit_alpha_beta(times):
    """t = alpha + n * beta by least squares on the relative error."""
    sizes = np.array([float(n) for n in times])
    seconds = np.array(list(times.values()))
    matrix = np.stack([1 / seconds, sizes / seconds], axis=1)
    (alpha, beta), *_ = np.linalg.lstsq(matrix, np.ones_like(seconds), rcond=None)
    return max(float(alpha), 0.0), float(beta)


def ring_allreduce_seconds(ranks, nbytes, alpha, beta):
    """Ring allreduce: reduce-scatter then all-gather, 2(p-1) steps of n/p bytes."""
    return 2 * (ranks - 1) * alpha + 2 * (ranks - 1) / ranks * nbytes * beta


def last_bucket_bytes(parameter_bytes, cap=25 * 2 ** 20, first_cap=2 ** 20):
    """The bytes of DDP's last bucket (the first layers' gradients, ready only at
    the end of backward), by the buckets' rule: reverse order, the first bucket
    closed at 1 MB, the others at ``cap``."""
    buckets, current = [], 0
    for nbytes in reversed(parameter_bytes):
        current += nbytes
        if current >= (first_cap if not buckets else cap):
            buckets.append(current)
            current = 0
    return current if current else buckets[-1]


def efficiency(compute, communication, last_bucket, overlap):
    """compute / (compute + the allreduce time the backward does not hide)."""
    exposed = communication
    if overlap:
        exposed = max(last_bucket, communication - BACKWARD_SHARE * compute)
    return compute / (compute + exposed)


def projection(alpha, beta, compute_ms):
    """Rows (model, link, compute ms, {ranks: (allreduce ms, efficiency, with overlap)})."""
    wide = [4 * n for n in (784 * 1024, 1024, 1024 * 1024, 1024, 1024 * 10, 10)]
    models = (("wide MLP (1.86 M parameters)", WIDE_MLP_PARAMETERS, last_bucket_bytes(wide)),
              # 100 MB of gradients in 25 MB buckets: the last one is full
              ("25 M-parameter model", BIG_PARAMETERS, 25 * 2 ** 20))
    links = (("loopback (measured here)", alpha, beta),) + LINKS
    rows = []
    for model, parameters, last in models:
        compute = compute_ms / 1000 * parameters / WIDE_MLP_PARAMETERS
        for link, link_alpha, link_beta in links:
            cells = {}
            for ranks in RANKS:
                seconds = ring_allreduce_seconds(ranks, 4 * parameters, link_alpha, link_beta)
                tail = ring_allreduce_seconds(ranks, last, link_alpha, link_beta)
                cells[ranks] = (1000 * seconds, efficiency(compute, seconds, tail, False),
                                efficiency(compute, seconds, tail, True))
            rows.append((model, link, 1000 * compute, cells))
    return rows


def projection_markdown(rows):
    header = ("| model (compute per step) | link | " +
              " | ".join(f"{p} ranks: allreduce, efficiency (no overlap / overlap)"
                         for p in RANKS) + " |")
    lines = [header, "| --- | --- |" + " --- |" * len(RANKS)]
    for model, link, compute_ms, cells in rows:
        lines.append(f"| {model} ({compute_ms:.0f} ms) | {link} | " + " | ".join(
            f"{ms:.1f} ms, {plain:.0%} / {hidden:.0%}" for ms, plain, hidden in cells.values())
            + " |")
    return "\n".join(lines)


# ------------------------------------------------------------------ report
def verdict(value, target, higher_is_better):
    ok = value >= target if higher_is_better else value <= target
    return "PASS" if ok else "MISS"


def report(measured, network):
    one = measured["ndgrad-1"]["variants"]
    two = measured["ndgrad-2"]["variants"]
    two_async = measured["ndgrad-2-async"]["variants"]
    torch_one, torch_two = measured["torch-1"], measured["torch-2"]
    rows = []

    def row(name, value, unit, target=None, higher=True, note=""):
        shown = f"{value:.2f}{unit}"
        goal = "" if target is None else f"{'>=' if higher else '<='} {target:g}{unit}"
        result = "info" if target is None else verdict(value, target, higher)
        rows.append({"row": name, "value": value, "unit": unit.strip(), "target": goal,
                     "verdict": result, "note": note, "shown": shown})

    for kind in ("ddp", "fit"):
        base = one[f"{kind}-overlap"]
        for label, table in (("", two), (", async progress", two_async)):
            for overlap in ("overlap", "no-overlap"):
                variant = table[f"{kind}-{overlap}"]
                speedup = variant["samples_per_s"] / base["samples_per_s"]
                primary = overlap == "overlap" and not label
                row(f"{kind}: 2 ranks / 1 rank, samples/s ({overlap}{label})", speedup, "x",
                    TARGET_SPEEDUP if primary else None, note=(
                        f"{variant['step_ms']:.1f} ms/step vs {base['step_ms']:.1f}"))
                row(f"{kind}: waiting for gradients, % of step ({overlap}{label})",
                    variant["wait_pct"], "%", TARGET_WAIT_PCT if primary else None, higher=False,
                    note=f"{variant['wait_ms']:.2f} ms of {variant['step_ms']:.1f}")
    ceiling = two["ddp-no-communication"]
    row("ddp: 2 ranks under no_sync / 1 rank (no communication: the ceiling)",
        ceiling["samples_per_s"] / one["ddp-overlap"]["samples_per_s"], "x",
        note=f"{ceiling['step_ms']:.1f} ms/step")
    row("PyTorch DDP (gloo): 2 processes / 1, samples/s",
        torch_two["samples_per_s"] / torch_one["samples_per_s"], "x",
        note=f"{torch_two['step_ms']:.1f} ms/step vs {torch_one['step_ms']:.1f}")
    row("ndgrad DDP / PyTorch DDP (gloo), time per step, 2 ranks",
        two["ddp-overlap"]["step_ms"] / torch_two["step_ms"], "", TARGET_RATIO, higher=False,
        note=f"{two['ddp-overlap']['step_ms']:.1f} ms vs {torch_two['step_ms']:.1f} ms")
    row("ndgrad fit / PyTorch DDP (gloo), time per step, 2 ranks",
        two["fit-overlap"]["step_ms"] / torch_two["step_ms"], "", None,
        note=f"{two['fit-overlap']['step_ms']:.1f} ms vs {torch_two['step_ms']:.1f} ms")
    row("ndgrad / PyTorch, time per step, 1 process (no DDP), for reference",
        one["ddp-overlap"]["step_ms"] / torch_one["step_ms"], "",
        note=f"{one['ddp-overlap']['step_ms']:.1f} ms vs {torch_one['step_ms']:.1f} ms")

    width = max(len(r["row"]) for r in rows)
    print(f"\n{'row':<{width}}  {'value':>8}  {'target':>9}  verdict  note")
    for r in rows:
        print(f"{r['row']:<{width}}  {r['shown']:>8}  {r['target']:>9}  {r['verdict']:<7}  "
              f"{r['note']}")
    p2p, allreduce = network["pingpong_fit"], network["allreduce_fit"]
    print(f"\nloopback MPI (MPICH shared memory), t = alpha + n * beta:\n"
          f"  ping-pong, one way: alpha = {p2p[0] * 1e6:.2f} us, "
          f"beta = {p2p[1] * 1e9:.4f} ns/B ({1 / p2p[1] / 1e9:.2f} GB/s)\n"
          f"  Allreduce, 2 ranks: alpha = {allreduce[0] * 1e6:.2f} us, "
          f"beta = {allreduce[1] * 1e9:.4f} ns/B ({1 / allreduce[1] / 1e9:.2f} GB/s)")
    print("  sizes (B): " + ", ".join(
        f"{int(n)}: {t * 1e6:.1f}/{network['allreduce'][n] * 1e6:.1f} us"
        for n, t in network["pingpong"].items()) + "  (ping-pong one way / Allreduce)")
    return rows


def update_readme(markdown):
    with open(README_PATH, encoding="utf-8") as file:
        text = file.read()
    pattern = re.compile(re.escape(README_BEGIN) + ".*?" + re.escape(README_END), re.S)
    if not pattern.search(text):
        print(f"bench/README.md has no {README_BEGIN} marker: not updated")
        return
    text = pattern.sub(lambda _: f"{README_BEGIN}\n{markdown}\n{README_END}", text)
    with open(README_PATH, "w", encoding="utf-8") as file:
        file.write(text)
    print("bench/README.md: projection table rewritten")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=30, help="timed steps per variant")
    parser.add_argument("--warmup", type=int, default=5, help="untimed steps per variant")
    parser.add_argument("--rounds", type=int, default=2, help="launches per configuration")
    parser.add_argument("--readme", action="store_true",
                        help="rewrite the projection table in bench/README.md")
    options = parser.parse_args()
    if not os.path.exists(MPIRUN):
        raise SystemExit(f"bench/distributed.py: no mpirun next to {sys.executable}; install "
                         f"the extra: pip install 'ndgrad[distributed]' (make installs dev)")
    started = time.monotonic()
    print("loopback latency and bandwidth (ping-pong, Allreduce; 2 ranks) ...", flush=True)
    network = launch(2, ["alphabeta"])
    network["pingpong_fit"] = fit_alpha_beta(network["pingpong"])
    network["allreduce_fit"] = fit_alpha_beta(network["allreduce"])
    print(f"wide MLP 784-1024-1024-10, per-rank batch 256, 1 BLAS thread per rank; "
          f"{options.rounds} round(s), best counts ...", flush=True)
    measured = measure(options.steps, options.warmup, options.rounds)
    rows = report(measured, network)
    compute_ms = measured["ndgrad-1"]["variants"]["ddp-overlap"]["step_ms"]
    table = projection(*network["pingpong_fit"], compute_ms)
    markdown = projection_markdown(table)
    print(f"\nprojected ring-allreduce efficiency = compute / (compute + non-overlapped "
          f"allreduce);\nallreduce = 2(p-1) alpha + 2(p-1)/p n beta, n = 4 B x parameters; "
          f"compute = this machine's 1-rank step\n(scaled by parameters for the 25 M model); "
          f"overlap hides the allreduce behind the backward ({BACKWARD_SHARE:.0%} of the "
          f"step)\nexcept the last bucket's (the first layers': 3.2 MB for the wide MLP, "
          f"the 25 MB cap for the 25 M model):\n")
    print(markdown)
    results = {"rows": rows, "measured": measured, "network": network,
               "projection": [{"model": m, "link": link, "compute_ms": c,
                               "ranks": {str(p): dict(zip(("allreduce_ms", "efficiency",
                                                           "efficiency_overlap"), v))
                                         for p, v in cells.items()}}
                              for m, link, c, cells in table],
               "links": [{"name": n, "alpha_s": a, "beta_s_per_byte": b} for n, a, b in LINKS],
               "blas": measured["ndgrad-1"]["blas"],
               "seconds": time.monotonic() - started}
    with open(RESULTS_PATH, "w", encoding="utf-8") as file:
        json.dump(results, file, indent=1)
    print(f"\nnumbers: {os.path.relpath(RESULTS_PATH, REPO_ROOT)}; BLAS per rank: "
          f"{measured['ndgrad-1']['blas']}; {time.monotonic() - started:.0f} s in all")
    if options.readme:
        update_readme(markdown)


if __name__ == "__main__":
    main()
