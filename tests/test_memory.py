"""Memory: the graph is released after backward, and training keeps memory flat."""

import gc
import tracemalloc
import weakref

import numpy as np

import ndgrad


def _train_step(weight, bias, x, y, optimizer):
    hidden = ndgrad.tanh(x @ weight + bias)
    loss = ((hidden - y) ** 2).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss


def test_intermediates_die_after_backward():
    w = ndgrad.Variable(np.ones((4, 4), dtype=np.float32))
    x = ndgrad.ones((2, 4))
    hidden = ndgrad.tanh(x @ w)
    probes = [weakref.ref(hidden), weakref.ref(hidden._node)]
    loss = (hidden * hidden).sum()
    del hidden
    loss.backward()
    gc.collect()
    assert all(p() is None for p in probes)


def test_thousand_training_steps_keep_memory_flat():
    rng = np.random.default_rng(0)
    weight = ndgrad.nn.Parameter(rng.normal(size=(8, 4)).astype(np.float32))
    bias = ndgrad.nn.Parameter(np.zeros(4, dtype=np.float32))
    x = ndgrad.tensor(rng.normal(size=(16, 8)).astype(np.float32))
    y = ndgrad.tensor(rng.normal(size=(16, 4)).astype(np.float32))
    optimizer = ndgrad.optim.Adam([weight, bias], lr=0.01)
    for _ in range(50):                      # warm up caches and optimizer state
        _train_step(weight, bias, x, y, optimizer)
    gc.collect()
    tracemalloc.start()
    baseline = tracemalloc.get_traced_memory()[0]
    for _ in range(1000):
        _train_step(weight, bias, x, y, optimizer)
    gc.collect()
    grown = tracemalloc.get_traced_memory()[0] - baseline
    tracemalloc.stop()
    assert grown < 64 * 1024, f"memory grew by {grown} bytes over 1000 steps"
