"""Shared fixtures: a fixed seed per test and a clean record of gradient breaks."""

import numpy as np
import pytest

import ndgrad

try:
    import torch
    # The oracle runs tiny ops: its thread pool only adds latency on 2 cores.
    torch.set_num_threads(1)
except ImportError:
    torch = None


@pytest.fixture(autouse=True)
def _fresh_state():
    ndgrad.random.seed(0)
    ndgrad.autograd.breaks.clear_gradient_breaks()
    yield
    assert ndgrad.is_grad_enabled(), "a test left recording switched off"
    assert not ndgrad.autograd.mode.state.tapes, "a test left a GradientTape recording"


@pytest.fixture(autouse=True)
def _torch_default_dtype():
    """Each test starts from PyTorch's float32 default, whatever the last one set."""
    if torch is not None:
        torch.set_default_dtype(torch.float32)
    yield
    if torch is not None:
        torch.set_default_dtype(torch.float32)


@pytest.fixture
def rng():
    return np.random.default_rng(0)
