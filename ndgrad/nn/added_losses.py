"""Losses that layers add to the training loss, Keras 3 style: ``add_loss``,
``losses``, weight regularizers and activity regularizers.

- ``layer.add_loss(tensor)`` inside ``call`` records a scalar penalty.
- ``layer.losses`` lists, recursively, the penalties recorded by the layer
  and every layer below it during the last forward pass, followed by the
  penalties of the trainable weights created with a regularizer
  (``add_weight(regularizer=...)``, or ``kernel_regularizer=`` and friends
  on a Keras layer), computed when ``losses`` is read.
- The outermost call of a layer clears what that layer and the layers below
  it recorded before (Keras 3), so ``model.losses`` always belongs to the last
  forward pass.
- A layer built with ``activity_regularizer=`` adds ``regularizer(output)``
  after each call.

``fit`` adds ``sum(model.losses)`` to the compiled loss (``compute_loss``);
custom loops do it themselves: ``loss = loss_fn(y, model(x)) + sum(model.losses)``.

The bookkeeping lives in one object per layer (``_loss_state``), outside the
attributes that the module tree walks, so recorded loss tensors are never taken
for buffers.

Example:
    >>> import ndgrad
    >>> class Penalized(ndgrad.layers.Layer):
    ...     def call(self, inputs):
    ...         self.add_loss(0.5 * ndgrad.sum(inputs))
    ...         return inputs
    >>> model = ndgrad.Sequential([Penalized(), ndgrad.layers.Dense(
    ...     2, kernel_regularizer=ndgrad.nn.regularizers.L2(0.1), kernel_initializer="ones")])
    >>> _ = model(ndgrad.ones((1, 3)))
    >>> [round(loss.item(), 4) for loss in model.losses]      # add_loss, then 0.1 * 6
    [1.5, 0.6]
"""

import numbers
import threading
import weakref

import numpy as np

from ..tensor import Tensor, as_tensor
from . import regularizers

__all__ = ["AddedLosses", "begin_call", "end_call"]

# What Keras calls <name>_regularizer for a weight whose name differs.
_WEIGHT_OF_OPTION = {"recurrent": "recurrent_kernel", "depthwise": "depthwise_kernel",
                     "pointwise": "pointwise_kernel"}


class _CallDepth(threading.local):
    def __init__(self):
        self.depth = 0


_calls = _CallDepth()
# Layers that currently hold added losses: an outermost call clears those under it.
# Empty for models that never add a loss, so their calls pay one dict test.
_holders = weakref.WeakValueDictionary()
# Layers that regularize a weight; while there are none (and no holders), ``losses``
# answers [] without walking the module tree, which fit asks at every step.
_regularized = weakref.WeakValueDictionary()


class _LossState:
    """One layer's added losses and weight regularizers."""

    __slots__ = ("added", "weight_penalties", "options", "used", "__weakref__")

    def __init__(self):
        self.added = []              # tensors from add_loss, this forward pass
        self.weight_penalties = []   # (variable, regularizer)
        self.options = {}            # weight name -> regularizer, from <name>_regularizer=
        self.used = set()


def _state(module):
    state = module.__dict__.get("_loss_state")
    if state is None:
        state = _LossState()
        object.__setattr__(module, "_loss_state", state)
    return state


def begin_call(module):
    """Enter ``module.__call__``: the outermost call clears the stale losses below it.

    Example:
        >>> from ndgrad.nn.added_losses import end_call
        >>> from ndgrad.nn.added_losses import begin_call
        >>> import ndgrad
        >>> layer = ndgrad.layers.Layer(); layer.add_loss(ndgrad.tensor(1.0))
        >>> begin_call(layer); end_call(); layer.losses
        []
    """
    _calls.depth += 1
    if _calls.depth == 1 and _holders:
        module._clear_losses()


def end_call():
    """Leave ``module.__call__`` (also on error); see :func:`begin_call`.

    Example:
        >>> from ndgrad.nn.added_losses import end_call
        >>> from ndgrad.nn.added_losses import begin_call
        >>> import ndgrad
        >>> begin_call(ndgrad.layers.Layer()); end_call()
    """
    _calls.depth -= 1


