"""Complex gradients, op by op (issue 13 item 1): every case forward against PyTorch,
backward against PyTorch's complex autograd AND float64 finite differences along
random directions of the real and the imaginary parts, second order for the smooth
ones (against PyTorch's double backward and finite differences of the gradient)."""

import numpy as np
import pytest

import ndgrad
from ndgrad.ops.complex_numbers import COMPLEX_OPS

from .complex_harness import (ComplexCase, as_precise, check_against_finite_differences,
                              complex_away_from_zero, complex_normal, complex_right_half,
                              cotangent, first_order_scalar, ndgrad_gradients, real_normal,
                              real_positive, torch_gradients)

torch = pytest.importorskip("torch")

C, CA, CR, R, RP = complex_normal, complex_away_from_zero, complex_right_half, real_normal, \
    real_positive


def _index(z):
    return z[torch.tensor([2, 0, 2])] if isinstance(z, torch.Tensor) else z[np.array([2, 0, 2])]


def _write(z, w):
    out = z * 1
    out[1:3] = w * 2
    return out


CASES = [
    ComplexCase("add", lambda a, b: a + b, lambda a, b: a + b, [((2, 3), C), ((3,), C)]),
    ComplexCase("add real", lambda a, b: a + b, lambda a, b: a + b, [((2, 3), R), ((3,), C)]),
    ComplexCase("subtract", lambda a, b: a - b, lambda a, b: a - b, [((3,), C), ((3,), C)]),
    ComplexCase("multiply", lambda a, b: a * b, lambda a, b: a * b, [((2, 3), C), ((2, 3), C)]),
    ComplexCase("multiply real", lambda a, b: a * b, lambda a, b: a * b,
                [((2, 3), R), ((3,), C)]),
    ComplexCase("multiply python complex", lambda a: a * (2 - 1j), lambda a: a * (2 - 1j),
                [((3,), R)]),
    ComplexCase("divide", lambda a, b: a / b, lambda a, b: a / b, [((3,), C), ((3,), CA)]),
    ComplexCase("divide real numerator", lambda a, b: a / b, lambda a, b: a / b,
                [((3,), R), ((3,), CA)]),
    ComplexCase("divide real denominator", lambda a, b: a / b, lambda a, b: a / b,
                [((3,), C), ((3,), RP)]),
    ComplexCase("negative", lambda a: -a, lambda a: -a, [((3,), C)]),
    ComplexCase("square", ndgrad.square, torch.square, [((3,), C)]),
    ComplexCase("sqrt", ndgrad.sqrt, torch.sqrt, [((3,), CR)]),
    ComplexCase("reciprocal", ndgrad.reciprocal, torch.reciprocal, [((3,), CA)]),
    ComplexCase("exp", np.exp, torch.exp, [((2, 2), C)]),
    ComplexCase("log", np.log, torch.log, [((3,), CR)]),
    ComplexCase("power 2", lambda a: a ** 2, lambda a: a ** 2, [((3,), C)]),
    ComplexCase("power 3.0", lambda a: a ** 3.0, lambda a: a ** 3.0, [((3,), C)]),
    ComplexCase("power 0.5", lambda a: a ** 0.5, lambda a: a ** 0.5, [((3,), CR)]),
    ComplexCase("power -1.5", lambda a: a ** -1.5, lambda a: a ** -1.5, [((3,), CR)]),
    ComplexCase("power complex exponent", lambda a, b: a ** b, lambda a, b: a ** b,
                [((3,), CR), ((3,), C)]),
    ComplexCase("real ** complex", lambda a: 2.0 ** (a * 1j), lambda a: 2.0 ** (a * 1j),
                [((3,), R)]),
    ComplexCase("power real tensor exponent", lambda a, b: a ** b, lambda a, b: a ** b,
                [((3,), CR), ((3,), R)]),
    ComplexCase("abs", np.abs, torch.abs, [((2, 3), CA)]),
    ComplexCase("real", np.real, torch.real, [((3,), C)]),
    ComplexCase("imag", np.imag, torch.imag, [((3,), C)]),
    ComplexCase("conj", np.conj, lambda a: torch.conj(a).resolve_conj(), [((3,), C)]),
    ComplexCase("angle", np.angle, torch.angle, [((3,), CA)]),
    ComplexCase("sum axis", lambda a: a.sum(axis=0), lambda a: a.sum(dim=0), [((2, 3), C)]),
    ComplexCase("sum real to complex", lambda a: np.sum(a, dtype=np.complex128),
                lambda a: torch.sum(a.to(torch.complex128)), [((3,), R)]),   # torch's dtype= refuses
    ComplexCase("mean", np.mean, torch.mean, [((2, 3), C)]),
    ComplexCase("var", lambda a: np.var(a, axis=1), lambda a: torch.var(a, dim=1, correction=0),
                [((2, 3), C)]),
    ComplexCase("std ddof", lambda a: np.std(a, ddof=1), lambda a: torch.std(a), [((4,), C)]),
    ComplexCase("cov", np.cov, torch.cov, [((2, 4), C)]),
    ComplexCase("matmul", lambda a, b: a @ b, lambda a, b: a @ b, [((2, 3), C), ((3, 4), C)]),
    ComplexCase("matmul vector", lambda a, b: a @ b, lambda a, b: a @ b,
                [((2, 3), C), ((3,), C)]),
    ComplexCase("matmul real", lambda a, b: a @ b, lambda a, b: a.to(b.dtype) @ b,
                [((2, 3), R), ((3, 2), C)]),
    ComplexCase("dot", np.dot, torch.matmul, [((2, 3), C), ((3,), C)]),
    ComplexCase("vdot", np.vdot, torch.vdot, [((3,), C), ((3,), C)]),
    ComplexCase("tensordot", lambda a, b: np.tensordot(a, b, axes=([1, 0], [0, 1])),
                lambda a, b: torch.tensordot(a, b, dims=([1, 0], [0, 1])),
                [((2, 3, 2), C), ((3, 2), C)]),
    ComplexCase("einsum", lambda a, b: np.einsum("ij,jk->ik", a, b),
                lambda a, b: torch.einsum("ij,jk->ik", a, b), [((2, 3), C), ((3, 2), C)]),
    ComplexCase("einsum trace", lambda a: np.einsum("ii->", a), lambda a: torch.einsum("ii->", a),
                [((3, 3), C)]),
    ComplexCase("getitem slice", lambda a: a[1:, ::2], lambda a: a[1:, ::2], [((3, 4), C)]),
    ComplexCase("getitem repeated index", _index, _index, [((3,), C)]),
    ComplexCase("reshape", lambda a: a.reshape(3, 2), lambda a: a.reshape(3, 2), [((2, 3), C)]),
    ComplexCase("transpose", lambda a: a.T, lambda a: a.T, [((2, 3), C)]),
    ComplexCase("broadcast_to", lambda a: np.broadcast_to(a, (2, 3)),
                lambda a: torch.broadcast_to(a, (2, 3)), [((3,), C)]),
    ComplexCase("flip", lambda a: np.flip(a, 0), lambda a: torch.flip(a, (0,)), [((3,), C)]),
    ComplexCase("concatenate", lambda a, b: np.concatenate([a, b]),
                lambda a, b: torch.cat([a, b]), [((2,), C), ((3,), R)]),
    ComplexCase("stack", lambda a, b: np.stack([a, b]), lambda a, b: torch.stack([a, b]),
                [((3,), C), ((3,), C)]),
    ComplexCase("where", lambda a, b: np.where(np.array([True, False, True]), a, b),
                lambda a, b: torch.where(torch.tensor([True, False, True]), a, b.to(a.dtype)),
                [((3,), C), ((3,), R)]),
    ComplexCase("astype complex", lambda a: a.astype("complex128"),
                lambda a: a.to(torch.complex128), [((3,), R)]),
    ComplexCase("setitem", _write, _write, [((4,), C), ((2,), C)]),
    ComplexCase("composite |exp(z) w|^2", lambda a, b: np.abs(np.exp(a) * b) ** 2,
                lambda a, b: torch.abs(torch.exp(a) * b) ** 2, [((3,), C), ((3,), C)]),
]
IDS = [case.name for case in CASES]
SMOOTH = [case for case in CASES if case.second_order]     # linear ones: zero, checked


