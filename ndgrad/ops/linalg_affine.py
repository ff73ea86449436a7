"""The affine map of a dense layer, ``x @ W.T + b`` or ``x @ W + b``, as one op.

Recorded as one node instead of three (transpose, matmul, add), and with a
rule that computes each gradient in its operand's own layout: the weight's
gradient is ``g.T @ x`` for PyTorch's (out, in) weight and ``x.T @ g`` for
Keras's (in, out) kernel, a new C-ordered array that the engine hands to the
weight as its ``.grad`` without a copy (a transposed view would be copied,
and would make every optimizer pass over it strided). Inputs with more than
two dimensions are treated as a batch of rows (``(..., in)``), so the weight
gradient is one GEMM, not one per batch element. Gradients nobody needs
(the input of the first layer) are not computed.

Under ``create_graph=True`` the rule is made of differentiable ops, so
higher-order gradients stay exact.

Example:
    >>> from ndgrad.ops.linalg_affine import affine
    >>> import ndgrad
    >>> x = ndgrad.tensor([[1.0, 2.0]])
    >>> w = ndgrad.Variable([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> b = ndgrad.Variable([0.5, 0.5, 0.5])
    >>> y = affine(x, w, b)
    >>> y.tolist()
    [[1.5, 2.5, 3.5]]
    >>> y.sum().backward(); w.grad.tolist(), b.grad.tolist()
    ([[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]], [1.0, 1.0, 1.0])
"""

import numpy as np

from ..autograd.mode import state
from ..autograd.primitive import data_of, primitive
from ..errors import shape_error
from ..tensor import Tensor
from .linalg import matmul
from .reduce import sum as _sum
from .shape import reshape, swapaxes

__all__ = ["affine"]

_wrap = Tensor._wrap


def affine(x, weight, bias=None, transposed=True):
    """``x @ weight.T + bias`` (``transposed``, PyTorch's (out, in) weight) or
    ``x @ weight + bias`` (Keras's (in, out) kernel); ``bias`` may be None.

    Args:
        x: the input, ``(..., in_features)``.
        weight: a 2-D weight in the layout ``transposed`` says.
        bias: ``(out_features,)`` or None.
        transposed: True for the (out, in) layout.

    Example:
        >>> from ndgrad.ops.linalg_affine import affine
        >>> import ndgrad
        >>> affine(ndgrad.ones((2, 3)), ndgrad.ones((4, 3)), ndgrad.ones(4)).tolist()
        [[4.0, 4.0, 4.0, 4.0], [4.0, 4.0, 4.0, 4.0]]
        >>> affine(ndgrad.ones(3), ndgrad.ones((3, 2)), transposed=False).tolist()
        [3.0, 3.0]
    """
    in_features = weight.shape[1] if transposed else weight.shape[0]
    if not x.shape or x.shape[-1] != in_features:
        raise shape_error("linear", [x, weight],
                          f"the input's last dimension ({x.shape[-1] if x.shape else 'none'}) "
                          f"must equal the layer's input features ({in_features})")
    if bias is None:
        return _affine(x, weight, transposed=transposed)
    return _affine(x, weight, bias, transposed=transposed)


@primitive(name="linear", reads=(0, 1))
def _affine(x, weight, *bias, transposed):
    w = weight.T if transposed else weight
    if x.ndim > 2:
        out = np.matmul(x.reshape(-1, x.shape[-1]), w).reshape(x.shape[:-1] + w.shape[-1:])
    else:
        out = np.matmul(x, w)
    if bias:
        (b,) = bias
        if type(b) is np.ndarray and b.dtype == out.dtype and b.shape == out.shape[-1:]:
            out += b                # out is new: add in place, no second array
        else:
            out = out + b
    return out


@_affine.defvjp
def _affine_vjp(g, out, x, weight, *bias, transposed, needs):
    if state.enabled:
        return _recorded_rule(g, x, weight, bias, transposed, needs)
    g, x, w = g._data, data_of(x), data_of(weight)
    rows_g = g.reshape(-1, g.shape[-1]) if g.ndim != 2 else g
    gx = gw = gb = None
    if needs[0]:
        gx = np.matmul(rows_g, w if transposed else w.T)
        gx = _wrap(gx.reshape(np.shape(x)) if g.ndim != 2 else gx)
    if needs[1]:
        rows_x = x.reshape(-1, x.shape[-1]) if x.ndim != 2 else x
        gw = _wrap(np.matmul(rows_g.T, rows_x) if transposed else np.matmul(rows_x.T, rows_g))
    if bias and needs[2]:
        gb = _wrap(rows_g.sum(axis=0)) if _is_row(bias[0], g) else _wrap(g)
    return (gx, gw, gb) if bias else (gx, gw)


def _is_row(bias, g):
    """Whether ``bias`` is one row of ``g`` (its gradient: the sum over rows)."""
    return np.shape(data_of(bias)) == g.shape[-1:]


def _recorded_rule(g, x, weight, bias, transposed, needs):
    """The same gradients from differentiable ops (``create_graph=True``)."""
    rows_g = reshape(g, (-1, g.shape[-1]))
    gx = gw = gb = None
    if needs[0]:
        gx = matmul(g, weight if transposed else swapaxes(weight, 0, 1))
    if needs[1]:
        rows_x = reshape(x, (-1, np.shape(data_of(x))[-1]))
        gw = (matmul(swapaxes(rows_g, 0, 1), rows_x) if transposed
              else matmul(swapaxes(rows_x, 0, 1), rows_g))
    if bias and needs[2]:
        gb = _sum(rows_g, axis=0) if _is_row(bias[0], g) else g
    return (gx, gw, gb) if bias else (gx, gw)
