"""``ndgrad.autograd.grad`` and ``ndgrad.autograd.backward``: PyTorch's
functions over tensors (not over Python functions: that is ``ndgrad.grad``).

``grad(outputs, inputs)`` returns the gradients of ``outputs`` with respect to
``inputs`` without touching ``.grad``; ``backward(tensors)`` accumulates them
into ``.grad``. The contract is PyTorch's: one tensor or a sequence for each
argument; ``grad_outputs`` (``grad_tensors``) may be left out only for
single-element outputs; ``retain_graph`` defaults to ``create_graph``; an
input the outputs do not depend on is an error unless ``allow_unused=True``
(then its gradient is None, or zeros with ``materialize_grads=True``); an
output or input that does not require grad is an error. The PyTorch face's
``torch.autograd.grad`` and ``backward`` are these functions.

Example:
    >>> import ndgrad
    >>> x = ndgrad.tensor(3.0, requires_grad=True)
    >>> (g,) = ndgrad.autograd.grad(x ** 3, x, create_graph=True)
    >>> (g2,) = ndgrad.autograd.grad(g, x)
    >>> g.item(), g2.item()
    (27.0, 18.0)
"""

from ..dtypes import as_array
from ..tensor import Tensor
from . import graph


def _tensors(values, what, where):
    if isinstance(values, Tensor):
        return [values]
    if not isinstance(values, (tuple, list)):
        raise TypeError(f"{where}: {what} must be a tensor or a sequence of tensors, got "
                        f"{type(values).__name__}")
    values = list(values)
    wrong = sorted({type(v).__name__ for v in values if not isinstance(v, Tensor)})
    if wrong:
        raise TypeError(f"{where}: {what} must be tensors; got {', '.join(wrong)}")
    return values


def _seeds(outputs, grad_outputs, what, where):
    if grad_outputs is None:
        seeds = [None] * len(outputs)
    elif isinstance(grad_outputs, Tensor):
        seeds = [grad_outputs]
    else:
        seeds = grad_outputs
    if not isinstance(seeds, (tuple, list)):
        raise TypeError(f"{where}: {what} must be a tensor, a sequence of tensors (None for a "
                        f"single-element output) or None, got {type(grad_outputs).__name__}")
    seeds = list(seeds)
    if len(seeds) != len(outputs):
        raise RuntimeError(f"{where}: got {len(outputs)} output tensor(s) and {len(seeds)} "
                           f"{what}; give one per output (None for a single-element output)")
    for i, (seed, out) in enumerate(zip(seeds, outputs)):
        if seed is None:
            if out.size != 1:
                raise RuntimeError(
                    f"{where}: output {i} has shape {tuple(out.shape)}; a gradient is implied "
                    f"only for a single-element output, so pass {what}[{i}] of that shape "
                    "(or reduce the output with sum() or mean())")
            continue
        if not isinstance(seed, Tensor):
            seeds[i] = seed = Tensor._wrap(as_array(seed, dtype=out.dtype))
        if seed.shape != out.shape:
            raise RuntimeError(f"{where}: {what}[{i}] has shape {tuple(seed.shape)} but output "
                               f"{i} has shape {tuple(out.shape)}; they must match")
    return seeds


def _check_outputs(outputs, where):
    for i, out in enumerate(outputs):
        if not out._rg:
            raise RuntimeError(f"{where}: output {i} does not require grad and has no graph "
                               "(was it computed under no_grad, or from tensors without "
                               "requires_grad=True, or cut by detach())?")