def _draw(case, rng):
    return [as_precise(a) for a in case.draw(rng)]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_forward_matches_pytorch(case, rng):
    arrays = _draw(case, rng)
    got = case.op(*[ndgrad.tensor(a) for a in arrays]).numpy()
    expected = case.torch_op(*[torch.tensor(a) for a in arrays]).numpy()
    assert got.dtype == expected.dtype
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_gradient_matches_pytorch(case, rng):
    arrays = _draw(case, rng)
    with ndgrad.no_grad():
        out = case.op(*[ndgrad.tensor(a) for a in arrays])
    c = cotangent(rng, out)
    got = ndgrad_gradients(case.op, arrays, c)
    expected = torch_gradients(case.torch_op, arrays, c)
    for array, g, e in zip(arrays, got, expected):
        assert g is not None and e is not None
        assert g.dtype == array.dtype          # a real input gets a real gradient
        np.testing.assert_allclose(g, e, rtol=case.rtol, atol=case.atol)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_gradient_matches_finite_differences(case, rng):
    arrays = _draw(case, rng)
    with ndgrad.no_grad():
        out = case.op(*[ndgrad.tensor(a) for a in arrays])
    c = cotangent(rng, out)
    grads = ndgrad_gradients(case.op, arrays, c)
    check_against_finite_differences(case.op, arrays, c, grads, rng, case.rtol, case.atol)


