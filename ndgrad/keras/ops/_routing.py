"""The one door every ``keras.ops`` function goes through.

``symbolic_or_eager(fn, *args, **kwargs)`` runs ``fn`` on eager tensors, and,
once the functional API's symbolic tensors exist (``keras.Input``), records a
graph node when an argument is symbolic. The functional-model code provides
it; until it lands this module falls back to a pass-through, so the ops work
eagerly either way and need no edit when it arrives.

:func:`keras_op` wraps a function written here; :func:`reexport` wraps a core
op whose NumPy signature Keras shares.

Example:
    >>> import ndgrad
    >>> from ndgrad.keras.ops._routing import keras_op
    >>> @keras_op
    ... def double(x):
    ...     "Two times x."
    ...     return x * 2
    >>> double(ndgrad.ones(2)).tolist(), double.__name__
    ([2.0, 2.0], 'double')
"""

import functools

try:        # the functional API's symbolic tensors (keras.Input), when present
    from ...nn.symbolic import symbolic_or_eager
except ImportError:
    def symbolic_or_eager(fn, *args, **kwargs):
        """Run ``fn`` eagerly (no symbolic tensors exist yet).

        Example:
            >>> symbolic_or_eager(max, 1, 2)
            2
        """
        return fn(*args, **kwargs)

__all__ = ["symbolic_or_eager", "keras_op", "reexport"]


def keras_op(function):
    """``function`` routed through :func:`symbolic_or_eager` (name and docstring kept).

    Example:
        >>> keras_op(abs)(-3)
        3
    """
    @functools.wraps(function)
    def op(*args, **kwargs):
        return symbolic_or_eager(function, *args, **kwargs)
    return op


def reexport(function, name=None):
    """A core op under its Keras name, routed; its docstring says where it comes from.

    Example:
        >>> import ndgrad
        >>> absolute = reexport(ndgrad.ops.abs, "absolute")
        >>> absolute.__name__, absolute(ndgrad.tensor([-1.0])).tolist()
        ('absolute', [1.0])
    """
    op = keras_op(function)
    op.__name__ = op.__qualname__ = name or function.__name__
    summary = (function.__doc__ or "").strip().splitlines()
    op.__doc__ = (f"{summary[0] if summary else ''}\n\nKeras's ``ops.{op.__name__}``: "
                  f"``{function.__module__}.{function.__name__}`` (its docstring has an example).")
    return op
