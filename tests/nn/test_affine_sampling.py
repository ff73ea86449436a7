"""The affine resampler behind RandomRotation/Zoom/Translation: against Keras's own
NumPy-backend definition (pad by the fill mode, then scipy's map_coordinates), by
hand for whole-pixel shifts, and its gradient."""

import numpy as np
import pytest

import ndgrad
from ndgrad.nn.affine_sampling import (affine_transform, rotation_transforms,
                                       translation_transforms, zoom_transforms)

ndimage = pytest.importorskip("scipy.ndimage")

# Keras's fill modes as np.pad / scipy modes in its NumPy backend.
PAD_MODES = {"nearest": "edge", "reflect": "symmetric", "wrap": "wrap", "constant": "constant"}


def keras_reference(images, transforms, interpolation, fill_mode, fill_value=0.0):
    """Output pixel (row, col) reads (b0 c + b1 r + b2, a0 c + a1 r + a2), sampled from the
    image padded by the fill mode (what Keras's NumPy backend computes)."""
    out = np.empty_like(images)
    count, height, width, channels = images.shape
    rows, columns = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
    for n in range(count):
        a0, a1, a2, b0, b1, b2, _, _ = transforms[n]
        source_rows = b0 * columns + b1 * rows + b2
        source_columns = a0 * columns + a1 * rows + a2
        pad = int(np.ceil(max(np.abs(source_rows).max(), np.abs(source_columns).max()))) + 2
        for channel in range(channels):
            plane = images[n, :, :, channel]
            if fill_mode == "constant":
                padded = np.pad(plane, pad, mode="constant", constant_values=fill_value)
            else:
                padded = np.pad(plane, pad, mode=PAD_MODES[fill_mode])
            out[n, :, :, channel] = ndimage.map_coordinates(
                padded, [source_rows + pad, source_columns + pad],
                order=0 if interpolation == "nearest" else 1, mode="constant", cval=fill_value)
    return out


@pytest.mark.parametrize("fill_mode", sorted(PAD_MODES))
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
def test_matches_keras_definition(fill_mode, interpolation, rng):
    images = rng.random((3, 7, 9, 2))
    transforms = np.concatenate([
        rotation_transforms(np.array([0.7, -2.1, 3.0]), 7, 9)[:1],
        zoom_transforms(np.array([1.6]), np.array([0.7]), 7, 9),
        translation_transforms(np.array([3.4]), np.array([-2.6]))])
    ours = affine_transform(ndgrad.tensor(images), transforms, interpolation, fill_mode, 0.5)
    expected = keras_reference(images, transforms, interpolation, fill_mode, 0.5)
    if interpolation == "nearest":
        # Positions exactly halfway between pixels may round either way: compare the rest.
        x_in, y_in = _sources(transforms, 7, 9)
        tie = (np.abs(np.abs(x_in % 1) - 0.5) < 1e-9) | (np.abs(np.abs(y_in % 1) - 0.5) < 1e-9)
        keep = ~tie[..., None].repeat(2, axis=-1)
        np.testing.assert_allclose(ours.numpy()[keep], expected[keep], atol=1e-12)
    else:
        np.testing.assert_allclose(ours.numpy(), expected, atol=1e-12)


def _sources(transforms, height, width):
    from ndgrad.nn.affine_sampling import _source_points
    return _source_points(transforms, height, width)


@pytest.mark.parametrize("fill_mode, pad_mode", sorted(PAD_MODES.items()))
def test_whole_pixel_shifts_are_np_pad(fill_mode, pad_mode, rng):
    image = rng.random((1, 4, 5, 1))
    shifted = affine_transform(image, translation_transforms(np.array([2.0]), np.array([-1.0])),
                               "bilinear", fill_mode)
    padded = np.pad(image[0, :, :, 0], ((1, 1), (2, 2)), mode=pad_mode)
    np.testing.assert_allclose(shifted.numpy()[0, :, :, 0], padded[2:6, 0:5], atol=1e-12)


def test_rotations_by_quarter_turns_are_exact():
    image = np.arange(12.0).reshape(1, 3, 4, 1)
    square = np.arange(9.0).reshape(1, 3, 3, 1)
    half = affine_transform(image, rotation_transforms(np.array([np.pi]), 3, 4), "nearest")
    assert half.numpy()[0, :, :, 0].tolist() == image[0, ::-1, ::-1, 0].tolist()
    quarter = affine_transform(square, rotation_transforms(np.array([-np.pi / 2]), 3, 3),
                               "nearest")
    assert quarter.numpy()[0, :, :, 0].tolist() == np.rot90(square[0, :, :, 0], -1).tolist()


def test_gradient_reaches_the_pixels(rng):
    transforms = np.concatenate([rotation_transforms(np.array([0.4]), 5, 4),
                                 zoom_transforms(np.array([0.8]), np.array([1.3]), 5, 4)])
    for fill_mode in ("reflect", "constant"):
        assert ndgrad.gradcheck(lambda x, mode=fill_mode: affine_transform(
            x, transforms, "bilinear", mode, 0.3), [rng.random((2, 5, 4, 2))])


def test_refusals():
    with pytest.raises(NotImplementedError, match="fill_mode='mirror' is not supported"):
        affine_transform(np.ones((1, 2, 2, 1)), np.zeros(8), fill_mode="mirror")
    with pytest.raises(ValueError, match="expected 2 transforms of 8 numbers"):
        affine_transform(np.ones((2, 2, 2, 1)), np.zeros((3, 8)))


def test_one_transform_for_the_batch_keeps_the_dtype(rng):
    images = rng.random((3, 4, 4, 2)).astype(np.float32)
    shift = translation_transforms(np.array([1.0]), np.array([1.0]))[0]
    out = affine_transform(images, shift, "nearest", "wrap")
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out.numpy(), np.roll(images, (1, 1), axis=(1, 2)))
