"""Activations and special functions: what the op table cannot express —
stability at extreme inputs, dtypes, softmax identities, erf accuracy, errors."""

import math
import warnings

import numpy as np
import pytest

import ndgrad

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = F = None

needs_torch = pytest.mark.skipif(torch is None, reason="PyTorch is not installed")

ACTIVATIONS = ["relu", "relu6", "leaky_relu", "elu", "selu", "celu", "gelu", "sigmoid",
               "log_sigmoid", "softplus", "softsign", "silu", "swish", "mish", "hard_sigmoid",
               "hard_tanh", "softmax", "log_softmax", "erf", "erfc"]


def _value_and_grad(function, data):
    x = ndgrad.Variable(data)
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        y = function(x)
        y.sum().backward()
    return y, x.grad


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_extreme_inputs_give_finite_values_and_gradients_without_warnings(name):
    data = np.array([-1000.0, -100.0, -20.0, 0.0, 20.0, 100.0, 1000.0], dtype=np.float32)
    y, grad = _value_and_grad(getattr(ndgrad, name), data)
    assert np.isfinite(y.numpy()).all()
    assert np.isfinite(grad.numpy()).all()


@pytest.mark.parametrize("name", ["sigmoid", "log_sigmoid", "softplus", "silu", "mish",
                                  "elu", "selu", "erf", "erfc"])
def test_extreme_inputs_match_pytorch(name):
    if torch is None:
        pytest.skip("PyTorch is not installed")
    data = np.array([-1000.0, -80.0, -30.0, -5.0, 5.0, 30.0, 80.0, 1000.0])
    y, grad = _value_and_grad(getattr(ndgrad, name), data)
    function = {"log_sigmoid": F.logsigmoid, "erf": torch.special.erf,
                "erfc": torch.special.erfc}.get(name) or getattr(torch, name, None) \
        or getattr(F, name)
    t = torch.tensor(data, requires_grad=True)
    expected = function(t)
    expected.sum().backward()
    np.testing.assert_allclose(y.numpy(), expected.detach().numpy(), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(grad.numpy(), t.grad.numpy(), rtol=1e-10, atol=1e-300)


def test_gelu_keeps_its_tiny_negative_tail():
    # PyTorch computes 1 + erf(x / sqrt(2)) there and cancels to zero; ndgrad uses erfc.
    x = np.array([-30.0, -5.0])
    y, grad = _value_and_grad(ndgrad.gelu, x)
    expected = [0.5 * v * math.erfc(-v / math.sqrt(2)) for v in x]
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-12)   # erfc amplifies rounding 900x here
    slope = [0.5 * math.erfc(-v / math.sqrt(2)) + v * math.exp(-v * v / 2) / math.sqrt(2 * math.pi)
             for v in x]
    np.testing.assert_allclose(grad.numpy(), slope, rtol=1e-10)


@pytest.mark.parametrize("name", ACTIVATIONS + ["logit"])
def test_float32_stays_float32_in_values_and_gradients(name):
    data = np.array([[0.25, 0.5], [0.75, 0.125]], dtype=np.float32)
    y, grad = _value_and_grad(getattr(ndgrad, name), data)
    assert y.dtype == np.float32
    assert grad.dtype == np.float32


@pytest.mark.parametrize("name", ["elu", "selu", "gelu", "sigmoid", "log_sigmoid", "softplus",
                                  "softsign", "silu", "mish", "hard_sigmoid", "softmax",
                                  "log_softmax", "erf", "erfc"])
def test_integer_inputs_give_float32(name):
    assert getattr(ndgrad, name)(ndgrad.tensor([-2, 0, 1, 2])).dtype == np.float32


def test_sigmoid_keeps_tiny_values_for_very_negative_inputs():
    y = ndgrad.sigmoid(ndgrad.tensor([-80.0]))
    np.testing.assert_allclose(y.numpy(), [math.exp(-80.0)], rtol=1e-6)


def test_softmax_rows_sum_to_one_even_for_huge_logits():
    x = ndgrad.tensor([[1000.0, -1000.0, 999.0], [-1e30, 0.0, 3.0], [5.0, 5.0, 5.0]])
    y = ndgrad.softmax(x)
    np.testing.assert_allclose(y.numpy().sum(axis=1), [1.0, 1.0, 1.0], rtol=1e-6)
    np.testing.assert_allclose(y.numpy()[2], [1 / 3] * 3, rtol=1e-6)


def test_softmax_along_axis_zero_sums_columns_to_one():
    x = ndgrad.randn(4, 3)
    np.testing.assert_allclose(ndgrad.softmax(x, axis=0).numpy().sum(axis=0), np.ones(3), rtol=1e-6)


def test_log_softmax_equals_log_of_softmax_where_both_are_finite():
    x = ndgrad.tensor(np.random.default_rng(0).standard_normal((5, 7)) * 10, dtype="float64")
    np.testing.assert_allclose(ndgrad.log_softmax(x).numpy(),
                               np.log(ndgrad.softmax(x).numpy()), rtol=1e-12)


