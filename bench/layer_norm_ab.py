"""A/B of the compiled layer-norm rule (ndgrad/ops/_numba_layer_norm_rows.py)
against the NumPy path, interleaved in one process on transformer_block's
shape: add_layer_norm over (32, 64, 64) float32, forward and backward, median
milliseconds per call with the compiled kernels off and on
(``_accelerated.set_enabled``).

Run: PYTHONPATH=$PWD python bench/layer_norm_ab.py
"""

import time

import numpy as np

import ndgrad
from ndgrad.ops import _accelerated
from ndgrad.ops.residual_layer_norm import add_layer_norm


def main(rounds=300, warmup=10):
    rng = np.random.default_rng(0)
    shape = (32, 64, 64)
    x = ndgrad.tensor(rng.standard_normal(shape).astype(np.float32), requires_grad=True)
    r = ndgrad.tensor(rng.standard_normal(shape).astype(np.float32), requires_grad=True)
    w = ndgrad.tensor(np.ones(64, np.float32), requires_grad=True)
    b = ndgrad.tensor(np.zeros(64, np.float32), requires_grad=True)
    g = ndgrad.tensor(rng.standard_normal(shape).astype(np.float32))
    times = {False: [], True: []}
    previous = _accelerated.set_enabled(True)
    try:
        for k in range(2 * rounds):
            on = k % 2 == 1
            _accelerated.set_enabled(on)
            start = time.perf_counter()
            y = add_layer_norm(x, r, 64, w, b)
            middle = time.perf_counter()
            y.backward(g)
            times[on].append((middle - start, time.perf_counter() - middle))
    finally:
        _accelerated.set_enabled(previous)
    for on in (False, True):
        forward, backward = np.median(np.array(times[on][warmup:]), axis=0) * 1e3
        print(f"compiled kernels {'on ' if on else 'off'}: add_layer_norm forward "
              f"{forward:.3f} ms, backward {backward:.3f} ms")


if __name__ == "__main__":
    main()
