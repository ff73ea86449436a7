"""Devices: ``ndgrad.device`` (PyTorch's ``torch.device``) and the one rule, CPU only.

ndgrad computes with NumPy, so every tensor lives on the CPU. A device is a
``str`` subclass: ``ndgrad.device("cpu")`` equals ``"cpu"``, prints as
``cpu``, and has PyTorch's ``type`` and ``index``. Naming a CUDA, MPS or other
accelerator device is allowed (PyTorch programs build
``torch.device("cuda" if torch.cuda.is_available() else "cpu")``), but *using*
one (``.to("cuda")``, ``.cuda()``, ``device="cuda"`` on a factory) raises
:class:`DeviceError` saying so, before anything changes.

:func:`parse_to` reads the arguments of ``Tensor.to`` and ``Module.to`` the
way PyTorch does: a dtype, a device, a tensor (its dtype), or a device and a
dtype, positionally or as ``device=`` / ``dtype=``.

Example:
    >>> import ndgrad
    >>> d = ndgrad.device("cpu")
    >>> d, d.type, d == "cpu", str(d)
    (device(type='cpu'), 'cpu', True, 'cpu')
    >>> ndgrad.ones(2).to(d).device
    device(type='cpu')
"""

from .dtypes import as_dtype

__all__ = ["device", "DeviceError", "check_device", "parse_to", "CPU"]

# The device types PyTorch knows; only "cpu" can hold ndgrad tensors.
KNOWN_TYPES = ("cpu", "cuda", "mps", "xpu", "meta", "hip", "xla", "ipu", "hpu", "mtia",
               "vulkan", "mkldnn", "lazy", "privateuseone")


class DeviceError(RuntimeError):
    """Asking for a device other than the CPU.

    Example:
        >>> import ndgrad
        >>> try:
        ...     ndgrad.ones(2).cuda()
        ... except ndgrad.DeviceError as error:
        ...     print(str(error)[:29])
        cuda: ndgrad runs on the CPU;
    """


class device(str):  # noqa: N801  (PyTorch's name: torch.device)
    """A device name: ``"cpu"`` (usable) or an accelerator (named, never usable).

    Args:
        type: ``"cpu"``, ``"cuda"``, ``"cuda:1"``, ``"mps"``, ... or a device.
        index: the device number (``device("cuda", 0)``), optional.

    Example:
        >>> import ndgrad
        >>> ndgrad.device("cuda:1")
        device(type='cuda', index=1)
        >>> ndgrad.device("cpu").index is None, ndgrad.device("cpu", 0).index
        (True, 0)
    """

    __slots__ = ("type", "index")

    def __new__(cls, type, index=None):  # noqa: A002  (PyTorch's argument name)
        if isinstance(type, device):
            if index is None:
                return type
            type = type.type
        if not isinstance(type, str):
            raise TypeError(f"device: expected a string such as 'cpu' (or a device), "
                            f"got {type!r}")
        kind, _, number = type.partition(":")
        if kind not in KNOWN_TYPES:
            raise ValueError(f"device: unknown device type {type!r}; expected one of "
                             f"{', '.join(KNOWN_TYPES)} (ndgrad itself runs on 'cpu')")
        if number:
            if index is not None or not number.isdigit():
                raise ValueError(f"device: invalid device string {type!r}")
            index = int(number)
        if index is not None and (not isinstance(index, int) or index < 0):
            raise ValueError(f"device: the index must be a non-negative int, got {index!r}")
        self = super().__new__(cls, kind if index is None else f"{kind}:{index}")
        self.type = kind
        self.index = index
        return self

    def __repr__(self):
        if self.index is None:
            return f"device(type={self.type!r})"
        return f"device(type={self.type!r}, index={self.index})"

    def __reduce__(self):
        return (device, (self.type, self.index))


CPU = device("cpu")


def _unavailable(what, name):
    return DeviceError(
        f"{what}: ndgrad runs on the CPU; torch.cuda.is_available() is False and device "
        f"{str(name)!r} cannot hold ndgrad tensors. Use device 'cpu' (or write "
        "device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')).")


