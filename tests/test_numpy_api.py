"""NumPy's own functions on ndgrad tensors (seed 002): gradients kept or a clear error."""

import warnings

import numpy as np
import pytest

import ndgrad


def test_numpy_functions_return_tensors_that_carry_gradients():
    w = ndgrad.Variable([[1.0, -2.0], [3.0, 0.5]])
    results = [np.mean(w), np.clip(w, -1, 1), np.concatenate([w, w]), w @ w, np.exp(w),
               np.sum(w, axis=0), np.maximum(w, 0), np.transpose(w), np.where(w > 0, w, 0)]
    for r in results:
        assert isinstance(r, ndgrad.Tensor) and r.requires_grad


def test_numpy_mean_over_channels_like_seed_002_example_1():
    x = ndgrad.Variable(np.random.default_rng(0).normal(size=(1, 3, 4, 4)).astype(np.float32))
    averaged = np.mean(x, axis=1, keepdims=True)
    assert averaged.shape == (1, 1, 4, 4)
    averaged.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.full((1, 3, 4, 4), 1 / 3), rtol=1e-6)


def test_gradient_through_numpy_calls_matches_the_ndgrad_ops():
    w = ndgrad.Variable([0.5, 2.0, -3.0])
    np.sum(np.clip(np.exp(w), 0, 5) * w).backward()
    expected = ndgrad.Variable([0.5, 2.0, -3.0])
    (ndgrad.clip(ndgrad.exp(expected), 0, 5) * expected).sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), expected.grad.numpy())


def test_ufunc_reduce_and_accumulate_route_to_ops():
    w = ndgrad.Variable([1.0, 2.0, 3.0])
    assert np.add.reduce(w).item() == 6.0
    assert np.add.accumulate(w).tolist() == [1.0, 3.0, 6.0]


def test_unsupported_numpy_function_raises_type_error_naming_it():
    w = ndgrad.Variable([1.0, 2.0])
    with pytest.raises(TypeError, match=r"numpy\.fft.*|numpy\.bincount.*detach\(\)\.numpy\(\)"):
        np.bincount(w)
    with pytest.raises(TypeError, match="numpy.gcd"):
        np.gcd(ndgrad.tensor([4]), 2)


def test_asarray_while_recording_warns_once_per_line_and_records_the_break():
    w = ndgrad.Variable([1.0, 2.0], name="w")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(3):
            plain = np.asarray(w * 2)     # the same line three times
    breaks_warnings = [c for c in caught if c.category is ndgrad.GradientBreakWarning]
    assert len(breaks_warnings) == 1
    assert isinstance(plain, np.ndarray)
    records = ndgrad.gradient_breaks()
    assert records[-1].kind == "converted to a NumPy array"
    assert records[-1].filename.endswith("test_numpy_api.py")


def test_asarray_of_a_constant_or_under_no_grad_is_silent():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.asarray(ndgrad.ones(2))
        with ndgrad.no_grad():
            np.asarray(ndgrad.Variable([1.0]))


def test_detach_numpy_then_back_cuts_the_gradient_on_purpose_like_seed_002_example_2():
    w = ndgrad.Variable([[-2.0, 0.5], [3.0, 0.1]])
    x = w * 1.0
    processed = ndgrad.tensor(np.clip(x.detach().numpy(), -1, 1)).float()
    assert not processed.requires_grad
    (processed * w).sum().backward()        # gradient reaches w only through the product
    np.testing.assert_allclose(w.grad.numpy(), [[-1.0, 0.5], [1.0, 0.1]])
    assert any(b.kind == "detach" for b in ndgrad.gradient_breaks())


def test_out_argument_is_refused_while_recording_and_honoured_otherwise():
    w = ndgrad.Variable([1.0, 2.0])
    target = ndgrad.zeros(2)
    with pytest.raises(ValueError, match="out="):
        np.add(w, 1.0, out=target)
    assert target.tolist() == [0.0, 0.0]
    np.add(ndgrad.ones(2), 1.0, out=target)
    assert target.tolist() == [2.0, 2.0]
    plain = np.zeros(2, dtype=np.float32)
    np.multiply(ndgrad.ones(2), 3.0, out=plain)
    assert plain.tolist() == [3.0, 3.0]


def test_numpy_introspection_functions_work():
    t = ndgrad.zeros(2, 3)
    assert np.shape(t) == (2, 3) and np.ndim(t) == 2 and np.size(t) == 6


def test_supported_functions_list():
    names = ndgrad.numpy_api.supported_functions()
    for name in ["mean", "clip", "concatenate", "matmul", "exp", "where", "sum", "maximum"]:
        assert name in names


def test_breadth_of_differentiable_numpy_functions():
    names = ndgrad.numpy_api.differentiable_functions()
    assert len(names) >= 150
    assert not {"argsort", "argmax", "allclose", "shape", "heaviside"} & set(names)


@pytest.mark.parametrize("name", ["exp", "mean", "cumsum", "sort", "einsum", "pad", "median",
                                  "convolve", "diff", "tile", "kron", "std"])
def test_sample_of_numpy_functions_keep_gradients(name):
    w = ndgrad.Variable(np.linspace(0.5, 1.5, 6).astype(np.float32))
    calls = {"einsum": lambda: np.einsum("i,i->", w, w), "pad": lambda: np.pad(w, 1),
             "convolve": lambda: np.convolve(w, w), "tile": lambda: np.tile(w, 2),
             "kron": lambda: np.kron(w, w)}
    result = calls.get(name, lambda: getattr(np, name)(w))()
    assert isinstance(result, ndgrad.Tensor) and result.requires_grad
    result.sum().backward()
    assert w.grad is not None and np.isfinite(w.grad.numpy()).all()
