"""Multilayer perceptrons, trained in ndgrad and PyTorch side by side.

- ``digits_mlp``: 64-256-256-10 (ReLU), batch 64, Adam (lr 1e-3): one epoch
  over scikit-learn's digits training split (``ndgrad.datasets.load_digits``,
  test_size 0.2, seed 0: 1,437 images, 23 batches, the same fixed order for
  both). The batches are made into each framework's tensors before timing, so
  the epoch is the training steps alone. Target: ndgrad / PyTorch <= 0.85.
- ``wide_mlp``: 784-1024-1024-10 (ReLU), batch 256, SGD (lr 0.01): one full
  training step (zero_grad, forward, cross-entropy, backward, step) on a fixed
  random batch. Target (issue 17) <= 0.9.

Both start from PyTorch's initial weights and are checked to give the same
loss over the first steps before anything is timed.

Run from the repository root::

    .venv/bin/python bench/mlp.py [--quick]
"""

import sys
import time

import _harness
import _models

DIGITS_SIZES = (64, 256, 256, 10)
DIGITS_BATCH = 64
DIGITS_TARGET = 0.85
WIDE_SIZES = (784, 1024, 1024, 10)
WIDE_BATCH = 256
WIDE_TARGET = 0.9


def digits_batches(batch_size=DIGITS_BATCH):
    """The digits training split in batches of both frameworks' tensors, in order."""
    import ndgrad
    (x, y), _ = ndgrad.datasets.load_digits(test_size=0.2, seed=0, flatten=True)
    return [_models.as_tensors(x[start:start + batch_size], y[start:start + batch_size])
            for start in range(0, len(y), batch_size)]


def digits_pair(sizes=DIGITS_SIZES):
    """The digits MLP pair and its Adam steps."""
    model, reference = _models.mlp_pair(sizes)
    return _models.make_steps(model, reference, "adam", 1e-3)


def check_digits_mlp(sizes=DIGITS_SIZES, batch_size=DIGITS_BATCH, batches=4):
    """The same losses over the first ``batches`` Adam steps; returns them."""
    steps = digits_pair(sizes)
    return _models.check_steps("digits_mlp", steps, digits_batches(batch_size)[:batches])


def measure_digits_mlp(settings):
    steps = digits_pair()
    batches = digits_batches()
    _models.check_steps("digits_mlp", steps, batches[:3])
    perf_counter = time.perf_counter

    def epoch(side):
        step = steps[side]
        data = [batch[side] for batch in batches]

        def one_epoch():
            start = perf_counter()
            for x, y in data:
                step(x, y)
            return {"epoch": perf_counter() - start}

        return one_epoch

    rounds, warmup = settings.rounds(30), settings.warmup(3)
    samples = _harness.run_interleaved({side: epoch(side) for side in steps}, rounds, warmup,
                                       pause=_harness.PAUSE)
    ms = {side: value["epoch"] * 1e3 for side, value in _harness.medians(samples).items()}
    spreads = {side: _harness.spread(samples[side]["epoch"]) for side in samples}
    notes = [f"{len(batches)} Adam steps per epoch (1,437 images); IQR/median "
             f"{spreads['ndgrad']:.0%} / {spreads['torch']:.0%} over {rounds} epochs"]
    return _harness.make_row(
        "digits_mlp", "digits MLP 64-256-256-10, b64, Adam: epoch", "ms/epoch",
        ms["ndgrad"], ms["torch"], DIGITS_TARGET, notes=notes,
        details={"ms": ms, "relative_iqr": spreads, "rounds": rounds, "warmup": warmup,
                 "batches": len(batches)})


def wide_pair(sizes=WIDE_SIZES, batch_size=WIDE_BATCH):
    """The wide MLP's SGD steps and one random batch of both frameworks' tensors."""
    model, reference = _models.mlp_pair(sizes)
    steps = _models.make_steps(model, reference, "sgd", 0.01)
    batch = _models.as_tensors(*_models.random_batch((batch_size, sizes[0]), sizes[-1]))
    return steps, batch


def check_wide_mlp(sizes=WIDE_SIZES, batch_size=WIDE_BATCH):
    """The same losses over three SGD steps on one batch; returns them."""
    steps, batch = wide_pair(sizes, batch_size)
    return _models.check_steps("wide_mlp", steps, [batch] * 3)


def measure_wide_mlp(settings):
    steps, batch = wide_pair()
    _models.check_steps("wide_mlp", steps, [batch] * 3)
    return _models.step_row("wide_mlp", "MLP 784-1024-1024-10, b256, SGD: step", steps, batch,
                            settings, WIDE_TARGET)


ROWS = {"digits_mlp": measure_digits_mlp, "wide_mlp": measure_wide_mlp}
CHECKS = {"digits_mlp": check_digits_mlp, "wide_mlp": check_wide_mlp}

if __name__ == "__main__":
    import run
    sys.exit(run.main(only=list(ROWS)))
