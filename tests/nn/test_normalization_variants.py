"""InstanceNorm1d/2d/3d, LocalResponseNorm, RMSNorm and their functional forms
against PyTorch (forward, gradients, running statistics, eval mode, reprs, state
dicts), float64 gradient checks, and Keras's RMSNormalization."""

import warnings

import numpy as np
import pytest

import ndgrad
import ndgrad.nn.functional as F
from ndgrad import layers, nn

torch = pytest.importorskip("torch")


def _data(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype(np.float32)


def _compare(ours_module, theirs_module, x, seed=1):
    """Forward and input/parameter gradients of two modules on ``x``."""
    ours_x = ndgrad.tensor(x, requires_grad=True)
    theirs_x = torch.tensor(x, requires_grad=True)
    ours, theirs = ours_module(ours_x), theirs_module(theirs_x)
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-4, atol=1e-5)
    cotangent = _data(ours.shape, seed)
    ours.backward(ndgrad.tensor(cotangent))
    theirs.backward(torch.tensor(cotangent))
    np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), rtol=1e-4, atol=1e-4)
    for (name, p), tp in zip(ours_module.named_parameters(), theirs_module.parameters()):
        np.testing.assert_allclose(p.grad.numpy(), tp.grad.numpy(), rtol=1e-4, atol=1e-4,
                                   err_msg=name)
        p.grad = None
        tp.grad = None


@pytest.mark.parametrize("name, shape", [("InstanceNorm1d", (3, 4, 7)),
                                         ("InstanceNorm1d", (4, 7)),
                                         ("InstanceNorm2d", (2, 4, 5, 3)),
                                         ("InstanceNorm2d", (4, 5, 3)),
                                         ("InstanceNorm3d", (2, 4, 3, 2, 3))])
@pytest.mark.parametrize("affine, track", [(False, False), (True, False), (True, True),
                                           (False, True)])
def test_instance_norm_matches_pytorch_in_training_and_eval(name, shape, affine, track):
    ours = getattr(nn, name)(4, affine=affine, track_running_stats=track, momentum=0.3)
    theirs = getattr(torch.nn, name)(4, affine=affine, track_running_stats=track, momentum=0.3)
    if affine:
        with torch.no_grad():
            theirs.weight.uniform_(0.5, 1.5)
            theirs.bias.uniform_(-0.5, 0.5)
    ours.load_state_dict(theirs.state_dict())
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for step in range(2):
        _compare(ours, theirs, _data(shape, step) * 2 + 1)
    for (name_, buffer), theirs_buffer in zip(ours.named_buffers(), theirs.buffers()):
        np.testing.assert_allclose(buffer.numpy(), theirs_buffer.numpy(), rtol=1e-5,
                                   err_msg=name_)
    ours.eval()
    theirs.eval()
    _compare(ours, theirs, _data(shape, 5))
    assert repr(ours) == repr(theirs)


def test_instance_norm_checks_channels_and_ranks_as_pytorch():
    with pytest.raises(ValueError, match="3 channels on axis 1, but num_features is 4"):
        nn.InstanceNorm1d(4, affine=True)(ndgrad.ones((2, 3, 5)))
    with pytest.warns(UserWarning, match="num_features is not used because affine=False"):
        nn.InstanceNorm1d(4)(ndgrad.random.normal((2, 3, 5)))
    with pytest.raises(ndgrad.ShapeError, match="InstanceNorm2d: expected a 3-D"):
        nn.InstanceNorm2d(3)(ndgrad.ones((2, 3)))
    with pytest.raises(ValueError, match="more than 1 spatial element"):
        nn.InstanceNorm1d(3)(ndgrad.ones((2, 3, 1)))
    with pytest.raises(ValueError):
        torch.nn.InstanceNorm1d(3)(torch.ones(2, 3, 1))
    norm = nn.InstanceNorm2d(2, affine=True, bias=False)
    assert [n for n, _ in norm.named_parameters()] == ["weight"]


