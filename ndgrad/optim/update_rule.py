"""The part of an optimizer an algorithm writes: its state and its update,
on NumPy arrays, in place.

An algorithm defines ``init_state`` (its per-parameter arrays) and ``update``
(one parameter), or ``update_group`` to update a whole group at once; it may
borrow ``scratch_like`` work arrays instead of allocating per step.

Example:
    >>> import numpy as np, ndgrad
    >>> param = np.ones(2, np.float32)
    >>> ndgrad.optim.SGD().update(param, np.ones(2, np.float32), {"step": 1},
    ...                           {"lr": 0.25, "momentum": 0.0})
    >>> param.tolist()
    [0.75, 0.75]
"""

from .._backend import xp


class UpdateRule:
    """The algorithm's hooks of :class:`ndgrad.optim.Optimizer`.

    Example:
        >>> from ndgrad.optim.optimizer import UpdateRule
        >>> import ndgrad
        >>> issubclass(ndgrad.optim.Adam, UpdateRule)
        True
    """

    def scratch_like(self, param):
        """A work array of ``param``'s shape and dtype for ``update``'s temporaries.

        One buffer per dtype, as large as the largest parameter, is shared by
        every parameter (a view of its start), so a step allocates nothing and
        keeps no extra copy of the parameters. Its contents are garbage between
        calls; never keep a reference to it.

        Example:
            >>> import numpy as np, ndgrad
            >>> opt = ndgrad.optim.SGD(lr=0.1)
            >>> work = opt.scratch_like(np.zeros((2, 3), np.float32))
            >>> work.shape, work.dtype, opt.scratch_like(np.zeros(4, np.float32)).base is work.base
            ((2, 3), dtype('float32'), True)
        """
        buffer = self._scratch.get(param.dtype)
        if buffer is None or buffer.size < param.size:
            buffer = self._scratch[param.dtype] = xp.empty(param.size, dtype=param.dtype)
        return buffer[:param.size].reshape(param.shape)

    def init_state(self, param, group):
        """The new state of ``param`` besides ``"step"`` (arrays like ``param``).

        Example:
            >>> import numpy as np, ndgrad
            >>> sorted(ndgrad.optim.Adam().init_state(np.zeros(2, np.float32), {}))
            ['exp_avg', 'exp_avg_sq']
        """
        return {}

    def update_group(self, params, grads, states, group):
        """Update the parameters of one group (NumPy arrays, in place): ``update``
        on each. An algorithm may override it to update them all at once.

        Example:
            >>> import numpy as np, ndgrad
            >>> params = [np.ones(2, np.float32), np.ones(1, np.float32)]
            >>> ndgrad.optim.SGD().update_group(params, [np.ones(2, np.float32),
            ...     np.ones(1, np.float32)], [{"step": 1}, {"step": 1}], {"lr": 0.5, "momentum": 0.0})
            >>> [p.tolist() for p in params]
            [[0.5, 0.5], [0.5]]
        """
        for param, grad, state in zip(params, grads, states):
            self.update(param, grad, state, group)

    def update(self, param, grad, state, group):
        """Update the NumPy array ``param`` in place.

        Args:
            param: the parameter's data (write in place, in its dtype).
            grad: the gradient, already regularized; read only.
            state: this parameter's dict (``state["step"]`` is this step's number).
            group: the hyper-parameters, ``lr`` already evaluated to a float.

        Example:
            >>> import numpy as np, ndgrad
            >>> param = np.ones(2, np.float32)
            >>> ndgrad.optim.SGD().update(param, np.ones(2, np.float32), {"step": 1},
            ...                           {"lr": 0.5, "momentum": 0.0})
            >>> param.tolist()
            [0.5, 0.5]
        """
        raise NotImplementedError(f"{type(self).__name__} must define update() (ndgrad style: "
                                  "the update of one NumPy array), or step() with no "
                                  "pytorch_defaults (PyTorch style)")
