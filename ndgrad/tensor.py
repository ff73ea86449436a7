"""Tensor, the trainable NDArray.

A :class:`Tensor` wraps one NumPy array (the private ``_data``; ``t.numpy()``
or ``np.asarray(t)`` to read it) and, when it was computed from tensors that
require grad while recording, the graph node that made it (``._node``). A
tensor without a node is a *leaf*. For a leaf, ``trainable`` and
``requires_grad`` are one flag: set it and every op on the tensor is recorded,
and ``backward()`` accumulates into ``.grad``. A result is never trainable;
its ``requires_grad`` says whether a trainable leaf (or a tensor watched by a
``GradientTape``) is upstream.

The methods come from mixins, one file each: operators (``_tensor_math``),
shape (``_tensor_shape_methods``), pieces (``_tensor_pieces``: split, chunk,
expand, repeat), reductions (``_tensor_reductions``), sorting
(``_tensor_sorting``), elementwise math (``_tensor_methods``), PyTorch's
arithmetic and product names and ``new_*`` (``_tensor_torch_methods``),
comparisons (``_tensor_comparisons``), gather/scatter/masks
(``_tensor_indexing``), conversions (``_tensor_conversions``), autograd
(``_tensor_autograd``: backward, detach, retain_grad) and the in-place ``name_``
forms (``_tensor_inplace``, ``_tensor_inplace_math``), gathered in one base class
by ``_tensor_mixins``.

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


from . import (_tensor_autograd, _tensor_copies, _tensor_indexing, _tensor_inplace,
               _tensor_reductions, _tensor_shape_methods, _tensor_sorting, _tensor_torch_methods)
from ._backend import xp
from ._tensor_mixins import TensorMixins
from ._tensor_storage import alias as _alias, new_counter as _new_counter, note_write as _note_write
from ._tensor_storage import refresh as _refresh
from .autograd import breaks as _breaks
from .autograd.mode import state as _mode
from .devices import CPU
from .dtypes import as_array, as_dtype, is_differentiable
from .errors import dtype_error
from .size import ElementCount

_new = object.__new__


class Tensor(TensorMixins):
    """An n-dimensional array that knows whether it is trainable.

    One tensor type speaks NumPy's and PyTorch's vocabulary. Where the two give
    one *method* name two meanings, a call written the PyTorch way gets
    PyTorch's meaning and a call written the NumPy way (keywords ``axis=``,
    ``keepdims=``, ``ddof=``) gets NumPy's; where one call is valid in both
    with different results, the method follows PyTorch and NumPy's meaning
    stays in the function (``np.repeat(t, 2)``, ``ndgrad.std(t)``,
    ``np.sort(t)``) and in the keyword spelling:

    - ``t.size`` is the element count (an int) and callable: ``t.size()`` is
      an ``ndgrad.Size``, ``t.size(dim)`` an int; ``t.numel()``, ``t.dim()``.
    - ``t.transpose(d0, d1)`` (exactly two ints) swaps two dimensions; any
      other form permutes as NumPy's. ``t.T`` and ``t.mT`` are unchanged.
    - ``t.view(*shape)`` reshapes; ``t.view(dtype)`` reinterprets the bytes
      (NumPy's), refused while recording.
    - ``t.repeat(*sizes)`` tiles; ``t.repeat(n, axis=k)`` repeats elements.
    - ``t.max()`` is a 0-d tensor; ``t.max(dim)`` / ``t.max(dim=d,
      keepdim=...)`` a named tuple ``(values, indices)``; ``t.max(axis=...)``
      the values (NumPy's); ``t.max(other)`` the elementwise maximum. ``min``
      alike. ``t.sort(dim=-1, descending=False)`` gives ``(values, indices)``.
    - ``t.std()`` / ``t.var()`` are unbiased (``correction=1``); ``unbiased=``
      and ``correction=`` are read, ``ddof=`` gives NumPy's.
    - ``dim=`` / ``keepdim=`` are accepted wherever ``axis=`` / ``keepdims=`` are.
    - ``t.data`` is a detached Tensor sharing the array and its version counter
      (writes through it change ``t`` and are caught by a graph that saved
      ``t``); ``t.data = x`` replaces the value. ``t.flatten(start_dim=0, end_dim=-1)``.
    - Views are NumPy's and PyTorch's: basic indexing, ``reshape``/``view``
      (where NumPy gives a view), ``transpose``/``.T``/``permute``,
      ``expand_dims``/``squeeze``, ``expand``, ``diagonal`` share the memory
      and the version counter of their base; in-place ops on a view write into
      the base and are recorded on its graph (see ``ndgrad.ops.writes``).

    Args:
        data: array-like data; Python floats and lists become float32.
        dtype: the dtype to convert to (``ndgrad.float32``, ``"float64"``, ...).
        requires_grad: make this leaf trainable (floating dtypes only).
        name: a readable name for reprs and explanations.

    Example:
        >>> import ndgrad
        >>> t = ndgrad.Tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> t.shape, t.dtype, t.trainable
        ((2, 2), dtype('float32'), False)
        >>> t.size, t.size(0), t.transpose(0, 1).tolist(), t.max(dim=1).indices.tolist()
        (4, 2, [[1.0, 3.0], [2.0, 4.0]], [1, 1])
    """

    # ``_view`` is set on views only (``ndgrad._tensor_storage``): unset is cheaper
    # than a None written by every op.
    __slots__ = ("_data", "grad", "name", "_node", "_rg", "_trainable", "_vc", "_watch",
                 "_view", "__weakref__")
    __array_priority__ = 1000
    __hash__ = object.__hash__   # comparisons return tensors, so hash by identity

    def __init__(self, data, dtype=None, requires_grad=False, name=None):
        if isinstance(data, Tensor):
            if data._rg and type(self) is Tensor:
                copy_construct_cut(data, "ndgrad.tensor(t) (or Tensor(t))")
            data = data._data
        array = as_array(data, dtype, copy=True)
        self._data = array
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
        t._data = data
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
        """The shape, a tuple of ints (NumPy's; ``t.size()`` gives an ``ndgrad.Size``).

        Example:
            >>> import ndgrad
            >>> ndgrad.zeros((2, 3)).shape, ndgrad.zeros((2, 3)).ndim
            ((2, 3), 2)
        """
        return self._data.shape

    @property
    def ndim(self):
        """The number of dimensions (``t.dim()``)."""
        return self._data.ndim

    @property
    def size(self):
        """The number of elements (an int, NumPy's), callable as PyTorch's ``size()``:
        ``t.size()`` is the shape as an ``ndgrad.Size``, ``t.size(dim)`` one length.

        Example:
            >>> import ndgrad
            >>> t = ndgrad.zeros((2, 3))
            >>> t.size, t.size(), t.size(-1)
            (6, ndgrad.Size([2, 3]), 3)
        """
        data = self._data
        return ElementCount(data.size, data.shape)

    @property
    def dtype(self):
        """The NumPy dtype of the data.

        Example:
            >>> import ndgrad
            >>> t = ndgrad.zeros(3); t.dtype, t.itemsize, t.nbytes
            (dtype('float32'), 4, 12)
        """
        return self._data.dtype

    @property
    def itemsize(self):
        """Bytes per element (``element_size()``)."""
        return self._data.itemsize

    @property
    def nbytes(self):
        """Bytes of the data."""
        return self._data.nbytes

    @property
    def device(self):
        """Where the data lives: always the CPU (``ndgrad.device("cpu")``, equal to ``"cpu"``).

        Example:
            >>> import ndgrad
            >>> t = ndgrad.zeros(1); t.device, t.device == "cpu", t.is_cuda
            (device(type='cpu'), True, False)
        """
        return CPU

    @property
    def data(self):
        """The value as a detached Tensor that shares this tensor's array (PyTorch's).

        Writes through it (``p.data.add_(...)``, ``p.data[0] = 1``) change this
        tensor without being recorded. Unlike PyTorch, they count as writes to
        this tensor (one version counter per storage): a graph that saved the
        old value refuses to backward instead of giving a wrong gradient.
        ``t.data = x`` replaces the value. The NumPy array is ``t.numpy()``.

        Example:
            >>> import ndgrad
            >>> w = ndgrad.tensor([1.0, 2.0], requires_grad=True)
            >>> d = w.data
            >>> d.requires_grad, d.mul_(10) is d, w.tolist(), w._version
            (False, True, [10.0, 20.0], 1)
            >>> w.data = ndgrad.zeros(3); w.tolist()
            [0.0, 0.0, 0.0]
        """
        return _alias(self, Tensor._wrap(self._data))

    @data.setter
    def data(self, value):
        array = value._data if isinstance(value, Tensor) else as_array(value)
        if array is self._data:
            return                              # t.data += x writes in place, then sets back
        if self._trainable and not is_differentiable(array.dtype):
            raise dtype_error("data", f"a trainable tensor needs floating data (or complex); "
                                      f"the new value "
                                      f"has dtype {array.dtype}")
        self._data = array
        # A fresh counter, one ahead: the graph that read the old value refuses to
        # use the new one; detached aliases of the old array keep their own.
        version = 0 if self._vc is None else self._vc[0]
        self._vc = _new_counter(version + 1, _breaks.describe_site())
        self._view = None

    # ----------------------------------------------------------- trainability
    @property
    def requires_grad(self):
        """For a leaf, the same flag as ``trainable``; for a result, whether a
        trainable leaf or a watched tensor is upstream."""
        vc = self._vc
        if vc is not None and vc[3]:
            _refresh(self)           # a view whose base was written since: its node now
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
        if flag and not is_differentiable(self._data.dtype):
            raise dtype_error(what, f"only floating dtypes (and complex ones) can be trainable, got "
                                    f"{self._data.dtype}; convert with .astype(ndgrad.float32)")
        self._trainable = flag
        self._rg = flag or self._watch > 0

    # ----------------------------------------------------------- versions (in-place safety)
    def _version_counter(self):
        if self._vc is None:
            self._vc = _new_counter()
        return self._vc

    @property
    def _version(self):
        """How many in-place writes this tensor's memory has seen, through it or any
        view or alias of it (PyTorch's name)."""
        return 0 if self._vc is None else self._vc[0]

    def _bump_version(self, site=None):
        """Note an in-place write; ``site`` says where (the user's line by default)."""
        _note_write(self._version_counter(), self._data,
                    site if site is not None else f"a write at {_breaks.describe_site()}")

    # ----------------------------------------------------------- display
    def __repr__(self):
        body = xp.array2string(self._data, separator=" ", prefix=type(self).__name__ + "(")
        parts = [body, f"dtype={self.dtype}"]
        if self.name is not None:
            parts.insert(0, repr(self.name))
        if self._node is not None:
            parts.append(f"op={self._node.name}")
        elif self._trainable:
            parts.append("trainable=True")
        return f"{type(self).__name__}({', '.join(parts)})"

    __str__ = __repr__


# The mixins build plain Tensors (detach, .data-style views, new_zeros) with this.
for _mixin in (_tensor_autograd, _tensor_copies, _tensor_indexing, _tensor_inplace,
               _tensor_reductions, _tensor_shape_methods, _tensor_sorting, _tensor_torch_methods):
    _mixin.Tensor = Tensor


def copy_construct_cut(source, what):
    """Warn that copying ``source`` (a tensor that requires grad) into a new
    tensor cuts the graph, as PyTorch warns for ``torch.tensor(t)``, and record
    the cut for ``ndgrad.explain``; nothing happens under ``no_grad``.

    Example:
        >>> import warnings, ndgrad
        >>> w = ndgrad.Variable([1.0])
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     copy = ndgrad.tensor(w * 2)
        >>> caught[0].category.__name__, copy.requires_grad
        ('GradientBreakWarning', False)
    """
    if not _mode.enabled:
        return
    _breaks.record_break(
        f"copied by {what}", source, warn=True,
        message=f"{what} of a tensor that requires grad copies its values into a new leaf: "
                "the gradient stops here. To copy on purpose, use t.detach().clone() (add "
                ".requires_grad_() for a new trainable leaf); to keep the gradient, use t "
                "itself (or t.clone()).")


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
    if isinstance(value, (list, tuple)):        # tensors inside keep their gradients
        from .ops.nested import holds_tensor, stack_nested
        if holds_tensor(value):
            return stack_nested(value, dtype)
    return Tensor._wrap(as_array(value, dtype))
