"""Module hooks, as PyTorch's: functions run around a module's forward and backward.

- ``register_forward_pre_hook(hook)``: ``hook(module, args)`` runs before
  ``forward``; a result other than None replaces the positional inputs (a
  non-tuple becomes a 1-tuple). With ``with_kwargs=True`` it is
  ``hook(module, args, kwargs)`` and returns ``(args, kwargs)`` or None.
- ``register_forward_hook(hook)``: ``hook(module, args, output)`` runs after
  ``forward``; a result other than None replaces the output
  (``hook(module, args, kwargs, output)`` with ``with_kwargs=True``).
- ``register_full_backward_pre_hook(hook)``: ``hook(module, grad_output)`` runs
  when the gradients with respect to the module's outputs are known; a result
  other than None replaces them.
- ``register_full_backward_hook(hook)``: ``hook(module, grad_input, grad_output)``
  runs when the gradients with respect to the module's positional inputs are
  known; a result other than None replaces ``grad_input``. Entries are None for
  arguments that are not tensors or need no gradient.

Each returns a :class:`RemovableHandle`; ``handle.remove()`` takes the hook
away (a handle is also a context manager). Hooks run in registration order
(``prepend=True`` puts one first). A module without hooks pays one attribute
check per call.

Example:
    >>> import ndgrad
    >>> layer = ndgrad.nn.Linear(2, 2)
    >>> seen = []
    >>> handle = layer.register_forward_hook(lambda m, args, out: seen.append(out.shape))
    >>> _ = layer(ndgrad.ones((3, 2))); handle.remove(); _ = layer(ndgrad.ones((1, 2)))
    >>> seen
    [(3, 2)]
"""

import itertools

from ..autograd.function import Function
from ..autograd.mode import state
from ..tensor import Tensor

_ids = itertools.count()


class RemovableHandle:
    """What a ``register_*_hook`` returns: ``remove()`` unregisters the hook.

    Example:
        >>> import ndgrad
        >>> layer = ndgrad.nn.Identity()
        >>> with layer.register_forward_pre_hook(lambda m, args: (args[0] * 2,)):
        ...     layer(ndgrad.tensor([1.0])).tolist()
        [2.0]
        >>> layer(ndgrad.tensor([1.0])).tolist()
        [1.0]
    """

    def __init__(self, table):
        self.id = next(_ids)
        self._table = table

    def remove(self):
        """Unregister the hook (removing twice does nothing)."""
        self._table.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


class _ModuleHooks:
    """One module's hooks: four ordered tables of id -> (hook, with_kwargs)."""

    __slots__ = ("forward_pre", "forward", "backward_pre", "backward")

    def __init__(self):
        self.forward_pre, self.forward = {}, {}
        self.backward_pre, self.backward = {}, {}

    def add(self, kind, hook, prepend=False, with_kwargs=False):
        if not callable(hook):
            raise TypeError(f"register_{kind}_hook: the hook must be callable, got "
                            f"{type(hook).__name__}")
        table = getattr(self, kind)
        handle = RemovableHandle(table)
        table[handle.id] = (hook, with_kwargs)
        if prepend:
            entries = list(table.items())
            table.clear()
            table.update([entries[-1]] + entries[:-1])
        return handle

    def before_forward(self, module, args, kwargs):
        """Run the pre-hooks; returns ``(args, kwargs, call)``, where ``call`` is None
        when nothing has to happen after forward."""
        if not (self.forward_pre or self.forward or self.backward_pre or self.backward):
            return args, kwargs, None
        for hook, with_kwargs in list(self.forward_pre.values()):
            if with_kwargs:
                result = hook(module, args, kwargs)
                if result is not None:
                    if not (isinstance(result, tuple) and len(result) == 2):
                        raise RuntimeError(
                            f"forward pre-hook {_name(hook)} with with_kwargs=True must return "
                            f"None or a tuple (args, kwargs), got {type(result).__name__}")
                    args, kwargs = result
            else:
                result = hook(module, args)
            if result is not None and not with_kwargs:
                args = result if isinstance(result, tuple) else (result,)
        call = _HookedCall(module, self, args, kwargs)
        if (self.backward or self.backward_pre) and state.enabled:
            args = call.watch_inputs(args)
        return args, kwargs, call


