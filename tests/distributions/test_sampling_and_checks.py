"""Sampling (shapes, dtypes, frequencies, seeding, no gradient), argument checks,
and the policy-gradient and VAE patterns of the example programs."""

import numpy as np
import pytest
import torch as real

import ndgrad
from ndgrad import distributions as D


def test_samples_have_pytorchs_shapes_and_dtypes():
    cases = [(D.Normal(ndgrad.zeros(2, 3), 1.0), real.distributions.Normal(real.zeros(2, 3), 1.0)),
             (D.Categorical(ndgrad.ones(2, 5)), real.distributions.Categorical(real.ones(2, 5))),
             (D.Bernoulli(ndgrad.full((3,), 0.5)), real.distributions.Bernoulli(
                 real.full((3,), 0.5))),
             (D.Uniform(ndgrad.zeros(4), 1.0), real.distributions.Uniform(real.zeros(4), 1.0))]
    for ours, theirs in cases:
        for sample_shape in ((), (7,), (2, 1)):
            mine, yours = ours.sample(sample_shape), theirs.sample(sample_shape)
            assert mine.shape == tuple(yours.shape)
            assert str(mine.dtype) == str(yours.dtype).replace("torch.", "")
            assert not mine.requires_grad


def test_frequencies_and_moments_of_many_samples():
    ndgrad.random.seed(0)
    probs = np.array([0.1, 0.0, 0.6, 0.3])
    draws = D.Categorical(ndgrad.tensor(probs)).sample((20000,)).numpy()
    np.testing.assert_allclose(np.bincount(draws, minlength=4) / 20000, probs, atol=0.015)
    assert not np.any(draws == 1)                              # probability 0: never drawn
    coins = D.Bernoulli(ndgrad.tensor([0.2, 0.9])).sample((20000,)).numpy()
    np.testing.assert_allclose(coins.mean(0), [0.2, 0.9], atol=0.015)
    normal = D.Normal(ndgrad.tensor([1.0, -2.0]), ndgrad.tensor([0.5, 3.0])).sample((20000,))
    np.testing.assert_allclose(normal.numpy().mean(0), [1.0, -2.0], atol=0.1)
    np.testing.assert_allclose(normal.numpy().std(0), [0.5, 3.0], rtol=0.03)
    uniform = D.Uniform(-1.0, 3.0).sample((20000,)).numpy()
    assert uniform.min() >= -1.0 and uniform.max() < 3.0
    assert abs(uniform.mean() - 1.0) < 0.05


def test_seeding_makes_samples_reproducible():
    import ndgrad.torch as torch
    normal = D.Normal(ndgrad.zeros(3), 1.0)
    torch.manual_seed(5)
    first = (normal.sample(), D.Categorical(ndgrad.ones(4)).sample((3,)))
    torch.manual_seed(5)
    again = (normal.sample(), D.Categorical(ndgrad.ones(4)).sample((3,)))
    assert all(torch.equal(a, b) for a, b in zip(first, again))


def test_rsample_carries_gradients_and_sample_does_not():
    loc = ndgrad.zeros(3, requires_grad=True)
    scale = ndgrad.ones(3, requires_grad=True)
    ndgrad.random.seed(1)
    z = D.Normal(loc, scale).rsample()
    z.sum().backward()
    assert loc.grad.tolist() == [1.0, 1.0, 1.0]
    ndgrad.random.seed(1)
    np.testing.assert_allclose(scale.grad.numpy(), D.Normal(0.0, 1.0).sample((3,)).numpy())
    assert D.Normal(loc, scale).has_rsample and not D.Categorical(ndgrad.ones(2)).has_rsample
    with pytest.raises(NotImplementedError, match="Categorical has no reparameterized sample"):
        D.Categorical(ndgrad.ones(2)).rsample()


