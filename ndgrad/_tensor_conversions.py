"""Conversions of :class:`ndgrad.Tensor`: to NumPy and Python, dtypes, devices.

Casts between floating dtypes are differentiable; casts to integer or boolean
dtypes cut the graph (recorded for ``ndgrad.explain``). Device moves follow
``ndgrad.devices``: the CPU is the only device, so ``.cpu()`` and
``.to("cpu")`` return the tensor itself and ``.cuda()`` is a clear error.

Example:
    >>> import ndgrad
    >>> t = ndgrad.tensor([1.5, 2.5])
    >>> t.long().tolist(), t.to("cpu", ndgrad.float64).dtype, t.type()
    ([1, 2], dtype('float64'), 'torch.FloatTensor')
"""

from . import _tensor_storage as _storage
from .autograd import breaks as _breaks
from .autograd.mode import state as _mode
from .devices import check_device, parse_to

_ops = None     # ndgrad.ops, bound by ndgrad/ops/__init__.py

# PyTorch's legacy type names (t.type()), by NumPy dtype name.
_TYPE_NAMES = {"float32": "FloatTensor", "float64": "DoubleTensor", "float16": "HalfTensor",
               "int64": "LongTensor", "int32": "IntTensor", "int16": "ShortTensor",
               "int8": "CharTensor", "uint8": "ByteTensor", "bool": "BoolTensor"}
_TYPE_DTYPES = {name: dtype for dtype, name in _TYPE_NAMES.items()}


