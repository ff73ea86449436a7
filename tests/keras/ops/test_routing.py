"""Every keras.ops function goes through the one routing helper."""

import pytest

import ndgrad
from ndgrad.keras import activations, ops, random
from ndgrad.keras.ops import _routing

PLAIN = {"is_tensor", "ndim", "size", "symbolic_or_eager"}    # answers about Python objects


def test_every_op_is_routed():
    for name in ops.__all__:
        if name in PLAIN:
            continue
        op = getattr(ops, name)
        assert op.__code__ is _routing.keras_op(abs).__code__, f"ops.{name} bypasses routing"


def test_routing_helper_sees_the_eager_function_and_arguments(monkeypatch):
    calls = []

    def recording(fn, *args, **kwargs):
        calls.append((fn.__name__, args, kwargs))
        return fn(*args, **kwargs)

    monkeypatch.setattr(_routing, "symbolic_or_eager", recording)
    x = ndgrad.ones((2, 3))
    assert ops.sum(x, axis=1).tolist() == [3.0, 3.0]
    assert ops.softmax(x).shape == (2, 3)
    activations.relu(x)
    random.normal((2,), seed=1)
    assert [call[0] for call in calls] == ["sum", "softmax", "relu", "convert_to_tensor", "relu",
                                          "normal"]
    assert calls[0][2] == {"axis": 1}


def test_fallback_is_a_pass_through():
    assert _routing.symbolic_or_eager(max, 3, 4) == 4


def test_unsupported_ops_say_so():
    with pytest.raises(AttributeError, match="keras.ops.fft is not supported by ndgrad"):
        ops.fft
    with pytest.raises(AttributeError, match="keras.ops.ctc_loss is not supported"):
        ops.ctc_loss
    with pytest.raises(AttributeError, match="has no attribute 'not_an_op'"):
        ops.not_an_op
