"""The differentiable ops, one module per family; every public op is here.

Each module lists its ops in ``__all__`` and registers the NumPy functions it
implements (see ``ndgrad.numpy_api``). Loading this package also gives
``Tensor`` its operator methods (``ndgrad._tensor_math``), which call these ops.

Example:
    >>> from ndgrad import ops
    >>> ops.add(ops.ones(2), 1.0).tolist()
    [2.0, 2.0]
"""

import sys

from .. import (_tensor_comparisons, _tensor_conversions, _tensor_indexing, _tensor_inplace,
                _tensor_inplace_math, _tensor_math, _tensor_methods, _tensor_pieces,
                _tensor_reductions, _tensor_shape_methods, _tensor_sorting, _tensor_torch_methods)
from . import (activations, arithmetic, arrange, calculus, cast, complex_numbers, creation,
               decompositions, elementwise, index, join, linalg, nan_reductions, nested,
               real_valued, reduce, selection, shape, sorting, spacing, special, statistics,
               trigonometric)
from .activations import *     # noqa: F401,F403
from .arithmetic import *      # noqa: F401,F403
from .arrange import *         # noqa: F401,F403
from .calculus import *        # noqa: F401,F403
from .cast import *            # noqa: F401,F403
from .complex_numbers import *  # noqa: F401,F403
from .creation import *        # noqa: F401,F403
from .decompositions import *  # noqa: F401,F403
from .elementwise import *     # noqa: F401,F403
from .index import *           # noqa: F401,F403
from .join import *            # noqa: F401,F403
from .linalg import *          # noqa: F401,F403
from .nan_reductions import *  # noqa: F401,F403
from .nested import *          # noqa: F401,F403
from .real_valued import *     # noqa: F401,F403
from .reduce import *          # noqa: F401,F403
from .selection import *       # noqa: F401,F403
from .shape import *           # noqa: F401,F403
from .sorting import *         # noqa: F401,F403
from .spacing import *         # noqa: F401,F403
from .special import *         # noqa: F401,F403
from .statistics import *      # noqa: F401,F403
from .trigonometric import *   # noqa: F401,F403
# The rest of NumPy's differentiable functions (issue 13's sweep).
from . import (applying, bessel_and_phase, float_parts, insertion, nan_order_statistics,
               polynomials, set_operations)
from .applying import *         # noqa: F401,F403
from .bessel_and_phase import *  # noqa: F401,F403
from .float_parts import *      # noqa: F401,F403
from .insertion import *        # noqa: F401,F403
from .nan_order_statistics import *  # noqa: F401,F403
from .polynomials import *      # noqa: F401,F403
from .set_operations import *   # noqa: F401,F403

# Only the ops themselves are public; without this the submodule names
# (``linalg``, ``shape``, ...) would leak into ``ndgrad`` through its star import.
__all__ = sorted({name for module in (activations, arithmetic, arrange, calculus, cast,
                                      complex_numbers, creation, decompositions, elementwise,
                                      index, join, linalg, nan_reductions, nested, real_valued,
                                      reduce, selection, shape, sorting, spacing, special,
                                      statistics, trigonometric, applying, bessel_and_phase,
                                      float_parts, insertion, nan_order_statistics,
                                      polynomials, set_operations)
                  for name in module.__all__})

# The Tensor method mixins call the ops through this binding (ops need Tensor first).
for _mixin in (_tensor_comparisons, _tensor_conversions, _tensor_indexing, _tensor_inplace,
               _tensor_inplace_math, _tensor_math, _tensor_methods, _tensor_pieces,
               _tensor_reductions, _tensor_shape_methods, _tensor_sorting, _tensor_torch_methods):
    _mixin._ops = sys.modules[__name__]