class TensorConversions:
    """The conversion surface: NumPy, Python numbers, dtypes and devices."""

    __slots__ = ()

    # NumPy and Python -------------------------------------------------------------
    def numpy(self):
        """The data as a NumPy array sharing this tensor's memory. Not differentiable.

        For a tensor that requires grad the array is a read-only view: a write
        through it would change values that backward may still need, unseen by
        the graph (NumPy raises "assignment destination is read-only"). Write
        under ``no_grad`` with ndgrad's ops, or take ``t.detach().numpy()``
        (writable, shared; a graph that saved ``t`` then refuses to backward)
        or ``t.numpy().copy()``. PyTorch refuses ``.numpy()`` there; ndgrad
        lets you read.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0, 2.0]).numpy()
            array([1., 2.], dtype=float32)
            >>> w = ndgrad.tensor([1.0, 2.0], requires_grad=True)
            >>> w.numpy()[0] = 5.0
            Traceback (most recent call last):
            ...
            ValueError: assignment destination is read-only
        """
        if self._rg and _mode.enabled:
            _breaks.record_break("converted to a NumPy array with .numpy()", self)
        return self._shared_array()

    def _shared_array(self):
        """The array itself (its memory then counts as shared), read-only for a
        tensor that requires grad."""
        _storage.refresh(self)
        _storage.shared_counter(self)
        data = self._data
        if self._rg and data.flags.writeable:
            data = data.view()
            data.flags.writeable = False
        return data

    def __array__(self, dtype=None, copy=None):
        """NumPy's conversion (``np.asarray(t)``): shares the memory as
        :meth:`numpy` does, read-only when the tensor requires grad."""
        if self._rg and _mode.enabled:
            # A Keras-style model's output for inference (model(x) outside a tape)
            # expects no gradient, as in Keras: recorded, but no warning.
            _breaks.record_break(
                "converted to a NumPy array", self,
                warn=bool(_mode.tapes) or not _breaks.is_inference(self),
                message="a tensor that requires grad was converted to a NumPy array; the gradient "
                        "stops here. Use ndgrad (or NumPy functions on the tensor itself) to keep "
                        "it (for a list of tensors, ndgrad's function: ndgrad.mean([a, b]), not "
                        "np.mean([a, b])), or .detach().numpy() to cut it on purpose.")
        if dtype is not None and dtype != self._data.dtype:
            return self._data.astype(dtype)
        return self._data.copy() if copy else self._shared_array()

    def item(self):
        """The single element as a Python number.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([2.5]).item()
            2.5
        """
        if self._data.size != 1:
            raise ValueError(f"item: only a tensor with one element converts to a Python number; "
                             f"this one has shape {self.shape}")
        if self._rg and _mode.transforms:       # inside ndgrad.grad & co.: name the cut
            _breaks.record_break("converted to a Python number (.item(), float() or int())",
                                 self)
        return self._data.item()

    def tolist(self):
        """The data as nested Python lists.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([[1, 2]]).tolist()
            [[1, 2]]
        """
        if self._rg and _mode.transforms:
            _breaks.record_break("converted to Python lists with .tolist()", self)
        return self._data.tolist()

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __index__(self):
        if self._data.dtype.kind not in "iu" or self._data.size != 1:
            raise TypeError(f"only a one-element integer tensor can be used as an index, "
                            f"not shape {self.shape} {self.dtype}")
        return int(self._data.item())

    def __bool__(self):
        if self._data.size != 1:
            raise ValueError(f"the truth value of a tensor with shape {self.shape} is ambiguous; "
                             "use .any() or .all()")
        return bool(self._data.item())

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._data.shape[0]))


    def __format__(self, format_spec):
        """A 0-d tensor formats as its number (``f"{loss:.4f}"``), as in PyTorch;
        other tensors take no format spec.

        Example:
            >>> import ndgrad
            >>> loss = ndgrad.tensor(0.123456)
            >>> f"{loss:.3f}", "{:>6.1f}".format(ndgrad.tensor(2.0)), f"{ndgrad.tensor(0.5)}"
            ('0.123', '   2.0', '0.5')
        """
        if self._data.ndim == 0:
            return self._data.item().__format__(format_spec)
        if format_spec:
            raise TypeError(f"format: the spec {format_spec!r} applies to a 0-d tensor, but this "
                            f"one has shape {self._data.shape}; format t.item() or each element")
        return str(self)

    # dtypes -------------------------------------------------------------------------
    def astype(self, dtype, copy=True):
        """Convert to ``dtype`` (NumPy's); differentiable between float dtypes.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(2).astype('float64').dtype
            dtype('float64')
        """
        return _ops.astype(self, dtype, copy=copy)

    def to(self, *args, **kwargs):
        """Convert to a dtype and/or check a device, as PyTorch's ``to``: ``to(dtype)``,
        ``to(device)``, ``to(device, dtype)``, ``to(other_tensor)``, ``to(dtype=...,
        device=..., copy=...)``. The tensor itself comes back when nothing changes.

        Example:
            >>> import ndgrad
            >>> t = ndgrad.ones(2)
            >>> t.to(ndgrad.float16).dtype, t.to("cpu") is t, t.to(t.long()).dtype
            (dtype('float16'), True, dtype('int64'))
        """
        dtype, copy = parse_to("to", args, kwargs)
        if dtype is None or dtype == self._data.dtype:
            return _ops.copy(self) if copy else self
        return _ops.astype(self, dtype, copy=copy)

    def cpu(self):
        """This tensor: ndgrad tensors always live on the CPU.

        Example:
            >>> import ndgrad
            >>> t = ndgrad.ones(2); t.cpu() is t
            True
        """
        return self

    def cuda(self, device=None, non_blocking=False):
        """Always an error: ndgrad has no CUDA device (``torch.cuda.is_available()``
        is False); see ``ndgrad.devices``.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(1).cuda()  # doctest: +ELLIPSIS
            Traceback (most recent call last):
            ...
            ndgrad.devices.DeviceError: cuda: ndgrad runs on the CPU; ...
        """
        check_device("cuda" if device is None else device if isinstance(device, str)
                     else f"cuda:{device}", "cuda")

    def type(self, dtype=None, non_blocking=False):
        """Without ``dtype``: PyTorch's type name (``'torch.FloatTensor'``); with a
        dtype or such a name: the tensor converted to it.

        Example:
            >>> import ndgrad
            >>> t = ndgrad.ones(2)
            >>> t.type(), t.type(ndgrad.float64).dtype, t.type("torch.LongTensor").dtype
            ('torch.FloatTensor', dtype('float64'), dtype('int64'))
        """
        if dtype is None:
            return "torch." + _TYPE_NAMES.get(self._data.dtype.name, "Tensor")
        # the torch face's legacy classes (t.type(torch.LongTensor)) carry their dtype
        legacy_dtype = getattr(dtype, "dtype", None) if isinstance(dtype, type) else None
        if legacy_dtype is not None and type(legacy_dtype).__module__.startswith("numpy"):
            dtype = legacy_dtype
        if isinstance(dtype, str) and dtype.rpartition(".")[2] in _TYPE_DTYPES:
            dtype = _TYPE_DTYPES[dtype.rpartition(".")[2]]
        return _ops.astype(self, dtype, copy=False)

    def type_as(self, other):
        """Converted to ``other``'s dtype.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1, 2]).type_as(ndgrad.ones(1)).dtype
            dtype('float32')
        """
        return _ops.astype(self, other.dtype, copy=False)

    def is_floating_point(self):
        """Whether the dtype is a floating one (the only ones that carry gradients).

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(1).is_floating_point(), ndgrad.tensor([1]).is_floating_point()
            (True, False)
        """
        return self._data.dtype.kind == "f"

    def is_pinned(self):
        """False: there is no pinned (page-locked) memory without CUDA.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(1).is_pinned()
            False
        """
        return False

    def get_device(self):
        """-1, PyTorch's answer for a tensor on the CPU.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(1).get_device()
            -1
        """
        return -1

    def is_complex(self):
        """True for a complex64 or complex128 tensor.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(1).is_complex(), ndgrad.tensor([1j]).is_complex()
            (False, True)
        """
        return self._data.dtype.kind == "c"

    def element_size(self):
        """Bytes per element (``itemsize``).

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(1).element_size(), ndgrad.ones(1).double().element_size()
            (4, 8)
        """
        return self._data.itemsize

    def float(self):
        """Convert to float32.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1, 2]).float().dtype
            dtype('float32')
        """
        return _ops.astype(self, "float32", copy=False)

    def double(self):
        """Convert to float64.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(1).double().dtype
            dtype('float64')
        """
        return _ops.astype(self, "float64", copy=False)

    def half(self):
        """Convert to float16.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(1).half().dtype
            dtype('float16')
        """
        return _ops.astype(self, "float16", copy=False)

    def int(self):
        """Convert to int32 (cuts the graph).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.7]).int().tolist()
            [1]
        """
        return _ops.astype(self, "int32", copy=False)

    def long(self):
        """Convert to int64 (cuts the graph).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([2.2]).long().dtype
            dtype('int64')
        """
        return _ops.astype(self, "int64", copy=False)

    def short(self):
        """Convert to int16 (cuts the graph).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([2.2]).short().dtype
            dtype('int16')
        """
        return _ops.astype(self, "int16", copy=False)

    def byte(self):
        """Convert to uint8 (cuts the graph).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([2.0, 255.0]).byte().tolist()
            [2, 255]
        """
        return _ops.astype(self, "uint8", copy=False)

    def bool(self):
        """Convert to bool.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([0.0, 2.0]).bool().tolist()
            [False, True]
        """
        return _ops.astype(self, "bool", copy=False)

    def copy(self):
        """A copy with its own memory; the gradient passes through.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(2).copy().tolist()
            [1.0, 1.0]
        """
        return _ops.copy(self)

    def clone(self, memory_format=None):
        """A copy with its own memory (PyTorch's name); the gradient passes through.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(2).clone().tolist()
            [1.0, 1.0]
        """
        return _ops.copy(self)
