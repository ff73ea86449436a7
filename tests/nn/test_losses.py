"""Regression losses and kl_div against torch.nn.functional; Keras's losses by name."""

import itertools
import warnings

import numpy as np
import pytest

import ndgrad
from ndgrad.nn import losses
from ndgrad.nn.losses import huber_loss, kl_div, l1_loss, mse_loss, smooth_l1_loss

torch = pytest.importorskip("torch")
F = torch.nn.functional
torch.set_num_threads(1)      # tiny tensors: torch's thread pool costs ~30 ms per call on 2 cores

REDUCTIONS = ["mean", "sum", "none"]


def compare(ours, theirs, input, target, rtol=1e-5, atol=1e-6, **kwargs):
    """Values and gradients w.r.t. input and target, against torch."""
    x, t = ndgrad.Variable(input), ndgrad.Variable(target)
    xt = torch.tensor(input, requires_grad=True)
    tt = torch.tensor(target, requires_grad=True)
    nd_kwargs = {k: ndgrad.tensor(v) if isinstance(v, np.ndarray) else v
                 for k, v in kwargs.items()}
    th_kwargs = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v
                 for k, v in kwargs.items()}
    value, expected = ours(x, t, **nd_kwargs), theirs(xt, tt, **th_kwargs)
    seed = np.random.default_rng(1).standard_normal(expected.shape).astype(input.dtype)
    value.backward(ndgrad.tensor(seed))
    expected.backward(torch.tensor(seed))
    assert value.dtype == input.dtype and value.shape == tuple(expected.shape)
    np.testing.assert_allclose(value.numpy(), expected.detach().numpy(), rtol=rtol, atol=atol)
    np.testing.assert_allclose(x.grad.numpy(), xt.grad.numpy(), rtol=rtol, atol=atol)
    np.testing.assert_allclose(t.grad.numpy(), tt.grad.numpy(), rtol=rtol, atol=atol)


def data(rng, shape=(4, 3)):
    # Differences spread over [-3, 3], so Huber's both regimes are hit.
    return (rng.standard_normal(shape).astype(np.float32) * 2,
            rng.standard_normal(shape).astype(np.float32))


REGRESSION = [
    (mse_loss, F.mse_loss, {}),
    (l1_loss, F.l1_loss, {}),
    (huber_loss, F.huber_loss, {}),
    (huber_loss, F.huber_loss, {"delta": 0.5}),
    (smooth_l1_loss, F.smooth_l1_loss, {}),
    (smooth_l1_loss, F.smooth_l1_loss, {"beta": 2.0}),
    (smooth_l1_loss, F.smooth_l1_loss, {"beta": 0.0}),
]


@pytest.mark.parametrize("case,reduction", list(itertools.product(REGRESSION, REDUCTIONS)),
                         ids=lambda v: getattr(v[0], "__name__", str(v)) if isinstance(v, tuple)
                         else v)
def test_regression_losses_match_torch(case, reduction, rng):
    ours, theirs, options = case
    compare(ours, theirs, *data(rng), reduction=reduction, **options)


@pytest.mark.parametrize("ours,theirs", [(mse_loss, F.mse_loss), (l1_loss, F.l1_loss),
                                         (huber_loss, F.huber_loss)])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_element_weights_match_torch(ours, theirs, reduction, rng):
    input, target = data(rng)
    weight = rng.random(input.shape).astype(np.float32)
    compare(ours, theirs, input, target, reduction=reduction, weight=weight)


@pytest.mark.parametrize("loss", [mse_loss, l1_loss, huber_loss, smooth_l1_loss])
def test_regression_losses_gradcheck_in_float64(loss, rng):
    input, target = rng.standard_normal((3, 4)) * 2, rng.standard_normal((3, 4))
    assert ndgrad.gradcheck(loss, [input, target], second_order=loss is not l1_loss)


def test_regression_losses_keep_float64():
    assert mse_loss(np.ones(2), np.zeros(2)).dtype == np.float64
    assert huber_loss(ndgrad.ones(2), np.zeros(2)).dtype == np.float32   # the input's dtype


@pytest.mark.parametrize("loss", [mse_loss, l1_loss, huber_loss, smooth_l1_loss, kl_div])
def test_shapes_that_broadcast_silently_warn_naming_both(loss):
    prediction, target = ndgrad.zeros((4, 1)), ndgrad.ones(4)
    with pytest.warns(UserWarning, match=r"target shape \(4,\) differs from input shape "
                                         r"\(4, 1\); they broadcast to \(4, 4\)") as record:
        loss(prediction, target, reduction="sum")
    assert record[0].filename == __file__          # pointed at the user's line


