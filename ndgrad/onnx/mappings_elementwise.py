"""ONNX mappings of the elementwise ops and every activation.

One ONNX operator where ONNX has the same function (``relu`` -> Relu,
``add`` -> Add); a few nodes where it has not at opset 17 (``gelu`` through
Erf, ``silu`` as ``x * Sigmoid(x)``, ``log1p`` as ``Log(1 + x)``), written the
way ndgrad computes them so the numbers agree to float32 rounding.

Example:
    >>> from ndgrad.onnx.registry import MAPPINGS
    >>> import ndgrad.onnx.mappings
    >>> all(name in MAPPINGS for name in ("relu", "gelu", "add", "exp", "softmax"))
    True
"""

import math

import numpy as np

from .registry import maps

_SQRT_HALF = 0.7071067811865476
_GELU_TANH_SCALE = 0.7978845608028654     # sqrt(2 / pi)
_GELU_TANH_CUBIC = 0.044715

# ndgrad op -> the ONNX operator that computes the same function of one input.
UNARY = {
    "negative": "Neg", "exp": "Exp", "log": "Log", "sqrt": "Sqrt", "abs": "Abs",
    "floor": "Floor", "ceil": "Ceil", "tanh": "Tanh", "sigmoid": "Sigmoid", "relu": "Relu",
    "sin": "Sin", "cos": "Cos", "tan": "Tan", "arcsin": "Asin", "arccos": "Acos",
    "arctan": "Atan", "sinh": "Sinh", "cosh": "Cosh", "arcsinh": "Asinh", "arccosh": "Acosh",
    "arctanh": "Atanh", "erf": "Erf", "sign": "Sign", "reciprocal": "Reciprocal",
    "softsign": "Softsign", "rint": "Round", "copy": "Identity", "positive": "Identity",
    "std": "Sqrt",
}

# ndgrad op -> the ONNX operator of two inputs (NumPy broadcasting is ONNX's).
BINARY = {
    "add": "Add", "subtract": "Sub", "multiply": "Mul", "divide": "Div", "power": "Pow",
    "maximum": "Max", "minimum": "Min", "fmax": "Max", "fmin": "Min",
}


def _unary(op_type):
    def mapping(call):
        return call.emit(op_type, [call.input(0, call.out_dtype)])
    return mapping


def _binary(op_type):
    def mapping(call):
        dtype = call.out_dtype
        if op_type == "Pow" and not call.is_none(1) and isinstance(call.raw(1), (int, float)):
            exponent = call.raw(1)
            if exponent == 2:                      # x ** 2 as ndgrad (and NumPy) computes it
                x = call.input(0, dtype)
                return call.emit("Mul", [x, x])
        return call.emit(op_type, [call.input(0, dtype), call.input(1, dtype)])
    return mapping


for _name, _op_type in UNARY.items():
    maps(_name)(_unary(_op_type))
for _name, _op_type in BINARY.items():
    maps(_name)(_binary(_op_type))


def _scalar(call, value):
    return call.constant(np.asarray(value, dtype=call.out_dtype), f"{call.name}.scalar")


@maps("round")
def _round(call):
    if call.params.get("decimals", 0) != 0:
        call.refuse("round with decimals != 0 has no ONNX form here; round(x) only")
    return call.emit("Round", [call.input(0)])


@maps("trunc")
def _trunc(call):
    x = call.input(0)
    return call.emit("Mul", [call.emit("Floor", [call.emit("Abs", [x])]), call.emit("Sign", [x])])


@maps("square")
def _square(call):
    x = call.input(0, call.out_dtype)
    return call.emit("Mul", [x, x])


@maps("log1p", "log2", "log10", "expm1", "exp2", "erfc", "cbrt", "deg2rad", "rad2deg")
def _composed_unary(call):
    x = call.input(0, call.out_dtype)
    name = call.name
    if name == "log1p":
        return call.emit("Log", [call.emit("Add", [x, _scalar(call, 1)])])
    if name in ("log2", "log10"):
        base = 2.0 if name == "log2" else 10.0
        return call.emit("Div", [call.emit("Log", [x]), _scalar(call, math.log(base))])
    if name == "expm1":
        return call.emit("Sub", [call.emit("Exp", [x]), _scalar(call, 1)])
    if name == "exp2":
        return call.emit("Pow", [_scalar(call, 2), x])
    if name == "erfc":
        return call.emit("Sub", [_scalar(call, 1), call.emit("Erf", [x])])
    if name == "cbrt":
        root = call.emit("Pow", [call.emit("Abs", [x]), _scalar(call, 1 / 3)])
        return call.emit("Mul", [root, call.emit("Sign", [x])])
    factor = math.pi / 180 if name == "deg2rad" else 180 / math.pi
    return call.emit("Mul", [x, _scalar(call, factor)])


@maps("floor_divide", "mod", "fmod", "hypot", "logaddexp")
def _composed_binary(call):
    dtype = call.out_dtype
    x, y = call.input(0, dtype), call.input(1, dtype)
    name = call.name
    if name == "fmod":
        return call.emit("Mod", [x, y], fmod=1 if dtype.kind == "f" else 0)
    quotient = call.emit("Div", [x, y])
    if dtype.kind == "f":
        quotient = call.emit("Floor", [quotient])
    if name == "floor_divide":
        return quotient
    if name == "mod":
        if dtype.kind != "f":
            return call.emit("Mod", [x, y], fmod=0)
        return call.emit("Sub", [x, call.emit("Mul", [quotient, y])])
    if name == "hypot":
        return call.emit("Sqrt", [call.emit("Add", [call.emit("Mul", [x, x]),
                                                    call.emit("Mul", [y, y])])])
    top = call.emit("Max", [x, y])                              # logaddexp, stable
    spread = call.emit("Neg", [call.emit("Abs", [call.emit("Sub", [x, y])])])
    tail = call.emit("Log", [call.emit("Add", [_scalar(call, 1), call.emit("Exp", [spread])])])
    return call.emit("Add", [top, tail])


