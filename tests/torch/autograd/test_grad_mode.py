"""no_grad / enable_grad / set_grad_enabled / inference_mode in PyTorch's forms."""

import pytest

import ndgrad.torch as torch


def test_no_grad_as_context_and_decorator_with_and_without_parentheses():
    x = torch.ones(2, requires_grad=True)
    with torch.no_grad():
        assert not (x * 2).requires_grad

    @torch.no_grad()
    def called(v):
        return v * 2

    @torch.no_grad
    def bare(v):
        return v * 2

    assert not called(x).requires_grad and not bare(x).requires_grad
    assert (x * 2).requires_grad and torch.is_grad_enabled()


def test_enable_grad_inside_no_grad():
    x = torch.ones(1, requires_grad=True)
    with torch.no_grad():
        with torch.enable_grad():
            assert (x * 2).requires_grad

        @torch.enable_grad
        def inner():
            return x * 3
        assert inner().requires_grad


def test_set_grad_enabled_call_and_context():
    with torch.set_grad_enabled(False):
        assert not torch.is_grad_enabled()
    assert torch.is_grad_enabled()
    torch.set_grad_enabled(False)
    assert not torch.is_grad_enabled()
    torch.set_grad_enabled(True)
    training = False
    with torch.set_grad_enabled(training):
        assert not torch.is_grad_enabled()


def test_inference_mode():
    x = torch.ones(1, requires_grad=True)
    with torch.inference_mode():
        assert not (x * 2).requires_grad and torch.is_inference_mode_enabled()
    assert not torch.is_inference_mode_enabled()
    with torch.inference_mode(False):
        assert (x * 2).requires_grad

    @torch.inference_mode()
    def evaluate():
        return x * 2

    @torch.inference_mode
    def bare():
        return x * 2
    assert not evaluate().requires_grad and not bare().requires_grad


def test_no_grad_restores_after_an_error():
    with pytest.raises(ValueError):
        with torch.no_grad():
            raise ValueError
    assert torch.is_grad_enabled()
