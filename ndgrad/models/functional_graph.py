"""The graph of a functional model: the recorded layer calls between its inputs and
outputs, in an order that can be replayed, and the replay itself.

Construction walks back from the outputs through the nodes that made them
until it reaches the inputs; every symbolic tensor on the way must come from
the inputs (an ``Input`` that is not among them is an error naming it). Nodes
are numbered as they are created, and a node is always created after the
nodes of its inputs, so sorting by that number is a topological order; the
operations (layers, nested models, recorded operators) follow it, with the
model's ``InputLayer`` s first. Running the model replays the nodes on
tensors, each layer called with the same arguments as when it was recorded.

Example:
    >>> import ndgrad
    >>> from ndgrad.models.functional_graph import FunctionalGraph
    >>> x = ndgrad.Input((2,), name="x")
    >>> graph = FunctionalGraph(x, ndgrad.layers.Dense(3, name="d")(x) * 2, "demo")
    >>> [type(op).__name__ for op in graph.operations], [layer.name for layer in graph.layers]
    (['InputLayer', 'Dense', 'SymbolicOp'], ['x', 'd'])
    >>> graph.run(ndgrad.ones((4, 2)), "demo").shape
    (4, 3)
"""

import numpy as np

from ..nn import nest
from ..nn.function_layers import SymbolicOp
from ..nn.symbolic import SymbolicTensor
from ..tensor import Tensor

__all__ = ["FunctionalGraph"]


def _check_symbolic(structure, what, model_name):
    leaves = nest.flatten(structure)
    if not leaves:
        raise ValueError(f"functional model '{model_name}': {what} is empty")
    for leaf in leaves:
        if not isinstance(leaf, SymbolicTensor):
            raise TypeError(
                f"functional model '{model_name}': every one of its {what} must be a symbolic "
                f"tensor (made by keras.Input or by calling a layer on one); got a "
                f"{type(leaf).__name__}. Build the model from keras.Input(shape=...)")
    return leaves


