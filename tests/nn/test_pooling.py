"""Pooling layers under both faces: nn.MaxPool2d / AvgPool2d / AdaptiveAvgPool2d
(and 1-D) against PyTorch; layers.MaxPooling2D / AveragePooling2D / Global*
with Keras's layout and TensorFlow's "same" rule."""

import numpy as np
import pytest

import ndgrad
from ndgrad import nn
from ndgrad.nn.pooling import KERAS_EXPORTS
from ndgrad.ops.pooling import max_pool2d
from tests.ops.cases_convolution import reference_pool2d

torch = pytest.importorskip("torch")
F = torch.nn.functional

MaxPooling2D = KERAS_EXPORTS["MaxPooling2D"]
AveragePooling2D = KERAS_EXPORTS["AveragePooling2D"]
MaxPooling1D = KERAS_EXPORTS["MaxPooling1D"]
AveragePooling1D = KERAS_EXPORTS["AveragePooling1D"]
GlobalAveragePooling2D = KERAS_EXPORTS["GlobalAveragePooling2D"]
GlobalMaxPooling2D = KERAS_EXPORTS["GlobalMaxPooling2D"]
GlobalAveragePooling1D = KERAS_EXPORTS["GlobalAveragePooling1D"]
GlobalMaxPooling1D = KERAS_EXPORTS["GlobalMaxPooling1D"]


def _distinct(rng, shape):
    """Inputs without ties, so that every maximum is unambiguous."""
    size = int(np.prod(shape))
    return (rng.permutation(size).reshape(shape) * 0.25 - size * 0.1).astype(np.float32)


def _compare_with_torch(layer, reference, x):
    ours_x = ndgrad.tensor(x, requires_grad=True)
    theirs_x = torch.tensor(x, requires_grad=True)
    ours, theirs = layer(ours_x), reference(theirs_x)
    assert ours.dtype == np.float32 and ours.shape == tuple(theirs.shape)
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-4, atol=1e-6)
    cotangent = np.random.default_rng(2).standard_normal(ours.shape).astype(np.float32)
    ours.backward(ndgrad.tensor(cotangent))
    theirs.backward(torch.tensor(cotangent))
    np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("name, kwargs", [
    ("MaxPool2d", dict(kernel_size=2)),
    ("MaxPool2d", dict(kernel_size=3, stride=2, padding=1)),
    ("MaxPool2d", dict(kernel_size=(2, 3), stride=(2, 1), dilation=(1, 2), ceil_mode=True)),
    ("AvgPool2d", dict(kernel_size=2)),
    ("AvgPool2d", dict(kernel_size=3, stride=2, padding=1)),
    ("AvgPool2d", dict(kernel_size=3, stride=2, padding=1, count_include_pad=False,
                       ceil_mode=True)),
    ("AvgPool2d", dict(kernel_size=2, stride=1, divisor_override=3)),
    ("AdaptiveAvgPool2d", dict(output_size=(3, 2))),
    ("AdaptiveAvgPool2d", dict(output_size=1)),
    ("AdaptiveAvgPool2d", dict(output_size=(None, 5))),
])
def test_pytorch_face_2d_matches_pytorch(name, kwargs, rng):
    x = _distinct(rng, (2, 3, 7, 8))
    _compare_with_torch(getattr(nn, name)(**kwargs), getattr(torch.nn, name)(**kwargs), x)


@pytest.mark.parametrize("name, kwargs", [
    ("MaxPool1d", dict(kernel_size=3, stride=2, padding=1)),
    ("AvgPool1d", dict(kernel_size=2)),
    ("AvgPool1d", dict(kernel_size=3, padding=1, count_include_pad=False, ceil_mode=True,
                       stride=2)),
    ("AdaptiveAvgPool1d", dict(output_size=4)),
])
def test_pytorch_face_1d_matches_pytorch(name, kwargs, rng):
    x = _distinct(rng, (2, 3, 10))
    _compare_with_torch(getattr(nn, name)(**kwargs), getattr(torch.nn, name)(**kwargs), x)


def test_unbatched_inputs_and_no_parameters(rng):
    x = _distinct(rng, (3, 6, 6))
    for name, args in (("MaxPool2d", (2,)), ("AvgPool2d", (3, 1, 1)),
                       ("AdaptiveAvgPool2d", ((2, 4),))):
        layer = getattr(nn, name)(*args)
        theirs = getattr(torch.nn, name)(*args)(torch.tensor(x))
        np.testing.assert_allclose(layer(x).numpy(), theirs.numpy(), rtol=1e-5, atol=1e-6)
        assert layer.count_params() == 0 and layer.state_dict() == {}


def test_max_pool_gradient_goes_to_one_element_per_window_as_pytorch():
    x = np.zeros((1, 1, 4, 4), dtype=np.float32)       # every window is all ties
    for kwargs in (dict(kernel_size=2), dict(kernel_size=3, stride=1, padding=1)):
        _compare_with_torch(nn.MaxPool2d(**kwargs), torch.nn.MaxPool2d(**kwargs), x)
    ours = ndgrad.tensor(x, requires_grad=True)
    nn.MaxPool2d(2)(ours).sum().backward()
    assert ours.grad.numpy().sum() == 4.0                  # one element per window


