"""What every benchmark shares: thread setup, interleaved runs, medians, the
same-result checks, the row table, the command line and the results file.

Every benchmark runs ndgrad and its peer in one process, one after the other
inside each round (A B A B ...), so that a slow patch of the machine (another
process, frequency scaling) hits both sides alike. Each side's function times
its own phases with ``time.perf_counter`` and returns them as a dict of
seconds; the harness keeps one list of samples per side and phase and reports
medians, which ignore the odd round interrupted by the scheduler or the
garbage collector.

A benchmark reports *rows*: a dict with the row's name and title, the unit,
ndgrad's median, the peer's median, their ratio (ndgrad / peer, lower is
better), the target ratio and the verdict (PASS, MISS, "info" for a row
without a target, "skipped: why", "FAILED: why"), notes to print under the
table, and details for ``results.json``.

Results are merged into ``bench/results.json``, one key per row, so that a run
of some rows (``run.py --only``, or ``overhead.py`` alone) keeps the others.

This module imports neither PyTorch nor ndgrad: the memory benchmark's ndgrad
child must not pay for PyTorch's import.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(BENCH_DIR)
RESULTS_PATH = os.path.join(BENCH_DIR, "results.json")

if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)   # the checkout's ndgrad, even when not installed

# Long enough for the idle BLAS/OpenMP threads of the previous side to stop
# spinning: with 0.05 s PyTorch's forward ran into NumPy's still-spinning BLAS
# threads (55 ms instead of 7 for the wide MLP); 0.1 s sufficed for matmuls.
PAUSE = 0.2
# After the pause, a side's first call pays for waking its sleeping threads
# (PyTorch's OpenMP pool, OpenBLAS's workers) and for a CPU that clocked down:
# measured, PyTorch's CNN forward took 15 ms right after the pause and 3 ms on
# the next call. So each side makes SETTLE untimed calls before its timed one.
SETTLE = 2


class Mismatch(RuntimeError):
    """ndgrad and the peer computed different things; timing them would compare
    different work."""


# ------------------------------------------------------------------ threads
def blas_threads():
    """The number of threads NumPy's BLAS uses, and where that number came from.

    threadpoolctl knows for sure; without it, the variables OpenBLAS and OpenMP
    read at start-up; without those, the CPU count (OpenBLAS's own default).
    """
    try:
        import threadpoolctl
    except ImportError:
        threadpoolctl = None
    if threadpoolctl is not None:
        counts = [pool["num_threads"] for pool in threadpoolctl.threadpool_info()
                  if pool.get("user_api") == "blas"]
        if counts:
            return max(counts), "threadpoolctl"
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(name, "").strip()
        if value.isdigit() and int(value) > 0:
            return int(value), name
    return os.cpu_count() or 1, "os.cpu_count()"


def configure_torch(torch):
    """Give PyTorch as many intra-op threads as NumPy's BLAS has; return a
    description of the setting for the report."""
    threads, source = blas_threads()
    torch.set_num_threads(threads)
    return {"threads": threads, "threads_source": source}


# ------------------------------------------------------------------ timing
def run_interleaved(sides, rounds, warmup, pause=0.0, settle=None):
    """Call each side once per round, in the given order, ``warmup + rounds`` times.

    Args:
        sides: a dict from a side's name to a function of no arguments that
            returns a dict from phase name to seconds.
        rounds: the number of timed rounds.
        warmup: the number of untimed rounds before them.
        pause: seconds to sleep before each call. Multithreaded sides need it:
            OpenBLAS's idle workers spin for tens of milliseconds after a call,
            and so do PyTorch's OpenMP threads, so a side that starts at once
            shares the cores with the previous side's spinning threads.
        settle: untimed calls of a side right before each timed one (default
            ``SETTLE`` when there is a pause, else 0): they absorb the cost of
            waking the side's threads after the pause, which is not the
            side's speed.

    Returns:
        a dict from side name to a dict from phase name to the list of samples.
    """
    samples = {name: {} for name in sides}
    if settle is None:
        settle = SETTLE if pause else 0
    for round_index in range(warmup + rounds):
        for name, side in sides.items():
            if pause:
                time.sleep(pause)
            for _ in range(settle):
                side()
            phases = side()
            if round_index < warmup:
                continue
            for phase, seconds in phases.items():
                samples[name].setdefault(phase, []).append(seconds)
    return samples


def medians(samples):
    """The median of every side's every phase, in seconds."""
    return {name: {phase: statistics.median(values) for phase, values in phases.items()}
            for name, phases in samples.items()}


def spread(values):
    """The interquartile range of ``values`` relative to their median (0.05 = 5%)."""
    if len(values) < 2:
        return 0.0
    quartiles = statistics.quantiles(values, n=4)
    middle = statistics.median(values)
    return (quartiles[2] - quartiles[0]) / middle if middle else 0.0


def spreads(samples):
    """``spread`` of every side's every phase."""
    return {name: {phase: spread(values) for phase, values in phases.items()}
            for name, phases in samples.items()}


def phase_timer():
    """A helper for sides that time several phases in a row.

    ``mark(name)`` records the seconds since the previous mark under ``name``;
    ``result(total)`` returns the phases plus their sum under ``total``.
    """
    perf_counter = time.perf_counter
    state = {"last": perf_counter(), "times": {}}

    def mark(name):
        now = perf_counter()
        state["times"][name] = state["times"].get(name, 0.0) + now - state["last"]
        state["last"] = now

    def result(total):
        times = state["times"]
        times[total] = sum(times.values())
        return times

    return mark, result


# ------------------------------------------------------------------ checks
def check_close(what, ours, theirs, rtol=1e-4, atol=1e-6):
    """Raise ``Mismatch`` unless the arrays (or numbers) agree; return the largest
    absolute difference."""
    import numpy as np
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    if ours.shape != theirs.shape:
        raise Mismatch(f"{what}: ndgrad gives shape {ours.shape}, the peer {theirs.shape}")
    if ours.dtype.kind == "f" and ours.dtype != np.float32:
        raise Mismatch(f"{what}: ndgrad left float32 ({ours.dtype})")
    difference = float(np.max(np.abs(ours.astype(np.float64) - theirs))) if ours.size else 0.0
    if not np.allclose(ours, theirs, rtol=rtol, atol=atol):
        raise Mismatch(f"{what}: ndgrad and the peer differ by up to {difference:.3g} "
                       f"(rtol {rtol:g}, atol {atol:g}); timing would compare different work")
    return difference


# ------------------------------------------------------------------ rows
def verdict(ratio, target):
    """PASS when ``ratio <= target``, MISS otherwise, "info" without a target."""
    if target is None or ratio is None:
        return "info"
    return "PASS" if ratio <= target else "MISS"


def make_row(name, title, unit, ours, theirs, target, peer="torch", notes=(), details=None):
    """A row: ndgrad's median ``ours`` against the peer's ``theirs`` (both in ``unit``,
    lower is better) and the target ratio (None for none)."""
    ratio = ours / theirs if ours is not None and theirs else None
    return {"name": name, "title": title, "unit": unit, "ndgrad": ours, "peer": theirs,
            "peer_name": peer, "ratio": ratio, "target": target,
            "result": verdict(ratio, target), "notes": list(notes), "details": details or {}}


def skipped_row(name, title, why):
    """A row that did not run, with the reason."""
    return {"name": name, "title": title, "unit": "", "ndgrad": None, "peer": None,
            "peer_name": "", "ratio": None, "target": None, "result": f"skipped: {why}",
            "notes": [], "details": {}}


def failed_row(name, title, error):
    """A row whose check or run raised ``error``."""
    row = skipped_row(name, title, "")
    row["result"] = f"FAILED: {type(error).__name__}: {error}"
    return row


def _number(value):
    if value is None:
        return "-"
    if abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"


def print_table(title, header, rows, left=(0,)):
    """Print ``rows`` (lists of strings) under ``header``, columns aligned: the
    columns numbered in ``left`` to the left, the others to the right."""
    widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]
    print(title)
    for row in [header] + rows:
        cells = [str(cell).ljust(width) if i in left else str(cell).rjust(width)
                 for i, (cell, width) in enumerate(zip(row, widths))]
        print("  " + "  ".join(cells).rstrip())


