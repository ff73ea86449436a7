"""Issue 12, item 6: an op whose result is complex while an operand requires grad
refuses (ndgrad cannot differentiate complex numbers yet, issue 13) instead of
returning a complex tensor with no history, which dropped the gradient silently:
``(w*w).sum() + np.abs(w*1j).sum()`` gave [2, 4] where PyTorch gives [3, 5].

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


# (case id, op name in the message, call on w: a float32 tensor that requires grad,
#  the same call on a NumPy array where the call itself does not run on one)
CASES = [
    ("w * 1j", "multiply", lambda w: w * 1j),
    ("1j * w", "multiply", lambda w: 1j * w),
    ("w + 1j", "add", lambda w: w + 1j),
    ("1j - w", "subtract", lambda w: 1j - w),
    ("w / 1j", "divide", lambda w: w / 1j),
    ("1j / w", "divide", lambda w: 1j / w),
    ("w ** 1j", "power", lambda w: w ** 1j),
    ("np.multiply(w, 1j)", "multiply", lambda w: np.multiply(w, 1j)),
    ("np.add(w, complex array)", "add", lambda w: np.add(w, np.array([1j, 2j]))),
    ("np.exp(w * 1j)", "multiply", lambda w: np.exp(w * 1j)),
    ("w * complex tensor", "multiply", lambda w: w * _complex_constant(),
     lambda a: a * np.array([1j, 2j])),
    ("w.astype(complex64)", "astype", lambda w: w.astype(np.complex64)),
    ("w.astype('complex128')", "astype", lambda w: w.astype("complex128")),
    ("w.type(complex64)", "astype", lambda w: w.type(np.complex64),
     lambda a: a.astype(np.complex64)),
    ("np.concatenate", "concatenate", lambda w: np.concatenate([w, _complex_constant()]),
     lambda a: np.concatenate([a, np.array([1j, 2j])])),
    ("np.stack", "concatenate", lambda w: np.stack([w, _complex_constant()]),
     lambda a: np.stack([a, np.array([1j, 2j])])),
    ("w @ complex", "matmul", lambda w: w @ _complex_constant(), lambda a: a @ np.array([1j, 2j])),
    ("np.einsum", "einsum", lambda w: np.einsum("i,i->", w, np.array([1j, 2j]))),
    ("np.dot", "tensordot", lambda w: np.dot(w, np.array([1j, 2j]))),
    ("np.where", "where", lambda w: np.where(w > 1, w, 1j)),
    ("np.maximum", "maximum", lambda w: np.maximum(w, _complex_constant()),
     lambda a: np.maximum(a, np.array([1j, 2j]))),
    ("np.sum(dtype=complex64)", "sum", lambda w: np.sum(w, dtype=np.complex64)),
    ("np.mean(dtype=complex128)", "mean", lambda w: np.mean(w, dtype=np.complex128)),
    ("keras.ops.multiply", "multiply", lambda w: keras.ops.multiply(w, 1j), lambda a: a * 1j),
    ("torch.mul", "multiply", lambda w: ndtorch.mul(w, 1j), lambda a: a * 1j),
]
CASES = [case if len(case) == 4 else case + (case[2],) for case in CASES]
IDS = [case[0] for case in CASES]


def _check_message(message, op_name):
    assert message.startswith(f"{op_name}: the result is complex"), message
    assert "requires grad" in message
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
    assert result.dtype.kind == "c" and not result.requires_grad
    np.testing.assert_allclose(np.asarray(result.numpy()), expected, rtol=1e-6)


@pytest.mark.parametrize("case_id, op_name, call, reference", CASES, ids=IDS)
def test_complex_result_under_no_grad_still_works(case_id, op_name, call, reference):
    w = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    with ndgrad.no_grad():
        result = call(w)
    assert result.dtype.kind == "c" and not result.requires_grad


def test_the_issue_example_refuses_instead_of_losing_a_term():
    w = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(DTypeError, match="multiply: the result is complex64"):
        (w * w).sum() + np.abs(w * 1j).sum()
    assert w.grad is None


def test_the_advised_real_form_matches_pytorch_on_the_complex_form():
    w = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    ((w * w).sum() + np.abs(w).sum()).backward()           # |w * 1j| = |w|
    t = torch.tensor([1.0, 2.0], requires_grad=True)
    ((t * t).sum() + torch.abs(t * 1j).sum()).backward()
    np.testing.assert_allclose(w.grad.numpy(), t.grad.numpy())
    assert w.grad.tolist() == [3.0, 5.0]


def test_a_trainable_variable_and_a_watched_tensor_refuse_too():
    v = ndgrad.Variable([1.0, 2.0])
    with pytest.raises(DTypeError, match="multiply: the result is complex64"):
        v * 1j
    x = ndgrad.tensor([1.0, 2.0])
    with ndgrad.GradientTape() as tape:
        tape.watch(x)
        with pytest.raises(DTypeError, match="add: the result is complex64"):
            x + 1j
    assert v.tolist() == [1.0, 2.0] and x.tolist() == [1.0, 2.0]


def test_in_place_complex_update_refuses_and_leaves_the_tensor_unchanged():
    w = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    h = w * 2
    version = h._version
    with pytest.raises(DTypeError, match="multiply: the result is complex64"):
        h *= 1j
    assert h.tolist() == [2.0, 4.0] and h._version == version
    h.sum().backward()
    assert w.grad.tolist() == [2.0, 2.0]


def test_detach_is_the_way_to_cut_on_purpose():
    w = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    z = w.detach() * 1j
    assert z.dtype == np.complex64 and not z.requires_grad
    np.testing.assert_allclose(z.numpy(), [1j, 2j])
