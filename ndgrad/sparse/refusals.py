"""How a sparse COO tensor refuses what it cannot do: loudly, naming the op.

A :class:`~ndgrad.sparse.SparseTensor` is an ``ndgrad.Tensor`` (``isinstance``
and ``torch.is_tensor`` answer True, as in PyTorch), so it inherits the
hundreds of dense methods. None of them may run on it silently, so two guards
stand between a sparse tensor and dense code:

1. :func:`refuse_inherited` replaces every public method and property the
   sparse class does not define itself with a :class:`Refused` descriptor:
   ``S.exp()``, ``S[0]``, ``S.numpy()``, ``S == S`` raise
   :class:`~ndgrad.errors.SparseOperandError` (a ``TypeError``) naming the
   method and saying to call ``.to_dense()`` first.
2. The dense array slot that ndgrad's ops read from every tensor holds a
   :class:`SparseData`, an object that refuses every use: a NumPy ufunc or
   function, conversion to an array, any attribute, operator, ``len`` or
   iteration. ``ndgrad.exp(S)``, ``torch.relu(S)``, ``np.asarray(S)`` and
   ``ndgrad.Tensor(S)`` therefore fail at once, never densify silently.
   ``ndgrad.autograd.primitive`` catches that error and runs the op's sparse
   form when ``ndgrad.sparse`` registered one (``add``, ``matmul``, ...);
   otherwise it reports the op by name.

Example:
    >>> import ndgrad
    >>> S = ndgrad.eye(2).to_sparse()
    >>> S.exp()  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ndgrad.errors.SparseOperandError: Tensor.exp is not supported on a sparse COO tensor ...
    >>> ndgrad.exp(S)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ndgrad.errors.SparseOperandError: exp is not supported on a sparse COO tensor (shape (2, 2), ...
"""

import inspect
import types

from .._tensor_unsupported import _Unsupported
from ..errors import SparseOperandError

__all__ = ["SparseData", "Refused", "refuse_inherited", "describe"]


def describe(shape, nnz, dtype):
    """The short description of a sparse tensor used in error messages.

    Example:
        >>> from ndgrad.sparse.arithmetic import describe
        >>> describe((3, 3), 2, "int64")
        'shape (3, 3), nnz 2, int64'
    """
    return f"shape {tuple(shape)}, nnz {nnz}, {dtype}"


class SparseData:
    """Stands where a dense tensor keeps its NumPy array; every use raises
    :class:`~ndgrad.errors.SparseOperandError` naming what was attempted.

    Example:
        >>> from ndgrad.sparse.coo_tensor import SparseData
        >>> import numpy as np
        >>> data = SparseData("shape (2,), nnz 1, float32")
        >>> np.exp(data)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ndgrad.errors.SparseOperandError: numpy.exp is not supported on a sparse COO tensor ...
    """

    __slots__ = ("description",)

    def __init__(self, description):
        self.description = description

    def refuse(self, what):
        """Raise the error for ``what``."""
        raise SparseOperandError(what, self.description)

    def __array__(self, dtype=None, copy=None):
        self.refuse("conversion to a NumPy array")

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        self.refuse(f"numpy.{ufunc.__name__}")

    def __array_function__(self, func, types, args, kwargs):
        self.refuse(f"numpy.{func.__name__}")

    def __getattr__(self, name):
        if name.startswith("__"):          # protocol probes (__array_interface__) look on
            raise AttributeError(name)
        self.refuse(f"the dense array's .{name}")

    def __repr__(self):
        return f"<the storage of a sparse COO tensor: {self.description}>"


def _refusing_operator(name):
    def operator(self, *args, **kwargs):
        self.refuse(f"the operator {name}")
    operator.__name__ = name
    return operator


for _name in ("__len__ __iter__ __bool__ __float__ __int__ __index__ __getitem__ __setitem__ "
              "__add__ __radd__ __sub__ __rsub__ __mul__ __rmul__ __truediv__ __rtruediv__ "
              "__floordiv__ __rfloordiv__ __mod__ __rmod__ __pow__ __rpow__ __matmul__ "
              "__rmatmul__ __neg__ __pos__ __abs__ __invert__ __and__ __rand__ __or__ __ror__ "
              "__xor__ __rxor__ __lt__ __le__ __gt__ __ge__ __eq__ __ne__").split():
    setattr(SparseData, _name, _refusing_operator(_name))
SparseData.__hash__ = object.__hash__


class Refused:
    """A class attribute of the sparse tensor class standing for a dense Tensor
    method or property it does not have: calling the method (or reading the
    property) raises :class:`~ndgrad.errors.SparseOperandError`.

    Example:
        >>> import ndgrad
        >>> type(ndgrad.SparseTensor.__dict__["exp"]).__name__
        'Refused'
    """

    __slots__ = ("name", "at_access")

    def __init__(self, name, at_access):
        self.name = name
        self.at_access = at_access

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        what = f"Tensor.{self.name}"
        if self.at_access:
            instance._data.refuse(what)

        def refused(*args, **kwargs):
            instance._data.refuse(what)
        refused.__name__ = self.name
        return refused

    def __repr__(self):
        return f"<Tensor.{self.name}, refused on sparse tensors>"


# Attributes every Python object needs, or that carry no dense semantics.
_MACHINERY = frozenset(
    "__class__ __init__ __new__ __getattribute__ __setattr__ __delattr__ __dir__ __doc__ "
    "__module__ __slots__ __weakref__ __hash__ __init_subclass__ __subclasshook__ __reduce__ "
    "__reduce_ex__ __getstate__ __sizeof__ __repr__ __str__ __array_priority__".split())
_DATA_DESCRIPTORS = (property, types.MemberDescriptorType, types.GetSetDescriptorType)


def refuse_inherited(cls, base, keep=()):
    """Put a :class:`Refused` on ``cls`` for each public attribute of ``base`` that
    ``cls`` (or a class between it and ``base``) does not define, except the names
    in ``keep``, the object machinery and the PyTorch names ``base`` already
    refuses with an AttributeError.

    Example:
        >>> import ndgrad
        >>> S = ndgrad.eye(2).to_sparse()
        >>> S.T  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ndgrad.errors.SparseOperandError: Tensor.T is not supported on a sparse COO tensor ...
    """
    mro = cls.__mro__
    own = set().union(*(vars(k) for k in mro[:mro.index(base)]))   # cls and its mixins
    for name in dir(base):
        if name in own or name in keep or name in _MACHINERY:
            continue
        dunder = name.startswith("__") and name.endswith("__")
        if name.startswith("_") and not dunder:
            continue
        static = inspect.getattr_static(base, name)
        if isinstance(static, _Unsupported) or (dunder and getattr(object, name, None) is static):
            continue
        at_access = isinstance(static, _DATA_DESCRIPTORS) or not callable(static)
        setattr(cls, name, Refused(name, at_access))
