"""``ndgrad.torch.fft``: PyTorch's names and arguments (``dim``, ``s``, ``norm``) over
ndgrad.fft, against real PyTorch: outputs, and gradients of a real loss (the
modulus of a complex result). The transforms' gradients for every n/s/norm are
tested in tests/ops/test_fft.py."""

import numpy as np
import pytest

import ndgrad.torch as torch

from .oracle import compare, floats

pytest.importorskip("torch")


@pytest.mark.parametrize("name, shape, kwargs", [
    ("fft", (3, 6), {"n": 4, "dim": 0, "norm": "ortho"}),
    ("ifft", (3, 5), {"n": 8, "dim": -1}),
    ("rfft", (3, 7), {"dim": 1, "norm": "forward"}),
    ("irfft", (3, 5), {"n": 7, "dim": 1}),
    ("hfft", (4, 3), {"dim": 0}),
    ("ihfft", (4, 3), {"n": 5, "dim": 0}),
    ("fft2", (2, 3, 4), {"s": (4, 3)}),
    ("ifft2", (2, 3, 4), {"dim": (0, 2), "norm": "ortho"}),
    ("rfft2", (2, 3, 4), {"dim": (2, 0)}),
    ("irfft2", (2, 3, 4), {"s": (3, 5)}),
    ("fftn", (2, 3, 4), {"dim": 1}),
    ("ifftn", (2, 3, 4), {"s": (5,), "dim": [0]}),
    ("rfftn", (2, 3, 4), {"s": (2, 3, 6)}),
    ("irfftn", (2, 3, 4), {"dim": (0, 1)}),
    ("fftshift", (3, 4), {"dim": 1}),
    ("ifftshift", (3, 5), {}),
])
def test_transform_matches_pytorch(name, shape, kwargs):
    def call(lib):
        def run(x):
            result = getattr(lib.fft, name)(x, **kwargs)
            return result.abs() if result.is_complex() else result
        return run
    # values in [-1, 3]: no bin near 0, where the modulus has no gradient
    compare(name, floats(*shape, low=-1.0, high=3.0), call=call, rtol=1e-5, atol=1e-5)


def test_frequencies_match_pytorch():
    import torch as real
    for n, d in ((4, 1.0), (5, 0.5)):
        for name in ("fftfreq", "rfftfreq"):
            ours, theirs = getattr(torch.fft, name)(n, d), getattr(real.fft, name)(n, d)
            assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "")
            np.testing.assert_allclose(ours.numpy(), theirs.numpy())


def test_the_face_has_torch_fft_and_gradients_flow():
    x = torch.tensor(floats(8), requires_grad=True)
    (torch.fft.rfft(x).abs() ** 2).sum().backward()
    assert x.grad is not None and x.grad.shape == (8,)