class _HookedCall:
    """One call of a hooked module: runs the forward hooks and links the backward ones."""

    def __init__(self, module, hooks, args, kwargs):
        self.module, self.hooks, self.args, self.kwargs = module, hooks, args, kwargs
        self.input_count = len(args)
        self.input_positions = ()
        self.grad_outputs = None

    def watch_inputs(self, args):
        positions = tuple(i for i, a in enumerate(args) if isinstance(a, Tensor) and a._rg)
        if not positions:
            return args
        self.input_positions = positions
        watched = _WatchInputs.apply(*(args[i] for i in positions), call=self)
        watched = watched if isinstance(watched, tuple) else (watched,)
        args = list(args)
        for i, tensor in zip(positions, watched):
            args[i] = tensor
        return tuple(args)

    def after_forward(self, output):
        module = self.module
        for hook, with_kwargs in list(self.hooks.forward.values()):
            result = (hook(module, self.args, self.kwargs, output) if with_kwargs
                      else hook(module, self.args, output))
            if result is not None:
                output = result
        if self.hooks.backward or self.hooks.backward_pre:
            output = self._watch_outputs(output)
        return output

    def _watch_outputs(self, output):
        single = isinstance(output, Tensor)
        items = [output] if single else list(output) if isinstance(output, (tuple, list)) else None
        if items is None:
            return output
        positions = tuple(i for i, o in enumerate(items) if isinstance(o, Tensor) and o._rg)
        if not positions or not state.enabled:
            return output
        self.output_count, self.output_positions = len(items), positions
        watched = _WatchOutputs.apply(*(items[i] for i in positions), call=self)
        watched = watched if isinstance(watched, tuple) else (watched,)
        for i, tensor in zip(positions, watched):
            items[i] = tensor
        return items[0] if single else type(output)(items)

    # ------------------------------------------------------------ backward side
    def output_gradients_arrived(self, grads):
        grad_output = [None] * self.output_count
        for i, g in zip(self.output_positions, grads):
            grad_output[i] = g
        grad_output = tuple(grad_output)
        for hook, _ in list(self.hooks.backward_pre.values()):
            result = hook(self.module, grad_output)
            if result is not None:
                grad_output = _checked(result, len(grad_output), hook, "grad_output")
        self.grad_outputs = grad_output
        if not self.input_positions:       # nothing flows further: report now
            self._run_backward_hooks((None,) * self.input_count)
        return tuple(grad_output[i] for i in self.output_positions)

    def input_gradients_arrived(self, grads):
        grad_input = [None] * self.input_count
        for i, g in zip(self.input_positions, grads):
            grad_input[i] = g
        grad_input = self._run_backward_hooks(tuple(grad_input))
        return tuple(grad_input[i] for i in self.input_positions)

    def _run_backward_hooks(self, grad_input):
        for hook, _ in list(self.hooks.backward.values()):
            result = hook(self.module, grad_input, self.grad_outputs)
            if result is not None:
                grad_input = _checked(result, len(grad_input), hook, "grad_input")
        return grad_input


def _checked(result, count, hook, what):
    result = tuple(result) if isinstance(result, (tuple, list)) else (result,)
    if len(result) != count:
        raise RuntimeError(f"backward hook {_name(hook)} returned {len(result)} value(s) for "
                           f"{what}, which has {count}; return one per entry (None where none)")
    return result


def _name(hook):
    return getattr(hook, "__qualname__", type(hook).__name__)


class _WatchInputs(Function):
    """Identity on the inputs; its backward hands their gradients to the hooks."""

    @staticmethod
    def forward(ctx, *tensors, call):
        ctx.call = call
        return tensors if len(tensors) > 1 else tensors[0]

    @staticmethod
    def backward(ctx, *grads):
        return ctx.call.input_gradients_arrived(grads)


