"""ONNX mappings of the non-differentiable ops a forward may use: comparisons,
logic on masks, ``isnan``/``isinf`` and ``argmax``/``argmin``.

They carry no gradient, so autograd keeps no node for them; while exporting,
the tracer records them anyway (``ndgrad.onnx.tracing``), so a mask such as
``x >= 0`` in PReLU stays a computation of the graph instead of a constant.

Example:
    >>> from ndgrad.onnx.registry import MAPPINGS
    >>> import ndgrad.onnx.mappings
    >>> all(name in MAPPINGS for name in ("greater", "logical_and", "argmax"))
    True
"""

import numpy as np

from .registry import maps

COMPARISONS = {"equal": "Equal", "less": "Less", "less_equal": "LessOrEqual",
               "greater": "Greater", "greater_equal": "GreaterOrEqual"}
LOGIC = {"logical_and": "And", "logical_or": "Or", "logical_xor": "Xor",
         "bitwise_and": "And", "bitwise_or": "Or", "bitwise_xor": "Xor"}


def _common_dtype(call):
    """The dtype both operands are compared in: that of the first array operand
    (a Python number adapts to it, as in NumPy)."""
    for i in range(call.count):
        if not isinstance(call.raw(i), (bool, int, float)):
            return call.in_dtype(i)
    return np.dtype(np.float32)


def _operands(call, dtype):
    names = []
    for i in range(call.count):
        value = call.raw(i)
        if isinstance(value, (bool, int, float)):
            names.append(call.constant(np.asarray(value, dtype=dtype), f"{call.name}.scalar"))
        else:
            names.append(call.input(i, dtype))
    return names


def _comparison(op_type):
    def mapping(call):
        x, y = _operands(call, _common_dtype(call))
        return call.emit(op_type, [x, y])
    return mapping


for _name, _op_type in COMPARISONS.items():
    maps(_name)(_comparison(_op_type))


@maps("not_equal")
def _not_equal(call):
    x, y = _operands(call, _common_dtype(call))
    return call.emit("Not", [call.emit("Equal", [x, y])])


def _logic(op_type):
    def mapping(call):
        if call.out_dtype != np.bool_:
            call.refuse("bitwise logic on integers (ONNX's And/Or/Xor take booleans)")
        x, y = _operands(call, np.bool_)
        return call.emit(op_type, [x, y])
    return mapping


for _name, _op_type in LOGIC.items():
    maps(_name)(_logic(_op_type))


@maps("logical_not", "invert")
def _not(call):
    if call.out_dtype != np.bool_:
        call.refuse("bitwise invert of integers")
    return call.emit("Not", [call.input(0, np.bool_)])


@maps("isnan", "isinf")
def _special_values(call):
    return call.emit("IsNaN" if call.name == "isnan" else "IsInf", [call.input(0)])


@maps("argmax", "argmin")
def _arg_extreme(call):
    axis = call.params.get("axis")
    keepdims = bool(call.params.get("keepdims", False))
    x = call.input(0)
    if axis is None:
        x = call.emit("Reshape", [x, call.ints([-1])])
        axis = 0
    op_type = "ArgMax" if call.name == "argmax" else "ArgMin"
    out = call.emit(op_type, [x], axis=int(axis), keepdims=int(keepdims),
                    select_last_index=0)
    return out if call.out_dtype == np.int64 else call.builder.cast(out, call.out_dtype)
