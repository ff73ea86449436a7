"""Parameter groups: each with its own hyper-parameters, against torch.optim."""

import numpy as np
import pytest

import ndgrad

from .side_by_side import run

torch = pytest.importorskip("torch")

GROUP_CASES = [
    ("SGD", {"lr": 0.05, "momentum": 0.9}, {"lr": 0.01, "momentum": 0.5, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.05}, {"lr": 0.01, "betas": (0.8, 0.9), "amsgrad": True}),
    ("AdamW", {"lr": 0.05}, {"weight_decay": 0.3}),
    ("RMSprop", {"lr": 0.01}, {"centered": True, "momentum": 0.9}),
    ("Adagrad", {"lr": 0.1}, {"lr_decay": 0.2}),
    ("Adadelta", {"lr": 1.0}, {"rho": 0.5}),
    ("Adamax", {"lr": 0.05}, {"betas": (0.5, 0.9)}),
    ("NAdam", {"lr": 0.05}, {"momentum_decay": 0.02}),
]


@pytest.mark.parametrize("name, base, special", GROUP_CASES, ids=[c[0] for c in GROUP_CASES])
def test_groups_with_their_own_hyperparameters_match_torch(name, base, special):
    def groups(params):
        return [{"params": params[:1], **special}, {"params": params[1:]}]

    ours, ours_optimizer, _, theirs_optimizer = run(
        torch, lambda ps: getattr(ndgrad.optim, name)(groups(ps), **base),
        lambda ps: getattr(torch.optim, name)(groups(ps), **base))
    for our_group, their_group in zip(ours_optimizer.param_groups, theirs_optimizer.param_groups):
        for key, value in our_group.items():
            if key != "params":
                assert their_group[key] == value, key
    assert ours_optimizer.params == ours


def test_add_param_group_and_a_changed_group_lr_match_torch():
    def add_later(step, ours, theirs):
        if step == 4:
            for optimizer in (ours, theirs):
                optimizer.param_groups[0]["lr"] = 0.02      # what a scheduler does
        if step == 9:
            extra_ours.grad, extra_theirs.grad = ndgrad.tensor([1.0]), torch.tensor([1.0])
            ours.add_param_group({"params": [extra_ours], "lr": 0.5})
            theirs.add_param_group({"params": [extra_theirs], "lr": 0.5})

    extra_ours, extra_theirs = ndgrad.Variable([0.0]), torch.nn.Parameter(torch.zeros(1))
    run(torch, lambda ps: ndgrad.optim.SGD(ps, lr=0.05, momentum=0.9),
        lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9), after_step=add_later)
    np.testing.assert_allclose(extra_ours.numpy(), extra_theirs.detach().numpy(), rtol=1e-5)


def test_group_dicts_accept_keras_spellings_and_fill_defaults():
    a, b = ndgrad.Variable([1.0]), ndgrad.Variable([2.0])
    optimizer = ndgrad.optim.Adam([{"params": [a], "learning_rate": 0.1, "beta_1": 0.5},
                                   {"params": b}], lr=0.01)
    first, second = optimizer.param_groups
    assert first["lr"] == 0.1 and first["betas"] == (0.5, 0.999) and first["eps"] == 1e-8
    assert second["lr"] == 0.01 and second["params"] == [b]


def test_named_parameters_give_names_to_messages():
    weight = ndgrad.Variable([1.0])
    optimizer = ndgrad.optim.SGD([("encoder.weight", weight)], lr=0.1)
    assert optimizer.params == [weight]
    with pytest.warns(RuntimeWarning, match="'encoder.weight' got no gradient"):
        optimizer.step()


def test_group_errors_are_clear_and_change_nothing():
    a, b = ndgrad.Variable([1.0]), ndgrad.Variable([2.0])
    optimizer = ndgrad.optim.SGD([a], lr=0.1)
    with pytest.raises(ValueError, match="more than one parameter group"):
        optimizer.add_param_group({"params": [a, b]})
    with pytest.raises(ValueError, match="learning rate must be finite and >= 0"):
        optimizer.add_param_group({"params": [b], "lr": -1.0})
    with pytest.raises(TypeError, match="'params' entry"):
        optimizer.add_param_group([b])
    with pytest.raises(TypeError, match="mixes parameter-group dicts and tensors"):
        ndgrad.optim.SGD([{"params": [a]}, b], lr=0.1)
    assert len(optimizer.param_groups) == 1 and optimizer.params == [a]


def test_tied_parameters_are_updated_once():
    w = ndgrad.Variable([1.0])
    optimizer = ndgrad.optim.SGD([w, w], lr=0.5)
    w.grad = ndgrad.tensor([1.0])
    optimizer.step()
    assert optimizer.params == [w] and w.tolist() == [0.5]


def test_learning_rate_property_reads_and_sets_every_group():
    a, b = ndgrad.Variable([1.0]), ndgrad.Variable([2.0])
    optimizer = ndgrad.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1)
    assert optimizer.lr == 0.1 and optimizer.learning_rate == 0.1
    optimizer.learning_rate = 0.2
    assert [g["lr"] for g in optimizer.param_groups] == [0.2, 0.2]
    with pytest.raises(ValueError, match="learning rate"):
        optimizer.lr = -1
    assert optimizer.lr == 0.2
