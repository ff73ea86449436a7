"""How an op records itself: ``@primitive`` forwards and their ``defvjp`` rules.

A primitive is a NumPy forward on plain arrays plus a rule for its
vector-Jacobian product, written right below it::

    @primitive(saves_output=True)
    def exp(x):
        return np.exp(x)

    @exp.defvjp
    def _exp_vjp(g, out, x):
        return g * out

The decorated function accepts tensors, arrays and numbers. Positional
arguments are the differentiable inputs; keyword arguments are static
parameters (``axis``, ``keepdims``), stored for the rule. A rule receives the
incoming gradient ``g``, the forward output ``out`` (only when the op
``saves_output``, else ``None``) and the inputs as given, plus the parameters,
and returns one gradient per input (``None`` for none) in the broadcast shape;
the engine sums each down to its input's shape. A rule that declares a keyword
``needs`` receives a tuple of booleans, one per input, and may skip the
gradients nobody needs. A rule attached with ``defvjp(arrays=True)`` is
written so that it also runs on NumPy arrays (operators and ``np.`` functions
only); the walk gives it arrays when the backward is not itself recorded.

``reads`` lists the inputs whose *values* the rule uses (default: all). Only
those are checked for in-place writes at backward, so ``y = x + 1`` followed by
``x += 1`` stays legal, as in PyTorch.

``view=True`` marks an op whose result may share its first input's memory
(slicing, ``reshape``, ``transpose``): when it does, the result shares the
input's version counter and knows its base (``ndgrad._tensor_storage``).

Example:
    >>> import numpy as np, ndgrad
    >>> from ndgrad.autograd.primitive import primitive
    >>> @primitive
    ... def cube(x):
    ...     return x ** 3
    >>> @cube.defvjp
    ... def _cube_vjp(g, out, x):
    ...     return g * 3 * x ** 2
    >>> w = ndgrad.Variable(2.0)
    >>> cube(w).backward(); w.grad.item()
    12.0
"""

import functools
import inspect

from .. import _tensor_storage as _storage
from .._backend import xp
from ..dtypes import as_array
from ..errors import DTypeError, ShapeError, SparseOperandError, describe_operand, shape_error
from ..tensor import Tensor
from . import breaks
from . import anomaly as _anomaly
from .graph import Node
from .mode import state

_ndarray = xp.ndarray
_generic = xp.generic
_wrap = Tensor._wrap

# Op -> its form for sparse operands, filled by ndgrad.sparse. A sparse tensor's
# array slot refuses every use, so a forward that meets one fails at once with a
# SparseOperandError; the op then runs its sparse form, or reports itself by name.
SPARSE_FALLBACKS = {}

# Callables told of every non-differentiable op's call: (name, args, params, result).
# Empty except while ndgrad.onnx traces a model (comparisons and masks become graph nodes).
NONDIFFERENTIABLE_WATCHERS = []


class Op:
    """What the engine needs to know about an op: name, rule, what it saves."""

    __slots__ = ("name", "vjp", "reads", "saves_output", "wants_needs", "array_rule",
                 "complex")

    def __init__(self, name, vjp=None, reads=None, saves_output=False):
        self.name = name
        self.reads = reads
        self.saves_output = saves_output
        # True once the rule is right for complex inputs and outputs (PyTorch's
        # convention, ndgrad.ops.complex); until then such a use is refused.
        self.complex = False
        self.defvjp(vjp if vjp is not None else _missing_rule(name))

    def defvjp(self, rule=None, *, arrays=False):
        """Attach the rule; a rule with a ``needs`` keyword is told which inputs
        need a gradient, so it can skip the costly ones (``x @ W`` with a constant x).

        ``arrays=True`` (as ``@op.defvjp(arrays=True)``) declares that the rule
        computes the same thing on NumPy arrays as on tensors: it uses only
        operators, methods and NumPy functions, which tensors dispatch to
        ndgrad's ops. Outside ``create_graph`` the walk then calls it on the
        arrays themselves (gradient, output and inputs), skipping the per-op
        cost of tensors; under ``create_graph`` it gets tensors, so its ops are
        recorded and higher-order gradients stay exact.
        """
        if rule is None:
            return functools.partial(self.defvjp, arrays=arrays)
        self.vjp = rule
        self.wants_needs = "needs" in inspect.signature(rule).parameters
        self.array_rule = arrays
        return rule

    def __repr__(self):
        return f"<Op {self.name}>"


