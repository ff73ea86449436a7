"""Every single-byte change and every truncation of a small checkpoint is refused.

The checkpoint holds a tiny model, Adam's state after two steps (moments and
step counts), a StepLR scheduler's state (in ``extra``), ``ndgrad.random``'s
state and the epoch: all the places where a changed byte used to load a
different training state without a word (learning rate 0.01 -> 1.01, epoch
dropped, RNG state altered, step counts dropped, F32 relabelled I32). Each
mutant must raise CheckpointError naming the file, and leave the model, the
optimizer and the random generator exactly as they were.
"""

import io
import os

import numpy as np
import pytest

import ndgrad
import ndgrad.torch as torch
from ndgrad.io import CheckpointError, load_checkpoint, load_weights, save_checkpoint
from tests.adversarial.checkpoint_helpers import fingerprint

nn = ndgrad.nn


def _trained():
    ndgrad.random.seed(3)
    model = nn.Sequential(nn.Linear(3, 2), nn.Tanh(), nn.Linear(2, 1))
    optimizer = ndgrad.optim.Adam(model.parameters(), lr=0.01)
    scheduler = ndgrad.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
    for _ in range(2):
        optimizer.zero_grad()
        (model(ndgrad.random.normal((4, 3))) ** 2).mean().backward()
        optimizer.step()
        scheduler.step()
    return model, optimizer, scheduler


@pytest.fixture(scope="module")
def good_checkpoint(tmp_path_factory):
    model, optimizer, scheduler = _trained()
    path = tmp_path_factory.mktemp("fuzz") / "good.safetensors"
    save_checkpoint(path, model, optimizer, epoch=2, extra={"scheduler": scheduler.state_dict()})
    return path.read_bytes()


def _mutants(good):
    """(description, bytes): each byte xor 0xFF, each byte + 1, each truncation."""
    for position in range(len(good)):
        for change, new in (("xor 0xFF", good[position] ^ 0xFF),
                            ("+1", (good[position] + 1) % 256)):
            yield (f"byte {position} {change}",
                   good[:position] + bytes([new]) + good[position + 1:])
    for length in range(len(good)):
        yield f"truncated to {length} bytes", good[:length]


def _mutant_files(path, good):
    """The same mutants as :func:`_mutants`, made in the file at ``path`` in place
    (one byte written, then put back; truncations from the end), yielding each
    description while the file holds that mutant: writing a new file per
    mutant would cost milliseconds each on a slow disk."""
    path.write_bytes(good)
    with open(path, "r+b", buffering=0) as file:
        descriptor = file.fileno()
        for position in range(len(good)):
            for change, new in (("xor 0xFF", good[position] ^ 0xFF),
                                ("+1", (good[position] + 1) % 256)):
                os.pwrite(descriptor, bytes([new]), position)
                yield f"byte {position} {change}"
            os.pwrite(descriptor, good[position:position + 1], position)
        for length in range(len(good) - 1, -1, -1):
            os.ftruncate(descriptor, length)
            yield f"truncated to {length} bytes"


def test_the_good_checkpoint_loads(good_checkpoint, tmp_path):
    path = tmp_path / "c.safetensors"
    path.write_bytes(good_checkpoint)
    model, optimizer, _ = _trained()
    assert load_checkpoint(path, model, optimizer)["epoch"] == 2


def test_every_byte_change_and_truncation_is_refused_and_changes_nothing(good_checkpoint,
                                                                         tmp_path):
    model, optimizer, _ = _trained()
    optimizer.param_groups[0]["lr"] = 0.123      # differs from the file's: a load would show
    ndgrad.random.seed(11)
    before = fingerprint(model, optimizer)
    path = tmp_path / "mutant.safetensors"
    accepted = []
    count = 0
    for description in _mutant_files(path, good_checkpoint):
        count += 1
        try:
            load_checkpoint(path, model, optimizer)
        except CheckpointError as error:
            assert str(path) in str(error), (description, str(error))
        else:
            accepted.append(description)
        if accepted or fingerprint(model, optimizer) != before:
            break
    assert accepted == [], f"loaded without an error: {accepted}"
    assert fingerprint(model, optimizer) == before
    assert count == 3 * len(good_checkpoint)


def test_every_byte_change_is_refused_by_load_weights_too(good_checkpoint, tmp_path):
    model, _, _ = _trained()
    before = {name: t.numpy().copy() for name, t in model.state_dict().items()}
    path = tmp_path / "mutant.safetensors"
    accepted = []
    for description in _mutant_files(path, good_checkpoint):
        try:
            load_weights(model, path)
        except CheckpointError:
            continue
        accepted.append(description)
    assert accepted == []
    for name, tensor in model.state_dict().items():
        np.testing.assert_array_equal(tensor.numpy(), before[name])


def test_every_byte_change_of_a_torch_save_file_is_refused_in_memory():
    model, optimizer, scheduler = _trained()
    buffer = io.BytesIO()
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(), "epoch": 2}, buffer)
    good = buffer.getvalue()
    assert torch.load(io.BytesIO(good))["epoch"] == 2
    accepted = []
    for description, mutant in _mutants(good):
        try:
            torch.load(io.BytesIO(mutant))
        except CheckpointError:
            continue
        accepted.append(description)
    assert accepted == []


def test_every_single_bit_flip_in_the_header_is_refused(good_checkpoint, tmp_path):
    """The header is where 188 of 2,232 single-bit flips used to load a different
    training state: all eight flips of each of its bytes are refused now."""
    model, optimizer, _ = _trained()
    before = fingerprint(model, optimizer)
    header_end = 8 + int.from_bytes(good_checkpoint[:8], "little")
    path = tmp_path / "mutant.safetensors"
    path.write_bytes(good_checkpoint)
    accepted = []
    with open(path, "r+b", buffering=0) as file:
        for position in range(header_end):
            for bit in range(8):
                os.pwrite(file.fileno(), bytes([good_checkpoint[position] ^ (1 << bit)]),
                          position)
                try:
                    load_checkpoint(path, model, optimizer)
                except CheckpointError:
                    continue
                accepted.append(f"byte {position} bit {bit}")
            os.pwrite(file.fileno(), good_checkpoint[position:position + 1], position)
    assert accepted == []
    assert fingerprint(model, optimizer) == before
