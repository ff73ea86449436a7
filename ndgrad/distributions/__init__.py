"""Probability distributions over ndgrad tensors: sample, log-density, entropy, KL.

``Categorical``, ``Bernoulli``, ``Normal`` and ``Uniform`` follow PyTorch's
``torch.distributions`` (same arguments, shapes and formulas, checked
against it in the tests); ``ndgrad.torch.distributions`` is this package
under PyTorch's name. Gradients flow through ``log_prob``, ``entropy``,
``rsample`` and ``kl_divergence`` into the parameters: a policy gradient
(REINFORCE, actor-critic) differentiates ``log_prob`` of a sampled action,
a variational autoencoder ``rsample`` and the KL term.

Example:
    >>> import ndgrad
    >>> from ndgrad.distributions import Categorical
    >>> _ = ndgrad.random.seed(0)
    >>> logits = ndgrad.zeros(3, requires_grad=True)
    >>> policy = Categorical(logits=logits)
    >>> action = policy.sample()
    >>> (-policy.log_prob(action)).backward()
    >>> round(float(logits.grad.sum()), 6)
    0.0
"""

from .continuous import Normal, Uniform
from .discrete import Bernoulli, Categorical
from .distribution import Distribution
from .kl import kl_divergence, register_kl

__all__ = ["Distribution", "Categorical", "Bernoulli", "Normal", "Uniform", "kl_divergence",
           "register_kl"]
