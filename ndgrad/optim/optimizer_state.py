"""Saving and restoring an optimizer: its state (PyTorch's ``state_dict``
structure, NumPy arrays) and its configuration (Keras's ``get_config``).

``state_dict()`` is ``{"state": {index: {"step": int, "exp_avg": ndarray, ...}},
"param_groups": [{"lr": ..., ..., "params": [indices]}], "iterations": int}``,
where ``index`` is a parameter's position among all the optimizer's parameters,
group after group (as ``torch.optim``). Arrays are copies; hyper-parameters are
plain Python values, and a Keras schedule is stored as its
``{"class_name", "config"}``, so the whole dict can go to JSON plus
safetensors without pickle.

``load_state_dict`` checks the structure first (number of groups, parameters
per group, state entries this optimizer knows, array shapes) and changes
nothing when it does not fit.

Example:
    >>> import ndgrad
    >>> w = ndgrad.Variable([1.0]); opt = ndgrad.optim.SGD([w], lr=0.1, momentum=0.9)
    >>> (w * w).sum().backward(); opt.step()
    >>> saved = opt.state_dict()
    >>> saved["state"][0]["step"], saved["param_groups"][0]["params"], saved["iterations"]
    (1, [0], 1)
"""

import math
import numbers

from .._backend import xp
from ..tensor import Tensor
from . import _hyperparameters as hp
from .gradients import array_of
from .schedules import LearningRateSchedule, deserialize, serialize


def save_state(optimizer):
    """The optimizer's state as a dict of copies (see the module docstring).

    Example:
        >>> import ndgrad
        >>> sorted(ndgrad.optim.Adam(learning_rate=0.1).state_dict())
        ['iterations', 'param_groups', 'state']
    """
    params = optimizer.params
    index_of = {id(p): index for index, p in enumerate(params)}
    state = {}
    for index, p in enumerate(params):
        entry = optimizer.state.get(p)
        if entry:
            state[index] = _as_complex_state(p, optimizer._saved_state_entry(entry))
    groups = []
    for group in optimizer.param_groups:
        saved = {key: _saved_value(value) for key, value in group.items() if key != "params"}
        saved["params"] = [index_of[id(p)] for p in group["params"]]
        groups.append(saved)
    return {"state": state, "param_groups": groups, "iterations": optimizer.iterations}


def _saved_value(value):
    if isinstance(value, LearningRateSchedule):
        return serialize(value)
    if isinstance(value, list):
        return list(value)
    return value


def _loaded_value(value):
    if isinstance(value, dict) and set(value) == {"class_name", "config"}:
        return deserialize(value)
    if isinstance(value, list):
        return tuple(value) if all(isinstance(v, (int, float)) for v in value) else list(value)
    return value


