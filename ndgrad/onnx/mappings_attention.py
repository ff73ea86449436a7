"""ONNX mappings of the fused attention and residual normalization ops, decomposed
into ONNX's own nodes.

``attention`` (``ndgrad.ops.attention_fused``) becomes the composite it fuses:
the heads split by Reshape/Gather/Transpose as its layout says, ``MatMul`` of the
scaled queries and the transposed keys, an ``Add`` per mask, ``Softmax`` over the
keys, ``MatMul`` with the values, and the heads merged back. Reshape targets copy
the leading (batch and time) dimensions (``0``), so the exported model runs at
any batch size. Dropout on the weights exists only in training mode; an op
recorded with a dropout mask is refused (export the model in eval mode).

Example:
    >>> from ndgrad.onnx.registry import MAPPINGS
    >>> import ndgrad.onnx.mappings
    >>> "attention" in MAPPINGS and "add_layer_norm" in MAPPINGS
    True
"""

import numpy as np

from .registry import maps

_TO_HEADS = [0, 2, 1, 3]          # (N, T, heads, d) <-> (N, heads, T, d)


def _heads(call, x, layout, heads, part):
    """Input ``x`` (an ONNX name) as (..., heads, T, d)."""
    if layout == "heads":
        return x
    if layout == "packed":          # x: the packed input as (N, T, 3, heads, d)
        x = call.emit("Gather", [x, call.constant(np.asarray([part], np.int64), "qkv_part")],
                      axis=2)
        x = call.emit("Squeeze", [x, call.ints([2])])
    elif layout == "merged":
        x = call.emit("Reshape", [x, call.ints([0, 0, heads, -1])])
    return call.emit("Transpose", [x], perm=_TO_HEADS)


@maps("attention")
def _attention(call):
    p = call.params
    if p.get("keep") is not None:
        call.refuse("dropout on the attention weights (recorded in training mode); export "
                    "the model in eval mode")
    layout, heads, dtype = p["layout"], p["heads"], call.out_dtype
    if layout == "packed":
        d = call.in_shape(0)[-1] // (3 * heads)
        packed = call.emit("Reshape", [call.input(0, dtype), call.ints([0, 0, 3, heads, d])])
        q, k, v = (_heads(call, packed, layout, heads, part) for part in range(3))
    else:
        q, k, v = (_heads(call, call.input(i, dtype), layout, heads, i) for i in range(3))
    ndim = len(call.in_shape(0)) if layout == "heads" else 4
    swap = list(range(ndim - 2)) + [ndim - 1, ndim - 2]
    scaled = call.emit("Mul", [q, call.constant(np.asarray(p["scale"], dtype), "scale")])
    scores = call.emit("MatMul", [scaled, call.emit("Transpose", [k], perm=swap)])
    for i in (3, 4):
        if not call.is_none(i):
            scores = call.emit("Add", [scores, call.input(i, dtype)])
    weights = call.emit("Softmax", [scores], axis=-1)
    out = call.emit("MatMul", [weights, v])
    if layout == "heads":
        return out
    out = call.emit("Transpose", [out], perm=_TO_HEADS)
    if layout == "tokens":
        return out
    return call.emit("Reshape", [out, call.ints([0, 0, -1])])


@maps("add_layer_norm")
def _add_layer_norm(call):
    """``Add`` then ``LayerNormalization`` over the trailing ``normalized_shape``."""
    p, dtype = call.params, call.out_dtype
    normalized = list(p["normalized_shape"])
    total = call.emit("Add", [call.input(0, dtype), call.input(1, dtype)])
    weight = (call.constant(np.ones(normalized, dtype=dtype), "layer_norm.ones")
              if call.is_none(2) else call.input(2, dtype))
    inputs = [total, weight] + ([] if call.is_none(3) else [call.input(3, dtype)])
    return call.emit("LayerNormalization", inputs, axis=-len(normalized),
                     epsilon=float(p["eps"]))
