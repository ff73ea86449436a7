"""Checkpoints that are well-formed files but hold a bad training state.

Each bad checkpoint below is written with a valid digest (or as a format-1 file,
which has none), so only the check of the training state can refuse it: each
must raise CheckpointError naming the file and the field, before the model,
the optimizer or the random generator change (compared in full, before and
after). Paths that are not regular files and leftover temporary files are in
``test_checkpoint_files.py``.
"""

import json
import math

import numpy as np
import pytest

import ndgrad.torch as torch
from ndgrad.io import CheckpointError, load_checkpoint, load_weights, save_checkpoint
from ndgrad.io.safetensors_file import checksum, read_tensors, write_tensors
from tests.adversarial.checkpoint_helpers import assert_refused, fingerprint, trained

safetensors_numpy = pytest.importorskip("safetensors.numpy")


@pytest.fixture
def good(tmp_path):
    """(tensors, header) of a good checkpoint, as read back."""
    model, optimizer = trained()
    path = tmp_path / "good.safetensors"
    save_checkpoint(path, model, optimizer, epoch=2, extra={"note": "ok"})
    tensors, header = read_tensors(path)
    return {name: np.array(array) for name, array in tensors.items()}, header



def _set_step(value):
    def change(tensors, header):
        header["optimizer"]["scalars"]["0"]["step"] = value
    return change


def _set_group(key, value):
    def change(tensors, header):
        header["optimizer"]["param_groups"][0][key] = value
    return change


def _set(*keys_and_value):
    *keys, value = keys_and_value

    def change(tensors, header):
        target = header
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value
    return change


def _drop_tensor(name):
    def change(tensors, header):
        del tensors[name]
    return change


def _relabel(name, dtype):
    """The same bytes under another dtype (F32 -> I32): same length, same CRC."""
    def change(tensors, header):
        tensors[name] = tensors[name].view(dtype)
    return change


def _add_tensor(name, array):
    def change(tensors, header):
        tensors[name] = array
    return change


BAD_STATES = {
    "missing exp_avg": (_drop_tensor("optimizer/0/exp_avg"),
                        ["optimizer/0/exp_avg is missing", "has exp_avg_sq, step"]),
    "missing exp_avg_sq of the last": (_drop_tensor("optimizer/3/exp_avg_sq"),
                                       ["optimizer/3/exp_avg_sq is missing"]),
    "missing step": (lambda t, h: h["optimizer"]["scalars"]["1"].pop("step"),
                     ["optimizer/1/step is missing"]),
    "step -5": (_set_step(-5), ["'step' of parameter 0 is -5", "int >= 0"]),
    "step 2.7": (_set_step(2.7), ["'step' of parameter 0 is 2.7"]),
    "step 'three'": (_set_step("three"), ["'step' of parameter 0 is 'three'"]),
    "step Infinity": (_set_step(math.inf), ["'step' of parameter 0 is inf"]),
    "step NaN": (_set_step(math.nan), ["'step' of parameter 0 is nan"]),
    "step true": (_set_step(True), ["'step' of parameter 0 is True"]),
    "step 10**30": (_set_step(10 ** 30), ["'step' of parameter 0 is 1000000"]),
    "step a list": (_set_step([1]), ["'step' of parameter 0 is [1]"]),
    "lr NaN": (_set_group("lr", math.nan), ["optimizer.param_groups[0].lr is nan"]),
    "lr Infinity": (_set_group("lr", math.inf), ["optimizer.param_groups[0].lr is inf"]),
    "lr -0.1": (_set_group("lr", -0.1), ["optimizer.param_groups[0].lr is -0.1", ">= 0"]),
    "lr a string": (_set_group("lr", "0.01"), ["optimizer.param_groups[0].lr is '0.01'"]),
    "eps NaN": (_set_group("eps", math.nan), ["optimizer.param_groups[0].eps is nan"]),
    "betas not numbers": (_set_group("betas", ["a", 0.9]), ["optimizer.param_groups[0].betas"]),
    "beta 1.5 (Adam's own check)": (_set_group("betas", [0.9, 1.5]),
                                    ["the optimizer state does not fit", "1.5"]),
    "a parameter listed twice": (_set_group("params", [0, 0, 1, 2]),
                                 ["optimizer.param_groups list the parameters [0, 0, 1, 2]"]),
    "a parameter index out of range": (_set_group("params", [0, 1, 2, 7]),
                                       ["optimizer.param_groups[0].params holds 7"]),
    "iterations -1": (_set("optimizer", "iterations", -1), ["optimizer.iterations is -1"]),
    "iterations 1.5": (_set("optimizer", "iterations", 1.5), ["optimizer.iterations is 1.5"]),
    "scalars of an unknown parameter": (_set("optimizer", "scalars", "9", {"step": 1}),
                                        ["optimizer.scalars['9'] names parameter '9'"]),
    "a parameter shape of -1": (_set("optimizer", "parameters", 0, "shape", [-1, 3]),
                                ["optimizer.parameters[0].shape is [-1, 3]"]),
    "epoch -3": (_set("epoch", -3), ["epoch is -3"]),
    "epoch 1.5": (_set("epoch", 1.5), ["epoch is 1.5"]),
    "epoch '2'": (_set("epoch", "2"), ["epoch is '2'"]),
    "extra a list": (_set("extra", [1, 2]), ["extra is a list"]),
    "random of another generator": (_set("random", "bit_generator", "MT19937"),
                                    ["random.bit_generator is 'MT19937'"]),
    "random state -1": (_set("random", "state", "state", -1), ["random.state.state is -1"]),
    "random inc 2**130": (_set("random", "state", "inc", 2 ** 130), ["random.state.inc is"]),
    "random state 5.5": (_set("random", "state", "state", 5.5), ["random.state.state is 5.5"]),
    "random has_uint32 7": (_set("random", "has_uint32", 7), ["random.has_uint32 is 7"]),
    "random uinteger 2**40": (_set("random", "uinteger", 2 ** 40), ["random.uinteger is"]),
    "random without inc": (lambda t, h: h["random"]["state"].pop("inc"), ["random.state is"]),
    "random a string": (_set("random", "PCG64"), ["random.bit_generator is 'PCG64'"]),
    "exp_avg relabelled I32": (_relabel("optimizer/0/exp_avg", np.int32),
                               ["optimizer/0/exp_avg is int32", "floating array"]),
    "exp_avg of the wrong shape": (_add_tensor("optimizer/1/exp_avg", np.zeros(5, np.float32)),
                                   ["optimizer/1/exp_avg is float32 of shape (5,)"]),
    "a slot Adam does not keep": (_add_tensor("optimizer/0/momentum_buffer",
                                              np.zeros((2, 3), np.float32)),
                                  ["optimizer/0/momentum_buffer is not state that Adam keeps"]),
    "a slot of parameter 9": (_add_tensor("optimizer/9/exp_avg", np.zeros(1, np.float32)),
                              ["tensor 'optimizer/9/exp_avg' names parameter '9'"]),
    "a slot name with two parts": (_add_tensor("optimizer/0/a/b", np.zeros(1, np.float32)),
                                   ["tensor 'optimizer/0/a/b' is not named"]),
    "model weight relabelled I32": (_relabel("model/0.weight", np.int32),
                                    ["0.weight: the file holds int32 values for a float32"]),
}


