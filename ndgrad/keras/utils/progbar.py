"""``keras.utils.Progbar``: the progress bar custom training loops print.

``update(current, values)`` moves the bar to step ``current`` and records
``values``, a list of ``(name, value)``: each value is shown as its average
over the steps so far (weighted by how many steps each update covered), except
the names in ``stateful_metrics``, shown as given. On a terminal
(``verbose=1``) the bar is redrawn in place; elsewhere (a log file, a
notebook's captured output) and with ``verbose=2`` one line is printed when
the bar reaches its target. The line reads as Keras's::

    10/10 ━━━━━━━━━━━━━━━━━━━━ 1s 52ms/step - loss: 0.3172 - accuracy: 0.9250

Example:
    >>> import io
    >>> from ndgrad.keras.utils import Progbar
    >>> stream = io.StringIO()
    >>> bar = Progbar(2, verbose=2, stream=stream)
    >>> bar.update(1, [("loss", 1.0)]); bar.update(2, [("loss", 0.5)])
    >>> stream.getvalue().split(" - ")[-1]
    'loss: 0.7500\\n'
"""

import sys
import time

import numpy as np

from ...autograd.primitive import data_of
from ...training.callbacks.progress import format_value

__all__ = ["Progbar"]


def _duration(seconds):
    if seconds >= 3600:
        return f"{int(seconds // 3600)}:{int(seconds % 3600 // 60):02d}:{int(seconds % 60):02d}"
    if seconds >= 60:
        return f"{int(seconds // 60)}:{int(seconds % 60):02d}"
    return f"{int(seconds)}s"


def _per_unit(seconds, unit):
    if seconds >= 1:
        return f"{seconds:.0f}s/{unit}"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms/{unit}"
    return f"{seconds * 1e6:.0f}us/{unit}"


class Progbar:
    """A progress bar for a loop of ``target`` steps (None: unknown).

    Args:
        target: the number of steps, or None.
        width: the bar's width in characters.
        verbose: 0 silent, 1 a bar (redrawn on a terminal), 2 one line at the end.
        interval: the least time in seconds between two redraws.
        stateful_metrics: names whose values are shown as given, not averaged.
        unit_name: the unit in the time per step ("step").
        stream: where to print (default: ``sys.stdout`` when printing).

    Example:
        >>> from ndgrad.keras.utils import Progbar
        >>> import io
        >>> stream = io.StringIO()
        >>> bar = Progbar(3, verbose=2, stream=stream, stateful_metrics=["acc"])
        >>> for step in range(3):
        ...     bar.add(1, values=[("acc", step / 2)])
        >>> line = stream.getvalue()
        >>> line.startswith("3/3 ━"), line.rstrip().endswith("acc: 1.0000")
        (True, True)
    """

    def __init__(self, target, width=20, verbose=1, interval=0.05, stateful_metrics=None,
                 unit_name="step", stream=None):
        self.target = None if target is None else int(target)
        self.width = int(width)
        self.verbose = verbose
        self.interval = float(interval)
        self.stateful_metrics = set(stateful_metrics or ())
        self.unit_name = unit_name
        self.stream = stream
        self._values = {}
        self._seen_so_far = 0
        self._start = time.time()
        self._last_update = 0.0
        self._finalized = False

    def _out(self):
        return self.stream if self.stream is not None else sys.stdout

    def _interactive(self):
        isatty = getattr(self._out(), "isatty", None)
        return self.verbose == 1 and isatty is not None and isatty()

    def update(self, current, values=None, finalize=None):
        """Move to step ``current``, recording ``values`` (``[(name, value), ...]``);
        ``finalize`` (default: ``current >= target``) prints the final line."""
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for name, value in values or ():
            value = float(np.asarray(data_of(value)).mean())
            if name in self.stateful_metrics:
                self._values[name] = [value, 1]
                continue
            steps = max(current - self._seen_so_far, 1)
            total, count = self._values.get(name, [0.0, 0])
            self._values[name] = [total + value * steps, count + steps]
        self._seen_so_far = current
        now = time.time()
        if self.verbose == 0 or self._finalized:
            return
        if finalize:
            self._finalized = True
        elif not self._interactive() or now - self._last_update < self.interval:
            return
        self._last_update = now
        line = self._line(current, now, finalize)
        if self._interactive():
            self._out().write("\r" + line + ("\n" if finalize else ""))
        else:
            self._out().write(line + "\n")
        self._out().flush()

    def add(self, n, values=None):
        """Advance by ``n`` steps (``update(seen + n, values)``)."""
        self.update(self._seen_so_far + n, values)

    def _line(self, current, now, finalize):
        if self.target is not None:
            digits = len(str(self.target))
            filled = int(self.width * min(current, self.target) / max(self.target, 1))
            text = (f"{current:>{digits}}/{self.target} " + "━" * filled
                    + " " * (self.width - filled))
        else:
            text = f"{current:>7}/Unknown"
        elapsed = now - self._start
        per_unit = elapsed / max(current, 1)
        if finalize or self.target is None:
            text += f" {_duration(elapsed)} {_per_unit(per_unit, self.unit_name)}"
        else:
            text += f" {_duration(per_unit * (self.target - current))}"
        for name, (total, count) in self._values.items():
            text += f" - {name}: {format_value(total / max(count, 1))}"
        return text
