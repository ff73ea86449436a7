"""What ``python -m ndgrad explain`` records while the script runs.

Scripts keep their loss, model and optimizer inside functions (``main()``),
gone when the script ends. So while the script runs, every backward walk
(``loss.backward()``, ``tape.gradient``) hands its target to a
:class:`BackwardRecorder`, which keeps the last one alive together with the
local variables of the script's frames at that moment: the models and
optimizers alive then.

Example:
    >>> import ndgrad
    >>> from ndgrad.diagnostics.recording import BackwardRecorder
    >>> def train():
    ...     w = ndgrad.Variable([1.0, 2.0], name="w")
    ...     loss = (w * w).sum()
    ...     loss.backward()
    >>> with BackwardRecorder("<doctest>") as recorder:
    ...     train()
    >>> recorder.count, float(recorder.target)
    (1, 5.0)
"""

import sys

from ..autograd import graph, tape


class StopScript(BaseException):
    """Raised inside the script after the backward pass ``--steps`` asked for.

    A ``BaseException``, so that the script's own ``except Exception`` does not
    swallow it.

    Example:
        >>> from ndgrad.diagnostics.recording import StopScript
        >>> issubclass(StopScript, Exception)
        False
    """


class BackwardRecorder:
    """Remembers the last backward target and the script's local variables then.

    Args:
        script: the path of the script whose frames to look at (its
            function frames: the module frame's names are read at the end).
        stop_after: raise :class:`StopScript` after this many backward walks
            (None: let the script run to its end).

    Attributes:
        target: the target of the last backward walk (kept alive), or None.
        scopes: ``[(function name, line, locals dict), ...]`` of the script's
            frames at that walk, innermost first.
        count: how many backward walks ran.

    Example:
        >>> import ndgrad
        >>> from ndgrad.diagnostics.recording import BackwardRecorder, StopScript
        >>> w = ndgrad.Variable([3.0])
        >>> with BackwardRecorder("<doctest>", stop_after=1) as recorder:
        ...     try:
        ...         (w * 2).sum().backward()
        ...     except StopScript as stop:
        ...         print(stop)
        stopped after backward pass 1 (--steps 1)
    """

    def __init__(self, script, stop_after=None):
        self.script = script
        self.stop_after = stop_after
        self.target = None
        self.scopes = []
        self.count = 0
        self._given = None

    def __enter__(self):
        graph.backward_observers.append(self)
        return self

    def __exit__(self, *exc):
        graph.backward_observers.remove(self)
        return False

    def __call__(self, target, sources=None, results=None):
        self.count += 1
        self.target = target
        self._given = (tuple(sources), tuple(results)) if sources is not None else None
        self.scopes = _script_scopes(self.script)
        if self.stop_after is not None and self.count >= self.stop_after:
            raise StopScript(f"stopped after backward pass {self.count} "
                             f"(--steps {self.stop_after})")


    def remember_given(self):
        """Let ``explain`` see the gradients the last ``tape.gradient`` returned:
        the script dropped them when it ended (or was stopped before they came back)."""
        if self._given is not None and self.target is not None:
            sources, results = self._given
            tape._remember(self.target, sources, results)


def _script_scopes(script):
    """The locals of the frames running code of ``script`` (not its module frame)."""
    scopes = []
    frame = sys._getframe(2)
    while frame is not None:
        code = frame.f_code
        if code.co_filename == script and code.co_name != "<module>":
            scopes.append((code.co_name, frame.f_lineno, dict(frame.f_locals)))
        frame = frame.f_back
    return scopes
