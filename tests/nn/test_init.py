"""nn.init: PyTorch's in-place initializers, their statistics, fans and seeding."""

import math

import numpy as np
import pytest

import ndgrad
from ndgrad.nn import init

torch = pytest.importorskip("torch")

PYTORCH_LAYOUTS = [(30, 20), (16, 8, 5), (32, 16, 3, 3), (4, 2, 3, 3, 3)]


def parameter(shape, dtype=np.float32):
    return ndgrad.nn.Parameter(np.empty(shape, dtype=dtype))


@pytest.mark.parametrize("shape", PYTORCH_LAYOUTS)
def test_fans_match_torch_for_pytorch_layouts(shape):
    expected = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
    assert init._calculate_fan_in_and_fan_out(parameter(shape)) == expected
    assert init._calculate_fan_in_and_fan_out(shape) == expected


def test_fans_need_two_dimensions():
    with pytest.raises(ValueError, match=r"shape \(5,\), with fewer than 2 dimensions"):
        init._calculate_fan_in_and_fan_out(parameter(5))


@pytest.mark.parametrize("nonlinearity,param", [
    ("linear", None), ("conv2d", None), ("conv_transpose3d", None), ("sigmoid", None),
    ("tanh", None), ("relu", None), ("leaky_relu", None), ("leaky_relu", 0.2),
    ("leaky_relu", 1), ("selu", None)])
def test_calculate_gain_matches_torch(nonlinearity, param):
    assert init.calculate_gain(nonlinearity, param) == pytest.approx(
        torch.nn.init.calculate_gain(nonlinearity, param))


def test_calculate_gain_refuses_unknown_names_and_slopes():
    with pytest.raises(ValueError, match="unsupported nonlinearity 'swish'; use one of"):
        init.calculate_gain("swish")
    with pytest.raises(ValueError, match="negative_slope True is not a number"):
        init.calculate_gain("leaky_relu", True)


def test_fills_write_in_place_bump_the_version_and_record_nothing():
    w = parameter((3, 4))
    array, version = w._data, w._version
    assert init.normal_(w) is w
    assert w._data is array and w._version == version + 1
    assert w.is_leaf and w.trainable and w.grad is None


def test_uniform_statistics():
    w = init.uniform_(parameter(200_000), -2.0, 4.0)
    values = w.numpy()
    assert values.dtype == np.float32
    assert values.min() >= -2.0 and values.max() <= 4.0
    assert values.mean() == pytest.approx(1.0, abs=0.02)
    assert values.std() == pytest.approx(6 / math.sqrt(12), rel=0.01)


def test_normal_statistics_and_float64():
    values = init.normal_(parameter(200_000, np.float64), mean=1.5, std=0.5).numpy()
    assert values.dtype == np.float64
    assert values.mean() == pytest.approx(1.5, abs=0.005)
    assert values.std() == pytest.approx(0.5, rel=0.01)


def truncated_moments(mean, std, low, high):
    """Mean and std of normal(mean, std) truncated to [low, high] (closed form)."""
    a, b = (low - mean) / std, (high - mean) / std
    pdf = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)       # noqa: E731
    cdf = lambda x: 0.5 * (1 + math.erf(x / math.sqrt(2)))              # noqa: E731
    z = cdf(b) - cdf(a)
    shift = (pdf(a) - pdf(b)) / z
    variance = 1 + (a * pdf(a) - b * pdf(b)) / z - shift ** 2
    return mean + std * shift, std * math.sqrt(variance)


@pytest.mark.parametrize("mean,std,low,high", [
    (0.0, 1.0, -2.0, 2.0),          # PyTorch's default
    (0.0, 0.02, -2.0, 2.0),         # ViT's use: bounds far beyond the spread
    (0.0, 1.0, 3.0, 4.0),           # deep in the right tail
    (1.0, 1.0, -6.0, -4.0),         # deep in the left tail
    (0.0, 1.0, -0.05, 0.05),        # narrow around the mean
])
def test_trunc_normal_statistics(mean, std, low, high):
    values = init.trunc_normal_(parameter(100_000, np.float64), mean, std, low, high).numpy()
    expected_mean, expected_std = truncated_moments(mean, std, low, high)
    assert values.min() >= low and values.max() <= high
    assert values.mean() == pytest.approx(expected_mean, abs=0.02 * expected_std)
    assert values.std() == pytest.approx(expected_std, rel=0.02)


