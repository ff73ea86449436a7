"""Complex tensors and their gradients: PyTorch's convention, op by op.

**The convention.** For a real loss ``L`` of a complex tensor ``z = x + iy``,
``z.grad`` is ``dL/dx + i dL/dy``: twice the conjugate Wirtinger derivative
``dL/dz*`` (PyTorch's convention, "Autograd for Complex Numbers" in its docs). So
``z -= lr * z.grad`` moves ``x`` and ``y`` down their own gradients, and
optimizers step complex parameters as they step real ones. For an op
``w = f(z)`` a rule receives ``g = dL/du + i dL/dv`` (``w = u + iv``) and returns
``g * conj(dw/dz) + conj(g) * dw/dz*``, for a holomorphic ``f`` simply
``g * conj(f'(z))``: ``x * y`` gives ``g * conj(y)``, ``exp(z)`` gives
``g * conj(exp(z))``, ``A @ B`` gives ``g @ B^H``. A real input of a complex
result gets the real part of that gradient (``dL/dx``), as in PyTorch.

**Other libraries.** JAX's ``grad`` of a real ``L`` returns ``dL/dx - i dL/dy``, the
conjugate of PyTorch's (and of ndgrad's): its autodiff cookbook says to optimize
by "taking steps in the direction of the conjugate of grad(f)(x)", and PyTorch's
autograd notes say JAX computes ``dL/dz`` where PyTorch computes ``dL/dz*``
(TensorFlow's convention is PyTorch's). HIPS autograd defines ``grad`` of
``f = u + iv`` as ``du/dx - i du/dy`` (its tutorial, "Complex numbers"): JAX's
convention, the conjugate of ndgrad's. For a real-to-real function that uses
complex numbers inside, all of them agree.

**Which ops.** An op differentiates complex numbers once its rule does
(:func:`differentiates_complex` puts it in :data:`COMPLEX_OPS`); every other op
refuses a complex result or a complex input that requires grad with a
``DTypeError`` (``ndgrad.autograd.primitive.refuse_complex_result``): never a
silently wrong gradient.

**Casts.** A real tensor cast to a complex dtype gets the real part of the
gradient. A complex tensor cast to a real dtype keeps the real part, as NumPy
and PyTorch do, and warns as they do (NumPy's ``ComplexWarning``): use
``ndgrad.real`` to say so on purpose. Its gradient flows to the real part only.

Example:
    >>> import ndgrad
    >>> z = ndgrad.tensor([1 + 2j], requires_grad=True)
    >>> (ndgrad.abs(z) ** 2).sum().backward()          # |z|^2: gradient 2z
    >>> z.grad.tolist()
    [(2+4j)]
"""

import numpy as np

from ..autograd.primitive import primitive
from ..numpy_api import implements
from ..tensor import Tensor
from .creation import zeros_like
from .selection import _where3, where

__all__ = ["real", "imag", "conj", "conjugate", "angle"]

# Op name -> the op functions (or Op objects) of that name whose rules know complex numbers.
COMPLEX_OPS = {}


def differentiates_complex(*op_functions):
    """Declare that these ops' rules (op functions, or ``Op`` objects) are right for
    complex numbers (PyTorch's convention); ``record`` then lets complex values
    through them.

    Example:
        >>> from ndgrad.ops.complex_numbers import COMPLEX_OPS
        >>> "multiply" in COMPLEX_OPS
        True
    """
    for function in op_functions:
        op = getattr(function, "op", function)
        op.complex = True
        COMPLEX_OPS.setdefault(op.name, []).append(function)


def _is_complex(value):
    if isinstance(value, Tensor):
        return value._data.dtype.kind == "c"
    if type(value) is complex:
        return True
    dtype = getattr(value, "dtype", None)
    return dtype is not None and dtype.kind == "c"


def conj_of(value):
    """``value``'s complex conjugate when it is complex (on a tensor, recorded),
    else ``value`` itself: the rules' helper, free for real values.

    Example:
        >>> from ndgrad.ops.activations import conj_of
        >>> import numpy as np
        >>> conj_of(np.array([1 + 2j])).tolist(), conj_of(3.0)
        ([(1-2j)], 3.0)
    """
    if not _is_complex(value):
        return value
    if isinstance(value, Tensor):
        return conjugate(value)
    return np.conjugate(value)


@implements(np.real)
@primitive(reads=())
def real(x):
    """The real part (a new tensor, where NumPy gives a view); a real ``x`` is copied.

    Its gradient reaches a complex ``x`` as a real number (``g + 0j``).

    Example:
        >>> import ndgrad
        >>> z = ndgrad.tensor([1 + 2j, 3 - 1j], requires_grad=True)
        >>> ndgrad.real(z).sum().backward(); z.grad.tolist()
        [(1+0j), (1+0j)]
    """
    return np.array(np.real(x), copy=True)


@real.defvjp
def _real_vjp(g, out, x):
    return g


@implements(np.imag)
@primitive(reads=())
def imag(x):
    """The imaginary part (a new tensor); zeros for a real ``x``.

    Its gradient reaches a complex ``x`` as ``1j * g`` (``dL/dy``).

    Example:
        >>> import ndgrad
        >>> z = ndgrad.tensor([1 + 2j], requires_grad=True)
        >>> ndgrad.imag(z).sum().backward(); z.grad.tolist()
        [1j]
    """
    return np.array(np.imag(x), copy=True)


@imag.defvjp
def _imag_vjp(g, out, x):
    if not _is_complex(x):
        return zeros_like(g)  # imag of a real tensor is the constant 0
    return g * 1j


@implements(np.conjugate)
@primitive(reads=())
def conjugate(x):
    """The complex conjugate; a copy of a real ``x``.

    Example:
        >>> import ndgrad
        >>> ndgrad.conj(ndgrad.tensor([1 + 2j])).tolist()
        [(1-2j)]
    """
    return np.conjugate(x)


@conjugate.defvjp
def _conjugate_vjp(g, out, x):
    return conj_of(g)


conj = conjugate


@implements(np.angle)
def angle(x, deg=False):
    """The argument of each complex number, in radians (degrees with ``deg``);
    0 or pi for real numbers, whose gradient is zero (as PyTorch's).

    The gradient at ``z = x + iy`` is ``(-y + ix) / |z|^2`` times the incoming one,
    and 0 at ``z = 0``.

    Example:
        >>> import ndgrad
        >>> round(ndgrad.angle(ndgrad.tensor([1j])).item(), 4)
        1.5708
    """
    out = _angle(x)
    return out * (180.0 / np.pi) if deg else out


@primitive(name="angle")
def _angle(x):
    return np.angle(x)


@_angle.defvjp
def _angle_vjp(g, out, x):
    if not _is_complex(x):
        return zeros_like(g)
    # d angle = (x dy - y dx) / |z|^2: the gradient is g (-y + ix) / |z|^2 = g i z / |z|^2.
    squared = real(x * conjugate(x))
    zero = squared == 0
    return where(zero, 0.0, g * 1j * x / where(zero, 1.0, squared))


differentiates_complex(real, imag, conjugate, _angle, _where3)   # where: linear in x, y
