"""Max pooling with indices, adaptive max pooling, max unpooling, 3-D pooling and LP
pooling against PyTorch (values, indices, input gradients), float64 gradient
checks, reprs, and Keras's 3-D pooling layers."""

import numpy as np
import pytest

import ndgrad
import ndgrad.nn.functional as F
from ndgrad import layers, nn

torch = pytest.importorskip("torch")
TF = torch.nn.functional


def _data(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype(np.float32)


def _both(ours_fn, theirs_fn, x, seed=1):
    """Outputs of both functions on ``x`` and the input gradients for one cotangent;
    a tuple output compares its second entry (indices) exactly."""
    ours_x, theirs_x = ndgrad.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ours, theirs = ours_fn(ours_x), theirs_fn(theirs_x)
    if isinstance(theirs, tuple):
        np.testing.assert_array_equal(ours[1].numpy(), theirs[1].numpy())
        assert ours[1].dtype == np.int64
        ours, theirs = ours[0], theirs[0]
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-5, atol=1e-6)
    cotangent = _data(ours.shape, seed)
    ours.backward(ndgrad.tensor(cotangent))
    theirs.backward(torch.tensor(cotangent))
    np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("shape, args", [
    ((2, 3, 6, 7), dict(kernel_size=2)),
    ((2, 3, 7, 7), dict(kernel_size=3, stride=2, padding=1)),
    ((1, 2, 9, 8), dict(kernel_size=(3, 2), stride=(2, 1), dilation=(2, 1), ceil_mode=True)),
    ((3, 5, 6), dict(kernel_size=2, stride=1)),
])
def test_max_pool2d_indices_match_pytorch(shape, args):
    _both(lambda x: F.max_pool2d(x, return_indices=True, **args),
          lambda x: TF.max_pool2d(x, return_indices=True, **args), _data(shape))


@pytest.mark.parametrize("shape, args", [((2, 3, 9), dict(kernel_size=3, stride=2, padding=1)),
                                         ((3, 8), dict(kernel_size=2, ceil_mode=True)),
                                         ((1, 2, 10), dict(kernel_size=2, dilation=3))])
def test_max_pool1d_indices_match_pytorch(shape, args):
    _both(lambda x: F.max_pool1d(x, return_indices=True, **args),
          lambda x: TF.max_pool1d(x, return_indices=True, **args), _data(shape))
    ours, theirs = nn.MaxPool1d(return_indices=True, **args), torch.nn.MaxPool1d(
        return_indices=True, **args)
    assert repr(ours) == repr(theirs)
    _both(ours, theirs, _data(shape, 3))


@pytest.mark.parametrize("dims, shape, size", [(2, (2, 3, 7, 5), (3, 2)), (2, (2, 3, 8, 8), 4),
                                               (2, (3, 5, 9), (None, 4)), (2, (1, 2, 3, 4), 5),
                                               (1, (2, 3, 10), 3), (1, (4, 7), 7)])
def test_adaptive_max_pool_matches_pytorch(dims, shape, size):
    ours_fn, theirs_fn = getattr(F, f"adaptive_max_pool{dims}d"), getattr(
        TF, f"adaptive_max_pool{dims}d")
    _both(lambda x: ours_fn(x, size, return_indices=True),
          lambda x: theirs_fn(x, size, return_indices=True), _data(shape))
    _both(lambda x: ours_fn(x, size), lambda x: theirs_fn(x, size), _data(shape, 2))
    layer, reference = getattr(nn, f"AdaptiveMaxPool{dims}d")(size), getattr(
        torch.nn, f"AdaptiveMaxPool{dims}d")(size)
    assert repr(layer) == repr(reference)


