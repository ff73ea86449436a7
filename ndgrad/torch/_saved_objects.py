"""Whole modules in a ``torch.save`` file, as PyTorch pickles them, without pickle.

A module is stored as its class's name and its attributes (decision D8):
``{"module": number, "class": "model:RNNModel", "state": [[attribute, value],
...]}``, each value in the forms of ``ndgrad.torch._saved_tree`` (numbers,
strings, containers, tensors: parameters and buffers) or one of these:
a sub-module (met again: ``{"ref": number}``, so shared and tied modules stay
shared), a dtype, a device, a set, a class (``{"type": ...}``), one of
ndgrad's functions by name (``{"function": "ndgrad.ops.activations:relu"}``),
one of ndgrad's small setting objects (an initializer, a regularizer) by class
and attributes, a NumPy random generator by its state. What a module
records for ``get_config`` is kept when it has such a form, and dropped (not
refused: it is not the module's state) when it does not; forward hooks are
code and are refused; the losses of the last forward pass are not kept.

Loading makes each module with ``cls.__new__(cls)`` and sets its attributes
(``__dict__``), as unpickling does, minus running any code from the file (a
class's own ``__getstate__`` / ``__setstate__``, defined in the process, are
used as pickle uses them):
each class must already be defined in the process (see
:mod:`ndgrad.torch._saved_references`).

Example:
    >>> import io, ndgrad.torch as torch
    >>> model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU())
    >>> buffer = io.BytesIO(); torch.save(model, buffer); _ = buffer.seek(0)
    >>> clone = torch.load(buffer)
    >>> x = torch.ones(1, 2)
    >>> torch.equal(clone(x), model(x)), type(clone[1]).__name__
    (True, 'ReLU')
"""

import types

import numpy as np

from ..devices import device
from ._saved_references import is_ndgrad, reference

__all__ = ["ObjectEncoding", "ObjectDecoding", "NODE_KINDS", "setting_classes"]

_UNRECORDED = object()      # a module whose constructor arguments had no saved form

# The tagged forms this file adds; a file's references are collected by these.
NODE_KINDS = ("module", "object", "type", "function")


def _module_class():
    from ..nn.module import Module
    return Module


def setting_classes():
    """ndgrad's small objects that modules hold as settings, saved by their attributes.

    Example:
        >>> [cls.__name__ for cls in setting_classes()][:3]
        ['Initializer', 'Regularizer', '_LossState']
    """
    from ..models.functional_graph import FunctionalGraph
    from ..nn.added_losses import _LossState
    from ..nn.initializers import Initializer
    from ..nn.regularizers import Regularizer
    from ..nn.symbolic import Node, SymbolicTensor
    return (Initializer, Regularizer, _LossState, Node, SymbolicTensor, FunctionalGraph)


def _attributes(obj):
    """``(name, value)`` for the instance attributes of ``obj``: slots, then ``__dict__``."""
    names = []
    for cls in type(obj).__mro__:
        slots = cls.__dict__.get("__slots__", ())
        names.extend([slots] if isinstance(slots, str) else slots)
    items = [(name, getattr(obj, name)) for name in names
             if name not in ("__dict__", "__weakref__") and hasattr(obj, name)]
    return items + list(getattr(obj, "__dict__", {}).items())


def _custom(cls, name):
    """The class's own ``__getstate__`` / ``__setstate__`` (not object's), or None."""
    method = getattr(cls, name, None)
    return None if method is None or method is getattr(object, name, None) else method


def _module_state(module, where):
    """The attributes to store: ``__dict__``, or what the class's own ``__getstate__``
    returns (as pickle would ask; it must be a dict)."""
    if _custom(type(module), "__getstate__") is None:
        return module.__dict__
    state = module.__getstate__()
    if not isinstance(state, dict):
        raise TypeError(f"torch.save: {where}: {type(module).__name__}.__getstate__ returned a "
                        f"{type(state).__name__}; ndgrad stores a dict of attributes")
    return state


