"""L-BFGS: a quasi-Newton method that re-evaluates the loss through a closure
(``torch.optim.LBFGS``'s algorithm, iterate for iterate).

Each ``step(closure)`` runs up to ``max_iter`` iterations on the flat vector of
all trainable parameters. An iteration turns the gradient into a direction
with the two-loop recursion over the last ``history_size`` curvature pairs
``(s, y)`` (steps and gradient changes), scaled by ``H = s.y / y.y``; then
moves by ``lr`` along it (the very first move by ``min(1, 1/|g|_1) lr``), or by
the step a strong-Wolfe line search finds (``line_search_fn="strong_wolfe"``).
It stops early when the gradient is below ``tolerance_grad`` (max-norm), or
the move or the change in loss is below ``tolerance_change``, or after
``max_eval`` evaluations of the closure.

Example:
    >>> import ndgrad
    >>> w = ndgrad.Variable([3.0, -2.0], dtype="float64")
    >>> opt = ndgrad.optim.LBFGS([w], line_search_fn="strong_wolfe")
    >>> def closure():
    ...     opt.zero_grad()
    ...     loss = ((w - 1.0) ** 2).sum()
    ...     loss.backward()
    ...     return loss
    >>> _ = opt.step(closure); [round(v, 6) for v in w.tolist()]
    [1.0, 1.0]
"""

import numbers

from .._backend import xp
from ..autograd.mode import enable_grad
from .gradients import array_of, checked_gradient
from .line_search import strong_wolfe
from .lbfgs_state import HISTORY_KEYS, loaded_lbfgs_entry, saved_lbfgs_entry
from .missing_gradients import parameter_label, why_missing
from .optimizer import Optimizer

LINE_SEARCHES = (None, "strong_wolfe")


