"""``LambdaCallback``: a callback made of functions, one per hook (Keras's).

Example:
    >>> import ndgrad
    >>> from ndgrad.training.callbacks import LambdaCallback
    >>> seen = []
    >>> model = ndgrad.Sequential([ndgrad.layers.Dense(1, input_shape=(2,))])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> callback = LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(epoch))
    >>> _ = model.fit(ndgrad.ones((4, 2)), ndgrad.ones((4, 1)), epochs=3, verbose=0,
    ...               callbacks=[callback])
    >>> seen
    [0, 1, 2]
"""

from .base import Callback

__all__ = ["LambdaCallback"]

_EPOCH_HOOKS = ("on_epoch_begin", "on_epoch_end")
_BATCH_HOOKS = ("on_batch_begin", "on_batch_end", "on_train_batch_begin", "on_train_batch_end",
                "on_test_batch_begin", "on_test_batch_end", "on_predict_batch_begin",
                "on_predict_batch_end")
_LOGS_ONLY = ("on_train_begin", "on_train_end", "on_test_begin", "on_test_end",
              "on_predict_begin", "on_predict_end")


class LambdaCallback(Callback):
    """Calls the given functions at the hooks of the same names.

    Args:
        on_epoch_begin, on_epoch_end: ``f(epoch, logs)``.
        on_train_begin, on_train_end: ``f(logs)``.
        on_train_batch_begin, on_train_batch_end: ``f(batch, logs)``.
        **kwargs: any other hook (``on_batch_end``, ``on_test_batch_end``,
            ``on_predict_end``, ...) with the same calling convention.

    Example:
        >>> from ndgrad.training.callbacks import LambdaCallback
        >>> callback = LambdaCallback(on_train_begin=lambda logs: print("start"))
        >>> callback.on_train_begin()
        start
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None,
                 on_train_end=None, on_train_batch_begin=None, on_train_batch_end=None,
                 **kwargs):
        super().__init__()
        hooks = dict(kwargs, on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end,
                     on_train_begin=on_train_begin, on_train_end=on_train_end,
                     on_train_batch_begin=on_train_batch_begin,
                     on_train_batch_end=on_train_batch_end)
        known = _EPOCH_HOOKS + _BATCH_HOOKS + _LOGS_ONLY
        unknown = sorted(set(hooks) - set(known))
        if unknown:
            raise TypeError(f"LambdaCallback: unknown hooks {unknown}; known: "
                            f"{', '.join(known)}")
        for name, function in hooks.items():
            if function is None:
                continue
            if not callable(function):
                raise TypeError(f"LambdaCallback: {name} must be callable; got "
                                f"{type(function).__name__}")
            setattr(self, name, _hook(function, name in _LOGS_ONLY))


def _hook(function, logs_only):
    """The hook method: Keras passes ``logs`` positionally, an empty dict when None."""
    if logs_only:
        return lambda logs=None: function(logs if logs is not None else {})
    return lambda index, logs=None: function(index, logs if logs is not None else {})
