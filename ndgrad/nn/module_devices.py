"""Where a Module's weights live and in which dtype: PyTorch's ``Module.to``,
``cpu``, ``cuda``, ``float``, ``double``.

The CPU is the only device (``ndgrad.devices``): ``to("cpu")`` and ``cpu()``
return the module, ``cuda()`` or ``to("cuda")`` raise ``DeviceError`` before
anything changes. ``to(dtype)`` casts every floating parameter and buffer in
place, so optimizers holding them keep working.

Example:
    >>> import ndgrad
    >>> model = ndgrad.nn.Linear(2, 1).to(ndgrad.device("cpu"), ndgrad.float64)
    >>> model.weight.dtype, model.cpu() is model
    (dtype('float64'), True)
"""

from ..devices import check_device, parse_to
from ..dtypes import float32


class DevicesMixin:
    """``to``, ``cpu``, ``cuda``, ``float`` and ``double`` of :class:`ndgrad.nn.Module`."""

    def to(self, *args, **kwargs):
        """Cast every floating parameter and buffer to a dtype in place, as PyTorch's
        ``Module.to``: ``to(dtype)``, ``to(device)``, ``to(device, dtype)``,
        ``to(tensor)``; the device must be the CPU (``ndgrad.devices``). Returns self.

        Example:
            >>> import ndgrad
            >>> layer = ndgrad.nn.Linear(2, 1)
            >>> layer.to("cpu") is layer, layer.to(ndgrad.float64).weight.dtype
            (True, dtype('float64'))
        """
        dtype, _ = parse_to("Module.to", args, kwargs)
        if dtype is None:
            return self
        if dtype.kind != "f":
            raise TypeError(f"to: modules hold floating weights; cannot cast to {dtype}")
        for tensor in self.variables:
            if tensor.dtype.kind == "f" and tensor.dtype != dtype:
                tensor._data = tensor._data.astype(dtype)
                tensor.grad = None
                tensor._bump_version(site=f"{type(self).__name__}.to")
        for module in self.modules():
            module.dtype = dtype
        return self

    def float(self):
        """Cast floating parameters and buffers to float32; returns self."""
        return self.to(float32)

    def double(self):
        """Cast floating parameters and buffers to float64; returns self."""
        return self.to("float64")

    def cpu(self):
        """Self: ndgrad modules live on the CPU.

        Example:
            >>> import ndgrad
            >>> layer = ndgrad.nn.Linear(2, 1); layer.cpu() is layer
            True
        """
        return self

    def cuda(self, device=None):
        """Always an error: ndgrad has no CUDA device (``torch.cuda.is_available()`` is
        False); use ``.to("cpu")`` or leave the model where it is.

        Example:
            >>> import ndgrad
            >>> ndgrad.nn.Linear(2, 1).cuda()  # doctest: +ELLIPSIS
            Traceback (most recent call last):
            ...
            ndgrad.devices.DeviceError: Module.cuda: ndgrad runs on the CPU; ...
        """
        check_device("cuda" if device is None else device if isinstance(device, str)
                     else f"cuda:{device}", "Module.cuda")
