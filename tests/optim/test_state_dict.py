"""state_dict / load_state_dict: exact round trips, refusals that change nothing."""

import copy
import json

import numpy as np
import pytest

import ndgrad

from .side_by_side import gradient_sequence, initial_values

CONFIGS = [
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.05, "amsgrad": True}),
    ("AdamW", {"lr": 0.05}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.5, "centered": True}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.1}),
    ("Adadelta", {}),
    ("Adamax", {"lr": 0.05}),
    ("NAdam", {"lr": 0.05}),
]


def _train(optimizer, params, grads):
    for step_grads in grads:
        for p, g in zip(params, step_grads):
            p.grad = ndgrad.tensor(g + 0.5 * p.numpy())
        optimizer.step()


@pytest.mark.parametrize("name, kwargs", CONFIGS, ids=[c[0] for c in CONFIGS])
def test_train_5_save_load_train_5_equals_train_10(name, kwargs):
    make = getattr(ndgrad.optim, name)
    grads = gradient_sequence(steps=10)
    params = [ndgrad.Variable(v) for v in initial_values()]
    optimizer = make(params, **kwargs)
    _train(optimizer, params, grads[:5])
    saved, saved_values = optimizer.state_dict(), [p.numpy().copy() for p in params]
    _train(optimizer, params, grads[5:])

    resumed_params = [ndgrad.Variable(v) for v in saved_values]
    resumed = make(resumed_params, **kwargs)
    resumed.load_state_dict(saved)
    _train(resumed, resumed_params, grads[5:])
    for p, q in zip(params, resumed_params):
        np.testing.assert_array_equal(p.numpy(), q.numpy())
    assert resumed.iterations == optimizer.iterations == 10
    again = resumed.state_dict()
    assert again["state"][0]["step"] == 10 and again["param_groups"] == \
        optimizer.state_dict()["param_groups"]


def test_state_dict_structure_is_pytorch_like_and_a_copy():
    a, b = ndgrad.Variable([1.0, 2.0]), ndgrad.Variable([3.0])
    optimizer = ndgrad.optim.Adam([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1,
                                  missing_gradients="ignore")
    a.grad = ndgrad.tensor([1.0, 1.0])
    optimizer.step()                                # b has no gradient: no state yet
    saved = optimizer.state_dict()
    assert set(saved["state"]) == {0} and saved["iterations"] == 1
    assert set(saved["state"][0]) == {"step", "exp_avg", "exp_avg_sq"}
    assert saved["param_groups"][1]["params"] == [1] and saved["param_groups"][1]["lr"] == 0.5
    assert saved["param_groups"][0]["betas"] == (0.9, 0.999)
    exp_avg = saved["state"][0]["exp_avg"].copy()
    optimizer.step()
    np.testing.assert_array_equal(saved["state"][0]["exp_avg"], exp_avg)


def test_state_dict_goes_to_json_and_back_with_a_schedule():
    w = ndgrad.Variable([1.0])
    schedule = ndgrad.optim.schedules.ExponentialDecay(0.1, 10, 0.5)
    optimizer = ndgrad.optim.Adam(learning_rate=schedule)
    optimizer.apply_gradients([(ndgrad.tensor([1.0]), w)])
    saved = optimizer.state_dict()
    groups = json.loads(json.dumps(saved["param_groups"]))
    restored = ndgrad.optim.Adam(learning_rate=0.5)
    restored.build([ndgrad.Variable([1.0])])
    state = {0: {key: value for key, value in saved["state"][0].items()}}
    restored.load_state_dict({"state": state, "param_groups": groups, "iterations": 1})
    group = restored.param_groups[0]
    assert isinstance(group["lr"], type(schedule)) and group["lr"](10) == 0.05
    assert group["betas"] == (0.9, 0.999) and restored.iterations == 1


def test_keras_face_needs_build_before_loading():
    w = ndgrad.Variable([1.0])
    optimizer = ndgrad.optim.SGD(learning_rate=0.1, momentum=0.9)
    optimizer.apply_gradients([(ndgrad.tensor([1.0]), w)])
    fresh = ndgrad.optim.SGD(learning_rate=0.1, momentum=0.9)
    with pytest.raises(ValueError, match=r"build\(variables\)"):
        fresh.load_state_dict(optimizer.state_dict())
    fresh.build([ndgrad.Variable([1.0])])
    fresh.load_state_dict(optimizer.state_dict())
    assert fresh.state[fresh.params[0]]["momentum_buffer"].tolist() == [1.0]


def _trained_adam():
    a, b = ndgrad.Variable([1.0, 2.0]), ndgrad.Variable([[3.0]])
    optimizer = ndgrad.optim.Adam([a, b], lr=0.1)
    a.grad, b.grad = ndgrad.tensor([1.0, 1.0]), ndgrad.tensor([[1.0]])
    optimizer.step()
    return optimizer


def _broken(change):
    saved = _trained_adam().state_dict()
    change(saved)
    return saved


@pytest.mark.parametrize("state_dict, error, message", [
    ({"params": []}, TypeError, "'state' and 'param_groups'"),
    (_broken(lambda s: s["param_groups"].append({"params": [], "lr": 0.1})), ValueError,
     r"2 parameter group\(s\) of sizes \[2, 0\], this optimizer has 1 of sizes \[2\]"),
    (_broken(lambda s: s["param_groups"][0]["params"].pop()), ValueError, r"sizes \[1\]"),
    (_broken(lambda s: s["state"][1].update(exp_avg=np.zeros((2, 2), np.float32))), ValueError,
     r"'exp_avg' of parameter 1 has shape \(2, 2\), but the parameter has shape \(1, 1\)"),
    (_broken(lambda s: s["state"][0].update(momentum_buffer=np.zeros(2))), ValueError,
     r"\['momentum_buffer'\], which Adam does not keep"),
    (_broken(lambda s: s["state"].update({5: {}})), ValueError, "state for parameter 5"),
    (_broken(lambda s: s["param_groups"][0].update(lr=-1.0)), ValueError, "learning rate"),
])
def test_mismatched_state_is_refused_and_nothing_changes(state_dict, error, message):
    optimizer = _trained_adam()
    before = copy.deepcopy(optimizer.state_dict())
    with pytest.raises(error, match=message):
        optimizer.load_state_dict(state_dict)
    after = optimizer.state_dict()
    assert after["param_groups"] == before["param_groups"]
    for index, entry in before["state"].items():
        for key, value in entry.items():
            np.testing.assert_array_equal(after["state"][index][key], value)


def test_loading_casts_arrays_to_the_parameter_dtype():
    optimizer = _trained_adam()
    saved = optimizer.state_dict()
    saved["state"][0]["exp_avg"] = saved["state"][0]["exp_avg"].astype(np.float64)
    saved["state"][0]["step"] = np.float32(1.0)        # torch keeps step as a 0-d tensor
    optimizer.load_state_dict(saved)
    state = optimizer.state[optimizer.params[0]]
    assert state["exp_avg"].dtype == np.float32 and state["step"] == 1
    assert type(state["step"]) is int
