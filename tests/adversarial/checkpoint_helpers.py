"""Shared by the adversarial checkpoint tests: a small trained model and Adam,
a fingerprint of everything a load could change, and the refusal check."""

import hashlib

import numpy as np
import pytest

import ndgrad
from ndgrad.io import CheckpointError, load_checkpoint

nn = ndgrad.nn


def trained(seed=3):
    """A Sequential of two Linear layers and Adam after two steps."""
    ndgrad.random.seed(seed)
    model = nn.Sequential(nn.Linear(3, 2), nn.Tanh(), nn.Linear(2, 1))
    optimizer = ndgrad.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(2):
        optimizer.zero_grad()
        (model(ndgrad.random.normal((4, 3))) ** 2).mean().backward()
        optimizer.step()
    return model, optimizer


def fingerprint(model, optimizer):
    """A digest of the weights, every optimizer slot, the hyper-parameters,
    ``iterations`` and ``ndgrad.random``'s state."""
    hasher = hashlib.sha256()
    for name, tensor in model.state_dict().items():
        hasher.update(name.encode() + tensor.numpy().tobytes())
    saved = optimizer.state_dict()
    for index, entry in sorted(saved["state"].items()):
        for key, value in sorted(entry.items()):
            hasher.update(f"{index}/{key}".encode())
            hasher.update(value.tobytes() if isinstance(value, np.ndarray)
                          else repr(value).encode())
    hasher.update(repr((saved["param_groups"], saved["iterations"])).encode())
    hasher.update(repr(ndgrad.random.get_state()).encode())
    return hasher.hexdigest()


def assert_refused(path, *fragments, optimizer_given=True):
    """Loading ``path`` into a model and optimizer that differ from the file
    raises CheckpointError naming the path and every fragment, and changes nothing."""
    model, optimizer = trained(seed=8)
    optimizer.param_groups[0]["lr"] = 0.5
    ndgrad.random.seed(21)
    before = fingerprint(model, optimizer)
    with pytest.raises(CheckpointError) as caught:
        load_checkpoint(path, model, optimizer if optimizer_given else None)
    message = str(caught.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message, message
    assert fingerprint(model, optimizer) == before
    return message
