"""The nested structure ``torch.save`` writes: JSON for the shape, arrays apart.

:func:`encode` walks an object made of dicts, lists, tuples, tensors, NumPy
arrays, numbers, strings and None, and returns a JSON-ready tree plus the
arrays it found, each under a name (``"0"``, ``"1"``, ...). Every container
is tagged (``{"dict": [[key, value], ...]}``, ``{"list": [...]}``,
``{"tuple": [...]}``), so dict keys keep their types (an optimizer's state
is keyed by ints) and tuples come back as tuples. A tensor is
``{"tensor": name, "requires_grad": bool}`` (``"parameter"`` for an
``nn.Parameter``); a tensor met twice is stored once and comes back as one
object. :func:`decode` is the inverse. Anything else (a module, an optimizer,
a function) is refused with what to save instead: nothing is ever pickled. An
``OrderedDict`` (what ``state_dict()`` returns) comes back as one.

Example:
    >>> import numpy as np, ndgrad
    >>> tree, arrays = encode({"step": 3, "w": ndgrad.ones(2), 0: (1.5, None)})
    >>> sorted(arrays), tree["dict"][0]
    (['0'], ['step', 3])
    >>> decode(tree, arrays)[0]
    (1.5, None)
"""

import collections
import math
import numbers

import numpy as np

from ..nn.parameter import Parameter
from ..tensor import Tensor

__all__ = ["encode", "decode"]


def _advice(value):
    kind = type(value).__name__
    if callable(getattr(value, "state_dict", None)):
        return (f"a {kind} object cannot be saved whole: PyTorch pickles it, ndgrad never "
                "pickles. Save its state_dict() instead and restore it with "
                "load_state_dict(torch.load(path)) on a new instance")
    return (f"a {kind} cannot be saved; torch.save in ndgrad holds tensors, NumPy arrays, "
            "numbers, strings, None and dicts, lists and tuples of them (never pickled "
            "objects)")


class _Encoder:
    def __init__(self):
        self.arrays = {}
        self.names = {}        # id(tensor or array) -> name, to store each once
        self.keep = []         # keeps the encoded objects alive, so ids stay unique

    def array(self, value, array):
        name = self.names.get(id(value))
        if name is None:
            name = self.names[id(value)] = str(len(self.arrays))
            self.arrays[name] = array
            self.keep.append(value)
        return name

    def key(self, key, where):
        if key is None or isinstance(key, (bool, str, numbers.Integral, float)):
            return self.value(key, where)
        if isinstance(key, tuple):
            return {"tuple": [self.key(item, where) for item in key]}
        raise TypeError(f"torch.save: the key {key!r} at {where} is a {type(key).__name__}; "
                        "keys must be str, int, float, bool, None or tuples of them")

    def value(self, value, where):
        if value is None or isinstance(value, (bool, str)):
            return value
        if isinstance(value, numbers.Integral):
            return int(value)
        if isinstance(value, float):
            return value if math.isfinite(value) else {"float": repr(value)}
        if isinstance(value, np.generic):
            return self.value(value.item(), where)
        if isinstance(value, Tensor):
            kind = "parameter" if isinstance(value, Parameter) else "tensor"
            return {kind: self.array(value, value.detach().numpy()),
                    "requires_grad": bool(value.requires_grad and value.is_leaf)}
        if isinstance(value, np.ndarray):
            if value.dtype.kind not in "biuf":
                raise TypeError(f"torch.save: the array at {where} has dtype {value.dtype}; "
                                "only bool, int and float arrays can be saved")
            return {"ndarray": self.array(value, value)}
        if isinstance(value, dict):
            node = {"dict": [[self.key(k, where), self.value(v, f"{where}[{k!r}]")]
                             for k, v in value.items()]}
            if isinstance(value, collections.OrderedDict):
                node["ordered"] = True          # a state_dict is one in PyTorch
            return node
        if isinstance(value, (list, tuple)):
            kind = "list" if isinstance(value, list) else "tuple"
            return {kind: [self.value(v, f"{where}[{i}]") for i, v in enumerate(value)]}
        raise TypeError(f"torch.save: at {where}, {_advice(value)}")


def encode(obj):
    """``(tree, arrays)``: the JSON-ready structure of ``obj`` and its arrays by name.

    Example:
        >>> encode([1, "a"])
        ({'list': [1, 'a']}, {})
    """
    encoder = _Encoder()
    return encoder.value(obj, "obj"), encoder.arrays


def _tensor(array, requires_grad, parameter):
    if parameter:
        return Parameter(array, requires_grad=requires_grad)
    out = Tensor._wrap(array)
    return out.requires_grad_(True) if requires_grad else out


class _Decoder:
    def __init__(self, arrays):
        self.arrays = arrays
        self.made = {}

    def array(self, name, make):
        if name not in self.made:
            if name not in self.arrays:
                raise ValueError(f"torch.load: the file names an array {name!r} that it does "
                                 "not hold; it is corrupted")
            self.made[name] = make(self.arrays[name])
        return self.made[name]

    def key(self, node):
        if isinstance(node, dict) and "tuple" in node:
            return tuple(self.key(item) for item in node["tuple"])
        return self.value(node)

    def value(self, node):
        if node is None or isinstance(node, (bool, int, float, str)):
            return node
        if not isinstance(node, dict) or not node:
            raise ValueError(f"torch.load: unexpected entry {node!r:.60} in the file's "
                             "structure; it is corrupted")
        if "dict" in node:
            kind = collections.OrderedDict if node.get("ordered") else dict
            return kind((self.key(k), self.value(v)) for k, v in node["dict"])
        if "list" in node:
            return [self.value(v) for v in node["list"]]
        if "tuple" in node:
            return tuple(self.value(v) for v in node["tuple"])
        if "float" in node:
            return float(node["float"])
        if "ndarray" in node:
            return self.array(node["ndarray"], lambda array: array)
        for kind in ("tensor", "parameter"):
            if kind in node:
                grad = bool(node.get("requires_grad", False))
                return self.array(node[kind],
                                  lambda array: _tensor(array, grad, kind == "parameter"))
        raise ValueError(f"torch.load: unknown entry kind {sorted(node)} in the file's "
                         "structure (written by a newer ndgrad?)")


def decode(tree, arrays):
    """The object :func:`encode` described, with its arrays put back.

    Example:
        >>> import numpy as np
        >>> decode({"tuple": [{"ndarray": "0"}]}, {"0": np.zeros(1)})
        (array([0.]),)
    """
    return _Decoder(arrays).value(tree)
