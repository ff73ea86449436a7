"""ONNX mappings of the layer ops: affine maps, convolutions, pooling, normalizations,
embeddings.

Keras-layout kernels and channels-last inputs are exported as they are stored
(the initializer keeps the parameter's own name and layout) with a Transpose
in front, which ONNX Runtime folds once when it loads the model.

Example:
    >>> from ndgrad.onnx.registry import MAPPINGS
    >>> import ndgrad.onnx.mappings
    >>> all(name in MAPPINGS for name in ("linear", "conv", "max_pool", "batch_norm"))
    True
"""

import numpy as np

from .registry import maps


@maps("linear")
def _linear(call):
    dtype = call.out_dtype
    x, weight = call.input(0, dtype), call.input(1, dtype)
    bias = call.input(2, dtype) if call.count > 2 and not call.is_none(2) else None
    transposed = call.params["transposed"]
    if len(call.in_shape(0)) == 2 and len(call.in_shape(1)) == 2:
        inputs = [x, weight] + ([bias] if bias is not None else [])
        return call.emit("Gemm", inputs, transB=1 if transposed else None)
    if transposed:
        weight = call.emit("Transpose", [weight], perm=[1, 0])
    out = call.emit("MatMul", [x, weight])
    return out if bias is None else call.emit("Add", [out, bias])


@maps("matmul")
def _matmul(call):
    dtype = call.out_dtype
    return call.emit("MatMul", [call.input(0, dtype), call.input(1, dtype)])


@maps("einsum")
def _einsum(call):
    equation = call.params.get("subscripts") or call.params.get("equation")
    if not isinstance(equation, str):
        call.refuse("einsum without a subscripts string")
    names = [call.input(i, call.out_dtype) for i in range(call.count)]
    return call.emit("Einsum", names, equation=equation.replace(" ", ""))


@maps("tensordot")
def _tensordot(call):
    """np.tensordot as an Einsum: a's free axes, then b's, the paired axes summed."""
    rank_a, rank_b = len(call.in_shape(0)), len(call.in_shape(1))
    letters = iter("abcdefghijklmnopqrstuvwxyz")
    a = [next(letters) for _ in range(rank_a)]
    b = [next(letters) for _ in range(rank_b)]
    axes_a = [int(i) % rank_a for i in call.params["axes_a"]]
    axes_b = [int(i) % rank_b for i in call.params["axes_b"]]
    for i, j in zip(axes_a, axes_b):
        b[j] = a[i]
    out = [a[i] for i in range(rank_a) if i not in axes_a] + \
        [b[j] for j in range(rank_b) if j not in axes_b]
    equation = f"{''.join(a)},{''.join(b)}->{''.join(out)}"
    dtype = call.out_dtype
    return call.emit("Einsum", [call.input(0, dtype), call.input(1, dtype)], equation=equation)


def _to_channels_first(call, x, ndim):
    return call.emit("Transpose", [x], perm=[0, ndim - 1] + list(range(1, ndim - 1)))


def _to_channels_last(call, x, ndim):
    return call.emit("Transpose", [x], perm=[0] + list(range(2, ndim)) + [1])


def _spatial(values, ndim):
    """The geometry of a 1-D op (ndgrad keeps it as 2-D with a unit height)."""
    values = list(values)
    return values[-1:] if ndim == 3 else values


@maps("conv")
def _conv(call):
    p = call.params
    ndim = len(call.in_shape(0))
    dtype = call.out_dtype
    x, weight = call.input(0, dtype), call.input(1, dtype)
    if p["channels_last"]:
        x = _to_channels_first(call, x, ndim)
    if p["kernel_layout"] == "keras":                   # (*kernel, in, out) -> (out, in, *kernel)
        k = len(call.in_shape(1))
        weight = call.emit("Transpose", [weight], perm=[k - 1, k - 2] + list(range(k - 2)))
    pads = _spatial(p["padding"], ndim)
    inputs = [x, weight] + ([] if call.is_none(2) else [call.input(2, dtype)])
    out = call.emit("Conv", inputs, strides=_spatial(p["stride"], ndim),
                    dilations=_spatial(p["dilation"], ndim), group=int(p["groups"]),
                    pads=[int(lo) for lo, _ in pads] + [int(hi) for _, hi in pads])
    return _to_channels_last(call, out, ndim) if p["channels_last"] else out


