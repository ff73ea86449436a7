"""A/B of a row's training step in CPU time, for a machine that others load.

``make bench`` times wall-clock medians with BLAS on every core; on a machine
where other jobs take the cores, OpenBLAS's and PyTorch's waiting threads make
those times swing 2-3 fold. This script runs each side single-threaded and
takes the *minimum CPU time* of the calling thread over many interleaved
steps (ndgrad with the compiled kernels, ndgrad without them, PyTorch), which
a loaded machine inflates far less. It is a development aid, not a row:
quiet-machine ratios come from ``make bench``.

Run from the repository root::

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/cpu_ab.py lstm [rounds]
"""

import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import _models        # noqa: E402  (after the thread count is set)
import torch          # noqa: E402

from ndgrad.ops import _accelerated  # noqa: E402


def _pair(row):
    if row == "lstm":
        import lstm
        steps, data = lstm.lstm_pair()
    elif row == "lstm_lm":
        import sequence
        steps, data = sequence.lm_pair()
    else:
        raise SystemExit(f"cpu_ab.py: unknown row {row!r} (lstm, lstm_lm)")
    return steps, data


def main(row="lstm", rounds=40):
    torch.set_num_threads(1)
    steps, data = _pair(row)
    sides = {"ndgrad numba": ("ndgrad", True), "ndgrad numpy": ("ndgrad", False),
             "torch": ("torch", True)}
    best = {name: float("inf") for name in sides}
    for index in range(int(rounds) + 3):
        for name, (side, compiled) in sides.items():
            _accelerated.set_enabled(compiled)
            start = time.thread_time()
            steps[side](*data[side])
            spent = time.thread_time() - start
            if index >= 3:
                best[name] = min(best[name], spent)
    _accelerated.set_enabled(True)
    for name, seconds in best.items():
        print(f"{row}: {name:13s} {seconds * 1e3:7.2f} ms CPU  ratio to torch "
              f"{seconds / best['torch']:.3f}")


if __name__ == "__main__":
    main(*sys.argv[1:])
