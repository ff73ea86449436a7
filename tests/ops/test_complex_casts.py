"""Complex tensors made, promoted and cast (issue 13 item 1): Python complex numbers
become complex64 as Python floats become float32; a float32 tensor times a Python
complex stays complex64 (PyTorch's and NumPy's weak scalars); casts between real and
complex dtypes differentiate (complex -> real keeps the real part and warns, as
NumPy and PyTorch do)."""

import numpy as np
import pytest

import ndgrad
from ndgrad.errors import DTypeError
from ndgrad.ops.cast import ComplexWarning

torch = pytest.importorskip("torch")


def test_python_complex_data_becomes_complex64_as_in_pytorch():
    assert ndgrad.tensor([1 + 2j, 3.0]).dtype == np.complex64
    assert torch.tensor([1 + 2j, 3.0]).dtype == torch.complex64
    assert ndgrad.tensor(np.array([1j])).dtype == np.complex128       # arrays keep theirs
    assert ndgrad.tensor([1j], dtype="complex128").dtype == np.complex128
    assert ndgrad.tensor([1.0], dtype=ndgrad.dtypes.complex64).dtype == np.complex64


@pytest.mark.parametrize("real_dtype, scalar, expected", [
    ("float32", 1j, np.complex64), ("float64", 1j, np.complex128),
    ("float32", 2 - 1j, np.complex64)])
def test_a_real_tensor_times_a_python_complex_keeps_its_precision(real_dtype, scalar, expected):
    w = ndgrad.tensor([1.0, 2.0], dtype=real_dtype, requires_grad=True)
    z = w * scalar
    t = torch.tensor([1.0, 2.0], dtype=getattr(torch, real_dtype)) * scalar
    assert z.dtype == expected and str(t.dtype) == f"torch.{np.dtype(expected).name}"
    assert z.requires_grad


def test_complex_leaves_can_require_grad_and_integers_still_cannot():
    z = ndgrad.tensor([1 + 1j], requires_grad=True)
    v = ndgrad.Variable([1j, 2.0])
    assert z.requires_grad and v.trainable and v.dtype == np.complex64
    with pytest.raises(TypeError, match="floating dtypes \\(and complex ones\\)"):
        ndgrad.tensor([1, 2], requires_grad=True)


def test_gradients_accumulate_on_a_complex_leaf_in_its_dtype():
    z = ndgrad.tensor([1 + 2j], requires_grad=True)
    (ndgrad.abs(z) ** 2).sum().backward()
    (ndgrad.abs(z) ** 2).sum().backward()
    assert z.grad.dtype == np.complex64
    np.testing.assert_allclose(z.grad.numpy(), [4 + 8j], rtol=1e-6)


def test_backward_of_a_complex_scalar_needs_an_explicit_gradient_as_in_pytorch():
    z = ndgrad.tensor(1 + 1j, requires_grad=True)
    with pytest.raises(RuntimeError, match="real scalar"):
        (z * z).backward()
    t = torch.tensor(1 + 1j, requires_grad=True)
    with pytest.raises(RuntimeError, match="real scalar"):
        (t * t).backward()


def test_complex_to_real_cast_keeps_the_real_part_warns_and_matches_pytorch(rng):
    data = rng.standard_normal(3) + 1j * rng.standard_normal(3)
    c = rng.standard_normal(3)
    z = ndgrad.tensor(data, requires_grad=True)
    with pytest.warns(ComplexWarning, match="discards the imaginary part"):
        out = z.astype("float64")
    np.testing.assert_array_equal(out.numpy(), data.real)
    (out * ndgrad.tensor(c)).sum().backward()
    t = torch.tensor(data, requires_grad=True)
    with pytest.warns(UserWarning, match="discards the imaginary part"):
        t_out = t.to(torch.float64)
    (t_out * torch.tensor(c)).sum().backward()
    np.testing.assert_array_equal(z.grad.numpy(), t.grad.numpy())
    np.testing.assert_array_equal(z.grad.numpy(), c + 0j)


def test_casts_between_complex_precisions_carry_the_gradient_back(rng):
    data = (rng.standard_normal(3) + 1j * rng.standard_normal(3)).astype(np.complex64)
    z = ndgrad.tensor(data, requires_grad=True)
    wide = z.astype("complex128")
    (ndgrad.abs(wide) ** 2).sum().backward()
    assert wide.dtype == np.complex128 and z.grad.dtype == np.complex64
    np.testing.assert_allclose(z.grad.numpy(), 2 * data, rtol=1e-6)


def test_in_place_complex_update_of_a_real_tensor_is_refused_unchanged():
    w = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    h = w * 2
    with pytest.raises(DTypeError, match=r"in-place \+=: the result is complex64"):
        h += 1j
    assert h.tolist() == [2.0, 4.0]
