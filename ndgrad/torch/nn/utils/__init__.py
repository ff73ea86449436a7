"""``torch.nn.utils``: gradient clipping and parameters as one vector.

``clip_grad_norm_`` and ``clip_grad_value_`` are ndgrad's own (``ndgrad.optim``);
``parameters_to_vector`` / ``vector_to_parameters`` flatten and refill.

Example:
    >>> import ndgrad.torch as torch
    >>> from ndgrad.torch.nn.utils import clip_grad_norm_, parameters_to_vector
    >>> model = torch.nn.Linear(3, 2)
    >>> parameters_to_vector(model.parameters()).shape
    (8,)
"""

from ....autograd.mode import no_grad
from ....ops import concatenate, reshape
from ....optim.clipping import clip_grad_norm_, clip_grad_value_
from ...._backend import xp
from ..._unsupported import unsupported
from . import rnn

__all__ = ["clip_grad_norm_", "clip_grad_value_", "parameters_to_vector",
           "vector_to_parameters", "rnn"]


def parameters_to_vector(parameters):
    """The parameters flattened and joined into one 1-D tensor (differentiable).

    Example:
        >>> import ndgrad.torch as torch
        >>> from ndgrad.torch.nn.utils import parameters_to_vector
        >>> parameters_to_vector([torch.ones(2, 2), torch.zeros(1)]).tolist()
        [1.0, 1.0, 1.0, 1.0, 0.0]
    """
    return concatenate([reshape(p, (-1,)) for p in parameters])


def vector_to_parameters(vec, parameters):
    """Copy consecutive slices of the 1-D ``vec`` into ``parameters``, in place.

    Example:
        >>> import ndgrad.torch as torch
        >>> from ndgrad.torch.nn.utils import vector_to_parameters
        >>> a, b = torch.zeros(2), torch.zeros(1, 1)
        >>> vector_to_parameters(torch.tensor([1.0, 2.0, 3.0]), [a, b]); b.tolist()
        [[3.0]]
    """
    parameters = list(parameters)
    total = sum(int(xp.prod(p.shape)) for p in parameters)
    if len(vec.shape) != 1 or vec.shape[0] != total:
        raise ValueError(f"vector_to_parameters: vec must be 1-D with {total} elements (the "
                         f"parameters' total); got shape {tuple(vec.shape)}")
    start = 0
    with no_grad():
        for parameter in parameters:
            count = int(xp.prod(parameter.shape))
            parameter[...] = reshape(vec[start:start + count], parameter.shape)
            start += count


__getattr__ = unsupported(__name__, {
    "weight_norm": "not supported (yet)", "spectral_norm": "not supported (yet)",
    "parametrizations": "not supported (yet)", "parametrize": "not supported (yet)",
    "prune": "not supported (yet); zero weights with a mask under torch.no_grad()",
})
