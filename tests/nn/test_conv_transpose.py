"""nn.ConvTranspose1d / ConvTranspose2d and layers.Conv1DTranspose / Conv2DTranspose:
one primitive (the convolution's input gradient), each framework's signature,
layout and initialization, checked against PyTorch."""

import itertools
import math

import numpy as np
import pytest

import ndgrad
from ndgrad import layers, nn
from ndgrad.ops import _accelerated
from ndgrad.ops.convolution import conv2d
from ndgrad.ops.convolution_transpose import conv_transpose2d

torch = pytest.importorskip("torch")
F = torch.nn.functional


def _close(ours, theirs, rtol=1e-4, atol=1e-5):
    theirs = theirs.detach().numpy() if hasattr(theirs, "detach") else theirs
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol)


def _compare_with_torch(layer, reference, x, **call):
    layer.load_state_dict(reference.state_dict())
    ours_x = ndgrad.tensor(x, requires_grad=True)
    theirs_x = torch.tensor(x, requires_grad=True)
    ours, theirs = layer(ours_x, **call), reference(theirs_x, **call)
    assert ours.dtype == np.float32 and ours.shape == tuple(theirs.shape)
    _close(ours.numpy(), theirs)
    cotangent = np.random.default_rng(1).standard_normal(ours.shape).astype(np.float32)
    ours.backward(ndgrad.tensor(cotangent))
    theirs.backward(torch.tensor(cotangent))
    _close(ours_x.grad.numpy(), theirs_x.grad)
    for name, parameter in reference.named_parameters():
        _close(getattr(layer, name).grad.numpy(), parameter.grad)


# Every stride, padding, output_padding (below stride or dilation), dilation and groups
# combination of a small grid, as PyTorch's F.conv_transpose2d computes them.
GRID = [(k, s, p, q, d, g) for k, s, p, q, d, g in itertools.product(
    (1, 2, 3), (1, 2, 3), (0, 1, 2), (0, 1, 2), (1, 2), (1, 2)) if q < max(s, d)]


@pytest.mark.parametrize("kernel, stride, padding, output_padding, dilation, groups", GRID)
def test_functional_matches_pytorch_over_a_grid(kernel, stride, padding, output_padding,
                                                dilation, groups, rng):
    x = rng.standard_normal((2, 4, 4, 3))
    w = rng.standard_normal((4, 3, kernel, kernel))
    b = rng.standard_normal(3 * groups)
    args = (stride, padding, output_padding, groups, dilation)
    try:
        expected = F.conv_transpose2d(torch.tensor(x), torch.tensor(w), torch.tensor(b), *args)
    except RuntimeError:            # PyTorch: the output would be empty
        with pytest.raises(ndgrad.ShapeError, match="conv_transpose2d: the output would"):
            conv_transpose2d(x, w, b, *args)
        return
    np.testing.assert_allclose(conv_transpose2d(x, w, b, *args).numpy(), expected.numpy(),
                               rtol=1e-10, atol=1e-10)


CONFIGS_2D = [
    dict(in_channels=3, out_channels=4, kernel_size=3),
    dict(in_channels=64, out_channels=32, kernel_size=4, stride=2, padding=1),
    dict(in_channels=4, out_channels=6, kernel_size=(3, 2), stride=(2, 3), padding=(1, 0),
         output_padding=(1, 2), groups=2),
    dict(in_channels=2, out_channels=3, kernel_size=3, dilation=2, output_padding=1,
         bias=False),
    dict(in_channels=4, out_channels=8, kernel_size=3, groups=4, stride=2),
]


@pytest.mark.parametrize("config", CONFIGS_2D, ids=lambda c: ",".join(
    f"{k}={v}" for k, v in c.items() if k not in ("in_channels", "out_channels")))
def test_conv_transpose2d_matches_pytorch(config, rng):
    x = rng.standard_normal((2, config["in_channels"], 5, 4)).astype(np.float32)
    _compare_with_torch(nn.ConvTranspose2d(**config),
                        torch.nn.ConvTranspose2d(**config, dtype=torch.float32), x)


