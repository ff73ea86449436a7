"""Fixtures for the tests that compare the compiled (numba) kernels with the
NumPy path: kernels forced on for a test, and a way to run a body on NumPy."""

import pytest

from ndgrad.ops import _accelerated


@pytest.fixture
def compiled_kernels_on():
    """The compiled side runs the kernels even under NDGRAD_NUMBA=0."""
    previous = _accelerated.set_enabled(True)
    yield
    _accelerated.set_enabled(previous)


@pytest.fixture
def numpy_path():
    """Run the body with the compiled kernels off, whatever the setting was."""
    def run(function):
        previous = _accelerated.set_enabled(False)
        try:
            return function()
        finally:
            _accelerated.set_enabled(previous)
    return run
