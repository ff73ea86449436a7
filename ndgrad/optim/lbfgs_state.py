"""Saving and restoring :class:`~ndgrad.optim.LBFGS`'s state.

In memory the state is torch's: counters, the last direction ``d`` and step
``t``, and the curvature history as lists (``old_dirs``, ``old_stps`` of flat
arrays, ``ro`` of numbers). ``state_dict()`` stacks each history list into one
array (``old_dirs`` of shape ``(pairs, size)``, ``ro`` of shape ``(pairs,)``) and
turns NumPy scalars into Python numbers, so that a checkpoint holds arrays and
JSON numbers only; loading checks the sizes and unstacks them. Lists, as
torch's own ``state_dict`` has them, load too.

Example:
    >>> from ndgrad.optim.lbfgs import saved_lbfgs_entry
    >>> import numpy as np
    >>> saved = saved_lbfgs_entry({"n_iter": 2, "old_dirs": [np.ones(3), np.zeros(3)],
    ...                            "ro": [np.float64(0.5)], "H_diag": np.float64(2.0)})
    >>> saved["old_dirs"].shape, saved["ro"].tolist(), type(saved["H_diag"])
    ((2, 3), [0.5], <class 'float'>)
"""

import numbers

from .._backend import xp
from ..tensor import Tensor
from .gradients import array_of

HISTORY_KEYS = ("d", "t", "old_dirs", "old_stps", "ro", "H_diag", "prev_flat_grad",
                "prev_loss")
COUNTERS = ("func_evals", "n_iter")
NUMBERS = ("t", "H_diag", "prev_loss")
VECTORS = ("d", "prev_flat_grad")
STACKS = ("old_dirs", "old_stps")
IGNORED = ("al",)            # torch's scratch for the two-loop recursion


def saved_lbfgs_entry(entry):
    """A copy of the LBFGS state with the history lists stacked into arrays.

    Example:
        >>> from ndgrad.optim.lbfgs import saved_lbfgs_entry
        >>> import numpy as np
        >>> saved_lbfgs_entry({"old_stps": [], "d": np.ones(2)})["old_stps"].shape
        (0, 2)
    """
    size = entry["d"].size if entry.get("d") is not None else 0
    saved = {}
    for key, value in entry.items():
        if key in STACKS:
            saved[key] = (xp.stack(value) if len(value) else xp.zeros((0, size)))
        elif key == "ro":
            saved[key] = xp.asarray([float(v) for v in value], dtype=xp.float64)
        elif isinstance(value, xp.ndarray):
            saved[key] = value.copy()
        elif value is not None and key in NUMBERS + COUNTERS:
            saved[key] = int(value) if key in COUNTERS else float(value)
        elif key not in IGNORED:
            saved[key] = value
    return saved


def loaded_lbfgs_entry(index, entry, size, history_size):
    """The in-memory LBFGS state from a saved one, checked against ``size`` (the
    number of trainable values) and ``history_size``.

    Example:
        >>> from ndgrad.optim.lbfgs import loaded_lbfgs_entry
        >>> import numpy as np
        >>> loaded = loaded_lbfgs_entry(0, {"n_iter": 1, "d": np.ones(2), "t": 0.5,
        ...     "old_dirs": np.zeros((0, 2)), "old_stps": np.zeros((0, 2)), "ro": np.zeros(0),
        ...     "H_diag": 1.0, "prev_flat_grad": np.ones(2), "prev_loss": 3.0}, 2, 100)
        >>> loaded["old_dirs"], loaded["t"]
        ([], 0.5)
    """
    where = f"LBFGS.load_state_dict: the state of parameter {index}"
    known = HISTORY_KEYS + COUNTERS + IGNORED
    unknown = sorted(set(entry) - set(known))
    if unknown:
        raise ValueError(f"{where} has {unknown}, which LBFGS does not keep (it keeps "
                         f"{sorted(HISTORY_KEYS + COUNTERS)}); was it saved from another "
                         "optimizer?")
    loaded = {}
    for key, value in entry.items():
        if isinstance(value, Tensor):
            value = array_of(value)
        if key in IGNORED or value is None:
            continue
        if key in COUNTERS:
            loaded[key] = int(_number(where, key, value))
        elif key in NUMBERS:
            loaded[key] = _number(where, key, value)
        elif key in VECTORS:
            loaded[key] = _vector(where, key, value, size)
        elif key in STACKS:
            rows = [_vector(where, key, row, size) for row in _rows(value)]
            loaded[key] = rows
        else:                                            # ro
            loaded[key] = [_number(where, key, v) for v in _rows(value)]
    pairs = {key: len(loaded[key]) for key in STACKS + ("ro",) if key in loaded}
    if len(set(pairs.values())) > 1:
        raise ValueError(f"{where}: the history lists differ in length: {pairs}")
    if pairs and max(pairs.values()) > history_size:
        raise ValueError(f"{where}: the history holds {max(pairs.values())} pairs, more than "
                         f"this optimizer's history_size={history_size}")
    return loaded


def _rows(value):
    if isinstance(value, Tensor):
        value = array_of(value)
    return list(value)


def _number(where, key, value):
    if isinstance(value, Tensor):
        value = array_of(value)
    array = xp.asarray(value)
    if array.size != 1 or not isinstance(array.reshape(()).item(), numbers.Real):
        raise ValueError(f"{where}: {key!r} must be a number, got {value!r}")
    return array.reshape(()).item()


def _vector(where, key, value, size):
    if isinstance(value, Tensor):
        value = array_of(value)
    array = xp.array(value, copy=True)
    if array.shape != (size,):
        raise ValueError(f"{where}: {key!r} has shape {array.shape}, but the optimizer's "
                         f"trainable parameters hold {size} values (shape ({size},)); it was "
                         "saved from a different model")
    return array
