"""Training checkpoints: model, optimizer, RNG state, epoch and extras in one
safetensors file, to resume training exactly.

Layout of the file: the model's ``state_dict`` as tensors named
``model/<name>``, the optimizer's arrays as ``optimizer/<index>/<name>``, and
one JSON document in the safetensors metadata (key ``"ndgrad"``) with the
format version, the optimizer's class, parameter groups (hyper-parameters),
step counts and ``iterations``, ``ndgrad.random``'s generator state, the epoch
and the user's ``extra`` dict (a DataLoader's ``state_dict()``, say). No
pickle anywhere: loading a checkpoint never runs code.

Loading checks the whole file, then the fit with the model and the optimizer,
before changing anything; if a late step still fails, what was already
restored is rolled back. Model, optimizer and random state are restored
together or not at all.

Example:
    >>> import os, tempfile, ndgrad
    >>> path = os.path.join(tempfile.mkdtemp(), "ckpt.safetensors")
    >>> model = ndgrad.nn.Linear(2, 1); opt = ndgrad.optim.Adam(model.parameters())
    >>> save_checkpoint(path, model, opt, epoch=3, extra={"note": "hi"})
    >>> load_checkpoint(path, model, opt)
    {'epoch': 3, 'extra': {'note': 'hi'}}
"""

import numbers

import numpy as np

from .. import random
from .optimizer_record import (OPTIMIZER_PREFIX, check_structure, optimizer_record,
                               optimizer_state, parameters_to_build)
from .safetensors_file import CheckpointError, read_tensors, to_json, write_tensors
from .weights import MODEL_PREFIX, check_module, check_path, load_into


def _check_optimizer(function, optimizer):
    if optimizer is not None and not (callable(getattr(optimizer, "state_dict", None))
                                      and hasattr(optimizer, "params")):
        raise TypeError(f"{function}: optimizer must be an ndgrad optimizer (or None), got "
                        f"{type(optimizer).__name__}")


def _checked_epoch(epoch):
    if epoch is None:
        return None
    if isinstance(epoch, bool) or not isinstance(epoch, numbers.Integral):
        raise TypeError(f"save_checkpoint: epoch must be an int or None, got "
                        f"{type(epoch).__name__} {epoch!r}")
    return int(epoch)


def save_checkpoint(path, model, optimizer=None, epoch=None, extra=None):
    """Save everything needed to resume training: weights, optimizer state,
    ``ndgrad.random``'s state, the epoch and ``extra``, in one safetensors file.

    The write is atomic (temporary file, fsync, rename): a crash or ``Ctrl-C``
    leaves the previous file at ``path`` intact. Missing parent folders are
    created.

    Args:
        path: the file to write, conventionally ``*.safetensors``.
        model: the Module whose ``state_dict`` is saved.
        optimizer: an ndgrad optimizer over the model's parameters, or None.
        epoch: the number of epochs completed (an int), or None.
        extra: a JSON-serializable dict (numbers, strings, lists, dicts;
            tuples come back as lists), for example ``{"loader":
            loader.state_dict()}``.

    Example:
        >>> import os, tempfile, ndgrad
        >>> path = os.path.join(tempfile.mkdtemp(), "ckpt.safetensors")
        >>> save_checkpoint(path, ndgrad.nn.Linear(2, 1), epoch=1); os.path.exists(path)
        True
    """
    check_module("save_checkpoint", model)
    path = check_path("save_checkpoint", path)
    _check_optimizer("save_checkpoint", optimizer)
    epoch = _checked_epoch(epoch)
    if extra is not None and not isinstance(extra, dict):
        raise TypeError(f"save_checkpoint: extra must be a dict or None, got "
                        f"{type(extra).__name__}")
    header = {"kind": "checkpoint", "module": type(model).__name__, "epoch": epoch,
              "extra": to_json(extra, "save_checkpoint: extra"),
              "random": to_json(random.get_state(), "save_checkpoint: random state"),
              "optimizer": None}
    tensors = {MODEL_PREFIX + name: tensor for name, tensor in model.state_dict().items()}
    if optimizer is not None:
        optimizer_tensors, header["optimizer"] = optimizer_record(optimizer, model)
        tensors.update(optimizer_tensors)
    write_tensors(path, tensors, header)