def test_trunc_normal_refuses_an_empty_interval():
    with pytest.raises(ValueError, match="a < b"):
        init.trunc_normal_(parameter(3), a=1.0, b=-1.0)


@pytest.mark.parametrize("shape", [(400, 300), (64, 32, 3, 3)])
def test_xavier_bounds_and_spread_follow_the_formula(shape):
    fan_in, fan_out = init._calculate_fan_in_and_fan_out(shape)
    std = 1.5 * math.sqrt(2.0 / (fan_in + fan_out))
    values = init.xavier_uniform_(parameter(shape), gain=1.5).numpy()
    assert np.abs(values).max() <= math.sqrt(3) * std
    assert values.std() == pytest.approx(std, rel=0.02)
    values = init.xavier_normal_(parameter(shape), gain=1.5).numpy()
    assert values.std() == pytest.approx(std, rel=0.02)
    assert abs(values.mean()) < 0.02 * std * 10


@pytest.mark.parametrize("mode", ["fan_in", "fan_out"])
@pytest.mark.parametrize("shape", [(400, 300), (64, 32, 3, 3)])
def test_kaiming_bounds_and_spread_follow_the_formula(mode, shape):
    fan_in, fan_out = init._calculate_fan_in_and_fan_out(shape)
    fan = fan_in if mode == "fan_in" else fan_out
    std = math.sqrt(2.0 / (1 + 0.1 ** 2)) / math.sqrt(fan)
    values = init.kaiming_uniform_(parameter(shape), a=0.1, mode=mode).numpy()
    assert np.abs(values).max() <= math.sqrt(3) * std
    assert values.std() == pytest.approx(std, rel=0.02)
    values = init.kaiming_normal_(parameter(shape), mode=mode, nonlinearity="relu").numpy()
    assert values.std() == pytest.approx(math.sqrt(2.0 / fan), rel=0.02)


def test_kaiming_on_an_empty_tensor_warns_and_changes_nothing():
    w = parameter((0, 3))
    with pytest.warns(UserWarning, match="zero-element tensor is a no-op"):
        assert init.kaiming_uniform_(w) is w


def test_kaiming_refuses_an_unknown_mode():
    with pytest.raises(ValueError, match="mode 'fan_avg' is not supported"):
        init.kaiming_normal_(parameter((3, 3)), mode="fan_avg")


@pytest.mark.parametrize("shape", [(3, 7), (7, 3), (6, 2, 3, 3), (5, 5)])
def test_orthogonal_gives_orthonormal_rows_or_columns(shape):
    flat = init.orthogonal_(parameter(shape, np.float64), gain=2.0).numpy().reshape(shape[0], -1)
    rows, cols = flat.shape
    gram = flat @ flat.T if rows <= cols else flat.T @ flat
    np.testing.assert_allclose(gram, 4.0 * np.eye(min(rows, cols)), atol=1e-10)


def test_constant_ones_zeros_and_eye():
    assert init.constant_(parameter(3), 2.5).tolist() == [2.5] * 3
    assert init.ones_(parameter(2)).tolist() == [1.0, 1.0]
    assert init.zeros_(ndgrad.tensor([1, 2])).tolist() == [0, 0]       # integers allowed here
    assert init.eye_(parameter((3, 2))).tolist() == [[1, 0], [0, 1], [0, 0]]
    with pytest.raises(ValueError, match=r"only 2-D tensors.*\(2, 2, 2\)"):
        init.eye_(parameter((2, 2, 2)))


def test_seeding_reproduces_and_a_generator_can_be_passed():
    ndgrad.random.seed(7)
    first = init.kaiming_uniform_(parameter((5, 4))).numpy().copy()
    ndgrad.random.seed(7)
    assert np.array_equal(init.kaiming_uniform_(parameter((5, 4))).numpy(), first)
    a = init.normal_(parameter(4), generator=np.random.default_rng(3)).numpy()
    b = init.normal_(parameter(4), generator=np.random.default_rng(3)).numpy()
    assert np.array_equal(a, b)


def test_bad_targets_are_refused_before_anything_changes():
    with pytest.raises(TypeError, match="expected an ndgrad Tensor.*got ndarray"):
        init.normal_(np.zeros(3))
    integers = ndgrad.tensor([1, 2, 3])
    with pytest.raises(TypeError, match="need a floating tensor; got dtype int64"):
        init.uniform_(integers)
    assert integers.tolist() == [1, 2, 3]
    with pytest.raises(ValueError, match="2 or more dimensions"):
        init.orthogonal_(parameter(3))
