"""Decision D1: where NumPy and PyTorch give a method two meanings, a call written
the PyTorch way gets PyTorch's and a call written the NumPy way (``axis=``,
``keepdims=``, ``ddof=``) gets NumPy's; NumPy's functions keep NumPy's meaning."""

import json

import numpy as np
import pytest

import ndgrad

from .tensor_oracle import torch


@pytest.fixture
def x():
    return ndgrad.tensor([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]])


def test_size_is_the_element_count_and_callable(x):
    assert x.size == 6 and isinstance(x.size, int) and x.size + 1 == 7
    assert json.dumps({"n": x.size}) == '{"n": 6}'
    assert x.size() == (2, 3) and isinstance(x.size(), ndgrad.Size) and x.size(dim=-1) == 3
    assert repr(x.size()) == "ndgrad.Size([2, 3])" and x.size()[1:] == ndgrad.Size([3])
    assert np.size(x) == 6 and x.numel() == 6 and x.dim() == 2
    with pytest.raises(IndexError, match="dimension 2 is out of range"):
        x.size(2)
    with pytest.raises(IndexError, match="0-d tensor has no dimension"):
        ndgrad.tensor(1.0).size(0)


def test_transpose_of_two_ints_swaps_every_other_form_permutes(x):
    assert x.transpose(0, 1).shape == (3, 2)                      # PyTorch's, also on 2-D
    assert x.transpose(1, 0).tolist() == x.T.tolist()
    assert x.transpose().shape == (3, 2)                           # NumPy's reversal
    cube = ndgrad.ones((2, 3, 4))
    assert cube.transpose(0, 2).shape == (4, 3, 2) and cube.transpose((1, 2, 0)).shape == (3, 4, 2)
    assert cube.transpose(1, 2, 0).shape == (3, 4, 2)              # three ints: a permutation
    assert cube.transpose(dim0=0, dim1=1).shape == (3, 2, 4)


def test_view_reshapes_and_view_of_a_dtype_reinterprets(x):
    assert x.view(3, 2).shape == (3, 2) and x.view(-1).shape == (6,)
    assert x.view((6, 1)).shape == (6, 1)
    bits = ndgrad.tensor([1.0]).view(np.int32)
    assert bits.tolist() == [1065353216]                            # NumPy's reinterpretation
    w = ndgrad.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="view: reinterpreting the bytes.*no gradient"):
        w.view(np.int32)
    assert w.detach().view(np.int32).tolist() == [1065353216]


def test_repeat_tiles_and_repeat_with_axis_repeats_elements():
    v = ndgrad.tensor([1.0, 2.0])
    assert v.repeat(2).tolist() == [1.0, 2.0, 1.0, 2.0]            # PyTorch's tiling
    assert v.repeat(2, 2).tolist() == [[1.0, 2.0, 1.0, 2.0]] * 2
    assert v.repeat(2, axis=0).tolist() == [1.0, 1.0, 2.0, 2.0]    # NumPy's
    assert np.repeat(v, 2).tolist() == [1.0, 1.0, 2.0, 2.0]        # NumPy's function
    with pytest.raises(ValueError, match="repeat: 1 repeat counts.*axis=k"):
        ndgrad.ones((2, 2)).repeat(2)


def test_max_and_min_in_every_form(x):
    assert x.max().item() == 6.0 and x.max().shape == ()
    values, indices = x.max(1)
    assert values.tolist() == [5.0, 6.0] and indices.tolist() == [1, 2]
    assert x.max(dim=0, keepdim=True).values.shape == (1, 3)
    assert x.max(axis=0).tolist() == [4.0, 5.0, 6.0]                # NumPy's: the values
    assert x.max(axis=1, keepdims=True).shape == (2, 1)
    assert x.max((0, 1)).item() == 6.0                              # a tuple is NumPy's
    assert x.max(ndgrad.full((3,), 3.0)).tolist() == [[3.0, 5.0, 3.0], [4.0, 3.0, 6.0]]
    assert x.min(1).indices.tolist() == [0, 1] and np.max(x, axis=1).tolist() == [5.0, 6.0]


def test_sort_returns_values_and_indices_and_numpy_spellings_return_values(x):
    values, indices = x.sort()
    assert values.tolist() == [[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]]
    assert indices.tolist() == [[0, 2, 1], [1, 0, 2]]
    assert x.sort(dim=0, descending=True).values.tolist() == [[4.0, 5.0, 6.0], [1.0, 2.0, 3.0]]
    assert x.sort(axis=1).tolist() == values.tolist() and np.sort(x).tolist() == values.tolist()
    assert x.argsort().tolist() == indices.tolist()
    ties = ndgrad.tensor([1.0, float("nan"), 1.0, 2.0])
    assert ties.sort(descending=True).indices.tolist() == [1, 3, 0, 2]    # stable, NaN first


