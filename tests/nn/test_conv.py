"""nn.Conv1d / nn.Conv2d and layers.Conv1D / Conv2D: one implementation, each
framework's signature, layout and initialization, checked against PyTorch."""

import math

import numpy as np
import pytest

import ndgrad
from ndgrad import nn
from ndgrad.nn.conv import KERAS_EXPORTS

torch = pytest.importorskip("torch")
F = torch.nn.functional
# Modules are built with dtype=torch.float32: another test module may have changed
# PyTorch's default dtype in this process.

# PyTorch notes that it pads a copy for "same" with an even kernel; that is its business.
pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")

Conv2D = KERAS_EXPORTS["Conv2D"]
Conv1D = KERAS_EXPORTS["Conv1D"]


def _close(ours, theirs, rtol=1e-4, atol=1e-5):
    theirs = theirs.detach().numpy() if hasattr(theirs, "detach") else theirs
    assert ours.dtype == np.float32
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol)


def _compare_with_torch(layer, reference, x):
    """Same weights, same input: outputs and the gradients of the input and of
    every parameter agree with PyTorch's."""
    layer.load_state_dict(reference.state_dict())
    ours_x = ndgrad.tensor(x, requires_grad=True)
    theirs_x = torch.tensor(x, requires_grad=True)
    ours, theirs = layer(ours_x), reference(theirs_x)
    _close(ours.numpy(), theirs)
    cotangent = np.random.default_rng(1).standard_normal(ours.shape).astype(np.float32)
    ours.backward(ndgrad.tensor(cotangent))
    theirs.backward(torch.tensor(cotangent))
    _close(ours_x.grad.numpy(), theirs_x.grad)
    for name, parameter in reference.named_parameters():
        _close(getattr(layer, name).grad.numpy(), parameter.grad)


CONV2D_CONFIGS = [
    dict(in_channels=3, out_channels=4, kernel_size=3),
    dict(in_channels=3, out_channels=4, kernel_size=3, stride=2, padding=1),
    dict(in_channels=2, out_channels=4, kernel_size=(3, 2), dilation=2, padding=(2, 1)),
    dict(in_channels=4, out_channels=6, kernel_size=3, groups=2, padding=1, bias=False),
    dict(in_channels=4, out_channels=8, kernel_size=3, groups=4, stride=2),      # depthwise
    dict(in_channels=8, out_channels=5, kernel_size=3, padding=(2, 1), dilation=(2, 1)),
    dict(in_channels=3, out_channels=5, kernel_size=4, padding="same"),
    dict(in_channels=3, out_channels=5, kernel_size=2, padding="valid", stride=(1, 2)),
]


@pytest.mark.parametrize("config", CONV2D_CONFIGS, ids=lambda c: ",".join(
    f"{k}={v}" for k, v in c.items() if k not in ("in_channels", "out_channels")))
def test_conv2d_matches_pytorch(config, rng):
    x = rng.standard_normal((2, config["in_channels"], 9, 8)).astype(np.float32)
    _compare_with_torch(nn.Conv2d(**config), torch.nn.Conv2d(**config, dtype=torch.float32), x)


@pytest.mark.parametrize("config", [
    dict(in_channels=3, out_channels=4, kernel_size=3),
    dict(in_channels=4, out_channels=4, kernel_size=3, stride=2, padding=2, dilation=2, groups=2),
    dict(in_channels=2, out_channels=3, kernel_size=4, padding="same", bias=False),
])
def test_conv1d_matches_pytorch(config, rng):
    x = rng.standard_normal((3, config["in_channels"], 11)).astype(np.float32)
    _compare_with_torch(nn.Conv1d(**config), torch.nn.Conv1d(**config, dtype=torch.float32), x)


def test_unbatched_input_as_pytorch(rng):
    reference = torch.nn.Conv2d(2, 3, 3, padding=1, dtype=torch.float32)
    layer = nn.Conv2d(2, 3, 3, padding=1)
    layer.load_state_dict(reference.state_dict())
    x = rng.standard_normal((2, 5, 5)).astype(np.float32)
    _close(layer(x).numpy(), reference(torch.tensor(x)))


