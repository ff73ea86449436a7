"""Checking complex gradients: a case table's tools (tests/ops/test_complex_numbers.py).

PyTorch's convention: for a real loss ``L`` of ``z = x + iy``, ``z.grad`` is
``dL/dx + i dL/dy``. So the finite-difference check perturbs the real and the
imaginary part of each complex input separately, along random real directions,
on the real loss ``L = sum(Re(conj(c) * f(inputs)))`` for a random complex
cotangent ``c`` (for which ``f(inputs).backward(c)`` is the gradient of ``L``).
"""

from dataclasses import dataclass

import numpy as np

import ndgrad
from ndgrad.autograd.gradients import grad as autograd_grad

try:
    import torch
except ImportError:   # torch is an optional oracle
    torch = None


def complex_normal(rng, shape):
    return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)


def complex_away_from_zero(rng, shape):
    """Modulus in [0.5, 2], any phase (for 1/z, |z|, angle)."""
    return rng.uniform(0.5, 2.0, shape) * np.exp(1j * rng.uniform(-np.pi, np.pi, shape))


def complex_right_half(rng, shape):
    """Re z > 0.3: away from the branch cut of log and sqrt on the negative reals."""
    return rng.uniform(0.3, 2.0, shape) + 1j * rng.standard_normal(shape)


def complex_off_axes(rng, shape):
    """0.3 <= |Re z|, |Im z| <= 1: off both axes, where the inverse trigonometric and
    hyperbolic functions have their branch cuts."""
    def away(size):
        return rng.uniform(0.3, 1.0, size) * rng.choice([-1.0, 1.0], size)
    return away(shape) + 1j * away(shape)


def real_normal(rng, shape):
    return rng.standard_normal(shape)


def real_positive(rng, shape):
    return rng.uniform(0.5, 2.0, shape)


@dataclass
class ComplexCase:
    """``op`` on ndgrad tensors, ``torch_op`` on torch tensors, and one
    ``(shape, domain)`` per input; a domain drawing real numbers makes a real input."""
    name: str
    op: object
    torch_op: object
    inputs: list
    second_order: bool = True
    rtol: float = 1e-6
    atol: float = 1e-8

    def draw(self, rng):
        return [domain(rng, shape) for shape, domain in self.inputs]


def as_precise(array):
    array = np.asarray(array)
    return array.astype(np.complex128 if array.dtype.kind == "c" else np.float64)


def cotangent(rng, out):
    """A random cotangent for ``out``: complex when it is, else real."""
    shape = out.shape
    return complex_normal(rng, shape) if out.dtype.kind == "c" else rng.standard_normal(shape)


def real_loss(op, arrays, c):
    """``sum(Re(conj(c) * op(arrays)))`` computed by ndgrad, with no graph."""
    with ndgrad.no_grad():
        out = op(*[ndgrad.tensor(a) for a in arrays]).numpy()
    return float(np.sum(np.real(np.conj(c) * out)))


def ndgrad_gradients(op, arrays, c):
    """The gradient of each input (None where unconnected) by ndgrad's backward."""
    tensors = [ndgrad.tensor(a, requires_grad=True) for a in arrays]
    op(*tensors).backward(ndgrad.tensor(c.astype(np.result_type(c, np.complex64))
                                        if c.dtype.kind == "c" else c))
    return [None if t.grad is None else t.grad.numpy() for t in tensors]


def torch_gradients(torch_op, arrays, c):
    tensors = [torch.tensor(a, requires_grad=True) for a in arrays]
    torch_op(*tensors).backward(torch.tensor(c))
    return [None if t.grad is None else t.grad.resolve_conj().numpy() for t in tensors]


def finite_difference_gradients(op, arrays, c, rng, eps=1e-6):
    """For each input, (directional derivative, direction, part) along a random
    real direction of its real part and, for a complex input, of its imaginary part."""
    checks = []
    for i, array in enumerate(arrays):
        parts = [1.0, 1j] if array.dtype.kind == "c" else [1.0]
        for part in parts:
            direction = rng.standard_normal(array.shape)
            step = eps * part * direction

            def shifted(sign):
                moved = list(arrays)
                moved[i] = array + sign * step
                return real_loss(op, moved, c)
            checks.append((i, part, direction, (shifted(1) - shifted(-1)) / (2 * eps)))
    return checks


def check_against_finite_differences(op, arrays, c, grads, rng, rtol, atol):
    for i, part, direction, numeric in finite_difference_gradients(op, arrays, c, rng):
        g = grads[i] if grads[i] is not None else np.zeros(arrays[i].shape)
        component = np.real(g) if part == 1.0 else np.imag(g)
        analytic = float(np.sum(component * direction))
        assert np.isclose(analytic, numeric, rtol=max(rtol, 1e-5), atol=max(atol, 1e-6)), (
            f"input {i}, {'real' if part == 1.0 else 'imaginary'} part: "
            f"backward {analytic}, finite differences {numeric}")


def first_order_scalar(op, tensors, v):
    """``S = sum(Re(conj(v_i) * grad_i))`` of the first-order gradients, recorded."""
    out = op(*tensors)
    c = ndgrad.tensor(v[-1])
    grads = autograd_grad([out], tensors, grad_outputs=[c], create_graph=True,
                          allow_unused=True)
    total = None
    for g, w in zip(grads, v[:-1]):
        if g is None:
            continue
        term = ndgrad.sum(ndgrad.real(g * np.conj(w)))
        total = term if total is None else total + term
    return total