@pytest.mark.parametrize("config", [
    dict(in_channels=3, out_channels=4, kernel_size=3),
    dict(in_channels=4, out_channels=4, kernel_size=4, stride=2, padding=1, groups=2),
    dict(in_channels=2, out_channels=3, kernel_size=3, stride=3, padding=2, output_padding=2,
         dilation=2, bias=False),
])
def test_conv_transpose1d_matches_pytorch(config, rng):
    x = rng.standard_normal((3, config["in_channels"], 7)).astype(np.float32)
    _compare_with_torch(nn.ConvTranspose1d(**config),
                        torch.nn.ConvTranspose1d(**config, dtype=torch.float32), x)


@pytest.mark.parametrize("output_size", [(10, 9), (9, 10), [2, 3, 10, 10]])
def test_output_size_picks_the_output_padding_as_pytorch(output_size, rng):
    x = rng.standard_normal((2, 3, 5, 5)).astype(np.float32)
    config = dict(in_channels=3, out_channels=3, kernel_size=3, stride=2, padding=1)
    _compare_with_torch(nn.ConvTranspose2d(**config),
                        torch.nn.ConvTranspose2d(**config, dtype=torch.float32), x,
                        output_size=output_size)


def test_unbatched_input_and_initialization_as_pytorch(rng):
    ours, theirs = nn.ConvTranspose2d(6, 8, (3, 5), groups=2), torch.nn.ConvTranspose2d(
        6, 8, (3, 5), groups=2)
    assert [(n, p.shape) for n, p in ours.named_parameters()] == \
           [(n, tuple(p.shape)) for n, p in theirs.named_parameters()]
    bound = 1 / math.sqrt(4 * 3 * 5)          # fan-in: out/groups * kernel, as PyTorch
    assert bound * 0.8 < np.abs(ours.weight.numpy()).max() <= bound
    assert np.abs(ours.bias.numpy()).max() <= bound
    ours.load_state_dict(theirs.state_dict())
    x = rng.standard_normal((6, 4, 4)).astype(np.float32)
    _close(ours(x).numpy(), theirs(torch.tensor(x)))


def test_second_order_gradient_penalty_matches_pytorch(rng):
    reference = torch.nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=1,
                                         dtype=torch.float32)
    layer = nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=1)
    layer.load_state_dict(reference.state_dict())
    x = rng.standard_normal((2, 2, 4, 4)).astype(np.float32)
    grad_x = ndgrad.grad(lambda t: (layer(t) ** 2).sum())(ndgrad.tensor(x, requires_grad=True))
    (grad_x ** 2).sum().backward()
    theirs_x = torch.tensor(x, requires_grad=True)
    (theirs_grad,) = torch.autograd.grad((reference(theirs_x) ** 2).sum(), theirs_x,
                                         create_graph=True)
    (theirs_grad ** 2).sum().backward()
    _close(layer.weight.grad.numpy(), reference.weight.grad, rtol=1e-3)


def test_gradients_match_finite_differences_to_second_order(rng):
    x, w, b = (ndgrad.tensor(rng.standard_normal(s)) for s in ((2, 4, 3, 3), (4, 3, 3, 2), (6,)))
    for kwargs in (dict(stride=2, padding=1, output_padding=1, groups=2),
                   dict(stride=1, output_padding=1, dilation=2, groups=2),
                   dict(stride=(1, 2), padding=(0, 1), dilation=(2, 1), groups=2)):
        assert ndgrad.gradcheck(lambda *t: conv_transpose2d(*t, **kwargs), [x, w, b],
                                second_order=True)


