"""The strong-Wolfe line search of :class:`~ndgrad.optim.LBFGS`.

Along a descent direction ``d`` from the point ``x``, find a step ``t`` where
the loss has fallen enough (sufficient decrease, ``f(t) <= f(0) + c1 t f'(0)``)
and the slope has flattened enough (curvature, ``|f'(t)| <= c2 |f'(0)|``):
the strong Wolfe conditions. Two phases, as in Nocedal and Wright
(Algorithms 3.5 and 3.6) and Schmidt's minFunc, whose choices
``torch.optim.LBFGS`` follows and this module reproduces step for step:

1. Bracketing: try ``t``; while neither condition fails nor both hold,
   extrapolate with a cubic fitted to the last two points, kept within
   ``[t + 0.01 (t - t_prev), 10 t]``.
2. Zoom: shrink the bracket with cubic interpolation, stepping away from
   an end when the minimum falls within 10% of it twice in a row.

Every evaluation counts; the search stops after ``max_evaluations``.

Example:
    >>> from ndgrad.optim.lbfgs import strong_wolfe
    >>> import numpy as np
    >>> def evaluate(t):                      # f(x) = x^2 along d = 1 from x = -1
    ...     x = -1.0 + t
    ...     return x * x, np.array([2 * x])
    >>> loss, grad, t, evaluations = strong_wolfe(evaluate, 3.0, np.array([1.0]), 1.0,
    ...                                           np.array([-2.0]), -2.0)
    >>> float(t), float(loss), evaluations     # 3 overshoots; the cubic lands on 1
    (1.0, 0.0, 2)
"""

import math


def cubic_minimum(x1, f1, g1, x2, f2, g2, bounds=None):
    """The minimizer of the cubic through ``(x1, f1)``, ``(x2, f2)`` with slopes
    ``g1``, ``g2``, clipped to ``bounds`` (default: between ``x1`` and ``x2``);
    the middle of the bounds when the cubic has no minimum.

    Example:
        >>> from ndgrad.optim.line_search import cubic_minimum
        >>> cubic_minimum(0.0, 1.0, -2.0, 2.0, 1.0, 2.0)      # (x - 1)^2
        1.0
    """
    low, high = bounds if bounds is not None else (min(x1, x2), max(x1, x2))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    discriminant = d1 * d1 - g1 * g2
    if not discriminant >= 0:
        return (low + high) / 2.0
    d2 = math.sqrt(discriminant)
    if x1 <= x2:
        position = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        position = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(position, low), high)


class _Point:
    """A step tried: its size, loss, gradient and slope along the direction."""

    __slots__ = ("step", "loss", "grad", "slope")

    def __init__(self, step, loss, grad, slope):
        self.step, self.loss, self.grad, self.slope = step, loss, grad, slope


def strong_wolfe(evaluate, step, direction, loss, grad, slope, c1=1e-4, c2=0.9,
                 tolerance_change=1e-9, max_evaluations=25):
    """A step along ``direction`` satisfying the strong Wolfe conditions.

    Args:
        evaluate: ``evaluate(t)`` -> ``(loss, flat gradient)`` at ``x + t d``
            (it must leave the parameters at ``x``).
        step: the first step to try.
        direction: the flat direction ``d``.
        loss, grad, slope: the loss, flat gradient and ``grad . d`` at ``x``.
        c1, c2: the sufficient-decrease and curvature constants.
        tolerance_change: stop zooming when the bracket is this small
            (measured as ``width * max|d|``).
        max_evaluations: at most this many calls of ``evaluate``.

    Returns:
        ``(loss, grad, step, evaluations)`` at the step chosen.

    Example:
        >>> from ndgrad.optim.lbfgs import strong_wolfe
        >>> import numpy as np
        >>> def evaluate(t):                  # f(x) = x^4 along d = 1 from x = -1
        ...     x = -1.0 + t
        ...     return x ** 4, np.array([4 * x ** 3])
        >>> loss, _, t, _ = strong_wolfe(evaluate, 1.0, np.array([1.0]), 1.0,
        ...                              np.array([-4.0]), -4.0)
        >>> 0 < t <= 1 and loss < 1.0
        True
    """
    start = _Point(0, loss, grad.copy(), slope)
    direction_size = abs(direction).max()
    new_loss, new_grad = evaluate(step)
    evaluations = 1
    current = _Point(step, new_loss, new_grad, new_grad.dot(direction))
    previous = start
    bracket, done, tries = _bracket(evaluate, start, previous, current, direction, c1, c2,
                                    max_evaluations)
    evaluations += tries
    if not done and tries < max_evaluations:
        evaluations += _zoom(evaluate, start, bracket, direction, direction_size, c1, c2,
                             tolerance_change, max_evaluations - tries)
    best = bracket[_lower(bracket)]
    return best.loss, best.grad, best.step, evaluations


