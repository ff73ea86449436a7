"""Trace, map every recorded op, validate, and only then write the ONNX file.

The order is the promise: the arguments are checked first, the whole graph is
built in memory (an op with no mapping is refused here, naming the op, the
layer and the user's line), ``onnx.checker.check_model(full_check=True)``
validates it, and the file is written last, so a refused export leaves no
partial file behind.

Example:
    >>> import io, numpy as np
    >>> from ndgrad import nn
    >>> import ndgrad.onnx
    >>> buffer = io.BytesIO()
    >>> model = ndgrad.onnx.export(nn.Linear(3, 2), (np.ones((1, 3), np.float32),), buffer)
    >>> [i.name for i in model.graph.initializer]
    ['weight', 'bias']
"""

import os

import numpy as np

from ..autograd import breaks
from ..tensor import Tensor
from .builder import GraphBuilder, OpCall, UnmappableOp, onnx_type
from .registry import MAPPINGS
from .validation import check_arguments


class UnsupportedOpError(NotImplementedError):
    """An op of the model has no ONNX mapping yet; nothing was written.

    Example:
        >>> import ndgrad.onnx
        >>> issubclass(ndgrad.onnx.UnsupportedOpError, NotImplementedError)
        True
    """


def export_model(model, example_inputs, f, input_names=None, output_names=None,
                 dynamic_axes=None, opset_version=17, producer="ndgrad.onnx.export"):
    """The work behind :func:`ndgrad.onnx.export` (same arguments); returns the ModelProto."""
    from . import checks, mappings  # noqa: F401  (mappings fills MAPPINGS)
    from ._onnx_modules import helper, onnx
    from .tracing import trace

    example_inputs = _as_tuple(example_inputs)
    input_names, output_names, dynamic = check_arguments(
        model, example_inputs, f, input_names, output_names, dynamic_axes, opset_version)
    mark = breaks.break_count()
    recorded = trace(model, example_inputs)
    checks.refuse_breaks(recorded, mark, _traced, UnsupportedOpError)
    modules = dict(model.named_modules())
    grows = [0 in dynamic.get(name, {}) for name in input_names]
    again = trace(model, tuple(checks.other_values(getattr(x, "_data", x), grow)
                               for x, grow in zip(example_inputs, grows)))
    checks.refuse_hidden_constants(recorded, again,
                                   lambda node: _describe(node, recorded, modules),
                                   UnsupportedOpError)
    recorded.varying = checks.batch_dimensions(recorded, again, UnsupportedOpError)
    del again
    if len(output_names) > len(recorded.outputs):
        raise ValueError(f"ndgrad.onnx.export: output_names has {len(output_names)} names but "
                         f"the model returns {len(recorded.outputs)} tensors")
    if not output_names and len(recorded.outputs) == 1:
        output_names = ["output"]
    output_names = output_names + [f"output_{i}" for i in range(len(output_names),
                                                                 len(recorded.outputs))]
    dynamic_batch = any(0 in dynamic.get(name, {}) for name in input_names)
    builder = GraphBuilder(opset_version, dynamic_batch)
    for name in input_names + output_names:
        builder.reserve(name)
    for name, tensor in zip(input_names, recorded.inputs):
        if 0 in dynamic.get(name, {}) and tensor.ndim and builder.batch_source is None:
            builder.batch_source = (name, tensor.shape[0])
    resolver = _Resolver(builder, recorded, input_names)
    for node in recorded.nodes:
        _map_node(builder, node, recorded, resolver, modules)
    for tensor, name in zip(recorded.outputs, output_names):
        builder.emit("Identity", [resolver.value(tensor)], outputs=[name])
    graph = helper.make_graph(
        builder.nodes, type(model).__name__,
        [_value_info(helper, n, t, dynamic.get(n, {}), False)
         for n, t in zip(input_names, recorded.inputs)],
        [_value_info(helper, n, t, dynamic.get(n, {}), dynamic_batch)
         for n, t in zip(output_names, recorded.outputs)],
        initializer=builder.initializers)
    proto = helper.make_model(graph, producer_name=producer,
                              opset_imports=[helper.make_opsetid("", opset_version)])
    proto.ir_version = min(proto.ir_version, 10)     # what onnxruntime 1.17+ reads
    onnx.checker.check_model(proto, full_check=True)
    if isinstance(f, (str, os.PathLike)):
        onnx.save_model(proto, os.fspath(f))
    else:
        f.write(proto.SerializeToString())
    return proto


def _as_tuple(example_inputs):
    if isinstance(example_inputs, (tuple, list)):
        return tuple(example_inputs)
    return (example_inputs,)


def _traced(cut):
    """A break made by a non-differentiable op the trace recorded as a node."""
    prefix = "non-differentiable op '"
    return cut.kind.startswith(prefix) and cut.kind[len(prefix):].rstrip("'") in MAPPINGS


