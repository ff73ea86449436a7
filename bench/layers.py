"""Layers end to end: a training step's forward+backward of two networks, ndgrad
against PyTorch (CPU), interleaved in one process, same weights, float32.

- ``mlp``: 784-1024-1024-10 with ReLU, batch 256, cross-entropy loss
  (target: ndgrad within 1.25x of PyTorch);
- ``cnn``: conv(1->16, 3x3)-maxpool-conv(16->32, 3x3)-maxpool-dense(10) on
  1x28x28, batch 64, cross-entropy loss (measured and reported; the
  performance issue owns its target).

Each round clears the gradients, runs the forward pass and the loss, and the
backward pass; the optimizer step is left out (``bench/`` measures it
separately). Both networks are checked to give the same loss and gradients
before anything is timed.

Run from the repository root::

    .venv/bin/python bench/layers.py
"""

import argparse
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import ndgrad  # noqa: E402  (the checkout's ndgrad, even when not installed)

import _harness  # noqa: E402

MLP_TARGET = 1.25


def mlp_pair():
    """The MLP in both frameworks with the same weights."""
    reference = torch.nn.Sequential(torch.nn.Linear(784, 1024), torch.nn.ReLU(),
                                    torch.nn.Linear(1024, 1024), torch.nn.ReLU(),
                                    torch.nn.Linear(1024, 10))
    model = ndgrad.nn.Sequential(ndgrad.nn.Linear(784, 1024), ndgrad.nn.ReLU(),
                                 ndgrad.nn.Linear(1024, 1024), ndgrad.nn.ReLU(),
                                 ndgrad.nn.Linear(1024, 10))
    model.load_state_dict(reference.state_dict())
    return model, reference, (256, 784)


def cnn_pair():
    """The small CNN in both frameworks with the same weights."""
    reference = torch.nn.Sequential(
        torch.nn.Conv2d(1, 16, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(16, 32, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(32 * 5 * 5, 10))
    model = ndgrad.nn.Sequential(
        ndgrad.nn.Conv2d(1, 16, 3), ndgrad.nn.ReLU(), ndgrad.nn.MaxPool2d(2),
        ndgrad.nn.Conv2d(16, 32, 3), ndgrad.nn.ReLU(), ndgrad.nn.MaxPool2d(2),
        ndgrad.nn.Flatten(), ndgrad.nn.Linear(32 * 5 * 5, 10))
    model.load_state_dict(reference.state_dict())
    return model, reference, (64, 1, 28, 28)


def make_sides(model, reference, x, labels):
    nd_x, nd_labels = ndgrad.tensor(x), ndgrad.tensor(labels)
    t_x, t_labels = torch.tensor(x), torch.tensor(labels)
    nd_loss = ndgrad.nn.CrossEntropyLoss()
    t_loss = torch.nn.CrossEntropyLoss()
    perf_counter = time.perf_counter

    def ndgrad_round():
        model.zero_grad()
        t0 = perf_counter()
        loss = nd_loss(model(nd_x), nd_labels)
        t1 = perf_counter()
        loss.backward()
        t2 = perf_counter()
        return {"forward": t1 - t0, "backward": t2 - t1, "forward+backward": t2 - t0}

    def torch_round():
        reference.zero_grad()
        t0 = perf_counter()
        loss = t_loss(reference(t_x), t_labels)
        t1 = perf_counter()
        loss.backward()
        t2 = perf_counter()
        return {"forward": t1 - t0, "backward": t2 - t1, "forward+backward": t2 - t0}

    return {"ndgrad": ndgrad_round, "torch": torch_round}


def check_agreement(name, model, reference, x, labels):
    """Refuse to time two computations that are not the same computation."""
    loss = ndgrad.nn.CrossEntropyLoss()(model(ndgrad.tensor(x)), ndgrad.tensor(labels))
    loss.backward()
    t_loss = torch.nn.CrossEntropyLoss()(reference(torch.tensor(x)), torch.tensor(labels))
    t_loss.backward()
    if not np.isclose(loss.item(), t_loss.item(), rtol=1e-4):
        raise SystemExit(f"{name}: losses differ ({loss.item()} vs {t_loss.item()})")
    for (key, p), tp in zip(model.named_parameters(), reference.parameters()):
        if p.grad.dtype != np.float32:
            raise SystemExit(f"{name}: gradient of {key} is {p.grad.dtype}, not float32")
        if not np.allclose(p.grad.numpy(), tp.grad.numpy(), rtol=1e-3, atol=1e-5):
            raise SystemExit(f"{name}: gradients of {key} differ")


def run(name, pair, rounds, warmup):
    model, reference, shape = pair()
    generator = np.random.default_rng(0)
    x = generator.normal(size=shape).astype(np.float32)
    labels = generator.integers(0, 10, shape[0])
    check_agreement(name, model, reference, x, labels)
    samples = _harness.run_interleaved(make_sides(model, reference, x, labels), rounds=rounds,
                                       warmup=warmup, pause=0.2)
    medians = _harness.medians(samples)
    phases = ("forward", "backward", "forward+backward")
    ratios = {phase: medians["ndgrad"][phase] / medians["torch"][phase] for phase in phases}
    rows = [[phase, f"{medians['ndgrad'][phase] * 1e3:.2f}", f"{medians['torch'][phase] * 1e3:.2f}",
             f"{ratios[phase]:.2f}",
             f"{_harness.spread(samples['ndgrad'][phase]):.0%} / "
             f"{_harness.spread(samples['torch'][phase]):.0%}"] for phase in phases]
    _harness.print_table(f"{name}: input {shape}, milliseconds per step, median of {rounds}",
                         ["phase", "ndgrad", "torch", "ratio", "IQR/median"], rows)
    return {"input_shape": list(shape), "rounds": rounds, "warmup": warmup,
            "ms": {side: {p: medians[side][p] * 1e3 for p in phases} for side in medians},
            "ratio": ratios}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    thread_setting = _harness.configure_torch(torch)
    print(f"torch threads = {thread_setting['threads']} ({thread_setting['threads_source']})")
    results = {"mlp": run("mlp 784-1024-1024-10, batch 256", mlp_pair, args.rounds, args.warmup),
               "cnn": run("cnn conv16-pool-conv32-pool-dense, batch 64", cnn_pair, args.rounds,
                          args.warmup)}
    ratio = results["mlp"]["ratio"]["forward+backward"]
    meets = ratio <= MLP_TARGET
    print(f"target: mlp forward+backward ratio <= {MLP_TARGET}: "
          f"{'met' if meets else 'NOT met'} ({ratio:.2f})")
    results["target"] = {"benchmark": "mlp", "max_ratio": MLP_TARGET, "met": meets}
    results["environment"] = _harness.environment(torch, thread_setting)
    path = _harness.merge_results("layers", results)
    print(f"written to {os.path.relpath(path)} (key 'layers')")


if __name__ == "__main__":
    main()
