"""ndgrad.ops.writes: in-place writes into memory, rebased, through views (CopySlices)."""

import numpy as np
import pytest

import ndgrad

try:
    import torch
except ImportError:
    torch = None


def test_a_result_nobody_shares_is_rebased_without_a_copy():
    x = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    old = h._data
    h.exp_()
    assert h._data is not old and old.tolist() == [3.0, 6.0]    # the old array is untouched
    assert h.grad_fn.name == "exp" and h._vc[2] is False


def test_a_result_with_views_is_written_into_its_memory():
    x = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    memory = h._data
    v = h[1:]
    h.mul_(x)
    assert h._data is memory and v.tolist() == [12.0] and h.tolist() == [3.0, 12.0]
    (v * 1).sum().backward()                                 # v's node re-derived from h
    assert x.grad.tolist() == [0.0, 12.0]


def test_a_rule_that_reads_the_old_value_gets_a_copy_of_it():
    x = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    w = ndgrad.tensor([5.0, 7.0], requires_grad=True)
    h = x * 1
    _ = h.T                                                  # h's memory is shared
    h.mul_(w)                                                # w's gradient needs h's old value
    h.sum().backward()
    assert w.grad.tolist() == [1.0, 2.0] and x.grad.tolist() == [5.0, 7.0]


def test_a_write_into_a_view_is_one_node_on_the_base():
    x = ndgrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
    h = x * 1
    v = h[::2]
    v.add_(10.0)
    assert h.grad_fn.name == "write_view" and h.tolist() == [11.0, 2.0, 13.0]
    assert v.grad_fn.name == "getitem" and v.grad_fn.inputs[0] is h
    assert h._version == 1 and h._vc[3] == 1


def test_the_write_site_names_the_op_and_the_line():
    h = ndgrad.zeros(2)
    h += 1
    assert h._vc[1].startswith("+= at ") and "test_writes.py:" in h._vc[1]
    h[0] = 3
    assert h._vc[1].startswith("setitem at ")
    np.add(h, 1, out=h)
    assert h._vc[1].startswith("numpy.add(..., out=) at ")


def test_a_view_of_a_constant_takes_a_value_that_requires_grad():
    c = ndgrad.zeros((2, 2))
    w = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    c.T[0] = w                                               # column 0 of c
    assert c.requires_grad and not c.is_leaf
    (c * c).sum().backward()
    assert w.grad.tolist() == [2.0, 4.0]


@pytest.mark.skipif(torch is None, reason="needs PyTorch")
def test_writes_into_a_diagonal_view_match_pytorch():
    values = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
    grads = []
    for lib in (ndgrad, torch):
        x = lib.tensor(values, requires_grad=True)
        h = x * 1
        h.diagonal(1).mul_(x[0, :2])
        (h * h).sum().backward()
        grads.append(np.asarray(x.grad.tolist()))
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-12)


def test_an_op_on_a_stale_view_sees_the_written_base_in_custom_functions_too():
    class Double(ndgrad.autograd.function.Function):
        @staticmethod
        def forward(ctx, t):
            return t * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    x = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    w = ndgrad.tensor([3.0], requires_grad=True)
    h = x * 1
    a = h[1:]
    h[1:].mul_(w)
    Double.apply(a).sum().backward()
    assert w.grad.tolist() == [4.0] and x.grad.tolist() == [0.0, 6.0]


def test_a_failed_write_changes_nothing():
    x = ndgrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
    h = x * 1
    v = h[:2]
    node, version = h.grad_fn, h._version
    with pytest.raises(ValueError, match="does not fit"):
        v.add_(ndgrad.ones((3, 2), requires_grad=True))
    with pytest.raises(ndgrad.ShapeError):
        v[0] = ndgrad.ones(3, requires_grad=True)
    assert h.grad_fn is node and h._version == version and h.tolist() == [1.0, 2.0, 3.0]
