"""Tensor, the trainable NDArray.

A :class:`Tensor` wraps one NumPy array (``.data``) and, when it was computed
from tensors that require grad while recording, the graph node that made it
(``._node``). A tensor without a node is a *leaf*. For a leaf, ``trainable``
and ``requires_grad`` are one flag: set it and every op on the tensor is
recorded, and ``backward()`` accumulates into ``.grad``. A result is never
trainable; its ``requires_grad`` says whether a trainable leaf (or a tensor
watched by a ``GradientTape``) is upstream.

Example:
    >>> import ndgrad
    >>> w = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    >>> y = (w * w).sum()
    >>> y.backward()
    >>> w.grad
    Tensor([2. 4.], dtype=float32)
    >>> w.trainable, y.trainable, y.requires_grad
    (True, False, True)
"""

import copy as _copy

from ._backend import xp
from ._tensor_math import TensorMath
from ._tensor_methods import TensorMethods
from .autograd import breaks as _breaks
from .autograd.mode import state as _mode
from .dtypes import as_array, as_dtype, is_floating
from .errors import dtype_error

_new = object.__new__


class Tensor(TensorMath, TensorMethods):
    """An n-dimensional array that knows whether it is trainable.

    Args:
        data: array-like data; Python floats and lists become float32.
        dtype: the dtype to convert to (``ndgrad.float32``, ``"float64"``, ...).
        requires_grad: make this leaf trainable (floating dtypes only).

    Example:
        >>> import ndgrad
        >>> t = ndgrad.Tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> t.shape, t.dtype, t.trainable
        ((2, 2), dtype('float32'), False)
    """

    __slots__ = ("data", "grad", "name", "_node", "_rg", "_trainable", "_vc", "_watch",
                 "__weakref__")
    __array_priority__ = 1000
    __hash__ = object.__hash__   # comparisons return tensors, so hash by identity

    def __init__(self, data, dtype=None, requires_grad=False, name=None):
        if isinstance(data, Tensor):
            data = data.data
        array = as_array(data, dtype, copy=True)
        self.data = array
        self.grad = None
        self.name = name
        self._node = None
        self._rg = False
        self._trainable = False
        self._vc = None
        self._watch = 0
        if requires_grad:
            self._set_trainable(True, "Tensor")

    # ----------------------------------------------------------- construction
    @classmethod
    def _wrap(cls, data, node=None):
        """A tensor around ``data`` (no copy) produced by ``node`` (or a leaf)."""
        t = _new(cls)
        t.data = data
        t.grad = None
        t.name = None
        t._node = node
        t._rg = node is not None
        t._trainable = False
        t._vc = None
        t._watch = 0
        return t

    # ----------------------------------------------------------- array facts
    @property
    def shape(self):
        """The shape, a tuple of ints (NumPy's)."""
        return self.data.shape

    @property
    def ndim(self):
        """The number of dimensions."""
        return self.data.ndim

    @property
    def size(self):
        """The number of elements (NumPy's attribute, not PyTorch's method)."""
        return self.data.size

    @property
    def dtype(self):
        """The NumPy dtype of the data."""
        return self.data.dtype

    @property
    def itemsize(self):
        """Bytes per element."""
        return self.data.itemsize

    @property
    def nbytes(self):
        """Bytes of the data."""
        return self.data.nbytes

    @property
    def device(self):
        """Where the data lives: always ``"cpu"`` with the NumPy backend."""
        return "cpu"

    # ----------------------------------------------------------- trainability
    @property
    def is_leaf(self):
        """True when no recorded op made this tensor (created by the user)."""
        return self._node is None

    @property
    def requires_grad(self):
        """For a leaf, the same flag as ``trainable``; for a result, whether a
        trainable leaf or a watched tensor is upstream."""
        return self._trainable if self._node is None else True

    @requires_grad.setter
    def requires_grad(self, flag):
        self._set_trainable(flag, "requires_grad")

    @property
    def trainable(self):
        """True for a leaf whose gradient is computed and that optimizers update.

        Results of ops are never trainable. Setting it on a leaf is the same as
        setting ``requires_grad``.
        """
        return self._trainable if self._node is None else False

    @trainable.setter
    def trainable(self, flag):
        self._set_trainable(flag, "trainable")

    def _set_trainable(self, flag, what):
        flag = bool(flag)
        if self._node is not None:
            raise RuntimeError(
                f"{what}: only leaf tensors can be set trainable; this tensor is the result "
                f"of '{self._node.name}'. Use .detach() to get a leaf first.")
        if flag and not is_floating(self.data.dtype):
            raise dtype_error(what, f"only floating dtypes can be trainable, got "
                                    f"{self.data.dtype}; convert with .astype(ndgrad.float32)")
        self._trainable = flag
        self._rg = flag or self._watch > 0

    def requires_grad_(self, flag=True):
        """Set ``requires_grad`` in place and return this tensor.

        Example:
            >>> import ndgrad
            >>> ndgrad.zeros(2).requires_grad_().trainable
            True
        """
        self._set_trainable(flag, "requires_grad_")
        return self

    def zero_grad(self, set_to_none=False):
        """Reset ``.grad``: zero it in place (or drop it with ``set_to_none``).

        Example:
            >>> import ndgrad
            >>> w = ndgrad.Variable([1.0]); (w * 3).sum().backward(); w.zero_grad()
            >>> w.grad
            Tensor([0.], dtype=float32)
        """
        if set_to_none or self.grad is None:
            self.grad = None
        else:
            self.grad.data[...] = 0

    # ----------------------------------------------------------- leaving the graph
    def detach(self):
        """A leaf sharing this tensor's data, with no graph and no gradient.

        The cut is deliberate; it is recorded so ``ndgrad.explain`` can report it.

        Example:
            >>> import ndgrad
            >>> w = ndgrad.Variable([1.0]); d = (w * 2).detach()
            >>> d.requires_grad, d.is_leaf
            (False, True)
        """
        if self._rg and _mode.enabled:
            _breaks.record_break("detach", self)
        out = Tensor._wrap(self.data)
        out._vc = self._version_counter()   # writes through either are seen by both
        return out

    def numpy(self):
        """The data as a NumPy array (shared, not copied). Not differentiable.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 2.0]).numpy()
            array([1., 2.], dtype=float32)
        """
        if self._rg and _mode.enabled:
            _breaks.record_break("converted to a NumPy array with .numpy()", self)
        return self.data

    def __array__(self, dtype=None, copy=None):
        if self._rg and _mode.enabled:
            _breaks.record_break(
                "converted to a NumPy array", self, warn=True,
                message="a tensor that requires grad was converted to a NumPy array; the gradient "
                        "stops here. Use ndgrad (or NumPy functions on the tensor itself) to keep "
                        "it, or .detach().numpy() to cut it on purpose.")
        if dtype is not None and dtype != self.data.dtype:
            return self.data.astype(dtype)
        return self.data.copy() if copy else self.data

    def item(self):
        """The single element as a Python number.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([2.5]).item()
            2.5
        """
        if self.data.size != 1:
            raise ValueError(f"item: only a tensor with one element converts to a Python number; "
                             f"this one has shape {self.shape}")
        return self.data.item()

    def tolist(self):
        """The data as nested Python lists.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([[1, 2]]).tolist()
            [[1, 2]]
        """
        return self.data.tolist()

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __index__(self):
        if self.data.dtype.kind not in "iu" or self.data.size != 1:
            raise TypeError(f"only a one-element integer tensor can be used as an index, "
                            f"not shape {self.shape} {self.dtype}")
        return int(self.data.item())

    def __bool__(self):
        if self.data.size != 1:
            raise ValueError(f"the truth value of a tensor with shape {self.shape} is ambiguous; "
                             "use .any() or .all()")
        return bool(self.data.item())

    def __len__(self):
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.data.shape[0]

    def __iter__(self):
        if self.data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self.data.shape[0]))

    # ----------------------------------------------------------- versions (in-place safety)
    def _version_counter(self):
        if self._vc is None:
            self._vc = [0, None]
        return self._vc

    @property
    def _version(self):
        """How many in-place writes this tensor's data has seen (PyTorch's name)."""
        return 0 if self._vc is None else self._vc[0]

    def _bump_version(self, site=None):
        """Note an in-place write; ``site`` says where (the user's line by default)."""
        vc = self._version_counter()
        vc[0] += 1
        vc[1] = site if site is not None else _breaks.describe_site()

    # ----------------------------------------------------------- gradients
    def backward(self, grad=None, retain_graph=False, create_graph=False):
        """Accumulate the gradient of this tensor into ``.grad`` of trainable leaves.

        Args:
            grad: the gradient of some scalar with respect to this tensor; needed
                when this tensor has more than one element.
            retain_graph: keep the graph for another backward (default: freed).
            create_graph: record the backward itself, for higher-order gradients.

        Example:
            >>> import ndgrad
            >>> x = ndgrad.Variable(3.0)
            >>> (x ** 2).backward()
            >>> x.grad.item()
            6.0
        """
        from .autograd.graph import backward as _backward
        _backward((self,), (grad,), retain_graph=retain_graph, create_graph=create_graph)

    # ----------------------------------------------------------- copies
    def __copy__(self):
        out = Tensor._wrap(self.data)
        out._vc = self._version_counter()
        out._node = self._node
        out._rg = self._rg
        out._trainable = self._trainable
        out.name = self.name
        return out

    def __deepcopy__(self, memo):
        if self._node is not None:
            raise RuntimeError("deepcopy: only leaf tensors can be deep-copied; "
                               f"this one is the result of '{self._node.name}'. Detach it first.")
        out = _new(type(self))
        memo[id(self)] = out
        for cls in type(self).__mro__:
            for slot in getattr(cls, "__slots__", ()):
                if slot != "__weakref__" and hasattr(self, slot):
                    setattr(out, slot, _copy.deepcopy(getattr(self, slot), memo))
        out._vc = None
        out._watch = 0
        out._rg = out._trainable
        return out

    # ----------------------------------------------------------- display
    def __repr__(self):
        body = xp.array2string(self.data, separator=" ", prefix=type(self).__name__ + "(")
        parts = [body, f"dtype={self.dtype}"]
        if self.name is not None:
            parts.insert(0, repr(self.name))
        if self._node is not None:
            parts.append(f"op={self._node.name}")
        elif self._trainable:
            parts.append("trainable=True")
        return f"{type(self).__name__}({', '.join(parts)})"

    __str__ = __repr__


