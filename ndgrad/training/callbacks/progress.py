"""The progress printer that ``fit``, ``evaluate`` and ``predict`` add when
``verbose`` is not 0.

On a terminal with ``verbose=1`` and tqdm installed, each epoch gets a tqdm
bar showing the steps, the elapsed and remaining time, the time per step and
the running loss and metrics; the bar stays on screen as the epoch's line.
Every number is shown in full at any terminal width: when the line would not
fit, the bar itself goes first, then the metrics that do not fit move to
continuation lines under the epoch's line (as Keras wraps them), never cut
mid-number.
Otherwise (``verbose=2``, output redirected to a file or CI log, or no tqdm)
each epoch prints one line when it ends::

    Epoch 3/10 - 45 steps - 0.8s - loss: 0.1234 - accuracy: 0.9650 - val_loss: 0.1500

``evaluate`` and ``predict`` print one such line (without the epoch) at the
end, or a bar on a terminal.

Example:
    >>> from ndgrad.training.callbacks.progress import format_logs
    >>> format_logs({"loss": 0.123456, "accuracy": 0.965, "learning_rate": 1e-05})
    'loss: 0.1235 - accuracy: 0.9650 - learning_rate: 1.0000e-05'
"""

import shutil
import sys
import time

from .base import Callback

__all__ = ["ProgressLogger", "format_logs", "format_value"]


def format_value(value):
    """A log value as Keras prints it: 4 decimals, or scientific when tiny.

    Example:
        >>> from ndgrad.training.callbacks.progress import format_value
        >>> format_value(0.5), format_value(2e-6), format_value([0.5, 0.25])
        ('0.5000', '2.0000e-06', '[0.5000, 0.2500]')
    """
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if number != 0 and abs(number) < 1e-3:
        return f"{number:.4e}"
    return f"{number:.4f}"


def format_logs(logs):
    """``"name: value - name: value"`` for a dict of logs.

    Example:
        >>> from ndgrad.training.callbacks.progress import format_logs
        >>> format_logs({"loss": 1.0, "val_loss": 2.0})
        'loss: 1.0000 - val_loss: 2.0000'
    """
    return " - ".join(f"{key}: {format_value(value)}" for key, value in (logs or {}).items())


def _seconds(elapsed):
    if elapsed < 0.1:
        return f"{elapsed * 1000:.0f}ms"
    if elapsed < 60:
        return f"{elapsed:.1f}s"
    minutes, seconds = divmod(int(round(elapsed)), 60)
    return f"{minutes}m {seconds:02d}s"


def _per_step(seconds):
    """Time per step for the bar: ``2.5ms/step``, ``45ms/step``, ``1.25s/step``."""
    if seconds < 0.01:
        return f"{seconds * 1000:.1f}ms/step"
    if seconds < 1:
        return f"{seconds * 1000:.0f}ms/step"
    return f"{seconds:.2f}s/step"


_BAR_FORMAT = "{desc}: {n_fmt}/{total_fmt} |{bar}| {elapsed}<{remaining}{postfix}"
_NO_BAR_FORMAT = "{desc}: {n_fmt}/{total_fmt} {elapsed}<{remaining}{postfix}"
_UNKNOWN_FORMAT = "{desc}: {n_fmt}/Unknown {elapsed}{postfix}"
_MIN_BAR = 10          # narrower than this, a bar says nothing: drop it
_INDENT = "    "       # continuation lines of metrics that did not fit


def _terminal_width():
    """Columns of the terminal now (re-read at each update: the window may be resized)."""
    return shutil.get_terminal_size((80, 24)).columns


def _wrap_items(items, width, indent=_INDENT):
    """``items`` joined by `` - `` into lines of at most ``width`` columns, never
    splitting an item (one longer than a line gets a line to itself)."""
    lines, line = [], ""
    for item in items:
        candidate = f"{line} - {item}" if line else indent + item
        if line and len(candidate) > width:
            lines.append(line)
            candidate = indent + item
        line = candidate
    if line:
        lines.append(line)
    return lines


def _tqdm_class():
    """tqdm's class when a bar can be drawn (terminal, tqdm installed), else None."""
    stream = sys.stdout
    isatty = getattr(stream, "isatty", None)
    if isatty is None or not isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm


