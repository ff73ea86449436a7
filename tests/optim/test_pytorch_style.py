"""The torch.optim surface programs use: subclasses written as PyTorch tutorials
write them, param_groups, state, zero_grad, state_dict's structure."""

import numpy as np
import pytest

import ndgrad
from ndgrad.optim import Optimizer, required

from .side_by_side import gradient_sequence, initial_values, twin_parameters

torch = pytest.importorskip("torch")


class MomentumSGD(Optimizer):
    """SGD with momentum as a PyTorch tutorial writes it (operations ndgrad has today)."""

    def __init__(self, params, lr=required, momentum=0.0):
        if lr is not required and lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        super().__init__(params, dict(lr=lr, momentum=momentum))

    @ndgrad.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with ndgrad.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state["momentum_buffer"] = p.grad.detach() * 1.0
                else:
                    buffer = state["momentum_buffer"]
                    buffer *= group["momentum"]
                    buffer += p.grad
                p -= group["lr"] * state["momentum_buffer"]
        return loss


def _run_against_torch_sgd(make_ours, steps=10):
    ours, theirs = twin_parameters(torch, initial_values())
    ours_optimizer = make_ours(ours)
    theirs_optimizer = torch.optim.SGD([{"params": theirs[:1], "lr": 0.2},
                                        {"params": theirs[1:]}], lr=0.05, momentum=0.9)
    for grads in gradient_sequence(steps=steps):
        for p, tp, g in zip(ours, theirs, grads):
            p.grad = ndgrad.tensor(g + 0.5 * p.numpy())
            tp.grad = torch.tensor(g + 0.5 * tp.detach().numpy())
        ours_optimizer.step()
        theirs_optimizer.step()
    for p, tp in zip(ours, theirs):
        np.testing.assert_allclose(p.numpy(), tp.detach().numpy(), rtol=1e-5, atol=1e-6)
    return ours, ours_optimizer


def test_a_tutorial_style_subclass_matches_torch_sgd():
    ours, optimizer = _run_against_torch_sgd(
        lambda ps: MomentumSGD([{"params": ps[:1], "lr": 0.2}, {"params": ps[1:]}], lr=0.05,
                               momentum=0.9))
    assert optimizer.defaults == {"lr": 0.05, "momentum": 0.9}
    assert [group["lr"] for group in optimizer.param_groups] == [0.2, 0.05]
    assert list(optimizer.state) == ours                     # keyed by the parameters
    assert isinstance(optimizer.state[ours[0]]["momentum_buffer"], ndgrad.Tensor)


@pytest.mark.skipif(not hasattr(ndgrad.Tensor, "add_"),
                    reason="waits on the tensor-compat branch's in-place methods (add_, mul_)")
def test_the_in_place_tensor_method_form_of_a_tutorial():
    class InPlaceSGD(Optimizer):
        def __init__(self, params, lr=0.01, momentum=0.0):
            super().__init__(params, {"lr": lr, "momentum": momentum})

        @ndgrad.no_grad()
        def step(self, closure=None):
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state[p]
                    if "momentum_buffer" not in state:
                        state["momentum_buffer"] = p.grad.clone()
                    else:
                        state["momentum_buffer"].mul_(group["momentum"]).add_(p.grad)
                    p.add_(state["momentum_buffer"], alpha=-group["lr"])

    _run_against_torch_sgd(lambda ps: InPlaceSGD([{"params": ps[:1], "lr": 0.2},
                                                  {"params": ps[1:]}], lr=0.05, momentum=0.9))


def test_subclass_state_dict_round_trip_restores_tensors():
    w = ndgrad.Variable([1.0, 2.0])
    optimizer = MomentumSGD([w], lr=0.1, momentum=0.5)
    w.grad = ndgrad.tensor([1.0, 1.0])
    optimizer.step()
    saved = optimizer.state_dict()
    assert isinstance(saved["state"][0]["momentum_buffer"], np.ndarray)   # a copy, as arrays
    assert saved["param_groups"] == [{"lr": 0.1, "momentum": 0.5, "params": [0]}]
    fresh_w = ndgrad.Variable([1.0, 2.0])
    fresh = MomentumSGD([fresh_w], lr=0.3)
    fresh.load_state_dict(saved)
    assert fresh.param_groups[0]["momentum"] == 0.5
    buffer = fresh.state[fresh_w]["momentum_buffer"]
    assert isinstance(buffer, ndgrad.Tensor) and buffer.tolist() == [1.0, 1.0]
    fresh_w.grad = ndgrad.tensor([1.0, 1.0])
    fresh.step()                                   # the restored buffer is used in place
    assert fresh.state[fresh_w]["momentum_buffer"].tolist() == [1.5, 1.5]


