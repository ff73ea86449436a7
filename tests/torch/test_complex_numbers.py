"""The torch face's complex numbers: dtypes by name, torch.real/imag/conj/angle/complex/
polar/view_as_real/view_as_complex and the tensor methods, forward and gradient
against PyTorch (complex autograd, its convention), and the refusals."""

import numpy as np
import pytest

import ndgrad.torch as torch

real_torch = pytest.importorskip("torch")

_Z = np.array([1 + 2j, -3 + 0.5j, 0.25 - 1j])
_PAIRS = np.array([[1.0, 2.0], [-3.0, 0.5], [0.25, -1.0]])
_WEIGHTS = np.array([[0.5, -2.0], [1.5, 3.0], [-1.0, 0.25]])


def _both(function, torch_function, value, weights):
    """Forward values and input gradients of ``sum(real(conj(w) * f(x)))`` (a real loss)
    in ndgrad and in PyTorch."""
    ours = torch.tensor(value, requires_grad=True)
    theirs = real_torch.tensor(value, requires_grad=True)
    out, expected = function(ours), torch_function(theirs)
    w = np.asarray(weights).astype(expected.detach().resolve_conj().numpy().dtype)
    (out * torch.tensor(np.conj(w))).real.sum().backward()
    real_torch.real(expected * real_torch.tensor(np.conj(w))).sum().backward()
    return out.detach().numpy(), expected.detach().resolve_conj().numpy(), ours.grad.numpy(), \
        theirs.grad.resolve_conj().numpy()


@pytest.mark.parametrize("name, value, weights", [
    ("view_as_real", _Z, _WEIGHTS),
    ("view_as_complex", _PAIRS, _Z),
    ("real", _Z, _WEIGHTS[:, 0]),
    ("imag", _Z, _WEIGHTS[:, 0]),
    ("angle", _Z, _WEIGHTS[:, 0]),
    ("conj_physical", _Z, _Z[::-1]),
])
def test_functions_match_pytorch(name, value, weights):
    out, expected, grad, expected_grad = _both(getattr(torch, name), getattr(real_torch, name),
                                               value, weights)
    np.testing.assert_allclose(out, expected, rtol=1e-12)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-12)
    assert grad.dtype == expected_grad.dtype


@pytest.mark.parametrize("name", ["real", "imag", "angle", "conj"])
def test_tensor_methods_match_pytorch(name):
    def method(t):
        value = getattr(t, name)
        return value() if callable(value) else value
    def theirs(t):
        return method(t).resolve_conj() if name == "conj" else method(t)
    weights = _Z[::-1] if name == "conj" else _WEIGHTS[:, 1]
    out, expected, grad, expected_grad = _both(method, theirs, _Z, weights)
    np.testing.assert_allclose(out, expected, rtol=1e-12)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-12)


@pytest.mark.parametrize("name", ["complex", "polar"])
def test_complex_and_polar_match_pytorch(name):
    a, b = np.array([1.0, 2.0, 0.5]), np.array([-0.5, 0.25, 3.0])
    ours = [torch.tensor(v, requires_grad=True) for v in (a, b)]
    theirs = [real_torch.tensor(v, requires_grad=True) for v in (a, b)]
    out, expected = getattr(torch, name)(*ours), getattr(real_torch, name)(*theirs)
    np.testing.assert_allclose(out.detach().numpy(), expected.detach().numpy(), rtol=1e-12)
    (out * torch.tensor(np.conj(_Z))).real.sum().backward()
    real_torch.real(expected * real_torch.tensor(np.conj(_Z))).sum().backward()
    for mine, reference in zip(ours, theirs):
        np.testing.assert_allclose(mine.grad.numpy(), reference.grad.numpy(), rtol=1e-12)


def test_dtypes_by_name_and_casts():
    assert torch.complex64 == torch.cfloat == np.complex64
    assert torch.complex128 == torch.cdouble == np.complex128
    assert torch.zeros(2, dtype=torch.complex64).dtype == np.complex64
    assert torch.tensor([1.0]).cfloat().dtype == np.complex64
    assert torch.tensor([1.0]).cdouble().dtype == np.complex128
    z = torch.tensor([1 + 1j], requires_grad=True)    # complex tensors can require grad
    assert z.dtype == np.complex64 and z.requires_grad
    assert torch.is_complex(z) and not torch.is_complex(torch.zeros(1))
    assert torch.resolve_conj(z) is z and not torch.is_conj(torch.conj(z))
    assert torch.conj(torch.zeros(1)).dtype == np.float32


def test_refusals_name_the_problem():
    with pytest.raises(TypeError, match="view_as_real: the input must be a complex tensor"):
        torch.view_as_real(torch.zeros(2))
    with pytest.raises(ValueError, match="last axis must have size 2"):
        torch.view_as_complex(torch.zeros(3))
    with pytest.raises(TypeError, match="view_as_complex: the input must be float32"):
        torch.view_as_complex(torch.zeros(2, dtype=torch.complex64))
    with pytest.raises(TypeError, match="complex: both tensors must have the same dtype"):
        torch.complex(torch.zeros(1), torch.zeros(1, dtype=torch.float64))
    with pytest.raises(TypeError, match="imag is not implemented for real tensors"):
        torch.imag(torch.zeros(1))
    with pytest.raises(AttributeError, match="no complex32"):
        torch.chalf
