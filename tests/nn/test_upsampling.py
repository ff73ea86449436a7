"""F.interpolate, nn.Upsample / UpsamplingNearest2d / UpsamplingBilinear2d and
layers.UpSampling1D / UpSampling2D, checked against PyTorch and the definitions."""

import itertools
import warnings

import numpy as np
import pytest

import ndgrad
from ndgrad import layers, nn
from ndgrad.nn.functional import interpolate, upsample, upsample_bilinear, upsample_nearest

torch = pytest.importorskip("torch")
F = torch.nn.functional

SHAPES = {"linear": (2, 3, 7), "bilinear": (2, 3, 5, 6), "trilinear": (1, 2, 3, 4, 5),
          "nearest": (2, 3, 5, 6), "nearest-exact": (2, 3, 5, 6)}
SPECS = [dict(size=13), dict(size=3), dict(size=1), dict(scale_factor=2),
         dict(scale_factor=1.7), dict(scale_factor=0.5), dict(scale_factor=3),
         dict(scale_factor=2.5, recompute_scale_factor=True)]
GRID = [(mode, spec, corners) for mode, spec in itertools.product(SHAPES, SPECS)
        for corners in ((None,) if mode.startswith("nearest") else (False, True))]


def _ids(value):
    return ",".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else str(value)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("mode, spec, align_corners", GRID, ids=_ids)
def test_interpolate_matches_pytorch(mode, spec, align_corners, dtype, rng):
    x = rng.standard_normal(SHAPES[mode]).astype(dtype)
    ours_x = ndgrad.tensor(x, requires_grad=True)
    theirs_x = torch.tensor(x, requires_grad=True)
    ours = interpolate(ours_x, mode=mode, align_corners=align_corners, **spec)
    theirs = F.interpolate(theirs_x, mode=mode, align_corners=align_corners, **spec)
    assert ours.shape == tuple(theirs.shape) and ours.dtype == dtype
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-5, atol=1e-6)
    cotangent = rng.standard_normal(ours.shape).astype(dtype)
    ours.backward(ndgrad.tensor(cotangent))
    theirs.backward(torch.tensor(cotangent))
    np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), rtol=1e-5,
                               atol=1e-5)


@pytest.mark.parametrize("mode", ["nearest", "bilinear", "nearest-exact"])
def test_per_axis_sizes_and_factors_match_pytorch(mode, rng):
    x = rng.standard_normal((2, 3, 5, 6)).astype(np.float32)
    for spec in (dict(size=(4, 11)), dict(scale_factor=(1.3, 1.7)), dict(scale_factor=(2, 0.5))):
        np.testing.assert_allclose(interpolate(x, mode=mode, **spec).numpy(),
                                   F.interpolate(torch.tensor(x), mode=mode, **spec).numpy(),
                                   rtol=1e-5, atol=1e-6)


def test_3d_nearest_with_an_unchanged_axis_follows_pytorch_forward(rng):
    """An axis whose size a factor leaves unchanged (3 * 1.3 -> 3) reads floor(j / 1.3)
    in 1-D and 3-D (PyTorch's forward). PyTorch's own backward there sends the gradient
    as if that axis were copied; ours is the gradient of the forward both compute."""
    x = rng.standard_normal((1, 1, 3, 2, 2))
    ours = interpolate(x, scale_factor=(1.3, 2.0, 1.0))
    np.testing.assert_array_equal(ours.numpy(), F.interpolate(
        torch.tensor(x), scale_factor=(1.3, 2.0, 1.0)).numpy())
    assert ndgrad.gradcheck(lambda t: interpolate(t, scale_factor=(1.3, 2.0, 1.0)),
                            [ndgrad.tensor(x)])


def test_gradients_match_finite_differences_to_second_order(rng):
    x = ndgrad.tensor(rng.standard_normal((2, 2, 4, 5)))
    for kwargs in (dict(size=(7, 3), mode="bilinear"),
                   dict(scale_factor=2, mode="bilinear", align_corners=True),
                   dict(size=(9, 10)), dict(size=(3, 7), mode="nearest-exact"),
                   dict(scale_factor=2)):
        assert ndgrad.gradcheck(lambda t: interpolate(t, **kwargs), [x], second_order=True)


