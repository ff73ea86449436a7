"""AdamW: Adam with decoupled weight decay (Loshchilov and Hutter),
``torch.optim.AdamW``'s arithmetic.

Example:
    >>> import ndgrad
    >>> w = ndgrad.Variable([1.0])
    >>> opt = ndgrad.optim.AdamW([w], lr=0.1, weight_decay=0.5)
    >>> w.grad = ndgrad.tensor([0.0]); opt.step(); round(w.item(), 4)
    0.95
"""

from .adam import Adam


class AdamW(Adam):
    """AdamW: Adam whose weight decay shrinks the weights directly.

    At each step, before Adam's update (see :class:`Adam`, with no L2 term in
    the gradient)::

        p = p * (1 - lr * weight_decay)

    Args:
        params: parameters or parameter groups (PyTorch), or None (Keras).
        lr / learning_rate: the step size (default 1e-3); a float or a schedule.
        betas / beta_1, beta_2: the moment decay rates (default 0.9, 0.999).
        eps / epsilon: added to the denominator (1e-8 with params; 1e-7 without).
        weight_decay: the decoupled decay (0.01 with params, as torch; 0.004
            without, as Keras).
        amsgrad: use the running maximum of the second moment.
        maximize: ascend instead of descend.
        **options: ``clipnorm``, ``clipvalue``, ``global_clipnorm``,
            ``missing_gradients``, ``name`` (see :class:`Optimizer`).

    Example:
        >>> import ndgrad
        >>> keras_style = ndgrad.optim.AdamW()
        >>> torch_style = ndgrad.optim.AdamW([ndgrad.Variable([1.0])])
        >>> keras_style.weight_decay, torch_style.weight_decay
        (0.004, 0.01)
    """

    pytorch_defaults = {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 1e-2,
                        "amsgrad": False, "maximize": False}
    keras_defaults = {"eps": 1e-7, "weight_decay": 0.004}
    decoupled_weight_decay = True

    def __init__(self, params=None, lr=None, betas=None, eps=None, weight_decay=None,
                 amsgrad=None, *, maximize=None, learning_rate=None, beta_1=None, beta_2=None,
                 epsilon=None, **options):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize,
                         learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2,
                         epsilon=epsilon, **options)
