"""How a training step's time grows with the batch size and with the width,
ndgrad against PyTorch: the MLP 784-W-W-10 (ReLU), SGD (lr 0.01), one full
training step on a fixed random batch, interleaved, medians.

- batch sizes 16, 64, 256, 1024 at width 1024;
- widths 128, 256, 512, 1024, 2048 at batch 256.

Every point starts from PyTorch's initial weights in both frameworks and is
checked to give the same loss over two steps before it is timed. The curves
are drawn (log-log) into ``bench/scaling.png``; the numbers go to
``results.json`` under ``scaling``. The issue sets no target: the row's ratio
is the total time over all points, ndgrad / PyTorch, and each point's ratio is
in the notes. ``--quick`` measures every other point, with fewer rounds.

Run from the repository root::

    .venv/bin/python bench/scaling.py [--quick]
"""

import os
import sys

import _harness
import _models

BATCH_SIZES = (16, 64, 256, 1024)
WIDTHS = (128, 256, 512, 1024, 2048)
FIXED_WIDTH = 1024
FIXED_BATCH = 256
PLOT_PATH = os.path.join(_harness.BENCH_DIR, "scaling.png")


def point_pair(width, batch_size):
    """The SGD steps of the MLP 784-width-width-10 and one random batch."""
    sizes = (784, width, width, 10)
    model, reference = _models.mlp_pair(sizes)
    steps = _models.make_steps(model, reference, "sgd", 0.01)
    return steps, _models.as_tensors(*_models.random_batch((batch_size, sizes[0])))


def check(width=32, batch_size=8):
    """The same losses over two steps at one (small) point; returns them."""
    steps, batch = point_pair(width, batch_size)
    return _models.check_steps(f"scaling (width {width}, batch {batch_size})", steps,
                               [batch] * 2)


def time_point(width, batch_size, rounds, warmup):
    """Median milliseconds per step for both sides at one point."""
    steps, batch = point_pair(width, batch_size)
    _models.check_steps(f"scaling (width {width}, batch {batch_size})", steps, [batch] * 2)
    sides = {side: (lambda step=steps[side], data=batch[side]: step(*data)[1]) for side in steps}
    samples = _harness.run_interleaved(sides, rounds, warmup, pause=_harness.PAUSE)
    return {side: phases["total"] * 1e3 for side, phases in _harness.medians(samples).items()}


def plot(curves, path=PLOT_PATH):
    """Two log-log panels, ms/step against batch size and against width."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter, ScalarFormatter
    figure, axes = plt.subplots(1, 2, figsize=(10, 4))
    for axis, (label, points) in zip(axes, curves.items()):
        xs = [point["x"] for point in points]
        for side, style in (("ndgrad", "o-"), ("torch", "s--")):
            axis.plot(xs, [point["ms"][side] for point in points], style,
                      label="PyTorch" if side == "torch" else side)
        axis.set_xscale("log", base=2)
        axis.set_yscale("log")
        axis.set_xticks(xs, [str(x) for x in xs])
        axis.xaxis.set_minor_formatter(NullFormatter())
        axis.yaxis.set_major_formatter(ScalarFormatter())
        axis.yaxis.set_minor_formatter(NullFormatter())
        axis.set_xlabel(label)
        axis.set_ylabel("ms per training step")
        axis.grid(True, which="both", alpha=0.3)
        axis.legend()
    axes[0].set_title(f"MLP 784-{FIXED_WIDTH}-{FIXED_WIDTH}-10, SGD step")
    axes[1].set_title(f"MLP 784-W-W-10, batch {FIXED_BATCH}, SGD step")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path


def measure(settings):
    batch_sizes, widths = BATCH_SIZES, WIDTHS
    if settings.quick:
        batch_sizes, widths = batch_sizes[::2], widths[::2]
    rounds, warmup = settings.rounds(6), settings.warmup(1)
    timed = {}

    def point(width, batch_size):
        if (width, batch_size) not in timed:
            timed[width, batch_size] = time_point(width, batch_size, rounds, warmup)
        return timed[width, batch_size]

    curves = {"batch size": [{"x": b, "ms": point(FIXED_WIDTH, b)} for b in batch_sizes],
              "width": [{"x": w, "ms": point(w, FIXED_BATCH)} for w in widths]}
    for points in curves.values():
        for entry in points:
            entry["ratio"] = entry["ms"]["ndgrad"] / entry["ms"]["torch"]
    path = os.path.relpath(plot(curves), _harness.REPO_ROOT)
    ours = sum(ms["ndgrad"] for ms in timed.values())
    theirs = sum(ms["torch"] for ms in timed.values())
    notes = [f"{label}: " + ", ".join(f"{p['x']}: {p['ms']['ndgrad']:.1f}/{p['ms']['torch']:.1f} "
                                      f"ms ({p['ratio']:.2f})" for p in points)
             for label, points in curves.items()]
    notes.append(f"(ndgrad/PyTorch ms per step; {rounds} rounds per point) plot: "
                 f"{path}")
    return _harness.make_row(
        "scaling", f"MLP step vs batch/width, {len(timed)} points (sum)", "ms", ours, theirs,
        None, notes=notes,
        details={"curves": curves, "fixed_width": FIXED_WIDTH, "fixed_batch": FIXED_BATCH,
                 "rounds": rounds, "warmup": warmup, "plot": path})


ROWS = {"scaling": measure}
CHECKS = {"scaling": check}

if __name__ == "__main__":
    import run
    sys.exit(run.main(only=list(ROWS)))