def test_modules_and_deprecated_aliases_match_pytorch(rng):
    x = rng.standard_normal((2, 3, 4, 5)).astype(np.float32)
    pairs = [(nn.Upsample(scale_factor=2, mode="bilinear"),
              torch.nn.Upsample(scale_factor=2, mode="bilinear")),
             (nn.Upsample(size=(3, 9)), torch.nn.Upsample(size=(3, 9))),
             (nn.UpsamplingNearest2d(scale_factor=3), torch.nn.UpsamplingNearest2d(
                 scale_factor=3)),
             (nn.UpsamplingBilinear2d(size=(6, 6)), torch.nn.UpsamplingBilinear2d(
                 size=(6, 6)))]
    for ours, theirs in pairs:
        np.testing.assert_allclose(ours(x).numpy(), theirs(torch.tensor(x)).numpy(),
                                   rtol=1e-5, atol=1e-6)
        assert repr(ours) == repr(theirs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for ours, theirs in [(upsample(x, scale_factor=2), F.upsample(torch.tensor(x),
                                                                      scale_factor=2)),
                             (upsample_nearest(x, size=7), F.upsample_nearest(
                                 torch.tensor(x), size=7)),
                             (upsample_bilinear(x, scale_factor=2), F.upsample_bilinear(
                                 torch.tensor(x), scale_factor=2))]:
            np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5, atol=1e-6)


def test_bad_arguments_raise_clear_errors():
    x = ndgrad.ones((1, 2, 4, 4))
    with pytest.raises(ndgrad.ShapeError, match="interpolate: mode 'linear' needs a 3-D input"):
        interpolate(x, scale_factor=2, mode="linear")
    with pytest.raises(ValueError, match="interpolate: align_corners is for the linear modes"):
        interpolate(x, scale_factor=2, align_corners=True)
    with pytest.raises(ValueError, match="interpolate: give exactly one of size and scale"):
        interpolate(x)
    with pytest.raises(ValueError, match="interpolate: give exactly one of size and scale"):
        interpolate(x, size=3, scale_factor=2)
    with pytest.raises(NotImplementedError, match="interpolate: mode='bicubic' is not"):
        interpolate(x, scale_factor=2, mode="bicubic")
    with pytest.raises(ValueError, match=r"interpolate: size \(3, 3, 3\) must be one number "
                                         "or 2"):
        interpolate(x, size=(3, 3, 3))
    with pytest.raises(ndgrad.ShapeError, match=r"interpolate: the output size \(0, 0\)"):
        interpolate(x, scale_factor=0.1)
    with pytest.raises(ValueError, match="Upsample: give exactly one of size and scale_factor"):
        nn.Upsample()
    with pytest.raises(ValueError, match="Upsample: align_corners is for the linear modes"):
        nn.Upsample(scale_factor=2, align_corners=False)
    with pytest.raises(ndgrad.ShapeError, match="UpsamplingBilinear2d: mode 'bilinear' needs a "
                                                "4-D input"):
        nn.UpsamplingBilinear2d(scale_factor=2)(ndgrad.ones((1, 2, 3)))


# ------------------------------------------------------------------ Keras face
def test_keras_nearest_repeats_each_position(rng):
    x = rng.standard_normal((2, 3, 4, 5)).astype(np.float32)
    out = layers.UpSampling2D((2, 3))(ndgrad.tensor(x))
    np.testing.assert_array_equal(out.numpy(), x.repeat(2, axis=1).repeat(3, axis=2))
    first = layers.UpSampling2D(2, data_format="channels_first")(ndgrad.tensor(x))
    np.testing.assert_array_equal(first.numpy(), x.repeat(2, axis=2).repeat(2, axis=3))
    steps = layers.UpSampling1D(4)(ndgrad.tensor(x[:, 0]))
    np.testing.assert_array_equal(steps.numpy(), x[:, 0].repeat(4, axis=1))
    variable = ndgrad.Variable(x)
    layers.UpSampling2D(2)(variable).sum().backward()
    np.testing.assert_array_equal(variable.grad.numpy(), np.full(x.shape, 4.0, np.float32))


def test_keras_bilinear_samples_half_pixel_centres_as_pytorch(rng):
    x = rng.standard_normal((2, 3, 4, 5)).astype(np.float32)
    out = layers.UpSampling2D((2, 3), interpolation="bilinear")(ndgrad.tensor(x))
    expected = F.interpolate(torch.tensor(x).permute(0, 3, 1, 2), scale_factor=(2, 3),
                             mode="bilinear").permute(0, 2, 3, 1)
    np.testing.assert_allclose(out.numpy(), expected.numpy(), rtol=1e-5, atol=1e-6)


def test_keras_config_and_errors():
    layer = layers.UpSampling2D(3, interpolation="bilinear")
    assert layer.get_config()["size"] == (3, 3)
    assert layer.get_config()["interpolation"] == "bilinear"
    assert layers.UpSampling1D(2).get_config()["size"] == (2,)
    with pytest.raises(NotImplementedError, match="UpSampling2D: interpolation='lanczos3'"):
        layers.UpSampling2D(2, interpolation="lanczos3")
    with pytest.raises(ndgrad.ShapeError, match=r"UpSampling2D: expected a 4-D input "
                                                r"\(N, H, W, C\)"):
        layers.UpSampling2D(2)(ndgrad.ones((2, 3, 4)))
