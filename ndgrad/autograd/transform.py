"""One call of a function transformation (``grad``, ``vjp``, ``jacobian``...):
the arguments made differentiable, whether the result must be recorded, and
the warning when an argument gets no gradient.

The backward of a transformation is recorded (``create_graph``) whenever its
result can still be differentiated: recording is on at the call and the
function's result reaches a tensor that requires grad other than the
arguments this call made differentiable. That covers every way an outer
differentiation can see the result: an argument that already requires grad
(``grad(f)(w)``, or an outer ``grad``/``jacobian`` passing its own argument
in), a tensor the function closes over (``lambda y: x * y``), and a variable
or tensor watched by a live ``GradientTape``. A result that reaches only this
call's arguments is a constant to everyone else and is computed without a
graph.

An argument that gets no gradient gets zeros; the call warns (a
``RuntimeWarning`` at the user's line, as ``GradientTape.gradient`` does) when
a cut recorded during the call reaches it (``detach()``, ``float()``,
``.item()``, ``ndgrad.tensor(t)``, conversion to NumPy, an integer cast, a
``no_grad`` block), or when no argument got a gradient at all.

Example:
    >>> import ndgrad
    >>> x = ndgrad.Variable(3.0)
    >>> g = ndgrad.grad(lambda y: x * y)(2.0)       # reaches x: recorded
    >>> g.requires_grad, g.item()
    (True, 3.0)
"""

import warnings

from ..dtypes import as_array
from ..tensor import Tensor
from . import breaks
from .mode import enable_grad, state


def check_argnums(where, argnums, count):
    """``(numbers, single)`` for ``argnums`` of a call with ``count`` positional
    arguments; a clear error for a wrong type or an out-of-range number.

    Example:
        >>> from ndgrad.autograd.transform import check_argnums
        >>> check_argnums("grad", (0, -1), 3)
        ((0, 2), False)
    """
    single = isinstance(argnums, int) and not isinstance(argnums, bool)
    numbers = (argnums,) if single else argnums
    if not isinstance(numbers, (tuple, list)) or not numbers or not all(
            isinstance(i, int) and not isinstance(i, bool) for i in numbers):
        raise TypeError(f"{where}: argnums must be an int or a non-empty tuple of ints, got "
                        f"{argnums!r}")
    for i in numbers:
        if not -count <= i < count:
            raise ValueError(f"{where}: argnums={argnums!r} names argument {i}, but the "
                             f"function was called with {count} positional argument(s); "
                             "pass the argument or choose argnums within range")
    return tuple(i % count for i in numbers), single


class TransformCall:
    """The arguments of one call, the differentiated ones made tensors that
    require grad: an argument that already requires grad (with recording on)
    stays itself, connected to its graph; any other becomes a new leaf,
    differentiable for this call only and never trainable.

    Example:
        >>> from ndgrad.autograd.functional import TransformCall
        >>> call = TransformCall("grad", (2.0, 5.0), 1)
        >>> call.sources[0].item(), call.args[0]
        (5.0, 2.0)
        >>> call.close()
    """

    def __init__(self, where, args, argnums):
        self.where = where
        self.recording = state.enabled
        self.args = list(args)
        self.numbers, self.single = check_argnums(where, argnums, len(self.args))
        self.mark = breaks.break_count()
        self._own = {}                       # id -> leaf made by this call
        for i in self.numbers:
            value = self.args[i]
            if isinstance(value, Tensor) and value._rg and self.recording:
                continue
            if id(value) in self._own:       # the same argument twice in argnums
                continue
            data = value._data if isinstance(value, Tensor) else as_array(value)
            if data.dtype.kind != "f":
                raise TypeError(f"{where}: argument {i} has dtype {data.dtype}; only floating "
                                "arguments can be differentiated")
            leaf = Tensor._wrap(data)
            leaf._watch = 1
            leaf._rg = True
            self._own[id(leaf)] = leaf
            self.args[i] = leaf
        self.sources = [self.args[i] for i in self.numbers]

    def run(self, function, **kwargs):
        """Call ``function`` on the prepared arguments, recording."""
        state.transforms += 1
        try:
            with enable_grad():
                return function(*self.args, **kwargs)
        finally:
            state.transforms -= 1

    def records(self, result):
        """True when the backward of ``result`` must be recorded: recording was
        on at the call and ``result`` reaches a leaf that still requires grad,
        other than this call's own leaves (or a graph an earlier backward freed)."""
        if not self.recording or not isinstance(result, Tensor) or not result._rg:
            return False
        from .graph import Node
        own = self._own
        root = result._node
        if root is None:
            return id(result) not in own
        seen, stack = {root}, [root]
        while stack:
            node = stack.pop()
            if node.released:
                return True
            for edge in node.edges:
                if edge is None:
                    continue
                if type(edge) is Node:
                    if edge not in seen:
                        seen.add(edge)
                        stack.append(edge)
                elif edge._rg and id(edge) not in own:
                    return True     # not an ended call's leaf, nor one unwatched since
        return False

    def close(self):
        """End the call: this call's leaves stop requiring grad (a graph that
        holds them still runs; nothing outside can differentiate by them)."""
        for leaf in self._own.values():
            leaf._watch = 0
            leaf._rg = False

    def warn_missing(self, missing, result, always=False):
        """Warn for the arguments (by position in ``sources``) that got no
        gradient: when a cut recorded during the call reaches one, or when
        none got a gradient (``always`` warns for any)."""
        if not missing:
            return
        reasons = {k: self._reason(k) for k in missing}
        cut = any(where is not None for _, where in reasons.values())
        if not (cut or always or len(missing) == len(self.sources)):
            return
        lines = []
        for k, (reason, where) in reasons.items():
            lines.append(f"argument {self.numbers[k]}: {reason}"
                         + (f" (at {where})" if where else ""))
        header = (f"{self.where}: argument(s) {', '.join(str(self.numbers[k]) for k in missing)} "
                  "got no gradient, zeros returned")
        if isinstance(result, Tensor) and not result._rg:
            header += " (the function's result does not depend on any argument: it was cut "\
                      "from them, or computed from constants only)"
        warn_at_user_line(header + ":\n  - " + "\n  - ".join(lines), RuntimeWarning)

    def _reason(self, k):
        source = self.sources[k]
        cuts = breaks.breaks_since(self.mark, source)
        if cuts:
            return f"the path to the result was cut: {cuts[0].kind}", cuts[0].where
        if id(source) in self._own:
            site = breaks.no_grad_use(source)
            if site is not None:
                return "used only inside a no_grad block, where nothing is recorded", site
        return ("the result does not use it through recorded ops (a cut ndgrad does not "
                "record, such as .data or .tolist(), would look the same)", None)


def warn_at_user_line(message, category):
    """Warn as ``warnings.warn`` does, attributed to the user's line (the
    innermost frame outside ndgrad), once per line under the default filter.

    Example:
        >>> from ndgrad.autograd.transform import warn_at_user_line
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     warn_at_user_line("look", RuntimeWarning)
        >>> str(caught[0].message)
        'look'
    """
    frame = breaks.user_frame()
    module_globals = frame.f_globals
    registry = module_globals.setdefault("__warningregistry__", {})
    warnings.warn_explicit(message, category, frame.f_code.co_filename, frame.f_lineno,
                           # code run by exec() with bare globals has no __name__, and
                           # warn_explicit drops a warning whose module it cannot name
                           module=module_globals.get("__name__") or frame.f_code.co_filename,
                           registry=registry,
                           module_globals=module_globals)