class _WatchOutputs(Function):
    """Identity on the outputs; its backward hands their gradients to the hooks."""

    @staticmethod
    def forward(ctx, *tensors, call):
        ctx.call = call
        return tensors if len(tensors) > 1 else tensors[0]

    @staticmethod
    def backward(ctx, *grads):
        return ctx.call.output_gradients_arrived(grads)


def _unsupported(name, instead):
    def refuse(self):
        raise AttributeError(f"{type(self).__name__}.{name} is not supported by ndgrad; "
                             f"{instead}")
    return property(refuse, doc=f"Not supported: {instead}")


class HooksMixin:
    """The ``register_*_hook`` methods of :class:`ndgrad.nn.Module`."""

    _module_hooks = None        # a _ModuleHooks once a hook is registered

    def _hooks_table(self):
        hooks = self.__dict__.get("_module_hooks")
        if hooks is None:
            hooks = _ModuleHooks()
            object.__setattr__(self, "_module_hooks", hooks)
        return hooks

    def register_forward_pre_hook(self, hook, *, prepend=False, with_kwargs=False):
        """Run ``hook(module, args)`` before each forward; a non-None result replaces args.

        Example:
            >>> import ndgrad
            >>> layer = ndgrad.nn.Identity()
            >>> _ = layer.register_forward_pre_hook(lambda m, args: args[0] + 1)
            >>> layer(ndgrad.tensor([1.0])).tolist()
            [2.0]
        """
        return self._hooks_table().add("forward_pre", hook, prepend, with_kwargs)

    def register_forward_hook(self, hook, *, prepend=False, with_kwargs=False,
                              always_call=False):
        """Run ``hook(module, args, output)`` after each forward; a non-None result
        replaces the output.

        Example:
            >>> import ndgrad
            >>> layer = ndgrad.nn.Identity()
            >>> _ = layer.register_forward_hook(lambda m, args, out: out * 10)
            >>> layer(ndgrad.tensor([1.0])).tolist()
            [10.0]
        """
        if always_call:
            raise ValueError("register_forward_hook: always_call=True (run the hook even when "
                             "forward raises) is not supported; catch the error around the call")
        return self._hooks_table().add("forward", hook, prepend, with_kwargs)

    def register_full_backward_pre_hook(self, hook, prepend=False):
        """Run ``hook(module, grad_output)`` when the gradients of the outputs are known;
        a non-None result (a tuple, one per output) replaces them.

        Example:
            >>> import ndgrad
            >>> layer = ndgrad.nn.Identity()
            >>> _ = layer.register_full_backward_pre_hook(lambda m, g: (g[0] * 3,))
            >>> x = ndgrad.Variable([1.0]); layer(x).sum().backward(); x.grad.tolist()
            [3.0]
        """
        return self._hooks_table().add("backward_pre", hook, prepend)

    def register_full_backward_hook(self, hook, prepend=False):
        """Run ``hook(module, grad_input, grad_output)`` when the gradients of the
        positional inputs are known; a non-None result replaces ``grad_input``.

        Example:
            >>> import ndgrad
            >>> layer = ndgrad.nn.Linear(1, 1, bias=False); _ = layer.weight.assign([[2.0]])
            >>> grads = []
            >>> _ = layer.register_full_backward_hook(lambda m, gi, go: grads.append((gi, go)))
            >>> x = ndgrad.Variable([[1.0]]); layer(x).sum().backward()
            >>> [(gi[0].tolist(), go[0].tolist()) for gi, go in grads]
            [([[2.0]], [[1.0]])]
        """
        return self._hooks_table().add("backward", hook, prepend)

    register_backward_hook = _unsupported(
        "register_backward_hook", "use register_full_backward_hook (PyTorch deprecated "
        "this one: its gradients were those of the module's last operation)")
    share_memory = _unsupported(
        "share_memory", "ndgrad tensors cannot be shared between processes (Hogwild "
        "training); train in one process")