@pytest.mark.parametrize("dims, shape, args, output_size", [
    (2, (2, 3, 6, 6), dict(kernel_size=2), None),
    (2, (2, 3, 7, 7), dict(kernel_size=2), (7, 7)),
    (2, (1, 2, 7, 6), dict(kernel_size=3, stride=2, padding=1), (7, 6)),
    (2, (3, 5, 5), dict(kernel_size=3, stride=1), None),                   # overlapping
    (1, (2, 3, 9), dict(kernel_size=3, stride=2), (2, 3, 9)),
])
def test_max_unpool_matches_pytorch(dims, shape, args, output_size):
    x = _data(shape)
    pool = getattr(TF, f"max_pool{dims}d")
    _, indices = pool(torch.tensor(x), return_indices=True, **args)
    pooled = pool(torch.tensor(x), **args).numpy()
    ours_fn, theirs_fn = getattr(F, f"max_unpool{dims}d"), getattr(TF, f"max_unpool{dims}d")
    ours_indices = ndgrad.tensor(indices.numpy())
    _both(lambda p: ours_fn(p, ours_indices, output_size=output_size, **args),
          lambda p: theirs_fn(p, indices, output_size=output_size, **args), pooled)
    layer = getattr(nn, f"MaxUnpool{dims}d")(**args)
    assert repr(layer) == repr(getattr(torch.nn, f"MaxUnpool{dims}d")(**args))


def test_max_unpool_checks_its_arguments():
    out, indices = F.max_pool2d(ndgrad.random.normal((1, 1, 4, 4)), 2, return_indices=True)
    with pytest.raises(ValueError, match=r"invalid output_size \(9, 9\)"):
        F.max_unpool2d(out, indices, 2, output_size=(9, 9))
    with pytest.raises(IndexError, match="invalid max index 20"):
        F.max_unpool2d(out, ndgrad.tensor(np.full((1, 1, 2, 2), 20)), 2, output_size=(4, 5))
    with pytest.raises(ndgrad.ShapeError, match="indices must have the input's shape"):
        F.max_unpool2d(out, indices[0], 2)


@pytest.mark.parametrize("shape, args", [
    ((2, 3, 4, 6, 6), dict(kernel_size=2)),
    ((1, 2, 5, 7, 6), dict(kernel_size=3, stride=2, padding=1)),
    ((1, 2, 7, 5, 6), dict(kernel_size=(3, 2, 2), stride=(2, 1, 2), dilation=(2, 1, 1),
                           ceil_mode=True)),
    ((2, 5, 5, 5), dict(kernel_size=(2, 3, 1), padding=(1, 1, 0))),
])
def test_max_pool3d_matches_pytorch(shape, args):
    _both(lambda x: F.max_pool3d(x, **args), lambda x: TF.max_pool3d(x, **args), _data(shape))
    assert repr(nn.MaxPool3d(**args)) == repr(torch.nn.MaxPool3d(**args))


@pytest.mark.parametrize("shape, args", [
    ((2, 3, 4, 6, 6), dict(kernel_size=2)),
    ((1, 2, 5, 7, 6), dict(kernel_size=3, stride=2, padding=1)),
    ((1, 2, 5, 7, 6), dict(kernel_size=3, stride=2, padding=1, count_include_pad=False)),
    ((1, 2, 6, 5, 7), dict(kernel_size=(2, 3, 2), stride=2, padding=1, ceil_mode=True)),
    ((1, 2, 6, 5, 7), dict(kernel_size=(2, 3, 2), stride=2, padding=1, ceil_mode=True,
                           count_include_pad=False)),
    ((2, 4, 4, 4), dict(kernel_size=2, divisor_override=3)),
])
def test_avg_pool3d_matches_pytorch(shape, args):
    _both(lambda x: F.avg_pool3d(x, **args), lambda x: TF.avg_pool3d(x, **args), _data(shape))
    assert repr(nn.AvgPool3d(**args)) == repr(torch.nn.AvgPool3d(**args))


@pytest.mark.parametrize("shape, size", [((2, 3, 5, 7, 4), (2, 3, 2)), ((2, 4, 4, 4), 2),
                                         ((1, 2, 3, 4, 5), (None, 1, 3))])
def test_adaptive_avg_pool3d_matches_pytorch(shape, size):
    _both(lambda x: F.adaptive_avg_pool3d(x, size), lambda x: TF.adaptive_avg_pool3d(x, size),
          _data(shape))
    assert repr(nn.AdaptiveAvgPool3d(size)) == repr(torch.nn.AdaptiveAvgPool3d(size))


