"""Keras's UpSampling3D: against PyTorch's nearest interpolation of volumes forward and
backward, both data formats, float64 finite differences, config, symbolic shape, errors."""

import numpy as np
import pytest

import ndgrad
from ndgrad import layers

from .layer_gradients import assert_layer_gradients

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_matches_pytorch_nearest_interpolation(rng, data_format):
    layer = layers.UpSampling3D((2, 1, 3), data_format=data_format)
    x = rng.normal(size=(2, 3, 4, 2, 5)).astype(np.float32)
    ours_x = ndgrad.Variable(x)
    ours = layer(ours_x)
    theirs_x = torch.tensor(x, requires_grad=True)
    first = theirs_x if data_format == "channels_first" else theirs_x.permute(0, 4, 1, 2, 3)
    theirs = torch.nn.functional.interpolate(first, scale_factor=(2, 1, 3), mode="nearest")
    if data_format == "channels_last":
        theirs = theirs.permute(0, 2, 3, 4, 1)
    np.testing.assert_array_equal(ours.numpy(), theirs.detach().numpy())
    cotangent = rng.normal(size=ours.shape).astype(np.float32)
    (ours * ndgrad.tensor(cotangent)).sum().backward()
    (theirs * torch.tensor(cotangent)).sum().backward()
    np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_gradients_config_symbolic_shape_and_errors(rng):
    layer = layers.UpSampling3D(2, dtype="float64")
    assert_layer_gradients(layer, rng.normal(size=(1, 2, 2, 2, 3)))
    config = layers.UpSampling3D(data_format="channels_first").get_config()
    assert (config["size"], config["data_format"]) == ((2, 2, 2), "channels_first")
    assert layers.UpSampling3D()(ndgrad.Input(shape=(None, 4, 5, 3))).shape == (
        None, None, 8, 10, 3)
    with pytest.raises(ValueError, match=r"UpSampling3D: expected a 5-D input \(N, D, H, W, C\)"):
        layers.UpSampling3D()(ndgrad.ones((1, 4, 4, 3)))