def _check_inputs(inputs, where):
    if not inputs:
        raise RuntimeError(f"{where}: inputs is empty; name the tensors to differentiate by")
    for i, value in enumerate(inputs):
        if not value._rg:
            raise RuntimeError(f"{where}: input {i} does not require grad, so it has no "
                               "gradient; set requires_grad=True on it before computing the "
                               "outputs")


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=None, materialize_grads=False, only_inputs=True,
         is_grads_batched=False):
    """The gradients of ``outputs`` with respect to ``inputs``, returned (not
    accumulated into ``.grad``).

    Args:
        outputs: a tensor or a sequence of tensors to differentiate.
        inputs: a tensor or a sequence of tensors that require grad.
        grad_outputs: the vector(s) of the vector-Jacobian product, one per
            output (None for a single-element output).
        retain_graph: keep the graph for another backward (default: ``create_graph``).
        create_graph: record the gradient computation, for higher derivatives.
        allow_unused: give None for an input the outputs do not depend on
            (otherwise that is an error); defaults to ``materialize_grads``.
        materialize_grads: give zeros instead of None for unused inputs.
        only_inputs: ignored (PyTorch deprecated it; always true).
        is_grads_batched: not supported (loop over the batch of grad_outputs).

    Returns:
        A tuple with one gradient per input.

    Example:
        >>> import ndgrad
        >>> x = ndgrad.tensor([1.0, 2.0], requires_grad=True)
        >>> u = ndgrad.tensor(0.0, requires_grad=True)
        >>> ndgrad.autograd.grad((x * x).sum(), [x, u], allow_unused=True)
        (Tensor([2. 4.], dtype=float32), None)
    """
    where = "autograd.grad"
    if is_grads_batched:
        raise ValueError(f"{where}: is_grads_batched=True is not supported; loop over the "
                         "batch of grad_outputs")
    outputs = _tensors(outputs, "outputs", where)
    inputs = _tensors(inputs, "inputs", where)
    seeds = _seeds(outputs, grad_outputs, "grad_outputs", where)
    _check_inputs(inputs, where)
    _check_outputs(outputs, where)
    if allow_unused is None:
        allow_unused = materialize_grads
    if materialize_grads and not allow_unused:
        raise ValueError(f"{where}: materialize_grads=True needs allow_unused left out or "
                         "True (unused inputs get zeros)")
    retain = create_graph if retain_graph is None else retain_graph
    results = graph.backward(outputs, seeds, retain_graph=bool(retain),
                             create_graph=create_graph, sources=inputs)
    unused = [i for i, g in enumerate(results) if g is None]
    if unused and not allow_unused:
        raise RuntimeError(f"{where}: input(s) {unused} were not used to compute the outputs "
                           "(or the path was cut); pass allow_unused=True to get None for "
                           "them")
    if materialize_grads:
        from ..ops.creation import zeros_like
        results = [g if g is not None else zeros_like(x) for g, x in zip(results, inputs)]
    return tuple(results)


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None,
             grad_variables=None):
    """Accumulate the gradients of ``tensors`` into ``.grad``: of every
    trainable leaf, or, given ``inputs``, of those tensors only (leaves or
    results). ``backward([a, b], [ga, gb])`` is ``a.backward(ga)`` plus
    ``b.backward(gb)`` in one walk.

    Args:
        tensors: a tensor or a sequence of tensors.
        grad_tensors: one gradient per tensor (None for a single-element one);
            ``grad_variables`` is PyTorch's older name.
        retain_graph: keep the graph for another backward (default: ``create_graph``).
        create_graph: record the backward, for higher derivatives.
        inputs: the tensors whose ``.grad`` receives the gradient; others are
            left alone.

    Example:
        >>> import ndgrad
        >>> x = ndgrad.ones(2, requires_grad=True)
        >>> ndgrad.autograd.backward([(x * 3).sum(), (x * x).sum()]); x.grad.tolist()
        [5.0, 5.0]
    """
    where = "autograd.backward"
    if grad_variables is not None:
        if grad_tensors is not None:
            raise TypeError(f"{where}: pass grad_tensors= or grad_variables=, not both")
        grad_tensors = grad_variables
    tensors = _tensors(tensors, "tensors", where)
    seeds = _seeds(tensors, grad_tensors, "grad_tensors", where)
    if inputs is not None:
        inputs = _tensors(inputs, "inputs", where)
        _check_inputs(inputs, where)
    _check_outputs(tensors, where)
    retain = bool(create_graph if retain_graph is None else retain_graph)
    if inputs is None:
        graph.backward(tensors, seeds, retain_graph=retain, create_graph=create_graph)
        return
    results = graph.backward(tensors, seeds, retain_graph=retain, create_graph=create_graph,
                             sources=inputs)
    for value, g in zip(inputs, results):
        if g is not None and not (value._node is not None and value.retains_grad):
            _accumulate(value, g, create_graph)     # retain_grad() kept it already


def _accumulate(value, g, create_graph):
    """Add ``g`` to ``value.grad`` (a leaf's or a result's), in its dtype."""
    if g.dtype != value.dtype:
        g = g.astype(value.dtype)
    if value.grad is None:
        value.grad = g if create_graph else Tensor._wrap(g._data.copy())
    elif create_graph or value.grad._rg or g._rg:
        value.grad = value.grad + g
    else:
        value.grad._data += g._data