class ProgressLogger(Callback):
    """Prints progress: a tqdm bar per epoch on a terminal, else one line per epoch.

    ``fit``/``evaluate``/``predict`` add one when ``verbose`` is 1 or 2; pass
    your own in ``callbacks`` to control where it goes (``stream``).

    Args:
        stream: where to print (default: ``sys.stdout`` at the time of printing).

    Example:
        >>> import ndgrad
        >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,))])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> _ = model.fit(ndgrad.ones((8, 2)), ndgrad.ones((8, 1)), epochs=1, verbose=2)
        ... # doctest: +ELLIPSIS
        Epoch 1/1 - 1 step - ...s - loss: ...
    """

    def __init__(self, stream=None):
        super().__init__()
        self.stream = stream
        self._bar = None
        self._in_fit = False
        self._use_bar = False

    # -------------------------------------------------------------- helpers
    def _out(self):
        return self.stream if self.stream is not None else sys.stdout

    def _print(self, text):
        print(text, file=self._out(), flush=True)

    def _start(self, total, description):
        """Begin a pass of ``total`` steps: a bar if one can be drawn, else a timer."""
        self._steps = 0
        self._step_seconds = None
        self._started = time.perf_counter()
        verbose = self.params.get("verbose", 1)
        tqdm = _tqdm_class() if verbose == 1 and self.stream is None else None
        self._bar = None
        if tqdm is not None:
            # An unknown number of steps (a generator) shows a counter, as Keras's "12/Unknown".
            self._known_total = total is not None
            self._bar = tqdm(total=total, desc=description, unit="step", file=self._out(),
                             leave=True, ncols=_terminal_width(), bar_format=self._format(True))
        self._overflow = []

    def _format(self, with_bar):
        if not self._known_total:
            return _UNKNOWN_FORMAT
        return _BAR_FORMAT if with_bar else _NO_BAR_FORMAT

    def _bar_postfix(self, logs, final=False):
        # tqdm's own rate shows "0.00s/it" for fast steps; ours keeps milliseconds.
        # The final update keeps the last step's figure: validation is not a step.
        if not final or self._step_seconds is None:
            elapsed = time.perf_counter() - self._started
            self._step_seconds = elapsed / max(self._steps, 1)
        items = [f"{key}: {format_value(value)}" for key, value in (logs or {}).items()
                 if key != "outputs"]
        self._fit_line(_per_step(self._step_seconds), items)

    def _fit_line(self, per_step, items):
        """Lay out the bar's line for the terminal's width: the full line with a bar
        if it fits, else without the bar, else with only the leading metrics that fit
        whole; the rest wait in ``self._overflow`` for the continuation lines."""
        bar = self._bar
        width = _terminal_width()
        bar.ncols = width
        state = dict(bar.format_dict)
        state.update(ncols=None, bar_format=self._format(False))

        def length(shown):
            state["postfix"] = " - ".join([per_step] + shown)
            return len(bar.format_meter(**state))

        shown = list(items)
        while shown and length(shown) >= width:
            shown.pop()
        with_bar = len(shown) == len(items) and length(shown) + len(" ||") + _MIN_BAR < width
        bar.bar_format = self._format(with_bar)
        bar.set_postfix_str(" - ".join([per_step] + shown), refresh=False)
        self._overflow = items[len(shown):]

    def _step(self, logs):
        self._steps += 1
        if self._bar is not None:
            self._bar_postfix(logs)
            self._bar.update(1)

    def _finish(self, prefix, logs):
        """Close the bar with the final logs, or print the pass's one line."""
        if self._bar is not None:
            self._bar_postfix(logs, final=True)
            self._bar.close()
            self._bar = None
            for line in _wrap_items(self._overflow, _terminal_width() - 1):
                self._print(line)
            self._overflow = []
            return
        elapsed = time.perf_counter() - self._started
        parts = [prefix] if prefix else []
        parts += [f"{self._steps} step{'' if self._steps == 1 else 's'}", _seconds(elapsed)]
        text = format_logs({k: v for k, v in (logs or {}).items() if k != "outputs"})
        if text:
            parts.append(text)
        self._print(" - ".join(parts))

    def close(self):
        """Close a bar left open (training stopped by an exception)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    # -------------------------------------------------------------- fit
    def on_train_begin(self, logs=None):
        """Note that evaluation passes from now on are fit's validation (not printed)."""
        self._in_fit = True

    def on_train_end(self, logs=None):
        """Close any bar left open."""
        self._in_fit = False
        self.close()

    def on_epoch_begin(self, epoch, logs=None):
        """Open the epoch's bar (or start its timer)."""
        epochs = self.params.get("epochs", "?")
        self._epoch_label = f"Epoch {epoch + 1}/{epochs}"
        self._start(self.params.get("steps"), self._epoch_label)

    def on_train_batch_end(self, batch, logs=None):
        """Advance the bar with the running logs."""
        self._step(logs)

    def on_epoch_end(self, epoch, logs=None):
        """Close the bar with the epoch's logs, or print its line."""
        self._finish(self._epoch_label, logs)

    # -------------------------------------------------------------- evaluate, predict
    def on_test_begin(self, logs=None):
        """Start a bar or timer for ``evaluate`` (not for fit's validation)."""
        if not self._in_fit:
            self._start(self.params.get("steps"), "Evaluate")

    def on_test_batch_end(self, batch, logs=None):
        """Advance the evaluation bar."""
        if not self._in_fit:
            self._step(logs)

    def on_test_end(self, logs=None):
        """Print the evaluation's line."""
        if not self._in_fit:
            self._finish("", logs)

    def on_predict_begin(self, logs=None):
        """Start a bar or timer for ``predict``."""
        self._start(self.params.get("steps"), "Predict")

    def on_predict_batch_end(self, batch, logs=None):
        """Advance the prediction bar."""
        self._step(None)

    def on_predict_end(self, logs=None):
        """Print the prediction's line."""
        self._finish("", None)
