"""Issue 12, item 6, as issue 13 left it: an op whose rule does not know complex
numbers yet refuses a complex result, or a complex input, when an operand requires
grad, instead of returning a tensor with no history (which dropped the gradient
silently: ``(w*w).sum() + np.abs(w*1j).sum()`` gave [2, 4] where PyTorch gives
[3, 5]). The ops that learned complex gradients (issue 13, item 1:
``ndgrad.ops.complex_numbers.COMPLEX_OPS``, checked in
tests/ops/test_complex_numbers.py) left this table (svd, svdvals, the nuclear
norm, eigh, eigvalsh and pinv among them); the issue example now gets
PyTorch's gradient.

Each case asserts the error names the op, the dtype and what to do, and that
nothing changed: the operand's values, its gradient, the tensor written into.
Complex results of tensors that need no gradient keep working.
"""

import numpy as np
import pytest

import ndgrad
import ndgrad.torch as ndtorch
from ndgrad import keras
from ndgrad.errors import DTypeError

torch = pytest.importorskip("torch")


def _complex_constant():
    return ndgrad.tensor([1.0, 2.0]) * 1j       # complex, needs no gradient


def _square_complex(a):
    return np.outer(a, a) * 1j + np.eye(2)


# (case id, op name in the message, call on w: a float32 tensor that requires grad,
#  the same call on a NumPy array where the call itself does not run on one)
CASES = [
    ("np.maximum", "maximum", lambda w: np.maximum(w, _complex_constant()),
     lambda a: np.maximum(a, np.array([1j, 2j]))),
    ("np.minimum", "minimum", lambda w: np.minimum(w + 1j, _complex_constant()),
     lambda a: np.minimum(a + 1j, np.array([1j, 2j]))),
    ("np.sinc(w * 1j)", "sinc", lambda w: np.sinc(w * 1j)),
    ("np.linalg.qr", "qr", lambda w: np.linalg.qr(_square_complex(w))[1]),
    ("np.linalg.lstsq", "lstsq",
     lambda w: np.linalg.lstsq(_square_complex(w), np.array([1.0, 2.0]))[0]),
    ("keras.ops.maximum", "maximum", lambda w: keras.ops.maximum(w * 1j, _complex_constant()),
     lambda a: np.maximum(a * 1j, np.array([1j, 2j]))),
    ("torch.maximum", "maximum", lambda w: ndtorch.maximum(w * 1j, _complex_constant()),
     lambda a: np.maximum(a * 1j, np.array([1j, 2j]))),
]
CASES = [case if len(case) == 4 else case + (case[2],) for case in CASES]
IDS = [case[0] for case in CASES]


def _check_message(message, op_name):
    assert message.startswith(f"{op_name}: the result is "), message
    assert "complex" in message and "requires grad" in message
    assert "cannot differentiate complex numbers yet" in message and "issue 13" in message
    assert "real and imaginary parts" in message and "detach()" in message
    assert "test_complex_refusal.py" in message          # the user's line


@pytest.mark.parametrize("case_id, op_name, call, reference", CASES, ids=IDS)
def test_complex_result_of_a_tensor_that_requires_grad_is_refused(case_id, op_name, call,
                                                                  reference):
    w = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(DTypeError) as caught:
        call(w)
    assert isinstance(caught.value, TypeError)
    _check_message(str(caught.value), op_name)
    assert w.tolist() == [1.0, 2.0] and w.grad is None


@pytest.mark.parametrize("case_id, op_name, call, reference", CASES, ids=IDS)
def test_complex_result_of_a_constant_still_works(case_id, op_name, call, reference):
    w = ndgrad.tensor([1.0, 2.0])
    expected = reference(w.numpy())
    result = call(w)
    assert not result.requires_grad
    np.testing.assert_allclose(np.asarray(result.numpy()), expected, rtol=1e-6)


@pytest.mark.parametrize("case_id, op_name, call, reference", CASES, ids=IDS)
def test_complex_result_under_no_grad_still_works(case_id, op_name, call, reference):
    w = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    with ndgrad.no_grad():
        result = call(w)
    assert not result.requires_grad


def test_the_issue_example_now_gets_pytorchs_gradient():
    w = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    ((w * w).sum() + np.abs(w * 1j).sum()).backward()
    assert w.grad.dtype == np.float32 and w.grad.tolist() == [3.0, 5.0]


def test_the_advised_real_form_matches_pytorch_on_the_complex_form():
    w = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    ((w * w).sum() + np.abs(w).sum()).backward()           # |w * 1j| = |w|
    t = torch.tensor([1.0, 2.0], requires_grad=True)
    ((t * t).sum() + torch.abs(t * 1j).sum()).backward()
    np.testing.assert_allclose(w.grad.numpy(), t.grad.numpy())
    assert w.grad.tolist() == [3.0, 5.0]


def test_a_trainable_variable_and_a_watched_tensor_refuse_too():
    v = ndgrad.Variable([1.0, 2.0])
    with pytest.raises(DTypeError, match="sinc: the result is complex64"):
        np.sinc(v * 1j)
    x = ndgrad.tensor([1.0, 2.0])
    with ndgrad.GradientTape() as tape:
        tape.watch(x)
        with pytest.raises(DTypeError, match="minimum: the result is complex64"):
            np.minimum(x + 1j, x * 1j)
    assert v.tolist() == [1.0, 2.0] and x.tolist() == [1.0, 2.0]


def test_in_place_complex_update_refuses_and_leaves_the_tensor_unchanged():
    w = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    h = w * 2
    version = h._version
    with pytest.raises(DTypeError, match=r"in-place \*=: the result is complex64.*imaginary"):
        h *= 1j
    assert h.tolist() == [2.0, 4.0] and h._version == version
    h.sum().backward()
    assert w.grad.tolist() == [2.0, 2.0]


def test_detach_is_the_way_to_cut_on_purpose():
    w = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    z = w.detach() * 1j
    assert z.dtype == np.complex64 and not z.requires_grad
    np.testing.assert_allclose(z.numpy(), [1j, 2j])