def test_std_and_var_are_unbiased_unless_written_numpys_way(x):
    data = x.numpy().astype(np.float64)
    assert x.var().item() == pytest.approx(data.var(ddof=1))
    assert x.std(1).tolist() == pytest.approx(data.std(axis=1, ddof=1).tolist())
    assert x.std(ddof=0).item() == pytest.approx(data.std())
    assert x.std(axis=1).tolist() == pytest.approx(data.std(axis=1).tolist())   # NumPy's
    assert x.var(1, keepdims=True).shape == (2, 1)
    assert x.std(unbiased=False).item() == pytest.approx(data.std())
    assert x.var(correction=2).item() == pytest.approx(data.var(ddof=2))
    assert ndgrad.std(x).item() == pytest.approx(data.std())     # NumPy's function
    with pytest.raises(TypeError, match="one of ddof="):
        x.std(ddof=1, unbiased=True)


def test_dim_and_keepdim_wherever_axis_and_keepdims_are(x):
    for name in ("sum", "mean", "prod", "all", "any", "argmax", "argmin", "amax", "amin",
                 "logsumexp"):
        method = getattr(x, name)
        assert method(dim=1, keepdim=True).tolist() == method(axis=1, keepdims=True).tolist()
    assert x.cumsum(dim=1).tolist() == x.cumsum(axis=1).tolist()
    assert x.sum(dim=[0, 1]).item() == 21.0
    with pytest.raises(TypeError, match="pass dim= .* or axis= .*, not both"):
        x.sum(axis=0, dim=1)


def test_flatten_takes_start_and_end_dims():
    t = ndgrad.ones((2, 3, 4, 5))
    assert t.flatten().shape == (120,) and t.flatten(1).shape == (2, 60)
    assert t.flatten(1, 2).shape == (2, 12, 5) and t.flatten(-2).shape == (2, 3, 20)
    with pytest.raises(ValueError, match="start_dim 2 comes after end_dim 1"):
        t.flatten(2, 1)


def test_data_is_a_detached_tensor_sharing_the_array():
    w = ndgrad.nn.Parameter([1.0, 2.0])
    data = w.data
    assert isinstance(data, ndgrad.Tensor) and type(data) is ndgrad.Tensor
    assert not data.requires_grad and data.is_leaf and np.shares_memory(data.numpy(), w.numpy())
    data[0] = 7.0                                                  # a write through it
    assert w.tolist() == [7.0, 2.0] and w._version == 1             # one counter per storage
    w.data = ndgrad.tensor([3.0, 4.0, 5.0])                         # replaces the value
    assert w.tolist() == [3.0, 4.0, 5.0] and w.trainable and w._version == 2
    w.data = np.zeros(3)
    assert w.tolist() == [0.0, 0.0, 0.0]
    with pytest.raises(ndgrad.DTypeError, match="trainable tensor needs floating data"):
        w.data = ndgrad.tensor([1, 2])


def test_replacing_data_is_caught_by_a_graph_that_read_the_old_value():
    w = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    y = w * w
    w.data = ndgrad.tensor([5.0, 5.0])
    with pytest.raises(RuntimeError, match="modified in place"):
        y.sum().backward()


def test_a_zero_d_tensor_formats_as_its_number():
    loss = ndgrad.tensor(0.25)
    assert f"{loss:.3f}" == "0.250" and "{:>6.2f}".format(loss) == "  0.25"
    assert f"loss {loss.item():.1e}" == f"loss {loss:.1e}" and f"{ndgrad.tensor(3)}" == "3"
    assert f"{ndgrad.ones(2)}" == str(ndgrad.ones(2))
    with pytest.raises(TypeError, match="applies to a 0-d tensor"):
        f"{ndgrad.ones(2):.2f}"
    if torch is not None:
        assert f"{torch.tensor(0.25):.3f}" == f"{loss:.3f}"


def test_python_conversions():
    assert int(ndgrad.tensor(3.7)) == 3 and float(ndgrad.tensor([2.5])) == 2.5
    assert [10, 20][ndgrad.tensor(1)] == 20 and bool(ndgrad.tensor(1.0))
    assert len(ndgrad.ones((4, 2))) == 4 and ndgrad.tensor([[1, 2]]).tolist() == [[1, 2]]
    with pytest.raises(TypeError, match="one-element integer tensor"):
        [1][ndgrad.tensor(0.0)]


def test_pytorch_methods_ndgrad_lacks_say_so_and_what_to_use():
    t = ndgrad.ones(2)
    with pytest.raises(AttributeError, match=r"Tensor.pin_memory "
                                             r"\(PyTorch's\) is not supported by ndgrad "
                                             r"\(yet\); .*NumPy arrays on the CPU"):
        t.pin_memory()
    with pytest.raises(AttributeError, match=r"use ndgrad.arcsin\(t, ...\)"):
        t.asin()
    with pytest.raises(AttributeError, match=r"use the out-of-place t = ndgrad.tan\(t, ...\)"):
        t.tan_()
    with pytest.raises(AttributeError, match=r"ndgrad.linalg.inv"):
        ndgrad.eye(2).inverse()
    assert not hasattr(t, "pin_memory") and not t.is_sparse and not t.is_pinned()
    with pytest.raises(AttributeError, match="object has no attribute 'no_such_method'"):
        t.no_such_method
