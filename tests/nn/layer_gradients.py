"""A layer's gradients against float64 central finite differences, inputs and weights
together, along random directions (the check ``ndgrad.gradcheck`` makes for functions,
made for layers whose weights live inside them)."""

import numpy as np

import ndgrad
from ndgrad.nn import nest


def _outputs(result):
    return [leaf for leaf in nest.flatten(result) if leaf is not None]


def _weighted_sum(result, cotangents):
    return sum(float(np.sum(np.asarray(o.numpy(), np.float64) * c))
               for o, c in zip(_outputs(result), cotangents))


def assert_layer_gradients(layer, inputs, call=None, checks=2, eps=1e-6, rtol=1e-4, atol=1e-7,
                           seed=0):
    """Check d(sum(out * c))/d(inputs, weights) of a float64 layer by finite differences.

    Args:
        layer: a layer whose weights are float64 (build it with ``dtype="float64"``).
        inputs: a float64 array, or a list of them (several inputs).
        call: ``(layer, tensors) -> outputs`` (default: ``layer(*tensors)``).
    """
    rng = np.random.default_rng(seed)
    arrays = [np.asarray(a, np.float64) for a in
              (inputs if isinstance(inputs, (list, tuple)) else [inputs])]
    call = call or (lambda module, tensors: module(*tensors))
    variables = [ndgrad.Variable(a.copy()) for a in arrays]
    result = call(layer, variables)
    cotangents = [rng.standard_normal(o.shape) for o in _outputs(result)]
    loss = sum((o * ndgrad.tensor(c)).sum() for o, c in zip(_outputs(result), cotangents))
    weights = [p for p in layer.parameters() if p.trainable]
    for weight in weights:
        assert weight.dtype == np.float64, "build the layer with dtype='float64'"
        weight.grad = None
    loss.backward()
    gradients = [v.grad.numpy() for v in variables]
    gradients += [np.zeros(w.shape) if w.grad is None else w.grad.numpy() for w in weights]

    def value(shifts):
        tensors = [ndgrad.tensor(a + s) for a, s in zip(arrays, shifts)]
        saved = [w.numpy().copy() for w in weights]
        for weight, shift in zip(weights, shifts[len(arrays):]):
            weight.data.numpy()[...] += shift      # .numpy() of a weight is read-only
        try:
            with ndgrad.no_grad():
                return _weighted_sum(call(layer, tensors), cotangents)
        finally:
            for weight, original in zip(weights, saved):
                weight.data.numpy()[...] = original

    for _ in range(checks):
        directions = [rng.standard_normal(g.shape) for g in gradients]
        analytic = sum(float(np.sum(g * d)) for g, d in zip(gradients, directions))
        numeric = (value([eps * d for d in directions])
                   - value([-eps * d for d in directions])) / (2 * eps)
        assert abs(analytic - numeric) <= atol + rtol * abs(numeric), (analytic, numeric)
