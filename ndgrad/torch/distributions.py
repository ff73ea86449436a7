"""``torch.distributions``: ``ndgrad.distributions`` under PyTorch's names.

``Categorical``, ``Bernoulli``, ``Normal``, ``Uniform``, ``Distribution``,
``kl_divergence`` and ``register_kl`` are the core's classes and functions
(no copies). PyTorch's file names are there too, so that
``from torch.distributions.categorical import Categorical`` and
``torch.distributions.kl.kl_divergence`` work. Another distribution raises
an AttributeError saying it is not supported (yet).

Example:
    >>> import ndgrad.torch as torch
    >>> from ndgrad.torch.distributions import Categorical
    >>> _ = torch.manual_seed(0)
    >>> probs = torch.softmax(torch.zeros(1, 2, requires_grad=True), dim=1)
    >>> m = Categorical(probs)
    >>> action = m.sample()
    >>> m.log_prob(action).shape, action.item() in (0, 1)
    ((1,), True)
"""

import sys
import types

from ..distributions import (Bernoulli, Categorical, Distribution, Normal, Uniform,
                             kl_divergence, register_kl)
from ._unsupported import unsupported

__all__ = ["Distribution", "Categorical", "Bernoulli", "Normal", "Uniform", "kl_divergence",
           "register_kl", "categorical", "bernoulli", "normal", "uniform", "kl", "distribution"]

_WRITE_IT = ("not supported (yet); sample with torch.randn / torch.rand and write its log_prob "
             "with ndgrad ops (they differentiate), or subclass torch.distributions.Distribution")

# PyTorch's file for each name (torch/distributions/<file>.py).
_FILES = {"categorical": {"Categorical": Categorical}, "bernoulli": {"Bernoulli": Bernoulli},
          "normal": {"Normal": Normal}, "uniform": {"Uniform": Uniform},
          "distribution": {"Distribution": Distribution},
          "kl": {"kl_divergence": kl_divergence, "register_kl": register_kl}}


def _file(file_name):
    name = f"{__name__}.{file_name}"
    module = types.ModuleType(name, f"``torch.distributions.{file_name}`` (see the parent).")
    for key, value in _FILES[file_name].items():
        setattr(module, key, value)
    module.__getattr__ = unsupported(name, {})
    sys.modules[name] = module
    return module


categorical, bernoulli, normal, uniform, distribution, kl = (
    _file(file_name) for file_name in ("categorical", "bernoulli", "normal", "uniform",
                                       "distribution", "kl"))

__getattr__ = unsupported(__name__, {
    "MultivariateNormal": "not supported (yet); for a diagonal covariance use Normal(loc, scale) "
                          "and sum log_prob over the last dimension",
    "Independent": "not supported (yet); sum the log_prob of the base distribution over the "
                   "event dimensions",
    "OneHotCategorical": "use Categorical and torch.nn.functional.one_hot on its samples",
    "constraints": "not supported (yet); the distributions check their own arguments",
    **{name: _WRITE_IT for name in ("Beta", "Gamma", "Dirichlet", "Exponential", "Laplace",
                                    "LogNormal", "Poisson", "Binomial", "Multinomial",
                                    "StudentT", "Cauchy", "Gumbel", "TransformedDistribution")},
})