def test_initialization_shapes_and_counts_as_pytorch():
    for args, kwargs in [((3, 16, 3), {}), ((8, 8, (3, 5)), dict(groups=4)),
                         ((4, 6, 2), dict(bias=False))]:
        ours, theirs = nn.Conv2d(*args, **kwargs), torch.nn.Conv2d(*args, **kwargs)
        assert [(n, p.shape) for n, p in ours.named_parameters()] == \
               [(n, tuple(p.shape)) for n, p in theirs.named_parameters()]
        assert ours.count_params() == sum(p.numel() for p in theirs.parameters())
        fan_in = ours.weight.shape[1] * math.prod(ours.weight.shape[2:])
        bound = 1 / math.sqrt(fan_in)        # kaiming_uniform(a=sqrt(5)) is this bound
        assert ours.weight.dtype == np.float32
        assert np.abs(ours.weight.numpy()).max() <= bound
        assert np.abs(ours.weight.numpy()).max() > 0.8 * bound        # spread, not zeros
        if ours.bias is not None:
            assert np.abs(ours.bias.numpy()).max() <= bound
    assert nn.Conv1d(3, 4, 5).count_params() == sum(p.numel() for p in torch.nn.Conv1d(3, 4, 5)
                                                    .parameters())


def test_state_round_trip_gives_identical_outputs(rng):
    x = ndgrad.tensor(rng.standard_normal((2, 3, 6, 6)).astype(np.float32))
    first = nn.Conv2d(3, 4, 3, stride=2, padding=1)
    second = nn.Conv2d(3, 4, 3, stride=2, padding=1)
    second.load_state_dict(first.state_dict())
    np.testing.assert_array_equal(first(x).numpy(), second(x).numpy())


def test_one_sgd_step_lowers_the_loss(rng):
    x = ndgrad.tensor(rng.standard_normal((4, 2, 6, 6)).astype(np.float32))
    target = ndgrad.tensor(rng.standard_normal((4, 3, 6, 6)).astype(np.float32))
    for layer in (nn.Conv2d(2, 3, 3, padding=1), Conv2D(3, 3, padding="same",
                                                        data_format="channels_first")):
        layer(x)        # builds the Keras layer
        optimizer = ndgrad.optim.SGD(layer.parameters(), lr=0.05)
        first = ((layer(x) - target) ** 2).mean()
        first.backward()
        optimizer.step()
        assert ((layer(x) - target) ** 2).mean().item() < first.item()


def test_second_order_gradient_penalty_matches_pytorch(rng):
    """d/dw of ||dL/dx||^2 runs through the input-gradient primitive's own rule."""
    reference = torch.nn.Conv2d(2, 3, 3, stride=2, padding=1, dtype=torch.float32)
    layer = nn.Conv2d(2, 3, 3, stride=2, padding=1)
    layer.load_state_dict(reference.state_dict())
    x = rng.standard_normal((2, 2, 5, 5)).astype(np.float32)
    ours_x = ndgrad.tensor(x, requires_grad=True)
    grad_x = ndgrad.grad(lambda t: (layer(t) ** 2).sum())(ours_x)
    (grad_x ** 2).sum().backward()
    theirs_x = torch.tensor(x, requires_grad=True)
    (theirs_grad,) = torch.autograd.grad((reference(theirs_x) ** 2).sum(), theirs_x,
                                         create_graph=True)
    (theirs_grad ** 2).sum().backward()
    _close(layer.weight.grad.numpy(), reference.weight.grad, rtol=1e-3)


def test_argument_and_input_errors_name_the_layer():
    with pytest.raises(NotImplementedError, match="Conv2d: padding_mode='reflect'"):
        nn.Conv2d(1, 1, 3, padding_mode="reflect")
    with pytest.raises(ValueError, match="Conv2d: padding='same' is not supported for strided"):
        nn.Conv2d(1, 1, 3, stride=2, padding="same")
    with pytest.raises(ValueError, match=r"Conv2d: in_channels \(3\).*groups \(2\)"):
        nn.Conv2d(3, 4, 3, groups=2)
    layer = nn.Conv2d(3, 4, 3)
    with pytest.raises(ndgrad.ShapeError,
                       match=r"Conv2d: expected 3 input channels.*\(2, 5, 8, 8\)"):
        layer(ndgrad.ones((2, 5, 8, 8)))
    with pytest.raises(ndgrad.ShapeError, match=r"Conv2d: expected a 3 or 4-D input"):
        layer(ndgrad.ones((8, 8)))
    with pytest.raises(ndgrad.ShapeError, match=r"Conv1d: expected 2 input channels"):
        nn.Conv1d(2, 2, 3)(ndgrad.ones((1, 3, 9)))
    with pytest.raises(ndgrad.ShapeError, match=r"conv2d: the \(dilated\) window \(3, 3\)"):
        layer(ndgrad.ones((1, 3, 2, 2)))
    before = layer.weight.numpy().copy()
    with pytest.raises(ndgrad.ShapeError):
        layer(ndgrad.ones((2, 5, 8, 8)))
    np.testing.assert_array_equal(layer.weight.numpy(), before)