def load_state(optimizer, state_dict):
    """Restore ``state_dict`` (from :func:`save_state`) into ``optimizer``, all or nothing.

    Example:
        >>> import ndgrad
        >>> opt = ndgrad.optim.SGD([ndgrad.Variable([1.0])], lr=0.1)
        >>> other = ndgrad.optim.SGD([ndgrad.Variable([5.0])], lr=0.5)
        >>> opt.load_state_dict(other.state_dict()); opt.lr
        0.5
    """
    owner = type(optimizer).__name__
    if not isinstance(state_dict, dict) or not {"state", "param_groups"} <= set(state_dict):
        raise TypeError(f"{owner}.load_state_dict: expected a dict with 'state' and "
                        f"'param_groups' (from state_dict()), got {type(state_dict).__name__}"
                        + (f" with keys {sorted(state_dict)}" if isinstance(state_dict, dict)
                           else ""))
    saved_groups = state_dict["param_groups"]
    if not isinstance(saved_groups, (list, tuple)) or not all(
            isinstance(g, dict) for g in saved_groups):
        raise TypeError(f"{owner}.load_state_dict: 'param_groups' must be a list of dicts, got "
                        f"{_described(saved_groups)}")
    if not isinstance(state_dict["state"], dict):
        raise TypeError(f"{owner}.load_state_dict: 'state' must be a dict of per-parameter "
                        f"states, got {_described(state_dict['state'])}")
    groups = optimizer.param_groups
    saved_sizes = [len(g.get("params", ())) for g in saved_groups]
    sizes = [len(g["params"]) for g in groups]
    if not groups and sum(saved_sizes):
        raise ValueError(f"{owner}.load_state_dict: this optimizer has no parameters yet (Keras "
                         "style, it learns them at the first apply_gradients); call "
                         "optimizer.build(variables) first, with the variables in the same order")
    if saved_sizes != sizes:
        raise ValueError(f"{owner}.load_state_dict: the saved state has {len(saved_sizes)} "
                         f"parameter group(s) of sizes {saved_sizes}, this optimizer has "
                         f"{len(sizes)} of sizes {sizes}; it was saved from a different model "
                         "or optimizer setup")
    mapping = {}
    for saved, group in zip(saved_groups, groups):
        mapping.update(zip((_index(owner, "param_groups params", i) for i in saved["params"]),
                           group["params"]))
    new_state = {}
    for key, entry in dict(state_dict["state"]).items():
        index = _index(owner, "state", key)
        if not isinstance(entry, dict):
            raise TypeError(f"{owner}.load_state_dict: the state of parameter {index} must be a "
                            f"dict, got {_described(entry)}")
        if index not in mapping:
            raise ValueError(f"{owner}.load_state_dict: state for parameter {index}, but the "
                             f"parameter groups list only {sorted(mapping)}")
        new_state[mapping[index]] = optimizer._loaded_state_entry(index, mapping[index],
                                                                  dict(entry))
    new_groups = []
    for saved, group in zip(saved_groups, groups):
        hyper = {key: _loaded_value(value) for key, value in saved.items() if key != "params"}
        if optimizer._pytorch_style():             # the subclass's values, as saved
            for key, default in optimizer.defaults.items():
                hyper.setdefault(key, default)
        else:
            hyper = hp.translate_group(owner, hyper, optimizer.keras_names)
            hyper = hp.fill_group(owner, hyper, optimizer.defaults)
        optimizer._check_group(hyper)
        new_groups.append(hyper)
    iterations = _count(owner, "iterations", state_dict.get("iterations", optimizer.iterations))
    # Everything checked: commit. Group dicts are updated in place, since
    # schedulers and users hold references to them.
    for group, hyper in zip(groups, new_groups):
        params = group["params"]
        group.clear()
        group["params"] = params
        group.update(hyper)
    optimizer.state.clear()
    for key, entry in new_state.items():
        optimizer.state[key] = entry
    optimizer.iterations = iterations


def _described(value):
    return f"{type(value).__name__} {value!r}"[:120]


def _index(owner, where, value):
    """A parameter index from a state_dict: an int, or the digits of one (JSON keys)."""
    if isinstance(value, str) and value.isdigit():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise TypeError(f"{owner}.load_state_dict: {where} lists parameter index "
                        f"{_described(value)}; indices are ints >= 0 (from state_dict())")
    return int(value)


def _scalar(owner, label, value):
    if isinstance(value, Tensor):
        value = array_of(value)
    if isinstance(value, xp.ndarray) and value.size == 1 and value.dtype.kind in "iuf":
        value = value.reshape(()).item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{owner}.load_state_dict: {label} must be a number, got "
                        f"{_described(value)}")
    return value


def _count(owner, label, value):
    """A step or iteration count: a whole number >= 0 (2.0 from an array is fine)."""
    value = _scalar(owner, label, value)
    if not (math.isfinite(value) and value >= 0 and value == int(value)):
        raise ValueError(f"{owner}.load_state_dict: {label} must be a whole number >= 0, "
                         f"got {value!r}")
    return int(value)


def _real(owner, label, value):
    value = float(_scalar(owner, label, value))
    if math.isnan(value):
        raise ValueError(f"{owner}.load_state_dict: {label} is NaN")
    return value


def _as_complex_state(param, entry):
    """A complex parameter's state arrays, which the update keeps as (real,
    imaginary) pairs (``optimizer._real_pairs``, PyTorch's ``view_as_real``), as
    complex arrays of the parameter's shape and dtype: what PyTorch's
    ``state_dict`` holds (its optimizers keep complex state and view it as real)."""
    if param.dtype.kind != "c":
        return entry
    pairs_shape = tuple(param.shape) + (2,)
    for name, value in entry.items():
        if (isinstance(value, xp.ndarray) and value.shape == pairs_shape
                and value.dtype.kind == "f"):
            pairs = xp.ascontiguousarray(value, dtype=xp.finfo(param.dtype).dtype)
            entry[name] = pairs.view(param.dtype).reshape(param.shape)
    return entry


