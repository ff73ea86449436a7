"""Module: registration (including containers), naming, calling, modes, freezing."""

import numpy as np
import pytest

import ndgrad
from ndgrad import nn


class InList(nn.Module):
    """Parameters kept in a plain list and a dict: PyTorch's silent failure."""

    def __init__(self):
        super().__init__()
        self.blocks = [nn.Linear(2, 2), nn.Linear(2, 2)]
        self.scales = {"a": nn.Parameter([1.0]), "b": nn.Parameter([2.0])}
        self.extra = (nn.Parameter([3.0]),)

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return x * self.scales["a"] * self.scales["b"] * self.extra[0]


def test_parameters_in_lists_tuples_and_dicts_are_registered():
    names = [n for n, _ in InList().named_parameters()]
    # PyTorch's order: a module's own parameters, then its children's
    assert names == ["scales.a", "scales.b", "extra.0", "blocks.0.weight", "blocks.0.bias",
                     "blocks.1.weight", "blocks.1.bias"]


def test_parameters_appended_to_a_list_later_are_registered_too():
    model = InList()
    model.blocks.append(nn.Linear(2, 2))
    assert len(model.parameters()) == 9


def test_a_parameter_shared_by_two_modules_is_listed_once():
    shared = nn.Linear(2, 2)
    model = nn.Sequential(shared, shared)
    assert len(model.parameters()) == 2


def test_plain_tensors_are_not_parameters_and_frozen_variables_are_state():
    class Holder(nn.Module):
        def __init__(self):
            super().__init__()
            self.constant = ndgrad.ones(3)
            self.state = ndgrad.Variable([0.0], trainable=False)
            self.weight = ndgrad.Variable([1.0])

    holder = Holder()
    assert [n for n, _ in holder.named_parameters()] == ["weight"]
    assert [n for n, _ in holder.named_buffers()] == ["state"]
    assert holder.weight.name == "holder/weight"


def test_assigning_before_super_init_is_a_clear_error():
    class Forgot(nn.Module):
        def __init__(self):
            self.w = nn.Parameter([1.0])

    with pytest.raises(AttributeError, match="super\\(\\).__init__\\(\\)"):
        Forgot()


def test_keras_style_layer_builds_lazily_and_names_its_weights():
    class Scale(ndgrad.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight("w", (input_shape[-1],), initializer="ones")
            self.count = self.add_weight("count", (), initializer="zeros", trainable=False)

        def call(self, inputs, training=None):
            return inputs * self.w

    nn.reset_names()
    first, second = Scale(), Scale()
    assert not first.built and first.variables == []
    first(ndgrad.ones((2, 3)))
    second(ndgrad.ones((1, 4)))
    assert first.built and [v.name for v in first.trainable_variables] == ["scale/w"]
    assert [v.name for v in second.variables] == ["scale_1/w", "scale_1/count"]
    assert [v.name for v in second.non_trainable_variables] == ["scale_1/count"]


def test_call_gets_training_resolved_and_forward_style_uses_training_mode():
    seen = []

    class Probe(ndgrad.layers.Layer):
        def call(self, inputs, training=None):
            seen.append(training)
            return inputs

    class Outer(nn.Module):
        def __init__(self):
            super().__init__()
            self.probe = Probe()

        def forward(self, x):
            return self.probe(x)

    outer = Outer()
    outer(ndgrad.ones(1))
    outer(ndgrad.ones(1), training=False)
    outer.eval()
    outer(ndgrad.ones(1))
    outer(ndgrad.ones(1), training=True)
    assert seen == [True, False, False, True]


def test_neither_forward_nor_call_is_a_clear_error():
    with pytest.raises(NotImplementedError, match="neither forward"):
        nn.Module()(ndgrad.ones(1))


def test_train_and_eval_reach_every_module():
    model = InList()
    model.eval()
    assert all(not m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())


def test_freezing_sets_every_parameter_flag_and_unfreezing_restores_them():
    model = InList()
    model.trainable = False
    assert all(not p.trainable for p in model.parameters())
    assert model.trainable_variables == [] and len(model.non_trainable_variables) == 7
    model.unfreeze()
    assert all(p.trainable for p in model.parameters())


def test_freezing_does_not_make_state_trainable_on_unfreeze():
    class WithState(nn.Module):
        def __init__(self):
            super().__init__()
            self.moving = ndgrad.Variable([0.0], trainable=False)
            self.w = nn.Parameter([1.0])

    module = WithState().freeze().unfreeze()
    assert module.w.trainable and not module.moving.trainable


def test_frozen_parameter_gets_no_gradient_and_no_update():
    model = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))
    model[0].trainable = False
    before = model[0].weight.numpy().copy()
    optimizer = ndgrad.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=0.1)
    for _ in range(3):
        optimizer.zero_grad()
        model(ndgrad.ones((4, 2))).sum().backward()
        optimizer.step()
    assert model[0].weight.grad is None
    np.testing.assert_array_equal(model[0].weight.numpy(), before)


def test_apply_zero_grad_and_to():
    model = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))
    visited = []
    model.apply(lambda m: visited.append(type(m).__name__))
    assert visited == ["Linear", "Linear", "Sequential"]
    model(ndgrad.ones((1, 2))).sum().backward()
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    model.to("float64")
    assert model(ndgrad.ones((1, 2), dtype="float64")).dtype == np.float64
    with pytest.raises(TypeError, match="floating"):
        model.to("int32")


def test_register_buffer_and_parameter():
    module = nn.Module()
    module.register_buffer("steps", ndgrad.zeros(1))
    module.register_parameter("w", nn.Parameter([1.0]))
    assert [n for n, _ in module.named_buffers()] == ["steps"]
    assert [n for n, _ in module.named_parameters()] == ["w"]
    with pytest.raises(ValueError, match="trainable"):
        module.register_buffer("bad", ndgrad.Variable([1.0]))
    with pytest.raises(TypeError):
        module.add_module("x", 3)


def test_repr_lists_children():
    text = repr(nn.Sequential(nn.Linear(2, 3)))
    assert "(0): Linear(in_features=2, out_features=3, bias=True)" in text


def test_unexpected_keyword_is_refused():
    with pytest.raises(TypeError, match="unexpected arguments"):
        nn.Module(colour="red")
