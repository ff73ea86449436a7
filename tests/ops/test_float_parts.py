"""frexp, ldexp, modf, nextafter, divmod on tensors beyond the op table: the
integer and step pieces carry no gradient, bad exponents and out= are refused."""

import numpy as np
import pytest

import ndgrad


def test_the_integer_pieces_are_integer_tensors_without_gradient():
    x = ndgrad.Variable([3.0, -0.3])
    mantissa, exponent = np.frexp(x)
    assert exponent.dtype.kind == "i" and not exponent.requires_grad and mantissa.requires_grad
    fraction, integral = np.modf(x)
    np.testing.assert_array_equal(integral.numpy(), np.modf(x.numpy())[1])
    (fraction + integral).sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]


def test_frexp_then_ldexp_rebuilds_the_input_and_its_gradient():
    x = ndgrad.Variable([5.0, -0.1, 0.0, 1e-30])
    mantissa, exponent = np.frexp(x)
    rebuilt = np.ldexp(mantissa, exponent)
    np.testing.assert_array_equal(rebuilt.numpy(), x.numpy())
    rebuilt.sum().backward()
    assert x.grad.tolist() == [1.0, 1.0, 1.0, 1.0]


def test_ldexp_refuses_float_exponents_like_numpy():
    with pytest.raises(TypeError):
        np.ldexp(np.ones(2), np.ones(2))
    with pytest.raises(TypeError, match="ldexp: the exponent must hold integers"):
        np.ldexp(ndgrad.ones(2), ndgrad.ones(2))


def test_nextafter_gives_y_a_zero_gradient():
    x, y = ndgrad.Variable([1.0]), ndgrad.Variable([2.0])
    np.nextafter(x, y).sum().backward()
    assert x.grad.tolist() == [1.0] and y.grad.tolist() == [0.0]


def test_divmod_is_numpys_and_its_quotient_is_flat():
    x, y = ndgrad.Variable([7.0, -7.5]), ndgrad.Variable([2.0, 2.0])
    quotient, remainder = np.divmod(x, y)
    for got, expected in zip((quotient, remainder), np.divmod(x.numpy(), y.numpy())):
        np.testing.assert_array_equal(got.numpy(), expected)
    quotient.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]


def test_ufunc_extras_are_refused_by_name():
    x = ndgrad.Variable([1.5])
    with pytest.raises(TypeError, match="frexp: unsupported arguments"):
        np.frexp(x, where=True)
    with pytest.raises(ValueError, match="out="):
        np.modf(x, out=(np.zeros(1, np.float32), np.zeros(1, np.float32)))