def test_is_the_adjoint_of_the_convolution(rng):
    """<conv_transpose(g, w), x> == <g, conv(x, w)>: Keras's 'same' transposed convolution
    is the adjoint of TensorFlow's 'same' convolution of a size * stride input."""
    x = rng.standard_normal((2, 3, 10, 8))
    w = rng.standard_normal((4, 3, 3, 4))
    y = conv2d(x, w, stride=2, padding="same")
    g = rng.standard_normal(y.shape)
    back = conv_transpose2d(g, w, stride=2, padding="same")      # Keras's output: 2 * size
    assert back.shape == (2, 3, 10, 8)
    np.testing.assert_allclose(np.sum(back.numpy() * x), np.sum(g * y.numpy()))


def test_numpy_and_compiled_paths_agree(rng):
    x = rng.standard_normal((2, 16, 5, 5)).astype(np.float32)
    w = rng.standard_normal((16, 8, 4, 4)).astype(np.float32)
    results = []
    for enabled in (False, True):
        previous = _accelerated.set_enabled(enabled)
        try:
            xt, wt = ndgrad.tensor(x, requires_grad=True), ndgrad.tensor(w, requires_grad=True)
            out = conv_transpose2d(xt, wt, stride=2, padding=1)
            (out ** 2).sum().backward()
            results.append([out.numpy().copy(), xt.grad.numpy(), wt.grad.numpy()])
        finally:
            _accelerated.set_enabled(previous)
    for numpy_result, compiled_result in zip(*results):
        np.testing.assert_allclose(numpy_result, compiled_result, rtol=1e-5, atol=1e-5)


def test_argument_and_input_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"ConvTranspose2d: output_padding \(2, 2\) must be "
                                         r"smaller than the stride \(2, 2\) or the dilation"):
        nn.ConvTranspose2d(1, 1, 3, stride=2, output_padding=2)
    with pytest.raises(ValueError, match="ConvTranspose2d: only padding_mode='zeros'"):
        nn.ConvTranspose2d(1, 1, 3, padding_mode="reflect")
    with pytest.raises(ValueError, match="ConvTranspose1d: padding must be an int"):
        nn.ConvTranspose1d(1, 1, 3, padding="same")
    with pytest.raises(ValueError, match=r"ConvTranspose2d: in_channels \(3\).*groups \(2\)"):
        nn.ConvTranspose2d(3, 4, 3, groups=2)
    layer = nn.ConvTranspose2d(3, 4, 3, stride=2)
    with pytest.raises(ndgrad.ShapeError, match=r"ConvTranspose2d: expected 3 input channels"):
        layer(ndgrad.ones((2, 5, 4, 4)))
    with pytest.raises(ValueError, match=r"ConvTranspose2d: requested output_size \(12, 9\), "
                                         r"but .* range from \(9, 9\) to \(10, 10\)"):
        layer(ndgrad.ones((1, 3, 4, 4)), output_size=(12, 9))
    with pytest.raises(ndgrad.ShapeError, match=r"conv_transpose2d: the input has 2 channels"):
        conv_transpose2d(ndgrad.ones((1, 2, 3, 3)), ndgrad.ones((3, 1, 2, 2)))
    with pytest.raises(ndgrad.ShapeError, match=r"ConvTranspose2d: the output would have size"):
        nn.ConvTranspose2d(1, 1, 2, padding=1)(ndgrad.ones((1, 1, 1, 1)))
    with pytest.raises(ndgrad.ShapeError, match=r"conv_transpose2d: the output would have size"):
        conv_transpose2d(ndgrad.ones((1, 1, 1, 1)), ndgrad.ones((1, 1, 2, 2)), padding=1)


# ------------------------------------------------------------------ Keras face
def _keras_through_torch(x, kernel, bias, strides, padding, output_padding=None):
    """Keras's rule via PyTorch: the uncropped NCHW output, then Keras's crops ('same'
    keeps size * stride positions, the extra one of an odd crop at the end; zeros
    appended where the kernel is shorter than the stride), then the bias."""
    out = F.conv_transpose2d(x.permute(0, 3, 1, 2), kernel.permute(3, 2, 0, 1),
                             stride=strides)
    crops = []
    for size, k, s in zip(x.shape[1:3], kernel.shape[:2], strides):
        if padding == "valid":
            crops.append((0, -(max(k, s) - k)))
        else:
            total = (size - 1) * s + k - size * s
            crops.append((total // 2 if total > 0 else 0, total - total // 2 if total > 0
                          else total))
    (top, bottom), (left, right) = crops
    out = F.pad(out, (-left, -right, -top, -bottom)).permute(0, 2, 3, 1)
    return out if bias is None else out + bias      # on appended positions too


