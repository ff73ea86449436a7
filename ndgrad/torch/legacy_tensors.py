"""``torch.Tensor(...)`` and ``torch.FloatTensor(...)``: PyTorch's legacy constructors.

In PyTorch, calling the class ``torch.Tensor`` builds a float32 tensor: from
sizes (``torch.Tensor(2, 3)``, uninitialised there, zeros here), from data
(``torch.Tensor([1, 2])``, always float32), or as an alias of a tensor. The
typed classes (``torch.LongTensor([1, 2])``, ``torch.FloatTensor(3)``, ...)
do the same with their dtype, and ``isinstance(x, torch.FloatTensor)`` asks
for a float32 tensor.

ndgrad has one tensor class, ``ndgrad.Tensor``, whose constructor keeps its
own meaning (``ndgrad.Tensor(data)``). So the face's ``torch.Tensor`` is a
thin factory class: calling it gives an ``ndgrad.Tensor``, and
``isinstance(x, torch.Tensor)``, ``issubclass(nn.Parameter, torch.Tensor)``,
``type(x) == torch.Tensor`` and ``torch.Tensor.add`` answer for ndgrad's
class, as ``keras.Variable`` does for ``ndgrad.Variable``. To subclass the
tensor class, subclass ``ndgrad.Tensor``.

Example:
    >>> import ndgrad, ndgrad.torch as torch
    >>> torch.Tensor(2, 3).shape, torch.Tensor([1, 2]).dtype, torch.LongTensor([1.7, 2]).tolist()
    ((2, 3), dtype('float32'), [1, 2])
    >>> x = torch.ones(2)
    >>> isinstance(x, torch.Tensor), type(x) == torch.Tensor, isinstance(x, torch.LongTensor)
    (True, True, False)
"""

import numbers

import numpy as np

from .._face_types import instances_of
from ..size import Size
from ..tensor import Tensor as _Tensor
from ._arguments import check_device

__all__ = ["Tensor", "FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor",
           "ShortTensor", "CharTensor", "ByteTensor", "BoolTensor"]


def _is_size(value):
    integer = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    return integer or (isinstance(value, np.ndarray) and value.ndim == 0
                       and value.dtype.kind in "iu")


def _construct(cls, args, device):
    """What ``cls(*args)`` builds (see the module)."""
    name = f"torch.{cls.__name__}"
    check_device(name, device)
    dtype = cls.dtype
    if not args:
        return _Tensor._wrap(np.zeros((0,), dtype))
    if all(_is_size(arg) for arg in args) or (len(args) == 1 and isinstance(args[0], Size)):
        shape = tuple(int(n) for n in (args[0] if isinstance(args[0], Size) else args))
        if any(n < 0 for n in shape):
            raise ValueError(f"{name}: sizes must be non-negative, got {shape}")
        return _Tensor._wrap(np.zeros(shape, dtype))      # PyTorch's are uninitialised
    if len(args) > 1:
        raise TypeError(f"{name}: expected sizes (ints) or one sequence of data; got "
                        f"{', '.join(type(arg).__name__ for arg in args)}")
    data = args[0]
    if isinstance(data, _Tensor):
        if cls is not Tensor and data.dtype != dtype:
            raise TypeError(f"{name}: expected a tensor of dtype {dtype}, got {data.dtype}; "
                            f"convert it with .to(torch.{dtype})")
        return data.view_as(data)          # an alias, as PyTorch's, gradients included
    if isinstance(data, (str, bytes, numbers.Number, np.generic)):
        raise TypeError(f"{name}: data must be a sequence (got {type(data).__name__}); for "
                        f"a tensor of one value write torch.tensor(value, dtype=torch.{dtype})")
    array = data if isinstance(data, np.ndarray) else np.asarray(
        [item.numpy() if isinstance(item, _Tensor) else item for item in data]
        if isinstance(data, (list, tuple)) else data)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name}: cannot make a {dtype} tensor from {type(data).__name__} of "
                        f"{array.dtype} values; pass numbers (nested lists, arrays, tensors)")
    return _Tensor._wrap(array.astype(dtype))          # a copy, C's casts (1.7 -> 1)


