"""Training checkpoints: model, optimizer, RNG state, epoch and extras in one
safetensors file, to resume training exactly.

Layout of the file: the model's ``state_dict`` as tensors named
``model/<name>``, the optimizer's arrays as ``optimizer/<index>/<name>``, and
one JSON document in the safetensors metadata (key ``"ndgrad"``) with the
format version, the optimizer's class, parameter groups (hyper-parameters),
step counts and ``iterations``, ``ndgrad.random``'s generator state, the epoch
and the user's ``extra`` dict (a DataLoader's ``state_dict()``, say). No
pickle anywhere: loading a checkpoint never runs code.

Loading checks every byte of the file (see :mod:`ndgrad.io.safetensors_file`),
then the whole training state (:mod:`ndgrad.io.training_state`: the epoch,
the random state, every optimizer slot of every parameter that has state,
step counts and hyper-parameters, by type and range), then the fit with the
model and the optimizer, before changing anything. The optimizer is restored
first (its ``load_state_dict`` checks what is left and changes nothing when
it refuses), then the weights, then the random state; if a late step still
fails, what was already restored is put back. Model, optimizer and random
state are restored together or not at all.

Example:
    >>> from ndgrad import load_checkpoint
    >>> from ndgrad import save_checkpoint
    >>> import os, tempfile, ndgrad
    >>> path = os.path.join(tempfile.mkdtemp(), "ckpt.safetensors")
    >>> model = ndgrad.nn.Linear(2, 1); opt = ndgrad.optim.Adam(model.parameters())
    >>> save_checkpoint(path, model, opt, epoch=3, extra={"note": "hi"})
    >>> load_checkpoint(path, model, opt)
    {'epoch': 3, 'extra': {'note': 'hi'}}
"""

import numbers

from .. import random
from .optimizer_record import (OPTIMIZER_PREFIX, check_structure, optimizer_record,
                               optimizer_state, parameters_to_build)
from .safetensors_file import CheckpointError, read_tensors, to_json, write_tensors
from .training_state import check_optimizer_state, check_training_state
from .weights import MODEL_PREFIX, check_fit, check_module, check_path, load_into


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
    if epoch < 0:
        raise ValueError(f"save_checkpoint: epoch must be >= 0 (the number of epochs "
                         f"completed), got {epoch}")
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
        >>> from ndgrad import save_checkpoint
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
        >>> from ndgrad import load_checkpoint
        >>> from ndgrad import save_checkpoint
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
    check_training_state(path, header, optimizer_tensors)
    check_fit(model, model_tensors, path, True, "load_checkpoint")
    undo_optimizer = None
    if optimizer is not None:
        undo_optimizer = _load_optimizer(path, header, model, optimizer, optimizer_tensors)
    try:
        load_into(model, model_tensors, path, True, "load_checkpoint")
    except BaseException:
        if undo_optimizer is not None:
            undo_optimizer()
        raise
    if header.get("random") is not None:
        random.set_state(header["random"])
    return {"epoch": header.get("epoch"), "extra": header.get("extra")}


def _optimizer_undo(optimizer):
    """A function that puts ``optimizer`` back as it is now. ``load_state_dict``
    replaces the state's arrays and updates the group dicts in place, so
    shallow copies are enough (no copy of any moment array)."""
    groups = [(group, dict(group), list(group["params"])) for group in optimizer.param_groups]
    state = {param: entry for param, entry in optimizer.state.items()}
    iterations = optimizer.iterations

    def undo():
        optimizer.param_groups[:] = [group for group, _, _ in groups]
        for group, contents, params in groups:
            group.clear()
            group.update(contents)
            group["params"] = params
        optimizer.state.clear()
        optimizer.state.update(state)
        optimizer.iterations = iterations
    return undo


def _load_optimizer(path, header, model, optimizer, optimizer_tensors):
    """Restore the optimizer's part; returns the function that undoes it."""
    record = header.get("optimizer")
    if not isinstance(record, dict):
        raise CheckpointError(f"load_checkpoint: {path}: nothing was loaded: the checkpoint "
                              "was saved without an optimizer; pass optimizer=None, or save "
                              "one with save_checkpoint(..., optimizer)")
    state = optimizer_state(path, record, optimizer_tensors)
    to_build = parameters_to_build(path, optimizer, record, model)
    check_structure(path, optimizer, record, model, to_build or optimizer.params)
    check_optimizer_state(path, record, optimizer_tensors, optimizer)
    undo = _optimizer_undo(optimizer)
    try:
        if to_build:
            optimizer.build(to_build)
        optimizer.load_state_dict(state)
    except BaseException as error:
        undo()
        if isinstance(error, (ValueError, TypeError, KeyError, IndexError, AttributeError,
                              OverflowError)) and \
                not isinstance(error, CheckpointError):
            raise CheckpointError(f"load_checkpoint: {path}: nothing was loaded: the "
                                  f"optimizer state does not fit ({type(error).__name__}: "
                                  f"{error})") from None
        raise
    return undo