@pytest.mark.parametrize("loss", [mse_loss, l1_loss, huber_loss, smooth_l1_loss, kl_div])
def test_shapes_that_cannot_broadcast_raise_naming_both(loss):
    with pytest.raises(ValueError, match=r"input shape \(4,\) and target shape \(3,\) cannot "
                                         r"be broadcast"):
        loss(ndgrad.zeros(4), ndgrad.ones(3), reduction="sum")


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="delta must be > 0"):
        huber_loss(ndgrad.zeros(2), ndgrad.zeros(2), delta=0.0)
    with pytest.raises(ValueError, match="beta must be >= 0"):
        smooth_l1_loss(ndgrad.zeros(2), ndgrad.zeros(2), beta=-1.0)
    with pytest.raises(ValueError, match=r"weight shape \(2,\) must equal input shape \(2, 2\)"):
        mse_loss(ndgrad.zeros((2, 2)), ndgrad.zeros((2, 2)), weight=ndgrad.ones(2))
    with pytest.raises(ValueError, match="reduction must be one of 'mean', 'sum', 'none'"):
        l1_loss(ndgrad.zeros(2), ndgrad.zeros(2), reduction="avg")


def test_legacy_reduction_arguments_match_torch(rng):
    input, target = data(rng)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")             # torch's deprecation warning
        for size_average, reduce in [(False, None), (None, False), (True, True)]:
            ours = mse_loss(ndgrad.tensor(input), target, size_average, reduce)
            theirs = F.mse_loss(torch.tensor(input), torch.tensor(target), size_average, reduce)
            np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


# ----------------------------------------------------------------- kl_div
@pytest.mark.parametrize("reduction,log_target",
                         list(itertools.product(["batchmean", "sum", "none"], [False, True])))
def test_kl_div_matches_torch(reduction, log_target, rng):
    log_q = torch.log_softmax(torch.randn(4, 5, dtype=torch.float32), 1).numpy()
    p = np.exp(rng.standard_normal((4, 5))).astype(np.float32)
    p /= p.sum(1, keepdims=True)
    target = np.log(p) if log_target else p
    compare(kl_div, F.kl_div, log_q, target, reduction=reduction, log_target=log_target)


def test_kl_div_mean_warns_as_torch_and_divides_by_every_element(rng):
    log_q = np.log(np.full((2, 4), 0.25, np.float32))
    p = np.array([[1.0, 0.0, 0.0, 0.0]] * 2, np.float32)     # zero targets add nothing
    with pytest.warns(UserWarning, match="'batchmean' gives the true KL divergence"):
        value = kl_div(ndgrad.tensor(log_q), p)
    np.testing.assert_allclose(value.item(), 2 * np.log(4) / 8, rtol=1e-6)


def test_kl_div_gradchecks_in_float64(rng):
    log_q, p = rng.standard_normal((3, 4)), rng.random((3, 4)) + 0.1
    assert ndgrad.gradcheck(lambda x, t: kl_div(x, t, reduction="batchmean"), [log_q, p],
                            second_order=True)
    assert ndgrad.gradcheck(lambda x, t: kl_div(x, t, reduction="sum", log_target=True),
                            [log_q, np.log(p)], second_order=True)


# ----------------------------------------------------------------- Keras's losses
def test_keras_names_and_aliases_resolve_to_the_same_functions():
    assert losses.get("mse") is losses.get("mean_squared_error") is losses.get(
        "MeanSquaredError")
    assert losses.get("mae") is losses.get("mean_absolute_error")
    assert losses.get("kld") is losses.get("kl_divergence")
    assert losses.get(None) is None
    assert losses.get(mse_loss) is mse_loss
    with pytest.raises(ValueError, match=r"unknown loss 'msse'; known names: .*mse"):
        losses.get("msse")
    with pytest.raises(TypeError, match="expected a loss name or a callable"):
        losses.get(3)


def test_keras_regression_losses_against_hand_computed_values():
    y_true = np.array([[0.0, 1.0], [2.0, 4.0]], np.float32)
    y_pred = np.array([[1.0, 1.0], [0.5, 4.5]], np.float32)
    error = y_pred - y_true
    np.testing.assert_allclose(losses.get("mse")(y_true, y_pred).item(), np.mean(error ** 2))
    np.testing.assert_allclose(losses.get("mae")(y_true, y_pred).item(), np.mean(abs(error)))
    huber = np.where(abs(error) <= 1, 0.5 * error ** 2, abs(error) - 0.5)
    np.testing.assert_allclose(losses.get("huber")(y_true, y_pred).item(), huber.mean())


def test_keras_losses_take_y_true_first_and_squeeze_a_trailing_axis():
    y_true = ndgrad.tensor([0.0, 1.0, 2.0])
    y_pred = ndgrad.Variable([[0.0], [1.0], [4.0]])        # (N, 1) against (N,): no broadcast
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = losses.get("mse")(y_true, y_pred)
    assert value.item() == pytest.approx(4.0 / 3)
    value.backward()
    np.testing.assert_allclose(y_pred.grad.numpy(), [[0.0], [0.0], [4.0 / 3]], rtol=1e-6)


def test_keras_sample_weight_is_summed_over_the_batch_size():
    y_true, y_pred = np.zeros((4, 2), np.float32), np.ones((4, 2), np.float32)
    weights = np.array([1.0, 0.0, 2.0, 0.0], np.float32)
    assert losses.get("mae")(y_true, y_pred, sample_weight=weights).item() == 0.75


