"""Custom Functions: forward/backward with a context, errors, multiple outputs."""

import numpy as np
import pytest

import ndgrad


class Cube(ndgrad.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * 3 * x ** 2


class ScaleBy(ndgrad.Function):
    @staticmethod
    def forward(ctx, x, factor):
        ctx.factor = factor
        assert ctx.needs_input_grad == (True, False)
        return x * factor

    @staticmethod
    def backward(ctx, g):
        return g * ctx.factor, None


class SplitHalves(ndgrad.Function):
    @staticmethod
    def forward(ctx, x):
        n = x.shape[0] // 2
        return x[:n] * 1.0, x[n:] * 2.0

    @staticmethod
    def backward(ctx, g_first, g_second):
        return ndgrad.concatenate([g_first, g_second * 2.0])


def test_apply_records_the_custom_backward():
    w = ndgrad.Variable([1.0, 2.0])
    Cube.apply(w).sum().backward()
    assert w.grad.tolist() == [3.0, 12.0]


def test_gradcheck_passes_for_a_correct_function_including_second_order():
    assert ndgrad.gradcheck(Cube.apply, [np.array([0.5, -1.5])], second_order=True)


def test_non_tensor_arguments_and_needs_input_grad():
    w = ndgrad.Variable([1.0])
    ScaleBy.apply(w, 4.0).sum().backward()
    assert w.grad.tolist() == [4.0]


def test_multiple_outputs_each_carry_their_gradient():
    w = ndgrad.Variable([1.0, 2.0, 3.0, 4.0])
    first, second = SplitHalves.apply(w)
    (first.sum() + 10 * second.sum()).backward()
    assert w.grad.tolist() == [1.0, 1.0, 20.0, 20.0]


def test_unused_output_gets_a_zero_gradient():
    w = ndgrad.Variable([1.0, 2.0])
    first, _ = SplitHalves.apply(w)
    first.sum().backward()
    assert w.grad.tolist() == [1.0, 0.0]


def test_wrong_number_of_gradients_names_the_function():
    class Bad(ndgrad.Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, g):
            return g

    with pytest.raises(RuntimeError, match="Bad.backward returned 1 gradient.*2 argument"):
        Bad.apply(ndgrad.Variable([1.0]), ndgrad.Variable([2.0])).sum().backward()


def test_wrong_gradient_shape_names_the_function_and_argument():
    class BadShape(ndgrad.Function):
        @staticmethod
        def forward(ctx, x):
            return x.sum()

        @staticmethod
        def backward(ctx, g):
            return ndgrad.ones(5)

    with pytest.raises(RuntimeError, match=r"BadShape.backward.*shape \(5,\) for argument 0.*\(3,\)"):
        BadShape.apply(ndgrad.Variable([1.0, 2.0, 3.0])).backward()


def test_saved_tensor_written_in_place_is_refused():
    w = ndgrad.Variable([1.0])
    h = w * 1.0
    y = Cube.apply(h)
    h += 1.0
    with pytest.raises(RuntimeError, match="modified in place"):
        y.sum().backward()


def test_forward_runs_without_recording_and_output_is_a_new_tensor():
    class Identity(ndgrad.Function):
        @staticmethod
        def forward(ctx, x):
            assert not ndgrad.is_grad_enabled()
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    w = ndgrad.Variable([1.0])
    out = Identity.apply(w)
    assert out is not w and w.is_leaf and not out.is_leaf
