"""torch.distributions is ndgrad.distributions under PyTorch's names and file names."""

import pytest

import ndgrad
import ndgrad.torch as torch


def test_the_face_names_the_core_classes_and_pytorchs_files():
    from ndgrad.torch.distributions import Categorical, Normal
    from ndgrad.torch.distributions.categorical import Categorical as FromFile
    import ndgrad.torch.distributions.kl as kl_file
    assert Categorical is FromFile is ndgrad.distributions.Categorical
    assert Normal is torch.distributions.normal.Normal
    assert kl_file.kl_divergence is torch.distributions.kl_divergence
    assert torch.distributions.Bernoulli is ndgrad.distributions.Bernoulli
    assert torch.distributions.Uniform is ndgrad.distributions.Uniform
    with pytest.raises(AttributeError, match=r"torch\.distributions\.Beta is not supported"):
        torch.distributions.Beta
    with pytest.raises(AttributeError, match="diagonal covariance"):
        torch.distributions.MultivariateNormal


def test_the_actor_critic_pattern_runs_on_the_face():
    _ = torch.manual_seed(0)
    policy = torch.nn.Linear(4, 2)
    value = torch.nn.Linear(4, 1)
    optimizer = torch.optim.Adam([*policy.parameters(), *value.parameters()], lr=0.01)
    saved = []
    for _ in range(5):
        state = torch.randn(4)
        probs = torch.nn.functional.softmax(policy(state), dim=-1)
        m = torch.distributions.Categorical(probs)
        action = m.sample()
        saved.append((m.log_prob(action), value(state), float(action.item() == 1)))
    losses = [-log_prob * (reward - estimate.item()) + (estimate - reward) ** 2
              for log_prob, estimate, reward in saved]
    optimizer.zero_grad()
    torch.stack(losses).sum().backward()
    assert policy.weight.grad is not None and value.weight.grad is not None
    optimizer.step()
