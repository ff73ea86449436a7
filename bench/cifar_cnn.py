"""A CIFAR-size CNN with batch normalization, trained in ndgrad and PyTorch
side by side (issue 17).

``cifar_cnn``: conv32(3x3, padding 1)-BatchNorm-ReLU-maxpool-conv64(3x3,
padding 1)-BatchNorm-ReLU-maxpool-dense10 on 3x32x32 images (PyTorch face,
channels first), batch 64, SGD (lr 0.01), batch norm in training mode (batch
statistics, running averages updated): one full training step on a fixed
random batch, with ndgrad's compiled kernels when numba is installed (the
title says which). Both start from PyTorch's initial weights and are checked
to give the same loss over three steps first. Target: ndgrad / PyTorch <= 1.2.

Run from the repository root::

    .venv/bin/python bench/cifar_cnn.py [--quick]
"""

import sys

import torch

import _harness  # noqa: F401  (first: puts the checkout's ndgrad on the path)
import _models
import cnn
import ndgrad  # noqa: E402

BATCH = 64
TARGET = 1.2


def _build(nn, channels=(3, 32, 64), size=32, classes=10):
    first, second, third = channels
    return nn.Sequential(nn.Conv2d(first, second, 3, padding=1), nn.BatchNorm2d(second),
                         nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(second, third, 3, padding=1), nn.BatchNorm2d(third),
                         nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(third * (size // 4) ** 2, classes))


def cifar_pair(batch_size=BATCH, channels=(3, 32, 64), size=32):
    """The CNNs' SGD steps and one random batch of both frameworks' tensors."""
    reference = _build(torch.nn, channels, size)
    model = _build(ndgrad.nn, channels, size)
    model.load_state_dict(reference.state_dict())
    steps = _models.make_steps(model, reference, "sgd", 0.01)
    batch = _models.as_tensors(*_models.random_batch((batch_size, channels[0], size, size)))
    return steps, batch


def check_cifar_cnn(batch_size=BATCH, channels=(3, 32, 64), size=32):
    """The same losses over three SGD steps on one batch; returns them."""
    steps, batch = cifar_pair(batch_size, channels, size)
    return _models.check_steps("cifar_cnn", steps, [batch] * 3)


def measure_cifar_cnn(settings):
    steps, batch = cifar_pair()
    _models.check_steps("cifar_cnn", steps, [batch] * 3)
    title = f"CIFAR CNN conv32-bn-pool-conv64-bn-pool, 32x32, b{BATCH}: step ({cnn.kernels()})"
    return _models.step_row("cifar_cnn", title, steps, batch, settings, TARGET, rounds=20)


ROWS = {"cifar_cnn": measure_cifar_cnn}
CHECKS = {"cifar_cnn": check_cifar_cnn}

if __name__ == "__main__":
    import run
    sys.exit(run.main(only=list(ROWS)))
