"""PyTorch's complex-number surface of :class:`ndgrad.Tensor`: ``t.real``,
``t.imag`` (differentiable properties), ``t.conj()``, ``t.angle()``, ``t.cfloat()``,
``t.cdouble()``.

Gradients follow PyTorch's convention (``ndgrad.ops.complex_numbers``). Unlike
PyTorch, ``t.real`` and ``t.imag`` are new tensors, not views: assigning to them
or writing into them in place does not change ``t`` (write ``t = ndgrad.complex...``
from the parts instead), and ``t.conj()`` is a new tensor, not a lazy conjugate.

Example:
    >>> import ndgrad
    >>> z = ndgrad.tensor([3 + 4j], requires_grad=True)
    >>> (z.real * 2 + z.imag).sum().backward()
    >>> z.grad.tolist(), z.conj().tolist()
    ([(2+1j)], [(3-4j)])
"""


def _complex_ops():
    from .ops import complex_numbers
    return complex_numbers


class TensorComplex:
    """Real and imaginary parts, conjugate, argument, complex casts."""

    __slots__ = ()

    @property
    def real(self):
        """The real part (a new tensor; differentiable); a copy of a real tensor.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1 + 2j]).real.tolist()
            [1.0]
        """
        return _complex_ops().real(self)

    @property
    def imag(self):
        """The imaginary part (a new tensor; differentiable).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1 + 2j]).imag.tolist()
            [2.0]
        """
        return _complex_ops().imag(self)

    def conj(self):
        """The complex conjugate (a new tensor, where PyTorch gives a lazy view).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1 + 2j]).conj().tolist()
            [(1-2j)]
        """
        return _complex_ops().conjugate(self)

    def conj_physical(self):
        """The complex conjugate, as :meth:`conj` (always a new tensor here).

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1j]).conj_physical().tolist()
            [-1j]
        """
        return _complex_ops().conjugate(self)

    def angle(self):
        """The argument of each element in radians (0 or pi for real numbers).

        Example:
            >>> import ndgrad
            >>> round(ndgrad.tensor([1j]).angle().item(), 4)
            1.5708
        """
        return _complex_ops().angle(self)

    def cfloat(self):
        """Convert to complex64.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0]).cfloat().dtype
            dtype('complex64')
        """
        return self.astype("complex64", copy=False)

    def cdouble(self):
        """Convert to complex128.

        Example:
            >>> import ndgrad
            >>> ndgrad.tensor([1.0]).cdouble().dtype
            dtype('complex128')
        """
        return self.astype("complex128", copy=False)