@pytest.mark.parametrize("case", list(BAD_STATES))
def test_a_bad_training_state_is_refused_naming_the_field_and_nothing_changes(good, tmp_path,
                                                                             case):
    tensors, header = good
    change, fragments = BAD_STATES[case]
    change(tensors, header)
    path = tmp_path / "bad.safetensors"
    write_tensors(path, tensors, header)           # a valid file with a new digest
    assert_refused(path, *fragments)


@pytest.mark.parametrize("case", ["random state -1", "epoch -3", "step 'three'",
                                  "a parameter listed twice"])
def test_the_whole_state_is_checked_without_an_optimizer_too(good, tmp_path, case):
    tensors, header = good
    change, fragments = BAD_STATES[case]
    change(tensors, header)
    path = tmp_path / "bad.safetensors"
    write_tensors(path, tensors, header)
    assert_refused(path, *fragments, optimizer_given=False)


def test_a_model_load_that_fails_late_puts_the_optimizer_back(good, tmp_path, monkeypatch):
    """The optimizer is restored first; if the weights then fail (here: a
    load_state_dict that raises after the checks passed), it is put back."""
    tensors, header = good
    path = tmp_path / "c.safetensors"
    write_tensors(path, tensors, header)
    model, optimizer = trained(seed=8)
    optimizer.param_groups[0]["lr"] = 0.5
    before = fingerprint(model, optimizer)

    def broken(state, strict=True):
        raise MemoryError("out of memory while copying the weights")
    monkeypatch.setattr(model, "load_state_dict", broken)
    with pytest.raises(MemoryError):
        load_checkpoint(path, model, optimizer)
    assert fingerprint(model, optimizer) == before
    assert optimizer.param_groups[0]["lr"] == 0.5


class _TorchStyleSGD(torch.optim.Optimizer):
    """Written as for torch.optim: ``step`` kept as a 0-d tensor."""

    def __init__(self, params, lr=0.1):
        super().__init__(params, {"lr": lr})

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                if "step" not in state:
                    state["step"] = torch.tensor(0.0)
                    state["buf"] = torch.zeros_like(p)
                state["step"] += 1
                state["buf"].mul_(0.9).add_(p.grad)
                p -= group["lr"] * state["buf"]


