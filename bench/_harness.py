"""Timing helpers shared by the bench scripts: thread setup, interleaved runs,
medians, and the shared results file.

Every benchmark runs ndgrad and its peer in one process, one after the other
inside each round (A B A B ...), so that a slow patch of the machine (another
process, frequency scaling) hits both sides alike. Each side's function times
its own phases with ``time.perf_counter`` and returns them as a dict of
seconds; the harness keeps one list of samples per side and phase and reports
medians, which ignore the odd round interrupted by the scheduler or the
garbage collector.

Results are merged into ``bench/results.json``: each script rewrites only its
own key, so several scripts share one file.
"""

import json
import os
import platform
import statistics
import sys
import time

RESULTS_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results.json")


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


def run_interleaved(sides, rounds, warmup, pause=0.0):
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

    Returns:
        a dict from side name to a dict from phase name to the list of samples.
    """
    samples = {name: {} for name in sides}
    for round_index in range(warmup + rounds):
        for name, side in sides.items():
            if pause:
                time.sleep(pause)
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
    quartiles = statistics.quantiles(values, n=4)
    middle = statistics.median(values)
    return (quartiles[2] - quartiles[0]) / middle if middle else 0.0


def environment(torch, thread_setting):
    """The facts a reader needs to compare two results files."""
    import numpy
    import ndgrad
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "numpy": numpy.__version__,
        "torch": torch.__version__,
        "ndgrad": ndgrad.__version__,
        **thread_setting,
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def merge_results(key, entry, path=RESULTS_PATH):
    """Write ``entry`` under ``key`` in the results file, keeping the other keys."""
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
    results[key] = entry
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=2, sort_keys=True)
        handle.write("\n")
    os.replace(temporary, path)   # a reader never sees a half-written file
    return path


def print_table(title, header, rows):
    """Print ``rows`` (lists of strings) under ``header``, columns aligned."""
    widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]
    print(title)
    for row in [header] + rows:
        cells = [str(cell).rjust(width) if i else str(cell).ljust(width)
                 for i, (cell, width) in enumerate(zip(row, widths))]
        print("  " + "  ".join(cells))
