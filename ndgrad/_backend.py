"""The array-module seam: every array ndgrad creates comes from ``xp``.

Today ``xp`` is NumPy. Keeping all array creation behind this one name is what
lets a GPU array library with NumPy's interface (CuPy) slot in later without
touching the ops.
"""

import numpy as xp

ndarray = xp.ndarray

__all__ = ["xp", "ndarray"]
