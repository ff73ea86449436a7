"""The training state in a checkpoint, checked field by field before anything is restored.

A checkpoint's JSON header holds the epoch, the ``extra`` dict, the random
generator's state and the optimizer's record (see
:mod:`ndgrad.io.optimizer_record`); its tensors hold the optimizer's arrays.
The digest (:mod:`ndgrad.io.integrity`) proves that the file is the one
ndgrad wrote, but a file of format 1, one written by hand or by a buggy
program can still hold a step count of ``-5``, ``2.7``, ``"three"`` or
``Infinity``, a NaN learning rate, an RNG state that NumPy would truncate,
or Adam state without its ``exp_avg``. Each of those would load and fail
later (a KeyError at the next step, an OverflowError, a silently different
run), so loading refuses them first, with a :class:`CheckpointError` that
names the file and the field.

Example:
    >>> from ndgrad.io.checkpoint import check_training_state
    >>> check_training_state("c.safetensors", {"epoch": 2, "extra": None, "random": None,
    ...                                        "optimizer": None}, {})
    >>> check_training_state("c.safetensors", {"epoch": -1}, {})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ndgrad.io.errors.CheckpointError: load_checkpoint: c.safetensors: nothing was loaded: epoch ...
"""

import math
import numbers

import numpy as np

from .. import random
from .errors import CheckpointError
from .optimizer_record import OPTIMIZER_PREFIX

_COUNTERS = ("step", "func_evals", "n_iter")     # per-parameter counts: ints >= 0
_NON_NEGATIVE = ("lr", "initial_lr", "max_lr", "min_lr", "eps", "weight_decay", "momentum",
                 "lr_decay")
_INT64_MAX = 2 ** 63 - 1


def _refuse(where, field, problem):
    raise CheckpointError(f"load_checkpoint: {where}: nothing was loaded: {field} {problem}")


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _check_count(where, field, value):
    if isinstance(value, np.ndarray):       # torch.optim keeps ``step`` as a 0-d tensor
        if value.size == 1 and value.dtype.kind in "iuf":
            number = value.reshape(()).item()
            if math.isfinite(number) and number == int(number) and 0 <= number <= _INT64_MAX:
                return
        _refuse(where, field, f"is a {value.dtype} array of shape {value.shape} holding "
                              f"{value.reshape(-1)[:3].tolist()}; expected one whole number "
                              ">= 0")
    if not _is_int(value) or not 0 <= value <= _INT64_MAX:
        _refuse(where, field, f"is {value!r}; expected an int >= 0")


def _check_number(where, field, value, non_negative=False):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        _refuse(where, field, f"is {value!r}; expected a number")
    if not math.isfinite(value):
        _refuse(where, field, f"is {value!r}; expected a finite number")
    if non_negative and value < 0:
        _refuse(where, field, f"is {value!r}; expected a number >= 0")


def _check_random(where, state):
    expected = type(random.generator().bit_generator).__name__
    if not isinstance(state, dict) or state.get("bit_generator") != expected:
        name = state.get("bit_generator") if isinstance(state, dict) else state
        _refuse(where, "random.bit_generator", f"is {name!r:.80}: the saved random state "
                                               f"does not fit ndgrad's generator ({expected})")
    if expected == "PCG64":
        if set(state) != {"bit_generator", "state", "has_uint32", "uinteger"}:
            _refuse(where, "random", f"has the keys {sorted(state)}; a PCG64 state has "
                                     "bit_generator, state, has_uint32 and uinteger")
        inner = state["state"]
        if not isinstance(inner, dict) or set(inner) != {"state", "inc"}:
            _refuse(where, "random.state", f"is {inner!r:.80}; expected {{'state': int, "
                                           "'inc': int}")
        for key in ("state", "inc"):
            if not _is_int(inner[key]) or not 0 <= inner[key] < 2 ** 128:
                _refuse(where, f"random.state.{key}", f"is {inner[key]!r:.80}; expected an "
                                                      "int in [0, 2**128)")
        if state["has_uint32"] not in (0, 1) or not _is_int(state["has_uint32"]):
            _refuse(where, "random.has_uint32", f"is {state['has_uint32']!r}; expected 0 or 1")
        if not _is_int(state["uinteger"]) or not 0 <= state["uinteger"] < 2 ** 32:
            _refuse(where, "random.uinteger", f"is {state['uinteger']!r}; expected an int in "
                                              "[0, 2**32)")
    # The generator's own check, on a throwaway one, for anything the above misses.
    probe = type(random.generator().bit_generator)()
    try:
        probe.state = state
    except Exception as error:              # ValueError, TypeError, OverflowError...
        _refuse(where, "random", f"does not fit ndgrad's generator ({type(error).__name__}: "
                                 f"{error})")


