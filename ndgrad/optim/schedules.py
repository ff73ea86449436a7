"""Keras-style learning-rate schedules: objects passed as ``learning_rate=``.

A schedule is called with the optimizer's step count (``optimizer.iterations``,
0 at the first update) and returns the learning rate for that step, as Keras's
``keras.optimizers.schedules`` do. They are pure functions of the step: the
optimizer evaluates them before every update, so nothing has to be stepped by
hand. (For the PyTorch style, where a scheduler object writes
``group["lr"]`` when stepped, see :mod:`ndgrad.optim.lr_scheduler`.)

Example:
    >>> import ndgrad
    >>> schedule = ndgrad.optim.schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    >>> optimizer = ndgrad.optim.SGD(learning_rate=schedule)
    >>> [round(schedule(step), 6) for step in (0, 10, 20)]
    [0.1, 0.05, 0.025]
"""

import math


class LearningRateSchedule:
    """Base class: subclasses define ``__call__(step)`` and ``get_config()``.

    Example:
        >>> from ndgrad.optim import LearningRateSchedule
        >>> class Halving(LearningRateSchedule):
        ...     def __call__(self, step):
        ...         return 1.0 / 2 ** float(step)
        ...     def get_config(self):
        ...         return {}
        >>> Halving()(3)
        0.125
    """

    def __call__(self, step):
        """The learning rate at ``step`` (0 at the first update), a Python float.

        Example:
            >>> from ndgrad.optim import ExponentialDecay
            >>> ExponentialDecay(1.0, decay_steps=1, decay_rate=0.5)(3)
            0.125
        """
        raise NotImplementedError(f"{type(self).__name__} must define __call__(step)")

    def get_config(self):
        """The constructor arguments, so that ``from_config`` can rebuild the schedule.

        Example:
            >>> from ndgrad.optim import PiecewiseConstantDecay
            >>> PiecewiseConstantDecay([1], [0.1, 0.01]).get_config()["values"]
            [0.1, 0.01]
        """
        raise NotImplementedError(f"{type(self).__name__} must define get_config()")

    @classmethod
    def from_config(cls, config):
        """A schedule built from ``get_config()``'s output.

        Example:
            >>> from ndgrad.optim import PolynomialDecay
            >>> s = PolynomialDecay(0.1, 100)
            >>> PolynomialDecay.from_config(s.get_config())(50) == s(50)
            True
        """
        return cls(**config)

    def __repr__(self):
        arguments = ", ".join(f"{key}={value!r}" for key, value in self.get_config().items())
        return f"{type(self).__name__}({arguments})"


def _positive_steps(owner, name, value):
    if not value > 0:
        raise ValueError(f"{owner}: {name} must be > 0, got {value!r}")
    return value


class ExponentialDecay(LearningRateSchedule):
    """``initial_learning_rate * decay_rate ** (step / decay_steps)``.

    With ``staircase=True`` the exponent is ``floor(step / decay_steps)``, so
    the rate drops in steps.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: how many steps one factor of ``decay_rate`` takes (> 0).
        decay_rate: the factor per ``decay_steps``.
        staircase: decay at whole multiples of ``decay_steps`` only.
        name: a name for ``get_config``.

    Example:
        >>> from ndgrad.optim import ExponentialDecay
        >>> s = ExponentialDecay(1.0, decay_steps=2, decay_rate=0.5, staircase=True)
        >>> [s(step) for step in range(5)]
        [1.0, 1.0, 0.5, 0.5, 0.25]
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="ExponentialDecay"):
        self.initial_learning_rate = float(initial_learning_rate)
        self.decay_steps = _positive_steps("ExponentialDecay", "decay_steps", decay_steps)
        self.decay_rate = float(decay_rate)
        self.staircase = bool(staircase)
        self.name = name

    def __call__(self, step):
        exponent = float(step) / self.decay_steps
        if self.staircase:
            exponent = math.floor(exponent)
        return self.initial_learning_rate * self.decay_rate ** exponent

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


class PiecewiseConstantDecay(LearningRateSchedule):
    """A constant rate between boundaries: ``values[i]`` while
    ``boundaries[i-1] < step <= boundaries[i]``.

    Args:
        boundaries: increasing step numbers.
        values: one more rate than there are boundaries.
        name: a name for ``get_config``.

    Example:
        >>> from ndgrad.optim import PiecewiseConstantDecay
        >>> s = PiecewiseConstantDecay([2, 4], [1.0, 0.5, 0.1])
        >>> [s(step) for step in range(6)]
        [1.0, 1.0, 1.0, 0.5, 0.5, 0.1]
    """

    def __init__(self, boundaries, values, name="PiecewiseConstantDecay"):
        boundaries, values = list(boundaries), [float(v) for v in values]
        if len(values) != len(boundaries) + 1:
            raise ValueError(f"PiecewiseConstantDecay: values needs one more entry than "
                             f"boundaries; got {len(boundaries)} boundaries and "
                             f"{len(values)} values")
        if any(earlier >= later for earlier, later in zip(boundaries, boundaries[1:])):
            raise ValueError(f"PiecewiseConstantDecay: boundaries must increase, got {boundaries}")
        self.boundaries, self.values, self.name = boundaries, values, name

    def __call__(self, step):
        step = float(step)
        for boundary, value in zip(self.boundaries, self.values):
            if step <= boundary:
                return value
        return self.values[-1]

    def get_config(self):
        return {"boundaries": list(self.boundaries), "values": list(self.values),
                "name": self.name}


class CosineDecay(LearningRateSchedule):
    """Optional linear warm-up, then cosine decay (Keras 3's ``CosineDecay``).

    Without warm-up (``warmup_target=None``) the rate at step ``s`` is
    ``initial * ((1 - alpha) * 0.5 * (1 + cos(pi * min(s, d) / d)) + alpha)``
    with ``d = decay_steps``. With warm-up, it rises linearly from
    ``initial_learning_rate`` to ``warmup_target`` over ``warmup_steps``, then
    decays from ``warmup_target`` by the formula above counted from the end of
    the warm-up.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: the length of the decay (> 0).
        alpha: the final rate as a fraction of the decayed-from rate.
        name: a name for ``get_config``.
        warmup_target: the rate at the end of the warm-up (None: no warm-up).
        warmup_steps: the length of the warm-up.

    Example:
        >>> from ndgrad.optim import CosineDecay
        >>> s = CosineDecay(0.0, decay_steps=4, warmup_target=1.0, warmup_steps=2)
        >>> [round(s(step), 4) for step in range(7)]
        [0.0, 0.5, 1.0, 0.8536, 0.5, 0.1464, 0.0]
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay",
                 warmup_target=None, warmup_steps=0):
        self.initial_learning_rate = float(initial_learning_rate)
        self.decay_steps = _positive_steps("CosineDecay", "decay_steps", decay_steps)
        self.alpha = float(alpha)
        self.name = name
        self.warmup_target = None if warmup_target is None else float(warmup_target)
        if warmup_steps < 0:
            raise ValueError(f"CosineDecay: warmup_steps must be >= 0, got {warmup_steps}")
        self.warmup_steps = warmup_steps

    def _decayed(self, step, start):
        cosine = 0.5 * (1.0 + math.cos(math.pi * step / self.decay_steps))
        return start * ((1.0 - self.alpha) * cosine + self.alpha)

    def __call__(self, step):
        step = float(step)
        if self.warmup_target is None:
            return self._decayed(min(step, self.decay_steps), self.initial_learning_rate)
        step = min(step, self.decay_steps + self.warmup_steps)
        if step < self.warmup_steps:
            rise = self.warmup_target - self.initial_learning_rate
            return rise * step / self.warmup_steps + self.initial_learning_rate
        return self._decayed(step - self.warmup_steps, self.warmup_target)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "alpha": self.alpha, "name": self.name,
                "warmup_target": self.warmup_target, "warmup_steps": self.warmup_steps}


