"""One attribute namespace for both faces (issue 12, item 11).

A Parameter or Module assigned to any attribute name registers as in PyTorch, or,
where ndgrad keeps the name (``training``, ``built``, ``name``, ``dtype``,
``trainable``, and the read-only Keras views), the assignment fails loudly naming
the attribute, and the module is left as it was. Nothing is silently unregistered.
"""

import numpy as np
import pytest
import torch

import ndgrad
from ndgrad import keras, nn

# names PyTorch code uses that ndgrad also uses (compile sets optimizer and loss;
# weights/variables/layers/metrics are Keras names): all must register as in PyTorch
REGISTERING = ["weights", "variables", "loss", "optimizer", "layers", "metrics",
               "input_shape", "output_shape", "compiled_loss", "compiled_metrics", "losses_"]
RESERVED = ["training", "built", "name", "dtype", "trainable"]
READ_ONLY = ["losses", "trainable_weights", "non_trainable_weights", "trainable_variables",
             "non_trainable_variables"]


def _holder(framework, name, make):
    class Holder(framework.nn.Module):
        def __init__(self):
            super().__init__()
            setattr(self, name, make(framework))
    return Holder


def _linear(framework):
    return framework.nn.Linear(2, 3)


def _parameter(framework):
    return framework.nn.Parameter(framework.ones(4))


def _linears_in_a_list(framework):
    return framework.nn.ModuleList([framework.nn.Linear(2, 2)])


@pytest.mark.parametrize("make", [_linear, _parameter, _linears_in_a_list])
@pytest.mark.parametrize("name", REGISTERING)
def test_registers_like_pytorch(name, make):
    ours = _holder(ndgrad, name, make)()
    theirs = _holder(torch, name, make)()
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert [n for n, _ in ours.named_parameters()]          # something registered
    assert list(ours.state_dict()) == list(theirs.state_dict())


@pytest.mark.parametrize("make", [_linear, _parameter, _linears_in_a_list])
@pytest.mark.parametrize("name", RESERVED)
def test_a_reserved_name_refuses_loudly_and_changes_nothing(name, make):
    module = nn.Module()
    before = {key: module.__dict__.get(key) for key in RESERVED + ["_trainable"]}
    with pytest.raises(AttributeError, match=rf"cannot assign a \w+ to '{name}': ndgrad keeps "
                                             rf"'{name}' for .* give it another name"):
        setattr(module, name, make(ndgrad))
    assert {key: module.__dict__.get(key) for key in before} == before
    assert module.parameters() == [] and module.children() == []


@pytest.mark.parametrize("name", RESERVED)
def test_a_reserved_name_refuses_in_a_subclass_init(name):
    with pytest.raises(AttributeError, match=f"'{name}'"):
        _holder(ndgrad, name, _linear)()


@pytest.mark.parametrize("name", READ_ONLY)
def test_a_read_only_view_refuses_by_name(name):
    module = nn.Linear(2, 2)
    with pytest.raises(AttributeError, match=rf"'{name}' is ndgrad's read-only view .* "
                                             r"another name"):
        setattr(module, name, nn.Linear(2, 2))
    assert [n for n, _ in module.named_parameters()] == ["weight", "bias"]


def test_plain_values_under_reserved_names_still_work():
    module = nn.Module()
    module.training = False
    module.name = "renamed"
    module.dtype = ndgrad.float64
    module.trainable = False
    assert (module.training, module.name, module.trainable) == (False, "renamed", False)


def test_compile_loss_module_is_configuration_but_a_users_loss_layer_registers():
    model = ndgrad.Sequential([keras.layers.Dense(2, input_shape=(3,))])
    model.compile(optimizer="sgd", loss=nn.CrossEntropyLoss(weight=ndgrad.ones(2)))
    names = [n for n, _ in model.named_modules()]
    assert all("loss" not in n for n in names), names
    assert all("loss" not in n for n in model.state_dict())
    model.loss = nn.Linear(2, 2)           # the user's own attribute from now on
    assert "loss.weight" in [n for n, _ in model.named_parameters()]


def test_pytorch_module_with_self_loss_trains_it():
    class WithLoss(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Linear(3, 2)
            self.loss = nn.Linear(2, 1)          # a learned head called 'loss'

        def forward(self, x):
            return self.loss(self.body(x))

    model = WithLoss()
    optimizer = ndgrad.optim.SGD(model.parameters(), lr=0.1)
    before = model.loss.weight.numpy().copy()
    model(ndgrad.ones((4, 3))).sum().backward()
    optimizer.step()
    assert not np.array_equal(before, model.loss.weight.numpy())


def test_keras_layer_tracks_layers_on_any_attribute():
    class Block(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.loss = keras.layers.Dense(2)
            self.optimizer = keras.layers.Dense(1)

        def call(self, inputs):
            return self.optimizer(self.loss(inputs))

    block = Block()
    block(np.ones((1, 3), np.float32))
    assert len(block.trainable_weights) == 4
    with pytest.raises(AttributeError, match="'built'"):
        block.built = keras.layers.Dense(2)
    assert block.built is True


def test_weights_parameter_in_a_module():
    class Weighted(nn.Module):
        def __init__(self):
            super().__init__()
            self.weights = nn.Parameter(ndgrad.ones(3))

        def forward(self, x):
            return x * self.weights

    module = Weighted()
    assert [n for n, _ in module.named_parameters()] == ["weights"]
    module(ndgrad.ones(3)).sum().backward()
    np.testing.assert_array_equal(module.weights.grad.numpy(), [1, 1, 1])
