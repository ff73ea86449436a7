"""One forward pass in inference mode, read back as a list of ndgrad's recorded ops.

The trace runs the model once on copies of the example inputs that require
grad (so every op that touches them is recorded as an autograd node), with
every parameter temporarily requiring grad (so frozen ones are recorded too,
under their own names), in ``eval()`` mode (Dropout off, BatchNorm with its
running statistics) and under ``ndgrad.debug()`` (so each node knows the
user's line). Forward hooks on every submodule tell which layer made each
node. Nothing about the model is left changed: its training flag and the
parameters' ``requires_grad`` are restored, and the graph is dropped.

What the trace gives the exporter: the nodes in a topological order (inputs
first), and for every value its producer (a node, a graph input, a parameter,
or a constant array), its shape and dtype.

Example:
    >>> import numpy as np, ndgrad
    >>> from ndgrad import nn
    >>> from ndgrad.onnx.tracing import trace
    >>> model = nn.Sequential(nn.Linear(3, 2), nn.ReLU())
    >>> recorded = trace(model, (np.ones((4, 3), np.float32),))
    >>> [node.op.name for node in recorded.nodes], recorded.layer_of[recorded.nodes[0]]
    (['linear', 'relu'], '0')
"""

from dataclasses import dataclass, field

import numpy as np

from ..autograd import primitive as _primitive
from ..autograd.graph import Node
from ..autograd.mode import debug, enable_grad
from ..autograd.primitive import Op
from ..tensor import Tensor


@dataclass
class Trace:
    """What one traced forward pass recorded (see the module's docstring)."""

    inputs: list                 # the traced input tensors (leaves), in order
    outputs: list                # the output tensors, in order
    nodes: list                  # recorded nodes, producers before consumers
    parameters: dict             # id(parameter tensor) -> its state_dict name
    buffers: dict                # id(buffer array) -> its state_dict name
    layer_of: dict = field(default_factory=dict)      # node -> module path ('' the model)
    shape_of: dict = field(default_factory=dict)      # node -> output shape
    dtype_of: dict = field(default_factory=dict)      # node -> output dtype
    made_by: dict = field(default_factory=dict)       # id(bool/int result) -> its node
    kept: list = field(default_factory=list)          # keeps those results (ids stay unique)
    varying: dict = field(default_factory=dict)       # node -> which output dims follow the batch

    def producer(self, node, i):
        """The node that made input ``i`` of ``node`` (None for a leaf or a constant):
        its autograd edge, or the node of a non-differentiable op (a comparison,
        a mask) whose result it is."""
        edge = node.edges[i]
        if type(edge) is Node:
            return edge
        value = node.inputs[i]
        made = self.made_by.get(id(value))
        if made is None and isinstance(value, Tensor):
            made = self.made_by.get(id(value._data))
        return made


def _as_traced_input(value, position):
    array = value._data if isinstance(value, Tensor) else np.asarray(value)
    if array.dtype.kind == "f":
        return Tensor(array.copy(), requires_grad=True)
    if array.dtype.kind in "iub":
        return Tensor(array.copy())
    raise TypeError(f"ndgrad.onnx.export: example input {position} has dtype {array.dtype}; "
                    "give floating point or integer arrays (one per model input)")


def _outputs_of(result):
    if isinstance(result, Tensor):
        return [result]
    if isinstance(result, (tuple, list)):
        found = []
        for item in result:
            found.extend(_outputs_of(item))
        return found
    raise TypeError(f"ndgrad.onnx.export: the model returned a {type(result).__name__}; "
                    "export needs a tensor or a tuple/list of tensors")


