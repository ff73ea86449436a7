"""The margin, embedding and likelihood losses and their modules against PyTorch
(values and gradients for every reduction), float64 gradient checks, state
dicts, reprs and errors."""

import warnings

import numpy as np
import pytest

import ndgrad
import ndgrad.nn.functional as F
from ndgrad import nn

torch = pytest.importorskip("torch")
TF = torch.nn.functional
REDUCTIONS = ["mean", "sum", "none"]


def _data(shape, seed=0, low=None):
    values = np.random.default_rng(seed).normal(size=shape)
    return (np.abs(values) + low if low is not None else values).astype(np.float32)


def _both(name, differentiable, fixed=(), ours_fn=None, theirs_fn=None, **options):
    """Compare ``F.name`` in both frameworks: the differentiable inputs get gradients."""
    ours_fn = ours_fn or getattr(F, name)
    theirs_fn = theirs_fn or getattr(TF, name)
    ours_in = [ndgrad.tensor(x, requires_grad=True) for x in differentiable]
    theirs_in = [torch.tensor(x, requires_grad=True) for x in differentiable]
    ours = ours_fn(*ours_in, *[ndgrad.tensor(x) for x in fixed], **options)
    theirs = theirs_fn(*theirs_in, *[torch.tensor(x) for x in fixed], **options)
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-5, atol=1e-6)
    cotangent = _data(ours.shape, 7)
    ours.backward(ndgrad.tensor(cotangent))
    theirs.backward(torch.tensor(cotangent))
    for mine, reference in zip(ours_in, theirs_in):
        np.testing.assert_allclose(mine.grad.numpy(), reference.grad.numpy(), rtol=1e-4,
                                   atol=1e-5)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_pairwise_margin_losses_match_pytorch(reduction):
    signs = np.where(_data((6,), 3) > 0, 1.0, -1.0).astype(np.float32)
    _both("margin_ranking_loss", [_data((6,)), _data((6,), 1)], [signs], margin=0.3,
          reduction=reduction)
    _both("hinge_embedding_loss", [_data((3, 4))], [np.array([[1, -1, 1, -1], [1, 1, -1, -1],
                                                              [-1, 1, 0, 2]], np.float32)],
          margin=0.7, reduction=reduction)
    _both("soft_margin_loss", [_data((3, 4))], [np.sign(_data((3, 4), 2))], reduction=reduction)
    _both("cosine_embedding_loss", [_data((5, 3)), _data((5, 3), 1)],
          [np.array([1, -1, 1, -1, -1], np.float32)], margin=-0.2, reduction=reduction)
    _both("cosine_embedding_loss", [_data((3,)), _data((3,), 1)], [np.array(-1.0, np.float32)],
          reduction=reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_multi_class_margin_losses_match_pytorch(reduction):
    labels = (_data((4, 5), 2) > 0).astype(np.float32)
    _both("multilabel_soft_margin_loss", [_data((4, 5))], [labels], reduction=reduction)
    weight = _data((5,), 3, low=0.5)
    _both("multilabel_soft_margin_loss", [_data((4, 5))], [labels, weight], reduction=reduction)
    target = np.array([0, 3, 4, 3])
    for p in (1, 2):
        _both("multi_margin_loss", [_data((4, 5))], [target], p=p, margin=0.8,
              reduction=reduction)
    _both("multi_margin_loss", [_data((4, 5))], [target, weight],
          ours_fn=lambda x, t, w, **o: F.multi_margin_loss(x, t, weight=w, **o),
          theirs_fn=lambda x, t, w, **o: TF.multi_margin_loss(x, t, weight=w, **o),
          reduction=reduction)
    _both("multi_margin_loss", [_data((5,))], [np.array(2)], reduction=reduction)
    listed = np.array([[3, 0, -1, 1], [1, 1, 2, -1], [-1, 2, 2, 2], [0, 1, 2, 3]])
    _both("multilabel_margin_loss", [_data((4, 4))], [listed], reduction=reduction)
    _both("multilabel_margin_loss", [_data((4,))], [np.array([2, 0, -1, 3])],
          reduction=reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("swap", [False, True])
def test_triplet_losses_match_pytorch(reduction, swap):
    triplet = [_data((6, 4)), _data((6, 4), 1), _data((6, 4), 2)]
    _both("triplet_margin_loss", triplet, margin=1.5, p=1.0, swap=swap, reduction=reduction)
    _both("triplet_margin_loss", [t[0] for t in triplet], swap=swap, reduction=reduction)

    def cosine_distance(framework):
        return lambda x, y: 1.0 - framework.cosine_similarity(x, y)

    _both("triplet_margin_with_distance_loss", triplet,
          ours_fn=lambda *t, **o: F.triplet_margin_with_distance_loss(
              *t, distance_function=cosine_distance(F), **o),
          theirs_fn=lambda *t, **o: TF.triplet_margin_with_distance_loss(
              *t, distance_function=cosine_distance(TF), **o),
          margin=0.4, swap=swap, reduction=reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_likelihood_losses_match_pytorch(reduction):
    counts = np.random.default_rng(0).poisson(3.0, size=(4, 3)).astype(np.float32)
    for log_input in (True, False):
        for full in (False, True):
            x = _data((4, 3)) if log_input else _data((4, 3), low=0.1)
            _both("poisson_nll_loss", [x], [counts], log_input=log_input, full=full,
                  reduction=reduction)
    mean, target = _data((4, 3)), _data((4, 3), 1)
    for var in (_data((4, 3), 2, low=0.05), _data((4,), 2, low=0.05), _data((4, 1), 2, low=0.05),
                np.full((4, 3), 1e-8, np.float32)):
        for full in (False, True):
            _both("gaussian_nll_loss", [mean, target, var], full=full, reduction=reduction)
    ours = F.gaussian_nll_loss(ndgrad.tensor(mean), ndgrad.tensor(target), 0.5,
                               reduction=reduction)
    theirs = TF.gaussian_nll_loss(torch.tensor(mean), torch.tensor(target), 0.5,
                                  reduction=reduction)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5)


@pytest.mark.parametrize("name, inputs, fixed, options", [
    ("margin_ranking_loss", [(5,), (5,)], [np.array([1.0, -1, 1, 1, -1])], dict(margin=0.2)),
    ("soft_margin_loss", [(3, 4)], [np.sign(np.arange(12).reshape(3, 4) - 5.5)], {}),
    ("multilabel_soft_margin_loss", [(3, 4)], [np.eye(3, 4)], {}),
    ("multi_margin_loss", [(3, 4)], [np.array([0, 2, 3])], dict(p=2)),
    ("multilabel_margin_loss", [(3, 4)], [np.array([[1, 2, -1, 0], [0, 0, 0, 0],
                                                    [3, -1, 1, 1]])], {}),
    ("cosine_embedding_loss", [(4, 3), (4, 3)], [np.array([1, -1, 1, -1])], dict(margin=-0.5)),
    ("triplet_margin_loss", [(4, 3), (4, 3), (4, 3)], [], dict(swap=True, margin=2.0)),
    ("poisson_nll_loss", [(3, 4)], [np.arange(12.0).reshape(3, 4)], dict(full=True)),
])
def test_gradients_are_exact(name, inputs, fixed, options):
    rng = np.random.default_rng(0)
    arrays = [rng.normal(size=shape) for shape in inputs]
    function = getattr(F, name)
    assert ndgrad.gradcheck(lambda *xs: function(*xs, *fixed, **options), arrays)


def test_gaussian_nll_gradcheck_and_checks():
    rng = np.random.default_rng(1)
    mean, target, var = rng.normal(size=(3, 2)), rng.normal(size=(3, 2)), rng.random((3, 1)) + 0.1
    assert ndgrad.gradcheck(lambda m, v: F.gaussian_nll_loss(m, target, v), [mean, var])
    with pytest.raises(ValueError, match="var has negative"):
        F.gaussian_nll_loss(ndgrad.zeros(2), ndgrad.zeros(2), -1.0)
    with pytest.raises(ValueError, match="var is of incorrect size"):
        F.gaussian_nll_loss(ndgrad.zeros((3, 2)), ndgrad.zeros((3, 2)), ndgrad.ones(2))


def test_modules_match_pytorch_reprs_and_state():
    weight = np.ones(3, np.float32)
    pairs = [(nn.MarginRankingLoss(margin=0.1), torch.nn.MarginRankingLoss(margin=0.1)),
             (nn.MultiMarginLoss(weight=ndgrad.tensor(weight)),
              torch.nn.MultiMarginLoss(weight=torch.tensor(weight))),
             (nn.MultiLabelSoftMarginLoss(weight=ndgrad.tensor(weight)),
              torch.nn.MultiLabelSoftMarginLoss(weight=torch.tensor(weight))),
             (nn.TripletMarginLoss(swap=True), torch.nn.TripletMarginLoss(swap=True)),
             (nn.CTCLoss(zero_infinity=True), torch.nn.CTCLoss(zero_infinity=True)),
             (nn.GaussianNLLLoss(full=True), torch.nn.GaussianNLLLoss(full=True)),
             (nn.PoissonNLLLoss(log_input=False), torch.nn.PoissonNLLLoss(log_input=False)),
             (nn.HingeEmbeddingLoss(), torch.nn.HingeEmbeddingLoss()),
             (nn.SoftMarginLoss(), torch.nn.SoftMarginLoss()),
             (nn.MultiLabelMarginLoss(), torch.nn.MultiLabelMarginLoss()),
             (nn.CosineEmbeddingLoss(), torch.nn.CosineEmbeddingLoss())]
    for ours, theirs in pairs:
        assert repr(ours) == repr(theirs)
        assert list(ours.state_dict()) == list(theirs.state_dict())
    x, target = _data((4, 3)), np.array([0, 2, 1, 1])
    np.testing.assert_allclose(
        nn.MultiMarginLoss(p=2, margin=0.5)(ndgrad.tensor(x), ndgrad.tensor(target)).numpy(),
        torch.nn.MultiMarginLoss(p=2, margin=0.5)(torch.tensor(x), torch.tensor(target)).numpy(),
        rtol=1e-6)
    anchor, positive, negative = _data((4, 3)), _data((4, 3), 1), _data((4, 3), 2)
    np.testing.assert_allclose(
        nn.TripletMarginWithDistanceLoss()(*map(ndgrad.tensor, (anchor, positive, negative)))
        .numpy(),
        torch.nn.TripletMarginWithDistanceLoss()(*map(torch.tensor, (anchor, positive,
                                                                     negative))).numpy(),
        rtol=1e-6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert nn.SoftMarginLoss(size_average=False).reduction == \
            torch.nn.SoftMarginLoss(size_average=False).reduction == "sum"


def test_bad_input_is_refused_with_the_loss_named():
    with pytest.raises(ndgrad.ShapeError, match="margin_ranking_loss: all inputs must have"):
        F.margin_ranking_loss(ndgrad.ones(3), ndgrad.ones(3), ndgrad.ones(1))
    with pytest.raises(IndexError, match="multi_margin_loss: target 5 is out of range"):
        F.multi_margin_loss(ndgrad.ones((2, 4)), ndgrad.tensor([1, 5]))
    with pytest.raises(TypeError, match="class indices"):
        F.multi_margin_loss(ndgrad.ones((2, 4)), ndgrad.tensor([1.0, 2.0]))
    with pytest.raises(ndgrad.ShapeError, match="cosine_embedding_loss: expected"):
        F.cosine_embedding_loss(ndgrad.ones((2, 3)), ndgrad.ones((2, 3)), ndgrad.ones(()))
    with pytest.raises(ndgrad.ShapeError, match="same number of dimensions"):
        F.triplet_margin_loss(ndgrad.ones((2, 3)), ndgrad.ones(3), ndgrad.ones(3))
    with pytest.raises(ValueError, match="reduction must be"):
        F.soft_margin_loss(ndgrad.ones(2), ndgrad.ones(2), reduction="average")
    with pytest.raises(ValueError, match="margin must be greater than 0"):
        nn.TripletMarginLoss(margin=0.0)
