"""Optimizers step complex parameters as PyTorch's do (issue 13 item 1): each a view of
(real, imaginary) pairs (``view_as_real``), so Adam's second moment is kept per part.
Five steps on a non-quadratic loss, compared with torch.optim."""

import numpy as np
import pytest

import ndgrad

torch = pytest.importorskip("torch")

OPTIMIZERS = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9, weight_decay=0.01, nesterov=True)),
    ("Adam", dict(lr=0.1)),
    ("Adam", dict(lr=0.1, amsgrad=True, weight_decay=0.05)),
    ("AdamW", dict(lr=0.1, weight_decay=0.1)),
    ("RMSprop", dict(lr=0.01, momentum=0.5)),
    ("Adagrad", dict(lr=0.1)),
]


@pytest.mark.parametrize("name, options", OPTIMIZERS,
                         ids=[f"{n}-{'-'.join(o)}" for n, o in OPTIMIZERS])
def test_five_steps_on_a_complex_parameter_match_pytorch(name, options, rng):
    start = rng.standard_normal((2, 3)) + 1j * rng.standard_normal((2, 3))
    target = rng.standard_normal((2, 3)) + 1j * rng.standard_normal((2, 3))
    w = ndgrad.tensor(start, requires_grad=True)
    tw = torch.tensor(start, requires_grad=True)
    optimizer = getattr(ndgrad.optim, name)([w], **options)
    reference = getattr(torch.optim, name)([tw], **options)
    for _ in range(5):
        optimizer.zero_grad()
        (ndgrad.abs(w - ndgrad.tensor(target)) ** 3).sum().backward()
        optimizer.step()
        reference.zero_grad()
        (torch.abs(tw - torch.tensor(target)) ** 3).sum().backward()
        reference.step()
    assert w.dtype == np.complex128
    np.testing.assert_allclose(w.detach().numpy(), tw.detach().numpy(), rtol=1e-12, atol=1e-12)


def test_adam_is_not_the_complex_square_of_the_gradient():
    """With v = g * g (complex) the first step would leave the imaginary axis; per
    part it moves both parts by lr, as on two real parameters."""
    w = ndgrad.tensor([1 + 1j], requires_grad=True)
    optimizer = ndgrad.optim.Adam([w], lr=0.1)
    (ndgrad.real(w) + ndgrad.imag(w)).sum().backward()        # the gradient is 1 + 1j
    optimizer.step()
    np.testing.assert_allclose(w.detach().numpy(), [0.9 + 0.9j], rtol=1e-6)


def test_lbfgs_refuses_complex_parameters_before_evaluating():
    w = ndgrad.tensor([1 + 1j], requires_grad=True)
    optimizer = ndgrad.optim.LBFGS([w])
    calls = []
    with pytest.raises(TypeError, match="LBFGS.step: complex parameters"):
        optimizer.step(lambda: calls.append(1))
    assert not calls and w.tolist() == [1 + 1j]
