"""save_checkpoint / load_checkpoint: what is saved, and refusals that change nothing."""

import json

import numpy as np
import pytest

import ndgrad
from ndgrad.io import CheckpointError, load_checkpoint, save_checkpoint, save_weights
from ndgrad.io.safetensors_file import read_tensors

nn = ndgrad.nn


def _trained(optimizer_factory, steps=2):
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2))
    optimizer = optimizer_factory(model.parameters())
    for _ in range(steps):
        optimizer.zero_grad()
        (model(ndgrad.random.normal((6, 3))) ** 2).mean().backward()
        optimizer.step()
    return model, optimizer


def _state(model, optimizer):
    """Everything a failed load must leave as it was."""
    weights = {name: np.array(t.numpy(), copy=True) for name, t in model.state_dict().items()}
    saved = optimizer.state_dict() if optimizer is not None else None
    return weights, saved, [id(p) for p in optimizer.params] if optimizer else None


def _assert_same(before, after, same_objects=True):
    assert before[0].keys() == after[0].keys()
    for name in before[0]:
        np.testing.assert_array_equal(before[0][name], after[0][name])
    if before[1] is not None:
        assert before[2] == after[2] or not same_objects
        assert repr(before[1]["param_groups"]) == repr(after[1]["param_groups"])
        assert before[1]["iterations"] == after[1]["iterations"]
        assert before[1]["state"].keys() == after[1]["state"].keys()
        for index, entry in before[1]["state"].items():
            for key, value in entry.items():
                np.testing.assert_array_equal(value, after[1]["state"][index][key])


OPTIMIZERS = {
    "sgd_momentum": lambda params: ndgrad.optim.SGD(params, lr=0.1, momentum=0.9, nesterov=True),
    "adam_amsgrad": lambda params: ndgrad.optim.Adam(params, lr=0.01, betas=(0.8, 0.9),
                                                     amsgrad=True, weight_decay=0.1),
    "nadam": lambda params: ndgrad.optim.NAdam(params, lr=0.01),
    "rmsprop_schedule": lambda params: ndgrad.optim.RMSprop(
        params, lr=ndgrad.optim.schedules.ExponentialDecay(0.1, 10, 0.5), momentum=0.5,
        centered=True),
}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_optimizer_state_round_trips_exactly(tmp_path, name):
    model, optimizer = _trained(OPTIMIZERS[name])
    path = tmp_path / "ckpt.safetensors"
    save_checkpoint(path, model, optimizer, epoch=2, extra={"history": [0.5, 0.25], "ok": True})
    other_model, other = _trained(OPTIMIZERS[name], steps=1)
    assert load_checkpoint(path, other_model, other) == {
        "epoch": 2, "extra": {"history": [0.5, 0.25], "ok": True}}
    _assert_same(_state(model, optimizer), _state(other_model, other), same_objects=False)
    # The next step is the same step.
    x = ndgrad.random.normal((6, 3))
    for m, opt in ((model, optimizer), (other_model, other)):
        opt.zero_grad()
        (m(x) ** 2).mean().backward()
        opt.step()
    _assert_same(_state(model, optimizer), _state(other_model, other), same_objects=False)


def test_header_is_json_with_hyperparameters_steps_and_random_state(tmp_path):
    model, optimizer = _trained(OPTIMIZERS["adam_amsgrad"])
    path = tmp_path / "ckpt.safetensors"
    save_checkpoint(path, model, optimizer, epoch=7)
    tensors, header = read_tensors(path)
    assert header["kind"] == "checkpoint" and header["version"] == 2 and header["epoch"] == 7
    record = header["optimizer"]
    assert record["class"] == "Adam" and record["iterations"] == 2
    assert record["param_groups"][0]["betas"] == [0.8, 0.9]
    assert record["param_groups"][0]["amsgrad"] is True
    assert record["scalars"]["0"] == {"step": 2}
    assert record["parameters"][0] == {"name": "0.weight", "shape": [4, 3]}
    assert header["random"]["bit_generator"] == "PCG64"
    assert "model/1.running_var" in tensors and "optimizer/0/max_exp_avg_sq" in tensors
    assert tensors["optimizer/0/exp_avg"].dtype == np.float32
    json.dumps(header)                   # plain JSON throughout


def test_checkpoint_without_optimizer_loads_the_model_and_random_state(tmp_path):
    model = nn.Linear(2, 2)
    save_checkpoint(tmp_path / "c.safetensors", model)
    expected = ndgrad.random.normal((2,)).tolist()
    other = nn.Linear(2, 2)
    assert load_checkpoint(tmp_path / "c.safetensors", other) == {"epoch": None, "extra": None}
    np.testing.assert_array_equal(other.weight.numpy(), model.weight.numpy())
    assert ndgrad.random.normal((2,)).tolist() == expected