def _pool_geometry(call):
    p = call.params
    ndim = len(call.in_shape(0))
    shape = call.in_shape(0)
    spatial_in = shape[1:-1] if p["channels_last"] else shape[2:]
    kernel = _spatial(p["kernel"], ndim)
    stride = _spatial(p["stride"], ndim)
    dilation = _spatial(p["dilation"], ndim)
    pads = _spatial(p["padding"], ndim)
    out_size = _spatial(p["out_size"], ndim)
    ceil = 0
    for size, k, s, d, (lo, hi), out in zip(spatial_in, kernel, stride, dilation, pads,
                                            out_size):
        floor_out = (size + lo + hi - d * (k - 1) - 1) // s + 1
        if out > floor_out:
            ceil = 1
        elif out < floor_out:
            call.refuse(f"pooling geometry with output size {out} (expected {floor_out})")
    return ndim, dict(kernel_shape=[int(k) for k in kernel], strides=[int(s) for s in stride],
                      pads=[int(lo) for lo, _ in pads] + [int(hi) for _, hi in pads],
                      ceil_mode=ceil or None), [int(d) for d in dilation]


@maps("max_pool")
def _max_pool(call):
    ndim, geometry, dilation = _pool_geometry(call)
    x = call.input(0)
    if call.params["channels_last"]:
        x = _to_channels_first(call, x, ndim)
    out = call.emit("MaxPool", [x], dilations=dilation if any(d != 1 for d in dilation) else None,
                    **geometry)
    return _to_channels_last(call, out, ndim) if call.params["channels_last"] else out


@maps("avg_pool")
def _avg_pool(call):
    ndim, geometry, dilation = _pool_geometry(call)
    if any(d != 1 for d in dilation):
        call.refuse("average pooling with dilation (ONNX AveragePool has it from opset 19 only)")
    divisor = call.params["divisor"]
    if geometry["ceil_mode"] and not np.isscalar(divisor):
        call.refuse("average pooling with ceil_mode and count_include_pad=False")
    x = call.input(0)
    if call.params["channels_last"]:
        x = _to_channels_first(call, x, ndim)
    window = float(np.prod(geometry["kernel_shape"]))
    out = call.emit("AveragePool", [x], count_include_pad=1, **geometry)
    if not (np.isscalar(divisor) and float(divisor) == window):
        # ndgrad divides the window's sum by its own divisor (the count of real
        # elements, or a fixed divisor_override): undo ONNX's, apply ndgrad's.
        divisor = np.asarray(divisor, dtype=call.out_dtype)
        if divisor.ndim and call.params["channels_last"]:
            divisor = np.moveaxis(divisor, -1, 1) if divisor.ndim == ndim else divisor
        factor = (window / divisor).astype(call.out_dtype)
        out = call.emit("Mul", [out, call.constant(factor, "avg_pool.divisor")])
    return _to_channels_last(call, out, ndim) if call.params["channels_last"] else out


@maps("batch_norm")
def _batch_norm(call):
    p = call.params
    dtype = call.out_dtype
    x = call.input(0, dtype)
    shape = np.shape(p["invstd"])
    if p.get("batch_stats"):
        # Statistics of the input itself (InstanceNorm, or BatchNorm without running
        # statistics): computed in the graph, as ndgrad does, over the reduced axes.
        axes = [int(a) for a in p["axes"]]
        mean = call.emit("ReduceMean", [x], axes=axes, keepdims=1)
        centered = call.emit("Sub", [x, mean])
        variance = call.emit("ReduceMean", [call.emit("Mul", [centered, centered])],
                             axes=axes, keepdims=1)
        epsilon = call.constant(np.asarray(p["eps"], dtype=dtype), "batch_norm.eps")
        scale = call.emit("Reciprocal", [call.emit("Sqrt", [call.emit("Add", [variance,
                                                                              epsilon])])])
        negative_mean = call.emit("Neg", [mean])
    else:
        scale = call.constant(np.asarray(p["invstd"], dtype=dtype), "batch_norm.invstd")
        negative_mean = call.constant(-np.asarray(p["mean"], dtype=dtype), "batch_norm.mean")
    if not call.is_none(1):
        weight = call.input(1, dtype)
        if call.in_shape(1) != shape:
            weight = call.emit("Reshape", [weight, call.ints(_parameter_shape(call, 1, shape))])
        scale = call.emit("Mul", [scale, weight])
    shift = call.emit("Mul", [negative_mean, scale])
    if not call.is_none(2):
        bias = call.input(2, dtype)
        if call.in_shape(2) != shape:
            bias = call.emit("Reshape", [bias, call.ints(_parameter_shape(call, 2, shape))])
        shift = call.emit("Add", [shift, bias])
    return call.emit("Add", [call.emit("Mul", [x, scale]), shift])


