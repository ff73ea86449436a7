"""layers.ZeroPadding1D/2D/3D and layers.Cropping1D/2D/3D: Keras's argument forms,
both data formats, gradients, configs and errors."""

import numpy as np
import pytest

import ndgrad
from ndgrad import layers


@pytest.mark.parametrize("padding, pairs", [
    (2, ((2, 2), (2, 2))), ((1, 3), ((1, 1), (3, 3))), (((1, 0), (2, 3)), ((1, 0), (2, 3)))])
def test_zero_padding_2d_forms_and_formats(padding, pairs, rng):
    x = rng.standard_normal((2, 4, 5, 3)).astype(np.float32)
    last = layers.ZeroPadding2D(padding)(ndgrad.tensor(x))
    np.testing.assert_array_equal(last.numpy(), np.pad(x, ((0, 0),) + pairs + ((0, 0),)))
    first = layers.ZeroPadding2D(padding, data_format="channels_first")(ndgrad.tensor(x))
    np.testing.assert_array_equal(first.numpy(), np.pad(x, ((0, 0), (0, 0)) + pairs))


@pytest.mark.parametrize("cropping, pairs", [
    (1, ((1, 1), (1, 1))), ((2, 0), ((2, 2), (0, 0))), (((0, 1), (2, 1)), ((0, 1), (2, 1)))])
def test_cropping_2d_forms_and_gradient(cropping, pairs, rng):
    x = rng.standard_normal((2, 6, 5, 3)).astype(np.float32)
    variable = ndgrad.Variable(x)
    out = layers.Cropping2D(cropping)(variable)
    (top, bottom), (left, right) = pairs
    np.testing.assert_array_equal(out.numpy(), x[:, top:6 - bottom, left:5 - right])
    out.sum().backward()
    expected = np.zeros_like(x)
    expected[:, top:6 - bottom, left:5 - right] = 1
    np.testing.assert_array_equal(variable.grad.numpy(), expected)


def test_one_and_three_dimensional_layers(rng):
    x = rng.standard_normal((2, 7, 3)).astype(np.float32)
    np.testing.assert_array_equal(layers.ZeroPadding1D((1, 2))(ndgrad.tensor(x)).numpy(),
                                  np.pad(x, ((0, 0), (1, 2), (0, 0))))
    np.testing.assert_array_equal(layers.Cropping1D(2)(ndgrad.tensor(x)).numpy(), x[:, 2:5])
    volume = ndgrad.ones((1, 4, 4, 4, 2))
    assert layers.ZeroPadding3D(((1, 0), (0, 2), (1, 1)))(volume).shape == (1, 5, 6, 6, 2)
    assert layers.Cropping3D(((1, 0), (0, 2), (1, 1)))(volume).shape == (1, 3, 2, 2, 2)


def test_gradient_of_zero_padding_is_the_interior(rng):
    x = ndgrad.tensor(rng.standard_normal((2, 3, 4, 2)))
    assert ndgrad.gradcheck(lambda t: layers.ZeroPadding2D(((1, 2), (0, 1)))(t), [x],
                            second_order=True)
    assert ndgrad.gradcheck(lambda t: layers.Cropping2D(((1, 0), (1, 2)))(t), [x],
                            second_order=True)


def test_configs_as_keras():
    assert layers.ZeroPadding2D(2).get_config()["padding"] == ((2, 2), (2, 2))
    assert layers.ZeroPadding1D(3).get_config()["padding"] == (3, 3)
    assert layers.Cropping2D(((1, 2), (3, 4))).get_config()["cropping"] == ((1, 2), (3, 4))
    assert layers.Cropping1D().cropping == (1, 1)
    assert layers.ZeroPadding2D().padding == ((1, 1), (1, 1))


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="ZeroPadding2D: padding must be an int, 2 ints or 2"):
        layers.ZeroPadding2D((1, 2, 3))
    with pytest.raises(ValueError, match="Cropping1D: cropping must be an int or a"):
        layers.Cropping1D((-1, 2))
    with pytest.raises(ndgrad.ShapeError, match=r"Cropping2D: cropping \(\(2, 2\), \(0, 0\)\) "
                                                r"removes 4 of the 4 positions of axis 1"):
        layers.Cropping2D((2, 0))(ndgrad.ones((1, 4, 4, 1)))
    with pytest.raises(ndgrad.ShapeError, match=r"ZeroPadding2D: expected a 4-D input"):
        layers.ZeroPadding2D()(ndgrad.ones((4, 4, 1)))
