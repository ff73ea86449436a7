"""Build only after a successful first call: a failed first call (or a failed
``build``) leaves every module it touched as it found it.

A module builds lazily on its first call (Keras), creating weights from the
input's shape. When that call fails (a string where an array belongs, an image
smaller than the kernel, a later layer of a Sequential that refuses the shape),
the module must not stay marked built with missing or half-made weights: the
next, correct call would then skip building and fail for good. So the first call
runs as a transaction: each module below the called one is snapshotted (its
attributes, and the contents of its dicts, lists and sets: ``_parameters``,
``_buffers``, a Sequential's layer list...), with the values of its buffers (the
running statistics a first training call moves) and ndgrad's random state;
on any exception they are all put back before the exception goes on.

Only first calls and builds pay for this; a built module's call is unchanged.

Example:
    >>> import ndgrad
    >>> dense = ndgrad.layers.Dense(2)
    >>> try:
    ...     dense("abc")
    ... except TypeError as error:
    ...     print(str(error).split(";")[0])
    Dense: cannot build from a first input of type str
    >>> dense.built, dense.kernel is None
    (False, True)
    >>> dense(ndgrad.ones((1, 3))).shape, dense.built
    ((1, 2), True)
"""

import numbers

from .. import random

_CONTAINERS = (dict, list, set)


def _snapshot_module(module):
    members = module.__dict__
    saved = dict(members)
    contents = {key: (value.copy() if not isinstance(value, list) else list(value))
                for key, value in members.items() if type(value) in _CONTAINERS}
    return module, saved, contents


def _restore_module(module, saved, contents):
    members = module.__dict__
    members.clear()
    members.update(saved)
    for key, value in contents.items():
        target = saved[key]
        if isinstance(target, list):
            target[:] = value
        else:
            target.clear()
            target.update(value)


def snapshot(module):
    """A function that puts ``module`` and every module below it back as they are now,
    with ndgrad's random state (used around first calls and builds).

    Example:
        >>> from ndgrad.models.sequential_graph import snapshot
        >>> import ndgrad
        >>> layer = ndgrad.layers.Dense(2)
        >>> undo = snapshot(layer)
        >>> layer.build((None, 3)); layer.built
        True
        >>> undo(); layer.built, layer.kernel is None
        (False, True)
    """
    modules = module.modules()
    saved = [_snapshot_module(member) for member in modules]
    statistics = [(buffer, buffer._data.copy()) for buffer in module.buffers()]
    random_state = random.get_state()

    def undo():
        for member, members, contents in reversed(saved):
            _restore_module(member, members, contents)
        for buffer, values in statistics:
            if buffer._data.shape == values.shape:
                buffer._data[...] = values
        random.set_state(random_state)
    return undo


def first_call(module, call, args, kwargs):
    """Run ``call(args, kwargs)``, the unbuilt ``module``'s first call; on failure put
    ``module``, the modules below it and the random state back, then re-raise.

    Example:
        >>> import numpy as np, ndgrad
        >>> conv = ndgrad.layers.Conv2D(2, 5)
        >>> try:
        ...     conv(np.zeros((1, 3, 3, 1), np.float32))     # smaller than the kernel
        ... except ValueError:
        ...     pass
        >>> conv.built, conv.weights
        (False, [])
    """
    undo = snapshot(module)
    try:
        return call(args, kwargs)
    except BaseException:
        undo()
        raise


def guarded_build(build):
    """Wrap a ``build(self, shape)`` so that a build that raises changes nothing.

    Example:
        >>> import ndgrad
        >>> class Broken(ndgrad.layers.Layer):
        ...     def build(self, input_shape):
        ...         self.w = self.add_weight("w", (2,))
        ...         raise ValueError("no")
        >>> layer = Broken()
        >>> try:
        ...     layer.build((None, 2))
        ... except ValueError:
        ...     pass
        >>> layer.built, hasattr(layer, "w"), layer.weights
        (False, False, [])
    """
    def build_or_nothing(self, *shapes, **kwargs):
        undo = snapshot(self)
        try:
            return build(self, *shapes, **kwargs)
        except BaseException:
            undo()
            raise
    return build_or_nothing


def _plain_data(value, depth=0):
    """Whether ``value`` is data with no shape: None, a number, a string, or a list or
    tuple whose first element is such data (a nested Python list of numbers)."""
    if value is None or isinstance(value, (str, bytes, numbers.Number)):
        return True
    if depth < 8 and isinstance(value, (list, tuple)) and value:
        first = value[0]
        return getattr(first, "shape", None) is None and _plain_data(first, depth + 1)
    return False


def check_buildable(module, first):
    """Refuse, before anything is built, a first input that has no shape to build from.

    Example:
        >>> from ndgrad.nn.module import check_buildable
        >>> import ndgrad
        >>> check_buildable(ndgrad.layers.Dense(2), [[1.0, 2.0]])
        Traceback (most recent call last):
        TypeError: Dense: cannot build from a first input of type list; its weights are made from the input's shape: call it on a tensor or NumPy array (ndgrad.tensor(...), np.asarray(...))
    """
    if _plain_data(first):
        raise TypeError(f"{type(module).__name__}: cannot build from a first input of type "
                        f"{type(first).__name__}; its weights are made from the input's shape: "
                        "call it on a tensor or NumPy array (ndgrad.tensor(...), "
                        "np.asarray(...))")
