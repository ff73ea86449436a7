"""``np.fft`` / ``ndgrad.fft`` (issue 13 item 2): every transform x norm x a few
``n``/``s``/axes (cropping, zero-padding, odd and even lengths), forward against
NumPy, gradients against ``torch.fft``'s autograd AND float64 finite differences
along random directions of the real and imaginary parts (tests/ops/complex_harness.py),
second order through nonlinear losses of the transforms."""

import numpy as np
import pytest

import ndgrad

from .complex_harness import (as_precise, check_against_finite_differences, complex_normal,
                              cotangent, first_order_scalar, ndgrad_gradients, real_normal,
                              torch_gradients)

torch = pytest.importorskip("torch")

C, R = complex_normal, real_normal
NORMS = [None, "ortho", "forward"]


def _case(name, function, shape, domain, **arguments):
    """One row: ``np.fft.<function>(x, **arguments)`` against ``torch.fft.<function>``
    with ``dim`` for ``axis`` and ``s``/``dim`` for ``s``/``axes``."""
    torch_arguments = dict(arguments)
    if "axis" in torch_arguments:
        torch_arguments["dim"] = torch_arguments.pop("axis")
    if "axes" in torch_arguments:
        torch_arguments["dim"] = torch_arguments.pop("axes")
    label = ", ".join(f"{k}={v}" for k, v in arguments.items())
    return pytest.param(
        lambda x: getattr(np.fft, function)(x, **arguments),
        lambda x: getattr(torch.fft, function)(x, **torch_arguments),
        shape, domain, id=f"{name}({label}) {shape} {'complex' if domain is C else 'real'}")


ONE_D = []
for _norm in NORMS:
    for _length, _ns in ((8, [None, 5, 12]), (7, [None, 4, 9])):
        for _n in _ns:
            ONE_D += [_case("fft", "fft", (3, _length), C, n=_n, norm=_norm),
                      _case("ifft", "ifft", (3, _length), C, n=_n, norm=_norm),
                      _case("rfft", "rfft", (3, _length), R, n=_n, norm=_norm),
                      _case("irfft", "irfft", (3, _length), C, n=_n, norm=_norm),
                      _case("hfft", "hfft", (3, _length), C, n=_n, norm=_norm),
                      _case("ihfft", "ihfft", (3, _length), R, n=_n, norm=_norm)]
    ONE_D += [_case("fft", "fft", (5, 3), R, n=6, axis=0, norm=_norm),
              _case("ifft", "ifft", (4, 3), R, axis=0, norm=_norm),
              _case("rfft", "rfft", (5, 2), R, n=4, axis=0, norm=_norm),
              _case("irfft", "irfft", (2, 4, 3), C, n=5, axis=1, norm=_norm)]

N_D = []
for _norm in NORMS:
    for _s in [None, (4, 6), (2, 3), (5, 3)]:
        # (NumPy 2 deprecates s without axes for the n-d forms: those get axes too)
        N_D += [_case(name, name, (2, 3, 5), C if name[0] != "r" else R, s=_s, norm=_norm,
                      **({"axes": (-2, -1)} if _s is not None and name.endswith("n") else {}))
                for name in ("fft2", "ifft2", "fftn", "ifftn", "rfft2", "rfftn")]
        N_D += [_case(name, name, (2, 3, 4), C, s=_s, norm=_norm,
                      **({"axes": (-2, -1)} if _s is not None and name.endswith("n") else {}))
                for name in ("irfft2", "irfftn")]
    for _axes, _s in [((0, 2), None), ((2, 0), (3, 4)), ((1,), (7,)), ((0, 1, 2), (3, 2, 5))]:
        N_D += [_case(name, name, (2, 3, 5), C if name[0] != "r" else R, s=_s, axes=_axes,
                      norm=_norm) for name in ("fftn", "ifftn", "rfftn")]
        N_D += [_case("irfftn", "irfftn", (2, 3, 4), C, s=_s, axes=_axes, norm=_norm)]

SHIFTS = [_case(name, name, shape, domain, **arguments)
          for name in ("fftshift", "ifftshift")
          for shape, domain, arguments in [((5,), R, {}), ((4, 5), C, {}),
                                           ((4, 5), C, {"axes": 1}),
                                           ((3, 4, 5), R, {"axes": (0, 2)})]]
CASES = ONE_D + N_D + SHIFTS


@pytest.mark.parametrize("op, torch_op, shape, domain", CASES)
def test_forward_matches_numpy(op, torch_op, shape, domain, rng):
    x = domain(rng, shape)
    for dtype in (np.float32, np.float64):
        array = x.astype(np.result_type(dtype, x.dtype))
        got = op(ndgrad.tensor(array))
        assert isinstance(got, ndgrad.Tensor)
        expected = op(array)
        assert got.dtype == expected.dtype
        np.testing.assert_allclose(got.numpy(), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("op, torch_op, shape, domain", CASES)
def test_gradient_matches_pytorch_and_finite_differences(op, torch_op, shape, domain, rng):
    x = as_precise(domain(rng, shape))
    with ndgrad.no_grad():
        out = op(ndgrad.tensor(x))
    c = cotangent(rng, out)
    got, = ndgrad_gradients(op, [x], c)
    expected, = torch_gradients(torch_op, [x], c)
    assert got.dtype == x.dtype
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-9)
    check_against_finite_differences(op, [x], c, [got], rng, 1e-6, 1e-8)