# ---------------------------------------------------------------- activations
@maps("relu6", "hard_tanh", "clip")
def _clip(call):
    x = call.input(0, call.out_dtype)
    if call.name == "relu6":
        return call.emit("Clip", [x, _scalar(call, 0), _scalar(call, 6)])
    if call.name == "hard_tanh":
        return call.emit("Clip", [x, _scalar(call, call.params["min_val"]),
                                  _scalar(call, call.params["max_val"])])
    out = x                       # clip(x, lower, upper): either bound may be an array
    if not call.is_none(1):
        out = call.emit("Max", [out, call.input(1, call.out_dtype)])
    if not call.is_none(2):
        out = call.emit("Min", [out, call.input(2, call.out_dtype)])
    return out


@maps("leaky_relu")
def _leaky_relu(call):
    return call.emit("LeakyRelu", [call.input(0)], alpha=float(call.params["negative_slope"]))


@maps("elu")
def _elu(call):
    alpha = call.params.get("alpha", 1.0)
    scale = call.params.get("scale", 1.0)
    inner = call.params.get("inner", 1.0)
    x = call.input(0, call.out_dtype)
    if scale == 1.0 and inner == 1.0:
        return call.emit("Elu", [x], alpha=float(alpha))
    negative = call.emit("Min", [x, _scalar(call, 0)])          # as ndgrad computes it
    if inner != 1.0:
        negative = call.emit("Div", [negative, _scalar(call, inner)])
    positive = call.emit("Relu", [x])
    if scale != 1.0:
        positive = call.emit("Mul", [positive, _scalar(call, scale)])
    bent = call.emit("Sub", [call.emit("Exp", [negative]), _scalar(call, 1)])
    return call.emit("Add", [positive, call.emit("Mul", [bent, _scalar(call, alpha * scale)])])


@maps("gelu")
def _gelu(call):
    x = call.input(0, call.out_dtype)                  # x * 0.5 * (1 + erf(x / sqrt(2)))
    cdf = call.emit("Add", [_scalar(call, 1),
                            call.emit("Erf", [call.emit("Mul", [x, _scalar(call, _SQRT_HALF)])])])
    return call.emit("Mul", [x, call.emit("Mul", [_scalar(call, 0.5), cdf])])


@maps("gelu_tanh")
def _gelu_tanh(call):
    x = call.input(0, call.out_dtype)
    cube = call.emit("Mul", [call.emit("Mul", [x, x]), x])
    inner = call.emit("Add", [x, call.emit("Mul", [_scalar(call, _GELU_TANH_CUBIC), cube])])
    inner = call.emit("Mul", [inner, _scalar(call, _GELU_TANH_SCALE)])
    half = call.emit("Mul", [_scalar(call, 0.5), x])
    return call.emit("Mul", [half, call.emit("Add", [_scalar(call, 1), call.emit("Tanh", [inner])])])


@maps("log_sigmoid")
def _log_sigmoid(call):
    x = call.input(0, call.out_dtype)            # min(x, 0) - log(1 + exp(-|x|)), stable
    tail = call.emit("Exp", [call.emit("Neg", [call.emit("Abs", [x])])])
    tail = call.emit("Log", [call.emit("Add", [_scalar(call, 1), tail])])
    return call.emit("Sub", [call.emit("Min", [x, _scalar(call, 0)]), tail])


def _stable_softplus(call, x):
    """log(1 + exp(x)) as max(x, 0) + log(1 + exp(-|x|)): no overflow for large x."""
    tail = call.emit("Exp", [call.emit("Neg", [call.emit("Abs", [x])])])
    tail = call.emit("Log", [call.emit("Add", [_scalar(call, 1), tail])])
    return call.emit("Add", [call.emit("Relu", [x]), tail])


@maps("softplus")
def _softplus(call):
    x = call.input(0, call.out_dtype)
    beta, threshold = call.params["beta"], call.params["threshold"]
    scaled = x if beta == 1 else call.emit("Mul", [x, _scalar(call, beta)])
    smooth = _stable_softplus(call, scaled)
    if beta != 1:
        smooth = call.emit("Div", [smooth, _scalar(call, beta)])
    linear = call.emit("Greater", [scaled, _scalar(call, threshold)])
    return call.emit("Where", [linear, x, smooth])


@maps("silu", "mish", "hard_sigmoid")
def _gated(call):
    x = call.input(0, call.out_dtype)
    if call.name == "silu":
        return call.emit("Mul", [x, call.emit("Sigmoid", [x])])
    if call.name == "mish":
        return call.emit("Mul", [x, call.emit("Tanh", [_stable_softplus(call, x)])])
    shifted = call.emit("Clip", [call.emit("Add", [x, _scalar(call, 3)]), _scalar(call, 0),
                                 _scalar(call, 6)])
    return call.emit("Div", [shifted, _scalar(call, 6)])


@maps("logit")
def _logit(call):
    x = call.input(0, call.out_dtype)
    eps = call.params.get("eps")
    if eps is not None:
        x = call.emit("Clip", [x, _scalar(call, eps), _scalar(call, 1 - eps)])
    return call.emit("Log", [call.emit("Div", [x, call.emit("Sub", [_scalar(call, 1), x])])])


@maps("where")
def _where(call):
    condition = call.input(0, np.bool_)
    return call.emit("Where", [condition, call.input(1, call.out_dtype),
                               call.input(2, call.out_dtype)])


@maps("astype")
def _astype(call):
    return call.builder.cast(call.input(0), call.out_dtype)
