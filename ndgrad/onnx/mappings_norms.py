"""ONNX mapping of the vector p-norms (``ndgrad.norm`` / ``Tensor.norm`` over
axes, ``ord`` a finite number other than 0): ReduceL2 for p = 2, ReduceL1 for
p = 1, and ``(sum |x|^p)^(1/p)`` for any other p. The infinity norms are
recorded as max/min of ``abs`` and export through those ops.

Example:
    >>> from ndgrad.onnx.registry import MAPPINGS
    >>> import ndgrad.onnx.mappings
    >>> "norm" in MAPPINGS
    True
"""

import numpy as np

from .registry import maps

_REDUCE = {2: "ReduceL2", 1: "ReduceL1"}


@maps("norm")
def _norm(call):
    ndim = len(call.in_shape(0))
    axes = call.params.get("axes")
    axes = list(range(ndim)) if axes is None else (
        [axes] if np.isscalar(axes) else list(axes))
    axes = sorted(int(a) % ndim for a in axes)
    keepdims = int(bool(call.params.get("keepdims", False)))
    order = float(call.params["ord"])
    x = call.input(0, call.out_dtype)
    if order in _REDUCE:
        if call.builder.opset >= 18:
            return call.emit(_REDUCE[order], [x, call.ints(axes)], keepdims=keepdims)
        return call.emit(_REDUCE[order], [x], axes=axes, keepdims=keepdims)
    dtype = np.dtype(call.out_dtype)
    powered = call.emit("Pow", [call.emit("Abs", [x]),
                                call.constant(np.asarray(order, dtype), "norm.ord")])
    total = call.emit("ReduceSum", [powered, call.ints(axes)], keepdims=keepdims)
    return call.emit("Pow", [total, call.constant(np.asarray(1.0 / order, dtype), "norm.root")])