def tensor(data, dtype=None, requires_grad=False):
    """Make a tensor (a copy of ``data``); ``requires_grad=True`` makes it trainable.

    Example:
        >>> import ndgrad
        >>> ndgrad.tensor([1.0, 2.0], requires_grad=True)
        Tensor([1. 2.], dtype=float32, trainable=True)
    """
    return Tensor(data, dtype=dtype, requires_grad=requires_grad)


def from_numpy(array):
    """A tensor sharing memory with a NumPy array (no copy), dtype kept.

    Example:
        >>> import numpy as np, ndgrad
        >>> a = np.zeros(2); t = ndgrad.from_numpy(a); a[0] = 5; t.tolist()
        [5.0, 0.0]
    """
    if not isinstance(array, xp.ndarray):
        raise TypeError(f"from_numpy expects a NumPy array, got {type(array).__name__}")
    as_array(array[:0])  # dtype check only
    return Tensor._wrap(array)


def is_tensor(value):
    """True for ndgrad tensors (Variables and Parameters included).

    Example:
        >>> import ndgrad, numpy as np
        >>> ndgrad.is_tensor(ndgrad.ones(2)), ndgrad.is_tensor(np.ones(2))
        (True, False)
    """
    return isinstance(value, Tensor)


def is_trainable(value):
    """Whether ``value`` is trainable: a trainable ndgrad leaf answers True;
    results of ops, NumPy arrays, Python numbers and anything else answer False.

    Example:
        >>> import ndgrad, numpy as np
        >>> ndgrad.is_trainable(ndgrad.Variable([1.0])), ndgrad.is_trainable(np.ones(3))
        (True, False)
    """
    return isinstance(value, Tensor) and value.trainable


def as_tensor(value, dtype=None):
    """``value`` as a tensor: tensors pass through (cast if ``dtype`` differs).

    Example:
        >>> import ndgrad
        >>> t = ndgrad.ones(2); ndgrad.as_tensor(t) is t
        True
    """
    if isinstance(value, Tensor):
        if dtype is None or as_dtype(dtype) == value.dtype:
            return value
        return value.astype(dtype)
    return Tensor._wrap(as_array(value, dtype))
