"""cross_entropy, nll_loss and the binary cross-entropies against torch.nn.functional."""

import itertools
import warnings

import numpy as np
import pytest

import ndgrad
from ndgrad.autograd.graph import backward
from ndgrad.nn.classification_losses import (binary_cross_entropy,
                                             binary_cross_entropy_with_logits, cross_entropy,
                                             nll_loss)

torch = pytest.importorskip("torch")
F = torch.nn.functional
torch.set_num_threads(1)      # tiny tensors: torch's thread pool costs ~30 ms per call on 2 cores

REDUCTIONS = ["mean", "sum", "none"]


def run_both(ours, theirs, arrays, grad_of, **kwargs):
    """Loss and gradients (for the positions in ``grad_of``) from ndgrad and torch."""
    nd_args = [ndgrad.Variable(a) if i in grad_of else ndgrad.tensor(a)
               for i, a in enumerate(arrays)]
    th_args = [torch.tensor(a, requires_grad=i in grad_of) for i, a in enumerate(arrays)]
    nd_kwargs = {k: ndgrad.tensor(v) if isinstance(v, np.ndarray) else v
                 for k, v in kwargs.items()}
    th_kwargs = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v
                 for k, v in kwargs.items()}
    nd_loss, th_loss = ours(*nd_args, **nd_kwargs), theirs(*th_args, **th_kwargs)
    seed = np.random.default_rng(1).standard_normal(th_loss.shape).astype(np.float32)
    nd_loss.backward(ndgrad.tensor(seed))
    th_loss.backward(torch.tensor(seed))
    return (nd_loss.numpy(), [nd_args[i].grad.numpy() for i in grad_of],
            th_loss.detach().numpy(), [th_args[i].grad.numpy() for i in grad_of])


def assert_matches(ours, theirs, arrays, grad_of=(0,), rtol=1e-5, atol=1e-6, **kwargs):
    nd_value, nd_grads, th_value, th_grads = run_both(ours, theirs, arrays, grad_of, **kwargs)
    assert nd_value.shape == th_value.shape
    assert nd_value.dtype == np.float32
    np.testing.assert_allclose(nd_value, th_value, rtol=rtol, atol=atol)
    for nd_grad, th_grad in zip(nd_grads, th_grads):
        np.testing.assert_allclose(nd_grad, th_grad, rtol=rtol, atol=atol)


def logits_and_targets(shape, rng, ignore=False):
    logits = rng.standard_normal(shape).astype(np.float32)
    classes = shape[0] if len(shape) == 1 else shape[1]
    target_shape = () if len(shape) == 1 else shape[:1] + shape[2:]
    target = rng.integers(0, classes, target_shape)
    if ignore and target.ndim:
        target.flat[::3] = 1                       # the ignored class below
    return logits, np.asarray(target, dtype=np.int64)


SHAPES = [(6, 4), (3, 4, 5), (2, 3, 2, 2), (5,)]


# ----------------------------------------------------------------- cross_entropy, indices
@pytest.mark.parametrize("shape,reduction,weighted,ignore,smoothing", [
    (s, r, w, i, ls) for s, r, w, i, ls in itertools.product(
        SHAPES, REDUCTIONS, [False, True], [False, True], [0.0, 0.15])])
def test_cross_entropy_class_indices_matches_torch(shape, reduction, weighted, ignore,
                                                   smoothing, rng):
    logits, target = logits_and_targets(shape, rng, ignore)
    classes = shape[0] if len(shape) == 1 else shape[1]
    kwargs = dict(reduction=reduction, label_smoothing=smoothing,
                  ignore_index=1 if ignore else -100)
    if weighted:
        kwargs["weight"] = rng.random(classes).astype(np.float32) + 0.5
    assert_matches(cross_entropy, F.cross_entropy, [logits, target], **kwargs)


@pytest.mark.parametrize("shape,reduction,weighted,smoothing", [
    (s, r, w, ls) for s, r, w, ls in itertools.product(
        SHAPES, REDUCTIONS, [False, True], [0.0, 0.2])])
def test_cross_entropy_probability_targets_match_torch(shape, reduction, weighted, smoothing,
                                                       rng):
    logits = rng.standard_normal(shape).astype(np.float32)
    axis = 0 if len(shape) == 1 else 1
    probabilities = np.exp(rng.standard_normal(shape))
    probabilities = (probabilities / probabilities.sum(axis, keepdims=True)).astype(np.float32)
    kwargs = dict(reduction=reduction, label_smoothing=smoothing)
    if weighted:
        kwargs["weight"] = rng.random(shape[axis]).astype(np.float32) + 0.5
    assert_matches(cross_entropy, F.cross_entropy, [logits, probabilities], grad_of=(0, 1),
                   **kwargs)


