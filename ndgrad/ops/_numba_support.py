"""What the compiled kernel modules share: numba's ``njit`` (a stand-in that
leaves functions as plain Python when numba is not installed, so the kernel
modules import and their doctests run on tiny arrays either way), the compile
options, and a call that survives a numba unable to compile a kernel
(``KernelFamily``: each kernel module's switch, off for good once numba fails
to compile one of its kernels).

The options: ``cache`` keeps the machine code beside the package between
runs; ``nogil`` lets other threads run meanwhile; no ``boundscheck`` and no
``fastmath`` (results must equal the NumPy path's bit for bit); no
``parallel`` (measured on the bench CNN, numba's threads fighting OpenBLAS's
and PyTorch's pools for 2 cores made the step 3-4 times slower).

Example:
    >>> import numpy as np
    >>> def double(x, out):          # a kernel module decorates it with njit(**OPTIONS)
    ...     out[0] = 2 * x[0]
    >>> out = np.zeros(1)
    >>> run_kernel(double, (np.ones(1), out), "doubling", lambda: None)
    True
    >>> out.tolist()
    [2.0]
"""

import warnings

try:
    from numba import njit
    COMPILED = True
except ImportError:                      # the optional extra is not installed
    COMPILED = False

    def njit(**options):
        return lambda function: function

__all__ = []

OPTIONS = dict(cache=True, nogil=True, boundscheck=False)


def run_kernel(kernel, arguments, family, turn_off):
    """Call ``kernel(*arguments)``; True when it ran. If numba cannot compile it
    here (an unsupported version or platform), call ``turn_off`` (which leaves
    that ``family`` of kernels off), say so once, and return False: the caller
    then runs NumPy. Any other error propagates.

    Example:
        >>> def broken(*arguments):
        ...     raise ValueError("not numba's")
        >>> run_kernel(broken, (), "pooling", lambda: None)
        Traceback (most recent call last):
        ValueError: not numba's
    """
    try:
        kernel(*arguments)
    except Exception as error:          # numba's errors have no common public base
        if not (COMPILED and "numba" in type(error).__module__):
            raise
        turn_off()
        warnings.warn(f"ndgrad: numba could not compile {kernel.__name__} ({error}); "
                      f"{family} runs on NumPy from now on", RuntimeWarning, stacklevel=4)
        return False
    return True


class KernelFamily:
    """One kernel module's switch: its kernels run until numba cannot compile
    one of them here; from then on the whole family leaves the work to NumPy.

    Example:
        >>> family = KernelFamily("doubling")
        >>> family.usable() == COMPILED
        True
        >>> family.failed = True
        >>> family.usable()
        False
    """

    def __init__(self, name):
        self.name = name
        self.failed = False

    def usable(self):
        """Whether numba is installed and none of this family's kernels failed
        to compile here."""
        return COMPILED and not self.failed

    def run(self, kernel, *arguments):
        """``kernel(*arguments)`` through :func:`run_kernel`: True when it ran,
        False (the family off from now on) when numba cannot compile it."""
        return run_kernel(kernel, arguments, self.name, self._turn_off)

    def _turn_off(self):
        self.failed = True
