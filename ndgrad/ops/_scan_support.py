"""What the recurrent scans share: argument checks, the step order, the rule
under ``create_graph``, the weight gradients over all steps, and where their
work arrays come from.

Work arrays: a scan's workspace (gate activations, derivative factors, cell
states, the gates' gradients) is several megabytes per call. A fresh array of
that size is faulted in from the operating system one zero-filled page at a
time; for an LSTM with hidden 128, sequence 32 and batch 32 those faults cost
about as much as the forward's arithmetic (measured: 5.2 ms against 2.9 ms
for the forward scan). :func:`scratch` takes its arrays from
``_reusable_buffers``, which hands an array out again only once nothing holds
it, so a training loop touches the same memory at every step.

Example:
    >>> import numpy as np
    >>> workspace = {}
    >>> scratch(workspace, "acts", (2, 8), np.float32).shape, list(workspace)
    ((2, 8), ['acts'])
"""

import numpy as np

from ..autograd.functional import vjp
from ..autograd.mode import state
from ..tensor import Tensor
from . import _reusable_buffers


def scratch(workspace, name, shape, dtype):
    """An uninitialized array that no one else holds, kept in ``workspace`` under
    ``name`` for the rule (when there is a workspace).

    Example:
        >>> import numpy as np
        >>> scratch(None, "tmp", (3,), np.float64).dtype
        dtype('float64')
    """
    array = _reusable_buffers.empty(shape, dtype)
    if workspace is not None:
        workspace[name] = array
    return array


def steps(T, reverse):
    """(step, time) pairs in processing order."""
    return [(s, T - 1 - s) for s in range(T)] if reverse else [(s, s) for s in range(T)]


def weight_gradient(d_pre, hs, transposed):
    """``sum_t d_t^T h_{t-1}`` as ONE matmul over all steps, in the weight's layout."""
    flat_d, flat_h = d_pre.reshape(-1, d_pre.shape[-1]), hs[:-1].reshape(-1, hs.shape[-1])
    return flat_d.T @ flat_h if transposed else flat_h.T @ flat_d


def feature_major(per_step):
    """A (T, F, N) array copied to (F, T, N) in a reused buffer, so that a weight's
    gradient over all steps is one product with ``.reshape(F, T * N)``.

    Example:
        >>> import numpy as np
        >>> feature_major(np.arange(8.0).reshape(2, 2, 2))[:, :, 0].tolist()
        [[0.0, 4.0], [2.0, 6.0]]
    """
    T, F, N = per_step.shape
    features = scratch(None, "features", (F, T, N), per_step.dtype)
    row_bytes = N * per_step.itemsize
    if per_step.flags.c_contiguous and row_bytes >= 64:
        # each (step, feature) row moved as one opaque item: 0.75 times the time
        # of the float copy (85 against 114 microseconds for (32, 512, 32) float32)
        rows = np.dtype((np.void, row_bytes))
        np.copyto(features.view(rows)[..., 0], per_step.view(rows)[..., 0].T)
    else:
        np.copyto(features, per_step.transpose(1, 0, 2))
    return features


def recurrent_weight_gradient(d_features, out, h0, transposed, reverse):
    """``sum_t d_t^T h_{t-1}`` from ``d_features`` (G, T, N) and the hidden states
    ``out[:T]`` (T, N, H): one matmul over the steps whose previous state is an
    output, plus the step that starts from ``h0``; in the weight's layout.

    Example:
        >>> import numpy as np
        >>> d, out = np.ones((8, 3, 1)), np.ones((4, 1, 2))
        >>> recurrent_weight_gradient(d, out, np.zeros((1, 2)), True, False)[0].tolist()
        [2.0, 2.0]
    """
    G, T, N = d_features.shape
    H = h0.shape[-1]
    if reverse:
        d_main, h_main, d_first = d_features[:, :T - 1], out[1:T], d_features[:, T - 1]
    else:
        d_main, h_main, d_first = d_features[:, 1:], out[:T - 1], d_features[:, 0]
    d_flat, h_flat = d_main.reshape(G, -1), h_main.reshape(-1, H)
    if transposed:
        result = np.matmul(d_flat, h_flat, out=scratch(None, "g", (G, H), d_features.dtype))
        result += d_first @ h0
    else:
        result = np.matmul(h_flat.T, d_flat.T, out=scratch(None, "g", (H, G), d_features.dtype))
        result += h0.T @ d_first.T
    return result


def wrap(*arrays):
    """Tensors for a rule to return (None stays None)."""
    return tuple(None if a is None else Tensor._wrap(a) for a in arrays)


def new_workspace(*inputs):
    """A workspace for the forward to leave its intermediates in, or None when no
    gradient will be asked for (inference skips the derivative bookkeeping)."""
    wanted = state.enabled and any(isinstance(a, Tensor) and a._rg for a in inputs)
    return {} if wanted else None


def composite_vjp(composite, g, inputs, params):
    """The rule under ``create_graph``: differentiate the composite form, recorded."""
    _, pullback = vjp(lambda *args: composite(*args, **params), *inputs)
    return pullback(g)


def check_scan(name, gates_x, h0, blocks):
    """The number of steps, after refusing shapes the scan cannot run on."""
    shape = tuple(gates_x.shape)
    if len(shape) != 3 or shape[0] == 0 or shape[2] % blocks:
        raise ValueError(f"{name}: gates_x must be (time, batch, {blocks} * hidden) with at "
                         f"least one time step, got shape {shape}")
    if tuple(h0.shape) != (shape[1], shape[2] // blocks):
        raise ValueError(f"{name}: the initial state must be (batch, hidden) = "
                         f"{(shape[1], shape[2] // blocks)}, got {tuple(h0.shape)}")
    return shape[0]