@pytest.mark.parametrize("op, torch_op, shape, domain", CASES[::7])
def test_float32_gradient_matches_pytorch(op, torch_op, shape, domain, rng):
    x = domain(rng, shape).astype(np.complex64 if domain is C else np.float32)
    with ndgrad.no_grad():
        out = op(ndgrad.tensor(x))
    c = cotangent(rng, out).astype(out.dtype)
    got, = ndgrad_gradients(op, [x], c)
    expected, = torch_gradients(torch_op, [x], c)
    assert got.dtype == x.dtype
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)


SECOND_ORDER = [
    pytest.param(lambda x: np.abs(np.fft.fft(x, n=6, norm="ortho")) ** 2,
                 lambda x: torch.abs(torch.fft.fft(x, n=6, norm="ortho")) ** 2, (2, 5), C,
                 id="|fft(n=6, ortho)|^2"),
    pytest.param(lambda x: np.abs(np.fft.rfft(x, n=7)) ** 3,
                 lambda x: torch.abs(torch.fft.rfft(x, n=7)) ** 3, (2, 8), R, id="|rfft(n=7)|^3"),
    pytest.param(lambda x: np.fft.irfft(x * x, n=6, norm="forward") ** 2,
                 lambda x: torch.fft.irfft(x * x, n=6, norm="forward") ** 2, (2, 5), C,
                 id="irfft(z^2, n=6, forward)^2"),
    pytest.param(lambda x: np.abs(np.fft.rfftn(x, s=(3, 6))) ** 2,
                 lambda x: torch.abs(torch.fft.rfftn(x, s=(3, 6))) ** 2, (2, 4, 5), R,
                 id="|rfftn(s=(3, 6))|^2"),
    pytest.param(lambda x: np.fft.irfft2(x, s=(3, 5)) ** 2,
                 lambda x: torch.fft.irfft2(x, s=(3, 5)) ** 2, (2, 4, 4), C,
                 id="irfft2(s=(3, 5))^2"),
    pytest.param(lambda x: np.fft.fftshift(np.abs(np.fft.fft2(x)) ** 2),
                 lambda x: torch.fft.fftshift(torch.abs(torch.fft.fft2(x)) ** 2), (3, 4), R,
                 id="fftshift(|fft2|^2)"),
]


@pytest.mark.parametrize("op, torch_op, shape, domain", SECOND_ORDER)
def test_second_order_matches_pytorch_and_finite_differences(op, torch_op, shape, domain, rng):
    x = as_precise(domain(rng, shape))
    with ndgrad.no_grad():
        out = op(ndgrad.tensor(x))
    v = [cotangent(rng, x), cotangent(rng, out)]
    t = ndgrad.tensor(x, requires_grad=True)
    scalar = first_order_scalar(op, [t], v)
    scalar.backward()
    got = t.grad.numpy()

    tx = torch.tensor(x, requires_grad=True)
    tg, = torch.autograd.grad(torch_op(tx), [tx], torch.tensor(v[-1]), create_graph=True)
    t_scalar = torch.sum(torch.real(tg * torch.tensor(np.conj(v[0]))))
    expected, = torch.autograd.grad(t_scalar, [tx])
    np.testing.assert_allclose(got, expected.resolve_conj().numpy(), rtol=1e-8, atol=1e-9)

    def first_order(inp):
        fresh = ndgrad.tensor(inp.numpy(), requires_grad=True)
        with ndgrad.enable_grad():
            return first_order_scalar(op, [fresh], v).detach()
    check_against_finite_differences(first_order, [x], np.array(1.0), [got], rng, 1e-5, 1e-6)


@pytest.mark.parametrize("call, error, words", [
    (lambda x: ndgrad.fft.fft(x, norm="unitary"), ValueError, "norm='unitary'"),
    (lambda x: ndgrad.fft.fft(x, n=0), ValueError, "0 is not a number of points"),
    (lambda x: ndgrad.fft.fft(x, axis=2), ValueError, "axis 2 is out of range"),
    (lambda x: ndgrad.fft.fftn(x, axes=(0, 0)), ValueError, "repeat an axis"),
    (lambda x: ndgrad.fft.fftn(x, s=(2, 3), axes=(0,)), ValueError, "different lengths"),
    (lambda x: ndgrad.fft.rfft(x * 1j), TypeError, "transforms real signals"),
    (lambda x: ndgrad.fft.fft(x, out=np.zeros(3, complex)), TypeError, "out= is not supported"),
])
def test_bad_arguments_are_refused_clearly(call, error, words):
    x = ndgrad.tensor(np.ones((2, 3)), requires_grad=True)
    with pytest.raises(error, match=words):
        call(x)


def test_the_module_and_numpy_dispatch_are_the_same_functions():
    x = ndgrad.tensor(np.arange(6.0), requires_grad=True)
    assert np.fft.rfft(x).tolist() == ndgrad.fft.rfft(x).tolist()
    assert ndgrad.fft.rfft([1.0, 2.0]).tolist() == np.fft.rfft([1.0, 2.0]).tolist()
    assert ndgrad.fft.fftfreq(4).tolist() == np.fft.fftfreq(4).tolist()