def test_cross_entropy_mean_divides_by_summed_weights_of_counted_targets():
    logits = ndgrad.tensor([[1.0, 2.0, 3.0], [1.0, 0.0, 0.0], [0.5, 0.5, 0.5]])
    target = ndgrad.tensor([2, 0, 1])
    weight = ndgrad.tensor([1.0, 2.0, 4.0])
    per_target = cross_entropy(logits, target, reduction="none", weight=weight, ignore_index=1)
    mean = cross_entropy(logits, target, weight=weight, ignore_index=1)
    assert per_target.tolist()[2] == 0.0
    np.testing.assert_allclose(mean.item(), per_target.sum().item() / (4.0 + 1.0), rtol=1e-6)


def test_cross_entropy_every_target_ignored_gives_nan_mean_as_torch():
    logits = np.zeros((2, 3), np.float32)
    target = np.array([-100, -100])
    assert np.isnan(cross_entropy(ndgrad.tensor(logits), target).item())
    assert cross_entropy(ndgrad.tensor(logits), target, reduction="sum").item() == 0.0


@pytest.mark.parametrize("scale", [1000.0, -1000.0])
def test_cross_entropy_is_stable_for_huge_logits(scale):
    logits = np.array([[scale, 0.0, -scale], [0.0, scale, scale]], np.float32)
    target = np.array([2, 0])
    for smoothing in (0.0, 0.1):
        x = ndgrad.Variable(logits)
        loss = cross_entropy(x, target, label_smoothing=smoothing)
        loss.backward()
        assert np.isfinite(loss.item()) and np.isfinite(x.grad.numpy()).all()
        expected = F.cross_entropy(torch.tensor(logits), torch.tensor(target),
                                   label_smoothing=smoothing)
        np.testing.assert_allclose(loss.item(), expected.item(), rtol=1e-6)


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_cross_entropy_on_large_logits_matches_torch_in_every_layout(layout, rng):
    # Large enough for the forward's reused buffers (laid out like the logits).
    logits = rng.standard_normal((96, 1500)).astype(np.float32) * 4
    if layout == "F":
        logits = np.asfortranarray(logits)
    elif layout == "strided":
        logits = rng.standard_normal((96, 3000)).astype(np.float32)[:, ::2]
    target = rng.integers(0, 1500, 96)
    target[::7] = -100
    assert_matches(cross_entropy, F.cross_entropy, [logits, target], ignore_index=-100)


def test_cross_entropy_losses_alive_together_keep_their_own_gradients(rng):
    # Each forward's exponentials live in a buffer of their own until its backward.
    arrays = [rng.standard_normal((80, 1200)).astype(np.float32) for _ in range(3)]
    targets = [rng.integers(0, 1200, 80) for _ in range(3)]
    xs = [ndgrad.Variable(a) for a in arrays]
    losses = [cross_entropy(x, t) for x, t in zip(xs, targets)]
    for loss in reversed(losses):
        loss.backward()
    for x, a, t in zip(xs, arrays, targets):
        xt = torch.tensor(a, requires_grad=True)
        F.cross_entropy(xt, torch.tensor(t)).backward()
        np.testing.assert_allclose(x.grad.numpy(), xt.grad.numpy(), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("special", [None, np.inf])
def test_cross_entropy_second_backward_with_retain_graph_gives_the_same_gradient(special, rng):
    # The first backward turns the saved exponentials into the gradient; a second
    # one recomputes them from the logits (with the guard against infinite maxima
    # when the forward needed it: then NaNs sit in the same places).
    logits = rng.standard_normal((64, 1100)).astype(np.float32)
    if special is not None:
        logits[0, 3] = special
    target = rng.integers(0, 1100, 64)
    x = ndgrad.Variable(logits)
    with np.errstate(all="ignore"):
        loss = cross_entropy(x, target, reduction="none")
        loss.sum().backward(retain_graph=True)
        first = x.grad.numpy().copy()
        x.grad = None
        loss.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), first)
    assert np.isfinite(first[1:]).all()
    xt = torch.tensor(logits, requires_grad=True)
    F.cross_entropy(xt, torch.tensor(target), reduction="sum").backward()
    np.testing.assert_allclose(first[1:], xt.grad.numpy()[1:], rtol=1e-5, atol=1e-7)


