"""state_dict / load_state_dict / get_weights / set_weights, and loading from PyTorch."""

import numpy as np
import pytest

import ndgrad
from ndgrad import nn


def _model():
    return nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 2))


def test_round_trip_gives_identical_outputs():
    source, target = _model(), _model()
    target.load_state_dict(source.state_dict())
    x = ndgrad.random.normal((5, 3))
    np.testing.assert_array_equal(source(x).numpy(), target(x).numpy())


def test_load_accepts_numpy_arrays():
    model = _model()
    state = {k: np.zeros(v.shape, dtype=np.float32) for k, v in model.state_dict().items()}
    model.load_state_dict(state)
    assert all(float(p.abs().sum()) == 0.0 for p in model.parameters())


def test_errors_list_missing_unexpected_and_misshaped_keys_and_change_nothing():
    model = _model()
    before = {k: v.numpy().copy() for k, v in model.state_dict().items()}
    state = {k: np.zeros(v.shape) for k, v in model.state_dict().items()}
    del state["1.bias"]
    state["0.weight"] = np.zeros((9, 9))
    state["extra"] = np.zeros(1)
    with pytest.raises(ValueError) as error:
        model.load_state_dict(state)
    message = str(error.value)
    assert "missing keys: 1.bias" in message and "unexpected keys: extra" in message
    assert "0.weight: shape (9, 9)" in message and "nothing was loaded" in message
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(value.numpy(), before[key])


def test_non_strict_reports_instead_of_raising():
    model = _model()
    state = dict(model.state_dict())
    del state["1.bias"]
    state["extra"] = np.zeros(1)
    result = model.load_state_dict(state, strict=False)
    assert result.missing_keys == ["1.bias"] and result.unexpected_keys == ["extra"]


def test_get_and_set_weights():
    model = _model()
    weights = model.get_weights()
    assert [w.shape for w in weights] == [(4, 3), (4,), (2, 4), (2,)]
    model.set_weights([np.ones_like(w) for w in weights])
    assert model[0].weight.numpy().sum() == 12
    with pytest.raises(ValueError, match="nothing was set"):
        model.set_weights(weights[:2])


def test_pytorch_state_dict_loads_without_reshaping():
    torch = pytest.importorskip("torch")
    reference = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Linear(4, 2))
    model = _model()
    model.load_state_dict(reference.state_dict())
    x = np.random.default_rng(0).normal(size=(5, 3)).astype(np.float32)
    expected = reference(torch.tensor(x)).detach().numpy()
    np.testing.assert_allclose(model(ndgrad.tensor(x)).numpy(), expected, rtol=1e-5, atol=1e-6)
