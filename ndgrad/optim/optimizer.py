"""The optimizer base: parameter groups, the two faces, and the cross-cutting work.

One class per algorithm serves both vocabularies:

- PyTorch: ``opt = SGD(model.parameters(), lr=0.1)`` (or a list of
  parameter-group dicts, each with its own hyper-parameters); ``loss.backward()``;
  ``opt.step()``; ``opt.zero_grad()``. Defaults are ``torch.optim``'s.
- Keras: ``opt = Adam(learning_rate=0.01)``; ``opt.apply_gradients(zip(grads,
  variables))``; the optimizer learns its variables from the pairs it is given.
  Defaults are Keras's (``epsilon=1e-7``, ``SGD`` at 0.01, ...).

The update arithmetic is ``torch.optim``'s in both faces (names in both
spellings: ``lr``/``learning_rate``, ``betas``/``beta_1, beta_2``,
``eps``/``epsilon``), with one difference each face's users rely on:
``weight_decay`` is PyTorch's L2 term added to the gradient (decoupled only for
AdamW) in an optimizer built over parameters, and Keras 3's decoupled decay
(``p -= lr * weight_decay * p`` before the update) in one built without them. Hyper-parameters live in ``param_groups`` under PyTorch's
names, so schedulers and users can write ``group["lr"]``.

A subclass implements ``init_state(param, group)`` (its moment arrays) and
``update(param, grad, state, group)`` on NumPy arrays, in place. The base class
does the rest: it reads each parameter's ``trainable`` flag at every step (a
frozen parameter gets no update, no weight decay, and its state, step count
included, does not move; unfreezing needs no rebuild), applies ``maximize``
and weight decay, Keras clipping
(``clipnorm``/``clipvalue``/``global_clipnorm``), Keras schedules passed as the
learning rate, and reports parameters left without a gradient.

A subclass may instead be written as for ``torch.optim`` (tutorial style):
``super().__init__(params, defaults)`` with a dict of defaults, and its own
``step`` looping over ``self.param_groups``, reading ``p.grad`` and keeping
``self.state[p]``. Such a class declares no ``pytorch_defaults``; its groups
keep the values it gives, unconverted (see :class:`Optimizer`).

Example:
    >>> import ndgrad
    >>> w = ndgrad.Variable([1.0])
    >>> opt = ndgrad.optim.SGD([w], lr=0.5)
    >>> (w * w).sum().backward(); opt.step()
    >>> w.tolist()
    [0.0]
"""

import functools
import numbers

from ..autograd.mode import enable_grad
from . import _hyperparameters as hp
from .clipping import check_clip_options, clip_arrays
from .gradients import checked_gradient, regularized_gradient
from .keras_face import KerasFace
from .missing_gradients import MissingGradientReport, parameter_label, why_missing
from .optimizer_state import OptimizerSaving
from .parameter_groups import ParameterState, as_groups, new_group
from .schedules import LearningRateSchedule
from .update_rule import UpdateRule

_OPTIONS = ("clipnorm", "clipvalue", "global_clipnorm", "missing_gradients", "name")

# Arguments of PyTorch's and Keras's optimizers that pick an implementation or
# a feature ndgrad lacks: {name: (the values that change nothing here, why)}.
# An accepted value is ignored (the same math on the CPU); another is refused.
_SWITCHES = {
    "foreach": ((None, True, False), ""),
    "fused": ((None, True, False), ""),
    "capturable": ((None, True, False), ""),
    "differentiable": ((None, False), "ndgrad's optimizer steps are not recorded on the "
                       "graph; differentiate through an update written with ndgrad ops"),
    "use_ema": ((None, False), "keep an exponential moving average of the weights in a "
                "callback instead"),
    "ema_momentum": (None, ""), "ema_overwrite_frequency": (None, ""),
    "loss_scale_factor": ((None, 1, 1.0), "ndgrad trains in float32; scale the loss yourself"),
    "gradient_accumulation_steps": ((None, 1), "accumulate gradients over batches with "
                                    "backward() before step(), or use a larger batch"),
}


def _check_switches(owner, options):
    """Drop the implementation switches from ``options`` (ignored where their
    value changes nothing here), refusing a value that would change results."""
    for name in [n for n in options if n in _SWITCHES]:
        accepted, advice = _SWITCHES[name]
        value = options.pop(name)
        if accepted is not None and not any(value is a or (type(value) is type(a) and value == a)
                                            for a in accepted):
            advice = advice or f"use one of {', '.join(map(repr, accepted))}"
            raise NotImplementedError(f"{owner}: {name}={value!r} is not supported; {advice}")