class AddedLosses:
    """``add_loss``, ``losses`` and the regularizer options of Keras layers
    (mixed into :class:`ndgrad.nn.Module`).

    Example:
        >>> import ndgrad
        >>> layer = ndgrad.layers.Dense(1, activity_regularizer="l2", kernel_initializer="ones")
        >>> _ = layer(ndgrad.ones((1, 2)))
        >>> [round(loss.item(), 4) for loss in layer.losses]     # 0.01 * 2 ** 2
        [0.04]
    """

    activity_regularizer = None

    def _configure_regularizers(self, activity_regularizer, options):
        """Resolve ``activity_regularizer=`` and the ``<weight>_regularizer=`` options."""
        owner = type(self).__name__
        if activity_regularizer is not None:
            self.activity_regularizer = regularizers.get(activity_regularizer)
        for option, value in options.items():
            if value is None:
                continue
            if option.endswith("_constraint"):
                raise NotImplementedError(
                    f"{owner}: {option} is not supported yet; constraints are applied after "
                    "each optimizer step in Keras. Clip or renormalize the weight yourself "
                    "(for instance in a callback's on_train_batch_end)")
            prefix = option[:-len("_regularizer")]
            _state(self).options[_WEIGHT_OF_OPTION.get(prefix, prefix)] = (option,
                                                                          regularizers.get(value))

    def add_loss(self, loss):
        """Record a scalar penalty (a tensor, or a list of them) for this forward pass.

        Example:
            >>> import ndgrad
            >>> layer = ndgrad.layers.Layer()
            >>> layer.add_loss(ndgrad.tensor(2.0)); [t.item() for t in layer.losses]
            [2.0]
        """
        values = list(loss) if isinstance(loss, (list, tuple)) else [loss]
        for value in values:
            if callable(value) and not isinstance(value, Tensor):
                raise TypeError(f"{type(self).__name__}.add_loss: got a callable; Keras 3 takes "
                                "the loss tensor itself: compute it inside call() and pass it")
        state = _state(self)
        # Numbers and arrays become tensors; anything else (a symbolic tensor while a
        # functional model is traced) is kept as given, for the functional API to use.
        state.added.extend(as_tensor(value) if isinstance(value, (numbers.Number, np.ndarray))
                           else value for value in values)
        _holders[id(self)] = self

    def _regularize_weight(self, name, variable, regularizer=None):
        """Attach ``regularizer`` (or the layer's ``<name>_regularizer`` option) to a
        weight made by ``add_weight``."""
        state = self.__dict__.get("_loss_state")
        if regularizer is None and state is not None and name in state.options:
            state.used.add(name)
            regularizer = state.options[name][1]
        if regularizer is not None:
            _state(self).weight_penalties.append((variable, regularizers.get(regularizer)))
            _regularized[id(self)] = self

    def _check_regularized_weights(self):
        """After ``build``: refuse a ``<name>_regularizer`` that matched no weight."""
        state = self.__dict__.get("_loss_state")
        if state is None:
            return
        unused = [option for name, (option, _) in state.options.items()
                  if name not in state.used]
        if unused:
            names = [v.name.rsplit("/", 1)[-1] for v in self.variables if v.name]
            raise ValueError(f"{type(self).__name__}: {', '.join(unused)} given, but the layer "
                             f"creates no such weight (its weights: {', '.join(names) or 'none'})"
                             "; regularize one of those, or add the penalty with add_loss")

    def _add_activity_loss(self, outputs):
        regularizer = self.activity_regularizer
        flat = outputs if isinstance(outputs, (list, tuple)) else [outputs]
        for output in flat:
            if isinstance(output, Tensor):
                self.add_loss(regularizer(output))

    def _clear_losses(self):
        """Forget the losses that this layer and the layers below it added."""
        for module in self.modules():
            state = module.__dict__.get("_loss_state")
            if state is not None and state.added:
                state.added = []
                _holders.pop(id(module), None)

    @property
    def losses(self):
        """The added losses of this layer and every layer below it (last forward
        pass), then the penalties of trainable regularized weights.

        Example:
            >>> import ndgrad
            >>> layer = ndgrad.layers.Dense(2, kernel_regularizer=ndgrad.nn.regularizers.L1(1.0),
            ...                             kernel_initializer="ones", input_shape=(3,))
            >>> [loss.item() for loss in layer.losses]
            [6.0]
        """
        if not _holders and not _regularized:
            return []
        modules = self.modules()
        states = [m.__dict__.get("_loss_state") for m in modules]
        states = [state for state in states if state is not None]
        result = [loss for state in states for loss in state.added]
        for state in states:
            result.extend(regularizer(variable) for variable, regularizer in state.weight_penalties
                          if variable.trainable)
        return result