def saved_entry(entry):
    """A copy of one parameter's state for ``state_dict()``: arrays (and tensors,
    as arrays) copied, lists copied, numbers as they are.

    Example:
        >>> from ndgrad.optim.optimizer_state import saved_entry
        >>> import numpy as np
        >>> moment = np.zeros(2); saved = saved_entry({"step": 3, "exp_avg": moment})
        >>> saved["step"], saved["exp_avg"] is moment
        (3, False)
    """
    def copied(value):
        if isinstance(value, Tensor):
            value = array_of(value)
        if isinstance(value, xp.ndarray):
            return value.copy()
        if isinstance(value, list):
            return [copied(item) for item in value]
        return value
    return {key: copied(value) for key, value in entry.items()}


def loaded_entry(optimizer, index, param, entry):
    """One parameter's state checked against what ``optimizer`` keeps
    (``state_arrays`` of the parameter's shape, ``state_scalars``), as new arrays
    in the parameter's dtype.

    Example:
        >>> from ndgrad.optim.optimizer_state import loaded_entry
        >>> import numpy as np, ndgrad
        >>> w = ndgrad.Variable([1.0]); opt = ndgrad.optim.SGD([w], lr=0.1, momentum=0.9)
        >>> loaded_entry(opt, 0, w, {"momentum_buffer": np.ones(1)})["momentum_buffer"].dtype
        dtype('float32')
    """
    owner = type(optimizer).__name__
    arrays, scalars = optimizer.state_arrays, optimizer.state_scalars
    unknown = sorted(set(entry) - set(arrays) - set(scalars))
    if unknown:
        raise ValueError(f"{owner}.load_state_dict: the state of parameter {index} has "
                         f"{unknown}, which {owner} does not keep (it keeps "
                         f"{sorted(set(arrays) | set(scalars))}); was it saved from another "
                         "optimizer?")
    if "step" not in entry and "step" in scalars:
        if getattr(optimizer, "reads_step", True):
            raise ValueError(f"{owner}.load_state_dict: the state of parameter {index} has no "
                             f"'step', which {owner}'s update needs (it has "
                             f"{sorted(entry)})")
        entry = dict(entry, step=0)
    loaded = {}
    for name, value in entry.items():
        if isinstance(value, Tensor):
            value = array_of(value)
        if name in scalars:
            label = f"state {name!r} of parameter {index}"
            loaded[name] = (_count(owner, label, value) if name == "step"
                            else _real(owner, label, value))
            continue
        array = xp.asarray(value)
        if array.shape != param.shape:
            raise ValueError(f"{owner}.load_state_dict: state {name!r} of parameter {index} has "
                             f"shape {array.shape}, but the parameter has shape {param.shape}")
        if array.dtype.kind == "c" and param.dtype.kind != "c":
            raise ValueError(f"{owner}.load_state_dict: state {name!r} of parameter {index} is "
                             f"{array.dtype}, but the parameter is {param.dtype}: was it saved "
                             "for a complex parameter?")
        if array.dtype.kind not in "biufc":
            raise TypeError(f"{owner}.load_state_dict: state {name!r} of parameter {index} has "
                            f"dtype {array.dtype}; expected numbers")
        array = array.astype(param.dtype, copy=True)
        if array.dtype.kind == "c":     # the update keeps it as (real, imaginary) pairs
            array = array[..., None].view(xp.finfo(array.dtype).dtype)
        loaded[name] = array
    return loaded


