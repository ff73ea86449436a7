"""Tensor: construction, dtypes, trainability flags, conversions, operators, repr."""

import copy
import pickle  # noqa: F401  (only to show deepcopy works without it)

import numpy as np
import pytest

import ndgrad


def test_python_floats_and_lists_become_float32():
    assert ndgrad.tensor(1.5).dtype == ndgrad.float32
    assert ndgrad.tensor([1.0, 2.0]).dtype == ndgrad.float32
    assert ndgrad.tensor([[1, 2.5]]).dtype == ndgrad.float32


def test_python_ints_and_bools_keep_numpy_inference():
    assert ndgrad.tensor([1, 2]).dtype == ndgrad.int64
    assert ndgrad.tensor([True, False]).dtype == ndgrad.bool


def test_numpy_arrays_keep_their_dtype_unless_told():
    assert ndgrad.tensor(np.zeros(2)).dtype == ndgrad.float64
    assert ndgrad.tensor(np.zeros(2), dtype=ndgrad.float16).dtype == ndgrad.float16
    assert ndgrad.tensor(np.arange(3, dtype=np.int32)).dtype == ndgrad.int32


def test_tensor_copies_its_data_and_from_numpy_shares():
    source = np.zeros(2, dtype=np.float32)
    copied, shared = ndgrad.tensor(source), ndgrad.from_numpy(source)
    source[0] = 7
    assert copied.tolist() == [0.0, 0.0]
    assert shared.tolist() == [7.0, 0.0]


def test_array_facts():
    t = ndgrad.zeros(2, 3)
    assert (t.shape, t.ndim, t.size, t.dtype) == ((2, 3), 2, 6, np.float32)
    assert t.T.shape == (3, 2)
    assert t.nbytes == 24 and t.itemsize == 4 and t.device == "cpu"


def test_leaf_trainable_and_requires_grad_are_one_flag():
    t = ndgrad.zeros(2)
    assert not t.trainable and not t.requires_grad and t.is_leaf
    t.requires_grad = True
    assert t.trainable
    t.trainable = False
    assert not t.requires_grad
    assert t.requires_grad_() is t and t.trainable


def test_result_is_never_trainable_but_requires_grad_when_upstream_is():
    w = ndgrad.Variable([1.0])
    y = w * 2
    assert y.requires_grad and not y.trainable and not y.is_leaf
    assert not (ndgrad.tensor([1.0]) * 2).requires_grad


def test_setting_trainable_on_a_result_is_refused():
    y = ndgrad.Variable([1.0]) * 2
    with pytest.raises(RuntimeError, match="only leaf tensors"):
        y.trainable = False


def test_only_floating_dtypes_can_be_trainable():
    with pytest.raises(ndgrad.DTypeError, match="only floating dtypes"):
        ndgrad.tensor([1, 2], requires_grad=True)
    t = ndgrad.tensor([1, 2])
    with pytest.raises(TypeError):
        t.requires_grad_()
    assert not t.trainable


def test_is_trainable_answers_for_anything():
    assert ndgrad.is_trainable(ndgrad.Variable([1.0]))
    assert not ndgrad.is_trainable(ndgrad.Variable([1.0], trainable=False))
    assert not ndgrad.is_trainable(np.random.rand(10, 1))
    assert not ndgrad.is_trainable(3.0)
    assert not ndgrad.is_trainable(ndgrad.Variable([1.0]) * 2)


def test_comparisons_give_boolean_tensors_without_gradient():
    w = ndgrad.Variable([1.0, 3.0])
    for result in (w < 2, w <= 2, w > 2, w >= 2, w == 1, w != 1):
        assert result.dtype == np.bool_ and not result.requires_grad
    assert (w > 2).tolist() == [False, True]


