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

from .. import _tensor_math, _tensor_methods
from .activations import *     # noqa: F401,F403
from .arithmetic import *      # noqa: F401,F403
from .arrange import *         # noqa: F401,F403
from .cast import *            # noqa: F401,F403
from .creation import *        # noqa: F401,F403
from .decompositions import *  # noqa: F401,F403
from .elementwise import *     # noqa: F401,F403
from .index import *           # noqa: F401,F403
from .join import *            # noqa: F401,F403
from .linalg import *          # noqa: F401,F403
from .reduce import *          # noqa: F401,F403
from .selection import *       # noqa: F401,F403
from .shape import *           # noqa: F401,F403
from .sorting import *         # noqa: F401,F403
from .statistics import *      # noqa: F401,F403
from .trigonometric import *   # noqa: F401,F403

_tensor_math._ops = sys.modules[__name__]
_tensor_methods._ops = sys.modules[__name__]