def loaded_pytorch_style_entry(param, entry):
    """One parameter's state for a PyTorch-style subclass: whatever it kept;
    arrays become tensors again (floating ones in the parameter's dtype, as
    ``torch.optim`` casts them, except ``"step"``).

    Example:
        >>> from ndgrad.optim.optimizer_state import loaded_pytorch_style_entry
        >>> import numpy as np, ndgrad
        >>> w = ndgrad.Variable([1.0])
        >>> loaded = loaded_pytorch_style_entry(w, {"buf": np.ones(1), "step": 2})
        >>> loaded["buf"], loaded["step"]
        (Tensor([1.], dtype=float32), 2)
    """
    loaded = {}
    for name, value in entry.items():
        if isinstance(value, Tensor):
            value = array_of(value)
        if isinstance(value, xp.ndarray):
            if value.dtype.kind == "f" and name != "step":
                value = value.astype(param.dtype)
            value = Tensor(value)
        loaded[name] = value
    return loaded


def keras_config(optimizer):
    """The hyper-parameters in Keras's spelling plus the options (``get_config``).

    Example:
        >>> from ndgrad.optim.optimizer_state import keras_config
        >>> import ndgrad
        >>> config = keras_config(ndgrad.optim.Adam(learning_rate=0.1))
        >>> config["learning_rate"], config["beta_2"], config["epsilon"]
        (0.1, 0.999, 1e-07)
    """
    config = {"name": optimizer.name}
    for key, value in optimizer.defaults.items():
        keras_name = optimizer.keras_names.get(key, key)
        if isinstance(keras_name, tuple):
            config.update(zip(keras_name, value))
        elif isinstance(value, LearningRateSchedule):
            config[keras_name] = serialize(value)
        else:
            config[keras_name] = value
    config.update(clipnorm=optimizer.clipnorm, clipvalue=optimizer.clipvalue,
                  global_clipnorm=optimizer.global_clipnorm,
                  missing_gradients=optimizer.missing_gradients)
    return config


def keras_arguments(config):
    """Constructor arguments from a :func:`keras_config` (schedules rebuilt).

    Example:
        >>> from ndgrad.optim.optimizer_state import keras_arguments
        >>> arguments = keras_arguments({"learning_rate": {"class_name": "PolynomialDecay",
        ...     "config": {"initial_learning_rate": 0.1, "decay_steps": 10}}})
        >>> arguments["learning_rate"](10)
        0.0001
    """
    arguments = dict(config)
    if isinstance(arguments.get("learning_rate"), dict):
        arguments["learning_rate"] = deserialize(arguments["learning_rate"])
    return arguments


class OptimizerSaving:
    """Saving and restoring of :class:`ndgrad.optim.Optimizer`: PyTorch's
    ``state_dict`` and Keras's ``get_config``.

    Example:
        >>> from ndgrad.optim.optimizer import OptimizerSaving
        >>> import ndgrad
        >>> issubclass(ndgrad.optim.SGD, OptimizerSaving)
        True
    """

    def _saved_state_entry(self, entry):
        return saved_entry(entry)

    def _loaded_state_entry(self, index, param, entry):
        if self._pytorch_style():
            return loaded_pytorch_style_entry(param, entry)
        return loaded_entry(self, index, param, entry)

    def state_dict(self):
        """The state as PyTorch structures it, with NumPy arrays (copies).

        Example:
            >>> import ndgrad
            >>> saved = ndgrad.optim.SGD([ndgrad.Variable([1.0])], lr=0.1).state_dict()
            >>> saved["param_groups"][0]["lr"], saved["state"]
            (0.1, {})
        """
        return save_state(self)

    def load_state_dict(self, state_dict):
        """Restore a ``state_dict()``; a mismatched structure raises and changes nothing.

        Example:
            >>> import ndgrad
            >>> opt = ndgrad.optim.SGD([ndgrad.Variable([1.0])], lr=0.1)
            >>> saved = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=0.2).state_dict()
            >>> opt.load_state_dict(saved); opt.lr
            0.2
        """
        load_state(self, state_dict)

    def get_config(self):
        """The hyper-parameters in Keras's spelling (and the options), for ``from_config``.

        Example:
            >>> import ndgrad
            >>> ndgrad.optim.SGD(lr=0.1).get_config()["learning_rate"]
            0.1
        """
        return keras_config(self)

    @classmethod
    def from_config(cls, config):
        """A new optimizer (Keras face) from ``get_config()``'s output.

        Example:
            >>> import ndgrad
            >>> ndgrad.optim.Adam.from_config(ndgrad.optim.Adam(beta_1=0.8).get_config()).beta_1
            0.8
        """
        return cls(**keras_arguments(config))
