"""A/B of the compiled elementwise kernels (relu's gradient, SGD's and Adam's
updates: ``ndgrad/ops/_numba_elementwise.py``) against the NumPy path they
replace, with every other compiled kernel left as it is.

Two parts: the operations alone on float32 arrays of the wide MLP's parameter
count (1.86 M) and of 700 k elements (median wall time, the same call with the
kernels on and off, interleaved), then whole training steps of the
``wide_mlp``, ``digits_mlp`` and ``cnn`` rows as the minimum CPU time of the
calling thread, one BLAS thread (as ``bench/cpu_ab.py``: a loaded machine
inflates it far less than wall time), with the elementwise kernels on, off,
and PyTorch. A development aid, not a row: ``make bench`` gives the ratios.

Run from the repository root::

    .venv/bin/python bench/elementwise_ab.py [rounds]
"""

import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np    # noqa: E402
import torch          # noqa: E402

import ndgrad         # noqa: E402
from ndgrad.ops import _accelerated, activations  # noqa: E402

_compiled_elementwise = _accelerated.elementwise_kernels


def _elementwise(on):
    """Turn only the elementwise kernels on or off."""
    _accelerated.elementwise_kernels = _compiled_elementwise if on else (lambda: None)


def _operations(size):
    rng = np.random.default_rng(0)
    g = rng.standard_normal(size).astype(np.float32)
    out = np.maximum(rng.standard_normal(size).astype(np.float32), 0)
    param = rng.standard_normal(size).astype(np.float32)
    sgd, adam = ndgrad.optim.SGD(lr=0.01), ndgrad.optim.Adam(learning_rate=1e-3)
    plain = dict(lr=1e-9, momentum=0.0)
    momentum = dict(lr=1e-9, momentum=0.9, dampening=0.0, nesterov=False)
    adam_group = dict(lr=1e-9, betas=(0.9, 0.999), eps=1e-8, amsgrad=False)
    sgd_state, adam_state = {}, {"step": 1, **adam.init_state(param, {})}
    return {"relu forward": lambda: activations.relu.__wrapped__(g),
            "relu backward": lambda: activations._relu_vjp(g, out, None),
            "SGD update": lambda: sgd.update(param, g, {}, plain),
            "SGD momentum update": lambda: sgd.update(param, g, sgd_state, momentum),
            "Adam update": lambda: adam.update(param, g, adam_state, adam_group)}


def operations(rounds):
    for size in (1_860_000, 700_000):
        for name, call in _operations(size).items():
            times = {True: [], False: []}
            for index in range(rounds + 3):
                for on in (True, False):
                    _elementwise(on)
                    start = time.perf_counter()
                    call()
                    if index >= 3:
                        times[on].append(time.perf_counter() - start)
            kernel, numpy = (np.median(times[on]) * 1e6 for on in (True, False))
            print(f"{name:20s} {size:>9,d} float32: NumPy {numpy:7.0f} us  kernel {kernel:7.0f} us"
                  f"  ({numpy / kernel:.2f}x)")
    _elementwise(True)


def _rows():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import cnn
    import mlp
    steps, data = mlp.wide_pair()
    yield "wide_mlp", steps, data
    batch = mlp.digits_batches()[0]
    yield "digits_mlp", mlp.digits_pair(), batch
    steps, data = cnn.cnn_pair()
    yield "cnn", steps, data


def steps(rounds):
    torch.set_num_threads(1)
    sides = {"kernels on": ("ndgrad", True), "kernels off": ("ndgrad", False),
             "torch": ("torch", True)}
    for row, pair, data in _rows():
        best = {name: float("inf") for name in sides}
        phases = {name: {"backward": [], "step": []} for name in sides}
        for index in range(rounds + 3):
            order = list(sides.items())          # alternate who goes first (cache state)
            for name, (side, on) in (order if index % 2 else order[::-1]):
                _elementwise(on)
                start = time.thread_time()
                _, times = pair[side](*data[side])
                spent = time.thread_time() - start
                if index >= 3:
                    best[name] = min(best[name], spent)
                    for phase, kept in phases[name].items():
                        kept.append(times[phase])
        _elementwise(True)
        print(f"{row:10s} ms CPU per step: " + ", ".join(
            f"{name} {seconds * 1e3:.2f}" for name, seconds in best.items())
            + f"; ratio to torch {best['kernels on'] / best['torch']:.3f} "
              f"(off: {best['kernels off'] / best['torch']:.3f})")
        print(f"{'':10s} median wall ms backward / optimizer step: " + ", ".join(
            f"{name} {np.median(kept['backward']) * 1e3:.2f} / {np.median(kept['step']) * 1e3:.2f}"
            for name, kept in phases.items()))


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    operations(count * 2)
    steps(count)
