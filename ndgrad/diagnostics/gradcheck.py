"""Check gradients against float64 central finite differences.

``gradcheck(fn, inputs)`` computes ``fn`` in float64, picks a random direction
``v`` per input and a random cotangent ``u`` for the output, and compares the
analytic directional derivative ``<u, J v>`` (from backward) with the numeric
one ``<u, (fn(x + eps v) - fn(x - eps v)) / (2 eps)>``. Random directions catch
wrong rules that a check on one coordinate misses, at the cost of one backward
and two forwards per check.

Example:
    >>> import ndgrad
    >>> x = ndgrad.tensor([0.5, 1.5])
    >>> ndgrad.gradcheck(lambda t: (t * ndgrad.sin(t)).sum(), [x])
    True
"""

import numpy as np

from ..autograd.graph import backward
from ..autograd.mode import enable_grad
from ..tensor import Tensor


class GradcheckError(AssertionError):
    """Analytic and numeric gradients disagree; the message gives the worst input.

    Example:
        >>> from ndgrad import GradcheckError
        >>> issubclass(GradcheckError, AssertionError)
        True
    """


def _outputs(result):
    return list(result) if isinstance(result, (tuple, list)) else [result]


def gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, checks=2, seed=0,
              second_order=False):
    """Return True when ``fn``'s gradients match finite differences, else raise.

    Args:
        fn: a function of tensors returning a tensor (or a tuple of them).
        inputs: the tensors (or arrays) to differentiate with respect to; float
            inputs are checked, others passed through unchanged.
        eps: the finite-difference step (on float64 copies of the inputs).
        atol, rtol: the tolerance on the directional derivative.
        checks: how many random directions to try.
        second_order: also check the gradient of the gradient (through
            ``create_graph=True``) in a random direction.

    Example:
        >>> import ndgrad
        >>> ndgrad.gradcheck(lambda a, b: a @ b, [ndgrad.ones((2, 3)), ndgrad.ones((3,))])
        True
    """
    rng = np.random.default_rng(seed)
    base = [np.array(getattr(x, "_data", x), dtype=np.float64)
            if np.asarray(getattr(x, "_data", x)).dtype.kind == "f"
            else getattr(x, "_data", x) for x in inputs]
    floating = [i for i, b in enumerate(base) if isinstance(b, np.ndarray) and b.dtype.kind == "f"]

    def run(arrays):
        args = [Tensor._wrap(np.asarray(a)) if i in floating else a
                for i, a in enumerate(arrays)]
        return args, _outputs(fn(*args))

    for _ in range(checks):
        leaves = list(base)
        for i in floating:
            leaves[i] = Tensor._wrap(base[i].copy())
            leaves[i].requires_grad_(True)
        with enable_grad():
            outs = _outputs(fn(*leaves))
        cotangents = [rng.standard_normal(o.shape) for o in outs]
        directions = {i: rng.standard_normal(base[i].shape) for i in floating}
        connected = [(o, u) for o, u in zip(outs, cotangents) if o.requires_grad]
        if connected:
            grads = backward([o for o, _ in connected],
                             [Tensor._wrap(u.astype(o.dtype)) for o, u in connected],
                             sources=[leaves[i] for i in floating])
        else:
            grads = [None] * len(floating)
        analytic = sum(float(np.sum(g._data * directions[i]))
                       for i, g in zip(floating, grads) if g is not None)
        plus, minus = list(base), list(base)
        for i in floating:
            plus[i] = np.asarray(base[i] + eps * directions[i])
            minus[i] = np.asarray(base[i] - eps * directions[i])
        _, out_plus = run(plus)
        _, out_minus = run(minus)
        numeric = sum(float(np.sum(u * (p._data - m._data))) / (2 * eps)
                      for u, p, m in zip(cotangents, out_plus, out_minus))
        if not abs(analytic - numeric) <= atol + rtol * abs(numeric):
            worst = _worst_input(fn, base, floating, grads, cotangents, eps)
            raise GradcheckError(
                f"gradcheck: directional derivative {analytic:.6g} (backward) vs "
                f"{numeric:.6g} (finite differences) differ by {abs(analytic - numeric):.3g}; "
                f"{worst}")
    if second_order:
        _check_second_order(fn, base, floating, eps, atol, rtol, rng)
    return True


def _worst_input(fn, base, floating, grads, cotangents, eps):
    """Name the input and element whose analytic gradient is furthest off."""
    def scalar(arrays):
        outs = _outputs(fn(*[Tensor._wrap(np.asarray(a)) if i in floating else a
                             for i, a in enumerate(arrays)]))
        return sum(float(np.sum(u * o._data)) for u, o in zip(cotangents, outs))

    worst = None
    for i, g in zip(floating, grads):
        if g is None:
            return f"input {i} (shape {base[i].shape}) got no gradient at all"
        if base[i].size > 256:
            continue
        for position in np.ndindex(*base[i].shape):
            plus, minus = list(base), list(base)
            plus[i], minus[i] = base[i].copy(), base[i].copy()
            plus[i][position] += eps
            minus[i][position] -= eps
            numeric = (scalar(plus) - scalar(minus)) / (2 * eps)
            error = abs(float(g._data[position]) - numeric)
            if worst is None or error > worst[0]:
                worst = (error, i, position, float(g._data[position]), numeric)
    if worst is None:
        return "inputs too large to locate the worst element"
    error, i, position, analytic, numeric = worst
    return (f"worst element: input {i} at {position}: backward {analytic:.6g}, "
            f"finite differences {numeric:.6g}")


def _check_second_order(fn, base, floating, eps, atol, rtol, rng):
    """Check d/dx <grad f(x), w> against finite differences of the gradient."""
    weights = None

    def gradient_dot(*arrays):
        nonlocal weights
        leaves = list(arrays)
        for i in floating:
            if not leaves[i].requires_grad:
                leaves[i] = Tensor._wrap(leaves[i]._data)
                leaves[i].requires_grad_(True)
        with enable_grad():
            outs = _outputs(fn(*leaves))
            total = sum((o * 1.0).sum() for o in outs if o.requires_grad)
            if not isinstance(total, Tensor):
                return Tensor._wrap(np.zeros(()))
            grads = backward([total], [None], create_graph=True,
                             sources=[leaves[i] for i in floating])
        if weights is None:
            weights = [rng.standard_normal(leaves[i].shape) for i in floating]
        terms = [(g * w).sum() for g, w in zip(grads, weights) if g is not None]
        return sum(terms) if terms else Tensor._wrap(np.zeros(()))

    gradcheck(gradient_dot, [Tensor._wrap(b) if isinstance(b, np.ndarray) else b for b in base],
              eps=eps, atol=atol * 10, rtol=rtol * 10, checks=1)
