"""Gradient recording mode: ``no_grad``, ``enable_grad``, ``set_grad_enabled``.

The mode is thread-local: turning recording off in one thread does not change
another. Each is a context manager and a decorator.

Example:
    >>> import ndgrad
    >>> w = ndgrad.Variable([1.0, 2.0])
    >>> with ndgrad.no_grad():
    ...     y = w * 2
    >>> y.requires_grad
    False
"""

import functools
import threading

from . import breaks


class _State(threading.local):
    def __init__(self):
        self.enabled = True
        self.tapes = []          # active GradientTapes, innermost last
        self.debug = False       # gather expensive diagnostics (file/line per op)
        self.anomaly = False     # check every result and gradient for NaN and Inf
        self.checking = False    # debug or anomaly: the one flag the per-op path reads
        self.no_grad_site = None  # (file, line) of the user's no_grad block in force
        self.in_backward = False  # the backward walk is running gradient rules
        self.transforms = 0       # ndgrad.grad & co. running the user's function (nesting depth)
        self.holding = []         # per running backward: gradients of hooked leaves (hooks.py)
        self.walks = []           # per running backward: post hooks and callbacks (post_accumulate.py)


def refresh_checking():
    """Recompute ``state.checking`` after ``debug`` or ``anomaly`` changed."""
    state.checking = state.debug or state.anomaly


class internal_mode:
    """Switch recording for the backward walk: unlike
    ``no_grad``, it does not mark the block as the user's, so ops inside are not
    reported as uses of variables under ``no_grad``."""

    __slots__ = ("_enabled", "_saved")

    def __init__(self, enabled):
        self._enabled = enabled

    def __enter__(self):
        self._saved = (state.enabled, state.no_grad_site, state.in_backward)
        state.enabled = self._enabled
        state.no_grad_site = None
        state.in_backward = True
        return self

    def __exit__(self, *exc):
        state.enabled, state.no_grad_site, state.in_backward = self._saved
        return False


def _switch(enabled):
    """Set recording; remember where the user turned it off, for ``explain``."""
    state.enabled = enabled
    state.no_grad_site = None if enabled else breaks.user_site()


state = _State()


def is_grad_enabled():
    """True when operations on tensors that require grad are recorded.

    Example:
        >>> import ndgrad
        >>> ndgrad.is_grad_enabled()
        True
    """
    return state.enabled


class _ModeContext:
    """Shared body of the mode switches: a context manager that also decorates."""

    def __init__(self, enabled):
        self._enabled = bool(enabled)
        self._previous = []

    def __enter__(self):
        self._previous.append((state.enabled, state.no_grad_site))
        _switch(self._enabled)
        return self

    def __exit__(self, *exc):
        state.enabled, state.no_grad_site = self._previous.pop()
        return False

    def __call__(self, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            with type(self)(*self._args()):
                return function(*args, **kwargs)
        return wrapper

    def _args(self):
        return ()


class no_grad(_ModeContext):
    """Turn off recording: results of ops need no gradient and keep no graph.

    Use it for evaluation and for updates that must not be differentiated.
    Cutting a graph this way is deliberate; diagnostics report it.

    Example:
        >>> import ndgrad
        >>> x = ndgrad.Variable(1.0)
        >>> @ndgrad.no_grad()
        ... def evaluate(v):
        ...     return v * 3
        >>> evaluate(x).requires_grad
        False
    """

    def __init__(self):
        super().__init__(False)


class enable_grad(_ModeContext):
    """Turn recording back on inside a ``no_grad`` block.

    Example:
        >>> import ndgrad
        >>> x = ndgrad.Variable(1.0)
        >>> with ndgrad.no_grad():
        ...     with ndgrad.enable_grad():
        ...         y = x * 2
        >>> y.requires_grad
        True
    """

    def __init__(self):
        super().__init__(True)


class set_grad_enabled(_ModeContext):
    """Set recording on or off by a flag; a context manager or a plain call.

    Example:
        >>> import ndgrad
        >>> with ndgrad.set_grad_enabled(False):
        ...     ndgrad.is_grad_enabled()
        False
    """

    def __init__(self, mode):
        super().__init__(mode)
        self._previous.append((state.enabled, state.no_grad_site))
        _switch(bool(mode))          # a plain call takes effect at once, as in PyTorch

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        state.enabled, state.no_grad_site = self._previous.pop()
        return False

    def __call__(self, function):
        # Used as a decorator: undo the immediate switch made by __init__.
        state.enabled, state.no_grad_site = self._previous.pop()
        return super().__call__(function)

    def _args(self):
        return (self._enabled,)


class _FlagContext:
    """A context manager and decorator that sets one diagnostic flag of ``state``."""

    _flag = None

    def __init__(self, enabled=True):
        self._enabled = bool(enabled)
        self._previous = []

    def __enter__(self):
        self._previous.append(getattr(state, self._flag))
        setattr(state, self._flag, self._enabled)
        refresh_checking()
        return self

    def __exit__(self, *exc):
        setattr(state, self._flag, self._previous.pop())
        refresh_checking()
        return False

    def __call__(self, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            with type(self)(self._enabled):
                return function(*args, **kwargs)
        return wrapper


class debug(_FlagContext):
    """Gather the expensive diagnostics: the user's line of every recorded op
    and every pass through a non-differentiable op (``argmax``, comparisons),
    so ``ndgrad.explain`` and ``ndgrad.draw_graph`` can point at them.

    Outside it ndgrad records only the cheap facts (detach, conversion to
    NumPy, integer casts, ``no_grad`` blocks, ``assign``). A context manager
    and a decorator.

    Example:
        >>> import ndgrad
        >>> w = ndgrad.Variable([1.0, 2.0])
        >>> with ndgrad.debug():
        ...     y = (w * 2).sum()
        >>> y._node.where[1] > 0
        True
    """

    _flag = "debug"