def trace(model, example_inputs):
    """Run ``model`` once on ``example_inputs`` in inference mode and return a :class:`Trace`.

    Example:
        >>> import numpy as np, ndgrad
        >>> from ndgrad import nn
        >>> from ndgrad.onnx.tracing import trace
        >>> recorded = trace(nn.Linear(2, 1), (np.ones((1, 2), np.float32),))
        >>> sorted(recorded.parameters.values())
        ['bias', 'weight']
    """
    inputs = [_as_traced_input(value, i) for i, value in enumerate(example_inputs)]
    parameters = list(model.named_parameters())
    frozen = [p for _, p in parameters if not p.requires_grad]
    was_training = model.training
    modules = list(model.named_modules())
    finished = []            # (module path, outputs, input nodes), innermost first
    recorded = Trace(inputs, [], [], {id(p): name for name, p in parameters},
                     {id(b._data): name for name, b in model.named_buffers()})
    handles = [module.register_forward_hook(_hook(name, finished, recorded))
               for name, module in modules]
    watcher = _watcher(recorded)
    _primitive.NONDIFFERENTIABLE_WATCHERS.append(watcher)
    try:
        for p in frozen:
            p.requires_grad_(True)
        model.eval()
        with enable_grad(), debug():
            outputs = _outputs_of(model(*inputs))
    finally:
        _primitive.NONDIFFERENTIABLE_WATCHERS.remove(watcher)
        for handle in handles:
            handle.remove()
        for p in frozen:
            p.requires_grad_(False)
        model.train(was_training)
    recorded.outputs = outputs
    _collect_nodes(recorded)
    _attribute_layers(recorded, finished)
    return recorded


def _hook(name, finished, recorded):
    def hook(module, args, output):
        try:
            outputs = _outputs_of(output)
        except TypeError:
            return
        # The nodes as they are now: an in-place op later in the forward rebinds a
        # tensor to a new node, which belongs to the caller, not to this module.
        made = [o._node or recorded.made_by.get(id(o)) for o in outputs]
        boundary = [a._node for a in args if isinstance(a, Tensor) and a._node is not None]
        finished.append((name, made, boundary))
    return hook


_OPS = {}


def _watcher(recorded):
    """Record each non-differentiable op (comparison, logic, argmax) as a node of
    its own, so masks computed from the input stay in the exported graph."""
    def watch(label, args, params, result):
        if isinstance(result, tuple):
            return
        op = _OPS.setdefault(label, Op(label))
        node = Node(op, tuple(args), tuple(None for _ in args), [0] * len(args), dict(params))
        node.edges = tuple(_edge_of(recorded, node, i, a) for i, a in enumerate(args))
        node.where = _user_site()
        recorded.made_by[id(result)] = node
        recorded.made_by[id(result._data)] = node
        recorded.kept.append(result)
        recorded.shape_of[node] = tuple(result.shape)
        recorded.dtype_of[node] = result.dtype
    return watch


def _edge_of(recorded, node, i, value):
    """What autograd would have recorded for argument ``i``: the producing node, the
    node of an earlier non-differentiable op, the leaf itself, or None."""
    if isinstance(value, Tensor) and value._node is not None:
        return value._node
    made = recorded.producer(node, i)
    if made is not None:
        return made
    return value if isinstance(value, Tensor) and value._rg else None


def _user_site():
    from ..autograd.breaks import user_site
    return user_site()


def _collect_nodes(recorded):
    """Post-order over the edges from the outputs: producers before consumers."""
    order, seen = [], set()
    for output in recorded.outputs:
        node = output._node or recorded.made_by.get(id(output))
        if node is None:
            continue
        recorded.shape_of.setdefault(node, tuple(output.shape))
        recorded.dtype_of.setdefault(node, output.dtype)
        stack = [(node, False)]
        while stack:
            current, expanded = stack.pop()
            if expanded:
                order.append(current)
                continue
            if current in seen:
                continue
            seen.add(current)
            stack.append((current, True))
            for i, value in enumerate(current.inputs):
                edge = recorded.producer(current, i)
                if edge is not None:
                    recorded.shape_of.setdefault(edge, tuple(value.shape))
                    recorded.dtype_of.setdefault(edge, value.dtype)
                    if edge not in seen:
                        stack.append((edge, False))
    recorded.nodes = order


def _attribute_layers(recorded, finished):
    """Give each node the innermost module whose forward made it: the hooks ran
    innermost first, so a walk back from a module's outputs that stops at nodes
    already given away finds exactly the nodes its own code made."""
    known = set(recorded.nodes)
    layer_of = recorded.layer_of
    for name, made, boundary in finished:
        stack = list(made)
        while stack:
            node = stack.pop()
            if (node is None or node in layer_of or node not in known
                    or any(node is b for b in boundary)):
                continue
            layer_of[node] = name
            stack.extend(recorded.producer(node, i) for i in range(len(node.inputs)))
    for node in recorded.nodes:
        layer_of.setdefault(node, "")
