"""Sequential (both faces), ModuleList, ModuleDict."""

import collections

import pytest

import ndgrad
from ndgrad import nn


def test_one_sequential_class_for_both_call_styles():
    assert ndgrad.Sequential is nn.Sequential
    keras = ndgrad.Sequential([nn.Linear(2, 3), nn.Linear(3, 1)])
    torch_style = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1))
    named = nn.Sequential(collections.OrderedDict([("hidden", nn.Linear(2, 3)),
                                                   ("out", nn.Linear(3, 1))]))
    for model in (keras, torch_style, named):
        assert model(ndgrad.ones((5, 2))).shape == (5, 1) and len(model) == 2
    assert [n for n, _ in named.named_parameters()] == ["hidden.weight", "hidden.bias",
                                                         "out.weight", "out.bias"]


def test_layers_indexing_iteration_append_add_pop():
    model = nn.Sequential(nn.Linear(2, 2))
    model.append(nn.Linear(2, 3))
    model.add(nn.Linear(3, 1))
    assert [type(m).__name__ for m in model] == ["Linear"] * 3
    assert model.layers[1] is model[1] and isinstance(model[1:], nn.Sequential)
    assert len(model[1:]) == 2
    last = model.pop()
    assert last.out_features == 1 and len(model) == 2


def test_keras_sequential_with_input_shape_is_built_at_once():
    model = ndgrad.Sequential([ndgrad.layers.Dense(64, activation="relu", input_shape=(10,)),
                               ndgrad.layers.Dense(1)])
    assert model.built
    assert [tuple(v.shape) for v in model.trainable_variables] == [(10, 64), (64,), (64, 1), (1,)]


def test_sequential_refuses_non_modules():
    with pytest.raises(TypeError, match="expected a layer"):
        nn.Sequential(nn.Linear(2, 2), "relu")


def test_module_list_and_dict_register_their_members():
    blocks = nn.ModuleList([nn.Linear(2, 2)])
    blocks.append(nn.Linear(2, 2))
    blocks.extend([nn.Linear(2, 2)])
    assert len(blocks) == 3 and len(blocks.parameters()) == 6
    assert [n for n, _ in blocks.named_parameters()][:2] == ["0.weight", "0.bias"]
    heads = nn.ModuleDict({"a": nn.Linear(2, 1)})
    heads["b"] = nn.Linear(2, 1)
    assert "b" in heads and len(heads) == 2 and len(heads.parameters()) == 4
    with pytest.raises(TypeError):
        heads["c"] = 3


def test_module_dict_entries_are_attributes_as_in_pytorch():
    heads = nn.ModuleDict({"a": nn.Linear(2, 1)})
    assert heads.a is heads["a"]
    heads.b = nn.Linear(1, 1)                      # an attribute assignment adds an entry
    assert list(heads) == ["a", "b"]
    assert [name for name, _ in heads.named_parameters()] == [
        "a.weight", "a.bias", "b.weight", "b.bias"]
    heads.training = False                         # plain settings stay attributes
    assert "training" not in heads
    assert heads.pop("a").in_features == 2 and list(heads) == ["b"]
    heads.clear()
    assert len(heads) == 0
    with pytest.raises(AttributeError, match="no attribute 'missing'"):
        heads.missing   # noqa: B018