@pytest.mark.parametrize("config", [
    dict(filters=4, kernel_size=3),
    dict(filters=4, kernel_size=3, strides=2, padding="same"),
    dict(filters=3, kernel_size=4, strides=2, padding="same"),
    dict(filters=3, kernel_size=(2, 5), strides=(3, 2), padding="same"),
    dict(filters=2, kernel_size=2, strides=3, padding="valid", use_bias=False),
], ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_keras_conv2d_transpose_matches_pytorch(config, rng):
    layer = layers.Conv2DTranspose(**config, bias_initializer="glorot_uniform")
    x = rng.standard_normal((2, 5, 4, 3)).astype(np.float32)
    ours_x = ndgrad.tensor(x, requires_grad=True)
    ours = layer(ours_x)
    assert layer.kernel.shape == layer.kernel_size + (layer.filters, 3)
    kernel = torch.tensor(layer.kernel.numpy(), requires_grad=True)
    bias = torch.tensor(layer.bias.numpy(), requires_grad=True) if layer.use_bias else None
    theirs_x = torch.tensor(x, requires_grad=True)
    theirs = _keras_through_torch(theirs_x, kernel, bias, layer.strides, layer.padding)
    if layer.padding == "same":
        assert ours.shape[1:3] == (5 * layer.strides[0], 4 * layer.strides[1])
    _close(ours.numpy(), theirs)
    cotangent = rng.standard_normal(ours.shape).astype(np.float32)
    ours.backward(ndgrad.tensor(cotangent))
    theirs.backward(torch.tensor(cotangent))
    _close(ours_x.grad.numpy(), theirs_x.grad)
    _close(layer.kernel.grad.numpy(), kernel.grad)


def test_keras_output_padding_and_channels_first():
    layer = layers.Conv2DTranspose(2, 3, strides=2, padding="same", output_padding=1,
                                   data_format="channels_first")
    assert layer(ndgrad.ones((1, 3, 4, 4))).shape == (1, 2, 8, 8)   # (4-1)*2 + 3 - 2 + 1
    valid = layers.Conv2DTranspose(2, 3, strides=2, output_padding=(0, 1))
    assert valid(ndgrad.ones((1, 4, 4, 3))).shape == (1, 9, 10, 2)
    one_d = layers.Conv1DTranspose(5, 4, strides=2, padding="same", activation="relu")
    out = one_d(ndgrad.ones((2, 6, 3)))
    assert out.shape == (2, 12, 5) and one_d.kernel.shape == (4, 5, 3)
    assert out.numpy().min() >= 0
    config = layer.get_config()
    assert config["output_padding"] == (1, 1) and "groups" not in config


def test_keras_argument_errors_name_the_layer():
    with pytest.raises(ValueError, match="Conv2DTranspose: output_padding"):
        layers.Conv2DTranspose(2, 3, strides=2, output_padding=2)
    with pytest.raises(ValueError, match="Conv1DTranspose: padding must be 'valid' or 'same'"):
        layers.Conv1DTranspose(2, 3, padding="causal")
    with pytest.raises(TypeError, match="Conv2DTranspose: .* take no groups"):
        layers.Conv2DTranspose(2, 3, groups=2)
    layer = layers.Conv2DTranspose(2, 3)
    layer(ndgrad.ones((1, 4, 4, 3)))
    with pytest.raises(ndgrad.ShapeError, match="Conv2DTranspose: expected 3 input channels"):
        layer(ndgrad.ones((1, 4, 4, 5)))
