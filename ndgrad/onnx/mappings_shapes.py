"""ONNX mappings of the shape ops, indexing, joins, reductions and softmax.

Shapes are written so that the exported model keeps working at another batch
size when the batch axis is dynamic: a Reshape copies an unchanged leading
dimension (``0``) or infers it (``-1``), a full slice of an axis is no Slice
at all, and a broadcast only names the dimensions it really grows.

Example:
    >>> from ndgrad.onnx.registry import MAPPINGS
    >>> import ndgrad.onnx.mappings
    >>> all(name in MAPPINGS for name in ("reshape", "getitem", "concatenate", "mean"))
    True
"""

import numpy as np

from .registry import maps

_END = np.iinfo(np.int64).max


@maps("reshape")
def _reshape(call):
    source, wanted = call.in_shape(0), call.out_shape
    if [d for d in source if d != 1] == [d for d in wanted if d != 1] and source != wanted:
        # Only axes of length 1 come or go: Squeeze and Unsqueeze keep every other
        # dimension free (a state (N, H) becoming (1, N, H) at any batch size).
        x = call.input(0)
        ones = [i for i, d in enumerate(source) if d == 1]
        if ones:
            x = call.emit("Squeeze", [x, call.ints(ones)])
        new = [i for i, d in enumerate(wanted) if d == 1]
        return call.emit("Unsqueeze", [x, call.ints(new)]) if new else x
    varying = call.out_varying
    if sum(varying) == 1:                 # the one dimension that follows the batch: -1
        target = [-1 if v else int(d) for d, v in zip(wanted, varying)]
    elif any(varying):
        target = call.shape_for(wanted, source)
    else:
        target = [int(d) for d in wanted]
    return call.emit("Reshape", [call.input(0), call.ints(target)])


@maps("transpose")
def _transpose(call):
    axes = call.params.get("axes")
    ndim = len(call.in_shape(0))
    perm = list(range(ndim))[::-1] if axes is None else [int(a) % ndim for a in axes]
    return call.emit("Transpose", [call.input(0)], perm=perm)


@maps("concatenate")
def _concatenate(call):
    dtype = call.out_dtype
    names = [call.input(i, dtype) for i in range(call.count)]
    return call.emit("Concat", names, axis=int(call.params["axis"]))


@maps("broadcast_to")
def _broadcast_to(call):
    source = (1,) * (len(call.out_shape) - len(call.in_shape(0))) + call.in_shape(0)
    grow = [o if s != o else 1 for s, o in zip(source, call.out_shape)]
    varying = call.out_varying
    batch = call.builder.batch_source
    dynamic = [i for i, (g, v) in enumerate(zip(grow, varying)) if v and g != 1]
    if not dynamic:
        return call.emit("Expand", [call.input(0), call.ints(grow)])
    if len(dynamic) > 1 or batch is None or grow[dynamic[0]] != batch[1]:
        call.refuse("a broadcast to a size computed from the batch size")
    # Broadcast over the batch (a per-sample parameter): the run-time batch size.
    axis = dynamic[0]
    pieces = [call.ints(grow[:axis])] if axis else []
    pieces += [call.builder.batch_size()] + ([call.ints(grow[axis + 1:])]
                                              if axis + 1 < len(grow) else [])
    target = call.emit("Concat", pieces, axis=0)
    return call.emit("Expand", [call.input(0), target])


@maps("flip")
def _flip(call):
    ndim = len(call.in_shape(0))
    axis = call.params.get("axis")
    axes = range(ndim) if axis is None else ((axis,) if np.isscalar(axis) else axis)
    axes = sorted(int(a) % ndim for a in axes)
    return call.emit("Slice", [call.input(0), call.ints([-1] * len(axes)),
                               call.ints([-_END] * len(axes)), call.ints(axes),
                               call.ints([-1] * len(axes))])


@maps("pad")
def _pad(call):
    widths = np.asarray(call.params["pad_width"], dtype=np.int64).reshape(-1, 2)
    value = call.params.get("constant_values", 0)
    if np.ndim(value) != 0:
        call.refuse("pad with per-axis constant values; give one constant")
    pads = list(widths[:, 0]) + list(widths[:, 1])
    fill = call.constant(np.asarray(value, dtype=call.out_dtype))
    return call.emit("Pad", [call.input(0), call.ints(pads), fill], mode="constant")


@maps("tile")
def _tile(call):
    reps = list(np.atleast_1d(call.params["reps"]))
    ndim = max(len(reps), len(call.in_shape(0)))
    x = call.input(0)
    if len(call.in_shape(0)) < ndim:
        missing = ndim - len(call.in_shape(0))
        x = call.emit("Unsqueeze", [x, call.ints(range(missing))])
    reps = [1] * (ndim - len(reps)) + reps
    return call.emit("Tile", [x, call.ints(reps)])


# ---------------------------------------------------------------- indexing
def _normalize_index(index, ndim):
    index = index if isinstance(index, tuple) else (index,)
    if any(isinstance(i, np.ndarray) and i.dtype == np.bool_ for i in index):
        return None
    used = sum(1 for i in index if i is not None and i is not Ellipsis)
    expanded = []
    for item in index:
        if item is Ellipsis:
            expanded.extend([slice(None)] * (ndim - used))
        else:
            expanded.append(item)
    if not any(item is Ellipsis for item in index):
        expanded.extend([slice(None)] * (ndim - used))
    return expanded


