"""Run every ported program longer than the tests do, on ndgrad and, for the
PyTorch originals, on PyTorch too, and print one table.

For each program the runner

1. checks the port (``_port_source``): swapping its framework import lines
   back (``import ndgrad.torch as torch`` -> ``import torch``, ...) changes
   exactly the import lines its header lists, and leaves a text that names
   ndgrad nowhere in its code: 0 edits beyond imports (and the offline data,
   which both runs share), verified;
2. runs the port on ndgrad and that swapped text on PyTorch, in subprocesses,
   one after the other (interleaved: ndgrad, torch, then torch, ndgrad with
   ``--repeat 2``), with the options and data sizes of the program tables
   (``_programs_torch.py``, ``_programs_keras.py``: ``run_args``,
   ``run_data``);
3. reads the final metric from each run's output and prints
   ``program | source | edits | ndgrad | PyTorch | within 5% | time ratio``.

The sizes (see ``_programs_torch.py``): on 4,096 images (``PORTED_DATA=small``:
digits redrawn at 28x28, tested on 1,024 held out) mnist trains 2 epochs and
mnist_rnn 14 (at ``--lr 1.0``: at its default 0.1, decayed by 0.7 an epoch, it
barely learns from so few images and the two runs' accuracies are noise), vae
10 epochs, dcgan 1 epoch; word_language_model 6 epochs on a 40,000-word
corpus, time_sequence_prediction 2 LBFGS steps on 10 waves of 150 points,
super_resolution 10 epochs on 16 images, mnist_forward_forward 400 epochs per
layer on 1,024 images, gat 30 epochs on a 2,000-paper graph; the Keras
programs' sizes are in ``_programs_keras.py``.
Keras is not installed, so the Keras programs run on ndgrad only.

Both frameworks run with one BLAS/OpenMP thread unless ``--threads`` says
otherwise: on a small shared machine a multi-threaded PyTorch spends its time
waiting for its own threads, which says nothing about either framework.

Usage::

    python examples/ported/run.py                 # everything (make programs)
    python examples/ported/run.py mnist vae       # some programs
    python examples/ported/run.py --repeat 2 --json results.json
    python examples/ported/run.py --seeds 3 super_resolution   # over initial weights
    python examples/ported/run.py --first-failures   # where ndgrad stops today
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _port_harness import HERE, run_program  # noqa: E402
from _port_source import PortSource  # noqa: E402
from _port_programs import PROGRAMS  # noqa: E402


def edits_beyond_imports_and_data(program):
    """0 when every file of the program differs from its baseline only in its
    listed framework import lines, else "?" and why."""
    problems = []
    for name in program.files:
        count, message = PortSource.read(os.path.join(HERE, name)).verify()
        if count != 0:
            problems.append(message)
    return (0, "") if not problems else ("?", "; ".join(problems))


def _best(results):
    """The successful run with the shortest time, else the last run."""
    good = [result for result in results if result.returncode == 0]
    return min(good, key=lambda result: result.seconds) if good else results[-1]


def _format_metric(value):
    if value is None:
        return "-"
    return f"{value:.4g}"


def _summary(results):
    """The metric of one variant over its seeds: the mean, and the range when
    there are several; None when a run failed or printed no metric."""
    metrics = [result.metric for result in results]
    if any(result.returncode for result in results) or None in metrics:
        return None, "fails" if any(result.returncode for result in results) else "-"
    mean = sum(metrics) / len(metrics)
    shown = _format_metric(mean)
    if len(metrics) > 1:
        shown += f" ({_format_metric(min(metrics))}-{_format_metric(max(metrics))})"
    return mean, shown


def compare(program, ndgrad_runs, torch_runs):
    """The table row's verdict columns: metrics (the mean over seeds, with their
    range), within 5% (of the means), time ratio (of the summed times)."""
    ndgrad_mean, ndgrad_shown = _summary(ndgrad_runs)
    row = {"ndgrad": ndgrad_shown, "torch": "-", "within_5%": "-", "time_ratio": "-"}
    if not torch_runs:
        return row
    torch_mean, row["torch"] = _summary(torch_runs)
    if ndgrad_mean is None or torch_mean is None:
        return row
    scale = abs(torch_mean) or 1.0
    row["within_5%"] = "yes" if abs(ndgrad_mean - torch_mean) <= 0.05 * scale else "no"
    seconds = [sum(result.seconds for result in runs) for runs in (ndgrad_runs, torch_runs)]
    row["time_ratio"] = f"{seconds[0] / seconds[1]:.2f}x"
    return row


def run_all(names, repeat, skip_torch, timeout, threads=None, seeds=1):
    """Run the programs; return one dict per program for the table and the JSON.

    With ``seeds`` > 1 each program runs once per seed 1, 2, ... on each
    framework (its global generators and, where it has one, its own seed
    option set to that seed), so that metrics that depend on the initial
    weights are compared over several draws rather than one.
    """
    rows = []
    for name in names:
        program = PROGRAMS[name]
        edits, why = edits_beyond_imports_and_data(program)
        with_torch = program.framework == "torch" and not skip_torch  # keras: not installed
        chosen = {"ndgrad": [], "torch": []}
        for seed in ([0] if seeds == 1 else range(1, seeds + 1)):
            args = program.run_args if seeds == 1 else program.seeded_args(program.run_args,
                                                                            seed)
            runs = {"ndgrad": [], "torch": []}
            for index in range(repeat):
                order = ["ndgrad", "torch"] if index % 2 == 0 else ["torch", "ndgrad"]
                for variant in order:
                    if variant == "torch" and not with_torch:
                        continue
                    result = run_program(program, variant, args=args, timeout=timeout,
                                         threads=threads, seed=seed)
                    runs[variant].append(result)
                    print(f"  {name} on {variant}" + (f" (seed {seed})" if seeds > 1 else "")
                          + f": exit {result.returncode}, {result.seconds:.1f}s, metric "
                          f"{_format_metric(result.metric)}"
                          + (f", {result.error}" if result.error else ""), flush=True)
            for variant, results in runs.items():
                if results:
                    chosen[variant].append(_best(results))
        ndgrad = chosen["ndgrad"]
        torch = chosen["torch"]
        row = {"program": name, "source": program.origin, "edits": edits, "edits_why": why,
               "metric": program.metric[0], "seeds": seeds,
               "ndgrad_error": next((r.error for r in ndgrad if r.returncode), None),
               "ndgrad_seconds": round(sum(r.seconds for r in ndgrad), 2),
               "torch_seconds": round(sum(r.seconds for r in torch), 2) if torch else None,
               "ndgrad_metrics": [r.metric for r in ndgrad],
               "torch_metrics": [r.metric for r in torch]}
        row.update(compare(program, ndgrad, torch))
        rows.append(row)
    return rows


def print_table(rows):
    """The table of the issue: program, source, edits, metric ndgrad vs PyTorch, time."""
    headers = ("program", "source", "edits", "metric", "ndgrad", "PyTorch", "within 5%",
               "time ratio")
    keys = ("program", "source", "edits", "metric", "ndgrad", "torch", "within_5%", "time_ratio")
    table = [headers] + [tuple(str(row[key]) for key in keys) for row in rows]
    widths = [max(len(line[column]) for line in table) for column in range(len(headers))]
    for number, line in enumerate(table):
        print(" | ".join(cell.ljust(width) for cell, width in zip(line, widths)))
        if number == 0:
            print("-+-".join("-" * width for width in widths))
    failures = [row for row in rows if row["ndgrad"] == "fails"]
    if failures:
        print("\nWhere ndgrad stops:")
        for row in failures:
            print(f"  {row['program']}: {row['ndgrad_error']}")
    unverified = [row for row in rows if row["edits"] != 0]
    for row in unverified:
        print(f"  {row['program']}: {row['edits_why']}")


def first_failures(names, timeout):
    """Run each program as its test does (tiny data, a few steps) on ndgrad and
    print where it stops, in the format of the tests' ``FIRST_FAILURE`` table."""
    for name in names:
        program = PROGRAMS[name]
        result = run_program(program, "ndgrad", args=program.test_args, data=program.test_data,
                             stop_after=program.test_losses, timeout=timeout)
        if result.returncode == 0 or result.stopped:
            falls, why = program.loss_falls(result.losses)
            print(f"    # {name!r}: runs; loss {'falls' if falls else 'does not fall'}: {why}")
        else:
            print(f"    {name!r}: {result.error!r},", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("programs", nargs="*", help=f"any of: {', '.join(PROGRAMS)}")
    parser.add_argument("--repeat", type=int, default=1, help="runs per variant (best time)")
    parser.add_argument("--seeds", type=int, default=1,
                        help="runs per framework with seeds 1..N (metrics: mean and range); "
                             "default 1: one run with each program's own default seed")
    parser.add_argument("--skip-torch", action="store_true", help="ndgrad runs only")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per run")
    parser.add_argument("--threads", type=int, default=1,
                        help="BLAS/OpenMP threads for both frameworks (default 1: a fair race "
                             "on a shared machine, where PyTorch's spinning thread pool loses "
                             "most; 0: each framework's own default)")
    parser.add_argument("--json", help="also write the rows to this JSON file")
    parser.add_argument("--first-failures", action="store_true",
                        help="only print where each program stops on ndgrad (test sizes)")
    options = parser.parse_args(argv)
    unknown = [name for name in options.programs if name not in PROGRAMS]
    if unknown:
        parser.error(f"unknown program(s) {', '.join(unknown)}; known: {', '.join(PROGRAMS)}")
    if options.first_failures:
        first_failures(options.programs or list(PROGRAMS), min(options.timeout, 300))
        return 0
    rows = run_all(options.programs or list(PROGRAMS), options.repeat, options.skip_torch,
                   options.timeout, options.threads or None, max(options.seeds, 1))
    print()
    print_table(rows)
    if options.json:
        with open(options.json, "w") as handle:
            json.dump(rows, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
