"""Parameter groups: turning what users pass as ``params`` into groups, and the
per-parameter state mapping.

``params`` may be an iterable of tensors, of ``(name, tensor)`` pairs (from
``named_parameters()``), or of group dicts (``{"params": [...], "lr": 0.1}``),
as ``torch.optim`` accepts. Each group is a dict with ``"params"`` and every
hyper-parameter under PyTorch's name, so schedulers can write ``group["lr"]``.

Example:
    >>> from ndgrad.optim.optimizer import as_groups
    >>> import ndgrad
    >>> w = ndgrad.Variable([1.0])
    >>> as_groups("SGD", [w])[0]["params"] == [w]
    True
"""

from ..tensor import Tensor
from . import _hyperparameters as hp
from .missing_gradients import parameter_label


class _Required:
    """The marker for a hyper-parameter every group must give (``torch.optim``'s
    ``required``): a PyTorch-style subclass writes ``lr=required`` in its signature.

    Example:
        >>> import ndgrad
        >>> ndgrad.optim.Optimizer([ndgrad.Variable([1.0])], {"lr": required})
        Traceback (most recent call last):
        ...
        ValueError: Optimizer: a parameter group gives no value for the required
        hyper-parameter 'lr'; give it in the group or to the optimizer
    """

    def __repr__(self):
        return "<required parameter>"


required = _Required()


class ParameterState(dict):
    """Per-parameter state dicts keyed by the parameter itself (``opt.state[w]``,
    as PyTorch; tensors hash by identity). A missing entry reads as a new empty
    dict, so ``len(opt.state[p]) == 0`` tells a first step.

    Example:
        >>> from ndgrad.optim.optimizer import ParameterState
        >>> import ndgrad
        >>> w = ndgrad.Variable([1.0]); state = ParameterState()
        >>> state[w]["step"] = 3; [(key is w, value) for key, value in state.items()]
        [(True, {'step': 3})]
    """

    def __missing__(self, key):
        if not isinstance(key, Tensor):
            raise KeyError(f"optimizer state is keyed by the parameter tensors themselves "
                           f"(optimizer.state[param]), got {type(key).__name__} {key!r}")
        value = self[key] = {}
        return value


def parameter_list(owner, params):
    """The tensors of one group, each once, and their names (for ``(name, tensor)``
    pairs; None when no name was given).

    Example:
        >>> from ndgrad.optim.keras_face import parameter_list
        >>> import ndgrad
        >>> w = ndgrad.Variable([1.0])
        >>> tensors, names = parameter_list("SGD", [("w", w), ("tied", w)])
        >>> len(tensors), names
        (1, ['w'])
    """
    if isinstance(params, Tensor):
        return [params], None
    if isinstance(params, (set, frozenset)):
        raise TypeError(f"{owner}: parameters must be in an ordered collection (a list), not "
                        "a set: a set's order changes between runs, and so would the state")
    tensors, names, seen = [], [], set()
    for item in params:
        name = None
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
            name, item = item
        if not isinstance(item, Tensor):
            raise TypeError(f"{owner}: parameters must be ndgrad tensors, got "
                            f"{type(item).__name__}")
        if not item.is_leaf:
            raise ValueError(f"{owner}: can only optimize leaf tensors (Variables, Parameters); "
                             f"got the result of '{item._node.name}'")
        if id(item) not in seen:                         # tied weights appear once
            seen.add(id(item))
            tensors.append(item)
            names.append(name)
    return tensors, (names if any(names) else None)


def as_groups(owner, params):
    """``params`` as a list of group dicts (not yet completed with defaults).

    Example:
        >>> from ndgrad.optim.optimizer import as_groups
        >>> import ndgrad
        >>> as_groups("SGD", [{"params": [ndgrad.Variable([1.0])], "lr": 0.1}])[0]["lr"]
        0.1
    """
    if isinstance(params, Tensor):
        raise TypeError(f"{owner}: params must be an iterable of tensors, not a single "
                        "tensor: pass [w]")
    if isinstance(params, dict):
        params = [params]
    if isinstance(params, (set, frozenset)):
        parameter_list(owner, params)       # raises the ordered-collection error
    items = list(params)
    if not items:
        raise ValueError(f"{owner}: got an empty parameter list. If it came from "
                         "model.parameters(), the model registered no parameters (were the "
                         "layers kept in a plain Python list?); to learn the variables from "
                         "apply_gradients instead (Keras style), pass no params")
    if all(isinstance(item, dict) for item in items):
        return items
    if any(isinstance(item, dict) for item in items):
        raise TypeError(f"{owner}: params mixes parameter-group dicts and tensors; pass a "
                        "list of tensors or a list of dicts")
    return [{"params": items}]


def new_group(owner, param_group, existing, defaults, keras_names, pytorch_style=False):
    """A checked group dict: its tensors, and its hyper-parameters completed from
    ``defaults`` (Keras spellings accepted); a parameter already in ``existing``
    is an error. ``pytorch_style`` (a subclass written as for ``torch.optim``):
    the group keeps its values as given and takes the missing ones from
    ``defaults`` unconverted, as ``torch.optim.Optimizer`` does.

    Example:
        >>> from ndgrad.optim.optimizer import new_group
        >>> import ndgrad
        >>> group = new_group("SGD", {"params": [ndgrad.Variable([1.0])], "learning_rate": 0.5},
        ...                   [], {"lr": 0.1, "momentum": 0.0}, {"lr": "learning_rate"})
        >>> group["lr"], group["momentum"]
        (0.5, 0.0)
    """
    if not isinstance(param_group, dict) or "params" not in param_group:
        raise TypeError(f"{owner}.add_param_group: expected a dict with a 'params' entry, "
                        f"got {type(param_group).__name__}")
    tensors, names = parameter_list(owner, param_group["params"])
    known = {id(p) for p in existing}
    repeated = [parameter_label(p, i) for i, p in enumerate(tensors) if id(p) in known]
    if repeated:
        raise ValueError(f"{owner}: some parameters appear in more than one parameter "
                         f"group: {', '.join(repeated)}")
    hyper = {key: value for key, value in param_group.items() if key != "params"}
    if pytorch_style:
        for key, default in defaults.items():
            hyper.setdefault(key, default)
        missing = [key for key, value in hyper.items() if value is required]
        if missing:
            raise ValueError(f"{owner}: a parameter group gives no value for the required "
                             f"hyper-parameter {missing[0]!r}; give it in the group or to "
                             "the optimizer")
    else:
        hyper = hp.fill_group(owner, hp.translate_group(owner, hyper, keras_names), defaults)
    group = {"params": tensors, **hyper}
    if names and "param_names" not in group:
        group["param_names"] = names
    return group
