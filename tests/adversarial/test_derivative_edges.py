"""Issue 12, item 7: derivative edge cases, each against PyTorch and, where the
derivative exists, float64 central finite differences.

- ``x ** p`` at ``x = 0`` (``d/dx x**0`` was NaN; PyTorch's rule is zero where
  ``p == 0``, and for ``d/dp`` zero where ``x == 0`` and ``p >= 0``);
- ``std`` of a constant input (``0 * inf = NaN``; PyTorch: 0), and p-norms
  with p < 1 at zero;
- ``eigh`` / ``eigvalsh`` / ``cholesky`` of a matrix whose two triangles differ:
  only one triangle is read, so only it gets a gradient (finite differences of
  what NumPy computes); its symmetric part is PyTorch's gradient;
- ``binary_cross_entropy`` with targets or inputs outside [0, 1] or NaN:
  refused as PyTorch does, changing nothing; Keras's face keeps Keras's clipping.

Backward passes run with warnings as errors: no RuntimeWarning leaks.
"""

import warnings

import numpy as np
import pytest

import ndgrad
import ndgrad.torch as ndtorch
from ndgrad import keras

torch = pytest.importorskip("torch")


def _finite_differences(f, a, h=1e-6):
    """Central differences of the scalar ``f`` at the float64 array ``a``."""
    grad = np.zeros_like(a)
    for index in np.ndindex(a.shape):
        step = np.zeros_like(a)
        step[index] = h
        grad[index] = (f(a + step) - f(a - step)) / (2 * h)
    return grad


def _backward_without_warnings(loss):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss.backward()


