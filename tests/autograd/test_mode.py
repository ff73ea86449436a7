"""no_grad, enable_grad, set_grad_enabled: context managers, decorators, threads."""

import threading

import ndgrad


def test_no_grad_turns_recording_off_and_back_on():
    w = ndgrad.Variable(1.0)
    with ndgrad.no_grad():
        assert not ndgrad.is_grad_enabled()
        assert not (w * 2).requires_grad
    assert (w * 2).requires_grad


def test_enable_grad_inside_no_grad():
    w = ndgrad.Variable(1.0)
    with ndgrad.no_grad():
        with ndgrad.enable_grad():
            assert (w * 2).requires_grad
        assert not (w * 2).requires_grad


def test_decorators():
    w = ndgrad.Variable(1.0)

    @ndgrad.no_grad()
    def evaluate():
        return w * 2

    @ndgrad.set_grad_enabled(False)
    def evaluate_too():
        return w * 2

    assert not evaluate().requires_grad
    assert not evaluate_too().requires_grad
    assert ndgrad.is_grad_enabled()


def test_set_grad_enabled_as_a_call_and_a_context():
    ndgrad.set_grad_enabled(False)
    assert not ndgrad.is_grad_enabled()
    ndgrad.set_grad_enabled(True)
    with ndgrad.set_grad_enabled(False):
        assert not ndgrad.is_grad_enabled()
    assert ndgrad.is_grad_enabled()


def test_mode_is_thread_local():
    seen = []
    with ndgrad.no_grad():
        thread = threading.Thread(target=lambda: seen.append(ndgrad.is_grad_enabled()))
        thread.start()
        thread.join()
    assert seen == [True]


def test_mode_is_restored_after_an_exception():
    try:
        with ndgrad.no_grad():
            raise KeyError
    except KeyError:
        pass
    assert ndgrad.is_grad_enabled()
