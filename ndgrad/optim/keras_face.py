"""The Keras face of :class:`~ndgrad.optim.Optimizer`: ``apply_gradients``,
``build``, the ``learning_rate`` attribute, and hyper-parameters read as
attributes in either spelling (``opt.epsilon``, ``opt.beta_1``, ``opt.momentum``).

Example:
    >>> import ndgrad
    >>> opt = ndgrad.optim.Adam(learning_rate=0.01)
    >>> w = ndgrad.Variable([1.0]); opt.apply_gradients([(ndgrad.tensor([0.5]), w)])
    >>> opt.iterations, opt.beta_1, opt.learning_rate
    (1, 0.9, 0.01)
"""

from . import _hyperparameters as hp
from .gradients import checked_gradient
from .missing_gradients import MissingGradientReport, sort_pairs
from .parameter_groups import parameter_list
from .schedules import LearningRateSchedule


class KerasFace:
    """``apply_gradients``, ``build``, ``learning_rate`` and attribute access to
    hyper-parameters, mixed into :class:`~ndgrad.optim.Optimizer`.

    Example:
        >>> from ndgrad.optim.keras_face import KerasFace
        >>> import ndgrad
        >>> issubclass(ndgrad.optim.SGD, KerasFace)
        True
    """

    @property
    def missing_gradients(self):
        """``"warn"``, ``"error"`` or ``"ignore"``: what a trainable parameter
        without a gradient causes at ``step()`` / ``apply_gradients()``.

        Example:
            >>> import ndgrad
            >>> opt = ndgrad.optim.SGD(lr=0.1); opt.missing_gradients = "error"
            >>> opt.missing_gradients
            'error'
        """
        return self._missing_report.setting

    @missing_gradients.setter
    def missing_gradients(self, setting):
        self._missing_report = MissingGradientReport(type(self).__name__, setting)

    @property
    def learning_rate(self):
        """The current learning rate (a schedule is evaluated at ``iterations``);
        setting it sets every group's ``lr``.

        Example:
            >>> import ndgrad
            >>> opt = ndgrad.optim.SGD(learning_rate=0.1); opt.learning_rate = 0.05; opt.lr
            0.05
        """
        lr = self.param_groups[0]["lr"] if self.param_groups else self.defaults["lr"]
        return float(lr(self.iterations)) if isinstance(lr, LearningRateSchedule) else lr

    @learning_rate.setter
    def learning_rate(self, value):
        value = hp.convert(type(self).__name__, "lr", value, 0.0)
        self._check_group(dict(self.defaults, lr=value))
        self.defaults["lr"] = value
        for group in self.param_groups:
            group["lr"] = value

    lr = learning_rate

    def __getattr__(self, name):
        # Hyper-parameters read as attributes in either spelling (opt.epsilon,
        # opt.beta_1, opt.momentum), from the first group or the defaults.
        if name.startswith("_") or "defaults" not in self.__dict__:
            raise AttributeError(name)
        source = self.param_groups[0] if self.param_groups else self.defaults
        for torch_name, keras_name in self.keras_names.items():
            if isinstance(keras_name, tuple) and name in keras_name:
                return source[torch_name][keras_name.index(name)]
            if name == keras_name:
                return source[torch_name]
        if name in self.defaults:
            return source.get(name, self.defaults[name])
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def build(self, var_list):
        """Register variables before the first ``apply_gradients`` (Keras), e.g. to
        load a saved state into a fresh optimizer.

        Example:
            >>> import ndgrad
            >>> w = ndgrad.Variable([1.0]); opt = ndgrad.optim.Adam(); opt.build([w])
            >>> len(opt.params)
            1
        """
        tensors, _ = parameter_list(type(self).__name__, var_list)
        known = {id(p) for p in self.params}
        new = [p for p in tensors if id(p) not in known]
        if not self.param_groups:
            self.add_param_group({"params": new})
        else:
            self.param_groups[0]["params"].extend(new)

    def apply_gradients(self, grads_and_vars):
        """Apply ``(gradient, variable)`` pairs (Keras style); new variables are learned.

        Frozen variables are skipped. When no variable can be updated this is a
        ``ValueError`` saying why for each; a trainable variable without a
        gradient, or a constant, is reported as ``missing_gradients`` says.

        Example:
            >>> import ndgrad
            >>> w = ndgrad.Variable([1.0]); opt = ndgrad.optim.SGD(learning_rate=0.5)
            >>> opt.apply_gradients([(ndgrad.tensor([2.0]), w)]); w.tolist()
            [0.0]
        """
        owner = type(self).__name__
        pairs = list(grads_and_vars)
        index_of = {id(p): i for i, p in enumerate(self.params)}
        usable, missing, reasons = sort_pairs(owner, pairs, index_of)
        if pairs and not usable:
            raise ValueError(f"{owner}.apply_gradients: No gradients provided for any "
                             "variable:\n  - " + "\n  - ".join(reasons))
        known = set(index_of)
        prepared = [checked_gradient(owner, "apply_gradients", var, grad) for grad, var in usable]
        self._missing_report(missing, "apply_gradients")
        new = [var for _, var in usable if id(var) not in known]
        if new:
            self.build(new)
        group_of = {id(p): group for group in self.param_groups for p in group["params"]}
        self._apply([(var, grad, group_of[id(var)])
                     for (_, var), grad in zip(usable, prepared)], "apply_gradients")

    def apply(self, grads, trainable_variables=None):
        """Apply a list of gradients to a list of variables (Keras 3's spelling of
        ``apply_gradients(zip(grads, trainable_variables))``; without variables, to
        the ones the optimizer already holds, in order).

        Example:
            >>> import ndgrad
            >>> w = ndgrad.Variable([1.0]); opt = ndgrad.optim.SGD(learning_rate=0.5)
            >>> opt.apply([ndgrad.tensor([2.0])], [w]); w.tolist()
            [0.0]
        """
        grads = list(grads)
        variables = self.params if trainable_variables is None else list(trainable_variables)
        if len(grads) != len(variables):
            raise ValueError(f"{type(self).__name__}.apply: got {len(grads)} gradients for "
                             f"{len(variables)} variables; give one gradient (or None) per "
                             "variable")
        self.apply_gradients(zip(grads, variables))
