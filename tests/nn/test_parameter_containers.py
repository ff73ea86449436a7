"""ParameterList and ParameterDict: registration, names, list/dict methods, against PyTorch."""

import numpy as np
import pytest

import ndgrad
from ndgrad import nn

torch = pytest.importorskip("torch")


class Holder(nn.Module):
    def __init__(self):
        super().__init__()
        self.weights = nn.ParameterList([nn.Parameter(ndgrad.ones((2, 2))) for _ in range(2)])
        self.biases = nn.ParameterDict({"b": nn.Parameter(ndgrad.zeros(2)),
                                        "a": nn.Parameter(ndgrad.ones(2))})

    def forward(self, x):
        for weight in self.weights:
            x = x @ weight
        return x + self.biases["a"] + self.biases["b"]


class TorchHolder(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.weights = torch.nn.ParameterList([torch.nn.Parameter(torch.ones(2, 2))
                                               for _ in range(2)])
        self.biases = torch.nn.ParameterDict({"b": torch.nn.Parameter(torch.zeros(2)),
                                              "a": torch.nn.Parameter(torch.ones(2))})


def test_names_match_pytorch_and_a_pytorch_state_dict_loads():
    ours, theirs = Holder(), TorchHolder()
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    with torch.no_grad():
        theirs.weights[1].mul_(3.0)
    ours.load_state_dict(theirs.state_dict())
    np.testing.assert_array_equal(ours.weights[1].numpy(), np.full((2, 2), 3.0))


def test_gradients_reach_the_contained_parameters():
    model = Holder()
    model(ndgrad.ones((1, 2))).sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    optimizer = ndgrad.optim.SGD(model.parameters(), lr=0.1)
    optimizer.step()
    np.testing.assert_allclose(model.biases["a"].numpy(), [0.9, 0.9])


def test_parameter_list_methods():
    params = nn.ParameterList()
    params.append(ndgrad.zeros(1))
    params += [nn.Parameter(ndgrad.ones(2)), ndgrad.ones(3)]
    assert len(params) == 3 and isinstance(params[2], nn.Parameter)
    assert params[-1].shape == (3,) and len(params[1:]) == 2
    params[0] = ndgrad.ones(4)
    assert params[0].shape == (4,) and params[0].trainable
    assert [n for n, _ in params.named_parameters()] == ["0", "1", "2"]
    with pytest.raises(IndexError, match="out of range"):
        params[3]
    with pytest.raises(TypeError, match="iterable"):
        params.extend(ndgrad.ones(2))
    with pytest.raises(TypeError, match="container"):
        params(ndgrad.ones(1))


def test_parameter_dict_methods_follow_pytorch():
    ours = nn.ParameterDict({"z": ndgrad.zeros(1), "a": ndgrad.ones(1)})
    theirs = torch.nn.ParameterDict({"z": torch.zeros(1), "a": torch.ones(1)})
    assert list(ours) == list(theirs) == ["a", "z"]        # a plain dict is sorted
    ours.update([("m", ndgrad.ones(2))])
    theirs.update([("m", torch.ones(2))])
    assert list(ours.keys()) == list(theirs.keys())
    assert ours.setdefault("q", ndgrad.zeros(3)).shape == (3,)
    assert ours.get("missing") is None and "q" in ours
    assert ours.pop("q").shape == (3,) and "q" not in ours
    del ours["m"]
    merged = ours | {"n": ndgrad.ones(1)}
    assert list(merged) == ["a", "z", "n"] and list(ours) == ["a", "z"]
    assert list(nn.ParameterDict.fromkeys(["x", "y"], ndgrad.ones(1))) == ["x", "y"]
    with pytest.raises(KeyError, match="without '.'"):
        ours["a.b"] = ndgrad.ones(1)
    ours.clear()
    assert len(ours) == 0 and ours.parameters() == []


def test_repr_matches_pytorch():
    ours = nn.ParameterList([nn.Parameter(ndgrad.ones((2, 3))), nn.Parameter(ndgrad.ones(3))])
    theirs = torch.nn.ParameterList([torch.nn.Parameter(torch.ones(2, 3)),
                                     torch.nn.Parameter(torch.ones(3))])
    assert repr(ours) == repr(theirs).replace("torch.float32", "float32")
