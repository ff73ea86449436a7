"""Keras's DepthwiseConv1D/2D and SeparableConv1D/2D: against PyTorch's grouped and 1x1
convolutions with the Keras kernels mapped across, forward and backward, float64 finite
differences, Keras's parameter counts, configs, symbolic calls and errors."""

import numpy as np
import pytest

import ndgrad
from ndgrad import layers

from .layer_gradients import assert_layer_gradients

torch = pytest.importorskip("torch")
F = torch.nn.functional


def _torch_depthwise(kernel):
    """Keras (*k, C, M) -> PyTorch (C * M, 1, *k): output channel c * M + m."""
    dims = kernel.ndim - 2
    flat = kernel.reshape(kernel.shape[:dims] + (-1,))
    return np.ascontiguousarray(np.moveaxis(flat, -1, 0)[:, None])


def _to_first(x):
    return np.ascontiguousarray(np.moveaxis(x, -1, 1))


def _torch_padding(padding, kernel, dilation):
    if padding == "valid":
        return 0
    return tuple((k - 1) * d // 2 for k, d in zip(kernel, dilation))   # odd kernels, stride 1


CASES = [  # (make, input shape, torch keyword arguments of the depthwise step)
    (lambda: layers.DepthwiseConv2D(3, depth_multiplier=2, bias_initializer="random_normal"),
     (2, 6, 7, 3), dict(stride=1, padding=0, dilation=1)),
    (lambda: layers.DepthwiseConv2D((3, 1), strides=2, activation="tanh"),
     (2, 7, 6, 4), dict(stride=2, padding=0, dilation=1)),
    (lambda: layers.DepthwiseConv2D(3, padding="same", dilation_rate=2, depth_multiplier=3),
     (1, 8, 8, 2), dict(stride=1, padding=(2, 2), dilation=2)),
    (lambda: layers.DepthwiseConv1D(3, depth_multiplier=2), (2, 9, 3),
     dict(stride=1, padding=0, dilation=1)),
    (lambda: layers.SeparableConv2D(5, 3, depth_multiplier=2, bias_initializer="random_normal"),
     (2, 6, 6, 3), dict(stride=1, padding=0, dilation=1)),
    (lambda: layers.SeparableConv2D(4, 3, strides=2, padding="valid", activation="relu"),
     (2, 7, 7, 3), dict(stride=2, padding=0, dilation=1)),
    (lambda: layers.SeparableConv1D(4, 5, padding="same"), (2, 9, 3),
     dict(stride=1, padding=2, dilation=1)),
]


def _reference(layer, x):
    """The same computation in PyTorch (channels first), differentiable in ``x``."""
    dims = x.ndim - 2
    conv = F.conv2d if dims == 2 else F.conv1d
    separable = hasattr(layer, "pointwise_kernel")
    depthwise = layer.depthwise_kernel if separable else layer.kernel
    channels = depthwise.shape[-2]
    weight = torch.tensor(_torch_depthwise(depthwise.numpy()), requires_grad=True)
    bias = None if layer.bias is None else torch.tensor(layer.bias.numpy(), requires_grad=True)
    x_first = x.permute(0, dims + 1, *range(1, dims + 1))
    out = conv(x_first, weight, None if separable else bias, groups=channels,
               **layer._torch_arguments)
    if separable:
        pointwise = layer.pointwise_kernel.numpy().reshape(layer.pointwise_kernel.shape[-2:])
        point = torch.tensor(np.ascontiguousarray(pointwise.T.reshape(
            pointwise.shape[1], -1, *(1,) * dims)), requires_grad=True)
        out = conv(out, point, bias)
        weights = [weight, point]
    else:
        weights = [weight]
    out = out.permute(0, *range(2, dims + 2), 1)
    activation = {"tanh": torch.tanh, "relu": torch.relu}.get(layer._activation_name)
    return (activation(out) if activation else out), weights + ([bias] if bias is not None
                                                              else [])


@pytest.mark.parametrize("index", range(len(CASES)))
def test_forward_and_gradients_match_pytorch(rng, index):
    make, shape, arguments = CASES[index]
    layer = make()
    layer._torch_arguments = arguments
    x = rng.normal(size=shape).astype(np.float32)
    ours_x = ndgrad.Variable(x)
    ours = layer(ours_x)
    theirs_x = torch.tensor(x, requires_grad=True)
    theirs, weights = _reference(layer, theirs_x)
    assert ours.shape == tuple(theirs.shape) and ours.dtype == np.float32
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-4, atol=1e-5)
    cotangent = rng.normal(size=ours.shape).astype(np.float32)
    (ours * ndgrad.tensor(cotangent)).sum().backward()
    (theirs * torch.tensor(cotangent)).sum().backward()
    np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), rtol=1e-4, atol=1e-5)
    depthwise = layer.depthwise_kernel if hasattr(layer, "depthwise_kernel") else layer.kernel
    np.testing.assert_allclose(_torch_depthwise(depthwise.grad.numpy()),
                               weights[0].grad.numpy(), rtol=1e-4, atol=1e-5)
    if layer.bias is not None:
        np.testing.assert_allclose(layer.bias.grad.numpy(), weights[-1].grad.numpy(),
                                   rtol=1e-4, atol=1e-5)