def test_subclass_closure_and_errors():
    w = ndgrad.Variable([3.0])
    optimizer = MomentumSGD([w], lr=0.5)

    def closure():
        optimizer.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    assert optimizer.step(closure).item() == 9.0 and w.tolist() == [0.0]
    with pytest.raises(ValueError, match="required hyper-parameter 'lr'"):
        MomentumSGD([w])
    with pytest.raises(TypeError, match="super\\(\\).__init__\\(params, defaults\\)"):
        Optimizer([w], [("lr", 0.1)])

    class NoStep(Optimizer):
        def __init__(self, params):
            super().__init__(params, {"lr": 0.1})

    w.grad = ndgrad.tensor([1.0])
    with pytest.raises(NotImplementedError, match="step\\(\\)"):
        NoStep([w]).step()


def test_param_groups_lr_written_by_user_code_takes_effect_in_both_faces():
    w = ndgrad.Variable([1.0])
    optimizer = ndgrad.optim.SGD(learning_rate=0.5)           # Keras face
    optimizer.apply_gradients([(ndgrad.tensor([1.0]), w)])
    for group in optimizer.param_groups:                      # PyTorch code on the same object
        group["lr"] = 0.25
    optimizer.apply_gradients([(ndgrad.tensor([1.0]), w)])
    assert w.tolist() == [0.25] and optimizer.learning_rate == 0.25


def test_zero_grad_and_state_iteration():
    a, b = ndgrad.Variable([1.0]), ndgrad.Variable([2.0])
    optimizer = ndgrad.optim.Adam([a, b], lr=0.1)
    (a * b).sum().backward()
    optimizer.zero_grad(set_to_none=False)
    assert a.grad.tolist() == [0.0] and b.grad.tolist() == [0.0]
    optimizer.step()
    assert [key is p for key, p in zip(optimizer.state, [a, b])] == [True, True]
    for state in optimizer.state.values():                    # the resume idiom
        assert state["step"] == 1
    optimizer.zero_grad()
    assert a.grad is None and b.grad is None
    with pytest.raises(KeyError, match="keyed by the parameter tensors"):
        optimizer.state[0]


@pytest.mark.parametrize("name, kwargs", [("SGD", {"momentum": 0.9}), ("Adam", {}),
                                          ("RMSprop", {"centered": True})])
def test_state_dict_has_torchs_structure(name, kwargs):
    ours, theirs = twin_parameters(torch, initial_values())
    ours_optimizer = getattr(ndgrad.optim, name)([{"params": ours[:2]}, {"params": ours[2:]}],
                                                 lr=0.1, **kwargs)
    theirs_optimizer = getattr(torch.optim, name)([{"params": theirs[:2]},
                                                   {"params": theirs[2:]}], lr=0.1, **kwargs)
    for p, tp in zip(ours, theirs):
        p.grad, tp.grad = ndgrad.ones_like(p), torch.ones_like(tp)
    ours_optimizer.step()
    theirs_optimizer.step()
    saved, torch_saved = ours_optimizer.state_dict(), theirs_optimizer.state_dict()
    assert sorted(saved["state"]) == sorted(torch_saved["state"])
    for index, entry in torch_saved["state"].items():
        assert set(entry) <= set(saved["state"][index])
        for key, value in entry.items():
            np.testing.assert_allclose(saved["state"][index][key], value.numpy(), rtol=1e-6)
    for group, torch_group in zip(saved["param_groups"], torch_saved["param_groups"]):
        assert group["params"] == torch_group["params"]
        for key, value in group.items():
            if key in torch_group:
                assert torch_group[key] == value, key