class Optimizer(KerasFace, UpdateRule, OptimizerSaving):
    """Base class: parameter groups, per-parameter state, both faces.

    Subclasses declare ``pytorch_defaults`` (the hyper-parameters under
    PyTorch's names with ``torch.optim``'s defaults), ``keras_defaults`` (what
    differs in the Keras face), ``keras_names`` (PyTorch name -> Keras name),
    ``state_arrays`` / ``state_scalars`` (what ``update`` keeps), and implement
    ``init_state`` and ``update``.

    A subclass that declares no ``pytorch_defaults`` is PyTorch-style: it calls
    ``super().__init__(params, defaults)`` with a plain dict and defines its own
    ``step`` (``defaults`` entries may be :data:`required`). The base keeps the
    groups, ``state``, ``zero_grad``, ``state_dict`` and the step count that
    schedulers check.

    Args:
        params: an iterable of tensors, of ``(name, tensor)`` pairs, or of
            parameter-group dicts (``{"params": [...], "lr": 0.1}``); None to
            learn the variables from ``apply_gradients`` (Keras style). A number
            or a schedule in this place is taken as the learning rate (Keras's
            first positional argument).
        hyperparameters: the subclass's constructor arguments, both spellings,
            None where not given (PyTorch-style: the defaults dict).
        options: ``clipnorm``, ``clipvalue``, ``global_clipnorm`` (Keras
            clipping, at most one), ``missing_gradients`` (``"warn"``,
            ``"error"`` or ``"ignore"``: what a trainable parameter without a
            gradient at ``step()`` causes), ``name``.

    Attributes:
        param_groups: the groups, dicts with ``"params"`` and the hyper-parameters.
        defaults: the hyper-parameters a new group starts from.
        state: per-parameter dicts (``opt.state[param]``): ``"step"`` and moments.
        iterations: the number of steps that updated at least one parameter
            (Keras schedules are evaluated at it).

    Example:
        >>> import ndgrad
        >>> opt = ndgrad.optim.Adam(learning_rate=0.01)
        >>> opt.learning_rate, opt.epsilon
        (0.01, 1e-07)
        >>> class PlainSGD(ndgrad.optim.Optimizer):          # as a PyTorch tutorial writes it
        ...     def __init__(self, params, lr=0.1):
        ...         super().__init__(params, {"lr": lr})
        ...     @ndgrad.no_grad()
        ...     def step(self, closure=None):
        ...         for group in self.param_groups:
        ...             for p in group["params"]:
        ...                 if p.grad is not None:
        ...                     p -= group["lr"] * p.grad
        >>> w = ndgrad.Variable([2.0]); opt = PlainSGD([w], lr=0.25)
        >>> (w * w).sum().backward(); opt.step(); w.tolist()
        [1.0]
    """

    pytorch_defaults = {"lr": 1e-3, "weight_decay": 0.0, "maximize": False}
    keras_defaults = {}
    keras_names = {"lr": "learning_rate"}
    state_arrays = ()
    state_scalars = ("step",)
    reads_step = True       # False: the update never reads state["step"] (a missing one is 0)
    decoupled_weight_decay = False      # True: decay the weights, not the gradient (AdamW)

    def __init__(self, params=None, hyperparameters=None, options=None):
        owner = type(self).__name__
        if self._pytorch_style():
            self._init_pytorch_style(owner, params, hyperparameters, options)
            return
        hyperparameters, options = dict(hyperparameters or {}), dict(options or {})
        _check_switches(owner, options)
        unknown = sorted(set(options) - set(_OPTIONS))
        if unknown:
            known = sorted(set(hyperparameters) | set(_OPTIONS))
            raise TypeError(f"{owner}: unknown argument(s) {unknown}; known: {known}")
        if _is_learning_rate(params):                 # Keras: Adam(0.001)
            if hp.pick(owner, "lr", hyperparameters.get("lr"), "learning_rate",
                       hyperparameters.get("learning_rate")) is not None:
                raise TypeError(f"{owner}: the first argument {params!r} looks like a learning "
                                "rate, but lr/learning_rate was given too; pass parameters "
                                "first (PyTorch) or only a learning rate (Keras)")
            hyperparameters["learning_rate"], params = params, None
        face_defaults = dict(self.pytorch_defaults)
        if params is None:
            face_defaults.update(self.keras_defaults)
            if "decoupled_weight_decay" in face_defaults:     # Keras 3 decays the weights
                face_defaults["decoupled_weight_decay"] = True
        self.defaults = hp.resolve(owner, hyperparameters, face_defaults, self.keras_names)
        if params is None and "weight_decay" in self.defaults:
            self.decoupled_weight_decay = True
        self._check_group(self.defaults)
        self.clipnorm, self.clipvalue, self.global_clipnorm = check_clip_options(
            owner, options.get("clipnorm"), options.get("clipvalue"),
            options.get("global_clipnorm"))
        self._start(owner, params, options.get("missing_gradients", "warn"), options.get("name"))

    def _start(self, owner, params, missing_gradients, name):
        self._missing_report = MissingGradientReport(owner, missing_gradients)
        self.name = name or owner.lower()
        self.param_groups = []
        self.state = ParameterState()
        self.iterations = 0
        self._step_calls = 0      # every step() call, updating or not (schedulers check it)
        self._scratch = {}        # dtype -> work buffer (scratch_like)
        if params is not None:
            for group in as_groups(owner, params):
                self.add_param_group(group)

    @classmethod
    def _pytorch_style(cls):
        # A subclass that declares no pytorch_defaults of its own is written as
        # for torch.optim: it passes its defaults dict and defines step().
        return cls.pytorch_defaults is Optimizer.pytorch_defaults

    def _init_pytorch_style(self, owner, params, defaults, options):
        if options is not None or not isinstance(defaults, dict):
            raise TypeError(f"{owner}: a PyTorch-style optimizer calls "
                            "super().__init__(params, defaults) with a dict of defaults, got "
                            f"{type(defaults).__name__}" + (" and more" if options else ""))
        if params is None or _is_learning_rate(params):
            raise TypeError(f"{owner}: pass the parameters to optimize first "
                            f"(super().__init__(params, defaults)), got {params!r}")
        self.defaults = dict(defaults)
        self.clipnorm = self.clipvalue = self.global_clipnorm = None
        self._start(owner, params, "warn", None)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        step = cls.__dict__.get("step")
        if step is not None and not getattr(step, "_counts_calls", False):
            cls.step = _counting_calls(step)

    def _check_group(self, group):
        """Raise ValueError when a hyper-parameter is out of range (subclasses add theirs)."""
        owner = type(self).__name__
        lr = group.get("lr")
        if isinstance(lr, numbers.Real):
            hp.require(owner, 0 <= lr < float("inf"),
                       f"learning rate must be finite and >= 0, got {lr}")
        for key in ("weight_decay", "eps"):
            if isinstance(group.get(key), numbers.Real):
                hp.require(owner, group[key] >= 0, f"{key} must be >= 0, got {group[key]}")

    # ------------------------------------------------------------- parameters
    @property
    def params(self):
        """Every parameter, group after group (the order of ``state_dict`` indices).

        Example:
            >>> import ndgrad
            >>> a, b = ndgrad.Variable([1.0]), ndgrad.Variable([2.0])
            >>> ndgrad.optim.SGD([{"params": [a]}, {"params": [b]}], lr=0.1).params == [a, b]
            True
        """
        return [p for group in self.param_groups for p in group["params"]]

    def add_param_group(self, param_group):
        """Add a group of parameters with its own hyper-parameters (PyTorch).

        Hyper-parameters the group does not give come from the optimizer's
        defaults; Keras spellings (``learning_rate``) are accepted.

        Example:
            >>> import ndgrad
            >>> opt = ndgrad.optim.SGD([ndgrad.Variable([1.0])], lr=0.1)
            >>> opt.add_param_group({"params": [ndgrad.Variable([2.0])], "lr": 0.01})
            >>> [group["lr"] for group in opt.param_groups]
            [0.1, 0.01]
        """
        group = new_group(type(self).__name__, param_group, self.params, self.defaults,
                          self.keras_names, pytorch_style=self._pytorch_style())
        self._check_group(group)
        self.param_groups.append(group)

    def zero_grad(self, set_to_none=True):
        """Clear the gradients of every parameter (``None`` by default, as PyTorch).

        Example:
            >>> import ndgrad
            >>> w = ndgrad.Variable([1.0]); opt = ndgrad.optim.SGD([w], lr=0.1)
            >>> (w * 2).sum().backward(); opt.zero_grad(); print(w.grad)
            None
        """
        for p in self.params:
            p.zero_grad(set_to_none=set_to_none)

    # ------------------------------------------------------------- the two faces
    def step(self, closure=None):
        """Update every trainable parameter that has a gradient (PyTorch style).

        A trainable parameter without ``.grad`` is reported as the
        ``missing_gradients`` setting says (default: one warning per set).

        Args:
            closure: a function that recomputes the loss (zeroing and
                backpropagating); its result is returned.

        Example:
            >>> import ndgrad
            >>> w = ndgrad.Variable([2.0]); opt = ndgrad.optim.SGD([w], lr=0.25)
            >>> (w * w).sum().backward(); opt.step(); w.tolist()
            [1.0]
        """
        self._step_calls += 1
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        entries, missing, index = [], [], 0
        for group in self.param_groups:
            names = group.get("param_names")
            for position, param in enumerate(group["params"]):
                if param.trainable:
                    if param.grad is None:
                        name = names[position] if names else None
                        missing.append(why_missing(param, parameter_label(param, index, name)))
                    else:
                        entries.append((param, param.grad, group))
                index += 1
        self._missing_report(missing, "step")
        self._apply(entries, "step")
        return loss

    # ------------------------------------------------------------- the update loop
    def _apply(self, entries, where):
        # Check every gradient before changing anything.
        owner = type(self).__name__
        prepared = [(param, _real_pairs(checked_gradient(owner, where, param, grad)), group)
                    for param, grad, group in entries]
        averager = self.__dict__.get("_gradient_averager")
        if averager is not None:       # a data-parallel fit: the ranks' average (distributed)
            prepared = averager(self, prepared)
        if not prepared:
            return
        grads = clip_arrays([grad for _, grad, _ in prepared], self.clipnorm, self.clipvalue,
                            self.global_clipnorm)
        batches = {}          # id(group) -> (hyper-parameters, arrays, gradients, states)
        for (param, _, group), grad in zip(prepared, grads):
            batch = batches.get(id(group))
            if batch is None:
                batch = batches[id(group)] = (self._current_hyperparameters(group), [], [], [])
            hyper, arrays, gradients, states = batch
            array = _real_pairs(param._data)
            state = self.state[param]
            if not state:
                state["step"] = 0
                state.update(self.init_state(array, hyper))
            state["step"] += 1
            arrays.append(array)
            gradients.append(regularized_gradient(array, grad, hyper,
                                                  self.decoupled_weight_decay))
            states.append(state)
        for hyper, arrays, gradients, states in batches.values():
            self.update_group(arrays, gradients, states, hyper)
        site = f"{owner}.{where}"
        for param, _, _ in prepared:
            param._bump_version(site=site)
        self.iterations += 1

    def _current_hyperparameters(self, group):
        hyper = {key: hp.plain(group.get(key, default)) for key, default in self.defaults.items()}
        lr = hyper["lr"]
        if isinstance(lr, LearningRateSchedule):
            hyper["lr"] = float(lr(self.iterations))
        return hyper

    def __repr__(self):
        shown = ", ".join(f"{key}={value!r}" for key, value in self.defaults.items())
        count = len(self.params)
        return (f"{type(self).__name__}({shown}; {count} parameter{'s' if count != 1 else ''} "
                f"in {len(self.param_groups)} group{'s' if len(self.param_groups) != 1 else ''})")


def _counting_calls(step):
    """``step`` that also counts its calls in ``_step_calls`` (as torch wraps a
    subclass's step), so schedulers can tell whether the optimizer has stepped."""
    @functools.wraps(step)
    def counted(self, *args, **kwargs):
        self._step_calls = getattr(self, "_step_calls", 0) + 1
        return step(self, *args, **kwargs)

    counted._counts_calls = True
    return counted


def _is_learning_rate(value):
    return (isinstance(value, LearningRateSchedule)
            or (isinstance(value, numbers.Real) and not isinstance(value, bool)))


def _real_pairs(array):
    """A complex array as the view of its (real, imaginary) pairs (a last axis of 2),
    PyTorch's ``view_as_real``: its optimizers step a complex parameter as the real
    parameter of twice the size, so Adam's second moment is per part, not ``g * g``.
    A real array passes as it is.

    Example:
        >>> import numpy as np
        >>> _real_pairs(np.array([1 + 2j])).tolist()
        [[1.0, 2.0]]
    """
    if array.dtype.kind != "c":
        return array
    return array[..., None].view(array.real.dtype)