@pytest.mark.parametrize("case", SMOOTH, ids=[case.name for case in SMOOTH])
def test_second_order_matches_pytorch_and_finite_differences(case, rng):
    arrays = _draw(case, rng)
    with ndgrad.no_grad():
        out = case.op(*[ndgrad.tensor(a) for a in arrays])
    # One random "direction" per input for S = sum Re(conj(v_i) grad_i), and the cotangent.
    v = [cotangent(rng, np.asarray(a)) for a in arrays] + [cotangent(rng, out)]

    tensors = [ndgrad.tensor(a, requires_grad=True) for a in arrays]
    scalar = first_order_scalar(case.op, tensors, v)
    linear = scalar is None or not scalar.requires_grad
    if not linear:
        scalar.backward()
    got = [None if t.grad is None else t.grad.numpy() for t in tensors]

    t_tensors = [torch.tensor(a, requires_grad=True) for a in arrays]
    t_out = case.torch_op(*t_tensors)
    t_grads = torch.autograd.grad(t_out, t_tensors, torch.tensor(v[-1]), create_graph=True,
                                  allow_unused=True)
    t_scalar = sum(torch.sum(torch.real(g * torch.tensor(np.conj(w))))
                   for g, w in zip(t_grads, v[:-1]) if g is not None)
    if linear:                            # a linear op: PyTorch's gradient is constant too
        assert not t_scalar.requires_grad
        return
    expected = torch.autograd.grad(t_scalar, t_tensors, allow_unused=True)
    for g, e in zip(got, expected):
        if e is None:
            assert g is None or np.allclose(g, 0)
            continue
        np.testing.assert_allclose(g, e.resolve_conj().numpy(), rtol=1e-6, atol=1e-8)

    def first_order(*inputs):
        return first_order_scalar(case.op, list(inputs), v)

    # The second-order gradient is the gradient of S; S itself is a real function.
    second = [np.zeros(a.shape, a.dtype) if g is None else g for g, a in zip(got, arrays)]
    check_against_finite_differences(
        lambda *inputs: _value_of(first_order, inputs), arrays, np.array(1.0), second, rng,
        1e-5, 1e-6)


def _value_of(function, inputs):
    tensors = [ndgrad.tensor(t.numpy(), requires_grad=True) for t in inputs]
    with ndgrad.enable_grad():
        return function(*tensors).detach()


def test_every_listed_op_is_in_the_table_or_named_here():
    """An op that learns complex gradients gets a row in the table above."""
    covered_elsewhere = {"positive", "copy", "scatter_add", "zero_view", "write_view"}
    covered_elsewhere |= {"resize", "fourier_c2c", "fourier_r2c", "fourier_c2r",
                          "fourier_roll"}                         # tests/ops/test_fft.py
    names = {case.name.split()[0] for case in CASES}
    aliases = {"conjugate": "conj", "getitem": "getitem", "astype": "astype",
               "concatenate": "concatenate"}
    missing = [name for name in COMPLEX_OPS
               if name not in covered_elsewhere and aliases.get(name, name) not in names]
    assert not missing, missing
