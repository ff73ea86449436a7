"""Convolution: conv2d forward and backward in ndgrad against PyTorch (CPU),
interleaved in one process.

Two layers of a small MNIST-sized network, float32, 3x3 kernels, padding 1:

- ``conv1``: a (64, 1, 28, 28) batch into 16 filters. The input is data, so it
  needs no gradient (the first layer of a network); ``conv1+dx`` also asks for
  the input's gradient, for comparison;
- ``conv2``: a (64, 16, 14, 14) batch into 32 filters, input gradient included
  (an inner layer).

Each round, per side: ``conv2d(x, w, b, padding=1).backward(g)`` with a given
upstream gradient ``g`` (``forward+backward``), and the forward alone under
no-grad (``forward (no grad)``). ndgrad's convolution is im2col (one strided
copy per kernel offset) plus one matrix product per group; PyTorch's CPU
convolution is oneDNN's direct kernels. Every side starts after a short sleep
so that neither pays for the other's spinning BLAS or OpenMP threads.

Not a row of ``make bench``: a per-layer close-up of the convolution inside
the ``cnn`` row, for work on the convolution kernels.

Run from the repository root::

    .venv/bin/python bench/conv.py [--quick]
"""

import time

import numpy as np
import torch

import _harness
import ndgrad  # noqa: E402  (after _harness: the checkout's ndgrad)

DESCRIPTION = "conv2d forward and backward, 3x3 kernels: ndgrad against PyTorch."

# name: (input shape, filters, whether the input needs a gradient)
CASES = {
    "conv1": ((64, 1, 28, 28), 16, False),
    "conv1+dx": ((64, 1, 28, 28), 16, True),
    "conv2": ((64, 16, 14, 14), 32, True),
}
PAUSE = 0.05
PHASES = ("forward+backward", "forward (no grad)")


def inputs(shape, filters):
    generator = np.random.default_rng(0)
    x = generator.standard_normal(shape, dtype=np.float32)
    w = generator.standard_normal((filters, shape[1], 3, 3), dtype=np.float32) * 0.1
    b = generator.standard_normal(filters, dtype=np.float32)
    g = generator.standard_normal((shape[0], filters) + shape[2:], dtype=np.float32)
    return x, w, b, g


def make_side(lib, x, w, b, g, input_grad):
    """One round for ``lib`` (``ndgrad`` or ``torch``, which spell these the
    same): conv forward+backward, then the forward alone without recording."""
    x = lib.tensor(x, requires_grad=input_grad)
    w = lib.tensor(w, requires_grad=True)
    b = lib.tensor(b, requires_grad=True)
    g = lib.tensor(g)
    conv = lib.nn.functional.conv2d
    perf_counter = time.perf_counter

    def one_round():
        x.grad = w.grad = b.grad = None
        t0 = perf_counter()
        conv(x, w, b, padding=1).backward(g)
        t1 = perf_counter()
        with lib.no_grad():
            conv(x, w, b, padding=1)
        t2 = perf_counter()
        return {PHASES[0]: t1 - t0, PHASES[1]: t2 - t1}

    one_round.leaves = (x, w, b)
    return one_round


def check_agreement(name, sides):
    """After one round both sides must hold the same float32 gradients."""
    for ours, theirs in zip(sides["ndgrad"].leaves, sides["torch"].leaves):
        if theirs.grad is None:
            continue
        _harness.check_close(f"conv {name}: gradient", ours.grad.numpy(), theirs.grad.numpy(),
                             rtol=1e-3, atol=1e-2)


def check(cases=CASES):
    """Both sides' gradients agree for every case (``CASES`` shapes by default)."""
    for name, (shape, filters, input_grad) in cases.items():
        checked_sides(name, shape, filters, input_grad)
    return sorted(cases)


def checked_sides(name, shape, filters, input_grad):
    """Both sides of one case, run once and checked to agree."""
    arrays = inputs(shape, filters)
    sides = {"ndgrad": make_side(ndgrad, *arrays, input_grad),
             "torch": make_side(torch, *arrays, input_grad)}
    for side in sides.values():
        side()
    check_agreement(name, sides)
    return sides


def benchmark(rounds, warmup):
    thread_setting = _harness.configure_torch(torch)
    entry = {"what": "conv2d(x, w, b, padding=1) with 3x3 kernels, float32, then "
                     ".backward(g); and the forward alone under no-grad; milliseconds",
             "rounds": rounds, "warmup": warmup, "cases": {},
             "environment": _harness.environment(torch, thread_setting)}
    rows = []
    for name, (shape, filters, input_grad) in CASES.items():
        sides = checked_sides(name, shape, filters, input_grad)
        samples = _harness.run_interleaved(sides, rounds=rounds, warmup=warmup, pause=PAUSE)
        medians = _harness.medians(samples)
        case = {"input": list(shape), "filters": filters, "input_grad": input_grad}
        for phase in PHASES:
            ours, theirs = medians["ndgrad"][phase], medians["torch"][phase]
            case[phase] = {"ndgrad_ms": ours * 1e3, "torch_ms": theirs * 1e3,
                           "ratio": ours / theirs,
                           "relative_iqr": {side: _harness.spread(samples[side][phase])
                                            for side in sides}}
            rows.append([name, phase, f"{ours * 1e3:.2f}", f"{theirs * 1e3:.2f}",
                         f"{ours / theirs:.2f}"])
        entry["cases"][name] = case

    print(f"conv2d, 3x3, padding 1, float32: median of {rounds} interleaved rounds "
          f"({warmup} warm-up, {PAUSE:g} s pause before each side); torch threads = "
          f"{thread_setting['threads']} ({thread_setting['threads_source']})")
    print("  conv1 / conv1+dx: (64, 1, 28, 28) -> 16 filters; conv2: (64, 16, 14, 14) -> 32")
    _harness.print_table("milliseconds (ratio = ndgrad / torch, lower is better)",
                         ["case", "phase", "ndgrad", "torch", "ratio"], rows, left=(0, 1))
    path = _harness.merge_results({"conv": entry})
    print(f"written to {path} (key 'conv')")


def main():
    settings = _harness.settings_from(_harness.argument_parser(DESCRIPTION).parse_args())
    benchmark(settings.rounds(40), settings.warmup(3))


if __name__ == "__main__":
    main()
