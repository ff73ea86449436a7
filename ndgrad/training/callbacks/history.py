"""History: what ``fit`` returns, the logs of every epoch, and a plot of them.

``history.history`` maps each log name (``loss``, ``accuracy``,
``val_loss``, ...) to a list with one float per epoch; ``history.epoch``
lists the epochs run (0-based, starting at ``initial_epoch``) and
``history.params`` holds ``{"verbose", "epochs", "steps"}``. ``plot(path)``
draws one panel per quantity, training and validation together, with
matplotlib's Agg canvas (no window, no global backend switch).

Example:
    >>> from ndgrad.training.callbacks import History
    >>> history = History()
    >>> history.on_train_begin()
    >>> history.on_epoch_end(0, {"loss": 0.5}); history.on_epoch_end(1, {"loss": 0.25})
    >>> history.history, history.epoch
    ({'loss': [0.5, 0.25]}, [0, 1])
"""

import os

from .base import Callback

__all__ = ["History"]


class History(Callback):
    """Records the logs of each epoch; ``fit`` returns it (also ``model.history``).

    Attributes:
        history: ``{name: [value per epoch]}``.
        epoch: the epochs recorded, 0-based.
        params: ``{"verbose", "epochs", "steps"}`` of the ``fit`` call.

    Example:
        >>> import ndgrad
        >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,))])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> history = model.fit(ndgrad.ones((8, 2)), ndgrad.ones((8, 1)), epochs=3, verbose=0)
        >>> history.epoch, len(history.history["loss"]), history.params["steps"]
        ([0, 1, 2], 3, 1)
    """

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []
        self.interrupted = False

    def on_train_begin(self, logs=None):
        """Start a new run (the lists of an earlier run with this object are kept)."""
        self.epoch = []
        self.interrupted = False
        if self.model is not None:
            self.model.history = self

    def on_epoch_end(self, epoch, logs=None):
        """Append each log to its list."""
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)

    def plot(self, path, title=None):
        """Write a PNG of the curves, one panel per quantity (train and ``val_``).

        Args:
            path: where to write the PNG (its folder is created if needed).
            title: a title over the panels (default: none).

        Returns:
            ``path``.

        Raises:
            ImportError: when matplotlib is not installed (``pip install ndgrad[train]``).
            ValueError: when there is nothing to plot yet.

        Example:
            >>> import os, tempfile
            >>> from ndgrad.training.callbacks import History
            >>> history = History()
            >>> history.history = {"loss": [0.9, 0.5], "val_loss": [1.0, 0.7]}
            >>> history.epoch = [0, 1]
            >>> path = history.plot(os.path.join(tempfile.mkdtemp(), "curves.png"))
            >>> open(path, "rb").read(8) == b"\\x89PNG\\r\\n\\x1a\\n"
            True
        """
        try:
            from matplotlib.backends.backend_agg import FigureCanvasAgg
            from matplotlib.figure import Figure
        except ImportError:
            raise ImportError("History.plot needs matplotlib; install it with "
                              "`pip install ndgrad[train]`") from None
        quantities = [k for k in self.history if not k.startswith("val_")]
        quantities += [k[4:] for k in self.history
                       if k.startswith("val_") and k[4:] not in quantities]
        if not quantities:
            raise ValueError("History.plot: nothing to plot; the history is empty (fit "
                             "has not completed an epoch)")
        figure = Figure(figsize=(4.5 * len(quantities), 3.6), layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.subplots(1, len(quantities), squeeze=False)[0]
        for axis, name in zip(axes, quantities):
            for key, label, style in ((name, "train", "-o"), ("val_" + name, "validation",
                                                              "--s")):
                values = self.history.get(key)
                if values:
                    epochs = [e + 1 for e in self.epoch[-len(values):]]
                    if len(epochs) != len(values):
                        epochs = list(range(1, len(values) + 1))
                    axis.plot(epochs, values, style, markersize=3, label=label)
            axis.set_title(name)
            axis.set_xlabel("epoch")
            axis.grid(True, alpha=0.3)
            axis.legend()
        if title:
            figure.suptitle(title)
        folder = os.path.dirname(os.path.abspath(path))
        os.makedirs(folder, exist_ok=True)
        figure.savefig(path, format="png", dpi=100)
        return path