def _quiet(function, *args):
    """The forward, whose NumPy warnings (0 ** -1) are NumPy's own."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return function(*args)


def _close(ours, theirs, rtol=1e-12, atol=1e-12):
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol, equal_nan=True)


# ---------------------------------------------------------------- x ** p

BASES = [0.0, -1.5, -1.0, 0.5, 2.0]
EXPONENTS = [0, 1, 2, 3, -1, -2, 0.5, 1.5, 0.0, 2.0, 3.0]


@pytest.mark.parametrize("p", EXPONENTS, ids=[repr(p) for p in EXPONENTS])
def test_power_with_a_number_exponent_matches_pytorch(p):
    x = ndgrad.tensor(np.array(BASES), requires_grad=True)
    _backward_without_warnings(_quiet(lambda: (x ** p).sum()))
    t = torch.tensor(BASES, dtype=torch.float64, requires_grad=True)
    (t ** p).sum().backward()
    _close(x.grad.numpy(), t.grad.numpy())


@pytest.mark.parametrize("p", [0, 1, 2, 3, 0.0, 2.0], ids=repr)
def test_power_with_an_integer_exponent_matches_finite_differences_at_zero(p):
    bases = np.array(BASES)
    x = ndgrad.tensor(bases, requires_grad=True)
    (x ** p).sum().backward()
    expected = _finite_differences(lambda a: np.sum(a ** p), bases)
    np.testing.assert_allclose(x.grad.numpy(), expected, atol=1e-7)


def test_the_issue_example_x_to_the_zero_at_zero():
    x = ndgrad.tensor([0.0], requires_grad=True)
    _backward_without_warnings((x ** 0).sum())
    assert x.grad.tolist() == [0.0]
    t = torch.tensor([0.0], requires_grad=True)
    (t ** 0).sum().backward()
    assert t.grad.tolist() == [0.0]


TENSOR_CASES = [  # (bases, exponents): every edge PyTorch's rule distinguishes
    ([0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 1.0, 2.0, 0.5, -1.0, -2.0]),
    ([-2.0, -2.0, -1.0, 2.0, 0.5, 3.0], [2.0, 0.5, 3.0, 0.0, -1.5, 1.25]),
]


@pytest.mark.parametrize("bases, exponents", TENSOR_CASES)
def test_power_with_a_tensor_exponent_matches_pytorch_for_both_operands(bases, exponents):
    x = ndgrad.tensor(np.array(bases), requires_grad=True)
    p = ndgrad.tensor(np.array(exponents), requires_grad=True)
    _backward_without_warnings(_quiet(lambda: (x ** p).sum()))
    tx = torch.tensor(bases, dtype=torch.float64, requires_grad=True)
    tp = torch.tensor(exponents, dtype=torch.float64, requires_grad=True)
    (tx ** tp).sum().backward()
    _close(x.grad.numpy(), tx.grad.numpy())
    _close(p.grad.numpy(), tp.grad.numpy())


def test_power_gradient_for_the_exponent_matches_finite_differences():
    bases, exponents = np.array([0.0, 0.0, 0.5, 2.0, 3.0]), np.array([1.0, 2.5, -1.5, 0.0, 1.25])
    x = ndgrad.tensor(bases, requires_grad=True)
    p = ndgrad.tensor(exponents, requires_grad=True)
    (x ** p).sum().backward()
    expected = _finite_differences(lambda e: np.sum(bases ** e), exponents)
    np.testing.assert_allclose(p.grad.numpy(), expected, rtol=1e-6, atol=1e-8)
    assert p.grad.numpy()[0] == 0.0 and p.grad.numpy()[1] == 0.0      # x == 0, p > 0


@pytest.mark.parametrize("base", [2.0, 0.0, -2.0, 2])
def test_power_of_a_number_base_matches_pytorch_and_keeps_the_dtype(base):
    exponents = [0.0, -1.0, 2.0]
    x = ndgrad.tensor(exponents, requires_grad=True)                  # float32
    _backward_without_warnings(_quiet(lambda: (base ** x).sum()))
    t = torch.tensor(exponents, requires_grad=True)
    (base ** t).sum().backward()
    assert x.grad.dtype == np.float32
    _close(x.grad.numpy(), t.grad.numpy(), rtol=1e-6)


@pytest.mark.parametrize("p", [1, 2, 3, 0.5, 2.5])
def test_second_derivative_of_power_matches_pytorch(p):
    bases = [0.0, 0.75, 2.0] if float(p).is_integer() else [0.75, 2.0]
    x = ndgrad.tensor(np.array(bases), requires_grad=True)
    (x ** p).sum().backward(create_graph=True)
    first, x.grad = x.grad, None
    _backward_without_warnings(first.sum())
    t = torch.tensor(bases, dtype=torch.float64, requires_grad=True)
    (torch_first,) = torch.autograd.grad((t ** p).sum(), [t], create_graph=True)
    torch_first.sum().backward()
    _close(x.grad.numpy(), t.grad.numpy())


# ---------------------------------------------------------------- std, var, norms

CONSTANTS = [2.0, -0.5, 0.0]
REDUCTIONS = [  # (ndgrad call, torch call)
    (lambda x: ndgrad.std(x), lambda t: t.std(correction=0)),
    (lambda x: ndgrad.std(x, ddof=1), lambda t: t.std()),
    (lambda x: ndgrad.std(x, axis=1), lambda t: t.std(dim=1, correction=0)),
    (lambda x: ndgrad.std(x, axis=0, keepdims=True), lambda t: t.std(0, correction=0,
                                                                       keepdim=True)),
    (lambda x: np.std(x, axis=(0, 1), ddof=1), lambda t: t.std(dim=(0, 1))),
    (lambda x: x.std(1), lambda t: t.std(1)),                          # the torch face
    (lambda x: ndtorch.std(x, dim=1, unbiased=False), lambda t: t.std(1, unbiased=False)),
    (lambda x: ndgrad.var(x), lambda t: t.var(correction=0)),
    (lambda x: ndgrad.var(x, axis=1, ddof=1), lambda t: t.var(1)),
    (lambda x: x.var(0, correction=0), lambda t: t.var(0, correction=0)),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("value", CONSTANTS)
@pytest.mark.parametrize("index", range(len(REDUCTIONS)))
def test_std_and_var_of_a_constant_have_pytorchs_zero_gradient(index, value, dtype):
    ours, theirs = REDUCTIONS[index]
    data = np.full((2, 3), value, dtype=dtype)
    x = ndtorch.tensor(data, requires_grad=True)
    _backward_without_warnings(ours(x).sum())
    t = torch.tensor(data, requires_grad=True)
    theirs(t).sum().backward()
    assert np.isfinite(x.grad.numpy()).all()
    _close(x.grad.numpy(), t.grad.numpy())
    assert x.grad.numpy().tolist() == np.zeros((2, 3)).tolist()


@pytest.mark.parametrize("index", range(len(REDUCTIONS)))
def test_std_and_var_with_one_constant_row_match_pytorch_and_finite_differences(index):
    ours, theirs = REDUCTIONS[index]
    data = np.array([[1.0, 1.0, 1.0], [0.5, -2.0, 3.0]])
    x = ndtorch.tensor(data, requires_grad=True)
    _backward_without_warnings(ours(x).sum())
    t = torch.tensor(data, requires_grad=True)
    theirs(t).sum().backward()
    _close(x.grad.numpy(), t.grad.numpy())
    if index not in (2, 5, 6):      # a row-wise std is not differentiable at the constant row
        expected = _finite_differences(
            lambda a: float(np.sum(ours(ndtorch.tensor(a)).numpy())), data)
        np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-6, atol=1e-8)


ORDERS = [0.5, 0.3, -1.0, -2.5, 1, 1.5, 2, 3, np.inf]
VECTORS = [[0.0, 0.0, 0.0], [0.0, 1.0, -2.0], [0.5, -1.0, 2.0]]


@pytest.mark.parametrize("vector", VECTORS, ids=["zero", "one zero", "no zero"])
@pytest.mark.parametrize("order", ORDERS, ids=repr)
def test_vector_norm_gradients_at_zero_match_pytorch(order, vector):
    x = ndgrad.tensor(np.array(vector), requires_grad=True)
    _backward_without_warnings(_quiet(ndgrad.linalg.norm, x, order))
    t = torch.tensor(vector, dtype=torch.float64, requires_grad=True)
    torch.linalg.vector_norm(t, ord=order).backward()
    assert np.isfinite(x.grad.numpy()).all()
    _close(x.grad.numpy(), t.grad.numpy())
    if 0.0 not in vector:
        expected = _finite_differences(lambda a: np.linalg.norm(a, order), np.array(vector))
        np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-6, atol=1e-8)


# ---------------------------------------------------------------- eigh, cholesky

RNG = np.random.default_rng(12)
NONSYMMETRIC = RNG.standard_normal((3, 3))
EIGEN_WEIGHTS = RNG.standard_normal(3), RNG.standard_normal((3, 3))


def _eigen_loss(values, vectors, lib=np):
    """Sign-independent: weighted eigenvalues and squared eigenvectors."""
    w_values, w_vectors = EIGEN_WEIGHTS
    if lib is torch:
        w_values, w_vectors = torch.tensor(w_values), torch.tensor(w_vectors)
    return (values * w_values).sum() + (vectors ** 2 * w_vectors).sum()


@pytest.mark.parametrize("uplo", ["L", "U"])
def test_eigh_of_a_nonsymmetric_input_differentiates_the_triangle_it_reads(uplo):
    a = ndgrad.tensor(NONSYMMETRIC, requires_grad=True)
    _backward_without_warnings(_eigen_loss(*ndgrad.linalg.eigh(a, UPLO=uplo)))
    expected = _finite_differences(lambda m: _eigen_loss(*np.linalg.eigh(m, UPLO=uplo)),
                                   NONSYMMETRIC)
    np.testing.assert_allclose(a.grad.numpy(), expected, rtol=1e-6, atol=1e-8)
    unread = np.triu(a.grad.numpy(), 1) if uplo == "L" else np.tril(a.grad.numpy(), -1)
    assert not unread.any()
    t = torch.tensor(NONSYMMETRIC, requires_grad=True)
    _eigen_loss(*torch.linalg.eigh(t, UPLO=uplo), lib=torch).backward()
    ours = a.grad.numpy()
    _close((ours + ours.T) / 2, t.grad.numpy())       # PyTorch's is the symmetric part


@pytest.mark.parametrize("uplo", ["L", "U"])
def test_eigh_through_a_symmetric_input_equals_pytorch(uplo):
    b = ndgrad.tensor(NONSYMMETRIC, requires_grad=True)
    _eigen_loss(*ndgrad.linalg.eigh(b @ b.T + b + b.T, UPLO=uplo)).backward()
    t = torch.tensor(NONSYMMETRIC, requires_grad=True)
    _eigen_loss(*torch.linalg.eigh(t @ t.T + t + t.T, UPLO=uplo), lib=torch).backward()
    _close(b.grad.numpy(), t.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_eigvalsh_of_a_batch_differentiates_the_lower_triangle():
    batch = RNG.standard_normal((2, 3, 3))
    a = ndgrad.tensor(batch, requires_grad=True)
    (ndgrad.linalg.eigvalsh(a) * np.arange(1.0, 4.0)).sum().backward()
    expected = _finite_differences(
        lambda m: np.sum(np.linalg.eigvalsh(m) * np.arange(1.0, 4.0)), batch)
    np.testing.assert_allclose(a.grad.numpy(), expected, rtol=1e-6, atol=1e-8)


SPD = NONSYMMETRIC @ NONSYMMETRIC.T + 3 * np.eye(3)
CHOLESKY_INPUTS = {"symmetric": SPD,
                   "upper differs": SPD + 0.4 * np.triu(RNG.standard_normal((3, 3)), 1),
                   "lower differs": SPD + 0.4 * np.tril(RNG.standard_normal((3, 3)), -1)}
CHOLESKY_WEIGHTS = RNG.standard_normal((3, 3))


@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize("name", list(CHOLESKY_INPUTS))
def test_cholesky_reads_one_triangle_forward_and_backward(name, upper):
    matrix = CHOLESKY_INPUTS[name]
    a = ndgrad.tensor(matrix, requires_grad=True)
    factor = ndgrad.linalg.cholesky(a, upper=upper)
    np.testing.assert_allclose(factor.numpy(), np.linalg.cholesky(matrix, upper=upper),
                               rtol=1e-12)
    t = torch.tensor(matrix, requires_grad=True)
    torch_factor = torch.linalg.cholesky(t, upper=upper)
    np.testing.assert_allclose(factor.numpy(), torch_factor.detach().numpy(), rtol=1e-12)
    _backward_without_warnings((factor * CHOLESKY_WEIGHTS).sum())
    expected = _finite_differences(
        lambda m: np.sum(np.linalg.cholesky(m, upper=upper) * CHOLESKY_WEIGHTS), matrix)
    np.testing.assert_allclose(a.grad.numpy(), expected, rtol=1e-6, atol=1e-8)
    (torch_factor * torch.tensor(CHOLESKY_WEIGHTS)).sum().backward()
    ours = a.grad.numpy()
    _close((ours + ours.T) / 2, t.grad.numpy(), rtol=1e-10)


# ---------------------------------------------------------------- binary cross-entropy

NAN = float("nan")
BAD_PAIRS = [  # (input, target, the argument named)
    ([0.5, 0.3], [2.0, 0.0], "target"),
    ([0.5, 0.3], [-1.0, 0.0], "target"),
    ([0.5, 0.3], [NAN, 0.0], "target"),
    ([NAN, 0.3], [1.0, 0.0], "input"),
    ([1.5, 0.3], [1.0, 0.0], "input"),
    ([-0.1, 0.3], [1.0, 0.0], "input"),
    ([0.5, float("inf")], [1.0, 0.0], "input"),
]
BCE_FACES = {  # face -> (ndgrad loss, the PyTorch loss it stands for), for n elements
    "core": lambda n: (ndgrad.nn.functional.binary_cross_entropy,
                       torch.nn.functional.binary_cross_entropy),
    "torch.nn.functional": lambda n: (ndtorch.nn.functional.binary_cross_entropy,
                                      torch.nn.functional.binary_cross_entropy),
    "torch.nn.BCELoss": lambda n: (ndtorch.nn.BCELoss(), torch.nn.BCELoss()),
    "BCELoss(weight, sum)": lambda n: (
        ndtorch.nn.BCELoss(weight=ndtorch.arange(1.0, n + 1), reduction="sum"),
        torch.nn.BCELoss(weight=torch.arange(1.0, n + 1), reduction="sum")),
}


@pytest.mark.parametrize("face", list(BCE_FACES))
@pytest.mark.parametrize("probabilities, target, argument", BAD_PAIRS)
def test_binary_cross_entropy_refuses_values_outside_zero_one(face, probabilities, target,
                                                               argument):
    loss, torch_loss = BCE_FACES[face](len(target))
    with pytest.raises(RuntimeError, match=f"all elements of {argument} should be between"):
        torch_loss(torch.tensor(probabilities), torch.tensor(target))
    x = ndtorch.tensor(probabilities, requires_grad=True)
    y = ndtorch.tensor(target)
    with pytest.raises(ValueError) as caught:
        loss(x, y)
    message = str(caught.value)
    assert message.startswith(f"binary_cross_entropy: all elements of {argument} should be "
                              "between 0 and 1")
    assert ("NaN" in message) == any(np.isnan(probabilities if argument == "input" else target))
    assert ("sigmoid" in message) == (argument == "input")
    _close(x.detach().numpy(), np.float32(probabilities))
    _close(y.numpy(), np.float32(target))
    assert x.grad is None


@pytest.mark.parametrize("face", list(BCE_FACES))
def test_binary_cross_entropy_accepts_the_ends_of_zero_one_as_pytorch(face):
    probabilities, target = [0.0, 1.0, 0.25, 1.0], [1.0, 0.0, 0.5, 1.0]
    loss, torch_loss = BCE_FACES[face](len(target))
    x = ndtorch.tensor(probabilities, requires_grad=True)
    value = loss(x, ndtorch.tensor(target))
    _backward_without_warnings(value)
    t = torch.tensor(probabilities, requires_grad=True)
    expected = torch_loss(t, torch.tensor(target))
    expected.backward()
    np.testing.assert_allclose(value.item(), expected.item(), rtol=1e-6)
    np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), rtol=1e-5)


def test_keras_binary_crossentropy_keeps_keras_clipping_and_checks_nothing():
    # Keras 3 clips the prediction to [1e-7, 1 - 1e-7] and uses the target as given.
    bce = keras.losses.BinaryCrossentropy()
    y_true, y_pred = np.array([[2.0, -1.0]]), np.array([[0.5, 1.5]])
    clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
    expected = np.mean(-(y_true * np.log(clipped) + (1 - y_true) * np.log(1 - clipped)))
    np.testing.assert_allclose(bce(y_true, y_pred).item(), expected, rtol=1e-5)
    assert np.isnan(bce(np.array([[1.0, 0.0]]), np.array([[NAN, 0.5]])).item())
    values = keras.ops.binary_crossentropy(y_true[0], y_pred[0]).numpy()
    np.testing.assert_allclose(
        values, -(y_true[0] * np.log(clipped[0]) + (1 - y_true[0]) * np.log(1 - clipped[0])),
        rtol=1e-5)
