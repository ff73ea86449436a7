"""Each test starts layer naming afresh, so names such as ``dense_1`` are predictable."""

import pytest

import ndgrad


@pytest.fixture(autouse=True)
def _fresh_names():
    ndgrad.nn.reset_names()
    yield
