"""PyTorch's in-place methods: values and gradients as PyTorch's on results in the
graph, refused on a leaf that requires grad, allowed under no_grad and through
``.data``, and caught at backward when they overwrite what the graph saved."""

import numpy as np
import pytest

import ndgrad

from .tensor_oracle import Case, indices, normal, positive, run, torch

X3 = lambda rng: [normal(rng, 3)]                       # noqa: E731
XY = lambda rng: [normal(rng, 2, 3), normal(rng, 3)]    # noqa: E731

# Each expression writes in place into a result (x * 1), as programs do with
# activations: the write is recorded and the gradient flows through it.
GRAPH_CASES = [
    Case("add_", lambda x, y: (x * 1).add_(y), XY),
    Case("add_alpha", lambda x, y: (x * 1).add_(y, alpha=-0.5), XY),
    Case("sub_", lambda x, y: (x * 1).sub_(y, alpha=2), XY),
    Case("mul_", lambda x, y: (x * 1).mul_(y), XY),
    Case("div_", lambda x, y: (x * 1).div_(y), lambda rng: [normal(rng, 2, 3), positive(rng, 3)]),
    Case("pow_", lambda x: (x * 1).pow_(2), X3),
    Case("clamp_", lambda x: (x * 1).clamp_(-0.5, 0.5), X3),
    Case("clamp_min_", lambda x: (x * 1).clamp_min_(0.0), X3),
    Case("clamp_max_", lambda x: (x * 1).clamp_max_(0.0), X3),
    Case("addcmul_", lambda x, y, z: (x * 1).addcmul_(y, z, value=0.5),
         lambda rng: [normal(rng, 3), normal(rng, 3), normal(rng, 3)]),
    Case("addcdiv_", lambda x, y, z: (x * 1).addcdiv_(y, z, value=-1),
         lambda rng: [normal(rng, 3), normal(rng, 3), positive(rng, 3)]),
    Case("lerp_", lambda x, y: (x * 1).lerp_(y, 0.25),
         lambda rng: [normal(rng, 3), normal(rng, 3)]),
    Case("masked_fill_", lambda x: (x * 1).masked_fill_(x > 0, 2.0), X3),
    Case("copy_", lambda x, y: (x * 1).copy_(y), XY),
    Case("fill_", lambda x: (x * 1).fill_(3.0), X3),
    Case("zero_", lambda x: (x * 1).zero_(), X3),
    Case("scatter_", lambda x, i, s: (x * 1).scatter_(0, i, s),
         lambda rng: [normal(rng, 3), np.array([2, 0]), normal(rng, 2)]),
    Case("scatter_add_", lambda x, i, s: (x * 1).scatter_add_(0, i, s),
         lambda rng: [normal(rng, 3), indices(rng, 3, 4), normal(rng, 4)]),
    Case("index_add_", lambda x, i, s: (x * 1).index_add_(0, i, s),
         lambda rng: [normal(rng, 3, 2), np.array([1, 1]), normal(rng, 2, 2)]),
    Case("exp_", lambda x: (x * 1).exp_(), X3),
    Case("sigmoid_", lambda x: (x * 1).sigmoid_(), X3),
    Case("tanh_", lambda x: (x * 1).tanh_(), X3),
    Case("relu_", lambda x: (x * 1).relu_(), X3),
    Case("abs_neg_", lambda x: (x * 1).abs_().neg_(), X3),
    Case("sqrt_", lambda x: (x * 1).sqrt_(), lambda rng: [positive(rng, 3)]),
    Case("log_", lambda x: (x * 1).log_(), lambda rng: [positive(rng, 3)]),
    Case("rsqrt_", lambda x: (x * 1).rsqrt_(), lambda rng: [positive(rng, 3)]),
    Case("reciprocal_", lambda x: (x * 1).reciprocal_(), lambda rng: [positive(rng, 3)]),
    Case("square_sin_cos_", lambda x: (x * 1).square_().sin_().cos_(), X3),
    Case("log1p_", lambda x: (x * 1).log1p_(), lambda rng: [positive(rng, 3)]),
    Case("expm1_", lambda x: (x * 1).expm1_(), X3),
    Case("floor_ceil_round_", lambda x: ((x * 3).floor_(), (x * 3).ceil_(), (x * 3).round_(),
                                         (x * 3).trunc_(), (x * 3).sign_()), X3),
]


@pytest.mark.skipif(torch is None, reason="PyTorch is the oracle")
@pytest.mark.parametrize("case", GRAPH_CASES, ids=str)
def test_in_place_on_a_result_matches_pytorch(case, rng):
    torch.set_default_dtype(torch.float64)
    run(case, rng)


IN_PLACE = {"add_": (1.0,), "sub_": (1.0,), "mul_": (2.0,), "div_": (2.0,), "zero_": (),
            "fill_": (1.0,), "copy_": (np.zeros(2),), "clamp_": (0.0, 1.0), "exp_": (),
            "normal_": (), "uniform_": (), "masked_fill_": (np.array([True, False]), 0.0),
            "addcmul_": (np.ones(2), np.ones(2)), "sigmoid_": (), "lerp_": (np.ones(2), 0.5)}


def _arguments(args, library):
    return [library.tensor(a) if isinstance(a, np.ndarray) else a for a in args]