def _torch_style_checkpoint(path, step=None):
    model = torch.nn.Linear(2, 1)
    optimizer = _TorchStyleSGD(model.parameters())
    model(torch.ones(1, 2)).sum().backward()
    optimizer.step()
    save_checkpoint(path, model, optimizer)
    if step is not None:
        tensors, header = read_tensors(path)
        tensors = dict(tensors, **{"optimizer/0/step": np.array(step, np.float32)})
        write_tensors(path, tensors, header)


@pytest.mark.parametrize("step, problem", [(None, None), (-1.0, "holding [-1.0]"),
                                           (2.5, "holding [2.5]"), (np.inf, "holding [inf]"),
                                           ([1.0, 2.0], "of shape (2,)")])
def test_a_step_kept_as_a_tensor_loads_when_it_is_a_whole_count(tmp_path, step, problem):
    path = tmp_path / "c.safetensors"
    _torch_style_checkpoint(path, step)
    model = torch.nn.Linear(2, 1)
    optimizer = _TorchStyleSGD(model.parameters())
    if problem is None:
        load_checkpoint(path, model, optimizer)
        assert float(optimizer.state[model.weight]["step"]) == 1.0
        return
    with pytest.raises(CheckpointError, match=r"optimizer state 'step' of parameter 0 is a "
                                              r"float32 array") as caught:
        load_checkpoint(path, model, optimizer)
    assert problem in str(caught.value) and str(path) in str(caught.value)
    assert optimizer.state_dict()["state"] == {}


def _format_1_file(path, tensors, header_text):
    """A file as ndgrad wrote it before the digest: the JSON and CRC-32s only."""
    path.write_bytes(safetensors_numpy.save(tensors, metadata={"ndgrad": header_text}))


def _format_1_header(tensors, header):
    header = dict(header, version=1, crc32={name: checksum(a) for name, a in tensors.items()})
    return json.dumps(header, allow_nan=True)


@pytest.mark.parametrize("case", ["step Infinity", "step -5", "missing exp_avg", "lr NaN",
                                  "model weight relabelled I32", "random inc 2**130"])
def test_format_1_files_get_the_same_checks(good, tmp_path, case):
    tensors, header = good
    change, fragments = BAD_STATES[case]
    change(tensors, header)
    path = tmp_path / "old.safetensors"
    _format_1_file(path, tensors, _format_1_header(tensors, header))
    assert_refused(path, *fragments)


def test_no_raw_overflow_recursion_or_key_error_escapes(good, tmp_path):
    tensors, header = good
    path = tmp_path / "old.safetensors"
    text = _format_1_header(tensors, header)
    deep = "[" * 100_000 + "]" * 100_000              # RecursionError in json.loads
    _format_1_file(path, tensors, text.replace('"extra": {"note": "ok"}', f'"extra": {deep}'))
    assert_refused(path, "the ndgrad metadata is not valid JSON")
    _format_1_file(path, tensors, text.replace('"step": 2', '"step": 1e400', 1))   # inf
    assert_refused(path, "'step' of parameter 0 is inf")
    _format_1_file(path, tensors, text.replace('"iterations": 2', '"iterations": 1e999'))
    assert_refused(path, "optimizer.iterations is inf")
    _format_1_file(path, tensors, text.replace('"scalars": {', '"scalars": {"x": 1, ', 1))
    assert_refused(path, "optimizer.scalars['x'] names parameter 'x'")
    for missing in ("param_groups", "parameters", "scalars", "class"):
        broken = json.loads(text)
        del broken["optimizer"][missing]
        _format_1_file(path, tensors, json.dumps(broken))
        assert_refused(path, f"optimizer.{missing}")


def test_format_1_and_foreign_files_still_load(good, tmp_path):
    tensors, header = good
    path = tmp_path / "old.safetensors"
    _format_1_file(path, tensors, _format_1_header(tensors, header))
    model, optimizer = trained(seed=8)
    assert load_checkpoint(path, model, optimizer) == {"epoch": 2, "extra": {"note": "ok"}}
    np.testing.assert_array_equal(model.state_dict()["0.weight"].numpy(),
                                  tensors["model/0.weight"])
    np.testing.assert_array_equal(optimizer.state_dict()["state"][0]["exp_avg"],
                                  tensors["optimizer/0/exp_avg"])
    foreign = tmp_path / "foreign.safetensors"
    foreign.write_bytes(safetensors_numpy.save(
        {name[len("model/"):]: array for name, array in tensors.items()
         if name.startswith("model/")}))
    other, _ = trained(seed=9)
    load_weights(other, foreign)
    np.testing.assert_array_equal(other.state_dict()["2.bias"].numpy(), tensors["model/2.bias"])
