"""``torch.nn.init``: fill a tensor in place, ndgrad's own ``nn.init`` functions.

The fills draw from ndgrad's generator (seeded by ``torch.manual_seed``) or
from the ``generator=`` given (a ``torch.Generator``), with PyTorch's fans
(``(out, in, *kernel)``) and gains.

Example:
    >>> import ndgrad.torch as torch
    >>> import ndgrad.torch.nn.init as init
    >>> w = torch.nn.Parameter(torch.empty(3, 5))
    >>> init.kaiming_uniform_(w, a=5 ** 0.5) is w, init.calculate_gain("relu") == 2 ** 0.5
    (True, True)
"""

from ...nn import init as _core
from .._unsupported import unsupported

# PyTorch's names: the in-place fills (``xxx_``) and the gain and fan helpers;
# the Keras initializers of the core module stay out.
CORE_NAMES = sorted(name for name in _core.__all__ if name.endswith("_")
                    or name == "calculate_gain")
globals().update({name: getattr(_core, name) for name in CORE_NAMES})
_calculate_fan_in_and_fan_out = _core._calculate_fan_in_and_fan_out
_calculate_correct_fan = _core._calculate_correct_fan

__all__ = list(CORE_NAMES)

__getattr__ = unsupported(__name__, {
    "dirac_": "fill the weight with zeros_ and set the centre taps to 1 by indexing",
    "sparse_": "use normal_ and zero a random mask of it",
    "normal": "use normal_ (the in-place name)", "uniform": "use uniform_",
    "constant": "use constant_", "xavier_uniform": "use xavier_uniform_",
    "xavier_normal": "use xavier_normal_", "kaiming_uniform": "use kaiming_uniform_",
    "kaiming_normal": "use kaiming_normal_", "orthogonal": "use orthogonal_",
})
