"""F.pad and the PyTorch padding modules (ZeroPad*d, ConstantPad*d, ReflectionPad*d,
ReplicationPad*d, CircularPad*d), checked against PyTorch."""

import numpy as np
import pytest

import ndgrad
from ndgrad import nn
from ndgrad.nn.functional import pad

torch = pytest.importorskip("torch")
F = torch.nn.functional

CASES = [
    ((2, 3, 5), (2, 3), "constant"), ((2, 3, 5), (0, 4), "reflect"),
    ((3, 5), (2, 1), "reflect"), ((2, 3, 5), (4, 4), "replicate"),
    ((2, 3, 5), (5, 2), "circular"), ((2, 3, 4, 5), (1, 2, 3, 0), "constant"),
    ((2, 3, 4, 5), (4, 0, 3, 3), "reflect"), ((3, 4, 5), (1, 1, 2, 2), "replicate"),
    ((2, 3, 4, 5), (0, 5, 4, 1), "circular"), ((1, 2, 3, 4, 5), (1, 2, 2, 1, 0, 2), "reflect"),
    ((1, 2, 3, 4, 5), (1, 1, 1, 1, 1, 1), "replicate"), ((2, 3, 4, 5), (-1, 2, 1, -2), "constant"),
    ((2, 3), (1, 1, 2, 2), "constant"), ((4,), (3, 0), "constant"),
]


@pytest.mark.parametrize("shape, widths, mode", CASES, ids=lambda v: str(v))
def test_pad_matches_pytorch_forward_and_backward(shape, widths, mode, rng):
    x = rng.standard_normal(shape).astype(np.float32)
    ours_x, theirs_x = ndgrad.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    value = {"constant": 0.25}.get(mode)
    ours = pad(ours_x, widths, mode, value)
    theirs = F.pad(theirs_x, widths, mode, value)
    np.testing.assert_array_equal(ours.numpy(), theirs.detach().numpy())
    cotangent = rng.standard_normal(ours.shape).astype(np.float32)
    ours.backward(ndgrad.tensor(cotangent))
    theirs.backward(torch.tensor(cotangent))
    np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), rtol=1e-6, atol=1e-6)


def test_gradients_match_finite_differences_to_second_order(rng):
    x = ndgrad.tensor(rng.standard_normal((2, 3, 4, 5)))
    for widths, mode in [((2, 1, 3, 0), "reflect"), ((1, 3, 2, 2), "replicate"),
                         ((4, 1, 0, 3), "circular"), ((1, -2, -1, 3), "constant")]:
        assert ndgrad.gradcheck(lambda t: pad(t, widths, mode), [x], second_order=True)


MODULES = [
    ("ZeroPad1d", (2, 1), (2, 3, 4)), ("ZeroPad2d", 2, (2, 3, 4, 4)),
    ("ZeroPad3d", (1, 0, 2, 1, 0, 3), (1, 2, 3, 3, 3)),
    ("ConstantPad1d", 3, (3, 4)), ("ConstantPad2d", (1, 2, 3, 4), (2, 3, 4, 4)),
    ("ConstantPad3d", 1, (2, 3, 3, 3)),
    ("ReflectionPad1d", (3, 1), (2, 3, 4)), ("ReflectionPad2d", 1, (3, 4, 4)),
    ("ReflectionPad3d", (1, 0, 1, 2, 0, 1), (1, 2, 3, 3, 3)),
    ("ReplicationPad1d", 4, (2, 3, 2)), ("ReplicationPad2d", (0, 1, 2, 3), (2, 3, 4, 4)),
    ("ReplicationPad3d", 2, (1, 2, 2, 2, 2)),
    ("CircularPad1d", (2, 3), (2, 3, 4)), ("CircularPad2d", 1, (2, 3, 4, 4)),
    ("CircularPad3d", (0, 1, 1, 0, 2, 2), (1, 2, 3, 3, 3)),
]


@pytest.mark.parametrize("name, padding, shape", MODULES, ids=lambda v: str(v))
def test_modules_match_pytorch(name, padding, shape, rng):
    extra = (1.5,) if name.startswith("Constant") else ()
    ours, theirs = getattr(nn, name)(padding, *extra), getattr(torch.nn, name)(padding, *extra)
    x = rng.standard_normal(shape).astype(np.float32)
    np.testing.assert_array_equal(ours(x).numpy(), theirs(torch.tensor(x)).numpy())
    assert ours.padding == tuple(theirs.padding)
    assert repr(ours) == repr(theirs)


def test_bad_arguments_raise_clear_errors():
    x = ndgrad.ones((1, 2, 3, 4))
    with pytest.raises(ndgrad.ShapeError, match=r"pad: mode 'reflect' needs widths smaller "
                                                r"than the dimension's size, but dimension 3 "
                                                r"has size 4 and pad \(4, 0\)"):
        pad(x, (4, 0, 0, 0), mode="reflect")
    with pytest.raises(ndgrad.ShapeError, match="pad: mode 'circular' needs widths at most"):
        pad(x, (0, 0, 4, 0), mode="circular")
    with pytest.raises(ValueError, match="pad: pad .* must have an even length"):
        pad(x, (1, 2, 3))
    with pytest.raises(ValueError, match=r"pad: pad .* pads 5 dimensions but the input has 4"):
        pad(x, (1,) * 10)
    with pytest.raises(ValueError, match="pad: mode 'replicate' takes no value"):
        pad(x, (1, 1, 1, 1), mode="replicate", value=2.0)
    with pytest.raises(ValueError, match="pad: mode 'reflect' takes no negative widths"):
        pad(x, (-1, 1, 0, 0), mode="reflect")
    with pytest.raises(ValueError, match="pad: mode must be 'constant', 'reflect'"):
        pad(x, (1, 1), mode="symmetric")
    with pytest.raises(ndgrad.ShapeError, match=r"pad: the negative widths in pad \(-3, -2\)"):
        pad(x, (-3, -2))
    with pytest.raises(ndgrad.ShapeError, match="pad: mode 'reflect' pads the last 1, 2 or 3"):
        pad(ndgrad.ones((1, 2, 3, 4, 5)), (1, 1), mode="reflect")
    with pytest.raises(ValueError, match=r"ZeroPad2d: padding must be an int or 4 ints"):
        nn.ZeroPad2d((1, 2))


def test_module_errors_name_the_module():
    with pytest.raises(ndgrad.ShapeError, match=r"ReflectionPad2d: mode 'reflect' needs widths "
                                                r"smaller than the dimension's size"):
        nn.ReflectionPad2d(3)(ndgrad.ones((1, 2, 3, 4)))
    with pytest.raises(ndgrad.ShapeError, match=r"CircularPad1d: mode 'circular' pads the last"):
        nn.CircularPad1d(1)(ndgrad.ones((1, 2, 3, 4)))
