"""GradientTape: the Keras face of reverse-mode differentiation.

ndgrad records every op on trainable tensors whenever recording is on, so the
tape does not need to see an op happen to differentiate through it. What the
tape adds is TensorFlow's contract around that graph:

- ``watch(t)`` makes a constant tensor differentiable while the tape records;
- ``gradient(target, sources)`` returns gradients in the structure of
  ``sources`` and never touches ``.grad``;
- a non-persistent tape answers one ``gradient`` call, then frees the graph.

A target computed *before* the tape started (seed 001, example 3) therefore
gets its correct gradient when it depends on trainable variables, where
TensorFlow would silently return ``None``. Sources the target does not depend
on get ``None`` (or zeros with ``unconnected_gradients="zero"``), and when no
source gets a gradient the tape warns and says why for each.

Example:
    >>> import ndgrad
    >>> x = ndgrad.tensor(3.0)
    >>> with ndgrad.GradientTape() as tape:
    ...     tape.watch(x)
    ...     y = x * x
    >>> tape.gradient(y, x).item()
    6.0
"""

import sys
import warnings
import weakref

from ..tensor import Tensor
from . import graph
from .mode import no_grad, state


def _flatten(structure, leaves):
    if isinstance(structure, dict):
        return {key: _flatten(value, leaves) for key, value in structure.items()}
    if isinstance(structure, (list, tuple)):
        kind = type(structure)
        items = [_flatten(value, leaves) for value in structure]
        return items if kind is list else tuple(items)
    if not isinstance(structure, Tensor):
        raise TypeError(f"GradientTape.gradient: sources must be tensors (or lists, tuples, "
                        f"dicts of them), got {type(structure).__name__}")
    leaves.append(structure)
    return len(leaves) - 1


def _unflatten(template, values):
    if isinstance(template, dict):
        return {key: _unflatten(value, values) for key, value in template.items()}
    if isinstance(template, list):
        return [_unflatten(value, values) for value in template]
    if isinstance(template, tuple):
        return tuple(_unflatten(value, values) for value in template)
    return values[template]


