"""``ParameterList`` and ``ParameterDict``: a list and a dict that register their
parameters, as PyTorch's.

Their parameters are named ``<attribute>.<index>`` / ``<attribute>.<key>``
(``state_dict`` keys included), as in PyTorch. A plain tensor put in either
becomes an ``nn.Parameter``; a Variable (trainable or not) is kept as it is.
(A Module also registers parameters kept in a plain list or dict attribute;
these containers are PyTorch's explicit spelling, with its methods and repr.)

Example:
    >>> import ndgrad
    >>> class Mixture(ndgrad.nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.scales = ndgrad.nn.ParameterList([ndgrad.nn.Parameter(ndgrad.ones(2))])
    ...         self.scales.append(ndgrad.zeros(2))
    ...         self.named = ndgrad.nn.ParameterDict({"shift": ndgrad.nn.Parameter([0.5])})
    >>> list(Mixture().state_dict())
    ['scales.0', 'scales.1', 'named.shift']
"""

import collections.abc

from ..tensor import Tensor
from ..variable import Variable
from .module import Module
from .parameter import Parameter

__all__ = ["ParameterList", "ParameterDict"]


def _as_member(value):
    """What a container stores: plain tensors become Parameters (PyTorch)."""
    if isinstance(value, Tensor) and not isinstance(value, Variable):
        return Parameter(value)
    return value


def _describe(value):
    if isinstance(value, Tensor):
        size = "x".join(str(n) for n in value.shape)
        kind = "Parameter" if isinstance(value, Variable) and value._is_parameter else "Tensor"
        return f"{kind} containing: [{value.dtype} of size {size}]"
    return f"Object of type: {type(value).__name__}"


class _ParameterContainer(Module):
    def forward(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} is a container, not a layer: it cannot be "
                        "called; index it and use its parameters in your forward")


class ParameterList(_ParameterContainer):
    """A list of parameters that registers them as ``0``, ``1``, ... (PyTorch).

    Args:
        values: an iterable of Parameters or tensors (tensors become Parameters).

    Example:
        >>> import ndgrad
        >>> weights = ndgrad.nn.ParameterList([ndgrad.nn.Parameter(ndgrad.ones((2, 3)))])
        >>> weights.extend([ndgrad.zeros(3)])
        ParameterList(
            (0): Parameter containing: [float32 of size 2x3]
            (1): Parameter containing: [float32 of size 3]
        )
        >>> len(weights), weights[-1].shape, [n for n, _ in weights.named_parameters()]
        (2, (3,), ['0', '1'])
    """

    def __init__(self, values=None):
        super().__init__()
        self._items = []
        if values is not None:
            self.extend(values)

    def _direct_members(self):
        return ((str(i), value) for i, value in enumerate(self._items))

    def _index(self, index):
        index = int(index)
        if not -len(self._items) <= index < len(self._items):
            raise IndexError(f"ParameterList: index {index} is out of range for "
                             f"{len(self._items)} item(s)")
        return index % len(self._items)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return ParameterList(self._items[index])
        return self._items[self._index(index)]

    def __setitem__(self, index, value):
        self._items[self._index(index)] = _as_member(value)

    def __len__(self):
        return len(self._items)

    def __iter__(self):
        return iter(self._items)

    def __iadd__(self, values):
        return self.extend(values)

    def append(self, value):
        """Add one parameter at the end; returns self."""
        self._items.append(_as_member(value))
        return self

    def extend(self, values):
        """Add every parameter of an iterable at the end; returns self."""
        if isinstance(values, Tensor) or not isinstance(values, collections.abc.Iterable):
            raise TypeError("ParameterList.extend: give an iterable of parameters, got "
                            f"{type(values).__name__}")
        for value in values:
            self.append(value)
        return self

    def extra_repr(self):
        # PyTorch's lines, indented twice over in its repr
        return "\n".join(f"  ({i}): {_describe(v)}" for i, v in enumerate(self._items))


class ParameterDict(_ParameterContainer):
    """A dict of parameters that registers them under their keys (PyTorch).

    Args:
        parameters: a mapping or an iterable of (key, parameter) pairs; a plain
            dict is added in sorted key order, as PyTorch does.

    Example:
        >>> import ndgrad
        >>> table = ndgrad.nn.ParameterDict({"b": ndgrad.ones(1), "a": ndgrad.zeros(2)})
        >>> list(table), table["a"].shape, "b" in table
        (['a', 'b'], (2,), True)
        >>> table.pop("b").tolist(), [n for n, _ in table.named_parameters()]
        ([1.0], ['a'])
    """

    def __init__(self, parameters=None):
        super().__init__()
        self._items = collections.OrderedDict()
        if parameters is not None:
            self.update(parameters)

    def _direct_members(self):
        return iter(list(self._items.items()))

    def __getitem__(self, key):
        return self._items[key]

    def __setitem__(self, key, value):
        if not isinstance(key, str) or not key or "." in key:
            raise KeyError(f"ParameterDict: keys are non-empty strings without '.', got {key!r}")
        self._items[key] = _as_member(value)

    def __delitem__(self, key):
        del self._items[key]

    def __contains__(self, key):
        return key in self._items

    def __len__(self):
        return len(self._items)

    def __iter__(self):
        return iter(self._items)

    def __reversed__(self):
        return reversed(self._items)

    def keys(self):
        """The keys, in order."""
        return self._items.keys()

    def values(self):
        """The parameters, in key order."""
        return self._items.values()

    def items(self):
        """(key, parameter) pairs, in order."""
        return self._items.items()

    def get(self, key, default=None):
        """The parameter under ``key``, or ``default``."""
        return self._items.get(key, default)

    def pop(self, key):
        """Remove and return the parameter under ``key``."""
        return self._items.pop(key)

    def popitem(self):
        """Remove and return the last (key, parameter) pair."""
        return self._items.popitem()

    def setdefault(self, key, default=None):
        """The parameter under ``key``, first setting it to ``default`` if absent."""
        if key not in self._items:
            self[key] = default
        return self._items[key]

    def clear(self):
        """Remove every parameter."""
        self._items.clear()

    def copy(self):
        """A new ParameterDict holding the same parameters."""
        return ParameterDict(collections.OrderedDict(self._items))

    @classmethod
    def fromkeys(cls, keys, default=None):
        """A ParameterDict with every key set to ``default``."""
        return cls(collections.OrderedDict((key, default) for key in keys))

    def update(self, parameters):
        """Add or replace parameters from a mapping or an iterable of pairs."""
        if isinstance(parameters, (collections.OrderedDict, ParameterDict)):
            pairs = list(parameters.items())
        elif isinstance(parameters, collections.abc.Mapping):
            pairs = sorted(parameters.items())
        elif isinstance(parameters, collections.abc.Iterable) and not isinstance(parameters,
                                                                                  Tensor):
            pairs = [tuple(pair) for pair in parameters]
            if any(len(pair) != 2 for pair in pairs):
                raise ValueError("ParameterDict.update: each item must be a (key, parameter) "
                                 "pair")
        else:
            raise TypeError("ParameterDict.update: give a mapping or an iterable of "
                            f"(key, parameter) pairs, got {type(parameters).__name__}")
        for key, value in pairs:
            self[key] = value

    def __or__(self, other):
        merged = self.copy()
        merged.update(other)
        return merged

    def __ior__(self, other):
        self.update(other)
        return self

    def extra_repr(self):
        return "\n".join(f"  ({k}): {_describe(v)}" for k, v in self._items.items())
