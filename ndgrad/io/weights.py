"""A module's weights in a safetensors file: ``save_weights`` and ``load_weights``.

The file holds the module's ``state_dict()`` under its own names (PyTorch's
names: ``0.weight``, ``running_mean``, ``num_batches_tracked``), so PyTorch
reads it with ``safetensors.torch.load_file`` and ``load_state_dict``, and a
file PyTorch wrote with ``safetensors.torch.save_file`` loads into the
equivalent ndgrad model. Loading goes through ``load_state_dict``: names,
shapes and dtypes are checked, every problem is listed, and nothing changes
when one is found.

Example:
    >>> from ndgrad.io import load_weights
    >>> from ndgrad.io import save_weights
    >>> import os, tempfile, ndgrad
    >>> path = os.path.join(tempfile.mkdtemp(), "linear.safetensors")
    >>> a, b = ndgrad.nn.Linear(3, 2), ndgrad.nn.Linear(3, 2)
    >>> save_weights(a, path); _ = load_weights(b, path)
    >>> b.weight.tolist() == a.weight.tolist()
    True
"""

import os

import numpy as np

from .safetensors_file import CheckpointError, read_tensors, write_tensors

MODEL_PREFIX = "model/"


def check_module(function, module):
    """Raise a TypeError unless ``module`` has ``state_dict`` / ``load_state_dict``.

    Example:
        >>> from ndgrad.io.checkpoint import check_module
        >>> import ndgrad
        >>> check_module("save_weights", ndgrad.nn.Linear(1, 1))
    """
    if not (callable(getattr(module, "state_dict", None))
            and callable(getattr(module, "load_state_dict", None))):
        raise TypeError(f"{function}: expected an ndgrad Module (with state_dict and "
                        f"load_state_dict), got {type(module).__name__}")


