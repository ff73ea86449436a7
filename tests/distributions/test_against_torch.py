"""ndgrad.distributions against torch.distributions on the same values: log_prob,
entropy, moments, cdf, KL divergences and their gradients; float64 finite
differences for the gradients of log_prob, entropy and rsample."""

import numpy as np
import pytest
import torch as real

import ndgrad
from ndgrad import distributions as D

RNG = np.random.default_rng(7)
LOC = RNG.standard_normal((2, 3))
SCALE = RNG.uniform(0.5, 2.0, (2, 3))
LOGITS = RNG.standard_normal((2, 4))
PROBS = RNG.uniform(0.1, 1.0, (2, 4))
COIN = RNG.uniform(0.05, 0.95, (3,))
LOW = RNG.uniform(-2.0, 0.0, (3,))
HIGH = LOW + RNG.uniform(0.5, 2.0, (3,))

# name -> (ndgrad maker, torch maker, parameter arrays, values for log_prob)
CASES = {
    "normal": (lambda a, b: D.Normal(a, b), lambda a, b: real.distributions.Normal(a, b),
               [LOC, SCALE], RNG.standard_normal((5, 2, 3))),
    "categorical_probs": (lambda p: D.Categorical(probs=p),
                          lambda p: real.distributions.Categorical(probs=p),
                          [PROBS], np.array([[0, 3], [2, 1], [1, 1]])),
    "categorical_logits": (lambda v: D.Categorical(logits=v),
                           lambda v: real.distributions.Categorical(logits=v),
                           [LOGITS], np.array([[0, 3], [2, 1]])),
    "bernoulli_probs": (lambda p: D.Bernoulli(probs=p),
                        lambda p: real.distributions.Bernoulli(probs=p),
                        [COIN], np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]])),
    "bernoulli_logits": (lambda v: D.Bernoulli(logits=v),
                         lambda v: real.distributions.Bernoulli(logits=v),
                         [LOGITS[0, :3]], np.array([1.0, 0.0, 1.0])),
    "uniform": (lambda a, b: D.Uniform(a, b), lambda a, b: real.distributions.Uniform(a, b),
                [LOW, HIGH], (LOW + HIGH) / 2 + np.zeros((4, 3))),
}


def _pair(name):
    ours_make, theirs_make, parameters, values = CASES[name]
    ours_params = [ndgrad.tensor(p, requires_grad=True) for p in parameters]
    theirs_params = [real.tensor(p, requires_grad=True) for p in parameters]
    return ours_make(*ours_params), theirs_make(*theirs_params), ours_params, theirs_params, values


def _close(ours, theirs, rtol=1e-10):
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=rtol,
                               atol=1e-12)


@pytest.mark.parametrize("name", sorted(CASES))
def test_log_prob_entropy_and_their_gradients_match_torch(name):
    ours, theirs, ours_params, theirs_params, values = _pair(name)
    value_dtype = real.long if name.startswith("categorical") else real.float64
    log_prob = ours.log_prob(ndgrad.tensor(values))
    their_log_prob = theirs.log_prob(real.tensor(values, dtype=value_dtype))
    _close(log_prob, their_log_prob)
    _close(ours.entropy(), theirs.entropy())
    assert ours.batch_shape == tuple(theirs.batch_shape)
    assert ours.event_shape == tuple(theirs.event_shape)
    weights = RNG.standard_normal(their_log_prob.shape)
    total = (log_prob * ndgrad.tensor(weights)).sum() + ours.entropy().sum()
    their_total = (their_log_prob * real.tensor(weights)).sum() + theirs.entropy().sum()
    total.backward()
    their_total.backward()
    for mine, yours in zip(ours_params, theirs_params):
        _close(mine.grad, yours.grad, rtol=1e-9)


@pytest.mark.parametrize("name", sorted(CASES))
def test_moments_and_views_match_torch(name):
    ours, theirs, *_ = _pair(name)
    for attribute in ("mean", "variance", "stddev", "mode"):
        np.testing.assert_allclose(getattr(ours, attribute).detach().numpy(),
                                   getattr(theirs, attribute).detach().numpy(), rtol=1e-10)
    for attribute in ("probs", "logits"):
        if hasattr(theirs, attribute) and not name.startswith(("normal", "uniform")):
            _close(getattr(ours, attribute), getattr(theirs, attribute))


def test_cdf_and_icdf_match_torch():
    x = RNG.standard_normal(3)
    normal, their_normal = D.Normal(LOC[0], SCALE[0]), real.distributions.Normal(
        real.tensor(LOC[0]), real.tensor(SCALE[0]))
    _close(normal.cdf(ndgrad.tensor(x)), their_normal.cdf(real.tensor(x)), rtol=1e-7)
    uniform, their_uniform = D.Uniform(LOW, HIGH), real.distributions.Uniform(
        real.tensor(LOW), real.tensor(HIGH))
    q = np.array([0.1, 0.5, 0.9])
    _close(uniform.icdf(ndgrad.tensor(q)), their_uniform.icdf(real.tensor(q)))
    _close(uniform.cdf(ndgrad.tensor(LOW + 0.3)), their_uniform.cdf(real.tensor(LOW + 0.3)))