@pytest.mark.parametrize("name", sorted(IN_PLACE))
def test_refused_on_a_leaf_that_requires_grad_like_pytorch(name):
    w = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=f"in-place {name} on a trainable leaf.*no_grad"):
        getattr(w, name)(*_arguments(IN_PLACE[name], ndgrad))
    assert w.tolist() == [1.0, 2.0] and w._version == 0          # refused before any change
    if torch is not None:
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            getattr(torch.tensor([1.0, 2.0], requires_grad=True), name)(
                *_arguments(IN_PLACE[name], torch))


@pytest.mark.parametrize("name", sorted(IN_PLACE))
def test_allowed_under_no_grad_and_through_data(name):
    w = ndgrad.nn.Parameter([1.0, 2.0])
    array = w._data
    with ndgrad.no_grad():
        assert getattr(w, name)(*_arguments(IN_PLACE[name], ndgrad)) is w
    assert w._data is array and w._version == 1 and w.is_leaf and w.trainable
    getattr(w.data, name)(*_arguments(IN_PLACE[name], ndgrad))   # .data: unrecorded, but
    assert w._data is array and w._version == 2 and w.is_leaf     # one storage, one counter


def test_parameter_update_through_data_as_programs_write_it():
    p = ndgrad.nn.Parameter([1.0, 2.0])
    (p * p).sum().backward()
    p.data.add_(p.grad, alpha=-0.1)                     # word_language_model's update
    assert np.allclose(p.tolist(), [0.8, 1.6])
    p.grad.data.zero_()
    assert p.grad.tolist() == [0.0, 0.0]
    p.grad.detach_()
    p.grad.zero_()


def test_a_write_over_a_saved_value_is_caught_at_backward_like_pytorch():
    x = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()                                        # exp saves its output
    with ndgrad.no_grad():
        y.mul_(2)                                      # and this overwrites it
    with pytest.raises(RuntimeError, match="output of 'exp' was modified in place"):
        y.sum().backward()
    x = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    q = x * x                                          # multiply saves x
    x.detach().zero_()                                 # detach shares the version counter
    with pytest.raises(RuntimeError, match="input 0 of 'multiply' was modified in place"):
        q.sum().backward()


def test_a_write_through_data_is_caught_unlike_pytorch():
    x = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    q = x * x
    x.data.zero_()                  # PyTorch's documented hazard: a silently wrong gradient
    with pytest.raises(RuntimeError, match=r"input 0 of 'multiply' was modified in place.*"
                                           r"zero_ at .*test_tensor_inplace.py:\d+"):
        q.sum().backward()


def test_chained_in_place_ops_that_save_their_output_differentiate_correctly():
    # PyTorch refuses sqrt_().log_() (sqrt's saved output is overwritten); ndgrad's
    # recorded in-place ops never overwrite a saved array, so the gradient is exact.
    x = ndgrad.tensor([1.0, 4.0], requires_grad=True)
    (x * 1).sqrt_().log_().sum().backward()
    assert x.grad.tolist() == [0.5, 0.125]


def test_a_later_write_into_an_output_the_graph_saved_is_caught():
    x = ndgrad.tensor([1.0, 4.0], requires_grad=True)
    y = (x * 1).sqrt_()                       # sqrt's rule reads its output: y's array
    with ndgrad.no_grad():
        y.mul_(100)
    with pytest.raises(RuntimeError, match="output of 'sqrt' was modified in place"):
        y.sum().backward()


def test_fills_of_a_result_stay_in_the_graph_with_a_zero_gradient():
    x = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 3).zero_()
    assert y.requires_grad
    (y + x).sum().backward()
    assert x.grad.tolist() == [1.0, 1.0]


def test_random_fills_follow_ndgrads_seed_and_keep_the_dtype():
    ndgrad.random.seed(3)
    a = ndgrad.zeros(1000).normal_(1.0, 2.0)
    ndgrad.random.seed(3)
    b = ndgrad.zeros(1000).normal_(1.0, 2.0)
    assert a.tolist() == b.tolist() and a.dtype == np.float32
    assert abs(a.mean().item() - 1.0) < 0.2 and abs(a.std().item() - 2.0) < 0.2
    u = ndgrad.zeros(1000, dtype="float64").uniform_(-2.0, -1.0)
    assert u.dtype == np.float64 and -2.0 <= u.min().item() and u.max().item() < -1.0
    v = ndgrad.zeros(10).uniform_(**{"from": 3.0, "to": 4.0})
    assert 3.0 <= v.min().item() and v.max().item() < 4.0
    bits = ndgrad.zeros(1000).bernoulli_(0.25, generator=np.random.default_rng(0))
    assert set(bits.tolist()) == {0.0, 1.0} and 0.2 < bits.mean().item() < 0.3


def test_copy_and_fill_convert_and_broadcast_into_the_tensor():
    x = ndgrad.zeros((2, 3), dtype="int64")
    x.copy_(ndgrad.tensor([1.7, 2.2, 3.9]))
    assert x.tolist() == [[1, 2, 3], [1, 2, 3]] and x.dtype == np.int64
    with pytest.raises(ValueError, match=r"copy_: src of shape \(3,\) does not broadcast"):
        ndgrad.zeros(2).copy_(ndgrad.ones(3))
    assert ndgrad.zeros(2).fill_(ndgrad.tensor(4.0)).tolist() == [4.0, 4.0]


def test_fill_from_a_tensor_that_requires_grad_is_recorded():
    value = ndgrad.tensor(2.0, requires_grad=True)
    x = ndgrad.zeros(3).fill_(value)
    assert x.requires_grad and not x.is_leaf
    (x * ndgrad.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert value.grad.item() == 6.0