class _TensorType(instances_of(_Tensor)):
    """The metaclass (the faces' factory metaclass for ``ndgrad.Tensor``): a typed
    class (``torch.LongTensor``) also asks for its dtype, and ``torch.Tensor`` equals
    ``ndgrad.Tensor`` (``type(x) == torch.Tensor``) and lends it its attributes."""

    def __instancecheck__(cls, instance):
        return super().__instancecheck__(instance) and (cls is Tensor
                                                        or instance.dtype == cls.dtype)

    def __subclasscheck__(cls, subclass):
        if cls is Tensor:
            return isinstance(subclass, type) and super().__subclasscheck__(subclass)
        return subclass is cls

    def __eq__(cls, other):
        return cls is other or (cls is Tensor and other is _Tensor)

    def __hash__(cls):
        return hash(_Tensor) if cls is Tensor else id(cls)

    def __getattr__(cls, name):
        if cls is Tensor and not name.startswith("__"):
            return getattr(_Tensor, name)      # torch.Tensor.add, torch.Tensor.backward, ...
        raise AttributeError(f"type object 'torch.{cls.__name__}' has no attribute {name!r}")


class Tensor(metaclass=_TensorType):
    """``torch.Tensor``: the class of every ndgrad tensor for ``isinstance``, and
    PyTorch's legacy float32 constructor when called (see the module).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.Tensor().shape, torch.Tensor(torch.Size([2])).tolist()
        ((0,), [0.0, 0.0])
        >>> issubclass(torch.nn.Parameter, torch.Tensor), torch.Tensor.dim is not None
        (True, True)
    """

    dtype = np.dtype("float32")

    def __new__(cls, *args, device=None, **unknown):
        if unknown:
            raise TypeError(f"torch.{cls.__name__}(): unexpected arguments {sorted(unknown)}; "
                            "the legacy constructor takes sizes or data (and device=); use "
                            "torch.tensor(data, dtype=..., requires_grad=...) or torch.zeros")
        return _construct(cls, args, device)

    def __init_subclass__(cls, **kwargs):
        if cls.__name__ not in __all__:
            raise TypeError("subclassing torch.Tensor is not supported by ndgrad's face (it is "
                            "a factory); subclass ndgrad.Tensor instead")
        super().__init_subclass__(**kwargs)


def _typed(name, dtype, doc_data, doc_result):
    doc = (f"``torch.{name}``: a {dtype} tensor from sizes or data; ``isinstance(x, "
           f"torch.{name})`` asks for a {dtype} tensor.\n\n    Example:\n"
           f"        >>> import ndgrad.torch as torch\n"
           f"        >>> torch.{name}({doc_data}).tolist(), torch.{name}(2).dtype\n"
           f"        ({doc_result}, dtype('{dtype}'))\n    ")
    return _TensorType(name, (Tensor,), {"dtype": np.dtype(dtype), "__doc__": doc,
                                         "__module__": __name__})


FloatTensor = _typed("FloatTensor", "float32", "[1, 2]", "[1.0, 2.0]")
DoubleTensor = _typed("DoubleTensor", "float64", "[0.5]", "[0.5]")
HalfTensor = _typed("HalfTensor", "float16", "[0.5]", "[0.5]")
LongTensor = _typed("LongTensor", "int64", "[1.7, -2]", "[1, -2]")
IntTensor = _typed("IntTensor", "int32", "[3]", "[3]")
ShortTensor = _typed("ShortTensor", "int16", "[3]", "[3]")
CharTensor = _typed("CharTensor", "int8", "[-3]", "[-3]")
ByteTensor = _typed("ByteTensor", "uint8", "[3]", "[3]")
BoolTensor = _typed("BoolTensor", "bool", "[1, 0]", "[True, False]")