def test_bad_arguments_are_refused_by_name():
    with pytest.raises(ValueError, match=r"Normal: scale must be positive; got \[-1.0\]"):
        D.Normal(0.0, ndgrad.tensor([1.0, -1.0]))
    with pytest.raises(ValueError, match="Categorical: give either probs or logits"):
        D.Categorical(probs=ndgrad.ones(2), logits=ndgrad.ones(2))
    with pytest.raises(ValueError, match="Categorical: probs must be non-negative"):
        D.Categorical(ndgrad.tensor([0.5, -0.1]))
    with pytest.raises(ValueError, match=r"Categorical.log_prob: the value must be class "
                                         r"indices in \[0, 2\); got \[2\]"):
        D.Categorical(ndgrad.ones(2)).log_prob(ndgrad.tensor([2]))
    with pytest.raises(ValueError, match="Bernoulli: probs must be in"):
        D.Bernoulli(ndgrad.tensor([1.5]))
    with pytest.raises(ValueError, match="Bernoulli.log_prob: the value must be 0 or 1"):
        D.Bernoulli(ndgrad.tensor([0.5])).log_prob(ndgrad.tensor([0.5]))
    with pytest.raises(ValueError, match=r"Uniform: high - low must be positive"):
        D.Uniform(1.0, 1.0)
    with pytest.raises(ValueError, match=r"inside \[low, high\)"):
        D.Uniform(0.0, 1.0).log_prob(ndgrad.tensor(2.0))
    assert D.Uniform(0.0, 1.0, validate_args=False).log_prob(ndgrad.tensor(2.0)).item() == -np.inf
    assert D.Normal(0.0, -1.0, validate_args=False).scale.item() == -1.0
    with pytest.raises(NotImplementedError, match="no formula for Normal and Uniform"):
        D.kl_divergence(D.Normal(0.0, 1.0), D.Uniform(0.0, 1.0))
    with pytest.raises(NotImplementedError, match="erfinv"):
        D.Normal(0.0, 1.0).icdf(0.5)
    assert repr(D.Normal(0.0, 1.0)) == "Normal(loc: 0.0, scale: 1.0)"
    assert repr(D.Categorical(ndgrad.ones(2, 3))) == "Categorical(probs: ndgrad.Size([2, 3]))"


def test_the_reinforce_pattern_gives_torchs_gradients():
    rng = np.random.default_rng(0)
    weight, state = rng.standard_normal((4, 2)), rng.standard_normal((3, 4))
    actions, returns = [1, 0, 1], rng.standard_normal(3)
    w = ndgrad.tensor(weight, requires_grad=True)
    w_real = real.tensor(weight, requires_grad=True)
    losses, their_losses = [], []
    for step in range(3):
        probs = ndgrad.nn.functional.softmax(ndgrad.tensor(state[step:step + 1]) @ w, dim=1)
        their_probs = real.softmax(real.tensor(state[step:step + 1]) @ w_real, dim=1)
        m, their_m = D.Categorical(probs), real.distributions.Categorical(their_probs)
        assert m.sample().shape == (1,)
        action = actions[step]
        losses.append(-m.log_prob(ndgrad.tensor([action])) * returns[step])
        their_losses.append(-their_m.log_prob(real.tensor([action])) * returns[step])
    ndgrad.stack(losses).sum().backward()
    real.stack(their_losses).sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), w_real.grad.numpy(), rtol=1e-9)


def test_the_vae_pattern_trains_the_encoder():
    ndgrad.random.seed(0)
    mu = ndgrad.zeros(2, 4, requires_grad=True)
    log_var = ndgrad.zeros(2, 4, requires_grad=True)
    posterior = D.Normal(mu, ndgrad.exp(0.5 * log_var))
    z = posterior.rsample()
    kl = D.kl_divergence(posterior, D.Normal(ndgrad.zeros(2, 4), 1.0)).sum()
    loss = ((z - 1.0) ** 2).sum() + kl
    loss.backward()
    assert mu.grad.shape == (2, 4) and log_var.grad is not None
    assert kl.item() == 0.0
