"""keras.ops convolution, pooling and attention against PyTorch (Keras layouts
transposed to PyTorch's) and finite differences."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import ndgrad
from ndgrad.keras import ops


def nchw(x):
    return torch.tensor(np.moveaxis(x, -1, 1))


@pytest.mark.parametrize("padding, strides, dilation", [("valid", 1, 1), ("same", 1, 2),
                                                        ("valid", 2, 1)])
def test_conv2d_matches_pytorch(padding, strides, dilation, rng):
    x = rng.normal(size=(2, 7, 7, 3)).astype(np.float32)
    kernel = rng.normal(size=(3, 3, 3, 4)).astype(np.float32)
    ours = ops.conv(x, kernel, strides=strides, padding=padding, dilation_rate=dilation)
    theirs = F.conv2d(nchw(x), torch.tensor(kernel.transpose(3, 2, 0, 1)), stride=strides,
                      padding=padding, dilation=dilation)
    np.testing.assert_allclose(ours.numpy(), np.moveaxis(theirs.numpy(), 1, -1), rtol=1e-4,
                               atol=1e-5)


def test_conv1d_depthwise_and_separable_match_pytorch(rng):
    x = rng.normal(size=(2, 9, 3)).astype(np.float32)
    kernel = rng.normal(size=(3, 3, 5)).astype(np.float32)
    theirs = F.conv1d(nchw(x), torch.tensor(kernel.transpose(2, 1, 0)))
    np.testing.assert_allclose(ops.conv(x, kernel).numpy(), np.moveaxis(theirs.numpy(), 1, -1),
                               rtol=1e-4, atol=1e-5)
    images = rng.normal(size=(1, 6, 6, 3)).astype(np.float32)
    depthwise = rng.normal(size=(3, 3, 3, 2)).astype(np.float32)
    torch_depthwise = torch.tensor(depthwise.reshape(3, 3, 1, 6).transpose(3, 2, 0, 1))
    theirs = F.conv2d(nchw(images), torch_depthwise, groups=3)
    ours = ops.depthwise_conv(images, depthwise)
    np.testing.assert_allclose(ours.numpy(), np.moveaxis(theirs.numpy(), 1, -1), rtol=1e-4,
                               atol=1e-5)
    pointwise = rng.normal(size=(1, 1, 6, 4)).astype(np.float32)
    theirs = F.conv2d(theirs, torch.tensor(pointwise.transpose(3, 2, 0, 1)))
    ours = ops.separable_conv(images, depthwise, pointwise)
    np.testing.assert_allclose(ours.numpy(), np.moveaxis(theirs.numpy(), 1, -1), rtol=1e-4,
                               atol=1e-5)


@pytest.mark.parametrize("padding, strides", [("valid", 2), ("same", 2), ("same", 1)])
def test_conv_transpose_matches_pytorch_and_the_layer(padding, strides, rng):
    x = rng.normal(size=(2, 4, 4, 3)).astype(np.float32)
    kernel = rng.normal(size=(3, 3, 5, 3)).astype(np.float32)      # (kh, kw, out, in)
    ours = ops.conv_transpose(x, kernel, strides=strides, padding=padding)
    layer = ndgrad.layers.Conv2DTranspose(5, 3, strides=strides, padding=padding,
                                          use_bias=False)
    layer(ndgrad.tensor(x))
    layer.kernel.assign(kernel)
    np.testing.assert_allclose(ours.numpy(), layer(ndgrad.tensor(x)).numpy(), rtol=1e-5,
                               atol=1e-6)
    if padding == "valid":
        theirs = F.conv_transpose2d(nchw(x), torch.tensor(kernel.transpose(3, 2, 0, 1)),
                                    stride=strides)
        np.testing.assert_allclose(ours.numpy(), np.moveaxis(theirs.numpy(), 1, -1), rtol=1e-4,
                                   atol=1e-5)


def test_pooling_matches_pytorch(rng):
    x = rng.normal(size=(2, 6, 6, 3)).astype(np.float32)
    np.testing.assert_allclose(ops.max_pool(x, 2).numpy(),
                               np.moveaxis(F.max_pool2d(nchw(x), 2).numpy(), 1, -1))
    np.testing.assert_allclose(ops.average_pool(x, (3, 3), strides=(1, 2)).numpy(),
                               np.moveaxis(F.avg_pool2d(nchw(x), 3, (1, 2)).numpy(), 1, -1),
                               rtol=1e-5)
    assert ops.max_pool(x, 4, padding="same").shape == (2, 2, 2, 3)
    np.testing.assert_allclose(ops.adaptive_average_pool(x, (2, 3)).numpy(),
                               np.moveaxis(F.adaptive_avg_pool2d(nchw(x), (2, 3)).numpy(), 1,
                                           -1), rtol=1e-5)
    channels_first = ops.max_pool(np.moveaxis(x, -1, 1), 2, data_format="channels_first")
    np.testing.assert_allclose(channels_first.numpy(), F.max_pool2d(nchw(x), 2).numpy())


def test_dot_product_attention_matches_pytorch(rng):
    q, k, v = (rng.normal(size=(2, 5, 3, 4)).astype(np.float32) for _ in range(3))
    mask = rng.random((2, 3, 5, 5)) > 0.3
    mask[..., 0] = True

    def torch_attention(**kwargs):
        out = F.scaled_dot_product_attention(*(torch.tensor(t).transpose(1, 2) for t in (q, k, v)),
                                             **kwargs)
        return out.transpose(1, 2).numpy()

    np.testing.assert_allclose(ops.dot_product_attention(q, k, v).numpy(), torch_attention(),
                               rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(ops.dot_product_attention(q, k, v, mask=mask).numpy(),
                               torch_attention(attn_mask=torch.tensor(mask)), rtol=1e-4,
                               atol=1e-5)
    np.testing.assert_allclose(ops.dot_product_attention(q, k, v, is_causal=True, scale=0.3)
                               .numpy(), torch_attention(is_causal=True, scale=0.3), rtol=1e-4,
                               atol=1e-5)
    bias = rng.normal(size=(1, 3, 5, 5)).astype(np.float32)
    np.testing.assert_allclose(ops.dot_product_attention(q, k, v, bias=bias).numpy(),
                               torch_attention(attn_mask=torch.tensor(bias)), rtol=1e-4,
                               atol=1e-5)


def test_gradients_match_finite_differences(rng):
    x = ndgrad.tensor(rng.normal(size=(1, 5, 5, 2)), dtype="float64")
    kernel = ndgrad.tensor(rng.normal(size=(3, 3, 2, 2)), dtype="float64")
    assert ndgrad.gradcheck(lambda a, w: ops.conv(a, w, padding="same"), [x, kernel])
    assert ndgrad.gradcheck(lambda a: ops.average_pool(a, 2), [x])
    assert ndgrad.gradcheck(lambda a, w: ops.conv_transpose(a, w, strides=2, padding="same"),
                            [x, kernel])
    q = ndgrad.tensor(rng.normal(size=(1, 3, 2, 2)), dtype="float64")
    assert ndgrad.gradcheck(lambda a, b: ops.dot_product_attention(a, b, b, is_causal=True),
                            [q, q * 0.5])


def test_refusals():
    with pytest.raises(ValueError, match="3-D convolution is not supported yet"):
        ops.conv(ndgrad.ones((1, 3, 3, 3, 1)), ndgrad.ones((1, 1, 1, 1, 1)))
    with pytest.raises(ValueError, match="padding must be 'valid' or 'same'"):
        ops.max_pool(ndgrad.ones((1, 4, 4, 1)), 2, padding="full")