def _check_groups(where, groups, count):
    if not isinstance(groups, list) or (count and not groups):
        _refuse(where, "optimizer.param_groups", f"is {groups!r:.80}; expected a list of "
                                                 "dicts, one per parameter group")
    listed = []
    for number, group in enumerate(groups):
        field = f"optimizer.param_groups[{number}]"
        if not isinstance(group, dict) or not isinstance(group.get("params"), list):
            _refuse(where, field, "is not a dict with a 'params' list")
        for index in group["params"]:
            if not _is_int(index) or not 0 <= index < count:
                _refuse(where, f"{field}.params", f"holds {index!r}; expected parameter "
                                                  f"indices in [0, {count})")
        listed += group["params"]
        for key, value in group.items():
            if key == "lr" and isinstance(value, dict):
                if not (isinstance(value.get("class_name"), str)
                        and isinstance(value.get("config"), dict)):
                    _refuse(where, f"{field}.lr", f"is {value!r:.80}; expected a number or a "
                                                  "schedule's {'class_name', 'config'}")
            elif key == "lr" or (key in _NON_NEGATIVE and value is not None):
                _check_number(where, f"{field}.{key}", value, non_negative=True)
            elif isinstance(value, float):
                _check_number(where, f"{field}.{key}", value)
            elif key == "betas":
                if not (isinstance(value, list) and len(value) == 2):
                    _refuse(where, f"{field}.betas", f"is {value!r:.80}; expected two numbers")
                for beta in value:
                    _check_number(where, f"{field}.betas", beta, non_negative=True)
    if sorted(listed) != list(range(count)):
        _refuse(where, "optimizer.param_groups", f"list the parameters {sorted(listed)}; "
                                                 f"expected each of 0..{count - 1} once")


def _check_parameters(where, parameters):
    if not isinstance(parameters, list):
        _refuse(where, "optimizer.parameters", f"is {parameters!r:.80}; expected a list")
    for index, entry in enumerate(parameters):
        field = f"optimizer.parameters[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), (str, type(None))):
            _refuse(where, field, f"is {entry!r:.80}; expected {{'name': str, 'shape': list}}")
        shape = entry.get("shape")
        if not isinstance(shape, list) or not all(_is_int(size) and size >= 0
                                                  for size in shape):
            _refuse(where, f"{field}.shape", f"is {shape!r:.80}; expected a list of ints >= 0")


def _parameter_index(where, field, key, count):
    if not (isinstance(key, str) and key.isdigit() and str(int(key)) == key
            and int(key) < count):
        _refuse(where, field, f"names parameter {key!r:.40}; expected an index in "
                              f"[0, {count})")
    return int(key)


def state_entries(where, record, optimizer_tensors):
    """``{index: {slot: value}}``: the per-parameter state of a checked record,
    its scalars and its arrays together (a CheckpointError for a malformed name).

    Example:
        >>> from ndgrad.io.training_state import state_entries
        >>> import numpy as np
        >>> record = {"scalars": {"0": {"step": 3}}, "parameters": [{"name": "w", "shape": [1]}]}
        >>> entries = state_entries("c", record, {"optimizer/0/exp_avg": np.zeros(1)})
        >>> sorted(entries[0])
        ['exp_avg', 'step']
    """
    count = len(record["parameters"])
    entries = {}
    for index_key, scalars in record["scalars"].items():
        field = f"optimizer.scalars[{index_key!r:.40}]"
        index = _parameter_index(where, field, index_key, count)
        if not isinstance(scalars, dict):
            _refuse(where, field, f"is {scalars!r:.80}; expected a dict")
        entries.setdefault(index, {}).update(scalars)
    for name, array in optimizer_tensors.items():
        parts = name[len(OPTIMIZER_PREFIX):].split("/")
        if len(parts) != 2 or not parts[1]:
            _refuse(where, f"tensor {name!r}", "is not named optimizer/<index>/<slot>")
        index = _parameter_index(where, f"tensor {name!r}", parts[0], count)
        entries.setdefault(index, {})[parts[1]] = array
    return entries


def _check_optimizer_record(where, record, optimizer_tensors):
    if not isinstance(record, dict):
        _refuse(where, "optimizer", f"is {record!r:.80}; expected a dict or None")
    if not isinstance(record.get("class"), str):
        _refuse(where, "optimizer.class", f"is {record.get('class')!r:.80}; expected a name")
    _check_parameters(where, record.get("parameters"))
    _check_groups(where, record.get("param_groups"), len(record["parameters"]))
    _check_count(where, "optimizer.iterations", record.get("iterations"))
    if not isinstance(record.get("scalars"), dict):
        _refuse(where, "optimizer.scalars", f"is {record.get('scalars')!r:.80}; expected a "
                                            "dict")
    for index, entry in state_entries(where, record, optimizer_tensors).items():
        for counter in _COUNTERS:
            if counter in entry:
                _check_count(where, f"optimizer state {counter!r} of parameter {index}",
                             entry[counter])


