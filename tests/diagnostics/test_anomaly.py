"""detect_anomaly: the first NaN or Inf in forward or backward raises, naming the
op, the line that created it and the statistics of its inputs."""

import threading

import numpy as np
import pytest

import ndgrad
from ndgrad.autograd.mode import state


@pytest.fixture(autouse=True)
def quiet_numpy():
    with np.errstate(all="ignore"):
        yield


def test_forward_nan_names_the_op_the_line_and_the_inputs():
    w = ndgrad.Variable([-1.0, 4.0], name="w")
    with ndgrad.detect_anomaly():
        with pytest.raises(ndgrad.AnomalyError) as caught:
            ndgrad.sqrt(w)   # the line the error names
    message = str(caught.value)
    assert message.startswith("detect_anomaly: 'sqrt' produced nan in forward")
    assert "test_anomaly.py" in message and "input 0: shape (2,) float32: min -1, max 4" in message


def test_backward_inf_names_the_rule_and_the_forward_line():
    w = ndgrad.Variable([0.0, 1.0])
    with ndgrad.detect_anomaly():
        y = ndgrad.sqrt(w).sum()           # finite forward
        with pytest.raises(ndgrad.AnomalyError) as caught:
            y.backward()
    message = str(caught.value)
    assert "the gradient rule of 'sqrt' produced inf in backward" in message
    line = y._node.where if y._node.where else None
    assert "test_anomaly.py" in message and line is not None
    assert "incoming gradient: shape (2,) float32" in message


def test_nan_from_the_data_is_called_out():
    data = ndgrad.tensor([np.nan, 1.0])
    with ndgrad.detect_anomaly(), pytest.raises(ndgrad.AnomalyError, match="came from outside"):
        data * 2


def test_finite_work_is_unchanged_and_checks_are_off_outside():
    w = ndgrad.Variable([1.0, 2.0])
    with ndgrad.detect_anomaly():
        (w * w).sum().backward()
    assert w.grad.tolist() == [2.0, 4.0]
    assert not state.anomaly and not state.checking
    assert np.isnan(ndgrad.sqrt(ndgrad.tensor([-1.0])).item())   # no error outside


def test_decorator_and_check_nan_false():
    @ndgrad.detect_anomaly()
    def bad():
        return ndgrad.log(ndgrad.tensor([0.0]))

    with pytest.raises(ndgrad.AnomalyError, match="'log' produced -inf"):
        bad()
    with ndgrad.detect_anomaly(check_nan=False):
        assert ndgrad.log(ndgrad.tensor([0.0])).item() == -np.inf


def test_the_mode_is_thread_local():
    seen = []
    with ndgrad.detect_anomaly():
        thread = threading.Thread(target=lambda: seen.append(state.anomaly))
        thread.start()
        thread.join()
    assert seen == [False]


def test_a_layer_that_diverges_is_caught_in_training():
    model = ndgrad.nn.Sequential(ndgrad.nn.Linear(2, 2), ndgrad.nn.Linear(2, 1))
    with ndgrad.no_grad():
        model[0].weight.data[...] = 1e38
    x = ndgrad.ones((4, 2))
    with ndgrad.detect_anomaly(), pytest.raises(ndgrad.AnomalyError, match="in forward"):
        model(x).sum().backward()


def test_numpy_warnings_are_replaced_by_the_error_and_restored_after():
    import warnings
    w = ndgrad.Variable([0.0, 1.0])
    with np.errstate(all="warn"), warnings.catch_warnings():    # undo quiet_numpy here
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(ndgrad.AnomalyError, match="'sqrt' produced inf in backward"):
            with ndgrad.detect_anomaly():
                ndgrad.sqrt(w).sum().backward()
        assert np.geterr()["divide"] == "warn"
        with pytest.raises(RuntimeWarning, match="divide by zero"):
            np.float64(1.0) / np.zeros(1)
