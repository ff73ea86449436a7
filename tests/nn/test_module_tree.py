"""Module listings as PyTorch's (D3: lists that are iterators), lookup by dotted name,
registration, ``del``, ``state_dict`` keys and order, and the repr."""

import numpy as np
import pytest

import ndgrad
from ndgrad import nn

torch = pytest.importorskip("torch")


def _pair(library):
    """The same small model in ndgrad (library=nn) or PyTorch (library=torch.nn)."""
    inner = library.Sequential(library.Linear(2, 3), library.BatchNorm1d(3))
    return library.Sequential(library.Linear(3, 2), inner, library.ReLU())


@pytest.mark.parametrize("listing", ["parameters", "named_parameters", "buffers",
                                     "named_buffers", "children", "named_children", "modules",
                                     "named_modules"])
def test_listings_are_lists_and_iterators(listing):
    model = _pair(nn)
    items = getattr(model, listing)()
    assert isinstance(items, list) and len(items) == len(list(items))
    first = next(getattr(model, listing)())
    assert first is items[0] or first == items[0]


def test_next_consumes_as_a_generator_would_and_untouched_lists_iterate_twice():
    model = _pair(nn)
    parameters = model.parameters()
    assert [p.shape for p in parameters] == [p.shape for p in parameters]
    first = next(parameters)
    assert first.shape == (2, 3) and len(list(parameters)) == len(parameters) - 1
    assert next(model.parameters()) is first


def test_names_and_order_match_pytorch():
    ours, theirs = _pair(nn), _pair(torch.nn)
    for listing in ("named_parameters", "named_buffers", "named_modules", "named_children"):
        assert [n for n, _ in getattr(ours, listing)()] == \
            [n for n, _ in getattr(theirs, listing)()], listing
    assert list(ours.state_dict()) == list(theirs.state_dict())


def test_state_dict_keeps_tied_weights_under_both_names_as_pytorch():
    def tied(library):
        model = library.Sequential(library.Linear(2, 2), library.Linear(2, 2))
        model[1].weight = model[0].weight
        return model

    ours, theirs = tied(nn), tied(torch.nn)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert len(ours.parameters()) == len(list(theirs.parameters())) == 3
    ours.load_state_dict(theirs.state_dict())
    np.testing.assert_array_equal(ours[1].weight.numpy(), theirs[1].weight.detach().numpy())


def test_state_dict_prefix_keep_vars_and_non_persistent_buffers():
    model = nn.Linear(2, 1)
    model.register_buffer("scratch", ndgrad.zeros(2), persistent=False)
    model.register_buffer("count", ndgrad.zeros(()))
    state = model.state_dict(prefix="head.", keep_vars=True)
    assert list(state) == ["head.weight", "head.bias", "head.count"]
    assert state["head.weight"] is model.weight
    assert [n for n, _ in model.named_buffers()] == ["scratch", "count"]


def test_get_submodule_parameter_buffer():
    model = _pair(nn)
    assert model.get_submodule("") is model
    assert model.get_submodule("1.1") is model[1][1]
    assert model.get_parameter("1.0.bias") is model[1][0].bias
    assert model.get_buffer("1.1.running_mean") is model[1][1].running_mean
    with pytest.raises(AttributeError, match="no sub-module '1.5'.*'1.0'"):
        model.get_submodule("1.5")
    with pytest.raises(AttributeError, match="no parameter '1.1.running_mean'"):
        model.get_parameter("1.1.running_mean")


def test_named_modules_memo_prefix_and_duplicates():
    shared = nn.Linear(1, 1)
    model = nn.Sequential(shared, shared)
    assert [n for n, _ in model.named_modules(prefix="net")] == ["net", "net.0"]
    assert [n for n, _ in model.named_modules(remove_duplicate=False)] == ["", "0", "1"]
    assert [n for n, _ in model.named_modules(memo={shared})] == [""]
    assert [n for n, _ in model.named_parameters(remove_duplicate=False)] == [
        "0.weight", "0.bias", "1.weight", "1.bias"]


def test_register_parameter_is_an_attribute_that_assignment_replaces():
    module = nn.Module()
    module.register_parameter("w", nn.Parameter([1.0]))
    replacement = nn.Parameter([2.0])
    module.w = replacement
    assert module.parameters() == [replacement] and module.w is replacement
    with pytest.raises(TypeError, match="cannot assign list as parameter 'w'"):
        module.w = [3.0]
    module.w = None
    assert module.parameters() == [] and module.w is None


def test_register_rules_are_pytorch_s():
    module = nn.Module()
    module.plain = 3
    with pytest.raises(KeyError, match="contain no '.'"):
        module.register_parameter("a.b", nn.Parameter([1.0]))
    with pytest.raises(KeyError, match="attribute 'plain' already exists"):
        module.register_buffer("plain", ndgrad.zeros(1))
    with pytest.raises(TypeError, match="must be a Module"):
        module.add_module("x", 3)
    module.register_module("head", nn.Linear(1, 1))
    assert [n for n, _ in module.named_children()] == ["head"]


def test_del_removes_parameters_buffers_and_modules():
    model = nn.Linear(2, 2)
    model.register_buffer("count", ndgrad.zeros(()))
    model.extra = nn.Identity()
    del model.bias, model.count, model.extra
    assert [n for n, _ in model.named_parameters()] == ["weight"]
    assert model.buffers() == [] and model.children() == []
    with pytest.raises(AttributeError):
        del model.missing


@pytest.mark.parametrize("make", [
    lambda lib: lib.Linear(2, 3),
    lambda lib: lib.Sequential(lib.Linear(2, 3), lib.ReLU(), lib.Dropout(0.25)),
    lambda lib: lib.ModuleDict({"a": lib.Conv2d(1, 2, 3), "b": lib.Identity()}),
    lambda lib: lib.ModuleList([lib.Flatten(), lib.Tanh()]),
])
def test_repr_is_pytorch_s(make):
    assert repr(make(nn)) == repr(make(torch.nn))


def test_unsupported_module_methods_say_so():
    with pytest.raises(AttributeError, match="not supported.*register_full_backward_hook"):
        nn.Linear(1, 1).register_backward_hook(print)
    assert not hasattr(nn.Linear(1, 1), "share_memory")


def test_apply_visits_children_before_parents_as_pytorch():
    def visit(library):
        seen = []
        _pair(library).apply(lambda m: seen.append(type(m).__name__))
        return seen

    assert visit(nn) == visit(torch.nn)


def test_a_pytorch_module_may_name_an_attribute_weights():
    class Mixture(nn.Module):
        def __init__(self):
            super().__init__()
            self.weights = nn.ParameterList([nn.Parameter(ndgrad.ones(2))])

    model = Mixture()
    assert isinstance(model.weights, nn.ParameterList)
    assert [n for n, _ in model.named_parameters()] == ["weights.0"]
    assert len(nn.Linear(2, 1).weights) == 2            # the Keras view elsewhere
