"""Adversarial: in-place ops through views write into the base and are recorded on
its graph (issue 12, item 2; PyTorch's CopySlices). Each case runs the same code on
ndgrad and PyTorch in float64; the gradients are checked against PyTorch and
against central finite differences, the forward values against PyTorch, and
five cases at second order.
"""

import numpy as np
import pytest

import ndgrad

torch = pytest.importorskip("torch")


def slice_then_iadd(lib, x, w):
    h = x * 2
    v = h[0:2]
    v += w
    return (h * h).sum()


def slice_syntax_iadd(lib, x, w):
    h = x * 1
    h[:, 1:3] += w[:, :2] * w[:, :2]
    return (h.sin() * h).sum()


def reshape_then_mul_(lib, x, w):
    h = x * 1.5
    h.reshape(6).mul_(w.reshape(6))
    return (h.sin()).sum() + (x * h).sum()


def transpose_then_add_(lib, x, w):
    h = x + 0
    v = h.T
    v.add_(w.T)
    return (h ** 2).sum() + (v * 3).sum()


def chained_views(lib, x, w):
    h = x * 1
    v = h[:, 1:].T[0]
    v.mul_(w[0, :2])
    return (h * h).sum()


def view_setitem(lib, x, w):
    h = x * 1
    v = h[:, 1]
    v[0] = w[0, 0] * 3
    return (h * h).sum()


def other_view_read_after_the_write(lib, x, w):
    h = x * 1
    a = h[0]
    b = h[1]
    b.mul_(w[1])
    return (a * h).sum() + (b * b).sum()


def base_in_place_then_view_used(lib, x, w):
    h = x * 1
    v = h[0:1]
    h.mul_(w)
    return (v * v).sum() + h.sum()


def diagonal_add_(lib, x, w):
    h = x[:, :2] * 1
    h.diagonal().add_(w[0, :2])
    return (h * h * x[:, :2]).sum()


def exp_on_a_view(lib, x, w):
    h = x * 1
    h[0].exp_()
    return (h * w).sum()


def constant_base_becomes_differentiable(lib, x, w):
    c = lib.zeros((2, 3), dtype=lib.float64)
    v = c[1:]
    v += x[0]
    return (c * c * w).sum()


def overlapping_writes(lib, x, w):
    h = x * 1
    h[:, 0:2].mul_(w[:, 0:2])
    h[:, 1:3].add_(w[:, 1:3] ** 2)
    return (h ** 3).sum()


def unsqueeze_then_mul_(lib, x, w):
    h = x * 1
    h.unsqueeze(0).mul_(w)
    return (h * h).sum()


def narrow_then_sub_(lib, x, w):
    h = x * 1
    h.narrow(1, 1, 2).sub_(w[:, :2] * x[:, :2])
    return (h * h).sum()


def view_of_view_then_base_use(lib, x, w):
    h = x * 1
    v1 = h[0]
    v2 = v1[1:]
    v2.mul_(w[0, 1:])
    return (v1 * v1).sum() + (h * x).sum()


def write_then_read_through_view_twice(lib, x, w):
    h = x * 1
    h[0].add_(w[0])
    h[0].mul_(w[1])
    return (h * h).sum()


def rows_filled_from_the_previous_row(lib, x, w):
    out = lib.zeros((4, 3), dtype=lib.float64)
    out[0] = x[0]
    for t in range(1, 4):
        previous = out[t - 1] if lib is ndgrad else out[t - 1].clone()   # PyTorch refuses
        out[t] = (previous * w[0] + x[1]).tanh()        # multiply saved row t - 1
    return (out * out).sum()


GRADIENT_CASES = [rows_filled_from_the_previous_row, slice_then_iadd, slice_syntax_iadd, reshape_then_mul_, transpose_then_add_,
                  chained_views, view_setitem, other_view_read_after_the_write,
                  base_in_place_then_view_used, diagonal_add_, exp_on_a_view,
                  constant_base_becomes_differentiable, overlapping_writes,
                  unsqueeze_then_mul_, narrow_then_sub_, view_of_view_then_base_use,
                  write_then_read_through_view_twice]

