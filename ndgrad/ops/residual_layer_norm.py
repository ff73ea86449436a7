"""``layer_norm(x + residual)`` as one primitive: the residual connection and the
LayerNorm after it (the post-norm Transformer's ``norm(x + sublayer(x))``).

The sum is written straight into the buffer that becomes the normalized values
``x_hat`` (centered and scaled in place), so the pair costs one array and one
op record instead of an addition's array, a LayerNorm's two, and two records.
The rule is layer_norm's (``ndgrad.ops.layer_normalization``); both addends get
its input gradient. When the backward is recorded (``create_graph=True``) the
rule differentiates ``layer_norm(x + residual)`` written with ndgrad ops, so
second-order gradients are exact. Inputs the rows kernels do not take as they
are (broadcast addends, mixed dtypes, no weight or bias) run that composite
form directly.

Example:
    >>> import ndgrad
    >>> from ndgrad.ops.residual_layer_norm import add_layer_norm
    >>> x = ndgrad.tensor([[1.0, 2.0]])
    >>> add_layer_norm(x, x, (2,), weight=ndgrad.ones(2), eps=0.0).tolist()
    [[-1.0, 1.0]]
"""

import numpy as np

from ..autograd.mode import state
from ..autograd.primitive import as_input, data_of, primitive
from ..errors import shape_error
from ..tensor import Tensor
from . import _reusable_buffers
from ._scan_support import composite_vjp
from .layer_normalization import _flat, _normalize_rows, _rows_gradients, layer_norm

__all__ = []


@primitive(name="add_layer_norm", reads=(2,))
def _add_layer_norm(x, residual, weight, bias, normalized_shape, eps, workspace):
    count = int(np.prod(normalized_shape))
    total = _reusable_buffers.empty(x.shape, x.dtype)
    np.add(x, residual, out=total)
    rows = total.reshape(-1, count)
    out = _normalize_rows(rows, _flat(weight, x.dtype), _flat(bias, x.dtype), eps, workspace,
                          x_hat=rows)
    return out.reshape(x.shape)


@_add_layer_norm.defvjp
def _add_layer_norm_vjp(g, out, x, residual, weight, bias, normalized_shape, eps, workspace,
                        needs):
    if state.enabled:
        return _recorded_rule(g, (x, residual, weight, bias), needs, normalized_shape, eps)
    gd = g._data
    count = int(np.prod(normalized_shape))
    w = data_of(weight)
    w = None if w is None else np.asarray(w).astype(gd.dtype, copy=False)
    gx, gw, gb = _rows_gradients(gd.reshape(-1, count), None, _flat(w, gd.dtype), workspace,
                                 (needs[0] or needs[1], needs[2], needs[3]))
    gx = None if gx is None else gx.reshape(gd.shape)
    return (gx if needs[0] else None, gx if needs[1] else None,
            None if gw is None else gw.reshape(normalized_shape),
            None if gb is None else gb.reshape(normalized_shape))


def _composite(x, residual, weight, bias, normalized_shape, eps):
    return layer_norm(x + residual, normalized_shape, weight, bias, eps)


def _recorded_rule(g, inputs, needs, normalized_shape, eps):
    """The rule under ``create_graph``: the composite form's, recorded."""
    present = [i for i, a in enumerate(inputs) if a is not None and needs[i]]

    def composite(*given):
        full = list(inputs)
        for i, value in zip(present, given):
            full[i] = value
        return _composite(*full, normalized_shape, eps)

    grads = composite_vjp(composite, g, tuple(inputs[i] for i in present), {})
    result = [None] * len(inputs)
    for i, grad in zip(present, grads):
        result[i] = grad
    return tuple(result)


def add_layer_norm(x, residual, normalized_shape, weight=None, bias=None, eps=1e-5):
    """``layer_norm(x + residual, normalized_shape, weight, bias, eps)`` in one op.

    Args:
        x, residual: the two addends (the same shape for the fused kernel; others
            broadcast through the composite form).
        normalized_shape: the trailing dimensions to normalize over.
        weight, bias: tensors of ``normalized_shape``, or None.
        eps: added to the variance.

    Example:
        >>> import ndgrad
        >>> from ndgrad.ops.residual_layer_norm import add_layer_norm
        >>> x = ndgrad.tensor([[0.0, 4.0]], requires_grad=True)
        >>> y = add_layer_norm(x, ndgrad.tensor([[2.0, 2.0]]), 2, ndgrad.ones(2), eps=0.0)
        >>> y.tolist()
        [[-1.0, 1.0]]
    """
    x, residual = as_input(x), as_input(residual)
    weight, bias = as_input(weight), as_input(bias)
    normalized_shape = ((int(normalized_shape),) if isinstance(normalized_shape,
                                                              (int, np.integer))
                        else tuple(int(n) for n in normalized_shape))
    data, other = np.asarray(data_of(x)), np.asarray(data_of(residual))
    count = len(normalized_shape)
    fits = (data.dtype.kind == "f" and data.dtype == other.dtype and data.shape == other.shape
            and data.shape[data.ndim - count:] == normalized_shape and data.size > 0
            and (weight is not None or bias is not None)
            and all(p is None or np.shape(data_of(p)) == normalized_shape
                    for p in (weight, bias)))
    if not fits:
        if count == 0 or count > data.ndim:
            raise shape_error("add_layer_norm", [x], f"normalized_shape {normalized_shape} "
                              "must name the input's last dimensions")
        return _composite(x, residual, weight, bias, normalized_shape, float(eps))
    recording = state.enabled and any(isinstance(a, Tensor) and a._rg
                                      for a in (x, residual, weight, bias))
    return _add_layer_norm(x, residual, weight, bias, normalized_shape=normalized_shape,
                           eps=float(eps), workspace={} if recording else None)
