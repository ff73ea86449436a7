"""Global switches with PyTorch's names: default dtype, printing, threads,
determinism, ``compile``.

Example:
    >>> import ndgrad.torch as torch
    >>> torch.get_default_dtype()
    dtype('float32')
"""

import os as _os

import numpy as _np

__all__ = ["get_default_dtype", "set_default_dtype", "set_printoptions", "set_num_threads",
           "get_num_threads", "use_deterministic_algorithms",
           "are_deterministic_algorithms_enabled", "compile"]

_settings = {"threads": _os.cpu_count() or 1, "deterministic": False}


def get_default_dtype():
    """float32, PyTorch's and ndgrad's default floating dtype.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.get_default_dtype()
        dtype('float32')
    """
    return _np.dtype("float32")


def set_default_dtype(d):
    """Only float32 is accepted: ndgrad's default float is fixed (pass
    ``dtype=torch.float64`` to the factories for double precision).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.set_default_dtype(torch.float32)
    """
    if _np.dtype(d) != _np.dtype("float32"):
        raise ValueError(f"torch.set_default_dtype: ndgrad's default float is float32; got "
                         f"{d}. Pass dtype=torch.float64 to the factories instead")


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None):
    """How tensors print (NumPy's print options, which ndgrad's repr uses).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.set_printoptions(precision=4)
    """
    options = {"precision": precision, "threshold": threshold, "edgeitems": edgeitems,
               "linewidth": linewidth}
    if sci_mode is not None:
        options["suppress"] = not sci_mode
    _np.set_printoptions(**{k: v for k, v in options.items() if v is not None})


def set_num_threads(n):
    """Recorded for :func:`get_num_threads`, and the thread count of ``torch.fft``'s
    transforms of a large batch (``ndgrad.fft.set_workers``); NumPy's BLAS keeps
    its own thread count (set ``OMP_NUM_THREADS`` before starting Python).
    Results are the same.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.set_num_threads(2); torch.get_num_threads()
        2
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"torch.set_num_threads: expected a positive int; got {n!r}")
    from .. import fft
    fft.set_workers(n)
    _settings["threads"] = n


def get_num_threads():
    """The count last given to :func:`set_num_threads` (default: the CPU count).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.get_num_threads() >= 1
        True
    """
    return _settings["threads"]


def use_deterministic_algorithms(mode, *, warn_only=False):
    """Accepted: ndgrad's CPU results are deterministic already.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.use_deterministic_algorithms(True); torch.are_deterministic_algorithms_enabled()
        True
    """
    _settings["deterministic"] = bool(mode)


def are_deterministic_algorithms_enabled():
    """What :func:`use_deterministic_algorithms` last set.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.use_deterministic_algorithms(False); torch.are_deterministic_algorithms_enabled()
        False
    """
    return _settings["deterministic"]


def compile(model=None, **options):  # noqa: A001  (PyTorch's name)
    """The module or function itself: ndgrad runs eagerly, and compiling never
    changes results. Usable bare, with options, or as a decorator.

    Example:
        >>> import ndgrad.torch as torch
        >>> model = torch.nn.Linear(2, 2)
        >>> torch.compile(model) is model, torch.compile(mode="max-autotune")(model) is model
        (True, True)
    """
    if model is None:
        return lambda function: function
    return model
