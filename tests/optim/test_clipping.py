"""clip_grad_norm_ and clip_grad_value_ against torch.nn.utils."""

import math

import numpy as np
import pytest

import ndgrad

torch = pytest.importorskip("torch")


def _twins(scale=1.0):
    rng = np.random.default_rng(0)
    values = [np.asarray(rng.normal(size=s) * scale, dtype=np.float32) for s in ((3, 2), (4,), ())]
    ours, theirs = [], []
    for v in values:
        p, tp = ndgrad.Variable(np.zeros_like(v)), torch.nn.Parameter(torch.zeros(v.shape))
        p.grad, tp.grad = ndgrad.tensor(v), torch.tensor(v)
        ours.append(p)
        theirs.append(tp)
    return ours, theirs


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, math.inf])
@pytest.mark.parametrize("max_norm", [0.5, 100.0])
def test_clip_grad_norm_matches_torch(norm_type, max_norm):
    ours, theirs = _twins()
    total = ndgrad.optim.clip_grad_norm_(ours, max_norm, norm_type=norm_type)
    expected = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type=norm_type)
    assert isinstance(total, ndgrad.Tensor) and total.dtype == np.float32 and total.shape == ()
    np.testing.assert_allclose(total.item(), expected.item(), rtol=1e-6)
    for p, tp in zip(ours, theirs):
        np.testing.assert_allclose(p.grad.numpy(), tp.grad.numpy(), rtol=1e-6, atol=1e-7)


def test_clip_grad_value_matches_torch():
    ours, theirs = _twins(scale=2.0)
    ndgrad.optim.clip_grad_value_(ours, 1.0)
    torch.nn.utils.clip_grad_value_(theirs, 1.0)
    for p, tp in zip(ours, theirs):
        np.testing.assert_array_equal(p.grad.numpy(), tp.grad.numpy())


def test_clipping_edge_cases():
    w = ndgrad.Variable([1.0])
    assert ndgrad.optim.clip_grad_norm_([w], 1.0).item() == 0.0   # no gradients: norm 0
    w.grad = ndgrad.tensor([np.inf])
    with pytest.raises(RuntimeError, match="nan/inf"):
        ndgrad.optim.clip_grad_norm_(w, 1.0, error_if_nonfinite=True)
    with pytest.raises(ValueError, match="clip_value must be > 0"):
        ndgrad.optim.clip_grad_value_(w, 0.0)
    with pytest.raises(TypeError, match="expected ndgrad tensors"):
        ndgrad.optim.clip_grad_norm_([np.zeros(2)], 1.0)