def _bracket(evaluate, start, previous, current, direction, c1, c2, max_evaluations):
    """Phase 1: ``(bracket, done, evaluations)``; ``done`` when ``current``
    already satisfies both conditions (the bracket is then that one point)."""
    tries = 0
    while tries < max_evaluations:
        too_high = current.loss > start.loss + c1 * current.step * start.slope
        if too_high or (tries > 1 and current.loss >= previous.loss):
            return [previous, _copied(current)], False, tries
        if abs(current.slope) <= -c2 * start.slope:
            return [current], True, tries
        if current.slope >= 0:
            return [previous, _copied(current)], False, tries
        lowest = current.step + 0.01 * (current.step - previous.step)
        highest = current.step * 10
        step = cubic_minimum(previous.step, previous.loss, previous.slope, current.step,
                             current.loss, current.slope, bounds=(lowest, highest))
        previous = _copied(current)
        new_loss, new_grad = evaluate(step)
        current = _Point(step, new_loss, new_grad, new_grad.dot(direction))
        tries += 1
    # Out of evaluations: keep the better of the start and the last point.
    return [_Point(0, start.loss, start.grad, None), current], False, tries


def _zoom(evaluate, start, bracket, direction, direction_size, c1, c2, tolerance_change,
          max_evaluations):
    """Phase 2: shrink ``bracket`` (two points, changed in place); returns the
    number of evaluations."""
    tries = 0
    stalled = False           # the last trial fell too close to an end of the bracket
    low = _lower(bracket)
    while tries < max_evaluations:
        left, right = bracket[0].step, bracket[1].step
        if abs(right - left) * direction_size < tolerance_change:
            break
        step = cubic_minimum(left, bracket[0].loss, bracket[0].slope,
                             right, bracket[1].loss, bracket[1].slope)
        step, stalled = _away_from_the_ends(step, min(left, right), max(left, right), stalled)
        new_loss, new_grad = evaluate(step)
        tries += 1
        trial = _Point(step, new_loss, new_grad, new_grad.dot(direction))
        high = 1 - low
        if (trial.loss > start.loss + c1 * step * start.slope
                or trial.loss >= bracket[low].loss):
            bracket[high] = _copied(trial)
            low = _lower(bracket)
            continue
        if abs(trial.slope) <= -c2 * start.slope:
            bracket[low] = _copied(trial)
            break
        if trial.slope * (bracket[high].step - bracket[low].step) >= 0:
            bracket[high] = bracket[low]
        bracket[low] = _copied(trial)
    return tries


def _away_from_the_ends(step, lowest, highest, stalled):
    """Keep a zoom trial at least 10% of the bracket from its ends when the
    previous trial was also too close (or this one is outside); ``(step, stalled)``."""
    margin = 0.1 * (highest - lowest)
    if min(highest - step, step - lowest) < margin:
        if stalled or step >= highest or step <= lowest:
            if abs(step - highest) < abs(step - lowest):
                return highest - margin, False
            return lowest + margin, False
        return step, True
    return step, False


def _lower(bracket):
    """The index of the bracket's point with the lower loss (the first on a tie)."""
    return 0 if bracket[0].loss <= bracket[-1].loss else 1


def _copied(point):
    return _Point(point.step, point.loss, point.grad.copy(), point.slope)
