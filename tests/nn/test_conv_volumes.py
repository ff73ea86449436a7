"""Conv3d / ConvTranspose3d and their functional forms against PyTorch (forward,
input and weight gradients, output_size, reprs, state dicts), float64 gradient
checks, and Keras's Conv3D / Conv3DTranspose against the PyTorch face."""

import numpy as np
import pytest

import ndgrad
import ndgrad.nn.functional as F
from ndgrad import layers, nn

torch = pytest.importorskip("torch")
TF = torch.nn.functional


def _data(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype(np.float32)


def _check_module(ours, theirs, x, **call):
    ours.load_state_dict(theirs.state_dict())
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours) == repr(theirs)
    ours_x, theirs_x = ndgrad.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out, expected = ours(ours_x, **call), theirs(theirs_x, **call)
    np.testing.assert_allclose(out.numpy(), expected.detach().numpy(), rtol=1e-4, atol=1e-4)
    cotangent = _data(out.shape, 9)
    out.backward(ndgrad.tensor(cotangent))
    expected.backward(torch.tensor(cotangent))
    np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), rtol=1e-4, atol=1e-4)
    for (name, p), tp in zip(ours.named_parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.grad.numpy(), tp.grad.numpy(), rtol=1e-4, atol=1e-3,
                                   err_msg=name)


@pytest.mark.parametrize("shape, args", [
    ((2, 4, 5, 6, 7), dict(in_channels=4, out_channels=6, kernel_size=3)),
    ((2, 4, 5, 6, 7), dict(in_channels=4, out_channels=6, kernel_size=(3, 2, 3),
                           stride=(2, 1, 2), padding=(1, 0, 1), dilation=(1, 2, 1), groups=2)),
    ((3, 4, 4, 5), dict(in_channels=3, out_channels=2, kernel_size=2, bias=False)),
    ((1, 2, 5, 5, 5), dict(in_channels=2, out_channels=3, kernel_size=3, padding="same")),
    ((1, 4, 3, 6, 6), dict(in_channels=4, out_channels=4, kernel_size=(1, 3, 3), groups=4)),
])
def test_conv3d_matches_pytorch(shape, args):
    _check_module(nn.Conv3d(**args), torch.nn.Conv3d(**args), _data(shape))


@pytest.mark.parametrize("shape, args, call", [
    ((2, 4, 3, 4, 5), dict(in_channels=4, out_channels=3, kernel_size=3), {}),
    ((2, 4, 3, 4, 5), dict(in_channels=4, out_channels=6, kernel_size=(3, 2, 3),
                           stride=(2, 1, 2), padding=(1, 0, 1), output_padding=(1, 0, 1),
                           dilation=(1, 2, 1), groups=2), {}),
    ((4, 3, 3, 3), dict(in_channels=4, out_channels=2, kernel_size=2, stride=2, bias=False), {}),
    ((1, 2, 3, 3, 3), dict(in_channels=2, out_channels=2, kernel_size=3, stride=2, padding=1),
     dict(output_size=(6, 5, 6))),
])
def test_conv_transpose3d_matches_pytorch(shape, args, call):
    _check_module(nn.ConvTranspose3d(**args), torch.nn.ConvTranspose3d(**args), _data(shape),
                  **call)


def test_functional_forms_match_pytorch():
    x, w, b = _data((2, 3, 4, 5, 6)), _data((4, 3, 2, 3, 2), 1), _data((4,), 2)
    np.testing.assert_allclose(
        F.conv3d(ndgrad.tensor(x), ndgrad.tensor(w), ndgrad.tensor(b), stride=2, padding=1).numpy(),
        TF.conv3d(torch.tensor(x), torch.tensor(w), torch.tensor(b), stride=2, padding=1).numpy(),
        rtol=1e-4, atol=1e-5)
    wt = _data((3, 2, 2, 3, 2), 3)
    np.testing.assert_allclose(
        F.conv_transpose3d(ndgrad.tensor(x), ndgrad.tensor(wt), stride=(1, 2, 3)).numpy(),
        TF.conv_transpose3d(torch.tensor(x), torch.tensor(wt), stride=(1, 2, 3)).numpy(),
        rtol=1e-4, atol=1e-5)


def test_gradients_are_exact_to_second_order():
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=(1, 2, 3, 4, 3)), rng.normal(size=(2, 1, 2, 2, 2)), rng.normal(
        size=2)
    assert ndgrad.gradcheck(lambda a, k, c: F.conv3d(a, k, c, stride=(2, 1, 1), padding=1,
                                                     groups=2), [x, w, b], second_order=True)
    wt = rng.normal(size=(2, 2, 2, 3, 2))
    assert ndgrad.gradcheck(lambda a, k, c: F.conv_transpose3d(a, k, c, stride=2, padding=1,
                                                               output_padding=1),
                            [x, wt, b], second_order=True)


def test_errors_name_the_layer():
    with pytest.raises(ndgrad.ShapeError, match=r"Conv3d: .*\(N, C, D, H, W\)"):
        nn.Conv3d(2, 3, 3)(ndgrad.ones((1, 2, 5, 5)))
    with pytest.raises(ndgrad.ShapeError, match="conv3d: the input has 3 channels"):
        F.conv3d(ndgrad.ones((1, 3, 4, 4, 4)), ndgrad.ones((2, 2, 1, 1, 1)))
    with pytest.raises(ValueError, match="output_padding"):
        F.conv_transpose3d(ndgrad.ones((1, 1, 2, 2, 2)), ndgrad.ones((1, 1, 2, 2, 2)),
                           output_padding=1)


def test_keras_conv3d_layers_match_the_pytorch_face():
    x = _data((2, 4, 5, 6, 3))
    conv = layers.Conv3D(4, (2, 3, 3), strides=(1, 2, 2), padding="same", activation="relu")
    out = conv(ndgrad.tensor(x))
    assert out.shape == (2, 4, 3, 3, 4)
    kernel = conv.kernel.numpy().transpose(4, 3, 0, 1, 2)
    same = nn.Conv3d(3, 4, (2, 3, 3), stride=(1, 2, 2))
    with ndgrad.no_grad():
        same.weight.data = ndgrad.tensor(kernel)
        same.bias.data = ndgrad.tensor(conv.bias.numpy())
    padded = np.pad(x, ((0, 0), (0, 1), (1, 1), (0, 1), (0, 0)))   # TensorFlow's "same"
    expected = np.maximum(same(ndgrad.tensor(padded.transpose(0, 4, 1, 2, 3))).numpy(), 0)
    np.testing.assert_allclose(out.numpy(), expected.transpose(0, 2, 3, 4, 1), rtol=1e-4,
                               atol=1e-5)
    up = layers.Conv3DTranspose(2, 3, strides=2, padding="same")
    assert up(ndgrad.tensor(x)).shape == (2, 8, 10, 12, 2)
    assert up.get_config()["filters"] == 2 and conv.get_config()["kernel_size"] == (2, 3, 3)