def test_channels_first_gives_the_channels_last_result_transposed(rng):
    x = rng.normal(size=(2, 6, 5, 3)).astype(np.float32)
    for make in (lambda **k: layers.DepthwiseConv2D(3, depth_multiplier=2, **k),
                 lambda **k: layers.SeparableConv2D(4, 3, padding="same", **k)):
        last, first = make(), make(data_format="channels_first")
        last(ndgrad.tensor(x))
        first(ndgrad.tensor(_to_first(x)))
        first.set_weights(last.get_weights())
        np.testing.assert_allclose(first(ndgrad.tensor(_to_first(x))).numpy(),
                                   _to_first(last(ndgrad.tensor(x)).numpy()), rtol=1e-5,
                                   atol=1e-6)


@pytest.mark.parametrize("make", [
    lambda: layers.DepthwiseConv2D(2, depth_multiplier=2, padding="same", dtype="float64"),
    lambda: layers.SeparableConv1D(3, 3, strides=2, activation="tanh", dtype="float64"),
], ids=["depthwise2d", "separable1d"])
def test_gradients_match_float64_finite_differences(rng, make):
    layer = make()
    x = rng.normal(size=(2, 5, 5, 3) if "Depthwise" in type(layer).__name__ else (2, 7, 3))
    layer(ndgrad.tensor(x))
    assert_layer_gradients(layer, x)


def test_keras_parameter_counts_names_configs_and_symbolic_shapes():
    ndgrad.nn.reset_names()
    depthwise = layers.DepthwiseConv2D(3, depth_multiplier=2)
    separable = layers.SeparableConv2D(16, 3, padding="same", use_bias=False)
    x = ndgrad.Input(shape=(None, None, 8))
    assert depthwise(x).shape == (None, None, None, 16)
    assert separable(x).shape == (None, None, None, 16)
    assert depthwise.count_params() == 3 * 3 * 8 * 2 + 16
    assert separable.count_params() == 3 * 3 * 8 + 8 * 16
    assert [v.name for v in separable.variables] == ["separable_conv2d/depthwise_kernel",
                                                     "separable_conv2d/pointwise_kernel"]
    config = separable.get_config()
    assert (config["filters"], config["kernel_size"], config["padding"]) == (16, (3, 3), "same")
    clone = layers.SeparableConv2D.from_config(config)
    assert clone.get_config() == config
    assert layers.SeparableConvolution1D is layers.SeparableConv1D


def test_regularizers_reach_the_keras_weights():
    layer = layers.DepthwiseConv2D(3, depthwise_regularizer="l2")
    layer(ndgrad.ones((1, 4, 4, 2)))
    assert len(layer.losses) == 1
    separable = layers.SeparableConv1D(2, 3, pointwise_regularizer="l1",
                                       depthwise_regularizer="l2")
    separable(ndgrad.ones((1, 5, 2)))
    assert len(separable.losses) == 2


def test_bad_arguments_are_refused_with_the_layer_named():
    with pytest.raises(ValueError, match="DepthwiseConv2D: depth_multiplier must be a positive"):
        layers.DepthwiseConv2D(3, depth_multiplier=0)
    with pytest.raises(ValueError, match="SeparableConv2D: filters must be a positive"):
        layers.SeparableConv2D(0, 3)
    with pytest.raises(ValueError, match="DepthwiseConv2D: padding must be one of"):
        layers.DepthwiseConv2D(3, padding="causal")
    with pytest.raises(ValueError, match=r"DepthwiseConv1D: expected a 3-D input \(N, L, C\)"):
        layers.DepthwiseConv1D(3)(ndgrad.ones((2, 5, 5, 3)))
    layer = layers.SeparableConv2D(2, 3)
    layer(ndgrad.ones((1, 5, 5, 3)))
    with pytest.raises(ValueError, match="SeparableConv2D.*with 3 channels"):
        layer(ndgrad.ones((1, 5, 5, 4)))