def test_operators_and_reflected_forms():
    x = ndgrad.tensor([2.0, 4.0])
    assert (1 + x).tolist() == [3.0, 5.0]
    assert (1 - x).tolist() == [-1.0, -3.0]
    assert (2 * x).tolist() == [4.0, 8.0]
    assert (8 / x).tolist() == [4.0, 2.0]
    assert (2 ** x).tolist() == [4.0, 16.0]
    assert (x // 3).tolist() == [0.0, 1.0]
    assert (x % 3).tolist() == [2.0, 1.0]
    assert (-x).tolist() == [-2.0, -4.0]
    assert abs(-x).tolist() == [2.0, 4.0]
    assert (np.ones((2, 2), dtype=np.float32) @ x).tolist() == [6.0, 6.0]
    mask = ndgrad.tensor([True, False])
    assert (~mask).tolist() == [False, True]
    assert (mask & ndgrad.tensor([True, True])).tolist() == [True, False]


def test_numpy_scalars_do_not_promote_float32():
    x = ndgrad.ones(2)
    assert (x * np.float64(2.0)).dtype == np.float32
    assert (np.float64(2.0) * x).dtype == np.float32
    assert (x + np.sqrt(2.0)).dtype == np.float32


def test_conversions():
    t = ndgrad.tensor([2.5])
    assert t.item() == 2.5 and float(t) == 2.5 and int(t) == 2
    assert ndgrad.tensor([[1, 2]]).tolist() == [[1, 2]]
    assert bool(ndgrad.tensor([1.0]))
    with pytest.raises(ValueError, match="ambiguous"):
        bool(ndgrad.ones(2))
    with pytest.raises(ValueError, match="one element"):
        ndgrad.ones(2).item()
    assert [v.item() for v in ndgrad.tensor([1.0, 2.0])] == [1.0, 2.0]
    assert len(ndgrad.zeros(4, 2)) == 4
    assert list(range(5))[ndgrad.tensor(2)] == 2


def test_repr_shows_trainability_or_the_op():
    assert "trainable=True" in repr(ndgrad.tensor([1.0], requires_grad=True))
    assert "op=multiply" in repr(ndgrad.Variable([1.0]) * 2)
    assert "trainable" not in repr(ndgrad.tensor([1.0]))
    assert repr(ndgrad.Variable([1.0], name="w")).startswith("Variable('w'")


def test_deepcopy_of_a_leaf_keeps_flags_and_owns_its_data():
    w = ndgrad.Variable([1.0, 2.0], name="w")
    clone = copy.deepcopy(w)
    clone.assign([5.0, 5.0])
    assert w.tolist() == [1.0, 2.0] and clone.trainable and clone.name == "w"
    with pytest.raises(RuntimeError, match="leaf"):
        copy.deepcopy(w * 2)


def test_hash_is_identity_so_tensors_work_as_dict_keys():
    a, b = ndgrad.ones(1), ndgrad.ones(1)
    assert len({a: 1, b: 2}) == 2


def test_astype_between_floats_is_differentiable_and_to_int_is_a_cut():
    w = ndgrad.Variable([1.5, 2.5])
    (w.astype(ndgrad.float64) * 2).sum().backward()
    assert w.grad.dtype == np.float32 and w.grad.tolist() == [2.0, 2.0]
    as_int = w.astype(ndgrad.int64)
    assert as_int.dtype == np.int64 and not as_int.requires_grad
    assert any(b.kind.startswith("cast to int64") for b in ndgrad.gradient_breaks())


def test_methods_forward_to_ops():
    x = ndgrad.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert x.sum().item() == 10.0
    assert x.mean(axis=0).tolist() == [2.0, 3.0]
    assert x.max().item() == 4.0 and x.min(axis=1).tolist() == [1.0, 3.0]
    assert x.reshape(4).shape == (4,) and x.reshape(1, 4).shape == (1, 4)
    assert x.transpose().tolist() == [[1.0, 3.0], [2.0, 4.0]]
    assert x.transpose(1, 0).shape == (2, 2)
    assert x.flatten().shape == (4,)
    assert x.argmax().item() == 3
    assert x.clip(2, 3).tolist() == [[2.0, 2.0], [3.0, 3.0]]
    assert x.var(ddof=0).item() == 1.25                     # NumPy's spelling
    assert x.var().item() == pytest.approx(5 / 3)           # the method is PyTorch's: unbiased
    assert x.copy() is not x
