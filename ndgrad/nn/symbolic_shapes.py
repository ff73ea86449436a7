"""Output shapes of an operation on symbolic inputs, found by running it on small tensors.

Keras traces a layer symbolically; ndgrad has one eager engine, so it finds the
output shapes and dtypes of ``layer(symbolic inputs)`` by running the layer
twice on concrete stand-ins:

1. every symbolic input becomes a tensor of its shape with each ``None``
   replaced by a size: the batch dimension by 2 in the first run and 3 in the
   second, every other unknown dimension by 13 and 29 (then by 3 and 7, then
   64 and 129, for layers that refuse the first sizes);
2. an output dimension that is the same in both runs is fixed, one that
   differs depends on an unknown input dimension and becomes ``None``; an
   output that is a plain int (a size, as ``keras.ops.shape`` returns) is
   treated the same way.

This is right for every layer without a shape rule per layer: user layers,
Lambda functions and whole models included. The runs change nothing: they
happen without a graph (``no_grad``), in inference mode (every sub-module's
``training`` flag is off and ``training=False`` is passed), NumPy warnings
are silenced, and the buffers (BatchNorm's running statistics) and
``ndgrad.random``'s state are put back as they were. Weights are not created
here: :func:`~ndgrad.nn.symbolic.call_symbolically` builds the layer first,
once, from the symbolic shape.

Example:
    >>> import ndgrad
    >>> from ndgrad.nn.symbolic_shapes import output_specs
    >>> layer = ndgrad.layers.Conv1D(4, 3)
    >>> spec = output_specs(layer, (ndgrad.Input(shape=(None, 2)),), {})
    >>> spec.shape, str(spec.dtype)
    ((None, None, 4), 'float32')
"""

import contextlib

import numpy as np

from .. import random
from ..autograd.mode import no_grad
from ..tensor import Tensor
from . import nest

__all__ = ["OutputSpec", "output_specs"]

# (first batch, second batch, first length, second length) for the unknown dimensions.
_TRIALS = ((2, 3, 13, 29), (2, 3, 3, 7), (2, 3, 64, 129))


class OutputSpec:
    """The shape (``None`` for unknown dimensions) and dtype of one symbolic output.

    Example:
        >>> from ndgrad.nn.symbolic_shapes import OutputSpec
        >>> OutputSpec((None, 3), "float32")
        OutputSpec(shape=(None, 3), dtype=float32)
    """

    __slots__ = ("shape", "dtype")

    def __init__(self, shape, dtype):
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)

    def __repr__(self):
        return f"OutputSpec(shape={self.shape}, dtype={self.dtype})"


def _stand_in(symbolic, batch, length):
    shape = tuple((batch if axis == 0 else length) if dim is None else dim
                  for axis, dim in enumerate(symbolic.shape))
    dtype = np.dtype(symbolic.dtype)
    # Ones for floats (safe under log and division), zeros for integers (a valid index).
    fill = np.ones if dtype.kind in "fc" else np.zeros
    return Tensor._wrap(fill(shape, dtype=dtype))


def _concrete(args, kwargs, batch, length):
    from .symbolic import SymbolicTensor

    def replace(leaf):
        return _stand_in(leaf, batch, length) if isinstance(leaf, SymbolicTensor) else leaf
    return (nest.map_structure(replace, list(args)), nest.map_structure(replace, dict(kwargs)))


@contextlib.contextmanager
def _unchanged(operation):
    """Inference mode for the runs; flags, buffers and the random state restored after."""
    modules = operation.modules()
    flags = [(module, module.training) for module in modules]
    buffers = [(buffer, np.array(buffer.numpy(), copy=True)) for buffer in operation.buffers()]
    random_state = random.get_state()
    try:
        for module in modules:
            module.training = False
        with no_grad(), np.errstate(all="ignore"):
            yield
    finally:
        for module, flag in flags:
            module.training = flag
        for buffer, saved in buffers:
            current = buffer.numpy()
            if current.shape == saved.shape and not np.array_equal(current, saved):
                current[...] = saved
        random.set_state(random_state)