def test_keras_binary_crossentropy_on_probabilities_clips_with_epsilon():
    y_true = np.array([[1.0, 0.0], [0.0, 1.0]], np.float32)
    y_pred = np.array([[0.9, 0.2], [0.0, 1.0]], np.float32)
    clipped = np.clip(y_pred.astype(np.float64), 1e-7, 1 - 1e-7)
    expected = -(y_true * np.log(clipped) + (1 - y_true) * np.log(1 - clipped)).mean()
    value = losses.get("binary_crossentropy")(y_true, y_pred).item()
    np.testing.assert_allclose(value, expected, rtol=1e-4)


def test_keras_categorical_crossentropy_normalizes_then_clips():
    y_true = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], np.float32)
    y_pred = np.array([[1.0, 2.0, 1.0], [0.0, 0.5, 0.5]], np.float32)   # not normalized
    probabilities = np.clip(y_pred / y_pred.sum(1, keepdims=True), 1e-7, 1 - 1e-7)
    expected = -(y_true * np.log(probabilities)).sum(1).mean()
    value = losses.get("categorical_crossentropy")(y_true, y_pred).item()
    np.testing.assert_allclose(value, expected, rtol=1e-5)
    with pytest.raises(ValueError, match="sparse_categorical_crossentropy"):
        losses.get("categorical_crossentropy")(np.array([1, 0]), y_pred)


@pytest.mark.parametrize("labels", [np.array([1, 0]), np.array([[1], [0]]),
                                    np.array([1.0, 0.0], np.float32)])
def test_keras_sparse_categorical_crossentropy_takes_integer_labels(labels):
    y_pred = ndgrad.Variable([[0.25, 0.75], [0.5, 0.5]])
    value = losses.get("sparse_categorical_crossentropy")(labels, y_pred)
    np.testing.assert_allclose(value.item(), -(np.log(0.75) + np.log(0.5)) / 2, rtol=1e-6)
    value.backward()
    assert np.isfinite(y_pred.grad.numpy()).all()


def test_keras_sparse_categorical_crossentropy_refuses_bad_labels():
    scce = losses.get("sparse_categorical_crossentropy")
    with pytest.raises(IndexError, match=r"class labels in \[0, 2\)"):
        scce(np.array([2, 0]), ndgrad.ones((2, 2)) / 2)
    with pytest.raises(ValueError, match=r"labels of shape \(2,\)"):
        scce(np.array([0, 1, 0]), ndgrad.ones((2, 2)) / 2)
    with pytest.raises(ValueError, match="integer class labels"):
        scce(np.array([0.5, 1.0]), ndgrad.ones((2, 2)) / 2)


def test_keras_kl_divergence_against_hand_computed_value():
    y_true = np.array([[0.5, 0.5], [1.0, 0.0]], np.float32)
    y_pred = np.array([[0.25, 0.75], [0.5, 0.5]], np.float32)
    t, p = np.clip(y_true, 1e-7, 1), np.clip(y_pred, 1e-7, 1)
    expected = (t * np.log(t / p)).sum(1).mean()
    np.testing.assert_allclose(losses.get("kl_divergence")(y_true, y_pred).item(), expected,
                               rtol=1e-5)


def test_keras_options_from_logits_match_torch_and_are_stable(rng):
    logits = np.array([[1000.0, -1000.0, 0.5], [-1000.0, 2.0, 1000.0]], np.float32)
    labels = np.array([1, 2])
    one_hot = np.eye(3, dtype=np.float32)[labels]
    scce = losses.get("sparse_categorical_crossentropy", from_logits=True)
    cce = losses.get("categorical_crossentropy", from_logits=True, label_smoothing=0.1)
    bce = losses.get("binary_crossentropy", from_logits=True)
    x = ndgrad.Variable(logits)
    for value, expected in [
            (scce(labels, x), F.cross_entropy(torch.tensor(logits), torch.tensor(labels))),
            (cce(one_hot, x), F.cross_entropy(torch.tensor(logits), torch.tensor(one_hot),
                                              label_smoothing=0.1)),
            (bce(one_hot, x), F.binary_cross_entropy_with_logits(torch.tensor(logits),
                                                                 torch.tensor(one_hot)))]:
        np.testing.assert_allclose(value.item(), expected.item(), rtol=1e-6)
        x.grad = None
        value.backward()
        assert np.isfinite(x.grad.numpy()).all()


def test_keras_options_are_checked():
    with pytest.raises(TypeError, match="mean_squared_error takes no option from_logits"):
        losses.get("mse", from_logits=True)
    with pytest.raises(TypeError, match="apply to a loss name only"):
        losses.get(mse_loss, delta=2.0)
    huber = losses.get("huber", delta=0.5)
    assert huber(np.zeros(2, np.float32), np.array([0.25, 2.0], np.float32)).item() == (
        pytest.approx((0.5 * 0.25 ** 2 + 0.5 * (2.0 - 0.25)) / 2))
