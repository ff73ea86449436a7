"""Symbolic tensors: the placeholders of Keras's functional API, and the graph they record.

``ndgrad.Input(shape=(784,))`` returns a :class:`SymbolicTensor`: a shape
(``None`` where a dimension is only known at run time, the batch always), a
dtype and a name, but no values. Calling a layer on symbolic tensors (any
Module: built-in layers, user layers, whole models) does not compute: it
builds the layer from the symbolic shape, records a :class:`Node` (the layer
and the arguments it was called with) and returns symbolic outputs. Operators
(``x + y``, ``x * 2``, ``x[:, 0]``), NumPy functions and any function routed
through :func:`symbolic_or_eager` (``keras.ops``) record nodes too. A
functional ``Model(inputs, outputs)`` then replays the recorded nodes on real
tensors.

Output shapes come from running the operation on small concrete tensors (see
:mod:`ndgrad.nn.symbolic_shapes`): right for every layer and every user layer
without per-layer shape rules, and without changing layer state.

Example:
    >>> import ndgrad
    >>> x = ndgrad.Input(shape=(784,), name="pixels")
    >>> x.shape, str(x.dtype)
    ((None, 784), 'float32')
    >>> hidden = ndgrad.layers.Dense(64, activation="relu")(x)
    >>> (hidden * 2 + 1)[:, :10].shape
    (None, 10)
"""

import itertools

from .. import ops
from ..dtypes import as_dtype
from . import nest

__all__ = ["SymbolicTensor", "Node", "has_symbolic", "symbolic_or_eager", "call_symbolically",
           "is_symbolic"]

_node_order = itertools.count()


class _Seen:
    """Whether any symbolic tensor was ever made: until then ``Module.__call__``
    skips looking through its arguments (a pure eager program pays one check)."""

    __slots__ = ("any",)

    def __init__(self):
        self.any = False


seen = _Seen()


class Node:
    """One recorded call: ``operation(*args, **kwargs)`` with symbolic tensors among
    the arguments, and the symbolic ``outputs`` it gave.

    ``order`` grows with every node created, so sorting nodes by it gives a
    topological order (a node is created after the nodes of its inputs).

    Example:
        >>> import ndgrad
        >>> x = ndgrad.Input(shape=(3,))
        >>> y = ndgrad.layers.Dense(2, name="proj")(x)
        >>> y.node.operation.name, y.node.input_tensors == [x]
        ('proj', True)
    """

    __slots__ = ("operation", "args", "kwargs", "outputs", "order")

    def __init__(self, operation, args=(), kwargs=None, outputs=None):
        self.operation = operation
        self.args = tuple(args)
        self.kwargs = dict(kwargs or {})
        self.outputs = outputs
        self.order = next(_node_order)

    @property
    def input_tensors(self):
        """The symbolic tensors among the arguments, in order."""
        return [leaf for leaf in nest.flatten([list(self.args), self.kwargs])
                if isinstance(leaf, SymbolicTensor)]

    @property
    def output_tensors(self):
        """The symbolic outputs, flattened."""
        return [leaf for leaf in nest.flatten(self.outputs) if isinstance(leaf, SymbolicTensor)]

    @property
    def is_input(self):
        """Whether this node is an ``Input`` (it has no arguments)."""
        return not self.args and not self.kwargs

    def __repr__(self):
        return f"<Node {self.operation.name} #{self.order}>"


def _shape_tuple(shape):
    if shape is None:
        raise TypeError("a symbolic tensor needs a shape (a tuple of ints and None)")
    result = []
    for dim in tuple(shape):
        if dim is None:
            result.append(None)
        elif isinstance(dim, bool) or int(dim) != dim or int(dim) < 0:
            raise ValueError(f"shape {tuple(shape)}: dimensions must be non-negative ints or "
                             "None")
        else:
            result.append(int(dim))
    return tuple(result)


def _binary(function_name, reflected=False):
    def operator(self, other):
        function = getattr(ops, function_name)
        if reflected:
            return symbolic_or_eager(function, other, self)
        return symbolic_or_eager(function, self, other)
    operator.__name__ = function_name
    return operator


def _unary(function_name):
    def operator(self):
        return symbolic_or_eager(getattr(ops, function_name), self)
    operator.__name__ = function_name
    return operator


