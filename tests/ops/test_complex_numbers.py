"""Complex gradients, op by op (issue 13 item 1): every case forward against PyTorch,
backward against PyTorch's complex autograd AND float64 finite differences along
random directions of the real and the imaginary parts, second order for the smooth
ones (against PyTorch's double backward and finite differences of the gradient)."""

import numpy as np
import pytest

import ndgrad
from ndgrad.ops.complex_numbers import COMPLEX_OPS

from .complex_cases_linalg import COMPLEX_LINALG_CASES
from .complex_harness import (ComplexCase, as_precise, check_against_finite_differences,
                              complex_away_from_zero, complex_normal, complex_off_axes,
                              complex_right_half,
                              cotangent, first_order_scalar, ndgrad_gradients, real_normal,
                              real_positive, torch_gradients)

torch = pytest.importorskip("torch")

C, CA, CR, R, RP = complex_normal, complex_away_from_zero, complex_right_half, real_normal, \
    real_positive
CO = complex_off_axes


def _index(z):
    return z[torch.tensor([2, 0, 2])] if isinstance(z, torch.Tensor) else z[np.array([2, 0, 2])]


def _write(z, w):
    out = z * 1
    out[1:3] = w * 2
    return out


def _with_zero(rng, shape):
    """Complex numbers with one exact zero (where prod's and cumprod's rules cannot divide)."""
    z = complex_normal(rng, shape)
    z.flat[1] = 0
    return z


def _conditioned(rng, shape):
    """Complex matrices far from singular: normal entries plus 3 on the diagonal."""
    return complex_normal(rng, shape) + 3 * np.eye(shape[-1])


def _real_conditioned(rng, shape):
    return real_normal(rng, shape) + 3 * np.eye(shape[-1])