def _result_cell(result, width=60):
    return result if len(result) <= width else result[:width - 3] + "..."


def print_rows(rows, title="ratio = ndgrad / peer, lower is better; peer = PyTorch unless "
                           "named; medians"):
    """The summary table of ``rows``, then every row's notes (and full failures)."""
    cells = [[row["title"], row["unit"], _number(row["ndgrad"]),
              _number(row["peer"]) + (f" ({row['peer_name']})" if row["peer_name"] not in
                                      ("", "torch") else ""),
              _number(row["ratio"]), "-" if row["target"] is None else f"<= {row['target']:g}",
              _result_cell(row["result"])] for row in rows]
    print_table(title, ["benchmark", "unit", "ndgrad", "peer", "ratio", "target", "result"],
                cells, left=(0, 6))
    for row in rows:
        notes = row["notes"] + ([row["result"]] if row["result"] != _result_cell(row["result"])
                                else [])
        for note in notes:
            print(f"  [{row['name']}] {note}")


# ------------------------------------------------------------------ command line
class Settings:
    """How long to measure: ``quick`` for fewer rounds; ``rounds``/``warmup``
    override every benchmark's own defaults."""

    def __init__(self, quick=False, rounds=None, warmup=None):
        self.quick, self._rounds, self._warmup = quick, rounds, warmup

    def rounds(self, default):
        if self._rounds is not None:
            return self._rounds
        return max(3, default // 4) if self.quick else default

    def warmup(self, default):
        if self._warmup is not None:
            return self._warmup
        return min(default, 1) if self.quick else default


def argument_parser(description):
    """A parser with the options every benchmark script takes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true",
                        help="fewer rounds (about a quarter): a rough number fast")
    parser.add_argument("--rounds", type=int, default=None,
                        help="timed rounds for every benchmark (default: each its own)")
    parser.add_argument("--warmup", type=int, default=None,
                        help="untimed rounds first (default: each its own)")
    return parser


def settings_from(args):
    """The ``Settings`` of parsed ``argument_parser`` arguments."""
    return Settings(quick=args.quick, rounds=args.rounds, warmup=args.warmup)


# ------------------------------------------------------------------ results
def _version_of(distribution):
    """The installed version of ``distribution``, or None."""
    from importlib import metadata
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def environment(torch, thread_setting):
    """The facts a reader needs to compare two results files."""
    import numpy
    import ndgrad
    from ndgrad.ops import _accelerated
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "numpy": numpy.__version__,
        "torch": torch.__version__,
        "ndgrad": ndgrad.__version__,
        **thread_setting,
        "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE"),   # kernels NumPy's BLAS uses
        "numba": _version_of("numba"),            # ndgrad's optional compiled kernels (accel)
        "numba_kernels_on": _accelerated.enabled(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def merge_results(entries, path=RESULTS_PATH):
    """Write every ``key: entry`` of ``entries`` into the results file, keeping
    the other keys; returns the path."""
    results = {}
    if os.path.exists(path):
        try:
            with open(path, encoding="utf-8") as handle:
                results = json.load(handle)
        except (OSError, ValueError):
            print(f"warning: {path} was unreadable; starting it afresh", file=sys.stderr)
            results = {}
        if not isinstance(results, dict):
            results = {}
    results.update(entries)
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=2, sort_keys=True)
        handle.write("\n")
    os.replace(temporary, path)   # a reader never sees a half-written file
    return path


def save_rows(rows, torch, thread_setting, path=RESULTS_PATH):
    """Merge ``rows`` (by name) and the environment into the results file."""
    entries = {row["name"]: row for row in rows}
    entries["environment"] = environment(torch, thread_setting)
    return merge_results(entries, path)
