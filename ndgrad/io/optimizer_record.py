"""An optimizer's ``state_dict()`` split for a checkpoint: arrays as tensors,
everything else as JSON, and back.

``state_dict()`` is ``{"state": {index: {"step": int, "exp_avg": ndarray, ...}},
"param_groups": [...], "iterations": int}`` (see ``ndgrad.optim.optimizer_state``).
The arrays become tensors named ``optimizer/<index>/<name>``; the JSON record
keeps the optimizer's class, the parameter groups (hyper-parameters, schedules
as ``{"class_name", "config"}``), ``iterations``, the per-parameter scalars
(``step``, NAdam's ``mu_product``) and, for each parameter index, its name in
the model and its shape, so that loading into a different model or optimizer
setup is caught with a message that says where.

Example:
    >>> from ndgrad.io.checkpoint import optimizer_record
    >>> import ndgrad
    >>> layer = ndgrad.nn.Linear(2, 1); opt = ndgrad.optim.Adam(layer.parameters())
    >>> layer(ndgrad.ones((1, 2))).sum().backward(); opt.step()
    >>> tensors, record = optimizer_record(opt, layer)
    >>> sorted(tensors)[:2], record["class"], record["scalars"]["0"]
    (['optimizer/0/exp_avg', 'optimizer/0/exp_avg_sq'], 'Adam', {'step': 1})
"""

import numpy as np

from .safetensors_file import CheckpointError, to_json

OPTIMIZER_PREFIX = "optimizer/"


def _names_in_model(model):
    return {id(tensor): name for name, tensor in model.named_parameters()}


def optimizer_record(optimizer, model):
    """``(tensors, record)``: the optimizer's arrays by name and the JSON rest.

    Example:
        >>> from ndgrad.io.checkpoint import optimizer_record
        >>> import ndgrad
        >>> layer = ndgrad.nn.Linear(2, 1)
        >>> optimizer_record(ndgrad.optim.SGD(layer.parameters(), lr=0.1), layer)[1]["parameters"]
        [{'name': 'weight', 'shape': [1, 2]}, {'name': 'bias', 'shape': [1]}]
    """
    saved = optimizer.state_dict()
    tensors, scalars = {}, {}
    for index, entry in saved["state"].items():
        for key, value in entry.items():
            if isinstance(value, np.ndarray):
                tensors[f"{OPTIMIZER_PREFIX}{index}/{key}"] = value
            else:
                scalars.setdefault(str(index), {})[key] = to_json(
                    value, f"save_checkpoint: optimizer state {key!r} of parameter {index}")
    names = _names_in_model(model)
    record = {
        "class": type(optimizer).__name__,
        "param_groups": to_json(saved["param_groups"], "save_checkpoint: param_groups"),
        "iterations": int(saved["iterations"]),
        "scalars": scalars,
        "parameters": [{"name": names.get(id(p)), "shape": list(p.shape)}
                       for p in optimizer.params],
    }
    return tensors, record


def _fail(path, message):
    raise CheckpointError(f"load_checkpoint: {path}: nothing was loaded: {message}")


def optimizer_state(path, record, tensors):
    """The ``state_dict()`` for ``load_state_dict`` from a record and its tensors.

    Example:
        >>> from ndgrad.io.checkpoint import optimizer_state
        >>> import numpy as np
        >>> record = {"param_groups": [{"lr": 0.1, "params": [0]}], "iterations": 2,
        ...           "scalars": {"0": {"step": 2}}}
        >>> state = optimizer_state("c.safetensors", record,
        ...                         {"optimizer/0/momentum_buffer": np.ones(1)})
        >>> sorted(state["state"][0]), state["iterations"]
        (['momentum_buffer', 'step'], 2)
    """
    state = {}
    try:
        for name, array in tensors.items():
            _, index, key = name.split("/")
            state.setdefault(int(index), {})[key] = array
        for index, entry in dict(record.get("scalars", {})).items():
            state.setdefault(int(index), {}).update(dict(entry))
        groups = [dict(group) for group in record["param_groups"]]
        iterations = int(record["iterations"])
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        _fail(path, f"the optimizer part of the file is malformed ({type(error).__name__}: "
                    f"{error})")
    return {"state": state, "param_groups": groups, "iterations": iterations}


def parameters_to_build(path, optimizer, record, model):
    """The model's parameters, in the saved order, for an optimizer that has
    none yet (Keras style, built at its first ``apply_gradients``); None when
    the optimizer already has its parameters.

    Example:
        >>> from ndgrad.io.checkpoint import parameters_to_build
        >>> import ndgrad
        >>> layer = ndgrad.nn.Linear(2, 1)
        >>> record = {"parameters": [{"name": "bias", "shape": [1]}], "param_groups": [{}]}
        >>> parameters_to_build("c", ndgrad.optim.Adam(), record, layer) == [layer.bias]
        True
    """
    saved = record.get("parameters") or []
    if optimizer.params or not saved:
        return None
    by_name = dict(model.named_parameters())
    names = [entry.get("name") for entry in saved]
    unknown = [name for name in names if name not in by_name]
    if len(record.get("param_groups", ())) != 1 or unknown:
        _fail(path, f"the saved {record.get('class')} has {len(saved)} parameters but the "
                    "optimizer given has none; build it first with optimizer.build(variables), "
                    "in the order used for training")
    return [by_name[name] for name in names]


def check_structure(path, optimizer, record, model, params):
    """Raise CheckpointError unless ``record`` was saved from the same optimizer
    class over parameters of the same names and shapes, in the same order.

    Example:
        >>> from ndgrad.io.checkpoint import check_structure
        >>> from ndgrad.io.checkpoint import optimizer_record
        >>> import ndgrad
        >>> layer = ndgrad.nn.Linear(2, 1); opt = ndgrad.optim.SGD(layer.parameters(), lr=0.1)
        >>> record = optimizer_record(opt, layer)[1]
        >>> check_structure("c", opt, record, layer, opt.params)
    """
    owner = type(optimizer).__name__
    if record.get("class") != owner:
        _fail(path, f"it holds {record.get('class')} state, but the optimizer given is a "
                    f"{owner}; pass a {record.get('class')} or load the weights alone with "
                    "load_weights")
    saved = record.get("parameters") or []
    if len(saved) != len(params):
        _fail(path, f"the saved {owner} had {len(saved)} parameters, the one given has "
                    f"{len(params)}; was it made over a different model or set of parameters?")
    names = _names_in_model(model)
    problems = []
    for index, (entry, param) in enumerate(zip(saved, params)):
        saved_name, name = entry.get("name"), names.get(id(param))
        if saved_name is not None and name is not None and saved_name != name:
            problems.append(f"parameter {index} was {saved_name!r}, is now {name!r}")
        elif tuple(entry.get("shape", ())) != tuple(param.shape):
            problems.append(f"parameter {index} ({name or saved_name}) had shape "
                            f"{tuple(entry.get('shape', ()))}, has {tuple(param.shape)}")
    if problems:
        _fail(path, f"the {owner} state is for other parameters:\n  - "
                    + "\n  - ".join(problems))