def _missing_rule(name):
    def rule(g, out, *inputs, **params):
        raise NotImplementedError(f"'{name}' has no gradient rule")
    return rule


_PASS_THROUGH = frozenset([_ndarray, int, float, bool, type(None)])


def as_input(value):
    """Normalize one op argument: tensors pass, NumPy scalars become weak Python
    scalars (so ``t * np.float64(2)`` stays float32), lists become arrays."""
    if isinstance(value, Tensor) or type(value) in _PASS_THROUGH:
        return value
    if isinstance(value, _generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        from ..ops.nested import holds_tensor, stack_nested
        return stack_nested(value) if holds_tensor(value) else as_array(value)
    return value


def shape_of(value):
    """The shape of an op argument as a tuple, read straight off tensors and
    arrays (``np.shape`` on a Tensor goes through ``__array_function__``: 2 us).

    Example:
        >>> from ndgrad.autograd.primitive import shape_of
        >>> import ndgrad
        >>> shape_of(ndgrad.zeros((2, 3))), shape_of([1.0, 2.0]), shape_of(3.0)
        ((2, 3), (2,), ())
    """
    shape = getattr(value, "shape", None)
    return tuple(shape) if shape is not None else xp.shape(value)


def data_of(value):
    """The array (or scalar) behind an op argument."""
    return value._data if isinstance(value, Tensor) else value


def record(op, out, inputs, params=None):
    """Wrap ``out`` as the result of ``op`` on ``inputs``; add a node when recording.

    A node is made only when recording is on, the result is floating point and
    some input requires grad (a trainable leaf, a watched tensor or a result of
    such). Integer and boolean results never carry gradients. A complex result,
    or a complex input that requires grad, is recorded when the op's rule knows
    complex numbers (``op.complex``) and refused otherwise
    (:func:`refuse_complex_result`).
    """
    if type(out) is not _ndarray:
        out = xp.asarray(out)
    checking = state.checking
    if checking and state.anomaly:
        _anomaly.check_forward(op, out, inputs)
    if not state.enabled:
        if state.no_grad_site is not None:
            _note_no_grad(inputs)
        return _wrap(out)
    if out.dtype.kind != "f" and (out.dtype.kind != "c" or not op.complex):
        if out.dtype.kind == "c":
            refuse_complex_result(op.name, out.dtype, inputs)
        return _wrap(out)
    # One pass over the inputs gathers the edges, the versions the rule will
    # check, and which inputs need a gradient (no generator: this runs per op).
    edges = []
    versions = []
    needs = []
    for a in inputs:
        if isinstance(a, Tensor):
            vc = a._vc
            if vc is None:
                versions.append(0)
            else:
                if vc[3]:                   # a recorded write to a shared storage:
                    _storage.refresh(a)     # a view's node may predate it
                versions.append(vc[0])
            if a._rg:
                if a._data.dtype.kind == "c" and not op.complex:
                    refuse_complex_result(op.name, out.dtype, inputs)
                edges.append(a._node or a)
                needs.append(True)
                continue
        else:
            versions.append(0)
        edges.append(None)
        needs.append(False)
    if True not in needs:
        return _wrap(out)
    if op.wants_needs:
        if params is None:
            params = {"needs": tuple(needs)}
        else:
            params = params.copy()
            params["needs"] = tuple(needs)
    node = Node(op, inputs, tuple(edges), versions, params)
    result = _wrap(out, node)
    if op.saves_output:
        node.out_data = out
        result._vc = node.out_vc = [0, None, False, 0, None]
    if state.tapes:
        _note_access(inputs)
    if checking:
        node.where = breaks.user_site()
    return result


def refuse_complex_result(name, dtype, inputs):
    """Refuse a complex result of ``name`` (or a complex input of it) on inputs
    that require grad, when the op's rule does not know complex numbers yet.

    Such a result would carry no history (or a wrong one), and every gradient
    through it would be lost without a word. Results on inputs that need no
    gradient pass. The ops that differentiate complex numbers are listed in
    ``ndgrad.ops.complex``.

    Example:
        >>> import numpy as np, ndgrad
        >>> w = ndgrad.tensor([1.0, 2.0], requires_grad=True)
        >>> try:
        ...     np.maximum(w, ndgrad.tensor([1j, 2j]))
        ... except TypeError as error:
        ...     print(str(error).split(" (operands")[0])
        maximum: the result is complex64
        >>> (w * 1j).dtype                      # multiply knows complex numbers
        dtype('complex64')
    """
    if not any(isinstance(a, Tensor) and a._rg for a in inputs):
        return
    described = ", ".join(describe_operand(a) for a in inputs)
    raise DTypeError(
        f"{name}: the result is {xp.dtype(dtype)} (operands: {described}), and an operand "
        f"requires grad. ndgrad cannot differentiate complex numbers yet through "
        f"'{name}' (issue 13: ops learn complex gradients one by one; the list is "
        "ndgrad.ops.complex_numbers.COMPLEX_OPS), and a result without a gradient would drop it "
        "silently. Work with the real and imaginary parts as two real tensors "
        "(ndgrad.real, ndgrad.imag), or detach() the operand to cut the gradient on "
        f"purpose (at {breaks.describe_site()})")


def _note_no_grad(inputs):
    """Inside the user's ``no_grad`` block: remember which tensors that need a
    gradient were used, so ``explain`` can say where their gradient stopped."""
    for a in inputs:
        if isinstance(a, Tensor) and a._rg:
            breaks.note_no_grad_use(a, state.no_grad_site)


def _note_access(inputs):
    for a in inputs:
        if isinstance(a, Tensor) and a._node is None and a._trainable:
            for tape in state.tapes:
                tape._note_accessed(a)


def _op_error(name, args, exc):
    if isinstance(exc, TypeError):
        described = ", ".join(describe_operand(a) for a in args)
        return DTypeError(f"{name}: {exc}; operands: {described} (at {breaks.describe_site()})")
    return shape_error(name, args, str(exc))


def _sparse_form(op, args, params, exc):
    """Run ``op`` on sparse operands through its registered form, or name it."""
    form = SPARSE_FALLBACKS.get(op)
    if form is None:
        raise SparseOperandError(op.name, exc.description) from None
    return form(*args, **params)


def primitive(forward=None, *, name=None, saves_output=False, reads=None, view=False):
    """Make a differentiable op from a NumPy ``forward``; attach its rule with ``defvjp``.

    Args:
        forward: a function of arrays (positional) and parameters (keywords).
        name: the op's name in errors and reprs (default: the function's).
        saves_output: the rule reads the forward output (``out``).
        reads: indices of the inputs whose values the rule reads (default all).
        view: the result may be a view of the first input's memory (the op
            then must not save its output, and must read no input values).

    Example:
        >>> import ndgrad
        >>> from ndgrad.autograd.primitive import primitive
        >>> @primitive(reads=())
        ... def double(x):
        ...     return x * 2
        >>> @double.defvjp
        ... def _double_vjp(g, out, x):
        ...     return g * 2
        >>> double(ndgrad.tensor([1.0, 2.0])).tolist()
        [2.0, 4.0]
    """
    if forward is None:
        return functools.partial(primitive, name=name, saves_output=saves_output, reads=reads,
                                 view=view)
    op = Op(name or forward.__name__, reads=reads, saves_output=saves_output)

    @functools.wraps(forward)
    def op_function(*args, **params):
        arrays = []
        for a in args:
            if isinstance(a, Tensor):          # Parameters and Variables too
                arrays.append(a._data)
            elif type(a) is float or type(a) is int:
                arrays.append(a)
            else:
                args = tuple(map(as_input, args))
                arrays = [data_of(a) for a in args]
                break
        try:
            out = forward(*arrays, **params)
        except (ShapeError, DTypeError):
            raise
        except SparseOperandError as exc:
            return _sparse_form(op, args, params, exc)
        except (ValueError, IndexError, TypeError) as exc:
            raise _op_error(op.name, args, exc) from None
        return record(op, out, args, params or None)

    if view:
        op_function = _view_function(op, forward)
    op_function.op = op
    op_function.defvjp = op.defvjp
    return op_function


def _view_function(op, forward):
    """The op function of a view op (one tensor argument, parameters by keyword):
    its result, when NumPy gave a view, shares the input's memory and counter."""
    if op.saves_output or op.reads != ():
        raise ValueError(f"primitive '{op.name}': a view op must declare reads=() and not "
                         "save its output (its memory changes with the base's)")

    @functools.wraps(forward)
    def view_function(x, **params):
        if not isinstance(x, Tensor):
            x = as_input(x)         # a list holding tensors becomes one (stacked)
        if isinstance(x, Tensor):
            source = x
            data = x._data
        else:
            source = None
            data = x
        try:
            out = forward(data, **params)
        except (ShapeError, DTypeError):
            raise
        except SparseOperandError as exc:
            return _sparse_form(op, (x,), params, exc)
        except (ValueError, IndexError, TypeError) as exc:
            raise _op_error(op.name, (x,), exc) from None
        result = record(op, out, (x,), params or None)
        if source is not None:
            _storage.adopt_view(result, source, (op, forward, params))
        return result

    return view_function


_storage._record = record


def nondifferentiable(function, name=None, example=None):
    """Wrap a NumPy function whose result carries no gradient (comparisons,
    ``argmax``, ``isnan``): tensors in, tensors out, never a node.

    Under ``ndgrad.debug()`` a tensor that requires grad passing through is
    recorded as a gradient break, for ``ndgrad.explain``. ``example`` (the lines
    of a doctest, after ``>>> import ndgrad``) becomes the wrapper's example.

    Example:
        >>> from ndgrad.autograd.primitive import nondifferentiable
        >>> import numpy as np, ndgrad
        >>> less = nondifferentiable(np.less)
        >>> less(ndgrad.tensor([1.0, 3.0]), 2.0).tolist()
        [True, False]
    """
    label = name or function.__name__

    @functools.wraps(function)
    def op_function(*args, **params):
        args = tuple(map(as_input, args))
        if state.debug and state.enabled:
            for a in args:
                if isinstance(a, Tensor) and a._rg:
                    breaks.record_break(f"non-differentiable op '{label}'", a)
        try:
            out = function(*map(data_of, args), **params)
        except (ValueError, IndexError, TypeError) as exc:
            raise _op_error(label, args, exc) from None
        if isinstance(out, tuple):
            result = tuple(Tensor._wrap(xp.asarray(o)) for o in out)
        else:
            result = Tensor._wrap(xp.asarray(out))
        for watch in NONDIFFERENTIABLE_WATCHERS:    # the ONNX tracer's (ndgrad.onnx.tracing)
            watch(label, args, params, result)
        return result

    op_function.__name__ = label
    op_function.__qualname__ = label
    op_function.__module__ = "ndgrad"
    op_function.differentiable = False
    # functools.wraps copied NumPy's whole docstring (its examples call np.*): the
    # wrapper says what it is instead, and where NumPy documents the arguments.
    op_function.__doc__ = _nondifferentiable_doc(function, example)
    return op_function


def _nondifferentiable_doc(function, example):
    """The wrapper's own docstring: NumPy's summary line, what differs, an example."""
    paragraphs = [p.strip() for p in (function.__doc__ or "").split("\n\n") if p.strip()]
    if paragraphs and paragraphs[0].startswith(function.__name__ + "("):
        paragraphs = paragraphs[1:]                  # a ufunc's signature line
    summary = " ".join(paragraphs[0].split()) if paragraphs else ""
    module = getattr(function, "__module__", None) or "numpy"
    doc = (f"NumPy's ``{module}.{function.__name__}`` on tensors: {summary.rstrip('.')}.\n\n"
           f"    Takes NumPy's arguments and returns a tensor that carries no gradient (its\n"
           f"    values are integers or booleans, or piecewise constant).\n")
    if example:
        lines = "\n".join(f"        {line}" for line in (">>> import ndgrad",) + tuple(example))
        doc += f"\n    Example:\n{lines}\n"
    return doc
