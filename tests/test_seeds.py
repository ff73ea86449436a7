"""The user's documents (../shared/seeds/) that need only the core, in ndgrad.

Each test follows one example and asserts what its text claims, or, where the
text is wrong, that ndgrad's error says why. Examples built on layers
(Dense, nn.Linear, Sequential, custom layers) come with the models work.
"""

import numpy as np
import pytest

import ndgrad


# --- seed 000: "How can I determine if an NDArray is trainable?" --------------

def test_seed000_example1_mismatched_matmul_is_a_clear_error():
    # The example multiplies a (3, 1) input by a (10, 1) weight: that cannot work.
    weight = ndgrad.Variable(ndgrad.random.normal([10, 1]), name="weight")
    input_data = ndgrad.tensor([[1.0], [2.0], [3.0]])
    with pytest.raises(ndgrad.ShapeError) as error:
        ndgrad.matmul(input_data, weight)
    message = str(error.value)
    assert "matmul" in message and "(3, 1)" in message and "(10, 1)" in message
    assert "test_seeds.py" in message           # the user's line


def test_seed000_example1_with_a_fitting_weight_trains_with_adam():
    weight = ndgrad.Variable(ndgrad.random.normal([1, 1]), name="weight")
    input_data = ndgrad.tensor([[1.0], [2.0], [3.0]])
    target = ndgrad.tensor([[1.0], [4.0], [9.0]])
    optimizer = ndgrad.optim.Adam(learning_rate=0.01)
    losses = []
    for _ in range(100):
        with ndgrad.GradientTape() as tape:
            output = ndgrad.matmul(input_data, weight)
            loss = ndgrad.mean(ndgrad.square(output - target))
        gradients = tape.gradient(loss, [weight])
        optimizer.apply_gradients(zip(gradients, [weight]))
        losses.append(loss.numpy().item())
    assert weight.trainable and losses[-1] < losses[0]


def test_seed000_example3_numpy_array_is_not_trainable():
    weight = np.random.rand(10, 1)
    input_data = np.array([[1.0], [2.0], [3.0]])
    assert not ndgrad.is_trainable(weight)
    assert not ndgrad.is_trainable(input_data)
    with pytest.raises(ValueError):
        np.dot(input_data, weight)   # plain NumPy: the shapes do not fit either


# --- seed 001: "Why does a Variable have no trainable parameters?" ------------

def test_seed001_example1_no_gradients_is_an_error_that_says_why():
    non_trainable_var = ndgrad.Variable([1.0, 2.0], trainable=False, name="non_trainable")
    x = ndgrad.tensor([3.0, 4.0])
    y = x + non_trainable_var
    optimizer = ndgrad.optim.Adam(learning_rate=0.01)
    with ndgrad.GradientTape() as tape:
        loss = ndgrad.sum(y)
    with pytest.warns(RuntimeWarning, match="no source got a gradient"):
        grads = tape.gradient(loss, [x, non_trainable_var])
    assert grads == [None, None]
    # The text claims the optimizer computes a gradient for x: x is a constant.
    with pytest.raises(ValueError, match="No gradients provided") as error:
        optimizer.apply_gradients(zip(grads, [x, non_trainable_var]))
    assert "constant" in str(error.value) and "trainable=False" in str(error.value)
    assert non_trainable_var.numpy().tolist() == [1.0, 2.0]      # unchanged, as the text says


def test_seed001_example3_assigned_variable_keeps_its_value_and_trainable_one_moves():
    intermediate_var = ndgrad.Variable([0.0], name="intermediate")
    x = ndgrad.tensor([2.0])
    y = x * x
    intermediate_var.assign(y)
    trainable_var = ndgrad.Variable([1.0], trainable=True)
    loss = trainable_var - 1.0          # computed before the tape: still differentiable
    optimizer = ndgrad.optim.Adam(learning_rate=0.1)
    with ndgrad.GradientTape() as tape:
        l = loss  # noqa: E741
    grads = tape.gradient(l, [trainable_var])
    optimizer.apply_gradients(zip(grads, [trainable_var]))
    assert intermediate_var.numpy().tolist() == [4.0]
    # One Adam step of 0.1: "updated during training" holds; "close to 0" needs ~10 steps.
    assert trainable_var.numpy().item() == pytest.approx(0.9, abs=1e-6)


# --- seed 002: "Can NumPy operations be applied to differentiable tensors?" ---

def test_seed002_numpy_mean_keeps_the_gradient():
    x = ndgrad.Variable(ndgrad.random.normal((1, 3, 8, 8)))
    averaged = np.mean(x, axis=1, keepdims=True)
    assert isinstance(averaged, ndgrad.Tensor) and averaged.requires_grad


def test_seed002_example2_detach_numpy_clip_and_back():
    w = ndgrad.Variable(ndgrad.random.normal((2, 4)))
    x = w * 3.0
    x_detached = x.detach().numpy()
    x_numpy_processed = np.clip(x_detached, -1, 1)
    x_processed = ndgrad.tensor(x_numpy_processed).float()
    assert x_processed.dtype == ndgrad.float32 and not x_processed.requires_grad
    assert np.abs(x_processed.numpy()).max() <= 1.0


def test_seed002_example3_custom_function():
    class MyCustomOp(ndgrad.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return ndgrad.tanh(input) * 2

        @staticmethod
        def backward(ctx, grad_output):
            (input,) = ctx.saved_tensors
            return grad_output * 2 * (1 - ndgrad.tanh(input) ** 2)

    my_custom_op = MyCustomOp.apply
    input_tensor = ndgrad.randn(1, 3, 4, 4, requires_grad=True)
    my_custom_op(input_tensor).sum().backward()
    assert input_tensor.grad.shape == (1, 3, 4, 4)
    assert ndgrad.gradcheck(my_custom_op, [np.linspace(-2, 2, 6)])


# --- seed 003: "How do I create trainable variables?" --------------------------

def test_seed003_example2_explicit_variables():
    initial_weights = np.random.randn(5, 3)
    W = ndgrad.Variable(initial_weights, name="custom_weights", trainable=True, dtype=ndgrad.float32)
    b = ndgrad.Variable(np.zeros(3), name="custom_bias", trainable=False, dtype=ndgrad.float32)
    assert W.trainable and not b.trainable
    assert W.dtype == b.dtype == ndgrad.float32
    x = ndgrad.random.normal((1, 5))
    y = ndgrad.matmul(x, W) + b
    assert y.shape == (1, 3) and y.requires_grad
    y.sum().backward()
    assert W.grad.shape == (5, 3) and b.grad is None


def test_integer_variable_cannot_be_trainable():
    with pytest.raises(ndgrad.DTypeError, match="floating dtype"):
        ndgrad.Variable(np.arange(3), trainable=True)
    assert ndgrad.Variable(np.arange(3), trainable=False).dtype == np.int64