def _map_node(builder, node, recorded, resolver, modules):
    mapping = MAPPINGS.get(node.op.name)
    layer = recorded.layer_of.get(node, "")
    call = OpCall(builder, node, resolver.input_of, recorded.shape_of[node],
                  recorded.dtype_of[node], layer)
    call.array = resolver.array
    call.constant_of = lambda i: resolver.constant_of(node, i)
    call.out_varying = recorded.varying.get(node) or (False,) * len(recorded.shape_of[node])
    call.in_varying = lambda i: resolver.varying_of(node, i)
    try:
        if mapping is None:
            raise UnmappableOp("it has no ONNX mapping yet")
        resolver.produced[node] = mapping(call)
    except UnmappableOp as reason:
        raise UnsupportedOpError(
            f"ndgrad.onnx.export: cannot export {_describe(node, recorded, modules)}: "
            f"{reason}. Nothing was written. The exportable ops are listed by "
            "ndgrad.onnx.supported_ops()") from None


def _describe(node, recorded, modules):
    """'op 'name' in layer 'path' (Type), called at file:line' for messages."""
    layer = recorded.layer_of.get(node, "")
    module = modules.get(layer)
    where = f"{node.where[0]}:{node.where[1]}" if node.where else "an unknown line"
    layer_text = (f"layer '{layer}' ({type(module).__name__})" if layer
                  else f"the model's own forward ({type(modules['']).__name__})")
    return f"op '{node.op.name}' in {layer_text}, called at {where}"


class _Resolver:
    """ONNX names of the values the recorded ops read: graph inputs, parameters
    (initializers named as in the state_dict), constants, and node outputs."""

    def __init__(self, builder, recorded, input_names):
        self.builder = builder
        self.recorded = recorded
        self.produced = {}
        self.by_id = {id(t): name for t, name in zip(recorded.inputs, input_names)}
        self.arrays = [(t._data, name) for t, name in zip(recorded.inputs, input_names)]
        self.constants = {}

    def input_of(self, node, i, dtype=None):
        edge = self.recorded.producer(node, i)
        if edge is not None:
            return self.produced[edge]
        return self.value(node.inputs[i])

    def varying_of(self, node, i):
        """Which dimensions of input ``i`` of ``node`` follow the batch."""
        producer = self.recorded.producer(node, i)
        shape = np.shape(getattr(node.inputs[i], "_data", node.inputs[i]))
        if producer is not None:
            return self.recorded.varying.get(producer) or (False,) * len(shape)
        value = node.inputs[i]
        data = getattr(value, "_data", value)
        batch = self.builder.batch_source
        follows = batch is not None and len(shape) > 0 and shape[0] == batch[1] and (
            id(value) in self.by_id and any(value is t for t in self.recorded.inputs)
            or isinstance(data, np.ndarray) and self._per_sample(data))
        return (follows,) + (False,) * (len(shape) - 1) if shape else ()

    def constant_of(self, node, i):
        """The array of input ``i`` of ``node`` when it is a plain constant (made by no
        recorded op, neither a graph input nor a parameter), else None."""
        value = node.inputs[i]
        if self.recorded.producer(node, i) is not None or value is None:
            return None
        if isinstance(value, Tensor):
            if id(value) in self.by_id or id(value) in self.recorded.parameters:
                return None
            value = value._data
        array = np.asarray(value)
        return None if any(array is data for data, _ in self.arrays) else array

    def value(self, value):
        made = self.recorded.made_by.get(id(value))
        if made is not None:
            return self.produced[made]
        if isinstance(value, Tensor):
            node = value._node
            if node is not None and node in self.produced:
                return self.produced[node]
            if id(value) in self.by_id:
                return self.by_id[id(value)]
            name = self.recorded.parameters.get(id(value))
            if name is not None:
                self.by_id[id(value)] = self.builder.initializer(value._data, name)
                return self.by_id[id(value)]
            value = value._data
        return self.array(value)

    def array(self, array, dtype=None):
        """The name of a plain array: a graph input it is (integer indices made from
        the input), a named buffer, or a constant initializer."""
        array = np.asarray(array)
        for data, name in self.arrays:
            if array is data or (array.shape == data.shape and array.dtype.kind in "iu"
                                 and data.dtype.kind in "iu" and np.array_equal(array, data)):
                return name if dtype is None or array.dtype == dtype else \
                    self.builder.cast(name, dtype)
        if dtype is not None:
            array = array.astype(dtype)
        key = id(array)
        if key not in self.constants:
            buffer = self.recorded.buffers.get(key)
            if buffer is not None:
                name = self.builder.initializer(array, buffer)
            elif self._per_sample(array):
                # The same row for every sample (a zero initial state, a ones mask made
                # with the batch size): one row, expanded to the run-time batch.
                row = self.builder.constant(array[:1], "const")
                shape = self.builder.emit("Concat", [self.builder.batch_size(),
                                                     self.builder.ints(array.shape[1:])],
                                          axis=0, base="per_sample_shape")
                name = self.builder.emit("Expand", [row, shape], base="per_sample")
            else:
                name = self.builder.constant(array, "const")
            self.constants[key] = (array, name)      # the array is kept: ids stay unique
        return self.constants[key][1]

    def _per_sample(self, array):
        batch = self.builder.batch_source
        return (batch is not None and batch[1] > 1 and array.ndim >= 1
                and array.shape[0] == batch[1] and bool(np.all(array == array[:1])))


def _value_info(helper, name, tensor, dynamic_axes, batch_unknown):
    dims = list(tensor.shape)
    for axis, label in dynamic_axes.items():
        dims[axis] = label
    if batch_unknown and dims and 0 not in dynamic_axes:
        dims[0] = None
    return helper.make_tensor_value_info(name, onnx_type(tensor.dtype), dims)