def check_device(value, what="device"):
    """``value`` (None, a string or a device) as the CPU device, or raise
    :class:`DeviceError` for any other device; ``what`` names the caller.

    Example:
        >>> from ndgrad.devices import check_device
        >>> check_device("cpu"), check_device(None)
        (device(type='cpu'), device(type='cpu'))
    """
    if value is None or value is CPU:
        return CPU
    if isinstance(value, int) and not isinstance(value, bool):
        raise _unavailable(what, f"cuda:{value}")    # PyTorch reads a bare int as cuda:N
    parsed = device(value)
    if parsed.type != "cpu":
        raise _unavailable(what, parsed)
    return CPU


def first_gpu_id(device_ids, output_device=None):
    """The first of ``device_ids`` and ``output_device`` that is not the CPU (an
    int names a CUDA device, as in PyTorch), or None when all are the CPU; the
    wrappers of a module (DataParallel, DistributedDataParallel) refuse it.

    Example:
        >>> from ndgrad.devices import first_gpu_id
        >>> first_gpu_id(["cpu"]), first_gpu_id([0], "cpu"), first_gpu_id(None, "cuda:1")
        (None, 0, 'cuda:1')
    """
    for entry in [*(device_ids or ()), *([] if output_device is None else [output_device])]:
        named = f"cuda:{entry}" if isinstance(entry, int) and not isinstance(entry, bool) \
            else entry
        try:
            on_cpu = device(named).type == "cpu"
        except (TypeError, ValueError):
            on_cpu = False
        if not on_cpu:
            return entry
    return None


def is_device_name(value):
    """Whether ``value`` names a device (a device, or a string such as ``"cuda:0"``).

    Example:
        >>> from ndgrad.devices import is_device_name
        >>> is_device_name("cuda:0"), is_device_name("float32")
        (True, False)
    """
    if isinstance(value, device):
        return True
    if isinstance(value, str):
        return value.partition(":")[0] in KNOWN_TYPES
    return False


def parse_to(what, args, kwargs):
    """The ``(dtype, copy)`` that ``.to(*args, **kwargs)`` asks for; the device is
    checked (the CPU or :class:`DeviceError`) and otherwise has no effect.

    Accepts PyTorch's forms: ``to(dtype)``, ``to(device)``, ``to(device, dtype)``,
    ``to(tensor)`` (its dtype), and the keywords ``device``, ``dtype``, ``copy``,
    ``non_blocking`` (ignored: there is nothing to overlap) and ``memory_format``
    (only ``torch.preserve_format``-like ``None``).

    Example:
        >>> from ndgrad.devices import parse_to
        >>> parse_to("to", ("cpu", "float64"), {})
        (dtype('float64'), False)
    """
    from .tensor import Tensor
    kwargs = dict(kwargs)
    dtype = kwargs.pop("dtype", None)
    target = kwargs.pop("device", None)
    copy = bool(kwargs.pop("copy", False))
    kwargs.pop("non_blocking", None)
    if kwargs.pop("memory_format", None) is not None:
        raise ValueError(f"{what}: memory_format is not supported (NumPy arrays keep their "
                         "own layout); leave it out")
    if kwargs:
        raise TypeError(f"{what}: unexpected keyword argument(s) {sorted(kwargs)}")
    args = list(args)
    if len(args) > 4:
        raise TypeError(f"{what}: too many positional arguments {tuple(args)!r}")
    if args and isinstance(args[0], Tensor):
        dtype = args.pop(0).dtype if dtype is None else dtype
    elif args and (is_device_name(args[0]) or isinstance(args[0], int)
                   and not isinstance(args[0], bool)):
        target = args.pop(0)
    if args and not isinstance(args[0], bool):
        if dtype is not None:
            raise TypeError(f"{what}: dtype given twice ({args[0]!r} and {dtype!r})")
        dtype = args.pop(0)
    for flag in args:                         # PyTorch's trailing non_blocking, copy
        if not isinstance(flag, bool):
            raise TypeError(f"{what}: cannot read argument {flag!r}; pass a dtype, a device "
                            "or a tensor")
    if len(args) == 2:
        copy = copy or args[1]
    check_device(target, what)
    return (None if dtype is None else as_dtype(dtype)), copy