def test_max_pool_second_order_through_the_gradient_primitive(rng):
    """The gradient of max pooling, as a function of the incoming gradient, is
    linear; its own gradient (a gather at the maxima) is checked numerically."""
    # x requires grad, so the inner gradient is recorded (create_graph).
    x = ndgrad.tensor(_distinct(rng, (2, 2, 5, 5)).astype(np.float64), requires_grad=True)

    def routed(upstream):
        return ndgrad.grad(lambda t: (max_pool2d(t, 3, 2, 1) * upstream).sum())(x)

    upstream = rng.standard_normal((2, 2, 3, 3))
    assert ndgrad.gradcheck(routed, [upstream])
    for data_format, data in (("channels_first", x.numpy()),
                              ("channels_last", x.numpy().transpose(0, 2, 3, 1).copy())):
        assert ndgrad.gradcheck(lambda t: max_pool2d(t, 2, data_format=data_format), [data],
                                second_order=True)


def test_layer_errors_name_the_layer():
    with pytest.raises(ndgrad.ShapeError, match=r"MaxPool2d: expected a 3 or 4-D input"):
        nn.MaxPool2d(2)(ndgrad.ones((4, 4)))
    with pytest.raises(ndgrad.ShapeError, match=r"AvgPool1d: expected a 2 or 3-D input"):
        nn.AvgPool1d(2)(ndgrad.ones((1, 2, 4, 4)))
    with pytest.raises(NotImplementedError, match="MaxPool3d: return_indices"):
        nn.MaxPool3d(2, return_indices=True)       # (MaxPool1d/2d give indices)
    with pytest.raises(ValueError, match="at most half the kernel size"):
        nn.MaxPool2d(2, padding=2)(ndgrad.ones((1, 1, 4, 4)))
    with pytest.raises(ndgrad.ShapeError,
                       match=r"MaxPooling2D: expected a 4-D input \(N, H, W, C\)"):
        MaxPooling2D()(ndgrad.ones((4, 4, 3)))
    with pytest.raises(ValueError, match="MaxPooling2D: padding must be 'valid' or 'same'"):
        MaxPooling2D(padding="full")
    with pytest.raises(ndgrad.ShapeError, match=r"max_pool2d: the \(dilated\) window \(3, 3\)"):
        nn.MaxPool2d(3)(ndgrad.ones((1, 1, 2, 2)))


# ------------------------------------------------------------------ Keras face
def test_keras_max_pooling_same_as_the_keras_documentation():
    x = ndgrad.tensor(np.arange(1.0, 10.0, dtype=np.float32).reshape(1, 3, 3, 1))
    out = MaxPooling2D(pool_size=(2, 2), strides=(1, 1), padding="same")(x)
    assert out.dtype == np.float32
    assert out.numpy()[0, :, :, 0].tolist() == [[5.0, 6.0, 6.0], [8.0, 9.0, 9.0],
                                                [8.0, 9.0, 9.0]]


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("average", [False, True])
def test_keras_pooling_2d_matches_reference_and_pytorch_gradients(padding, average, rng):
    layer = (AveragePooling2D if average else MaxPooling2D)(3, strides=2, padding=padding)
    x = _distinct(rng, (2, 7, 6, 3))
    nchw = x.transpose(0, 3, 1, 2)
    expected = reference_pool2d(nchw, 3, 2, "same" if padding == "same" else 0,
                                "mean" if average else "max", count_include_pad=False)
    ours_x = ndgrad.tensor(x, requires_grad=True)
    ours = layer(ours_x)
    np.testing.assert_allclose(ours.numpy(), expected.transpose(0, 2, 3, 1), rtol=1e-5,
                               atol=1e-6)
    # PyTorch with TensorFlow's padding made explicit: -inf for max; for the
    # average, a divisor of the real cells (zeros padded, then a sum pool of ones).
    theirs_x = torch.tensor(nchw.copy(), requires_grad=True)
    pad = (0, 1, 1, 1) if padding == "same" else (0, 0, 0, 0)        # W: (0, 1), H: (1, 1)
    if average:
        sums = F.avg_pool2d(F.pad(theirs_x, pad), 3, 2, divisor_override=1)
        counts = F.avg_pool2d(F.pad(torch.ones_like(theirs_x), pad), 3, 2, divisor_override=1)
        theirs = sums / counts
    else:
        theirs = F.max_pool2d(F.pad(theirs_x, pad, value=-np.inf), 3, 2)
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy().transpose(0, 2, 3, 1),
                               rtol=1e-5, atol=1e-6)
    cotangent = rng.standard_normal(ours.shape).astype(np.float32)
    ours.backward(ndgrad.tensor(cotangent))
    theirs.backward(torch.tensor(cotangent.transpose(0, 3, 1, 2)))
    np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy().transpose(0, 2, 3, 1),
                               rtol=1e-5, atol=1e-6)