def test_functional_instance_norm_matches_pytorch():
    x = _data((3, 2, 6)) * 3
    ours_mean, ours_var = np.zeros(2, np.float32), np.ones(2, np.float32)
    theirs_mean, theirs_var = torch.zeros(2), torch.ones(2)
    weight, bias = _data((2,), 3), _data((2,), 4)
    ours = F.instance_norm(ndgrad.tensor(x), ours_mean, ours_var, ndgrad.tensor(weight),
                           ndgrad.tensor(bias), momentum=0.2)
    theirs = torch.nn.functional.instance_norm(torch.tensor(x), theirs_mean, theirs_var,
                                               torch.tensor(weight), torch.tensor(bias),
                                               momentum=0.2)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(ours_mean, theirs_mean.numpy(), rtol=1e-5)
    np.testing.assert_allclose(ours_var, theirs_var.numpy(), rtol=1e-5)
    frozen = F.instance_norm(ndgrad.tensor(x), ours_mean, ours_var, use_input_stats=False)
    expected = torch.nn.functional.instance_norm(torch.tensor(x), theirs_mean, theirs_var,
                                                 use_input_stats=False)
    np.testing.assert_allclose(frozen.numpy(), expected.numpy(), rtol=1e-4, atol=1e-5)


def test_instance_norm_gradients_are_exact_to_second_order():
    x = np.random.default_rng(0).normal(size=(2, 3, 4))
    weight, bias = np.random.default_rng(1).normal(size=(2, 3))
    assert ndgrad.gradcheck(lambda t, w, b: F.instance_norm(t, weight=w, bias=b),
                            [x, weight, bias], second_order=True)


@pytest.mark.parametrize("size, shape", [(2, (2, 5, 4)), (3, (2, 6, 3, 3)), (5, (1, 7, 2, 2, 2)),
                                         (1, (2, 3, 4))])
def test_local_response_norm_matches_pytorch(size, shape):
    x = _data(shape) * 3
    _compare(nn.LocalResponseNorm(size, alpha=0.5, beta=0.6, k=2.0),
             torch.nn.LocalResponseNorm(size, alpha=0.5, beta=0.6, k=2.0), x)
    assert repr(nn.LocalResponseNorm(size)) == repr(torch.nn.LocalResponseNorm(size))
    assert ndgrad.gradcheck(lambda t: F.local_response_norm(t, size, 0.5, 0.6, 2.0),
                            [x.astype(np.float64)], second_order=True)


def test_local_response_norm_refuses_low_ranks():
    with pytest.raises(ndgrad.ShapeError, match="local_response_norm: expected a 3-D"):
        F.local_response_norm(ndgrad.ones((2, 3)), 2)


@pytest.mark.parametrize("normalized_shape, shape, eps", [(6, (3, 6), None),
                                                          ((4, 5), (2, 3, 4, 5), 1e-3),
                                                          ([5], (5,), 0.1)])
def test_rms_norm_matches_pytorch(normalized_shape, shape, eps):
    ours, theirs = nn.RMSNorm(normalized_shape, eps=eps), torch.nn.RMSNorm(normalized_shape,
                                                                             eps=eps)
    with torch.no_grad():
        theirs.weight.uniform_(0.5, 1.5)
    ours.load_state_dict(theirs.state_dict())
    _compare(ours, theirs, _data(shape) * 0.1)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert nn.RMSNorm(3, elementwise_affine=False).parameters() == []


def test_functional_rms_norm_and_its_checks():
    x = _data((2, 4))
    np.testing.assert_allclose(
        F.rms_norm(ndgrad.tensor(x), [4]).numpy(),
        torch.nn.functional.rms_norm(torch.tensor(x), [4]).numpy(), rtol=1e-5)
    assert ndgrad.gradcheck(lambda t, w: F.rms_norm(t, (4,), w, 1e-3),
                            [x.astype(np.float64), np.ones(4)], second_order=True)
    with pytest.raises(ndgrad.ShapeError, match="rms_norm: expected the input's last"):
        F.rms_norm(ndgrad.ones((2, 3)), 4)


def test_keras_rms_normalization():
    x = _data((2, 3, 4))
    layer = layers.RMSNormalization(axis=1)
    out = layer(ndgrad.tensor(x)).numpy()
    expected = x / np.sqrt((x ** 2).mean(axis=1, keepdims=True) + 1e-6)
    np.testing.assert_allclose(out, expected, rtol=1e-5)
    assert layer.scale.shape == (3,) and layer.get_config()["axis"] == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        restored = layers.RMSNormalization.from_config(layer.get_config())
    assert restored.axis == 1