class LBFGS(Optimizer):
    """Limited-memory BFGS with an optional strong-Wolfe line search (PyTorch face only).

    ``step(closure)`` needs a closure that zeroes the gradients, computes the
    loss, calls ``backward()`` and returns the loss; it is called several
    times per step. One parameter group only. Frozen parameters
    (``trainable=False``) are left out; a parameter without a gradient counts
    as a zero gradient (reported as ``missing_gradients`` says). The state
    (``optimizer.state[first parameter]``) keeps torch's entries: ``func_evals``,
    ``n_iter``, the direction ``d`` and step ``t``, the history ``old_dirs``,
    ``old_stps``, ``ro``, ``H_diag``, ``prev_flat_grad``, ``prev_loss``.

    Args:
        params: the parameters (one group).
        lr: the step length (default 1).
        max_iter: iterations per ``step`` (default 20).
        max_eval: closure evaluations per ``step`` (default ``max_iter * 5 // 4``).
        tolerance_grad: stop when ``max|g| <= tolerance_grad`` (default 1e-7).
        tolerance_change: stop when the move or the loss change is below it (1e-9).
        history_size: the number of curvature pairs kept (default 100).
        line_search_fn: None (fixed steps) or ``"strong_wolfe"``.

    Example:
        >>> import ndgrad
        >>> opt = ndgrad.optim.LBFGS([ndgrad.Variable([1.0])], max_iter=5)
        >>> opt.param_groups[0]["max_eval"], opt.param_groups[0]["history_size"]
        (6, 100)
    """

    pytorch_defaults = {"lr": 1.0, "max_iter": 20, "max_eval": None, "tolerance_grad": 1e-7,
                        "tolerance_change": 1e-9, "history_size": 100, "line_search_fn": None}
    keras_names = {"lr": "learning_rate"}
    state_scalars = ("func_evals", "n_iter", "t", "H_diag", "prev_loss")
    state_arrays = ("d", "prev_flat_grad")

    def __init__(self, params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7,
                 tolerance_change=1e-9, history_size=100, line_search_fn=None):
        if params is None or isinstance(params, numbers.Real):
            raise TypeError("LBFGS: pass the parameters to optimize first (LBFGS(params, ...)); "
                            "it has no Keras face and learns no variables from "
                            "apply_gradients")
        if max_eval is None and isinstance(max_iter, numbers.Integral):
            max_eval = max_iter * 5 // 4
        super().__init__(params, {"lr": lr, "max_iter": max_iter, "max_eval": max_eval,
                                  "tolerance_grad": tolerance_grad,
                                  "tolerance_change": tolerance_change,
                                  "history_size": history_size,
                                  "line_search_fn": line_search_fn})
        self._layout = None      # the trainable parameters the history was built on

    def _check_group(self, group):
        super()._check_group(group)
        for key in ("max_iter", "max_eval", "history_size"):
            value = group[key]
            if not (isinstance(value, numbers.Integral) and value > 0):
                raise ValueError(f"LBFGS: {key} must be a positive int, got {value!r}")
        for key in ("tolerance_grad", "tolerance_change"):
            if not group[key] >= 0:
                raise ValueError(f"LBFGS: {key} must be >= 0, got {group[key]!r}")
        if group["line_search_fn"] not in LINE_SEARCHES:
            raise ValueError(f"LBFGS: line_search_fn must be None or 'strong_wolfe', got "
                             f"{group['line_search_fn']!r}")

    def add_param_group(self, param_group):
        """Refused after the first group: LBFGS works on one flat vector with one
        set of options (as ``torch.optim.LBFGS``).

        Example:
            >>> import ndgrad
            >>> opt = ndgrad.optim.LBFGS([ndgrad.Variable([1.0])])
            >>> opt.add_param_group({"params": [ndgrad.Variable([2.0])]})
            Traceback (most recent call last):
            ...
            ValueError: LBFGS doesn't support per-parameter options (parameter groups); put
            every parameter in one group
        """
        if self.param_groups:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups); "
                             "put every parameter in one group")
        super().add_param_group(param_group)

    def apply_gradients(self, grads_and_vars):
        """Refused: LBFGS re-evaluates the loss, so it needs ``step(closure)``.

        Example:
            >>> import ndgrad
            >>> ndgrad.optim.LBFGS([ndgrad.Variable([1.0])]).apply_gradients([])
            Traceback (most recent call last):
            ...
            TypeError: LBFGS.apply_gradients: LBFGS evaluates the loss several times per step;
            call optimizer.step(closure) with a closure that computes the loss and its gradients
        """
        raise TypeError("LBFGS.apply_gradients: LBFGS evaluates the loss several times per "
                        "step; call optimizer.step(closure) with a closure that computes the "
                        "loss and its gradients")

    # ------------------------------------------------------------- flat vectors
    def _trainable(self):
        return [p for p in self.param_groups[0]["params"] if p.trainable]

    def _flat_gradient(self, params, report=False):
        pieces, missing = [], []
        for index, p in enumerate(params):
            if p.grad is None:
                missing.append(why_missing(p, parameter_label(p, index)))
                pieces.append(xp.zeros(p.size, dtype=p.dtype))
            else:
                pieces.append(checked_gradient("LBFGS", "step", p, p.grad).ravel())
        if report:
            self._missing_report(missing, "step", stacklevel=5)
        return xp.concatenate(pieces)

    def _move(self, params, step, direction):
        """Add ``step * direction`` to the parameters."""
        offset = 0
        for p in params:
            array = array_of(p)
            array += step * direction[offset:offset + array.size].reshape(array.shape)
            offset += array.size
            p._bump_version(site="LBFGS.step")

    def _evaluate(self, closure):
        with enable_grad():
            return closure()

    # ------------------------------------------------------------- the step
    def step(self, closure=None):
        """Run up to ``max_iter`` L-BFGS iterations; returns the closure's first loss.

        Example:
            >>> import ndgrad
            >>> w = ndgrad.Variable([2.0], dtype="float64"); opt = ndgrad.optim.LBFGS([w])
            >>> def closure():
            ...     opt.zero_grad(); loss = (w * w).sum(); loss.backward(); return loss
            >>> opt.step(closure).item(), w.tolist()
            (4.0, [0.0])
        """
        if not callable(closure):
            raise TypeError("LBFGS.step: needs a closure (a function that zeroes the gradients, "
                            "computes the loss, calls backward() and returns the loss), got "
                            f"{closure!r}")
        group = self.param_groups[0]
        params = self._trainable()
        if any(p.dtype.kind == "c" for p in params):
            raise TypeError("LBFGS.step: complex parameters are not supported yet (its curvature "
                            "pairs would need conjugated dot products); step them with SGD or "
                            "Adam, or keep the real and imaginary parts as two real parameters")
        state = self.state[group["params"][0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)
        first_loss = self._evaluate(closure)
        state["func_evals"] += 1
        if not params:
            return first_loss
        layout = [id(p) for p in params]
        if layout != self._layout:
            if self._layout is not None:          # trainable flags changed: start afresh
                for key in HISTORY_KEYS:
                    state.pop(key, None)
            self._layout = layout
        grad = self._flat_gradient(params, report=True)
        if abs(grad).max() <= group["tolerance_grad"]:
            return first_loss
        self._iterate(closure, params, group, state, float(first_loss), grad)
        return first_loss

    def _iterate(self, closure, params, group, state, loss, grad):
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tolerance_change = group["tolerance_change"]
        direction, step = state.get("d"), state.get("t")
        dirs, steps, rhos = state.get("old_dirs"), state.get("old_stps"), state.get("ro")
        h_diag = state.get("H_diag")
        previous_grad, previous_loss = state.get("prev_flat_grad"), state.get("prev_loss")
        evaluations, iteration, moved = 1, 0, False
        while iteration < max_iter:
            iteration += 1
            state["n_iter"] += 1
            if dirs is None:                      # the first iteration: steepest descent
                direction = -grad
                dirs, steps, rhos, h_diag = [], [], [], 1
            else:
                h_diag = _remember(grad - previous_grad, direction * step, dirs, steps, rhos,
                                   h_diag, group["history_size"])
                direction = _two_loop_direction(grad, dirs, steps, rhos, h_diag)
            first = previous_grad is None
            previous_grad, previous_loss = grad.copy(), loss
            step = min(1.0, 1.0 / abs(grad).sum()) * lr if first else lr
            slope = grad.dot(direction)
            if slope > -tolerance_change:
                break
            found = 0
            if group["line_search_fn"] == "strong_wolfe":
                start = [array_of(p).copy() for p in params]

                def evaluate(trial, start=start, direction=direction):
                    self._move(params, trial, direction)
                    trial_loss = float(self._evaluate(closure))
                    trial_grad = self._flat_gradient(params)
                    for p, array in zip(params, start):
                        xp.copyto(array_of(p), array)
                    return trial_loss, trial_grad

                loss, grad, step, found = strong_wolfe(evaluate, step, direction, loss, grad,
                                                       slope,
                                                       max_evaluations=max_eval - evaluations)
                self._move(params, step, direction)
                converged = abs(grad).max() <= group["tolerance_grad"]
            else:
                self._move(params, step, direction)
                converged = False
                if iteration != max_iter:
                    loss = float(self._evaluate(closure))
                    grad = self._flat_gradient(params)
                    converged = abs(grad).max() <= group["tolerance_grad"]
                    found = 1
            moved = True
            evaluations += found
            state["func_evals"] += found
            if (iteration == max_iter or evaluations >= max_eval or converged
                    or abs(direction * step).max() <= tolerance_change
                    or abs(loss - previous_loss) < tolerance_change):
                break
        state.update({"d": direction, "t": step, "old_dirs": dirs, "old_stps": steps,
                      "ro": rhos, "H_diag": h_diag, "prev_flat_grad": previous_grad,
                      "prev_loss": previous_loss})
        if moved:
            self.iterations += 1

    # ------------------------------------------------------------- saving
    def _saved_state_entry(self, entry):
        return saved_lbfgs_entry(entry)

    def _loaded_state_entry(self, index, param, entry):
        size = sum(p.size for p in self._trainable())
        loaded = loaded_lbfgs_entry(index, entry, size, self.param_groups[0]["history_size"])
        self._layout = [id(p) for p in self._trainable()]
        return loaded


def _remember(change, move, dirs, steps, rhos, h_diag, history_size):
    """Add the curvature pair ``(move, change)`` when it keeps the approximation
    positive definite (``y.s > 1e-10``), dropping the oldest beyond
    ``history_size``; returns the new scale ``H = y.s / y.y`` (or the old one)."""
    curvature = change.dot(move)
    if curvature > 1e-10:
        if len(dirs) == history_size:
            del dirs[0], steps[0], rhos[0]
        dirs.append(change)
        steps.append(move)
        rhos.append(1.0 / curvature)
        h_diag = curvature / change.dot(change)
    return h_diag


def _two_loop_direction(grad, dirs, steps, rhos, h_diag):
    """``-H g`` by the two-loop recursion over the stored pairs."""
    q = -grad
    alphas = [0.0] * len(dirs)
    for i in range(len(dirs) - 1, -1, -1):
        alphas[i] = steps[i].dot(q) * rhos[i]
        q -= alphas[i] * dirs[i]
    direction = q * h_diag
    for i in range(len(dirs)):
        beta = dirs[i].dot(direction) * rhos[i]
        direction += (alphas[i] - beta) * steps[i]
    return direction
