"""keras.utils image files and arrays (load_img, img_to_array, array_to_img, save_img) and
keras.preprocessing.image, checked against Pillow and by hand; the missing-Pillow error."""

import io
import sys

import numpy as np
import pytest

from ndgrad import keras
from ndgrad.keras import utils

Image = pytest.importorskip("PIL.Image")


@pytest.mark.parametrize("channels, mode", [(1, "L"), (3, "RGB"), (4, "RGBA")])
def test_png_round_trip_is_exact(tmp_path, rng, channels, mode):
    pixels = rng.integers(0, 256, (5, 7, channels)).astype(np.float32)
    path = tmp_path / "image.png"
    utils.save_img(path, pixels, scale=False)
    image = utils.load_img(path, color_mode={"L": "grayscale"}.get(mode, mode.lower()))
    assert image.mode == mode and image.size == (7, 5)
    array = utils.img_to_array(image)
    assert array.dtype == np.float32 and array.shape == (5, 7, channels)
    np.testing.assert_array_equal(array, pixels)


def test_array_to_img_scales_and_picks_the_mode():
    image = utils.array_to_img(np.array([[[-1.0], [0.0], [3.0]]]))
    assert image.mode == "L" and np.asarray(image).tolist() == [[0, 63, 255]]
    wide = utils.array_to_img(np.array([[[0.0], [1000.0]]]), scale=False)
    assert wide.mode == "I" and np.asarray(wide).tolist() == [[0, 1000]]
    first = utils.array_to_img(np.zeros((3, 2, 4)), data_format="channels_first")
    assert first.mode == "RGB" and first.size == (4, 2)
    with pytest.raises(ValueError, match="1, 3 or 4 channels; got 2"):
        utils.array_to_img(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="rank 3"):
        utils.array_to_img(np.zeros((2, 2)))


def test_img_to_array_layouts_and_dtype():
    gray = Image.fromarray(np.array([[1, 2], [3, 4]], np.uint8))
    assert utils.img_to_array(gray).shape == (2, 2, 1)
    assert utils.img_to_array(gray, data_format="channels_first").shape == (1, 2, 2)
    assert utils.img_to_array(gray, dtype="uint8").dtype == np.uint8
    with pytest.raises(ValueError, match="data_format must be"):
        utils.img_to_array(gray, data_format="nhwc")


def test_load_img_resizes_as_pillow_and_keeps_the_aspect_ratio(tmp_path, rng):
    pixels = rng.integers(0, 256, (4, 8, 3)).astype(np.uint8)
    path = tmp_path / "wide.png"
    Image.fromarray(pixels).save(path)
    for interpolation in ("nearest", "bilinear", "bicubic"):
        ours = utils.load_img(path, target_size=(3, 5), interpolation=interpolation)
        theirs = Image.fromarray(pixels).resize(
            (5, 3), getattr(Image.Resampling, interpolation.upper()))
        np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))
    # 4 x 8 to a square: the centred 4 x 4 window (columns 2 to 5) is resized.
    square = utils.load_img(str(path), target_size=(4, 4), keep_aspect_ratio=True)
    np.testing.assert_array_equal(np.asarray(square), pixels[:, 2:6])
    gray = utils.load_img(path, color_mode="grayscale")
    np.testing.assert_array_equal(np.asarray(gray),
                                  np.asarray(Image.fromarray(pixels).convert("L")))
    buffer = io.BytesIO(path.read_bytes())
    assert utils.load_img(buffer).size == (8, 4)


def test_save_img_jpeg_drops_alpha_with_a_warning(tmp_path):
    with pytest.warns(UserWarning, match="no alpha channel"):
        utils.save_img(tmp_path / "a.jpg", np.full((2, 2, 4), 200.0), scale=False)
    assert utils.load_img(tmp_path / "a.jpg").mode == "RGB"
    utils.save_img(tmp_path / "b.data", np.zeros((2, 2, 3)), file_format="png")
    assert Image.open(tmp_path / "b.data").format == "PNG"


def test_bad_arguments_are_refused(tmp_path):
    path = tmp_path / "x.png"
    utils.save_img(path, np.zeros((2, 2, 3)))
    with pytest.raises(ValueError, match="color_mode must be"):
        utils.load_img(path, color_mode="cmyk")
    with pytest.raises(ValueError, match="interpolation must be one of"):
        utils.load_img(path, target_size=(1, 1), interpolation="area")
    with pytest.raises(TypeError, match="path must be a file path or an io.BytesIO"):
        utils.load_img(3)


def test_missing_pillow_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImportError, match=r'load_img needs Pillow.*ndgrad\[images\]'):
        utils.load_img("anything.png")
    with pytest.raises(ImportError, match="array_to_img needs Pillow"):
        utils.array_to_img(np.zeros((1, 1, 3)))


def test_preprocessing_image_module():
    image = keras.preprocessing.image
    assert image.img_to_array is utils.img_to_array and image.save_img is utils.save_img
    resized = image.smart_resize(np.arange(24.0).reshape(2, 4, 3), (2, 2))
    assert isinstance(resized, np.ndarray)
    np.testing.assert_allclose(resized, np.arange(24.0).reshape(2, 4, 3)[:, 1:3])
    assert keras.preprocessing.timeseries_dataset_from_array is \
        utils.timeseries_dataset_from_array
