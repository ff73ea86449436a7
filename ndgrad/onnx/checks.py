"""Refusals for values that would be baked into the graph by mistake.

A trace records what the ops did on the example input. Two ways the example's
own values could leak into the exported graph as constants, each refused
before anything is written:

1. The forward cut the graph on a value computed from the input (``.numpy()``,
   ``.item()``, ``detach()``, an integer cast): ndgrad records such breaks, and
   any break since the trace began that reaches an input is refused, except the
   non-differentiable ops the tracer records as nodes (comparisons, masks).
2. A layer computed a constant from the input's data out of sight of both the
   graph and the break records (Keras' ``sparsemax`` finds its support with
   NumPy). A second trace on other input values finds them: every constant an
   op reads must be the same in both traces, and the ops must be the same.

Example:
    >>> import numpy as np
    >>> from ndgrad.onnx.checks import other_values
    >>> other_values(np.ones((1, 2), np.float32)).tolist()
    [[1.75, 1.75]]
"""

import numpy as np

from ..autograd import breaks
from ..tensor import Tensor


def refuse_breaks(recorded, mark, traced, error):
    """Refuse a break since ``mark`` that cut a traced input out of the graph."""
    for tensor in recorded.inputs:
        if not tensor.requires_grad:
            continue
        cut = [b for b in breaks.breaks_since(mark, tensor) if not traced(b)]
        if cut:
            raise error(
                f"ndgrad.onnx.export: the forward turned a value computed from the input "
                f"into plain data ({cut[0].kind} at {cut[0].where}); the exported graph would "
                "hold this example's value as a constant. Compute it with ndgrad ops. "
                "Nothing was written")


def other_values(array, grow_batch=False):
    """Inputs of the same dtype and value range as ``array``, with other values (its
    elements shuffled; scaled when shuffling changes nothing); with ``grow_batch``,
    one sample more (the first one again, before the shuffle), so that the second
    trace also tells which dimensions follow the batch."""
    array = np.asarray(array)
    if grow_batch and array.ndim:
        array = np.concatenate([array, array[:1]])
    if array.dtype.kind not in "fiu":
        return array
    flat = array.reshape(-1)
    shuffled = flat[np.random.default_rng(20261207).permutation(flat.size)].reshape(array.shape)
    if np.array_equal(shuffled, array):
        shuffled = (array * 1.5 + 0.25).astype(array.dtype) if array.dtype.kind == "f" else array
    return shuffled


def refuse_hidden_constants(first, second, describe, error):
    """Compare two traces of one model on different inputs; refuse a data-dependent
    constant (or a data-dependent choice of ops). ``describe(node)`` names the op,
    its layer and its line."""
    names = [node.op.name for node in first.nodes]
    if names != [node.op.name for node in second.nodes]:
        raise error("ndgrad.onnx.export: the ops the forward runs depend on the input's values "
                    "(Python control flow on data); a traced graph would hold one branch only. "
                    "Nothing was written")
    for a, b in zip(first.nodes, second.nodes):
        for i, (va, vb) in enumerate(zip(a.inputs, b.inputs)):
            if first.producer(a, i) is not None or _is_named(first, va):
                continue
            if not _same(va, vb) and not (_is_input(first, va) and _is_input(second, vb)):
                _refuse(error, describe(a), f"input {i}")
        params_a, params_b = a.params or {}, b.params or {}
        for key, value in params_a.items():
            if key in _WORKSPACE or (key in _OWN_STATISTICS and params_a.get("batch_stats")):
                continue
            other = params_b.get(key)
            for part, other_part in _arrays_in(value, other):
                if not _same(part, other_part) and not (
                        _is_input(first, part) and _is_input(second, other_part)):
                    _refuse(error, describe(a), f"its parameter '{key}'")


# Op parameters that hold scratch space for the backward, never read by an export.
_WORKSPACE = frozenset(["workspace", "saved_columns", "needs"])
# batch_norm's statistics when it computes them from its input (the export does too).
_OWN_STATISTICS = frozenset(["mean", "invstd"])


def _refuse(error, described, what):
    raise error(
        f"ndgrad.onnx.export: {described} reads a value ({what}) computed from the input's "
        "data outside the graph, or drawn at random (randn_like, a sample): it changes from "
        "one trace to the next, yet no recorded op made it; the exported graph would hold "
        "this example's value. Nothing was written")


def _is_input(recorded, value):
    """``value`` holds exactly one of the traced inputs (integer indices made from it)."""
    data = getattr(value, "_data", value)
    if not isinstance(data, np.ndarray):
        return False
    return any(data is t._data or (data.shape == t._data.shape and data.dtype.kind in "iu"
                                   and t._data.dtype.kind in "iu"
                                   and np.array_equal(data, t._data)) for t in recorded.inputs)


def _is_named(recorded, value):
    return isinstance(value, Tensor) and (
        id(value) in recorded.parameters or any(value is t for t in recorded.inputs))


def _same(a, b):
    a = getattr(a, "_data", a)
    b = getattr(b, "_data", b)
    if a is None or b is None:
        return a is b
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype != b.dtype:
        return False
    if a.shape != b.shape:
        # A per-sample constant (the same row for every sample, made with the batch
        # size): the export expands its row to the run-time batch.
        return (a.ndim == b.ndim and a.ndim >= 1 and a.shape[1:] == b.shape[1:]
                and _uniform(a) and _uniform(b) and np.array_equal(a[:1], b[:1]))
    return bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))


def _arrays_in(value, other):
    """The pairs of arrays in two traces' values of one parameter (inside tuples too:
    an index such as ``(slice(None), positions)``)."""
    if isinstance(value, np.ndarray):
        return [(value, other)]
    if isinstance(value, (tuple, list)):
        if not isinstance(other, (tuple, list)) or len(other) != len(value):
            return [(np.asarray(0), np.asarray(1))]          # a different structure
        return [pair for v, o in zip(value, other) for pair in _arrays_in(v, o)]
    return []


def _uniform(array):
    return array.shape[0] > 0 and bool(np.all(array == array[:1]))


def batch_dimensions(first, second, error):
    """For each node of ``first``, which dimensions of its output changed with the
    batch in ``second`` (traced with one sample more)."""
    varying = {}
    for a, b in zip(first.nodes, second.nodes):
        shape_a, shape_b = first.shape_of[a], second.shape_of[b]
        if len(shape_a) != len(shape_b):
            raise error(f"ndgrad.onnx.export: the rank of the result of op '{a.op.name}' "
                        "changes with the batch size; it cannot have a dynamic batch")
        varying[a] = tuple(x != y for x, y in zip(shape_a, shape_b))
    return varying