X = np.array([[0.3, -0.7, 1.1], [0.5, 0.9, -0.4]])
W = np.array([[1.3, 0.6, -0.8], [0.2, -1.1, 0.7]])


def _ndgrad_gradients(case, x, w, create_graph=False):
    xt = ndgrad.tensor(x, requires_grad=True)
    wt = ndgrad.tensor(w, requires_grad=True)
    case(ndgrad, xt, wt).backward(create_graph=create_graph)
    return xt, wt


def _torch_gradients(case, x, w):
    xt = torch.tensor(x, requires_grad=True)
    wt = torch.tensor(w, requires_grad=True)
    case(torch, xt, wt).backward()
    return xt, wt


def _finite_differences(case, x, w, eps=1e-6):
    def value(a, b):
        return case(ndgrad, ndgrad.tensor(a), ndgrad.tensor(b)).item()
    grads = []
    for which in (0, 1):
        point = [x.copy(), w.copy()]
        grad = np.zeros_like(point[which])
        for i in np.ndindex(grad.shape):
            up = [p.copy() for p in point]
            down = [p.copy() for p in point]
            up[which][i] += eps
            down[which][i] -= eps
            grad[i] = (value(*up) - value(*down)) / (2 * eps)
        grads.append(grad)
    return grads


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.__name__)
def test_in_place_through_a_view_differentiates_like_pytorch_and_finite_differences(case):
    xt, wt = _ndgrad_gradients(case, X, W)
    xo, wo = _torch_gradients(case, X, W)
    fx, fw = _finite_differences(case, X, W)
    assert xt.grad.dtype == np.float64
    np.testing.assert_allclose(xt.grad.numpy(), xo.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(wt.grad.numpy(), wo.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(xt.grad.numpy(), fx, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(wt.grad.numpy(), fw, rtol=1e-6, atol=1e-6)
    # the forward values, too: the writes went into the base's memory
    assert np.allclose(case(ndgrad, ndgrad.tensor(X), ndgrad.tensor(W)).item(),
                       case(torch, torch.tensor(X), torch.tensor(W)).item())


@pytest.mark.parametrize("case", [slice_then_iadd, reshape_then_mul_, chained_views,
                                  diagonal_add_, other_view_read_after_the_write],
                         ids=lambda c: c.__name__)
def test_second_order_through_a_view_write_matches_pytorch(case):
    xt, wt = _ndgrad_gradients(case, X, W, create_graph=True)
    gx, gw = xt.grad, wt.grad
    xt.grad = wt.grad = None
    ((gx * gx).sum() + (gw * gx).sum()).backward()
    xo = torch.tensor(X, requires_grad=True)
    wo = torch.tensor(W, requires_grad=True)
    gxo, gwo = torch.autograd.grad(case(torch, xo, wo), (xo, wo), create_graph=True)
    ((gxo * gxo).sum() + (gwo * gxo).sum()).backward()
    np.testing.assert_allclose(xt.grad.numpy(), xo.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(wt.grad.numpy(), wo.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("recorded", [False, True])
def test_in_place_on_a_view_changes_the_base_as_numpy_and_pytorch_do(recorded):
    for lib in (ndgrad, torch, np):
        h = lib.zeros((2, 3)) if lib is not np else np.zeros((2, 3))
        five = 5.0
        if recorded and lib is not np:
            h = h * 1 + lib.zeros((2, 3), requires_grad=True)
            five = lib.ones((1, 3), requires_grad=True) * 5
        v = h[0:1]
        v += five
        v2 = h.T
        v2[2] = 7
        assert h.tolist() == [[5.0, 5.0, 7.0], [0.0, 0.0, 7.0]], lib.__name__
        assert v.tolist() == [[5.0, 5.0, 7.0]] and v2.tolist()[2] == [7.0, 7.0], lib.__name__
