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


# ---------------------------------------------------------------- saving the state
SAVED = [
    ("Adam", dict(lr=0.05, amsgrad=True, weight_decay=0.01)),
    ("AdamW", dict(lr=0.05)),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True)),
    ("RMSprop", dict(lr=0.01, momentum=0.5, centered=True)),
    ("Adagrad", dict(lr=0.1)),
    ("Adamax", dict(lr=0.05)),
    ("NAdam", dict(lr=0.05)),
    ("Adadelta", dict()),
]


def _steps(optimizer, w, target, count):
    for _ in range(count):
        optimizer.zero_grad()
        (ndgrad.abs(w - ndgrad.tensor(target)) ** 3).sum().backward()
        optimizer.step()


def _torch_steps(optimizer, w, target, count):
    for _ in range(count):
        optimizer.zero_grad()
        (torch.abs(w - torch.tensor(target)) ** 3).sum().backward()
        optimizer.step()


def _complex(rng, shape, dtype=np.complex64):
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)


@pytest.mark.parametrize("name, options", SAVED, ids=[n for n, _ in SAVED])
def test_state_dict_of_a_complex_parameter_holds_pytorchs_complex_state(name, options, rng):
    start, target = _complex(rng, (2, 3)), _complex(rng, (2, 3))
    w = ndgrad.tensor(start, requires_grad=True)
    tw = torch.tensor(start, requires_grad=True)
    optimizer = getattr(ndgrad.optim, name)([w], **options)
    reference = getattr(torch.optim, name)([tw], **options)
    _steps(optimizer, w, target, 3)
    _torch_steps(reference, tw, target, 3)
    ours, theirs = optimizer.state_dict()["state"][0], reference.state_dict()["state"][0]
    arrays = {key for key, value in theirs.items() if key != "step" and value.ndim}
    assert arrays and arrays <= set(ours)
    for key in arrays:
        assert ours[key].dtype == np.complex64 and ours[key].shape == (2, 3), key
        np.testing.assert_allclose(ours[key], theirs[key].numpy(), rtol=1e-5, atol=1e-6,
                                   err_msg=key)


@pytest.mark.parametrize("name, options", SAVED, ids=[n for n, _ in SAVED])
def test_a_complex_run_saved_and_resumed_continues_as_the_uninterrupted_run(name, options,
                                                                            rng):
    start, target = _complex(rng, (3, 2)), _complex(rng, (3, 2))
    make = getattr(ndgrad.optim, name)
    w = ndgrad.tensor(start, requires_grad=True)
    optimizer = make([w], **options)
    _steps(optimizer, w, target, 4)
    saved, saved_w = optimizer.state_dict(), w.detach().numpy().copy()
    _steps(optimizer, w, target, 4)

    resumed = ndgrad.tensor(saved_w, requires_grad=True)
    again = make([resumed], **options)
    again.load_state_dict(saved)
    _steps(again, resumed, target, 4)
    np.testing.assert_array_equal(resumed.detach().numpy(), w.detach().numpy())


@pytest.mark.parametrize("name, options", SAVED[:4], ids=[n for n, _ in SAVED[:4]])
def test_pytorchs_state_dict_of_a_complex_run_continues_as_pytorch_does(name, options, rng):
    start, target = _complex(rng, (4,), np.complex128), _complex(rng, (4,), np.complex128)
    tw = torch.tensor(start, requires_grad=True)
    reference = getattr(torch.optim, name)([tw], **options)
    _torch_steps(reference, tw, target, 3)
    state = reference.state_dict()
    state["state"] = {index: {key: value.numpy() if key != "step" else int(value)
                              for key, value in entry.items()}
                      for index, entry in state["state"].items()}
    w = ndgrad.tensor(tw.detach().numpy(), requires_grad=True)
    optimizer = getattr(ndgrad.optim, name)([w], **options)
    optimizer.load_state_dict(state)
    _steps(optimizer, w, target, 3)
    _torch_steps(reference, tw, target, 3)
    np.testing.assert_allclose(w.detach().numpy(), tw.detach().numpy(), rtol=1e-12, atol=1e-12)


def test_complex_state_for_a_real_parameter_is_refused_and_changes_nothing(rng):
    w = ndgrad.tensor(_complex(rng, (2,)), requires_grad=True)
    optimizer = ndgrad.optim.Adam([w], lr=0.1)
    _steps(optimizer, w, np.zeros(2), 1)
    saved = optimizer.state_dict()
    real = ndgrad.tensor(np.ones(2, np.float32), requires_grad=True)
    other = ndgrad.optim.Adam([real], lr=0.1)
    real.grad = ndgrad.ones(2)
    other.step()
    before = other.state_dict()
    with pytest.raises(ValueError, match="'exp_avg' of parameter 0 is complex64, but the "
                                         "parameter is float32"):
        other.load_state_dict(saved)
    after = other.state_dict()
    for key in ("exp_avg", "exp_avg_sq"):
        np.testing.assert_array_equal(after["state"][0][key], before["state"][0][key])
    with pytest.raises(ValueError, match=r"has shape \(2, 2\), but the parameter has shape"):
        fresh = ndgrad.optim.Adam([ndgrad.tensor(_complex(rng, (2,)), requires_grad=True)])
        pairs = {0: dict(saved["state"][0], exp_avg=np.zeros((2, 2), np.float32))}
        fresh.load_state_dict(dict(saved, state=pairs))