class SymbolicTensor:
    """A placeholder with a shape, a dtype and a name, but no values (Keras's KerasTensor).

    Made by ``ndgrad.Input`` and by calling layers or ops on symbolic tensors;
    ``node`` is the call that made it and ``index`` its place among that
    call's outputs. It has no values: converting it to an array or a bool is
    an error that says what to do instead.

    Example:
        >>> import ndgrad
        >>> x = ndgrad.Input(shape=(None, 8), dtype="float32")
        >>> x.shape, x.ndim
        ((None, None, 8), 3)
        >>> ndgrad.layers.LSTM(4)(x).shape
        (None, 4)
    """

    __array_priority__ = 2000          # above Tensor's: NumPy defers to us
    __hash__ = object.__hash__          # identity, so tensors can key dicts and sets

    def __init__(self, shape, dtype="float32", name=None, node=None, index=0):
        seen.any = True
        self.shape = _shape_tuple(shape)
        self.dtype = as_dtype(dtype)
        self.name = name
        self.node = node
        self.index = index

    @property
    def ndim(self):
        """The number of dimensions."""
        return len(self.shape)

    @property
    def sparse(self):
        """Always False: ndgrad has no sparse tensors."""
        return False

    @property
    def _keras_history(self):
        """``(operation, node_index, tensor_index)``, as Keras names it."""
        operation = self.node.operation
        node_index = next((i for i, node in enumerate(operation._inbound_nodes)
                           if node is self.node), 0)
        return operation, node_index, self.index

    def __repr__(self):
        return (f"<SymbolicTensor shape={self.shape}, dtype={self.dtype}, "
                f"name={self.name}>")

    # ------------------------------------------------------------ no values
    def _no_values(self, what):
        return TypeError(
            f"{what}: a symbolic tensor (shape {self.shape}, from "
            f"{self.node.operation.name if self.node else 'Input'}) has no values; it only "
            "describes the graph of a functional model. Call layers, keras.ops or operators on "
            "it, wrap other code in a keras.layers.Lambda, or build the model and call it on "
            "arrays.")

    def __array__(self, dtype=None, copy=None):
        raise self._no_values("conversion to a NumPy array")

    def __bool__(self):
        raise self._no_values("bool()")

    def __len__(self):
        raise self._no_values("len()")

    def __iter__(self):
        raise self._no_values("iteration")

    def __float__(self):
        raise self._no_values("float()")

    def __int__(self):
        raise self._no_values("int()")

    def numpy(self):
        """Refused: a symbolic tensor has no values."""
        raise self._no_values("numpy()")

    # ------------------------------------------------------------ operators
    __add__, __radd__ = _binary("add"), _binary("add", True)
    __sub__, __rsub__ = _binary("subtract"), _binary("subtract", True)
    __mul__, __rmul__ = _binary("multiply"), _binary("multiply", True)
    __truediv__, __rtruediv__ = _binary("divide"), _binary("divide", True)
    __floordiv__, __rfloordiv__ = _binary("floor_divide"), _binary("floor_divide", True)
    __mod__, __rmod__ = _binary("mod"), _binary("mod", True)
    __pow__, __rpow__ = _binary("power"), _binary("power", True)
    __matmul__, __rmatmul__ = _binary("matmul"), _binary("matmul", True)
    __and__, __rand__ = _binary("bitwise_and"), _binary("bitwise_and", True)
    __or__, __ror__ = _binary("bitwise_or"), _binary("bitwise_or", True)
    __xor__, __rxor__ = _binary("bitwise_xor"), _binary("bitwise_xor", True)
    __lt__, __le__ = _binary("less"), _binary("less_equal")
    __gt__, __ge__ = _binary("greater"), _binary("greater_equal")
    __neg__, __abs__, __invert__ = _unary("negative"), _unary("abs"), _unary("invert")

    def __pos__(self):
        return self

    def __getitem__(self, index):
        return symbolic_or_eager(ops.getitem, self, index)

    def reshape(self, *shape):
        """``ops.reshape`` recorded in the graph (``x.reshape(-1, 4)`` or a tuple)."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return symbolic_or_eager(ops.reshape, self, shape)

    def astype(self, dtype):
        """``ops.astype`` recorded in the graph."""
        return symbolic_or_eager(ops.astype, self, str(as_dtype(dtype)))

    @property
    def T(self):
        """The transpose, recorded in the graph."""
        return symbolic_or_eager(ops.transpose, self)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if method != "__call__" or "out" in kwargs:
            raise self._no_values(f"numpy.{ufunc.__name__}.{method}")
        return symbolic_or_eager(ufunc, *inputs, **kwargs)

    def __array_function__(self, func, types, args, kwargs):
        return symbolic_or_eager(func, *args, **kwargs)


def is_symbolic(value):
    """Whether ``value`` is a symbolic tensor.

    Example:
        >>> from ndgrad.nn.symbolic import is_symbolic
        >>> import ndgrad
        >>> is_symbolic(ndgrad.Input((2,))), is_symbolic(ndgrad.ones(2))
        (True, False)
    """
    return isinstance(value, SymbolicTensor)


def _nested_has_symbolic(value):
    return any(isinstance(leaf, SymbolicTensor) for leaf in nest.flatten(value))


def has_symbolic(args, kwargs=None):
    """Whether any argument (lists, tuples and dicts looked into) is symbolic.

    Cheap on the common path: one type check per argument.

    Example:
        >>> from ndgrad.nn.module import has_symbolic
        >>> import ndgrad
        >>> has_symbolic(([ndgrad.ones(1), ndgrad.Input((1,))],)), has_symbolic((1, 2))
        (True, False)
    """
    if not seen.any:
        return False
    for value in args:
        if type(value) is SymbolicTensor or (type(value) in (list, tuple, dict)
                                             and _nested_has_symbolic(value)):
            return True
    if kwargs:
        for value in kwargs.values():
            if type(value) is SymbolicTensor or (type(value) in (list, tuple, dict)
                                                 and _nested_has_symbolic(value)):
                return True
    return False


def symbolic_or_eager(function, *args, **kwargs):
    """``function(*args, **kwargs)``, recorded as a graph node when an argument is symbolic.

    The contract for ``function``: called on ndgrad tensors where the symbolic
    tensors are (and the other arguments as given), it returns a tensor or a
    structure of tensors, with shapes that depend only on the input shapes.
    On concrete arguments it simply runs. A model holding such a node can be
    saved when ``function`` is a public function of ``ndgrad.ops``,
    ``ndgrad.keras.ops``, ``operator`` or a NumPy function ndgrad implements.

    Example:
        >>> from ndgrad.keras.ops import symbolic_or_eager
        >>> import ndgrad
        >>> symbolic_or_eager(ndgrad.ops.exp, ndgrad.zeros(2)).tolist()
        [1.0, 1.0]
        >>> symbolic_or_eager(ndgrad.ops.concatenate, [ndgrad.Input((2,)), ndgrad.Input((3,))],
        ...                   axis=-1).shape
        (None, 5)
    """
    if not has_symbolic(args, kwargs):
        return function(*args, **kwargs)
    from .function_layers import SymbolicOp
    return call_symbolically(SymbolicOp(function), args, kwargs)


def call_symbolically(operation, args, kwargs):
    """Record ``operation(*args, **kwargs)`` on symbolic arguments; return symbolic outputs.

    ``operation`` is a Module. It is built once from the symbolic input shape
    (``build((None, 784))``, as Keras), then its output shapes and dtypes are
    found by :func:`ndgrad.nn.symbolic_shapes.output_specs`. ``Module.__call__``
    calls this when an argument is symbolic.

    Example:
        >>> from ndgrad.nn.module import call_symbolically
        >>> import ndgrad
        >>> dense = ndgrad.layers.Dense(3)
        >>> out = call_symbolically(dense, (ndgrad.Input((5,)),), {})
        >>> out.shape, dense.kernel.shape, len(dense._inbound_nodes)
        ((None, 3), (5, 3), 1)
    """
    from .symbolic_shapes import OutputSpec, output_specs
    if not operation.built:
        operation._build_once(args)
    specs = output_specs(operation, args, kwargs)
    leaves = nest.flatten(specs)
    if not any(isinstance(leaf, OutputSpec) for leaf in leaves):
        return specs            # no tensors out (``ops.shape``): the values, None where unknown
    node = Node(operation, args, kwargs)
    outputs, position = [], 0
    for leaf in leaves:
        if isinstance(leaf, OutputSpec):
            outputs.append(SymbolicTensor(leaf.shape, leaf.dtype, name=operation.name,
                                          node=node, index=position))
            position += 1
        else:
            outputs.append(leaf)
    node.outputs = nest.pack_like(specs, outputs) if nest.is_nested(specs) else outputs[0]
    operation.__dict__.setdefault("_inbound_nodes", []).append(node)
    first = node.output_tensors[0] if node.output_tensors else None
    operation._output_shape = first.shape if first is not None else None
    return node.outputs