class PolynomialDecay(LearningRateSchedule):
    """``(initial - end) * (1 - s / decay_steps) ** power + end``, with ``s`` capped
    at ``decay_steps``; with ``cycle=True`` the horizon grows to the next
    multiple of ``decay_steps`` instead.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: the length of the decay (> 0).
        end_learning_rate: the rate reached at ``decay_steps`` (default 1e-4).
        power: the exponent (1: linear).
        cycle: restart the decay from higher each time ``decay_steps`` passes.
        name: a name for ``get_config``.

    Example:
        >>> from ndgrad.optim import PolynomialDecay
        >>> s = PolynomialDecay(1.0, decay_steps=4, end_learning_rate=0.0)
        >>> [s(step) for step in (0, 2, 4, 8)]
        [1.0, 0.5, 0.0, 0.0]
    """

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0,
                 cycle=False, name="PolynomialDecay"):
        self.initial_learning_rate = float(initial_learning_rate)
        self.decay_steps = _positive_steps("PolynomialDecay", "decay_steps", decay_steps)
        self.end_learning_rate = float(end_learning_rate)
        self.power = float(power)
        self.cycle = bool(cycle)
        self.name = name

    def __call__(self, step):
        step = float(step)
        horizon = float(self.decay_steps)
        if self.cycle:
            # The first multiple of decay_steps at or above the step (1 at step 0).
            horizon *= 1.0 if step == 0 else math.ceil(step / horizon)
        else:
            step = min(step, horizon)
        fraction = step / horizon
        span = self.initial_learning_rate - self.end_learning_rate
        return span * (1.0 - fraction) ** self.power + self.end_learning_rate

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "end_learning_rate": self.end_learning_rate,
                "power": self.power, "cycle": self.cycle, "name": self.name}


def serialize(schedule):
    """``{"class_name": ..., "config": ...}`` for a schedule (plain JSON values).

    Example:
        >>> from ndgrad.optim import PolynomialDecay
        >>> from ndgrad.optim.optimizer_state import serialize
        >>> serialize(PolynomialDecay(0.1, 10))["class_name"]
        'PolynomialDecay'
    """
    return {"class_name": type(schedule).__name__, "config": schedule.get_config()}


def deserialize(config):
    """The schedule that :func:`serialize` described; user subclasses are found too.

    Example:
        >>> from ndgrad.optim import ExponentialDecay
        >>> from ndgrad.optim.optimizer_state import serialize
        >>> from ndgrad.optim.optimizer_state import deserialize
        >>> deserialize(serialize(ExponentialDecay(0.1, 10, 0.5)))(10)
        0.05
    """
    known = {cls.__name__: cls for cls in _subclasses(LearningRateSchedule)}
    name = config.get("class_name") if isinstance(config, dict) else None
    if name not in known:
        raise ValueError(f"schedules.deserialize: unknown schedule {name!r}; known: "
                         f"{sorted(known)} (define the class before loading)")
    return known[name].from_config(dict(config.get("config", {})))


def _subclasses(cls):
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found