class ObjectEncoding:
    """What ``_saved_tree``'s encoder does with values other than containers and tensors."""

    def other(self, value, where):
        Module = _module_class()
        if isinstance(value, Module):
            return self.module(value, where)
        if isinstance(value, np.dtype):
            return {"dtype": str(value)}
        if isinstance(value, type):
            if issubclass(value, np.generic):
                return {"dtype": str(np.dtype(value))}
            if not (issubclass(value, Module) or is_ndgrad(value.__module__)):
                raise TypeError(f"torch.save: at {where}, the class {value.__qualname__} is "
                                "neither an nn.Module nor one of ndgrad's; save the model's "
                                "state_dict() instead")
            return {"type": reference(value, where, "class")}
        if isinstance(value, (set, frozenset)):
            items = sorted(value, key=repr)          # a stable order in the file
            return {type(value).__name__: [self.value(v, f"{where}[{i}]")
                                           for i, v in enumerate(items)]}
        if isinstance(value, np.random.Generator) and isinstance(value.bit_generator,
                                                                 np.random.PCG64):
            return {"rng": value.bit_generator.state}
        if isinstance(value, setting_classes()):
            return self.setting(value, where)
        if isinstance(value, (types.FunctionType, types.BuiltinFunctionType)):
            return {"function": reference(value, where, "function")}
        return None

    def number(self, obj):
        """``(number, new)``: the number ``obj`` has in the file, and whether it is new."""
        number = self.objects.get(id(obj))
        if number is not None:
            return number, False
        number = self.objects[id(obj)] = len(self.objects)
        self.keep.append(obj)
        return number, True

    def module(self, module, where):
        if self.plain:
            raise TypeError(f"{where} is a module")
        number, new = self.number(module)
        if not new:
            return {"ref": number}
        where = self.paths.get(id(module), where)        # PyTorch's path (obj.body.0)
        for name, child in module.named_children():
            self.paths.setdefault(id(child), f"{where}.{name}")
        node = {"module": number, "class": reference(type(module), where, "class")}
        state = []
        for key, value in _module_state(module, where).items():
            path = f"{where}.{key}"
            if key == "_module_hooks":
                self._refuse_hooks(value, path)
            elif key == "_constructor_call":
                state.append([key, self.constructor_call(value)])
            else:
                state.append([key, self.value(value, path)])
        node["state"] = state
        return node

    @staticmethod
    def _refuse_hooks(hooks, where):
        tables = ("forward_pre", "forward", "backward_pre", "backward")
        found = [(kind, entry[0]) for kind in tables
                 for entry in getattr(hooks, kind, {}).values()]
        if found:
            kind, hook = found[0]
            raise TypeError(
                f"torch.save: {where.rsplit('.', 1)[0]} has a {kind.replace('_', '-')} hook "
                f"({getattr(hook, '__qualname__', hook)!r}); hooks are code, which ndgrad "
                "never saves. Remove them (handle.remove()) before torch.save and register "
                "them again after loading, or save the model's state_dict() instead")

    def constructor_call(self, call):
        """The arguments recorded for ``get_config``, or None where they have no form
        without arrays or modules (they are a record, not the module's state)."""
        encoder = type(self)(plain=True)
        try:
            return {"call": [encoder.value(list(call.args), "args"),
                             encoder.value(dict(call.kwargs), "kwargs")]}
        except (TypeError, ValueError):
            return {"call": None}

    def setting(self, obj, where):
        number, new = self.number(obj)
        if not new:
            return {"ref": number}
        node = {"object": reference(type(obj), where, "class"), "number": number}
        state = []
        for key, value in _attributes(obj):
            if key == "added":            # a _LossState's losses of the last forward pass
                value = []
            state.append([key, self.value(value, f"{where}.{key}")])
        node["state"] = state
        return node


class ObjectDecoding:
    """What ``_saved_tree``'s decoder does with the nodes :class:`ObjectEncoding` writes.

    ``self.found`` maps each class or function name of the file to what it names
    in this process (looked up and checked before anything is made).
    """

    def other(self, node):
        if "module" in node:
            return self.module(node)
        if "ref" in node:
            if node["ref"] not in self.objects:
                raise ValueError("torch.load: the file refers to an object it does not "
                                 "hold; it is corrupted")
            return self.objects[node["ref"]]
        if "call" in node:
            return self.constructor_call(node["call"])
        if "object" in node:
            return self.setting(node)
        if "type" in node:
            return self.found[node["type"]]
        if "function" in node:
            return self.found[node["function"]]
        if "dtype" in node:
            return np.dtype(node["dtype"])
        if "device" in node:
            return device(*node["device"])
        for kind in ("set", "frozenset"):
            if kind in node:
                return (set if kind == "set" else frozenset)(self.value(v) for v in node[kind])
        if "rng" in node:
            generator = np.random.Generator(np.random.PCG64())
            generator.bit_generator.state = node["rng"]
            return generator
        return None

    def module(self, node):
        cls = self.found[node["class"]]
        obj = cls.__new__(cls)
        self.objects[node["module"]] = obj       # before its state: a child may refer back
        state = {key: self.value(value) for key, value in node["state"]}
        if state.get("_constructor_call") is _UNRECORDED:
            del state["_constructor_call"]
        obj.__dict__.clear()
        if _custom(cls, "__setstate__") is not None:
            obj.__setstate__(state)              # the class's own code, as pickle calls it
        else:
            obj.__dict__.update(state)
        loss_state = state.get("_loss_state")
        if loss_state is not None and loss_state.weight_penalties:
            from ..nn.added_losses import _regularized
            _regularized[id(obj)] = obj          # so that `losses` looks for its penalties
        return obj

    def constructor_call(self, call):
        if call is None:
            return _UNRECORDED
        from ..nn.layer_config import ConstructorCall
        args, kwargs = (self.value(part) for part in call)
        return ConstructorCall(tuple(args), kwargs)

    def setting(self, node):
        cls = self.found[node["object"]]
        obj = object.__new__(cls)
        self.objects[node["number"]] = obj
        for key, value in node["state"]:
            object.__setattr__(obj, key, self.value(value))
        return obj