def test_keras_pooling_defaults_shapes_configs_and_channels_first(rng):
    x = _distinct(rng, (2, 8, 6, 3))
    layer = MaxPooling2D()
    assert layer.training is False and layer.count_params() == 0
    assert layer(x).shape == (2, 4, 3, 3)
    assert layer.get_config() == {"name": layer.name, "trainable": True, "dtype": "float32",
                                  "pool_size": (2, 2), "strides": (2, 2),
                                  "padding": "valid", "data_format": "channels_last"}
    first = AveragePooling2D(2, data_format="channels_first")(x.transpose(0, 3, 1, 2))
    np.testing.assert_allclose(first.numpy(),
                               AveragePooling2D(2)(x).numpy().transpose(0, 3, 1, 2), rtol=1e-6)
    sequence = _distinct(rng, (2, 7, 3))
    assert MaxPooling1D()(sequence).shape == (2, 3, 3)
    assert AveragePooling1D(3, strides=1, padding="same")(sequence).shape == (2, 7, 3)
    np.testing.assert_allclose(AveragePooling1D(2)(sequence).numpy(),
                               (sequence[:, 0:6:2] + sequence[:, 1:7:2]) / 2, rtol=1e-6)
    nn.reset_names()
    assert MaxPooling2D().name == "max_pooling2d"
    assert GlobalAveragePooling2D().name == "global_average_pooling2d"


def test_keras_global_pooling(rng):
    x = _distinct(rng, (2, 4, 5, 3))
    np.testing.assert_allclose(GlobalAveragePooling2D()(x).numpy(), x.mean(axis=(1, 2)),
                               rtol=1e-6)
    np.testing.assert_allclose(GlobalMaxPooling2D()(x).numpy(), x.max(axis=(1, 2)))
    assert GlobalAveragePooling2D(keepdims=True)(x).shape == (2, 1, 1, 3)
    assert GlobalAveragePooling2D(data_format="channels_first")(x).shape == (2, 4)
    assert GlobalMaxPooling2D(data_format="channels_first", keepdims=True)(x).shape == (2, 4, 1, 1)
    sequence = x[:, 0]
    np.testing.assert_allclose(GlobalAveragePooling1D()(sequence).numpy(),
                               sequence.mean(axis=1), rtol=1e-6)
    np.testing.assert_allclose(GlobalMaxPooling1D()(sequence).numpy(), sequence.max(axis=1))
    torch_x = torch.tensor(x.transpose(0, 3, 1, 2).copy(), requires_grad=True)
    ours_x = ndgrad.tensor(x, requires_grad=True)
    (GlobalAveragePooling2D()(ours_x) ** 2).sum().backward()
    (F.adaptive_avg_pool2d(torch_x, 1) ** 2).sum().backward()
    np.testing.assert_allclose(ours_x.grad.numpy(), torch_x.grad.numpy().transpose(0, 2, 3, 1),
                               rtol=1e-5)
    with pytest.raises(ndgrad.ShapeError, match="GlobalAveragePooling2D: expected a 4-D"):
        GlobalAveragePooling2D()(sequence)


def test_small_cnn_matches_pytorch_and_one_step_lowers_the_loss(rng):
    """Conv-ReLU-MaxPool-Conv-ReLU-AvgPool-AdaptiveAvgPool-Linear, forward and
    every parameter's gradient against the same network in PyTorch."""
    ours = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(4, 6, 3), nn.ReLU(), nn.AvgPool2d(2, ceil_mode=True),
                         nn.AdaptiveAvgPool2d((1, 1)))
    float32 = dict(dtype=torch.float32)
    theirs = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, padding=1, **float32), torch.nn.ReLU(),
                                 torch.nn.MaxPool2d(2), torch.nn.Conv2d(4, 6, 3, **float32),
                                 torch.nn.ReLU(), torch.nn.AvgPool2d(2, ceil_mode=True),
                                 torch.nn.AdaptiveAvgPool2d((1, 1)))
    ours.load_state_dict(theirs.state_dict())
    x = rng.standard_normal((3, 1, 12, 12)).astype(np.float32)
    target = rng.standard_normal((3, 6, 1, 1)).astype(np.float32)
    loss = ((ours(x) - target) ** 2).mean()
    their_loss = ((theirs(torch.tensor(x)) - torch.tensor(target)) ** 2).mean()
    np.testing.assert_allclose(loss.item(), their_loss.item(), rtol=1e-4)
    loss.backward()
    their_loss.backward()
    for (name, parameter), reference in zip(ours.named_parameters(), theirs.parameters()):
        np.testing.assert_allclose(parameter.grad.numpy(), reference.grad.numpy(), rtol=1e-4,
                                   atol=1e-6, err_msg=name)
    ndgrad.optim.SGD(ours.parameters(), lr=0.1).step()
    assert ((ours(x) - target) ** 2).mean().item() < loss.item()


def test_keras_names_are_exported_by_the_layers_face():
    if not hasattr(ndgrad.layers, "MaxPooling2D"):
        pytest.skip("ndgrad.layers does not export KERAS_EXPORTS yet")
    for name, cls in KERAS_EXPORTS.items():
        assert getattr(ndgrad.layers, name) is cls