class FunctionalGraph:
    """The nodes between ``inputs`` and ``outputs`` (structures of symbolic tensors).

    Attributes:
        inputs, outputs: the structures as given.
        flat_inputs, flat_outputs: their tensors, flattened.
        nodes: the recorded calls to replay, in topological order.
        operations: every operation once: the input layers, then layers, nested
            models and recorded operators in the order of their first node.
        layers: ``operations`` without the recorded operators.
    """

    def __init__(self, inputs, outputs, model_name):
        if isinstance(inputs, tuple):
            inputs = list(inputs)
        if isinstance(outputs, tuple):
            outputs = list(outputs)
        self.inputs, self.outputs = inputs, outputs
        self.flat_inputs = _check_symbolic(inputs, "inputs", model_name)
        self.flat_outputs = _check_symbolic(outputs, "outputs", model_name)
        if len({id(t) for t in self.flat_inputs}) != len(self.flat_inputs):
            raise ValueError(f"functional model '{model_name}': the same input tensor is "
                             "given twice in inputs")
        self.nodes = self._collect_nodes(model_name)
        input_layers = [t.node.operation for t in self.flat_inputs
                        if t.node is not None and t.node.is_input]
        operations, seen = [], set()
        for operation in input_layers + [node.operation for node in self.nodes]:
            if id(operation) not in seen:
                seen.add(id(operation))
                operations.append(operation)
        self.operations = operations
        self.layers = [op for op in operations if not isinstance(op, SymbolicOp)]
        names = [op.name for op in operations]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"functional model '{model_name}': layer names must be unique "
                             f"within a model; {duplicates} are used by more than one layer. "
                             "Pass name= to the layers to tell them apart")

    def _collect_nodes(self, model_name):
        input_ids = {id(t) for t in self.flat_inputs}
        nodes, stack = {}, list(self.flat_outputs)
        while stack:
            tensor = stack.pop()
            if id(tensor) in input_ids:
                continue
            node = tensor.node
            if node is None or node.is_input:
                source = node.operation.name if node is not None else "an unknown source"
                raise ValueError(
                    f"functional model '{model_name}': the outputs depend on the input "
                    f"'{source}' (shape {tensor.shape}), which is not among the model's inputs "
                    f"{[t.name for t in self.flat_inputs]}; add it to inputs=")
            if id(node) not in nodes:
                nodes[id(node)] = node
                stack.extend(node.input_tensors)
        return sorted(nodes.values(), key=lambda node: node.order)

    def nodes_of(self, operation):
        """The calls of ``operation`` in this graph, in order (an InputLayer's one node)."""
        found = [node for node in self.nodes if node.operation is operation]
        if not found:
            found = [t.node for t in self.flat_inputs
                     if t.node is not None and t.node.operation is operation]
        return found

    # ------------------------------------------------------------ running
    def _match_inputs(self, values, model_name):
        """The given inputs as a flat list in the order of ``flat_inputs``."""
        names = [t.name for t in self.flat_inputs]
        if isinstance(values, dict) and not isinstance(self.inputs, dict):
            missing = [name for name in names if name not in values]
            if missing:
                raise ValueError(f"model '{model_name}': inputs given as a dict need the keys "
                                 f"{names} (the Input names); missing {missing}")
            return [values[name] for name in names]
        if isinstance(self.inputs, dict):
            if isinstance(values, dict):
                missing = [key for key in self.inputs if key not in values]
                if missing:
                    raise ValueError(f"model '{model_name}': missing inputs {missing}; it "
                                     f"takes a dict with the keys {list(self.inputs)}")
                return nest.flatten({key: values[key] for key in self.inputs})
            values = list(values) if isinstance(values, (list, tuple)) else [values]
        elif not isinstance(self.inputs, list):
            if isinstance(values, (list, tuple)) and len(values) == 1:
                values = values[0]
            return [values]
        flat = list(values) if isinstance(values, (list, tuple)) else [values]
        if len(flat) != len(self.flat_inputs):
            raise ValueError(f"model '{model_name}': expects {len(self.flat_inputs)} inputs "
                             f"({names}); got {len(flat)}")
        return flat

    @staticmethod
    def _prepare(value, symbolic, model_name):
        """``value`` as a tensor of the Input's dtype, its shape checked."""
        if isinstance(value, Tensor):
            tensor = value if value.dtype == symbolic.dtype else value.astype(symbolic.dtype)
        else:
            tensor = Tensor._wrap(np.asarray(value, dtype=symbolic.dtype))
        shape = tensor.shape
        expected = symbolic.shape
        if len(shape) != len(expected) or any(e is not None and e != s
                                              for e, s in zip(expected, shape)):
            raise ValueError(f"model '{model_name}': input '{symbolic.name}' expects shape "
                             f"{expected} (None: any size); got {tuple(shape)}")
        return tensor

    def run(self, inputs, model_name):
        """Replay the graph on ``inputs`` (arrays or tensors, in the structure of
        ``inputs`` or a dict keyed by the Input names); returns the outputs' structure."""
        values = {}
        for symbolic, value in zip(self.flat_inputs, self._match_inputs(inputs, model_name)):
            values[id(symbolic)] = self._prepare(value, symbolic, model_name)

        def concrete(leaf):
            return values[id(leaf)] if isinstance(leaf, SymbolicTensor) else leaf

        for node in self.nodes:
            args = nest.map_structure(concrete, list(node.args))
            kwargs = nest.map_structure(concrete, node.kwargs)
            result = node.operation(*args, **kwargs)
            recorded = nest.flatten(node.outputs)
            produced = nest.flatten(result)
            if len(recorded) != len(produced):
                raise ValueError(f"model '{model_name}': layer '{node.operation.name}' returned "
                                 f"{len(produced)} outputs, but {len(recorded)} when the model "
                                 "was built")
            for symbolic, value in zip(recorded, produced):
                if isinstance(symbolic, SymbolicTensor):
                    values[id(symbolic)] = value
        return nest.pack_like(self.outputs, [values[id(t)] for t in self.flat_outputs])
