"""layers.Resizing and layers.CenterCrop: forward and backward against PyTorch's
half-pixel interpolation (TensorFlow's resize without antialiasing), aspect-ratio
crops and pads by hand, layouts, configs."""

import numpy as np
import pytest

import ndgrad
from ndgrad import keras, layers
from ndgrad.nn.image_resizing import aspect_crop_box, resize_images

torch = pytest.importorskip("torch")
F = torch.nn.functional

# Keras's interpolation -> PyTorch's mode with the same source positions.
MODES = {"bilinear": dict(mode="bilinear", align_corners=False), "nearest":
         dict(mode="nearest-exact")}


@pytest.mark.parametrize("interpolation", sorted(MODES))
@pytest.mark.parametrize("size", [(9, 4), (3, 11), (5, 6), (1, 1)])
def test_resizing_matches_pytorch_forward_and_backward(interpolation, size, rng):
    images = rng.standard_normal((2, 5, 6, 3)).astype(np.float32)
    ours_x = ndgrad.tensor(images, requires_grad=True)
    ours = layers.Resizing(*size, interpolation=interpolation)(ours_x)
    theirs_x = torch.tensor(images.transpose(0, 3, 1, 2), requires_grad=True)
    theirs = F.interpolate(theirs_x, size=size, **MODES[interpolation])
    assert ours.shape == (2, *size, 3) and ours.dtype == np.float32
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy().transpose(0, 2, 3, 1),
                               rtol=1e-5, atol=1e-6)
    cotangent = rng.standard_normal(ours.shape).astype(np.float32)
    ours.backward(ndgrad.tensor(cotangent))
    theirs.backward(torch.tensor(cotangent.transpose(0, 3, 1, 2)))
    np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy().transpose(0, 2, 3, 1),
                               rtol=1e-5, atol=1e-5)


def test_bilinear_values_by_hand_and_uint8_input():
    image = np.array([[0, 10], [20, 30]], np.uint8)[:, :, None]
    out = layers.Resizing(1, 1)(image)
    assert out.dtype == np.float32 and out.numpy().ravel().tolist() == [15.0]
    assert layers.Resizing(2, 4)(image)[0, :, 0].tolist() == [0.0, 2.5, 7.5, 10.0]


def test_crop_and_pad_to_aspect_ratio(rng):
    images = rng.random((2, 6, 10, 1)).astype(np.float32)
    assert aspect_crop_box(6, 10, 4, 4) == (0, 2, 6, 6)
    cropped = layers.Resizing(3, 3, crop_to_aspect_ratio=True)(images)
    np.testing.assert_allclose(cropped.numpy(), resize_images(images[:, :, 2:8], (3, 3)).numpy())
    padded = layers.Resizing(4, 4, pad_to_aspect_ratio=True, fill_value=-1.0)(images)
    by_hand = np.pad(images, ((0, 0), (2, 2), (0, 0), (0, 0)), constant_values=-1.0)
    np.testing.assert_allclose(padded.numpy(), resize_images(by_hand, (4, 4)).numpy())
    with pytest.raises(ValueError, match="exclude each other"):
        layers.Resizing(2, 2, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)(images)


def test_center_crop_windows_and_the_resize_fallback(rng):
    image = np.arange(30.0).reshape(5, 6, 1)
    assert layers.CenterCrop(3, 2)(image)[:, :, 0].tolist() == [[8.0, 9.0], [14.0, 15.0],
                                                                 [20.0, 21.0]]
    small = rng.random((1, 2, 4, 3)).astype(np.float32)
    # Smaller than the target: the centred 2 x 2 window, resized (Keras's smart_resize).
    np.testing.assert_allclose(layers.CenterCrop(4, 4)(small).numpy(),
                               resize_images(small[:, :, 1:3], (4, 4)).numpy())
    channels_first = layers.CenterCrop(3, 2, data_format="channels_first")
    assert channels_first(image.transpose(2, 0, 1))[0].tolist() == [[8.0, 9.0], [14.0, 15.0],
                                                                     [20.0, 21.0]]


def test_gradients_configs_and_symbolic_shapes(rng):
    x = rng.random((1, 4, 5, 2))
    for layer in (layers.Resizing(3, 7, dtype="float64"),
                  layers.Resizing(3, 3, crop_to_aspect_ratio=True, dtype="float64"),
                  layers.CenterCrop(2, 3, dtype="float64")):
        assert ndgrad.gradcheck(lambda t, layer=layer: layer(t), [x])
        clone = type(layer).from_config(layer.get_config())
        np.testing.assert_allclose(clone(x).numpy(), layer(x).numpy())
    inputs = keras.Input((None, None, 3))
    assert layers.Resizing(8, 9)(inputs).shape == (None, 8, 9, 3)
    assert layers.CenterCrop(2, 2)(keras.Input((5, 5, 3))).shape == (None, 2, 2, 3)


def test_refusals():
    with pytest.raises(NotImplementedError, match="interpolation='bicubic' is not supported"):
        layers.Resizing(2, 2, interpolation="bicubic")
    with pytest.raises(ValueError, match="height must be a positive int"):
        layers.CenterCrop(0, 2)
    with pytest.raises(ValueError, match="expected an image .* got a 2-D input"):
        layers.Resizing(2, 2)(np.ones((3, 3)))


def test_layouts_and_single_images_agree(rng):
    images = rng.random((2, 5, 7, 3)).astype(np.float32)
    last = layers.Resizing(4, 9)(images).numpy()
    first = layers.Resizing(4, 9, data_format="channels_first")(images.transpose(0, 3, 1, 2))
    np.testing.assert_allclose(first.numpy().transpose(0, 2, 3, 1), last, rtol=1e-6)
    single = layers.Resizing(4, 9)(images[1])
    assert single.shape == (4, 9, 3)
    np.testing.assert_allclose(single.numpy(), last[1], rtol=1e-6)