# ------------------------------------------------------------------ Keras face
def _tf_same(size, kernel, stride, dilation=1):
    total = max((math.ceil(size / stride) - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


def _torch_keras_conv2d(x, kernel, bias, strides, padding, dilation, groups):
    """The Keras convolution through PyTorch: NHWC -> NCHW, HWIO -> OIHW, TF padding."""
    x, w = x.permute(0, 3, 1, 2), kernel.permute(3, 2, 0, 1)
    if padding == "same":
        (top, bottom), (left, right) = [_tf_same(s, k, st, dilation) for s, k, st in
                                        zip(x.shape[2:], w.shape[2:], strides)]
        x = F.pad(x, (left, right, top, bottom))
    out = F.conv2d(x, w, bias, stride=strides, dilation=dilation, groups=groups)
    return out.permute(0, 2, 3, 1)


@pytest.mark.parametrize("config", [
    dict(filters=4, kernel_size=3),
    dict(filters=4, kernel_size=3, padding="same"),
    dict(filters=3, kernel_size=3, strides=2, padding="same"),
    dict(filters=3, kernel_size=(2, 3), strides=(2, 1), padding="same"),
    dict(filters=4, kernel_size=2, dilation_rate=2, padding="same"),
    dict(filters=6, kernel_size=3, groups=2, use_bias=False),
], ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_keras_conv2d_matches_pytorch_with_transposed_layouts(config, rng):
    layer = Conv2D(**config, bias_initializer="glorot_uniform")
    x = rng.standard_normal((2, 7, 8, 4)).astype(np.float32)
    ours_x = ndgrad.tensor(x, requires_grad=True)
    ours = layer(ours_x)
    kernel = torch.tensor(layer.kernel.numpy(), requires_grad=True)
    bias = torch.tensor(layer.bias.numpy(), requires_grad=True) if layer.use_bias else None
    theirs_x = torch.tensor(x, requires_grad=True)
    strides = layer.strides
    theirs = _torch_keras_conv2d(theirs_x, kernel, bias, strides, layer.padding,
                                 layer.dilation_rate[0], layer.groups)
    _close(ours.numpy(), theirs)
    cotangent = rng.standard_normal(ours.shape).astype(np.float32)
    ours.backward(ndgrad.tensor(cotangent))
    theirs.backward(torch.tensor(cotangent))
    _close(ours_x.grad.numpy(), theirs_x.grad)
    _close(layer.kernel.grad.numpy(), kernel.grad)
    if bias is not None:
        _close(layer.bias.grad.numpy(), bias.grad)


def test_keras_conv2d_builds_with_keras_names_shapes_and_counts():
    nn.reset_names()
    layer = Conv2D(8, 3, activation="relu")
    assert not layer.built and layer.variables == [] and layer.training is False
    out = layer(ndgrad.ones((2, 10, 10, 3)))
    assert out.shape == (2, 8, 8, 8) and out.dtype == np.float32 and float(out.min()) >= 0
    assert [(v.name, v.shape) for v in layer.variables] == [("conv2d/kernel", (3, 3, 3, 8)),
                                                            ("conv2d/bias", (8,))]
    assert layer.count_params() == 3 * 3 * 3 * 8 + 8          # Keras's documented count
    limit = math.sqrt(6 / (27 + 72))                            # glorot_uniform's bound
    assert np.abs(layer.kernel.numpy()).max() <= limit
    assert np.all(layer.bias.numpy() == 0)
    grouped = Conv2D(6, 3, groups=3, input_shape=(5, 5, 6))
    assert grouped.built and grouped.kernel.shape == (3, 3, 2, 6)
    assert grouped.count_params() == 3 * 3 * 2 * 6 + 6
    config = layer.get_config()
    assert config["filters"] == 8 and config["activation"] == "relu"
    assert config["padding"] == "valid" and config["data_format"] == "channels_last"


def test_keras_conv2d_channels_first_equals_channels_last(rng):
    x = rng.standard_normal((2, 6, 7, 3)).astype(np.float32)
    last = Conv2D(4, 3, strides=2, padding="same", input_shape=(6, 7, 3))
    first = Conv2D(4, 3, strides=2, padding="same", data_format="channels_first",
                   input_shape=(3, 6, 7))
    first.set_weights(last.get_weights())
    np.testing.assert_allclose(first(x.transpose(0, 3, 1, 2)).numpy(),
                               last(x).numpy().transpose(0, 3, 1, 2), rtol=1e-5, atol=1e-6)


def test_keras_conv2d_and_conv2d_are_one_implementation(rng):
    x = rng.standard_normal((2, 3, 6, 6)).astype(np.float32)
    keras_layer = Conv2D(5, 3, padding="same", data_format="channels_first",
                         input_shape=(3, 6, 6))
    torch_face = nn.Conv2d(3, 5, 3, padding="same")
    torch_face.weight.assign(keras_layer.kernel.numpy().transpose(3, 2, 0, 1))
    torch_face.bias.assign(keras_layer.bias.numpy())
    np.testing.assert_allclose(keras_layer(x).numpy(), torch_face(x).numpy(), rtol=1e-5,
                               atol=1e-6)


def test_keras_conv1d_causal_and_same_match_pytorch(rng):
    x = rng.standard_normal((2, 9, 3)).astype(np.float32)
    for padding, left_right in (("causal", (4, 0)), ("same", (2, 2)), ("valid", (0, 0))):
        layer = Conv1D(4, 3, padding=padding, dilation_rate=2)
        out = layer(x)
        kernel = torch.tensor(layer.kernel.numpy()).permute(2, 1, 0)
        theirs = F.conv1d(F.pad(torch.tensor(x).permute(0, 2, 1), left_right), kernel,
                          torch.tensor(layer.bias.numpy()), dilation=2).permute(0, 2, 1)
        _close(out.numpy(), theirs)
    assert Conv1D(4, 3, input_shape=(9, 3)).count_params() == 3 * 3 * 4 + 4


def test_keras_argument_and_input_errors():
    with pytest.raises(ValueError, match="Conv2D: padding must be one of"):
        Conv2D(2, 3, padding="causal")
    with pytest.raises(ValueError, match=r"Conv2D: filters \(5\) must be divisible by groups"):
        Conv2D(5, 3, groups=2)
    with pytest.raises(NotImplementedError, match="kernel_constraint is not supported yet"):
        Conv2D(2, 3, kernel_constraint="max_norm")
    with pytest.raises(ValueError, match=r"Conv2D: the input's channels \(3\).*groups \(2\)"):
        Conv2D(4, 3, groups=2)(ndgrad.ones((1, 5, 5, 3)))
    layer = Conv2D(2, 3, input_shape=(5, 5, 3))
    with pytest.raises(ndgrad.ShapeError,
                       match=r"Conv2D: expected 3 input channels \(N, H, W, C\)"):
        layer(ndgrad.ones((1, 5, 5, 4)))
    with pytest.raises(ValueError, match=r"Conv2D: expected a 4-D input"):
        Conv2D(2, 3)(ndgrad.ones((5, 5, 3)))


def test_keras_names_are_exported_by_the_layers_face():
    if not hasattr(ndgrad.layers, "Conv2D"):
        pytest.skip("ndgrad.layers does not export KERAS_EXPORTS yet")
    assert ndgrad.layers.Conv2D is Conv2D and ndgrad.layers.Conv1D is Conv1D


def test_functional_errors_name_the_function_and_shapes():
    from ndgrad.ops.convolution import conv1d, conv2d
    with pytest.raises(ndgrad.ShapeError, match=r"conv2d: the input has 4 channels .* takes 3 "
                                                r"per group x groups=2 = 6.*\(1, 4, 5, 5\)"):
        conv2d(ndgrad.ones((1, 4, 5, 5)), ndgrad.ones((6, 3, 3, 3)), groups=2)
    with pytest.raises(ndgrad.ShapeError, match=r"conv2d: the bias must have shape \(6,\)"):
        conv2d(ndgrad.ones((1, 3, 5, 5)), ndgrad.ones((6, 3, 3, 3)), ndgrad.ones(5))
    with pytest.raises(ValueError, match="conv2d: padding must be 'valid', 'same'"):
        conv2d(ndgrad.ones((1, 3, 5, 5)), ndgrad.ones((6, 3, 3, 3)), padding="full")
    with pytest.raises(ValueError, match="conv1d: data_format must be"):
        conv1d(ndgrad.ones((1, 3, 5)), ndgrad.ones((6, 3, 3)), data_format="NHCW")
    with pytest.raises(ndgrad.ShapeError, match=r"conv1d: expected a 3-D input \(N, L, C\)"):
        conv1d(ndgrad.ones((1, 1, 3, 5)), ndgrad.ones((3, 3, 6)), data_format="channels_last")
    with pytest.raises(ValueError, match="padding='causal' is for 1-D"):
        conv2d(ndgrad.ones((1, 3, 5, 5)), ndgrad.ones((6, 3, 3, 3)), padding="causal")
