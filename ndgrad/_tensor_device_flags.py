"""The device and layout predicates PyTorch code reads on a tensor.

Programs branch on them (``if x.is_cuda: ...``, ``input.is_cuda or
input.is_xpu`` before splitting a batch across GPUs). An ndgrad tensor is a
dense, strided, unquantized array on the CPU, so each answers the same for
every tensor: ``is_cpu`` is True, every other one False.

Example:
    >>> import ndgrad
    >>> t = ndgrad.ones(2)
    >>> t.is_cpu, t.is_cuda, t.is_mps, t.is_sparse, t.is_nested
    (True, False, False, False, False)
"""


class TensorDeviceFlags:
    """``is_cpu``, ``is_cuda``, ``is_xpu``, ``is_mps``, ``is_meta``, ``is_sparse``,
    ``is_quantized``, ``is_nested``, ``is_mkldnn`` (see the module)."""

    __slots__ = ()

    @property
    def is_cpu(self):
        """True: ndgrad tensors live on the CPU.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(1).is_cpu
            True
        """
        return True

    @property
    def is_cuda(self):
        """False: ndgrad tensors live on the CPU, never on a CUDA GPU.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(1).is_cuda
            False
        """
        return False

    @property
    def is_xpu(self):
        """False: ndgrad tensors are never on an Intel XPU.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(1).is_xpu
            False
        """
        return False

    @property
    def is_mps(self):
        """False: ndgrad tensors are never on Apple's MPS device.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(1).is_mps
            False
        """
        return False

    @property
    def is_meta(self):
        """False: every ndgrad tensor holds its data (PyTorch's ``meta`` tensors hold
        only a shape).

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(1).is_meta
            False
        """
        return False

    @property
    def is_sparse(self):
        """False: ndgrad tensors are dense.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(1).is_sparse
            False
        """
        return False

    @property
    def is_quantized(self):
        """False: ndgrad tensors are not quantized.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(1).is_quantized
            False
        """
        return False

    @property
    def is_nested(self):
        """False: ndgrad has no nested (ragged) tensors.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(1).is_nested
            False
        """
        return False

    @property
    def is_mkldnn(self):
        """False: ndgrad tensors use NumPy's strided layout, not MKL-DNN's.

        Example:
            >>> import ndgrad
            >>> ndgrad.ones(1).is_mkldnn
            False
        """
        return False