def check_training_state(where, header, optimizer_tensors):
    """Raise CheckpointError unless the epoch, ``extra``, random state and optimizer
    record of a checkpoint's ``header`` are well-formed (see the module).

    Example:
        >>> from ndgrad.io.checkpoint import check_training_state
        >>> check_training_state("c", {"random": {"bit_generator": "MT19937"}}, {})
        ... # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ndgrad.io.errors.CheckpointError: load_checkpoint: c: nothing was loaded: random...
    """
    epoch = header.get("epoch")
    if epoch is not None and (not _is_int(epoch) or epoch < 0):
        _refuse(where, "epoch", f"is {epoch!r:.80}; expected None or an int >= 0")
    extra = header.get("extra")
    if extra is not None and not isinstance(extra, dict):
        _refuse(where, "extra", f"is a {type(extra).__name__}; expected a dict or None")
    if header.get("random") is not None:
        _check_random(where, header["random"])
    if header.get("optimizer") is not None:
        _check_optimizer_record(where, header["optimizer"], optimizer_tensors)
    elif optimizer_tensors:
        _refuse(where, "optimizer", "is missing, though the file holds optimizer tensors")


def _is_generic(optimizer):
    """Whether ``optimizer`` keeps the standard per-parameter state (its
    ``state_arrays`` shaped like the parameter, its ``state_scalars``)."""
    from ..optim.optimizer import Optimizer
    kind = type(optimizer)
    return (isinstance(optimizer, Optimizer) and not kind._pytorch_style()
            and kind._loaded_state_entry is Optimizer._loaded_state_entry)


def check_optimizer_state(where, record, optimizer_tensors, optimizer):
    """Raise CheckpointError unless every parameter that has state has every slot
    ``optimizer`` keeps (Adam: ``step``, ``exp_avg``, ``exp_avg_sq``), with
    arrays of the parameter's shape and a floating dtype and finite scalars.
    Optimizers with their own state layout (LBFGS, PyTorch-style subclasses)
    are left to their ``load_state_dict``.

    Example:
        >>> from ndgrad.io.checkpoint import check_optimizer_state
        >>> import numpy as np, ndgrad
        >>> opt = ndgrad.optim.Adam([ndgrad.Variable([1.0])])
        >>> record = {"scalars": {"0": {"step": 1}}, "parameters": [{"name": None, "shape": [1]}],
        ...           "param_groups": [{"params": [0]}]}
        >>> try:
        ...     check_optimizer_state("c", record, {"optimizer/0/exp_avg": np.zeros(1)}, opt)
        ... except ndgrad.io.CheckpointError as error:
        ...     print(str(error).split("loaded: ")[1])
        optimizer/0/exp_avg_sq is missing: parameter 0 has Adam state but not this slot (it has
        exp_avg, step)
    """
    if not _is_generic(optimizer):
        return
    owner = type(optimizer).__name__
    arrays, scalars = set(optimizer.state_arrays), set(optimizer.state_scalars)
    # Which slots init_state creates does not depend on the group's values.
    group = optimizer.param_groups[0] if optimizer.param_groups else optimizer.defaults
    for index, entry in sorted(state_entries(where, record, optimizer_tensors).items()):
        shape = tuple(record["parameters"][index]["shape"])
        try:
            required = {"step"} | set(optimizer.init_state(np.zeros(1, np.float32), group))
        except Exception:           # an init_state that needs more than a group: skip
            required = {"step"}
        for slot in sorted(required - set(entry)):
            _refuse(where, f"{OPTIMIZER_PREFIX}{index}/{slot}",
                    f"is missing: parameter {index} has {owner} state but not this slot (it "
                    f"has {', '.join(sorted(entry))})")
        for slot, value in sorted(entry.items()):
            field = f"{OPTIMIZER_PREFIX}{index}/{slot}"
            if slot in arrays:
                if not isinstance(value, np.ndarray) or value.dtype.kind not in "fc" \
                        or value.shape != shape:
                    described = (f"{value.dtype} of shape {value.shape}"
                                 if isinstance(value, np.ndarray) else f"{value!r:.40}")
                    _refuse(where, field, f"is {described}; expected a floating array "
                                          "(complex for a complex parameter) of the "
                                          f"parameter's shape {shape}")
            elif slot in scalars:
                if slot not in _COUNTERS:
                    _check_number(where, f"optimizer state {slot!r} of parameter {index}",
                                  value)
            else:
                _refuse(where, field, f"is not state that {owner} keeps (it keeps "
                                      f"{', '.join(sorted(arrays | scalars))}); was the file "
                                      "saved from another optimizer?")
