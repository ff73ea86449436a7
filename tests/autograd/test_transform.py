"""One call of a transformation: argnums, when the backward is recorded, the
call's own leaves."""

import pytest

import ndgrad
from ndgrad.autograd.transform import TransformCall, check_argnums

BAD_ARGNUMS = {
    "out of range": (3, ValueError, r"grad: argnums=3 names argument 3, but the function was "
                                    r"called with 1 positional argument\(s\)"),
    "negative out of range": (-2, ValueError, r"argnums=-2 names argument -2"),
    "a float": (0.5, TypeError, r"argnums must be an int or a non-empty tuple of ints, got 0.5"),
    "a bool": (True, TypeError, r"got True"),
    "empty": ((), TypeError, r"got \(\)"),
    "a string inside": ((0, "1"), TypeError, r"got \(0, '1'\)"),
}


@pytest.mark.parametrize("case", BAD_ARGNUMS)
def test_bad_argnums_are_refused_before_the_function_runs(case):
    argnums, error, message = BAD_ARGNUMS[case]
    calls = []
    with pytest.raises(error, match=message):
        ndgrad.grad(lambda x: calls.append(x) or x, argnums=argnums)(ndgrad.tensor(1.0))
    assert calls == []


def test_negative_argnums_count_from_the_end():
    assert check_argnums("grad", (-1, 0), 2) == ((1, 0), False)
    g = ndgrad.grad(lambda a, b: a * b, argnums=-1)(2.0, 5.0)
    assert g.item() == 2.0


def test_records_only_when_something_outside_can_differentiate():
    x = ndgrad.tensor(2.0, requires_grad=True)
    call = TransformCall("grad", (ndgrad.tensor(3.0),), 0)
    (y,) = call.sources
    with ndgrad.enable_grad():
        assert not call.records(y * y)              # only the call's own leaf
        assert call.records(x * y)                  # closes over x
        assert not call.records(ndgrad.ones(()))    # no graph at all
    call.close()
    assert not y.requires_grad and not y._rg


def test_records_nothing_when_called_under_no_grad():
    x = ndgrad.tensor(2.0, requires_grad=True)
    with ndgrad.no_grad():
        call = TransformCall("grad", (x,), 0)
    (y,) = call.sources
    assert y is not x                               # a constant copy, x stays untouched
    with ndgrad.enable_grad():
        assert not call.records(x * y)
    call.close()


def test_has_aux_needs_a_pair_and_vjp_a_primal():
    with pytest.raises(TypeError, match=r"with has_aux=True the function must return a pair"):
        ndgrad.grad(lambda x: x * 2, has_aux=True)(ndgrad.tensor(1.0))
    with pytest.raises(TypeError, match=r"vjp: give at least one primal"):
        ndgrad.vjp(lambda: ndgrad.ones(()))
    with pytest.raises(TypeError, match=r"jacobian: the function must return a tensor"):
        ndgrad.jacobian(lambda x: [x])(ndgrad.ones(2))
