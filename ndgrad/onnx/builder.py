"""The ONNX graph under construction, and the view of one recorded op that a mapping gets.

:class:`GraphBuilder` hands out unique value names, adds nodes and
initializers (constants are deduplicated by content, integer vectors such as
shapes and axes by value). :class:`OpCall` is what a mapping function in
``ndgrad.onnx.mappings_*`` receives for one recorded op: the ONNX names of its
inputs (``call.input(i)``), their shapes and dtypes, the op's keyword
parameters (``call.params``), its output shape and dtype, and ``call.emit``
to add ONNX nodes.

Example:
    >>> import numpy as np
    >>> from ndgrad.onnx.builder import GraphBuilder
    >>> builder = GraphBuilder(opset=17, dynamic_batch=False)
    >>> builder.ints([0, -1])
    'ints_0'
    >>> builder.emit("Reshape", ["x", "ints_0"], base="flat")
    'flat_0'
"""

import numpy as np

from ._onnx_modules import helper, numpy_helper


class GraphBuilder:
    """Nodes and initializers of the graph being built, with unique names."""

    def __init__(self, opset, dynamic_batch):
        self.opset = opset
        self.dynamic_batch = dynamic_batch
        self.nodes = []
        self.initializers = []
        self._taken = set()
        self._counts = {}
        self._ints = {}
        self.batch_source = None        # (graph input name, its traced batch size)
        self._batch = None

    def fresh(self, base):
        """A value name not used yet, from ``base`` (``base_0``, ``base_1``, ...)."""
        base = base.replace("/", ".") or "value"
        while True:
            count = self._counts.get(base, 0)
            self._counts[base] = count + 1
            name = f"{base}_{count}"
            if name not in self._taken:
                self._taken.add(name)
                return name

    def reserve(self, name):
        """Claim ``name`` exactly (graph inputs, outputs, parameter names)."""
        if name in self._taken:
            raise ValueError(f"ndgrad.onnx.export: the name {name!r} is used twice in the "
                             "graph (input_names/output_names must be unique and differ "
                             "from the model's parameter names)")
        self._taken.add(name)
        return name

    def emit(self, op_type, inputs, base=None, outputs=1, **attributes):
        """Add one ONNX node; returns its output name (a list when ``outputs`` > 1,
        or when ``outputs`` is a list of names to use)."""
        if isinstance(outputs, int):
            names = [self.fresh(base or op_type.lower()) for _ in range(outputs)]
        else:
            names = list(outputs)
        attributes = {k: v for k, v in attributes.items() if v is not None}
        self.nodes.append(helper.make_node(op_type, list(inputs), names,
                                           name=self.fresh("node." + op_type), **attributes))
        return names[0] if isinstance(outputs, int) and outputs == 1 else names

    def initializer(self, array, name):
        """Add ``array`` as an initializer called ``name`` (claimed exactly)."""
        self.reserve(name)
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def constant(self, array, base="const"):
        """A constant initializer holding ``array`` (a fresh name)."""
        array = np.asarray(array)
        name = self.fresh(base)
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def ints(self, values):
        """An int64 vector initializer (shapes, axes, pads), shared by equal vectors."""
        key = tuple(int(v) for v in values)
        if key not in self._ints:
            self._ints[key] = self.constant(np.array(key, dtype=np.int64), "ints")
        return self._ints[key]

    def batch_size(self):
        """A one-element int64 tensor holding the run-time batch size (axis 0 of the
        first input with a dynamic batch), computed once in the graph."""
        if self._batch is None:
            shape = self.emit("Shape", [self.batch_source[0]], base="input_shape")
            self._batch = self.emit("Slice", [shape, self.ints([0]), self.ints([1])],
                                    base="batch_size")
        return self._batch

    def cast(self, name, dtype):
        """``name`` cast to the NumPy ``dtype`` (a Cast node)."""
        return self.emit("Cast", [name], base="cast", to=onnx_type(dtype))


def onnx_type(dtype):
    """The ONNX element type of a NumPy dtype.

    Example:
        >>> import numpy as np
        >>> from ndgrad.onnx.builder import onnx_type
        >>> onnx_type(np.float32)
        1
    """
    return helper.np_dtype_to_tensor_dtype(np.dtype(dtype))


class OpCall:
    """One recorded op as a mapping sees it (see the module's docstring)."""

    def __init__(self, builder, node, resolve, shape, dtype, layer):
        self.builder = builder
        self.node = node
        self.name = node.op.name
        self.params = {k: v for k, v in (node.params or {}).items() if k != "needs"}
        self._resolve = resolve
        self.out_shape = tuple(shape)
        self.out_dtype = np.dtype(dtype)
        self.layer = layer
        # Set by the exporter, which knows the whole trace:
        self.array = None           # (array, dtype=None) -> ONNX name (graph input or constant)
        self.constant_of = None     # i -> input i's array when it is a plain constant, else None
        self.out_varying = (False,) * len(self.out_shape)   # output dims that follow the batch
        self.in_varying = None      # i -> the same for input i

    @property
    def count(self):
        """How many inputs the op was given."""
        return len(self.node.inputs)

    def raw(self, i):
        """The op's ``i``-th input as given (a tensor, an array, a number or None)."""
        return self.node.inputs[i]

    def is_none(self, i):
        return i >= len(self.node.inputs) or self.node.inputs[i] is None

    def input(self, i, dtype=None):
        """The ONNX name of input ``i``; a Python number becomes a constant of the
        output's dtype; with ``dtype``, cast to it when it differs."""
        value = self.node.inputs[i]
        if isinstance(value, (bool, int, float)) and not isinstance(value, np.ndarray):
            target = dtype or (self.out_dtype if self.out_dtype.kind == "f" else None)
            return self.builder.constant(np.asarray(value, dtype=target), "scalar")
        name = self._resolve(self.node, i, dtype)
        if dtype is not None and np.dtype(dtype) != self.in_dtype(i):
            return self.builder.cast(name, dtype)
        return name

    def in_shape(self, i):
        value = self.node.inputs[i]
        return tuple(np.shape(getattr(value, "_data", value)))

    def in_dtype(self, i):
        value = self.node.inputs[i]
        data = getattr(value, "_data", value)
        return np.asarray(data).dtype if not hasattr(data, "dtype") else np.dtype(data.dtype)

    def emit(self, op_type, inputs, base=None, **attributes):
        return self.builder.emit(op_type, inputs, base=base or self.name, **attributes)

    def ints(self, values):
        return self.builder.ints(values)

    def constant(self, array, base=None):
        return self.builder.constant(array, base or f"{self.name}.const")

    def shape_for(self, target, source_shape):
        """A Reshape target that keeps working when the batch (axis 0) changes:
        the leading dimensions equal to the source's are copied (``0``); when
        none is, the first dimension is inferred (``-1``).

        A model whose axis 0 is not the batch (sequence-first attention) moves
        the batch elsewhere and back; copying every matching leading dimension
        keeps both the batch and the sequence free."""
        target = [int(d) for d in target]
        if not self.builder.dynamic_batch or not target or not source_shape:
            return target
        copied = 0
        for t, s in zip(target, source_shape):
            if t != s:
                break
            copied += 1
        if copied:
            return [0] * copied + target[copied:]
        if -1 not in target:
            target[0] = -1
        return target

    def refuse(self, why):
        """Raise the refusal of this op with the reason (the exporter adds where)."""
        raise UnmappableOp(why)


class UnmappableOp(Exception):
    """Raised by a mapping for a use of its op that ONNX export does not cover yet."""