def test_cross_entropy_gradchecks_in_float64(rng):
    logits = rng.standard_normal((4, 3, 2))
    target = rng.integers(0, 3, (4, 2))
    weight = rng.random(3) + 0.5
    probabilities = rng.random((4, 3, 2))
    for reduction in REDUCTIONS:
        assert ndgrad.gradcheck(lambda x: cross_entropy(x, target, weight=weight,
                                                        reduction=reduction), [logits],
                                second_order=True)
        assert ndgrad.gradcheck(lambda x: cross_entropy(x, target, reduction=reduction,
                                                        label_smoothing=0.3), [logits])
        assert ndgrad.gradcheck(lambda x, p: cross_entropy(x, p, reduction=reduction,
                                                           label_smoothing=0.1),
                                [logits, probabilities])


def test_cross_entropy_second_derivative_matches_torch(rng):
    logits = rng.standard_normal((5, 4))
    target = rng.integers(0, 4, 5)
    direction = rng.standard_normal((5, 4))
    x = ndgrad.Variable(logits)
    (gx,) = backward([cross_entropy(x, target)], [None], create_graph=True, sources=[x])
    (gx * ndgrad.tensor(direction)).sum().backward()
    xt = torch.tensor(logits, requires_grad=True)
    (gt,) = torch.autograd.grad(F.cross_entropy(xt, torch.tensor(target)), xt,
                                create_graph=True)
    (gt * torch.tensor(direction)).sum().backward()
    np.testing.assert_allclose(gx.numpy(), gt.detach().numpy(), rtol=1e-10)
    np.testing.assert_allclose(x.grad.numpy(), xt.grad.numpy(), rtol=1e-8, atol=1e-12)


def test_cross_entropy_keeps_float64_and_float32():
    target = np.array([0, 1])
    assert cross_entropy(ndgrad.tensor(np.zeros((2, 2))), target).dtype == np.float64
    assert cross_entropy(ndgrad.zeros((2, 2)), target).dtype == np.float32


def test_cross_entropy_target_errors_name_shapes_and_expectations():
    logits = ndgrad.zeros((4, 3))
    with pytest.raises(ValueError, match=r"\(4, 3\).*shape \(4,\).*got target of shape "
                                         r"\(4, 1\)"):
        cross_entropy(logits, np.zeros((4, 1), np.int64))
    with pytest.raises(TypeError, match=r"must be integers; got dtype float32"):
        cross_entropy(logits, ndgrad.tensor([0.0, 1.0, 2.0, 0.0]))
    with pytest.raises(TypeError, match=r"class probabilities and must be floating point"):
        cross_entropy(logits, np.eye(4, 3, dtype=np.int64))
    with pytest.raises(IndexError, match=r"target 3 is out of bounds.*\[0, 3\)"):
        cross_entropy(logits, np.array([0, 1, 2, 3]))
    with pytest.raises(ValueError, match="ignore_index=0 applies to class-index targets"):
        cross_entropy(logits, ndgrad.ones((4, 3)) / 3, ignore_index=0)
    with pytest.raises(ValueError, match=r"weight must have shape \(3,\)"):
        cross_entropy(logits, np.array([0, 1, 2, 0]), weight=ndgrad.ones(4))
    with pytest.raises(ValueError, match="reduction must be one of"):
        cross_entropy(logits, np.array([0, 1, 2, 0]), reduction="batchmean")
    with pytest.raises(ValueError, match="label_smoothing must be in"):
        cross_entropy(logits, np.array([0, 1, 2, 0]), label_smoothing=1.5)
    with pytest.raises(ValueError, match="must have a class dimension"):
        cross_entropy(ndgrad.tensor(1.0), np.array(0))


def test_class_weights_that_require_grad_are_refused():
    with pytest.raises(ValueError, match="weight requires grad"):
        cross_entropy(ndgrad.zeros((2, 2)), np.array([0, 1]), weight=ndgrad.Variable([1.0, 2.0]))


def test_legacy_size_average_and_reduce_map_onto_reduction(rng):
    logits, target = logits_and_targets((4, 3), rng)
    for size_average, reduce in [(False, None), (None, False), (True, True)]:
        ours = cross_entropy(ndgrad.tensor(logits), target, size_average=size_average,
                             reduce=reduce)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")         # torch's deprecation warning
            theirs = F.cross_entropy(torch.tensor(logits), torch.tensor(target),
                                     size_average=size_average, reduce=reduce)
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


# ----------------------------------------------------------------- nll_loss
@pytest.mark.parametrize("shape,reduction,weighted,ignore", [
    (s, r, w, i) for s, r, w, i in itertools.product(
        SHAPES, REDUCTIONS, [False, True], [False, True])])
