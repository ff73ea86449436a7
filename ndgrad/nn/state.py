"""Saving and loading a module's state by name: ``state_dict``,
``load_state_dict``, ``set_weights``.

Loading checks everything first (missing, unexpected and mis-shaped keys,
dtypes that cannot be cast) and raises one error listing all problems before
writing anything, so a failed load leaves the module as it was.

Example:
    >>> import ndgrad
    >>> a, b = ndgrad.nn.Linear(2, 2), ndgrad.nn.Linear(2, 2)
    >>> _ = b.load_state_dict(a.state_dict())
    >>> b.weight.tolist() == a.weight.tolist()
    True
"""

import collections

import numpy as np

from ..tensor import Tensor

LoadResult = collections.namedtuple("LoadResult", ["missing_keys", "unexpected_keys"])


def state_dict(module, destination=None, prefix="", keep_vars=False):
    """An ordered dict of name -> tensor (detached, sharing memory) for every
    parameter and persistent buffer of ``module``, as PyTorch builds it.

    PyTorch's order and names: each module's own parameters, then its own
    buffers, then its sub-modules' entries; a module or tensor reached under two
    names (tied weights) appears under both; buffers registered with
    ``persistent=False`` are left out.

    Args:
        destination: a dict to fill (default: a new OrderedDict).
        prefix: put before every name.
        keep_vars: give the parameters themselves instead of detached views.

    Example:
        >>> import ndgrad
        >>> list(ndgrad.nn.Linear(2, 1).state_dict())
        ['weight', 'bias']
    """
    state = collections.OrderedDict() if destination is None else destination
    _collect(module, prefix, keep_vars, state, ())
    return state


def _collect(module, prefix, keep_vars, state, ancestors):
    from .module_tree import tensor_kind
    skipped = module.__dict__.get("_non_persistent_buffers", ())
    own, seen, children = {"parameter": [], "buffer": []}, set(), []
    for name, member in module._direct_members():
        if isinstance(member, Tensor):
            kind = tensor_kind(module, name, member)
            if kind is not None and id(member) not in seen and name not in skipped:
                seen.add(id(member))
                own[kind].append((name, member))
        elif hasattr(member, "_direct_members") and member not in ancestors:
            children.append((name, member))      # a module holding its parent is no cycle
    for name, tensor in own["parameter"]:
        state[prefix + name] = tensor if keep_vars or not tensor._rg else tensor.detach()
    for name, tensor in own["buffer"]:
        state[prefix + name] = tensor
    for name, child in children:
        _collect(child, f"{prefix}{name}.", keep_vars, state, ancestors + (module,))


def _as_array(value):
    if isinstance(value, Tensor):
        return value._data
    if hasattr(value, "detach") and hasattr(value, "numpy"):      # a torch tensor
        return value.detach().cpu().numpy()
    return np.asarray(value)


def load_state_dict(module, state, strict=True):
    """Copy arrays from ``state`` into the module's tensors, in place.

    With ``strict`` (default) any missing or unexpected key is an error;
    shape mismatches are always errors. Returns ``(missing_keys, unexpected_keys)``.

    Example:
        >>> import numpy as np, ndgrad
        >>> layer = ndgrad.nn.Linear(2, 1)
        >>> layer.load_state_dict({"weight": np.ones((1, 2)), "bias": np.zeros(1)})
        LoadResult(missing_keys=[], unexpected_keys=[])
    """
    own = state_dict(module)
    missing = [key for key in own if key not in state]
    unexpected = [key for key in state if key not in own]
    problems = []
    staged = []
    for key, target in own.items():
        if key not in state:
            continue
        array = _as_array(state[key])
        if array.shape != target.shape:
            problems.append(f"{key}: shape {array.shape} in the state, {target.shape} in the "
                            "model")
        elif not np.can_cast(array.dtype, target.dtype, casting="same_kind"):
            problems.append(f"{key}: dtype {array.dtype} cannot be stored in {target.dtype}")
        else:
            staged.append((target, array))
    if strict and missing:
        problems.append("missing keys: " + ", ".join(missing))
    if strict and unexpected:
        problems.append("unexpected keys: " + ", ".join(unexpected))
    if problems:
        raise ValueError(f"load_state_dict into {type(module).__name__}: nothing was loaded:\n  - "
                         + "\n  - ".join(problems))
    for target, array in staged:
        np.copyto(target._data, array, casting="same_kind")
        target._bump_version(site="load_state_dict")
    return LoadResult(missing, unexpected)


def set_weights(module, weights):
    """Set every variable from a list of arrays in ``get_weights`` order (Keras).

    Example:
        >>> import numpy as np, ndgrad
        >>> layer = ndgrad.nn.Linear(1, 1)
        >>> layer.set_weights([np.array([[2.0]]), np.array([0.5])])
        >>> layer(ndgrad.tensor([[1.0]])).tolist()
        [[2.5]]
    """
    variables = module.variables
    weights = list(weights)
    if len(weights) != len(variables):
        raise ValueError(f"set_weights: {type(module).__name__} has {len(variables)} variables, "
                         f"got {len(weights)} arrays; nothing was set")
    arrays = [_as_array(w) for w in weights]
    for index, (variable, array) in enumerate(zip(variables, arrays)):     # all, before any write
        if array.shape != variable.shape:
            raise ValueError(f"set_weights: {variable.name}: shape {array.shape} given, "
                             f"{variable.shape} expected; nothing was set")
        if not np.can_cast(array.dtype, variable.dtype, casting="same_kind"):
            raise TypeError(f"set_weights: {variable.name} (array {index}): dtype {array.dtype} "
                            f"cannot be stored in {variable.dtype}; nothing was set")
    for variable, array in zip(variables, arrays):
        np.copyto(variable._data, array, casting="same_kind")
        variable._bump_version(site="set_weights")