def _run(operation, args, kwargs, batch, length):
    from .function_layers import SymbolicOp
    concrete_args, concrete_kwargs = _concrete(args, kwargs, batch, length)
    if not isinstance(operation, SymbolicOp):
        concrete_kwargs["training"] = False
    return operation(*concrete_args, **concrete_kwargs)


def _is_array(value):
    return isinstance(value, (Tensor, np.ndarray))


def _merge(operation, first, second):
    """Specs from two runs: dimensions that differ between them are unknown (None)."""
    first_leaves, second_leaves = nest.flatten(first), nest.flatten(second)
    if len(first_leaves) != len(second_leaves):
        raise ValueError(f"{operation.name}: returns a different number of outputs for "
                         "different input sizes; a layer in a functional model must return "
                         "the same structure every time")
    specs = []
    for a, b in zip(first_leaves, second_leaves):
        if _is_array(a) and _is_array(b):
            if a.ndim != b.ndim:
                raise ValueError(f"{operation.name}: its output rank depends on the input "
                                 f"sizes ({a.shape} vs {b.shape}); a functional model needs "
                                 "outputs whose rank is fixed")
            specs.append(OutputSpec(tuple(x if x == y else None
                                          for x, y in zip(a.shape, b.shape)), a.dtype))
        elif _is_array(a) or _is_array(b):
            raise ValueError(f"{operation.name}: returns a tensor for some input sizes and a "
                             f"{type(b if _is_array(a) else a).__name__} for others")
        elif _same_constant(a, b):
            specs.append(a)
        elif _is_size(a) and _is_size(b):
            specs.append(None)          # a size that follows an unknown dimension (ops.shape)
        else:
            raise ValueError(f"{operation.name}: returns {type(a).__name__} values that depend "
                             "on the input sizes; on symbolic inputs a layer must return "
                             "tensors, sizes or fixed constants")
    return nest.pack_like(first, specs) if nest.is_nested(first) else specs[0]


def _is_size(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _same_constant(a, b):
    try:
        return bool(a == b)
    except Exception:
        return a is b


def _shapes_text(args, kwargs):
    from .symbolic import SymbolicTensor
    shapes = [leaf.shape for leaf in nest.flatten([list(args), kwargs])
              if isinstance(leaf, SymbolicTensor)]
    return ", ".join(str(shape) for shape in shapes)


def output_specs(operation, args, kwargs):
    """The outputs of ``operation(*args, **kwargs)`` as :class:`OutputSpec` leaves.

    Args:
        operation: a built Module.
        args, kwargs: the call's arguments, symbolic tensors among them.

    Returns:
        The structure the operation returns, with an OutputSpec for each tensor
        and constants (such as None) kept.

    Raises:
        The operation's own error when it fails on every trial size, with a
        note naming the symbolic input shapes.

    Example:
        >>> import ndgrad
        >>> from ndgrad.nn.symbolic_shapes import output_specs
        >>> output_specs(ndgrad.layers.Reshape((4, 4)), (ndgrad.Input((16,)),), {}).shape
        (None, 4, 4)
    """
    first_error = None
    for first_batch, second_batch, first_length, second_length in _TRIALS:
        try:
            with _unchanged(operation):
                first = _run(operation, args, kwargs, first_batch, first_length)
                second = _run(operation, args, kwargs, second_batch, second_length)
        except Exception as error:          # noqa: BLE001  (re-raised below if no trial works)
            first_error = first_error or error
            continue
        return _merge(operation, first, second)
    first_error.add_note(f"(raised by {operation.name} ({type(operation).__name__}) called on "
                         f"symbolic inputs of shapes {_shapes_text(args, kwargs)} while a "
                         "functional model was being built)")
    raise first_error
