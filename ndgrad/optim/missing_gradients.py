"""Saying which parameters an optimizer step could not update, and why.

A trainable parameter without a gradient at ``step()`` is the commonest silent
failure in training (a branch the loss never reached, a ``detach()``, a
conversion to NumPy). The optimizer reports it through this module: one
warning (or error, or nothing, as its ``missing_gradients`` setting says)
naming every such parameter by its ``name``, or by its index and shape.

Example:
    >>> from ndgrad.optim.lbfgs import why_missing
    >>> import ndgrad
    >>> why_missing(ndgrad.Variable([1.0], trainable=False, name="b"))
    "'b' has trainable=False (frozen)"
"""

import warnings

from ..autograd.graph import last_backward_target
from ..diagnostics.reasons import graph_facts, why_no_gradient
from ..tensor import Tensor

CHOICES = ("warn", "error", "ignore")


class MissingGradientWarning(RuntimeWarning):
    """A trainable parameter got no gradient, so the optimizer left it unchanged.

    Example:
        >>> from ndgrad.optim import MissingGradientWarning
        >>> issubclass(MissingGradientWarning, RuntimeWarning)
        True
    """


def parameter_label(param, index=None, name=None):
    """How a message names a parameter: its name, else its index and shape.

    Args:
        param: the tensor.
        index: its position among the optimizer's parameters (or in the list given).
        name: a name to prefer to ``param.name`` (from ``named_parameters()``).

    Example:
        >>> from ndgrad.optim.gradients import parameter_label
        >>> import ndgrad
        >>> parameter_label(ndgrad.Variable([[1.0, 2.0]]), index=3)
        'parameter 3 of shape (1, 2)'
    """
    name = name or param.name
    if name:
        return f"'{name}'"
    where = f"parameter {index} " if index is not None else "a parameter "
    return f"{where}of shape {tuple(param.shape)}"


def is_constant(var):
    """True for a tensor that can never be trained: not a Variable and not trainable.

    Example:
        >>> from ndgrad.optim.missing_gradients import is_constant
        >>> import ndgrad
        >>> is_constant(ndgrad.tensor([1.0])), is_constant(ndgrad.Variable([1.0]))
        (True, False)
    """
    return not hasattr(var, "assign") and var.is_leaf and not var.trainable


def why_missing(var, label=None):
    """One line: ``var`` (named by ``label``) and why it gets no update.

    Example:
        >>> from ndgrad.optim.lbfgs import why_missing
        >>> import ndgrad
        >>> why_missing(ndgrad.tensor([1.0]), "'x'")
        "'x' is a constant tensor, not a Variable: it cannot be trained"
    """
    label = label or parameter_label(var)
    if is_constant(var):
        return f"{label} is a constant tensor, not a Variable: it cannot be trained"
    if not var.trainable:
        return f"{label} has trainable=False (frozen)"
    reason, where = why_no_gradient(var, graph_facts(last_backward_target()))
    return f"{label} got no gradient: {reason}" + (f" (at {where})" if where else "")


class MissingGradientReport:
    """Reports parameters left without a gradient, per the optimizer's setting.

    ``"warn"`` warns once per distinct set of parameters (a loop that misses
    the same ones every step warns once); ``"error"`` raises ``ValueError``
    before anything changes; ``"ignore"`` says nothing.

    Args:
        owner: the optimizer's class name, for the message.
        setting: ``"warn"``, ``"error"`` or ``"ignore"``.

    Example:
        >>> from ndgrad.optim.keras_face import MissingGradientReport
        >>> report = MissingGradientReport("SGD", "ignore")
        >>> report(["'w' got no gradient"], "step")
    """

    def __init__(self, owner, setting="warn"):
        if setting not in CHOICES:
            raise ValueError(f"{owner}: missing_gradients must be one of {list(CHOICES)}, "
                             f"got {setting!r}")
        self.owner = owner
        self.setting = setting
        self._warned = set()

    def __call__(self, reasons, where, stacklevel=3):
        """Report ``reasons`` (one line per parameter) for the method ``where``.

        Example:
            >>> from ndgrad.optim.keras_face import MissingGradientReport
            >>> report = MissingGradientReport("SGD", "error")
            >>> try:
            ...     report(["'w' got no gradient"], "step")
            ... except ValueError as error:
            ...     print(str(error).splitlines()[0])
            SGD.step: 1 trainable parameter got no update:
        """
        if not reasons or self.setting == "ignore":
            return
        count = len(reasons)
        message = (f"{self.owner}.{where}: {count} trainable parameter{'s' if count > 1 else ''} "
                   f"got no update:\n  - " + "\n  - ".join(reasons)
                   + "\n(ndgrad.explain(loss, optimizer) shows every parameter's gradient)")
        if self.setting == "error":
            raise ValueError(message + "\n(missing_gradients='error'; pass "
                             "missing_gradients='warn' or 'ignore' to allow it)")
        key = frozenset(reasons)
        if key in self._warned:
            return
        self._warned.add(key)
        warnings.warn(message + "\n(warned once; missing_gradients='ignore' silences it, "
                      "'error' makes it an error)", MissingGradientWarning, stacklevel=stacklevel)


def sort_pairs(owner, pairs, index_of):
    """Split ``apply_gradients``'s pairs into those that update, and reasons for the rest.

    Args:
        owner: the optimizer's class name, for messages.
        pairs: the ``(gradient, variable)`` pairs.
        index_of: ``id(param) -> index`` of the optimizer's known parameters.

    Returns:
        ``(usable, missing, reasons)``: the pairs to apply; the reasons to
        report (trainable variables without a gradient, constants); the reasons
        for every pair left out (frozen variables too, skipped quietly unless
        nothing at all is usable).

    Example:
        >>> from ndgrad.optim.keras_face import sort_pairs
        >>> import ndgrad
        >>> w, c = ndgrad.Variable([1.0], name="w"), ndgrad.tensor([1.0])
        >>> usable, missing, reasons = sort_pairs("SGD", [(None, w), (1.0, c)], {})
        >>> usable, len(missing), reasons[0].split(":")[0]
        ([], 2, "'w' got no gradient")
    """
    usable, missing, reasons = [], [], []
    for position, pair in enumerate(pairs):
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2
                and isinstance(pair[1], Tensor)):
            described = (type(pair).__name__ if not isinstance(pair, tuple) else
                         "(" + ", ".join(type(v).__name__ for v in pair) + ")")
            raise TypeError(f"{owner}.apply_gradients: expected (gradient, variable) pairs with "
                            f"ndgrad variables, got {described} at position {position}")
        grad, var = pair
        label = parameter_label(var, index_of.get(id(var), position))
        if not var.is_leaf:
            raise ValueError(f"{owner}.apply_gradients: {label} is the result of "
                             f"'{var._node.name}', not a variable; only leaf tensors "
                             "(Variables, Parameters) can be optimized")
        if var.trainable and grad is not None:
            usable.append((grad, var))
            continue
        reasons.append(why_missing(var, label))
        if var.trainable or is_constant(var):     # frozen ones are skipped quietly
            missing.append(reasons[-1])
    return usable, missing, reasons
