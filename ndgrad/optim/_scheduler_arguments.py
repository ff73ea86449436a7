"""Scheduler arguments checked with messages that name the scheduler, the argument
and the value, and scheduler construction that changes nothing when it fails.

``number``/``whole`` replace bare ``float()``/``int()`` (whose "could not convert
string to float: 'a'" names nothing); :func:`guard_init` wraps every scheduler's
``__init__`` so that a constructor that raises (a bad argument found late, a
``lr_lambda`` that raises at epoch 0) leaves the optimizer's ``param_groups`` as
they were: no ``initial_lr``, ``max_lr`` or momentum written.

Example:
    >>> number("ExponentialLR", "gamma", 0.5)
    0.5
    >>> number("ExponentialLR", "gamma", "a")
    Traceback (most recent call last):
    TypeError: ExponentialLR: gamma must be a real number, got str 'a'
"""

import functools
import math
import numbers


def number(owner, name, value, minimum=None, *, above=None):
    """``value`` as a finite float (``minimum``: allowed lower bound; ``above``: strict
    lower bound), or TypeError/ValueError naming ``owner`` and ``name``.

    Example:
        >>> number("OneCycleLR", "div_factor", 0, above=0)
        Traceback (most recent call last):
        ValueError: OneCycleLR: div_factor must be > 0, got 0
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{owner}: {name} must be a real number, got "
                        f"{type(value).__name__} {value!r}")
    result = float(value)
    if not math.isfinite(result):
        raise ValueError(f"{owner}: {name} must be finite, got {value!r}")
    if minimum is not None and result < minimum:
        raise ValueError(f"{owner}: {name} must be >= {minimum}, got {value!r}")
    if above is not None and result <= above:
        raise ValueError(f"{owner}: {name} must be > {above}, got {value!r}")
    return result


def whole(owner, name, value, minimum=None):
    """``value`` as an int (bools refused, NumPy ints accepted) >= ``minimum``.

    Example:
        >>> whole("MultiStepLR", "milestones[0]", "a")
        Traceback (most recent call last):
        TypeError: MultiStepLR: milestones[0] must be an int, got str 'a'
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{owner}: {name} must be an int, got {type(value).__name__} {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{owner}: {name} must be >= {minimum}, got {value!r}")
    return int(value)


def per_group(owner, name, optimizer, value):
    """One float per parameter group from a number or a list of them.

    Example:
        >>> import ndgrad
        >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
        >>> per_group("OneCycleLR", "max_lr", opt, 0.1)
        [0.1]
    """
    groups = len(optimizer.param_groups)
    if isinstance(value, (list, tuple)):
        if len(value) != groups:
            raise ValueError(f"{owner}: {name} has {len(value)} values for {groups} parameter "
                             "groups; give one per group or a single number")
        return [number(owner, f"{name}[{i}]", v) for i, v in enumerate(value)]
    return [number(owner, name, value)] * groups


def _optimizers_in(args, kwargs):
    from .optimizer import Optimizer
    found = []
    for value in list(args) + list(kwargs.values()):
        candidates = value if isinstance(value, (list, tuple)) else [value]
        for item in candidates:
            optimizer = item if isinstance(item, Optimizer) else getattr(item, "optimizer", None)
            if isinstance(optimizer, Optimizer) and all(optimizer is not f for f in found):
                found.append(optimizer)
    return found


def guard_init(init):
    """Wrap a scheduler ``__init__`` so that, when it raises, every optimizer it was
    given gets back its ``param_groups`` exactly (the outermost call restores).

    Example:
        >>> import ndgrad
        >>> opt = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
        >>> try:
        ...     ndgrad.optim.lr_scheduler.LambdaLR(opt, lambda epoch: 1 / 0)
        ... except ZeroDivisionError:
        ...     pass
        >>> "initial_lr" in opt.param_groups[0]
        False
    """
    @functools.wraps(init)
    def init_or_nothing(self, *args, **kwargs):
        if getattr(self, "_init_guarded", False):        # a subclass's guard is outside
            return init(self, *args, **kwargs)
        saved = [(optimizer, list(optimizer.param_groups),
                  [dict(group) for group in optimizer.param_groups])
                 for optimizer in _optimizers_in(args, kwargs)]
        self._init_guarded = True
        try:
            return init(self, *args, **kwargs)
        except BaseException:
            for optimizer, groups, contents in saved:
                optimizer.param_groups[:] = groups
                for group, content in zip(groups, contents):
                    group.clear()
                    group.update(content)
            raise
        finally:
            self.__dict__.pop("_init_guarded", None)
    init_or_nothing._guarded = True
    return init_or_nothing


def check_state_types(owner, current, given):
    """Refuse, before anything is loaded, a scheduler state whose values do not have
    the types of the scheduler's own (an int epoch, float rates, lists of the same
    length...), naming the entry.

    Example:
        >>> check_state_types("StepLR", {"last_epoch": 0}, {"last_epoch": "x"})
        Traceback (most recent call last):
        TypeError: StepLR.load_state_dict: 'last_epoch' must be an int, got str 'x'
    """
    for key, value in given.items():
        if key in current:
            _check_like(f"{owner}.load_state_dict", repr(key), current[key], value)


def _check_like(owner, label, reference, value):
    if reference is None or value is None or callable(reference):
        return
    if isinstance(reference, bool):
        ok, wanted = isinstance(value, (bool, numbers.Integral)), "a bool"
    elif isinstance(reference, numbers.Integral):
        ok, wanted = isinstance(value, numbers.Integral) and not isinstance(value, bool), "an int"
    elif isinstance(reference, numbers.Real):
        ok, wanted = isinstance(value, numbers.Real) and not isinstance(value, bool), "a number"
    elif isinstance(reference, str):
        ok, wanted = isinstance(value, str), "a string"
    elif isinstance(reference, (list, tuple)):
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"{owner}: {label} must be a list, got {type(value).__name__} "
                            f"{value!r}")
        if reference and len(value) != len(reference):
            raise ValueError(f"{owner}: {label} has {len(value)} entries, the scheduler has "
                             f"{len(reference)} (one per parameter group)")
        for index, (ref_item, item) in enumerate(zip(reference, value)):
            _check_like(owner, f"{label}[{index}]", ref_item, item)
        return
    else:
        return
    if not ok:
        raise TypeError(f"{owner}: {label} must be {wanted}, got {type(value).__name__} "
                        f"{value!r}")