def test_save_refuses_extra_that_is_not_json_and_writes_nothing(tmp_path):
    path = tmp_path / "c.safetensors"
    with pytest.raises(TypeError, match=r"save_checkpoint: extra\['fn'\] is a function"):
        save_checkpoint(path, nn.Linear(1, 1), extra={"fn": lambda: 0})
    with pytest.raises(TypeError, match="extra must be a dict or None, got list"):
        save_checkpoint(path, nn.Linear(1, 1), extra=[1])
    with pytest.raises(TypeError, match="epoch must be an int or None, got float"):
        save_checkpoint(path, nn.Linear(1, 1), epoch=1.5)
    with pytest.raises(TypeError, match="optimizer must be an ndgrad optimizer"):
        save_checkpoint(path, nn.Linear(1, 1), optimizer="adam")
    assert list(tmp_path.iterdir()) == []


def _refused(path, model, optimizer, pattern):
    random_state = ndgrad.random.get_state()
    before = _state(model, optimizer)
    with pytest.raises(CheckpointError, match=pattern) as caught:
        load_checkpoint(path, model, optimizer)
    assert str(path) in str(caught.value)
    _assert_same(before, _state(model, optimizer))
    assert ndgrad.random.get_state() == random_state


def test_other_optimizer_class_is_refused(tmp_path):
    model, optimizer = _trained(OPTIMIZERS["adam_amsgrad"])
    save_checkpoint(tmp_path / "c.safetensors", model, optimizer)
    other_model, sgd = _trained(OPTIMIZERS["sgd_momentum"])
    _refused(tmp_path / "c.safetensors", other_model, sgd,
             "holds Adam state, but the optimizer given is a SGD")


def test_other_parameter_structure_is_refused(tmp_path):
    model, optimizer = _trained(OPTIMIZERS["sgd_momentum"])
    save_checkpoint(tmp_path / "c.safetensors", model, optimizer)
    other_model, _ = _trained(OPTIMIZERS["sgd_momentum"])
    reordered = ndgrad.optim.SGD(other_model.parameters()[::-1], lr=0.1, momentum=0.9)
    _refused(tmp_path / "c.safetensors", other_model, reordered,
             "parameter 0 was '0.weight', is now '2.bias'")
    fewer = ndgrad.optim.SGD(other_model.parameters()[:2], lr=0.1, momentum=0.9)
    _refused(tmp_path / "c.safetensors", other_model, fewer,
             "the saved SGD had 6 parameters, the one given has 2")


def test_model_that_does_not_fit_changes_neither_model_nor_optimizer(tmp_path):
    model, optimizer = _trained(OPTIMIZERS["adam_amsgrad"])
    save_checkpoint(tmp_path / "c.safetensors", model, optimizer)
    wide = nn.Sequential(nn.Linear(3, 5), nn.BatchNorm1d(5), nn.Linear(5, 2))
    adam = ndgrad.optim.Adam(wide.parameters())
    for optimizer in (adam, None):
        _refused(tmp_path / "c.safetensors", wide, optimizer,
                 r"(?s)0.weight: shape \(4, 3\) in the state, \(5, 3\) in the model.*"
                 r"1.running_mean: shape \(4,\) in the state, \(5,\) in the model")


def test_optimizer_refusing_its_state_rolls_the_model_back(tmp_path, monkeypatch):
    model, optimizer = _trained(OPTIMIZERS["adam_amsgrad"])
    save_checkpoint(tmp_path / "c.safetensors", model, optimizer)
    other_model, other = _trained(OPTIMIZERS["adam_amsgrad"], steps=1)

    def refuse(state_dict):
        raise ValueError("Adam.load_state_dict: simulated refusal")
    monkeypatch.setattr(other, "load_state_dict", refuse)
    _refused(tmp_path / "c.safetensors", other_model, other, "simulated refusal")


def test_checkpoint_without_optimizer_state_refuses_an_optimizer(tmp_path):
    model, optimizer = _trained(OPTIMIZERS["nadam"])
    save_checkpoint(tmp_path / "c.safetensors", model)
    _refused(tmp_path / "c.safetensors", model, optimizer, "saved without an optimizer")


def test_weights_file_is_not_a_checkpoint(tmp_path):
    model, optimizer = _trained(OPTIMIZERS["nadam"])
    save_weights(model, tmp_path / "w.safetensors")
    _refused(tmp_path / "w.safetensors", model, optimizer, "holds weights only.*load_weights")


def test_random_state_of_another_generator_is_refused(tmp_path, monkeypatch):
    model, optimizer = _trained(OPTIMIZERS["nadam"])
    monkeypatch.setattr(ndgrad.random, "get_state",
                        lambda: {"bit_generator": "MT19937", "state": {"key": [1], "pos": 0}})
    save_checkpoint(tmp_path / "c.safetensors", model, optimizer)
    monkeypatch.undo()
    _refused(tmp_path / "c.safetensors", model, optimizer,
             "random state does not fit ndgrad's generator")