def _checked_random_state(path, state):
    if state is None:
        return None
    # Try the state on a throwaway generator of the same kind first, so that a
    # bad state is refused before anything else is restored.
    probe = type(random.generator().bit_generator)()
    try:
        probe.state = state
    except (ValueError, TypeError, KeyError) as error:
        raise CheckpointError(f"load_checkpoint: {path}: nothing was loaded: the saved random "
                              f"state does not fit ndgrad's generator ({error})") from None
    return state


def _split(path, tensors):
    model_tensors, optimizer_tensors = {}, {}
    for name, array in tensors.items():
        if name.startswith(MODEL_PREFIX):
            model_tensors[name[len(MODEL_PREFIX):]] = array
        elif name.startswith(OPTIMIZER_PREFIX):
            optimizer_tensors[name] = array
        else:
            raise CheckpointError(f"load_checkpoint: {path}: nothing was loaded: tensor "
                                  f"{name!r} is neither model/ nor optimizer/ state")
    return model_tensors, optimizer_tensors


def load_checkpoint(path, model, optimizer=None):
    """Restore a checkpoint written by :func:`save_checkpoint` into ``model``,
    ``optimizer`` (if given) and ``ndgrad.random``'s generator.

    Everything is checked before anything changes: the file (missing,
    truncated, corrupted or a pickle: refused), the weights' names, shapes and
    dtypes, and the optimizer's class and parameters. A Keras-style optimizer
    that has no parameters yet is built over the model's parameters in the
    saved order.

    Args:
        path: the checkpoint file.
        model: the Module to fill, in place.
        optimizer: the optimizer to restore, or None to leave optimizers alone.

    Returns:
        ``{"epoch": epoch, "extra": extra}`` as they were saved.

    Raises:
        CheckpointError: (a ValueError) naming the path and what is wrong; the
            model, the optimizer and the random state are then unchanged.

    Example:
        >>> import os, tempfile, ndgrad
        >>> path = os.path.join(tempfile.mkdtemp(), "ckpt.safetensors")
        >>> save_checkpoint(path, ndgrad.nn.Linear(2, 1), epoch=5)
        >>> load_checkpoint(path, ndgrad.nn.Linear(2, 1))["epoch"]
        5
    """
    check_module("load_checkpoint", model)
    path = check_path("load_checkpoint", path)
    _check_optimizer("load_checkpoint", optimizer)
    tensors, header = read_tensors(path)
    if header is None or header.get("kind") != "checkpoint":
        raise CheckpointError(f"load_checkpoint: {path} holds weights only (no optimizer "
                              "state, epoch or random state); load it with load_weights")
    model_tensors, optimizer_tensors = _split(path, tensors)
    random_state = _checked_random_state(path, header.get("random"))
    if optimizer is None:
        load_into(model, model_tensors, path, True, "load_checkpoint")
    else:
        _load_with_optimizer(path, header, model, model_tensors, optimizer, optimizer_tensors)
    if random_state is not None:
        random.set_state(random_state)
    return {"epoch": header.get("epoch"), "extra": header.get("extra")}


def _load_with_optimizer(path, header, model, model_tensors, optimizer, optimizer_tensors):
    record = header.get("optimizer")
    if not isinstance(record, dict):
        raise CheckpointError(f"load_checkpoint: {path}: nothing was loaded: the checkpoint "
                              "was saved without an optimizer; pass optimizer=None, or save "
                              "one with save_checkpoint(..., optimizer)")
    state = optimizer_state(path, record, optimizer_tensors)
    # The model goes first, because its errors (every mismatched weight, by
    # name) say the most; it is put back from this copy if the optimizer part
    # is refused afterwards.
    snapshot = {name: np.array(tensor._data, copy=True)
                for name, tensor in model.state_dict().items()}
    load_into(model, model_tensors, path, True, "load_checkpoint")
    groups_before = [(group, list(group["params"])) for group in optimizer.param_groups]
    try:
        to_build = parameters_to_build(path, optimizer, record, model)
        check_structure(path, optimizer, record, model, to_build or optimizer.params)
        if to_build:
            optimizer.build(to_build)
        optimizer.load_state_dict(state)
    except BaseException as error:
        optimizer.param_groups[:] = [group for group, _ in groups_before]
        for group, params in groups_before:
            group["params"][:] = params
        model.load_state_dict(snapshot)
        if isinstance(error, (ValueError, TypeError, KeyError)) and not isinstance(
                error, CheckpointError):
            raise CheckpointError(f"load_checkpoint: {path}: nothing was loaded: the "
                                  f"optimizer state does not fit ({error})") from None
        raise