KL_CASES = [
    (lambda a, b: (D.Normal(a, b), D.Normal(b - 1.0, a.exp())),
     lambda a, b: (real.distributions.Normal(a, b), real.distributions.Normal(b - 1.0, a.exp())),
     [LOC, SCALE]),
    (lambda a, b: (D.Categorical(probs=a), D.Categorical(logits=b)),
     lambda a, b: (real.distributions.Categorical(probs=a),
                   real.distributions.Categorical(logits=b)), [PROBS, LOGITS]),
    (lambda a, b: (D.Bernoulli(probs=a), D.Bernoulli(logits=b)),
     lambda a, b: (real.distributions.Bernoulli(probs=a),
                   real.distributions.Bernoulli(logits=b)), [COIN, LOGITS[1, :3]]),
    (lambda a, b: (D.Uniform(a, b), D.Uniform(a - 1.0, b + 1.0)),
     lambda a, b: (real.distributions.Uniform(a, b),
                   real.distributions.Uniform(a - 1.0, b + 1.0)), [LOW, HIGH]),
]


@pytest.mark.parametrize("case", range(len(KL_CASES)))
def test_kl_divergence_and_its_gradients_match_torch(case):
    ours_make, theirs_make, parameters = KL_CASES[case]
    ours_params = [ndgrad.tensor(p, requires_grad=True) for p in parameters]
    theirs_params = [real.tensor(p, requires_grad=True) for p in parameters]
    kl = D.kl_divergence(*ours_make(*ours_params))
    their_kl = real.distributions.kl_divergence(*theirs_make(*theirs_params))
    _close(kl, their_kl, rtol=1e-9)
    kl.sum().backward()
    their_kl.sum().backward()
    for mine, yours in zip(ours_params, theirs_params):
        _close(mine.grad, yours.grad, rtol=1e-8)


def test_infinite_divergences_are_inf_as_in_torch():
    p, q = np.array([0.5, 0.5, 0.0]), np.array([1.0, 0.0, 0.0])
    ours = D.kl_divergence(D.Categorical(ndgrad.tensor(p)), D.Categorical(ndgrad.tensor(q)))
    theirs = real.distributions.kl_divergence(real.distributions.Categorical(real.tensor(p)),
                                              real.distributions.Categorical(real.tensor(q)))
    assert ours.item() == theirs.item() == np.inf
    assert D.kl_divergence(D.Categorical(ndgrad.tensor(q)), D.Categorical(
        ndgrad.tensor(p))).item() == pytest.approx(real.distributions.kl_divergence(
            real.distributions.Categorical(real.tensor(q)),
            real.distributions.Categorical(real.tensor(p))).item())
    coins = D.kl_divergence(D.Bernoulli(ndgrad.tensor([0.5, 0.0, 1.0])),
                            D.Bernoulli(ndgrad.tensor([1.0, 0.0, 0.5])))
    their_coins = real.distributions.kl_divergence(
        real.distributions.Bernoulli(real.tensor([0.5, 0.0, 1.0])),
        real.distributions.Bernoulli(real.tensor([1.0, 0.0, 0.5])))
    np.testing.assert_allclose(coins.numpy(), their_coins.numpy(), rtol=1e-6)
    wider = D.kl_divergence(D.Uniform(0.0, 2.0), D.Uniform(0.5, 1.0))
    assert wider.item() == np.inf


@pytest.mark.parametrize("make, parameters", [
    (lambda a, b: D.Normal(a, b).log_prob(ndgrad.tensor(LOC[::-1].copy())), [LOC, SCALE]),
    (lambda a, b: D.Normal(a, b).entropy(), [LOC, SCALE]),
    (lambda p: D.Categorical(probs=p).log_prob(ndgrad.tensor([1, 3])), [PROBS]),
    (lambda v: D.Categorical(logits=v).entropy(), [LOGITS]),
    (lambda p: D.Bernoulli(p).entropy() + D.Bernoulli(p).log_prob(ndgrad.ones(3)), [COIN]),
    (lambda a, b: D.Uniform(a, b).entropy(), [LOW, HIGH]),
])
def test_gradients_match_finite_differences(make, parameters):
    assert ndgrad.gradcheck(make, [ndgrad.tensor(p) for p in parameters])


def test_rsample_gradients_match_finite_differences_for_fixed_noise():
    def draw(loc, scale):
        ndgrad.random.seed(3)
        return D.Normal(loc, scale).rsample((4,))

    def draw_uniform(low, high):
        ndgrad.random.seed(3)
        return D.Uniform(low, high).rsample((4,))
    assert ndgrad.gradcheck(draw, [ndgrad.tensor(LOC), ndgrad.tensor(SCALE)])
    assert ndgrad.gradcheck(draw_uniform, [ndgrad.tensor(LOW), ndgrad.tensor(HIGH)])