def test_log_softmax_stays_finite_where_softmax_underflows():
    y = ndgrad.log_softmax(ndgrad.tensor([0.0, -1000.0]))
    assert y.tolist() == [0.0, -1000.0]
    assert ndgrad.softmax(ndgrad.tensor([0.0, -1000.0])).tolist() == [1.0, 0.0]


def test_softmax_gradient_sums_to_zero_along_the_axis():
    x = ndgrad.Variable(np.random.default_rng(1).standard_normal((3, 4)), dtype="float64")
    (ndgrad.softmax(x) * ndgrad.tensor(np.arange(12.0).reshape(3, 4))).sum().backward()
    np.testing.assert_allclose(x.grad.numpy().sum(axis=1), np.zeros(3), atol=1e-12)


def test_softmax_of_a_scalar_is_one():
    assert ndgrad.softmax(ndgrad.tensor(3.0)).item() == 1.0
    assert ndgrad.log_softmax(ndgrad.tensor(3.0)).item() == 0.0


@needs_torch
def test_erf_float64_matches_pytorch_to_the_last_digits_over_the_whole_range():
    x = np.concatenate([np.linspace(-30, 30, 60001), np.geomspace(1e-300, 30, 2000)])
    for function, reference in [(ndgrad.erf, torch.special.erf), (ndgrad.erfc, torch.special.erfc)]:
        ours = function(ndgrad.tensor(x, dtype="float64")).numpy()
        theirs = reference(torch.tensor(x)).numpy()
        np.testing.assert_allclose(ours, theirs, rtol=4e-15, atol=1e-300)


@needs_torch
def test_erf_float32_is_within_a_few_units_in_the_last_place():
    x = np.linspace(-11, 11, 200001).astype(np.float32)
    for function, reference in [(ndgrad.erf, torch.special.erf), (ndgrad.erfc, torch.special.erfc)]:
        ours = function(ndgrad.tensor(x)).numpy()
        theirs = reference(torch.tensor(x, dtype=torch.float64)).numpy()
        normal = np.abs(theirs) > np.finfo(np.float32).tiny
        np.testing.assert_allclose(ours[normal], theirs[normal], rtol=6e-7)


def test_erf_handles_infinities_nan_and_signed_zero():
    x = ndgrad.tensor([np.inf, -np.inf, np.nan, -0.0, 1e30])
    assert np.array_equal(ndgrad.erf(x).numpy(), [1.0, -1.0, np.nan, -0.0, 1.0], equal_nan=True)
    assert np.signbit(ndgrad.erf(x).numpy()[3])
    assert np.array_equal(ndgrad.erfc(x).numpy(), [0.0, 2.0, np.nan, 1.0, 0.0], equal_nan=True)


def test_erfc_keeps_relative_accuracy_deep_in_the_tail():
    assert ndgrad.erfc(ndgrad.tensor(9.0)).item() == pytest.approx(math.erfc(9.0), rel=1e-6)
    assert ndgrad.erfc(ndgrad.tensor(25.0, dtype="float64")).item() == \
        pytest.approx(math.erfc(25.0), rel=1e-14)


def test_leaky_relu_gradient_is_exactly_one_or_the_slope():
    x = ndgrad.Variable([-2.0, -0.5, 0.5, 3.0])
    ndgrad.leaky_relu(x, 0.1).sum().backward()
    assert x.grad.tolist() == [np.float32(0.1)] * 2 + [1.0, 1.0]


def test_relu_gradient_at_zero_is_zero_as_in_pytorch():
    x = ndgrad.Variable([0.0, 1.0])
    ndgrad.relu(x).sum().backward()
    assert x.grad.tolist() == [0.0, 1.0]


def test_tensor_methods_call_the_activations():
    x = ndgrad.tensor([-1.0, 0.0, 2.0])
    assert x.relu().tolist() == ndgrad.relu(x).tolist()
    assert x.sigmoid().tolist() == ndgrad.sigmoid(x).tolist()


def test_swish_is_silu_and_hardtanh_is_hard_tanh():
    assert ndgrad.swish is ndgrad.silu
    assert ndgrad.hardtanh is ndgrad.hard_tanh
    assert ndgrad.hardsigmoid is ndgrad.hard_sigmoid


def test_gelu_rejects_an_unknown_approximation():
    with pytest.raises(ValueError, match="approximate"):
        ndgrad.gelu(ndgrad.ones(2), approximate="fast")


def test_celu_rejects_alpha_zero():
    with pytest.raises(ValueError, match="alpha"):
        ndgrad.celu(ndgrad.ones(2), alpha=0.0)


def test_softplus_is_linear_above_the_threshold():
    x = ndgrad.Variable([0.5, 2.0], dtype="float64")
    y = ndgrad.softplus(x, beta=1.0, threshold=1.0)
    y.sum().backward()
    assert y.numpy()[1] == 2.0
    assert x.grad.numpy()[1] == 1.0
    assert x.grad.numpy()[0] == pytest.approx(1 / (1 + math.exp(-0.5)))


def test_logit_inverts_sigmoid():
    x = ndgrad.tensor([-3.0, 0.0, 2.5], dtype="float64")
    np.testing.assert_allclose(ndgrad.logit(ndgrad.sigmoid(x)).numpy(), x.numpy(), rtol=1e-12)