@pytest.mark.parametrize("dims, shape, norm, args", [
    (1, (2, 3, 9), 2, dict(kernel_size=3, stride=2)),
    (1, (2, 3, 8), 1.5, dict(kernel_size=2, ceil_mode=True)),
    (2, (2, 3, 6, 7), 2, dict(kernel_size=2)),
    (2, (2, 3, 6, 7), 3, dict(kernel_size=(2, 3), stride=1)),
    (2, (2, 3, 6, 6), float("inf"), dict(kernel_size=2)),
    (3, (1, 2, 4, 4, 6), 2, dict(kernel_size=2)),
])
def test_lp_pool_matches_pytorch(dims, shape, norm, args):
    x = np.abs(_data(shape)) + 0.1
    ours_fn, theirs_fn = getattr(F, f"lp_pool{dims}d"), getattr(TF, f"lp_pool{dims}d")
    _both(lambda t: ours_fn(t, norm, **args), lambda t: theirs_fn(t, norm, **args), x)
    layer, reference = (getattr(nn, f"LPPool{dims}d")(norm, **args),
                        getattr(torch.nn, f"LPPool{dims}d")(norm, **args))
    assert repr(layer) == repr(reference)
    _both(layer, reference, _data(shape, 4) if norm == 2 else x)


def test_lp_pool_gradient_of_an_all_zero_window_is_zero_as_pytorch():
    x = np.zeros((1, 1, 4), np.float32)
    x[0, 0, 2:] = [1.0, 2.0]
    _both(lambda t: F.lp_pool1d(t, 2, 2), lambda t: TF.lp_pool1d(t, 2, 2), x)


@pytest.mark.parametrize("function", [
    lambda x: F.max_pool2d(x, 3, 2, 1, return_indices=True)[0],
    lambda x: F.adaptive_max_pool2d(x, (2, 3)),
    lambda x: F.adaptive_max_pool1d(x.reshape(2, 3, -1), 4),
    lambda x: F.max_pool3d(x.reshape(2, 3, 2, 3, 4), (2, 2, 3), padding=(1, 0, 1)),
    lambda x: F.avg_pool3d(x.reshape(2, 3, 2, 3, 4), 2, padding=1, count_include_pad=False),
    lambda x: F.adaptive_avg_pool3d(x.reshape(2, 3, 2, 3, 4), (1, 2, 3)),
    lambda x: F.lp_pool2d(x * x + 0.5, 2, 2),
    lambda x: F.max_unpool2d(x, ndgrad.tensor(np.arange(2 * 3 * 6 * 4).reshape(2, 3, 6, 4) % 24),
                             2, output_size=(12, 8)),
])
def test_gradients_are_exact(function):
    x = np.random.default_rng(0).normal(size=(2, 3, 6, 4))
    assert ndgrad.gradcheck(function, [x], second_order=True)


def test_keras_3d_pooling_layers():
    x = _data((2, 5, 6, 4, 3))
    channels_first = torch.tensor(x).permute(0, 4, 1, 2, 3)
    out = layers.MaxPooling3D(2)(ndgrad.tensor(x)).numpy()
    expected = TF.max_pool3d(channels_first, 2).permute(0, 2, 3, 4, 1).numpy()
    np.testing.assert_allclose(out, expected, rtol=1e-6)
    same = layers.AveragePooling3D(2, padding="same")(ndgrad.tensor(x))
    assert same.shape == (2, 3, 3, 2, 3)
    assert layers.AveragePooling3D(2, padding="same")(ndgrad.ones((1, 3, 3, 3, 1))).numpy().min() \
        == 1.0                                      # "same" divides by the real cells
    np.testing.assert_allclose(layers.GlobalAveragePooling3D()(ndgrad.tensor(x)).numpy(),
                               x.mean(axis=(1, 2, 3)), rtol=1e-5)
    np.testing.assert_allclose(layers.GlobalMaxPooling3D()(ndgrad.tensor(x)).numpy(),
                               x.max(axis=(1, 2, 3)))
    assert layers.MaxPooling3D(2).get_config()["pool_size"] == (2, 2, 2)