def test_nll_loss_matches_torch(shape, reduction, weighted, ignore, rng):
    logits, target = logits_and_targets(shape, rng, ignore)
    log_probs = torch.log_softmax(torch.tensor(logits), 0 if len(shape) == 1 else 1).numpy()
    kwargs = dict(reduction=reduction, ignore_index=1 if ignore else -100)
    if weighted:
        kwargs["weight"] = rng.random(log_probs.shape[0 if len(shape) == 1 else 1]).astype(
            np.float32)
    assert_matches(nll_loss, F.nll_loss, [log_probs, target], **kwargs)


def test_nll_loss_gradchecks_in_float64(rng):
    log_probs = rng.standard_normal((3, 4, 2))
    target = rng.integers(0, 4, (3, 2))
    for reduction in REDUCTIONS:
        assert ndgrad.gradcheck(lambda x: nll_loss(x, target, reduction=reduction),
                                [log_probs], second_order=True)


def test_nll_loss_refuses_probability_targets():
    with pytest.raises(ValueError, match=r"class indices of shape \(2,\); got target of "
                                         r"shape \(2, 3\)"):
        nll_loss(ndgrad.zeros((2, 3)), ndgrad.zeros((2, 3)))


# ----------------------------------------------------------------- binary cross-entropy
@pytest.mark.parametrize("reduction,weighted", list(itertools.product(REDUCTIONS, [False, True])))
def test_binary_cross_entropy_matches_torch(reduction, weighted, rng):
    probabilities = rng.uniform(0.02, 0.98, (4, 3)).astype(np.float32)
    target = rng.random((4, 3)).astype(np.float32)
    kwargs = dict(reduction=reduction)
    if weighted:
        kwargs["weight"] = rng.random(3).astype(np.float32)     # broadcast to the target
    assert_matches(binary_cross_entropy, F.binary_cross_entropy, [probabilities, target],
                   grad_of=(0, 1), **kwargs)


def test_binary_cross_entropy_clamps_logs_at_minus_100_as_torch():
    probabilities = np.array([0.0, 1.0, 1e-30, 0.5], np.float32)
    target = np.array([1.0, 0.0, 0.3, 1.0], np.float32)
    assert_matches(binary_cross_entropy, F.binary_cross_entropy, [probabilities, target],
                   rtol=1e-5, reduction="none")


def test_binary_cross_entropy_gradchecks_in_float64(rng):
    probabilities = rng.uniform(0.1, 0.9, (3, 2))
    target = rng.random((3, 2))
    assert ndgrad.gradcheck(binary_cross_entropy, [probabilities, target], second_order=True)


def test_binary_cross_entropy_refuses_bad_inputs():
    with pytest.raises(ValueError, match=r"target shape \(2, 1\) must equal input shape \(2,\)"):
        binary_cross_entropy(ndgrad.tensor([0.5, 0.5]), ndgrad.zeros((2, 1)))
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\].*sigmoid"):
        binary_cross_entropy(ndgrad.tensor([1.5, 0.5]), ndgrad.zeros(2))


@pytest.mark.parametrize("reduction,weighted,pos_weighted",
                         list(itertools.product(REDUCTIONS, [False, True], [False, True])))
def test_binary_cross_entropy_with_logits_matches_torch(reduction, weighted, pos_weighted, rng):
    logits = (3 * rng.standard_normal((5, 3))).astype(np.float32)
    target = rng.random((5, 3)).astype(np.float32)
    kwargs = dict(reduction=reduction)
    if weighted:
        kwargs["weight"] = rng.random((5, 1)).astype(np.float32)
    if pos_weighted:
        kwargs["pos_weight"] = rng.random(3).astype(np.float32) + 0.5
    assert_matches(binary_cross_entropy_with_logits, F.binary_cross_entropy_with_logits,
                   [logits, target], grad_of=(0, 1), **kwargs)


def test_binary_cross_entropy_with_logits_is_stable_and_gradchecks(rng):
    logits = np.array([1000.0, -1000.0, 1000.0, -1000.0], np.float32)
    target = np.array([0.0, 1.0, 1.0, 0.0], np.float32)
    assert_matches(binary_cross_entropy_with_logits, F.binary_cross_entropy_with_logits,
                   [logits, target], reduction="none", pos_weight=np.full(4, 2.0, np.float32))
    assert ndgrad.gradcheck(lambda x, t: binary_cross_entropy_with_logits(
        x, t, pos_weight=np.array([2.0, 0.5])), [rng.standard_normal((3, 2)), rng.random((3, 2))],
        second_order=True)


def test_binary_cross_entropy_with_logits_refuses_mismatched_shapes():
    with pytest.raises(ValueError, match=r"target shape \(3,\) must equal input shape \(3, 1\)"):
        binary_cross_entropy_with_logits(ndgrad.zeros((3, 1)), ndgrad.zeros(3))