@maps("getitem")
def _getitem(call):
    shape = call.in_shape(0)
    index = _normalize_index(call.params["index"], len(shape))
    if index is None:
        call.refuse("indexing with a boolean mask (its result's shape depends on the data)")
    arrays = [i for i in index if isinstance(i, (np.ndarray, list))]
    if len(arrays) > 1:
        call.refuse("indexing with more than one integer array (advanced indexing); index "
                    "one axis with an array at a time")
    x = call.input(0)
    # On an axis that follows the dynamic axis 0 (the batch, or the time of a
    # time-major sequence), a slice stopping short of the end and an index past the
    # first element count from the end: out[:T] (all but the last) and out[T - 1]
    # (the last) stay right at any length.
    varying = call.in_varying(0)
    starts, ends, axes, steps, squeeze, gathers = [], [], [], [], [], []
    axis = 0
    for item in index:
        if item is None:
            continue
        size = shape[axis]
        if isinstance(item, slice):
            start, stop, step = item.indices(size)
            if (start, stop, step) != (0, size, 1):
                if stop < 0:
                    stop = -_END                  # a negative step may run past 0
                elif stop >= size:
                    stop = _END
                elif varying[axis] and step > 0:
                    stop -= size
                starts.append(start)
                ends.append(stop)
                axes.append(axis)
                steps.append(step)
        elif isinstance(item, (int, np.integer)):
            position = int(item) % size
            if varying[axis] and position > 0:
                position -= size
            starts.append(position)
            ends.append(position + 1 if position != -1 else _END)
            axes.append(axis)
            steps.append(1)
            squeeze.append(axis)
        else:
            gathers.append((axis, np.asarray(item, dtype=np.int64) % size))
        axis += 1
    if starts:
        x = call.emit("Slice", [x, call.ints(starts), call.ints(ends), call.ints(axes),
                                call.ints(steps)])
    for gather_axis, indices in gathers:
        x = call.emit("Gather", [x, call.constant(indices, "getitem.indices")],
                      axis=gather_axis)
    if gathers and np.asarray(gathers[0][1]).ndim != 1:
        call.refuse("indexing with a multi-dimensional integer array")
    if squeeze:
        x = call.emit("Squeeze", [x, call.ints(squeeze)])
    new_axes = _new_axes(index, squeeze)
    if new_axes:
        x = call.emit("Unsqueeze", [x, call.ints(new_axes)])
    return x


def _new_axes(index, squeezed):
    """Positions of the ``None`` items in the result (after the squeezes)."""
    positions, out_axis = [], 0
    in_axis = 0
    for item in index:
        if item is None:
            positions.append(out_axis)
            out_axis += 1
            continue
        if in_axis not in squeezed:
            out_axis += 1
        in_axis += 1
    return positions


# ---------------------------------------------------------------- reductions
_REDUCE = {"sum": "ReduceSum", "mean": "ReduceMean", "max": "ReduceMax", "min": "ReduceMin",
           "prod": "ReduceProd"}


@maps(*_REDUCE)
def _reduce(call):
    ndim = len(call.in_shape(0))
    axis = call.params.get("axis")
    keepdims = int(bool(call.params.get("keepdims", False)))
    axes = list(range(ndim)) if axis is None else (
        [axis] if np.isscalar(axis) else list(axis))
    axes = sorted(int(a) % ndim for a in axes) if ndim else []
    x = call.input(0, call.out_dtype)
    op_type = _REDUCE[call.name]
    if not axes:
        return call.emit("Identity", [x])
    if op_type == "ReduceSum" or call.builder.opset >= 18:
        return call.emit(op_type, [x, call.ints(axes)], keepdims=keepdims)
    return call.emit(op_type, [x], axes=axes, keepdims=keepdims)


@maps("cumsum")
def _cumsum(call):
    axis = call.params.get("axis")
    x = call.input(0, call.out_dtype)
    if axis is None:
        x = call.emit("Reshape", [x, call.ints([-1])])
        axis = 0
    return call.emit("CumSum", [x, call.constant(np.asarray(int(axis), np.int64))])


@maps("softmax", "log_softmax")
def _softmax(call):
    op_type = "Softmax" if call.name == "softmax" else "LogSoftmax"
    return call.emit(op_type, [call.input(0, call.out_dtype)], axis=int(call.params["axis"]))


@maps("resample")
def _resample(call):
    """Upsampling and interpolation along one axis: gathers, weighted when linear."""
    p = call.params
    shape = call.in_shape(0)
    axis = int(p["axis"]) % len(shape)
    x = call.input(0, call.out_dtype)
    if p.get("repeats"):
        rows = np.repeat(np.arange(shape[axis]), p["repeats"])
        return call.emit("Gather", [x, call.constant(rows.astype(np.int64), "resample.rows")],
                         axis=axis)
    out = call.emit("Gather", [x, call.constant(np.asarray(p["low"], np.int64),
                                                "resample.low")], axis=axis)
    if p.get("weights") is None:
        return out
    along = [1] * len(shape)
    along[axis] = -1
    first, second = (np.asarray(w, call.out_dtype).reshape(along) for w in p["weights"])
    high = call.emit("Gather", [x, call.constant(np.asarray(p["high"], np.int64),
                                                 "resample.high")], axis=axis)
    return call.emit("Add", [call.emit("Mul", [out, call.constant(first, "resample.weight")]),
                             call.emit("Mul", [high, call.constant(second, "resample.weight")])])
