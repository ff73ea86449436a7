"""Run one function in ndgrad.torch and in PyTorch on the same inputs; compare
the outputs and the gradients of a random weighting of them."""

import numpy as np
import torch as real

import ndgrad
import ndgrad.torch as torch


def _outputs(result):
    if isinstance(result, (tuple, list)):
        return list(result)
    return [result]


def _check_output(ours, theirs, rtol, atol):
    if isinstance(theirs, (bool, int, float)):
        assert ours == theirs or np.isclose(ours, theirs), (ours, theirs)
        return
    assert isinstance(ours, ndgrad.Tensor), type(ours)
    assert ours.shape == tuple(theirs.shape), (ours.shape, tuple(theirs.shape))
    assert str(ours.dtype) == str(theirs.dtype).replace("torch.", ""), (ours.dtype, theirs.dtype)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=rtol,
                               atol=atol)


def compare(name, *arrays, rtol=1e-5, atol=1e-6, grad=True, call=None, **kwargs):
    """``torch.<name>(*arrays, **kwargs)`` in both; arrays become tensors (float
    ones requiring grad). Returns ndgrad's result."""
    ours_in = [torch.tensor(a, requires_grad=grad and a.dtype.kind == "f")
               if isinstance(a, np.ndarray) else a for a in arrays]
    theirs_in = [real.tensor(a, requires_grad=grad and a.dtype.kind == "f")
                 if isinstance(a, np.ndarray) else a for a in arrays]
    ours_call = call(torch) if call else getattr(torch, name)
    theirs_call = call(real) if call else getattr(real, name)
    ours = ours_call(*ours_in, **kwargs)
    theirs = theirs_call(*theirs_in, **kwargs)
    ours_list, theirs_list = _outputs(ours), _outputs(theirs)
    assert len(ours_list) == len(theirs_list)
    for o, t in zip(ours_list, theirs_list):
        _check_output(o, t, rtol, atol)
    if hasattr(theirs, "_fields"):
        assert getattr(ours, "_fields", None) == theirs._fields or all(
            hasattr(ours, field) for field in theirs._fields)
    leaves = [(o, t) for o, t in zip(ours_in, theirs_in)
              if isinstance(t, real.Tensor) and t.requires_grad]
    floating = [(o, t) for o, t in zip(ours_list, theirs_list)
                if isinstance(t, real.Tensor) and t.requires_grad]
    if leaves and floating:
        rng = np.random.default_rng(1)
        ours_loss, theirs_loss = 0, 0
        for o, t in floating:
            weight = rng.standard_normal(tuple(t.shape)).astype(np.float32)
            ours_loss = ours_loss + (o * torch.tensor(weight)).sum()
            theirs_loss = theirs_loss + (t * real.tensor(weight)).sum()
        ours_loss.backward()
        theirs_loss.backward()
        for o, t in leaves:
            expected = t.grad if t.grad is not None else real.zeros_like(t)
            got = o.grad if o.grad is not None else torch.zeros_like(o)
            np.testing.assert_allclose(got.numpy(), expected.numpy(force=True), rtol=rtol * 10,
                                       atol=atol * 10)
    return ours


def floats(*shape, seed=0, low=-2.0, high=2.0):
    """A float32 array with distinct values (ties would make argmax ambiguous)."""
    rng = np.random.default_rng(seed)
    count = int(np.prod(shape)) if shape else 1
    values = rng.permutation(np.linspace(low, high, count)).astype(np.float32)
    return values.reshape(shape)