class GradientTape:
    """Record differentiation context for ``gradient`` and ``jacobian``.

    Args:
        persistent: allow several ``gradient`` calls (the graph is kept).
        watch_accessed_variables: treat every trainable variable used while
            recording as watched; with False, only ``watch``-ed tensors get
            gradients.

    Example:
        >>> import ndgrad
        >>> w = ndgrad.Variable([1.0, 2.0])
        >>> with ndgrad.GradientTape(persistent=True) as tape:
        ...     y = (w ** 2).sum()
        >>> tape.gradient(y, [w])[0].tolist(), tape.gradient(y, {"w": w})["w"].tolist()
        ([2.0, 4.0], [2.0, 4.0])
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self.persistent = persistent
        self.watch_accessed_variables = watch_accessed_variables
        self._recording = False
        self._used = False
        self._watched = []      # explicitly watched tensors, in order
        self._accessed = {}     # id -> trainable variable used while recording
        self._paused = None

    def __enter__(self):
        if self._recording:
            raise RuntimeError("GradientTape: this tape is already recording")
        self._recording = True
        state.tapes.append(self)
        for t in self._watched:
            self._add_watch(t)
        return self

    def __exit__(self, *exc):
        self._recording = False
        if self in state.tapes:
            state.tapes.remove(self)
        for t in self._watched:
            self._drop_watch(t)
        return False

    @staticmethod
    def _add_watch(t):
        t._watch += 1
        t._rg = True

    @staticmethod
    def _drop_watch(t):
        t._watch -= 1
        t._rg = t._trainable or t._watch > 0 or t._node is not None

    def _note_accessed(self, variable):
        self._accessed.setdefault(id(variable), variable)

    def watch(self, tensor):
        """Make ``tensor`` (or each tensor in a list) differentiable while recording.

        Example:
            >>> import ndgrad
            >>> c = ndgrad.tensor(2.0)
            >>> with ndgrad.GradientTape() as tape:
            ...     tape.watch(c)
            ...     y = c ** 3
            >>> tape.gradient(y, c).item()
            12.0
        """
        tensors = tensor if isinstance(tensor, (list, tuple)) else [tensor]
        for t in tensors:
            if not isinstance(t, Tensor):
                raise TypeError(f"GradientTape.watch: expected a tensor, got {type(t).__name__}")
            if t.dtype.kind not in "fc":
                raise TypeError(f"GradientTape.watch: only floating and complex tensors can be "
                                f"watched, "
                                f"got {t.dtype}")
            if any(w is t for w in self._watched):
                continue
            self._watched.append(t)
            if self._recording and t._node is None:
                self._add_watch(t)

    def watched_variables(self):
        """The tensors this tape differentiates: watched ones and, with
        ``watch_accessed_variables``, every trainable variable used while recording.

        Example:
            >>> import ndgrad
            >>> w = ndgrad.Variable(1.0, name="w")
            >>> with ndgrad.GradientTape() as tape:
            ...     y = w * 2
            >>> [v.name for v in tape.watched_variables()]
            ['w']
        """
        found = {id(t): t for t in self._watched}
        if self.watch_accessed_variables:
            for key, variable in self._accessed.items():
                found.setdefault(key, variable)
        return list(found.values())

    def stop_recording(self):
        """A context in which ops are not recorded (``ndgrad.no_grad``).

        Example:
            >>> import ndgrad
            >>> w = ndgrad.Variable(1.0)
            >>> with ndgrad.GradientTape() as tape:
            ...     with tape.stop_recording():
            ...         y = w * 2
            >>> y.requires_grad
            False
        """
        return no_grad()

    def reset(self):
        """Forget watched tensors and accessed variables.

        Example:
            >>> import ndgrad
            >>> tape = ndgrad.GradientTape(); tape.reset(); tape.watched_variables()
            []
        """
        for t in self._watched if self._recording else []:
            self._drop_watch(t)
        self._watched = []
        self._accessed = {}

    def _check_usable(self):
        if self._used and not self.persistent:
            raise RuntimeError(
                "GradientTape.gradient: a non-persistent tape can be used only once; its graph "
                "was freed by the first call. Create it with GradientTape(persistent=True) to "
                "call gradient or jacobian several times.")
        self._used = True

    def gradient(self, target, sources, output_gradients=None, unconnected_gradients="none"):
        """The gradient of ``target`` with respect to ``sources``, in their structure.

        Args:
            target: a tensor (or a list of tensors, whose gradients add up).
            sources: a tensor, or a list, tuple or dict of tensors (nested).
            output_gradients: the gradient to start from, one per target
                (default ones, for scalar or any-shaped targets as TensorFlow).
            unconnected_gradients: ``"none"`` (default) or ``"zero"`` for sources
                the target does not depend on.

        Example:
            >>> import ndgrad
            >>> a, b = ndgrad.Variable(2.0), ndgrad.Variable(5.0, trainable=False)
            >>> with ndgrad.GradientTape() as tape:
            ...     y = a * a
            >>> tape.gradient(y, [a, b], unconnected_gradients="zero")[1].item()
            0.0
        """
        if unconnected_gradients not in ("none", "zero"):
            raise ValueError("GradientTape.gradient: unconnected_gradients must be 'none' or "
                             f"'zero', got {unconnected_gradients!r}")
        self._check_usable()
        leaves = []
        template = _flatten(sources, leaves)
        targets = list(target) if isinstance(target, (list, tuple)) else [target]
        seeds = (list(output_gradients) if isinstance(output_gradients, (list, tuple))
                 else [output_gradients] * len(targets))
        seeds = [Tensor._wrap(_ones(t)) if s is None else s for t, s in zip(targets, seeds)]
        live = [(t, s) for t, s in zip(targets, seeds) if t._rg]
        wanted = [s for s in leaves if self._differentiates(s)]
        results = [None] * len(leaves)
        if live and wanted:
            create = bool(state.tapes) and state.enabled
            grads = graph.backward([t for t, _ in live], [s for _, s in live],
                                   retain_graph=self.persistent or create,
                                   create_graph=create, sources=wanted)
            by_id = {id(s): g for s, g in zip(wanted, grads)}
            results = [by_id.get(id(s)) for s in leaves]
            if len(live) == 1:
                _remember(live[0][0], wanted, grads)
        if all(r is None for r in results) and leaves:
            self._warn_no_gradient(leaves, targets)
        if unconnected_gradients == "zero":
            from ..ops.creation import zeros_like
            results = [zeros_like(s) if r is None else r for s, r in zip(leaves, results)]
        return _unflatten(template, results)

    def _differentiates(self, source):
        if self.watch_accessed_variables or source._node is not None:
            return True
        return any(w is source for w in self._watched)

    def _warn_no_gradient(self, sources, targets):
        from ..diagnostics.reasons import graph_facts, why_no_gradient
        facts = graph_facts(targets[0] if len(targets) == 1 else None)
        reasons = []
        for s in sources:
            label = f"'{s.name}'" if s.name else f"tensor of shape {tuple(s.shape)}"
            if not self._differentiates(s):
                reasons.append(f"{label} was not watched (watch_accessed_variables=False): "
                               "call tape.watch on it")
                continue
            reason, where = why_no_gradient(s, facts)
            reasons.append(f"{label}: {reason}" + (f" (at {where})" if where else ""))
        header = f"GradientTape.{sys._getframe(1).f_code.co_name}: no source got a gradient"
        if not any(t._rg for t in targets):
            header += (" (the target depends on no trainable or watched tensor: it was "
                       "computed under no_grad, or from constants only)")
        warnings.warn(header + ":\n  - " + "\n  - ".join(reasons), RuntimeWarning, stacklevel=3)

    def jacobian(self, target, source, unconnected_gradients="none"):
        """The Jacobian of ``target`` with respect to ``source``: shape
        ``target.shape + source.shape``.

        Example:
            >>> import ndgrad
            >>> x = ndgrad.Variable([1.0, 2.0])
            >>> with ndgrad.GradientTape() as tape:
            ...     y = x * x
            >>> tape.jacobian(y, x).tolist()
            [[2.0, 0.0], [0.0, 4.0]]
        """
        from ..ops.creation import zeros
        from ..ops.join import stack
        from ..ops.shape import reshape
        self._check_usable()
        rows = []
        create = bool(state.tapes) and state.enabled
        connected = target._rg and self._differentiates(source)
        if target.size and not connected:
            self._warn_no_gradient([source], [target])
        reached = False
        for i in range(target.size):
            seed = _ones(target) * 0
            seed.reshape(-1)[i] = 1
            grad = None
            if connected:
                grad = graph.backward([target], [Tensor._wrap(seed)], retain_graph=True,
                                      create_graph=create, sources=[source])[0]
            if grad is None:
                if unconnected_gradients == "none" and not connected:
                    return None
                grad = zeros(source.shape, dtype=source.dtype)
            else:
                reached = True
            rows.append(grad)
        if target.size and connected and not reached:
            self._warn_no_gradient([source], [target])
        if not rows:
            return zeros(target.shape + source.shape, dtype=source.dtype)
        return reshape(stack(rows), target.shape + source.shape)


_latest = [None]     # (target weakref, {id(source): gradient weakref}) of the last call


def _remember(target, sources, grads):
    """Keep weak references to the gradients the latest call returned, so that
    ``ndgrad.explain`` can report them after the tape freed the graph (the tape
    never writes ``.grad``). Nothing is kept alive by it."""
    _latest[0] = (weakref.ref(target),
                  {id(s): weakref.ref(g) for s, g in zip(sources, grads) if g is not None})


def gradients_given(target):
    """``{id(source): gradient}`` of the latest ``gradient`` call on ``target``
    whose gradients are still alive, else ``{}``.

    Example:
        >>> from ndgrad.autograd.tape import gradients_given
        >>> import ndgrad
        >>> w = ndgrad.Variable([2.0])
        >>> with ndgrad.GradientTape() as tape:
        ...     loss = (w * w).sum()
        >>> grads = tape.gradient(loss, [w])
        >>> gradients_given(loss)[id(w)] is grads[0]
        True
    """
    latest = _latest[0]
    if latest is None or latest[0]() is not target:
        return {}
    given = {key: ref() for key, ref in latest[1].items()}
    return {key: grad for key, grad in given.items() if grad is not None}


def _ones(t):
    import numpy as np
    return np.ones(t.shape, dtype=t.dtype)