def check_path(function, path):
    """``path`` as a str, or a TypeError naming ``function``.

    Example:
        >>> from ndgrad.io.checkpoint import check_path
        >>> import pathlib
        >>> check_path("save_weights", pathlib.Path("a.safetensors"))
        'a.safetensors'
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{function}: path must be a str or os.PathLike, got "
                        f"{type(path).__name__}")
    path = os.fspath(path)
    if not isinstance(path, str):
        path = os.fsdecode(path)
    return path


def save_weights(module, path):
    """Save ``module.state_dict()`` (parameters and buffers) to a safetensors file.

    The write is atomic: a crash leaves the previous file at ``path`` intact.
    Missing parent folders are created.

    Args:
        module: an ndgrad Module (a layer, Sequential, Model, ...).
        path: the file to write, conventionally ``*.safetensors``.

    Example:
        >>> from ndgrad.io import save_weights
        >>> import os, tempfile, ndgrad
        >>> path = os.path.join(tempfile.mkdtemp(), "w.safetensors")
        >>> save_weights(ndgrad.nn.BatchNorm1d(3), path); os.path.exists(path)
        True
    """
    check_module("save_weights", module)
    path = check_path("save_weights", path)
    if path.lower().endswith((".h5", ".hdf5")):
        raise ValueError(f"save_weights: {path}: ndgrad does not write HDF5 (Keras's "
                         "'.weights.h5'); name the file '.weights.safetensors' instead (same "
                         "weights, readable by safetensors in PyTorch and NumPy)")
    write_tensors(path, module.state_dict(),
                  {"kind": "weights", "module": type(module).__name__})


def load_weights(module, path, strict=True):
    """Load weights saved by :func:`save_weights` (or by PyTorch with
    ``safetensors.torch.save_file``, or the model part of a checkpoint) into ``module``.

    Args:
        module: the module to fill, in place; it must already have its weights
            (a Keras-style model built from its first input must be built).
        path: a safetensors file.
        strict: with True (default) every name must match both ways; with
            False, missing and unexpected names are allowed and returned.
            Shapes and dtypes must always fit.

    Returns:
        ``LoadResult(missing_keys, unexpected_keys)``.

    Raises:
        CheckpointError: (a ValueError) the file is missing, not safetensors,
            truncated or corrupted, or does not fit ``module``; the message
            names the path and each mismatch. The module is then unchanged.

    Example:
        >>> from ndgrad.io import load_weights
        >>> from ndgrad.io import save_weights
        >>> import os, tempfile, ndgrad
        >>> path = os.path.join(tempfile.mkdtemp(), "w.safetensors")
        >>> save_weights(ndgrad.nn.Linear(2, 2), path)
        >>> load_weights(ndgrad.nn.Linear(2, 2), path)
        LoadResult(missing_keys=[], unexpected_keys=[])
    """
    check_module("load_weights", module)
    path = check_path("load_weights", path)
    tensors, header = read_tensors(path)
    kind = header.get("kind") if header is not None else "weights"
    if kind == "checkpoint":
        tensors = {name[len(MODEL_PREFIX):]: array for name, array in tensors.items()
                   if name.startswith(MODEL_PREFIX)}
    elif kind != "weights":
        raise CheckpointError(f"load_weights: {path} is an ndgrad file of kind {kind!r}; "
                              "expected 'weights' or 'checkpoint'")
    return load_into(module, tensors, path, strict, "load_weights")


def _fit_problems(module, tensors, strict):
    own = module.state_dict()
    problems = []
    for key, target in own.items():
        if key not in tensors:
            continue
        array = tensors[key]
        if tuple(array.shape) != tuple(target.shape):
            problems.append(f"{key}: shape {tuple(array.shape)} in the state, "
                            f"{tuple(target.shape)} in the model")
        elif array.dtype.kind in "biu" and target.dtype.kind in "fc":
            problems.append(f"{key}: the file holds {array.dtype} values for a {target.dtype} "
                            "weight (integer bits are not weights: was the dtype relabelled?)")
        elif not np.can_cast(array.dtype, target.dtype, casting="same_kind"):
            problems.append(f"{key}: dtype {array.dtype} cannot be stored in {target.dtype}")
    if strict:
        missing = [key for key in own if key not in tensors]
        unexpected = [key for key in tensors if key not in own]
        if missing:
            problems.append("missing keys: " + ", ".join(missing))
        if unexpected:
            problems.append("unexpected keys: " + ", ".join(unexpected))
    return problems


def check_fit(module, tensors, path, strict, function):
    """Raise CheckpointError, naming ``function``, ``path`` and every mismatch,
    unless ``tensors`` (name -> array read from a file) fit ``module``'s state:
    names (with ``strict``), shapes, and dtypes (integer data never fills a
    floating weight). Changes nothing.

    Example:
        >>> from ndgrad.io.checkpoint import check_fit
        >>> import numpy as np, ndgrad
        >>> try:
        ...     check_fit(ndgrad.nn.Linear(1, 1), {"weight": np.ones((1, 1), np.int32),
        ...               "bias": np.ones(1)}, "w.safetensors", True, "load_weights")
        ... except ndgrad.io.CheckpointError as error:
        ...     print(str(error).splitlines()[1])
          - weight: the file holds int32 values for a float32 weight (integer bits are not
          weights: was the dtype relabelled?)
    """
    owner = type(module).__name__
    if tensors and not module.state_dict():
        raise CheckpointError(f"{function}: {owner} has no weights yet, {path} holds "
                              f"{len(tensors)}; a model whose layers are built from their first "
                              "input must be built before loading (call it on one batch)")
    problems = _fit_problems(module, tensors, strict)
    if problems:
        raise CheckpointError(f"{function}: {path} does not fit this {owner}; nothing was "
                              "loaded:\n  - " + "\n  - ".join(problems))


def load_into(module, tensors, path, strict, function):
    """``module.load_state_dict(tensors, strict)`` after :func:`check_fit`, with
    any remaining ValueError turned into a CheckpointError naming ``function``
    and ``path``.

    Example:
        >>> from ndgrad.io.checkpoint import load_into
        >>> import numpy as np, ndgrad
        >>> load_into(ndgrad.nn.Linear(1, 1), {"weight": np.ones((1, 1)), "bias": np.ones(1)},
        ...           "w.safetensors", True, "load_weights")
        LoadResult(missing_keys=[], unexpected_keys=[])
    """
    check_fit(module, tensors, path, strict, function)
    owner = type(module).__name__
    try:
        return module.load_state_dict(tensors, strict=strict)
    except ValueError as error:
        message = str(error)
        problems = message.split("\n", 1)[1] if "\n" in message else "  - " + message
        raise CheckpointError(f"{function}: {path} does not fit this {owner}; nothing was "
                              f"loaded:\n{problems}") from None
