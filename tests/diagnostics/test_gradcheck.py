"""gradcheck: passes correct gradients, reports the worst mismatch of wrong ones."""

import numpy as np
import pytest

import ndgrad


class WrongSquare(ndgrad.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * 3 * x          # should be 2 x


class ForgetsInput(ndgrad.Function):
    @staticmethod
    def forward(ctx, x, y):
        return x * y

    @staticmethod
    def backward(ctx, g):
        return None, g


def test_correct_function_passes():
    assert ndgrad.gradcheck(lambda x, y: (x @ y).sum(), [np.ones((2, 3)), np.ones(3)])


def test_wrong_rule_is_reported_with_the_worst_element():
    with pytest.raises(ndgrad.GradcheckError, match=r"worst element: input 0 at \(\d,\)"):
        ndgrad.gradcheck(WrongSquare.apply, [np.array([1.0, 2.0])])


def test_missing_gradient_is_reported():
    with pytest.raises(ndgrad.GradcheckError, match="input 0 .* got no gradient"):
        ndgrad.gradcheck(ForgetsInput.apply, [np.array([1.0, 2.0]), np.array([3.0, 4.0])])


def test_second_order_catches_a_wrong_double_backward():
    class FirstOrderOnly(ndgrad.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * ndgrad.tensor(3 * x.numpy() ** 2)   # correct value, but a constant

    assert ndgrad.gradcheck(FirstOrderOnly.apply, [np.array([0.5, 1.5])])
    with pytest.raises(ndgrad.GradcheckError):
        ndgrad.gradcheck(FirstOrderOnly.apply, [np.array([0.5, 1.5])], second_order=True)


def test_integer_inputs_pass_through_unchecked():
    indices = np.array([0, 2])
    assert ndgrad.gradcheck(lambda x, i: ndgrad.take(x, i), [np.arange(3.0), indices])