def _singular(rng, shape):
    """A complex matrix of rank n - 1 (det's gradient, the cofactors, is not zero)."""
    a = complex_normal(rng, shape)
    a[..., -1, :] = a[..., 0, :] * (1 - 2j)
    return a


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
    ComplexCase("exp2", np.exp2, torch.exp2, [((3,), C)]),
    ComplexCase("expm1", np.expm1, torch.expm1, [((3,), C)]),
    ComplexCase("log1p", np.log1p, torch.log1p, [((3,), CR)]),
    ComplexCase("log2", np.log2, torch.log2, [((3,), CR)]),
    ComplexCase("log10", np.log10, torch.log10, [((3,), CR)]),
    ComplexCase("sin", np.sin, torch.sin, [((2, 3), C)]),
    ComplexCase("cos", np.cos, torch.cos, [((2, 3), C)]),
    ComplexCase("tan", np.tan, torch.tan, [((2, 3), CO)]),
    ComplexCase("sinh", np.sinh, torch.sinh, [((2, 3), C)]),
    ComplexCase("cosh", np.cosh, torch.cosh, [((2, 3), C)]),
    ComplexCase("tanh", np.tanh, torch.tanh, [((2, 3), CO)]),
    ComplexCase("arcsin", np.arcsin, torch.asin, [((2, 3), CO)]),
    ComplexCase("arccos", np.arccos, torch.acos, [((2, 3), CO)]),
    ComplexCase("arctan", np.arctan, torch.atan, [((2, 3), CO)]),
    ComplexCase("arcsinh", np.arcsinh, torch.asinh, [((2, 3), CO)]),
    ComplexCase("arccosh", np.arccosh, torch.acosh, [((2, 3), CO)]),
    ComplexCase("arctanh", np.arctanh, torch.atanh, [((2, 3), CO)]),
    ComplexCase("sigmoid", ndgrad.sigmoid, torch.sigmoid, [((2, 3), CO)]),
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
    ComplexCase("prod", lambda a: np.prod(a, axis=1), lambda a: torch.prod(a, dim=1),
                [((2, 3), C)]),
    ComplexCase("prod with a zero", np.prod, torch.prod, [((4,), _with_zero)]),
    ComplexCase("cumsum", lambda a: np.cumsum(a, axis=1), lambda a: torch.cumsum(a, dim=1),
                [((2, 3), C)]),
    ComplexCase("cumprod", lambda a: np.cumprod(a, axis=0), lambda a: torch.cumprod(a, dim=0),
                [((3, 2), C)]),
    ComplexCase("cumprod with a zero", np.cumprod, lambda a: torch.cumprod(a.reshape(-1), 0),
                [((4,), _with_zero)]),
    ComplexCase("diagonal", lambda a: np.diagonal(a, 1), lambda a: torch.diagonal(a, 1),
                [((3, 4), C)]),
    ComplexCase("place_diagonal (np.diag of a vector)", np.diag, torch.diag, [((3,), C)]),
    ComplexCase("diag of a matrix", lambda a: np.diag(a, -1), lambda a: torch.diag(a, -1),
                [((3, 3), C)]),
    ComplexCase("trace", np.trace, torch.trace, [((3, 3), C)]),
    ComplexCase("tile", lambda a: np.tile(a, (2, 1)), lambda a: torch.tile(a, (2, 1)),
                [((2, 3), C)]),
    ComplexCase("repeat", lambda a: np.repeat(a, 2, axis=0),
                lambda a: torch.repeat_interleave(a, 2, dim=0), [((2, 3), C)]),
    ComplexCase("roll", lambda a: np.roll(a, 1, axis=1), lambda a: torch.roll(a, 1, 1),
                [((2, 3), C)]),
    ComplexCase("pad", lambda a: np.pad(a, ((1, 0), (0, 2))),
                lambda a: torch.nn.functional.pad(a, (0, 2, 1, 0)), [((2, 3), C)]),
    ComplexCase("pad reflect", lambda a: np.pad(a, ((0, 0), (2, 1)), mode="reflect"),
                lambda a: torch.cat([a[:, [2, 1]], a, a[:, [1]]], dim=1), [((2, 3), C)]),
    ComplexCase("triu", np.triu, torch.triu, [((3, 3), C)]),
    ComplexCase("tril", lambda a: np.tril(a, -1), lambda a: torch.tril(a, -1), [((3, 3), C)]),
    ComplexCase("inv", np.linalg.inv, torch.linalg.inv, [((3, 3), _conditioned)]),
    ComplexCase("inv batched", np.linalg.inv, torch.linalg.inv, [((2, 2, 2), _conditioned)]),
    ComplexCase("solve", np.linalg.solve, torch.linalg.solve,
                [((3, 3), _conditioned), ((3, 2), C)]),
    ComplexCase("solve vector", np.linalg.solve, torch.linalg.solve,
                [((3, 3), _conditioned), ((3,), C)]),
    ComplexCase("solve real rhs", np.linalg.solve, lambda a, b: torch.linalg.solve(a, b.to(a.dtype)),
                [((3, 3), _conditioned), ((3,), R)]),
    ComplexCase("solve real matrix", np.linalg.solve,
                lambda a, b: torch.linalg.solve(a.to(b.dtype), b), [((3, 3), _real_conditioned),
                                                                   ((3,), C)]),
    ComplexCase("det", np.linalg.det, torch.linalg.det, [((3, 3), C)]),
    ComplexCase("det singular", np.linalg.det, torch.linalg.det, [((3, 3), _singular)],
                second_order=False),
    ComplexCase("slogdet", lambda a: np.linalg.slogdet(a)[1],
                lambda a: torch.linalg.slogdet(a)[1], [((3, 3), _conditioned)]),
    ComplexCase("slogdet_sign", lambda a: np.linalg.slogdet(a)[0],
                lambda a: torch.linalg.slogdet(a)[0], [((3, 3), _conditioned)]),
    ComplexCase("matrix_power 3", lambda a: np.linalg.matrix_power(a, 3),
                lambda a: torch.linalg.matrix_power(a, 3), [((3, 3), C)]),
    ComplexCase("matrix_power -2", lambda a: np.linalg.matrix_power(a, -2),
                lambda a: torch.linalg.matrix_power(a, -2), [((3, 3), _conditioned)]),
    ComplexCase("norm", np.linalg.norm, torch.linalg.norm, [((2, 3), C)]),
    ComplexCase("norm vector axis", lambda a: np.linalg.norm(a, axis=1),
                lambda a: torch.linalg.vector_norm(a, dim=1), [((2, 3), CA)]),
    ComplexCase("norm ord 1", lambda a: np.linalg.norm(a, ord=1, axis=0),
                lambda a: torch.linalg.vector_norm(a, ord=1, dim=0), [((3, 2), CA)]),
    ComplexCase("norm ord 3", lambda a: np.linalg.norm(a, ord=3),
                lambda a: torch.linalg.vector_norm(a, ord=3), [((4,), CA)]),
    ComplexCase("norm ord 0.5", lambda a: np.linalg.norm(a, ord=0.5),
                lambda a: torch.linalg.vector_norm(a, ord=0.5), [((4,), CA)]),
    ComplexCase("norm ord inf", lambda a: np.linalg.norm(a, ord=np.inf),
                lambda a: torch.linalg.vector_norm(a, ord=float("inf")), [((4,), CA)],
                second_order=False),
    ComplexCase("norm fro", lambda a: np.linalg.norm(a, "fro"),
                lambda a: torch.linalg.matrix_norm(a, "fro"), [((3, 2), C)]),
    ComplexCase("norm matrix 1", lambda a: np.linalg.norm(a, 1),
                lambda a: torch.linalg.matrix_norm(a, 1), [((3, 2), CA)], second_order=False),
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
] + COMPLEX_LINALG_CASES      # svd, eigh, eig, pinv, ...: tests/ops/complex_cases_linalg.py
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
                          "fourier_roll", "fourier_r2c_adjoint",
                          "fourier_c2r_adjoint"}                  # tests/ops/test_fft.py
    covered_elsewhere |= {"roots", "unique"}    # tests/ops/test_polynomials.py, test_set_operations.py
    names = {case.name.split()[0] for case in CASES}
    aliases = {"conjugate": "conj", "getitem": "getitem", "astype": "astype",
               "concatenate": "concatenate"}
    missing = [name for name in COMPLEX_OPS
               if name not in covered_elsewhere and aliases.get(name, name) not in names]
    assert not missing, missing
