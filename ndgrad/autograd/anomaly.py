"""``detect_anomaly``: stop at the first NaN or Inf, in forward or backward.

While it is active every op's result and every gradient a rule returns is
checked. The first that is not finite raises :class:`AnomalyError` naming the
op, the user's line that created it, and statistics of its inputs, so the
question "where did this NaN come from?" has an answer instead of a loss that
silently became ``nan`` several steps later. The checks cost a pass over every
array, so they run only inside the context.

Example:
    >>> import ndgrad
    >>> import numpy as np
    >>> x = ndgrad.Variable([1.0, 0.0])
    >>> with np.errstate(divide="ignore"), ndgrad.detect_anomaly():   # NumPy's warning aside
    ...     try:
    ...         y = ndgrad.log(x) * 0
    ...     except ndgrad.AnomalyError as error:
    ...         print(str(error).splitlines()[0])
    detect_anomaly: 'log' produced -inf in forward
"""

import numpy as np

from .._backend import xp
from ..tensor import Tensor
from . import breaks
from .mode import _FlagContext, state


class AnomalyError(FloatingPointError):
    """A NaN or Inf appeared while ``detect_anomaly`` was active.

    Example:
        >>> import ndgrad
        >>> issubclass(ndgrad.AnomalyError, FloatingPointError)
        True
    """


class detect_anomaly(_FlagContext):
    """Raise at the first NaN or Inf produced by an op or by a gradient rule.

    A context manager and a decorator, thread-local like ``no_grad``. The
    error names the op, the line that created it (for backward: the line of
    the forward op whose rule produced it) and the statistics of its inputs.
    Inside it NumPy's own floating-point warnings (divide by zero, overflow,
    invalid value) are silenced: the error reports the first bad value
    instead, with its op and line.

    Args:
        check_nan: False turns the checks off (``detect_anomaly(False)``),
            as PyTorch's argument of the same name.

    Example:
        >>> import ndgrad
        >>> w = ndgrad.Variable([0.0, 1.0])
        >>> @ndgrad.detect_anomaly()
        ... def step():
        ...     ndgrad.sqrt(w).sum().backward()
        >>> import numpy as np
        >>> try:
        ...     with np.errstate(divide="ignore"):      # NumPy's own warning aside
        ...         step()
        ... except ndgrad.AnomalyError as error:
        ...     print(str(error).splitlines()[0])
        detect_anomaly: the gradient rule of 'sqrt' produced inf in backward
    """

    _flag = "anomaly"

    def __init__(self, check_nan=True):
        super().__init__(check_nan)
        self._quiet = []

    def __enter__(self):
        super().__enter__()
        quiet = np.errstate(divide="ignore", over="ignore", invalid="ignore") \
            if self._enabled else None
        if quiet is not None:
            quiet.__enter__()
        self._quiet.append(quiet)
        return self

    def __exit__(self, *exc):
        quiet = self._quiet.pop()
        if quiet is not None:
            quiet.__exit__(*exc)
        return super().__exit__(*exc)


def _bad_values(array):
    """'nan', 'inf', '-inf' or a mix, for a float array that is not all finite."""
    found = []
    if xp.isnan(array).any():
        found.append("nan")
    if xp.isposinf(array).any():
        found.append("inf")
    if xp.isneginf(array).any():
        found.append("-inf")
    return " and ".join(found)


def _array_of(value):
    return value._data if isinstance(value, Tensor) else value


def _is_finite(value):
    data = _array_of(value)
    if isinstance(data, (int, float)):
        return data == data and abs(data) != float("inf")
    if not isinstance(data, xp.ndarray) or data.dtype.kind not in "fc":
        return True
    return bool(xp.isfinite(data).all())


def describe_value(value):
    """One line of statistics of an op's input: shape, dtype, range, mean, non-finite counts.

    Example:
        >>> from ndgrad.autograd.anomaly import describe_value
        >>> import numpy as np
        >>> describe_value(np.array([1.0, np.nan]))
        'shape (2,) float64: min 1, max 1, mean 1 over the finite values; 1 nan, 0 inf'
    """
    data = _array_of(value)
    if not isinstance(data, xp.ndarray):
        return f"the number {data!r}"
    if data.dtype.kind not in "fc":
        return f"shape {data.shape} {data.dtype}"
    finite = data[xp.isfinite(data)]
    nans = int(xp.isnan(data).sum())
    infs = int(xp.isinf(data).sum())
    if finite.size:
        values = (f"min {finite.min():.4g}, max {finite.max():.4g}, "
                  f"mean {finite.mean():.4g} over the finite values")
    else:
        values = "no finite values"
    return f"shape {data.shape} {data.dtype}: {values}; {nans} nan, {infs} inf"


def _inputs_report(inputs):
    return "\n".join(f"  input {i}: {describe_value(a)}" for i, a in enumerate(inputs))


def check_forward(op, out, inputs):
    """Raise :class:`AnomalyError` if ``out`` (the result of ``op``) is not finite."""
    if state.in_backward or out.dtype.kind not in "fc" or xp.isfinite(out).all():
        return                     # a rule's result is checked where the rule returns
    where = breaks.describe_site()
    inherited = [i for i, a in enumerate(inputs) if not _is_finite(a)]
    cause = (f"\nInputs {inherited} already held non-finite values: they came from outside "
             "the recorded ops (data, or a value set directly)." if inherited else "")
    raise AnomalyError(
        f"detect_anomaly: '{op.name}' produced {_bad_values(out)} in forward\n"
        f"  at {where}\n{_inputs_report(inputs)}{cause}")


def check_backward(node, g, grads_in):
    """Raise :class:`AnomalyError` if a gradient returned by ``node``'s rule is not finite."""
    for index, gi in enumerate(grads_in):
        if gi is None or _is_finite(gi):
            continue
        data = _array_of(gi)
        created = (f"{node.where[0]}:{node.where[1]}" if node.where is not None
                   else "an op recorded before detect_anomaly was entered")
        incoming = "" if _is_finite(g) else " (the incoming gradient was already not finite)"
        raise AnomalyError(
            f"detect_anomaly: the gradient rule of '{node.op.name}' produced "
            f"{_bad_values(xp.asarray(data))} in backward\n"
            f"  in the gradient for input {index}{incoming}\n"
            f"  the op was created at {created}\n"
            f"  incoming gradient: {describe_value(g)}\n{_inputs_report(node.inputs)}")
