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


class _State(threading.local):
    def __init__(self):
        self.enabled = True
        self.tapes = []          # active GradientTapes, innermost last
        self.debug = False       # gather expensive diagnostics (file/line per op)


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
        self._previous.append(state.enabled)
        state.enabled = self._enabled
        return self

    def __exit__(self, *exc):
        state.enabled = self._previous.pop()
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
        self._previous.append(state.enabled)
        state.enabled = bool(mode)   # a plain call takes effect at once, as in PyTorch

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        state.enabled = self._previous.pop()
        return False

    def __call__(self, function):
        # Used as a decorator: undo the immediate switch made by __init__.
        state.enabled = self._previous.pop()
        return super().__call__(function)

    def _args(self):
        return (self._enabled,)
