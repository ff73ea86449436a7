"""Floating-point parts and steps: ``frexp``, ``ldexp``, ``modf``,
``nextafter``, ``divmod``.

Each splits or scales a float by powers of two or by its integer part, so the
differentiable pieces are simple: the mantissa of ``frexp`` has slope
``2**-exponent``, ``ldexp(x, i)`` slope ``2**i``, the fraction of ``modf`` and
``nextafter(x, y)`` slope 1 in ``x``. The pieces that are integers or step
functions (the exponent, the integral part, the quotient of ``divmod``,
``nextafter``'s dependence on ``y``) pass a zero gradient or none.

Example:
    >>> import numpy as np, ndgrad
    >>> x = ndgrad.Variable([3.0, -0.75])
    >>> mantissa, exponent = np.frexp(x)
    >>> mantissa.tolist(), exponent.tolist()
    ([0.75, -0.75], [2, 0])
    >>> mantissa.sum().backward(); x.grad.tolist()
    [0.25, 1.0]
"""

import numpy as np

from ..autograd.primitive import data_of, primitive
from ..numpy_api import implements
from ..tensor import Tensor
from .arithmetic import floor_divide, mod
from .creation import zeros_like
from .elementwise import trunc

__all__ = ["frexp", "ldexp", "modf", "nextafter", "divmod"]


def _integers(name, value):
    data = np.asarray(data_of(value))
    if data.dtype.kind not in "iub":
        raise TypeError(f"{name}: the exponent must hold integers, got dtype {data.dtype} "
                        "(cast with .astype('int64'))")
    return data


@primitive(name="ldexp", reads=())
def _ldexp(x, exponent):
    return np.ldexp(x, exponent)


@_ldexp.defvjp
def _ldexp_vjp(g, out, x, exponent):
    return _ldexp(g, exponent=exponent), None


@implements(np.ldexp)
def ldexp(x1, x2, **kwargs):
    """``x1 * 2**x2`` for integer ``x2``; the gradient in ``x1`` is ``2**x2``.

    Example:
        >>> import ndgrad
        >>> ndgrad.ldexp(ndgrad.tensor([1.5]), 3).tolist()
        [12.0]
    """
    _refuse_out("ldexp", kwargs)
    return _ldexp(x1, exponent=_integers("ldexp", x2))


@primitive(name="frexp", reads=(0,))
def _mantissa(x):
    return np.frexp(x)[0]


@_mantissa.defvjp
def _mantissa_vjp(g, out, x):
    return _ldexp(g, exponent=-np.frexp(data_of(x))[1])


@implements(np.frexp)
def frexp(x, **kwargs):
    """``(mantissa, exponent)`` with ``x = mantissa * 2**exponent`` and
    ``0.5 <= |mantissa| < 1``; the exponent is an integer tensor (no gradient).

    Example:
        >>> import ndgrad
        >>> [t.tolist() for t in ndgrad.frexp(ndgrad.tensor([8.0]))]
        [[0.5], [4]]
    """
    _refuse_out("frexp", kwargs)
    x = x if isinstance(x, Tensor) else Tensor._wrap(np.asarray(x))
    return _mantissa(x), Tensor._wrap(np.frexp(x._data)[1])


@primitive(name="modf", reads=())
def _fraction(x):
    return np.modf(x)[0]


@_fraction.defvjp
def _fraction_vjp(g, out, x):
    return g


@implements(np.modf)
def modf(x, **kwargs):
    """``(fraction, integral)``, both with the sign of ``x``; the fraction has
    slope 1, the integral part (a step function) a zero gradient.

    Example:
        >>> import ndgrad
        >>> [t.tolist() for t in ndgrad.modf(ndgrad.tensor([-2.5]))]
        [[-0.5], [-2.0]]
    """
    _refuse_out("modf", kwargs)
    return _fraction(x), trunc(x)


@primitive(name="nextafter", reads=())
def _nextafter(x, y):
    return np.nextafter(x, y)


@_nextafter.defvjp
def _nextafter_vjp(g, out, x, y, needs):
    return (g if needs[0] else None), (zeros_like(g) if needs[1] else None)


@implements(np.nextafter)
def nextafter(x1, x2, **kwargs):
    """The next float after ``x1`` towards ``x2``: slope 1 in ``x1``, a step
    function of ``x2`` (zero gradient).

    Example:
        >>> import numpy as np, ndgrad
        >>> ndgrad.nextafter(ndgrad.tensor([1.0]), 2.0).item() > 1.0
        True
    """
    _refuse_out("nextafter", kwargs)
    return _nextafter(x1, x2)


@implements(np.divmod)
def divmod(x1, x2, **kwargs):  # noqa: A001  (NumPy's name)
    """``(floor_divide(x1, x2), mod(x1, x2))``: the quotient is a step function
    (zero gradient), the remainder has ``mod``'s gradient.

    Example:
        >>> import ndgrad
        >>> [t.tolist() for t in ndgrad.divmod(ndgrad.tensor([7.0]), 2.0)]
        [[3.0], [1.0]]
    """
    _refuse_out("divmod", kwargs)
    return floor_divide(x1, x2), mod(x1, x2)


def _refuse_out(name, kwargs):
    if kwargs:
        raise TypeError(f"{name}: unsupported arguments {sorted(kwargs)}; only the inputs "
                        "are taken (out=, where=, dtype= cannot be recorded)")
