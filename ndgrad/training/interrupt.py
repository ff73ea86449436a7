"""Ctrl-C during ``fit``: stop at the next batch boundary instead of mid-step.

While ``fit`` runs in the main thread, SIGINT only raises a flag. The loop
checks it after each batch, so the interrupted step either completed (its
update applied) or never started; the model keeps the weights of the last
completed step, no checkpoint write is cut in half, and ``fit`` runs
``on_train_end`` and returns its History. A second Ctrl-C while waiting for
the batch to finish raises ``KeyboardInterrupt`` at once, as usual. The
previous handler is put back when ``fit`` returns, whatever happens.

Example:
    >>> import os, signal
    >>> from ndgrad.training.interrupt import InterruptGuard
    >>> before = signal.getsignal(signal.SIGINT)
    >>> with InterruptGuard() as guard:
    ...     os.kill(os.getpid(), signal.SIGINT)
    ...     stopped = guard.requested
    >>> stopped, signal.getsignal(signal.SIGINT) == before
    (True, True)
"""

import signal
import threading

__all__ = ["InterruptGuard"]


class InterruptGuard:
    """A context in which SIGINT sets ``requested`` instead of raising.

    Outside the main thread (where Python cannot install signal handlers) it
    does nothing and Ctrl-C behaves as usual.

    Attributes:
        requested: whether Ctrl-C was pressed inside the context.
        installed: whether the handler was installed (main thread only).

    Example:
        >>> from ndgrad.training.interrupt import InterruptGuard
        >>> with InterruptGuard() as guard:
        ...     pass
        >>> guard.requested
        False
    """

    def __init__(self):
        self.requested = False
        self.installed = False
        self._previous = None

    def _handle(self, signum, frame):
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            try:
                self._previous = signal.getsignal(signal.SIGINT)
                signal.signal(signal.SIGINT, self._handle)
                self.installed = True
            except (ValueError, OSError):      # embedded interpreters may refuse
                self.installed = False
        return self

    def __exit__(self, *exc):
        if self.installed:
            # getsignal() returns None for a handler not set from Python; the
            # closest we can restore is Python's own default.
            previous = self._previous
            signal.signal(signal.SIGINT,
                          previous if previous is not None else signal.default_int_handler)
            self.installed = False
        return False
