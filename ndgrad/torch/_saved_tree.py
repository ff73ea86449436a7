"""The nested structure ``torch.save`` writes: JSON for the shape, arrays apart.

:func:`encode` walks an object made of dicts, lists, tuples, tensors, NumPy
arrays, numbers, strings and None (and whole modules: see
``ndgrad.torch._saved_objects``), and returns a JSON-ready tree plus the
arrays it found, each under a name (``"0"``, ``"1"``, ...). Every container
is tagged (``{"dict": [[key, value], ...]}``, ``{"list": [...]}``,
``{"tuple": [...]}``), so dict keys keep their types (an optimizer's state
is keyed by ints) and tuples come back as tuples. A tensor is
``{"tensor": name, "requires_grad": bool}`` (``"parameter"`` for an
``nn.Parameter``, ``"variable"`` for another ``ndgrad.Variable``, with its
name); a tensor met twice is stored once and comes back as one object.
:func:`decode` is the inverse. Anything else (an optimizer, an open file, a
lambda) is refused with what to save instead: nothing is ever pickled. An
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

from ..devices import device
from ..io.safetensors_file import CheckpointError
from ..nn.parameter import Parameter
from ..tensor import Tensor
from ..variable import Variable
from ._saved_objects import NODE_KINDS, ObjectDecoding, ObjectEncoding
from ._saved_references import describe, find, is_computation, is_ndgrad

__all__ = ["encode", "decode", "references"]


def _advice(value):
    kind = type(value).__name__
    if callable(getattr(value, "state_dict", None)):
        return (f"a {kind} object cannot be saved whole: PyTorch pickles it, ndgrad never "
                "pickles. Save its state_dict() instead and restore it with "
                "load_state_dict(torch.load(path)) on a new instance")
    article = "an" if kind[:1].lower() in "aeiou" else "a"
    return (f"{article} {kind} cannot be saved; torch.save in ndgrad holds tensors, NumPy arrays, "
            "numbers, strings, None, dicts, lists and tuples of them, and whole modules "
            "(never pickled objects); set this attribute again after loading, or save the "
            "state_dict()")


class _Encoder(ObjectEncoding):
    def __init__(self, plain=False):
        self.plain = plain     # True: JSON-like values only (a module's recorded arguments)
        self.arrays = {}
        self.names = {}        # id(tensor or array) -> name, to store each once
        self.objects = {}      # id(module or setting object) -> number, to store each once
        self.keep = []         # keeps the encoded objects alive, so ids stay unique
        self.paths = {}        # id(module) -> its path by PyTorch's names, for messages

    def array(self, value, array, where):
        if self.plain:
            raise TypeError(f"{where} holds an array")
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

    def tensor(self, value, where):
        node = {"requires_grad": bool(value.requires_grad and value.is_leaf)}
        if isinstance(value, Variable):
            kind = "parameter" if isinstance(value, Parameter) else "variable"
            node.update(name=value.name, is_parameter=bool(value._is_parameter))
        else:
            kind = "tensor"
        node[kind] = self.array(value, value.detach().numpy(), where)
        return node

    def value(self, value, where):
        if isinstance(value, device):
            return {"device": [value.type, value.index]}
        if value is None or isinstance(value, (bool, str)):
            return value
        if isinstance(value, numbers.Integral):
            return int(value)
        if isinstance(value, float):
            return value if math.isfinite(value) else {"float": repr(value)}
        if isinstance(value, np.generic):
            return self.value(value.item(), where)
        if isinstance(value, Tensor):
            return self.tensor(value, where)
        if isinstance(value, np.ndarray):
            if value.dtype.kind not in "biufc":
                raise TypeError(f"torch.save: the array at {where} has dtype {value.dtype}; "
                                "only bool, int, float and complex arrays can be saved")
            return {"ndarray": self.array(value, value, where)}
        if isinstance(value, dict):
            node = {"dict": [[self.key(k, where), self.value(v, f"{where}[{k!r}]")]
                             for k, v in value.items()]}
            if isinstance(value, collections.OrderedDict):
                node["ordered"] = True          # a state_dict is one in PyTorch
            return node
        if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
            kind = "list" if isinstance(value, list) else "tuple"
            return {kind: [self.value(v, f"{where}[{i}]") for i, v in enumerate(value)]}
        node = self.other(value, where)
        if node is None:
            raise TypeError(f"torch.save: at {where}, {_advice(value)}")
        return node


def encode(obj):
    """``(tree, arrays)``: the JSON-ready structure of ``obj`` and its arrays by name.

    Example:
        >>> encode([1, "a"])
        ({'list': [1, 'a']}, {})
    """
    encoder = _Encoder()
    return encoder.value(obj, "obj"), encoder.arrays


def _tensor(array, node, kind):
    grad = bool(node.get("requires_grad", False))
    if kind == "parameter":
        return Parameter(array, requires_grad=grad, name=node.get("name"))
    if kind == "variable":
        made = Variable(array, trainable=bool(node.get("is_parameter", grad)),
                        name=node.get("name"))
        made.trainable = grad
        return made
    out = Tensor._wrap(array)
    return out.requires_grad_(True) if grad else out


def references(tree):
    """Every class and function name in a tree, each once, with the kind of node
    that names it (``"module"``, ``"object"``, ``"type"`` or ``"function"``).

    Example:
        >>> import ndgrad
        >>> references(encode([ndgrad.nn.ReLU()])[0])
        {'ndgrad.nn.activation_layers:ReLU': 'module'}
    """
    found, stack = {}, [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            for kind in NODE_KINDS:
                name = node.get("class" if kind == "module" else kind)
                if kind in node and isinstance(name, str):
                    found.setdefault(name, kind)
            stack.extend(reversed(list(node.values())))
    return found


class _Decoder(ObjectDecoding):
    def __init__(self, arrays, found):
        self.arrays = arrays
        self.found = found     # class or function name -> what it names here
        self.made = {}
        self.objects = {}

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
        for kind in ("tensor", "parameter", "variable"):
            if kind in node:
                return self.array(node[kind], lambda array: _tensor(array, node, kind))
        made = self.other(node)
        if made is None:
            raise ValueError(f"torch.load: unknown entry kind {sorted(node)} in the file's "
                             "structure (written by a newer ndgrad?)")
        return made


def _missing_message(names):
    listed = ", ".join(f"{qualname} (module {module!r})" for module, _, qualname in
                       (name.partition(":") for name in names))
    first_module, _, first = names[0].partition(":")
    how = (f"define the class {first} in this script too (the saving script defined it "
           "in __main__) or import it" if first_module == "__main__"
           else f"import it (`from {first_module} import {first.split('.')[0]}`)")
    return (f"torch.load: the file holds objects of {listed}, which this process has not "
            f"defined. ndgrad never imports or runs code while loading: {how}, then call "
            "torch.load again")


def _fits(obj, kind):
    """Whether ``obj`` may stand where the file has a node of ``kind``: a module node
    needs an nn.Module subclass, the others ndgrad's own setting classes, classes
    and functions (or, for a class value, an nn.Module subclass)."""
    from ..nn.module import Module
    from ._saved_objects import setting_classes
    if kind == "module":
        return isinstance(obj, type) and issubclass(obj, Module)
    if kind == "object":
        return isinstance(obj, type) and issubclass(obj, setting_classes())
    if kind == "type":
        return isinstance(obj, type) and (issubclass(obj, Module) or is_ndgrad(obj.__module__))
    return (callable(obj) and not isinstance(obj, type)
            and is_computation(getattr(obj, "__module__", None)))


def _found(tree, policy):
    """Each class and function name of ``tree``, looked up and checked by ``policy``."""
    found, missing = {}, []
    for name, kind in references(tree).items():
        obj = find(name, policy.allowed if policy is not None else ())
        if obj is None:
            missing.append(name)
            continue
        if not _fits(obj, kind):
            raise ValueError(f"torch.load: the file stores a {kind} of {name!r}, but that "
                             f"names {describe(obj)} here, which cannot stand there; the "
                             "file does not match this program, or it is corrupted")
        found[name] = obj
    if missing:
        raise CheckpointError(_missing_message(missing))
    refusal = policy.refused(list(found.values())) if policy is not None and found else None
    if refusal is not None:
        raise CheckpointError(f"torch.load: {refusal}")
    return found


def decode(tree, arrays, policy=None):
    """The object :func:`encode` described, with its arrays put back.

    Args:
        tree: the JSON structure.
        arrays: the arrays by name.
        policy: a ``LoadPolicy`` (``weights_only`` and the allowlist), or None.

    Raises:
        CheckpointError: a class the file names is not defined in this process,
            or the policy refuses one.

    Example:
        >>> import numpy as np
        >>> decode({"tuple": [{"ndarray": "0"}]}, {"0": np.zeros(1)})
        (array([0.]),)
    """
    return _Decoder(arrays, _found(tree, policy)).value(tree)