def _parameter_shape(call, i, shape):
    """The broadcast shape of a per-channel parameter (a leading batch dimension of a
    per-sample parameter, as InstanceNorm's, is copied at run time)."""
    given = call.in_shape(i)
    if len(given) > 1 and given[0] == shape[0] and call.builder.dynamic_batch:
        return [0] + list(shape[1:])
    return list(shape)


@maps("layer_norm")
def _layer_norm(call):
    p = call.params
    shape = call.in_shape(0)
    ndim = len(shape)
    axes = sorted(int(a) % ndim for a in p["axes"])
    if axes != list(range(axes[0], ndim)):
        call.refuse(f"layer normalization over axes {tuple(axes)} (ONNX normalizes the "
                    "trailing axes only)")
    dtype = call.out_dtype
    normalized = shape[axes[0]:]
    if call.is_none(1):
        weight = call.constant(np.ones(normalized, dtype=dtype), "layer_norm.ones")
    else:
        weight = call.input(1, dtype)
        if call.in_shape(1) != tuple(normalized):
            weight = call.emit("Reshape", [weight, call.ints(normalized)])
    inputs = [call.input(0, dtype), weight]
    if not call.is_none(2):
        bias = call.input(2, dtype)
        if call.in_shape(2) != tuple(normalized):
            bias = call.emit("Reshape", [bias, call.ints(normalized)])
        inputs.append(bias)
    return call.emit("LayerNormalization", inputs, axis=axes[0], epsilon=float(p["eps"]))


@maps("embedding")
def _embedding(call):
    indices = call.array(call.params["indices"], np.int64)
    return call.emit("Gather", [call.input(0), indices], axis=0)


@maps("conv_transpose")
def _conv_transpose(call):
    p = call.params
    ndim = len(call.in_shape(0))
    dtype = call.out_dtype
    x, weight = call.input(0, dtype), call.input(1, dtype)
    if p["channels_last"]:
        x = _to_channels_first(call, x, ndim)
    kernel_shape = call.in_shape(1)
    if p["kernel_layout"] == "keras":                # (*kernel, out/groups, in) -> (in, out/g, *k)
        k = len(kernel_shape)
        weight = call.emit("Transpose", [weight], perm=[k - 1, k - 2] + list(range(k - 2)))
        kernel = kernel_shape[:k - 2]
    else:
        kernel = kernel_shape[2:]
    shape = call.in_shape(0)
    sizes = shape[1:-1] if p["channels_last"] else shape[2:]
    out_shape = p["output_shape"]
    out_sizes = out_shape[1:-1] if p["channels_last"] else out_shape[2:]
    stride, dilation = _spatial(p["stride"], ndim), _spatial(p["dilation"], ndim)
    pads = _spatial(p["padding"], ndim)
    extra = []
    for n, k, s, d, (lo, hi), out in zip(sizes, kernel, stride, dilation, pads, out_sizes):
        extra.append(int(out - ((n - 1) * s + (k - 1) * d + 1 - lo - hi)))
    if any(e < 0 or e >= max(s, d) for e, s, d in zip(extra, stride, dilation)):
        call.refuse(f"transposed convolution with output padding {extra}")
    inputs = [x, weight] + ([] if call.is_none(2) else [call.input(2, dtype)])
    out = call.emit("ConvTranspose", inputs, strides=[int(v) for v in stride],
                    dilations=[int(v) for v in dilation], group=int(p["groups"]),
                    pads=[int(lo) for lo, _ in pads] + [int(hi) for _, hi in pads],
                    output_padding=extra if any(extra) else None)
    return _to_channels_last(call, out, ndim) if p["channels_last"] else out
