"""Errors that name the thing (issue 12, item 10).

A bad size, a bad input, a bad scheduler or optimizer argument: a TypeError for a
wrong type, a ValueError for a bad value, each naming the layer (or scheduler)
and the argument with the value; never NumPy's "negative dimensions are not
allowed", math's "math domain error" or a raw float()/int() message. Accepted
inputs follow PyTorch (an LSTM on an empty batch) and Keras 3 (Variable.assign).
"""

import copy

import numpy as np
import pytest
import torch

import ndgrad
from ndgrad import keras, nn, optim

layers = keras.layers
sched = optim.lr_scheduler

RAW = ("negative dimensions", "math domain", "could not convert", "invalid literal",
       "not supported between", "has no attribute")

SIZES = [
    (lambda: nn.Linear(-1, 2), ValueError, r"Linear: in_features must be >= 0, got -1"),
    (lambda: nn.Linear(3, -2), ValueError, r"Linear: out_features must be >= 0, got -2"),
    (lambda: nn.Linear(3.5, 2), TypeError, r"Linear: in_features must be an int, got float 3.5"),
    (lambda: nn.Linear(True, 2), TypeError, r"Linear: in_features must be an int, got bool"),
    (lambda: nn.Linear("3", 2), TypeError, r"Linear: in_features must be an int, got str"),
    (lambda: nn.Linear(np.float64(3), 2), TypeError, r"in_features must be an int, got float64"),
    (lambda: nn.Bilinear(0, 2, 2), ValueError, r"Bilinear: in1_features must be a positive"),
    (lambda: layers.Dense(-1), ValueError, r"Dense: units must be a positive int, got -1"),
    (lambda: layers.Dense(2.0), TypeError, r"Dense: units must be an int, got float"),
    (lambda: nn.Conv2d(-1, 2, 3), ValueError, r"Conv2d: in_channels must be >= 0, got -1"),
    (lambda: nn.Conv1d(2, -3, 3), ValueError, r"Conv1d: out_channels must be >= 0, got -3"),
    (lambda: nn.Conv2d(2.0, 2, 3), TypeError, r"Conv2d: in_channels must be an int"),
    (lambda: nn.Conv2d(2, 2, -1), ValueError, r"Conv2d: kernel_size must be >= 1"),
    (lambda: nn.Conv2d(2, 2, (2.5, 2)), TypeError,
     r"Conv2d: kernel_size must be an int or a tuple of 2 ints, got \(2.5, 2\)"),
    (lambda: nn.Conv2d(2, 2, 3, stride=(True, 1)), TypeError, r"Conv2d: stride must be an int"),
    (lambda: nn.ConvTranspose2d(-1, 2, 3), ValueError, r"ConvTranspose2d: in_channels must be"),
    (lambda: layers.Conv2D(-1, 3), ValueError, r"Conv2D: filters must be a positive int, got -1"),
    (lambda: layers.Conv1D(2.5, 3), TypeError, r"Conv1D: filters must be an int"),
    (lambda: nn.Embedding(-1, 2), ValueError, r"Embedding: num_embeddings must be >= 0, got -1"),
    (lambda: nn.Embedding(3, 2.0), TypeError, r"Embedding: embedding_dim must be an int"),
    (lambda: nn.EmbeddingBag(-4, 2), ValueError, r"EmbeddingBag: num_embeddings must be >= 0"),
    (lambda: layers.Embedding(0, 2), ValueError, r"Embedding: input_dim must be a positive int"),
    (lambda: nn.LSTM(3, -1), ValueError, r"LSTM: hidden_size must be a positive int, got -1"),
    (lambda: nn.GRU(3, 2.5), TypeError, r"GRU: hidden_size must be an int, got float 2.5"),
    (lambda: nn.RNN(-3, 2), ValueError, r"RNN: input_size must be a positive int, got -3"),
    (lambda: nn.LSTM(3, 2, num_layers=0), ValueError, r"LSTM: num_layers must be a positive"),
    (lambda: nn.GRUCell(-1, 2), ValueError, r"GRUCell: input_size must be a positive int"),
    (lambda: layers.LSTM(-1), ValueError, r"LSTM: units must be a positive int, got -1"),
    (lambda: layers.SimpleRNN(2.5), TypeError, r"SimpleRNN: units must be an int"),
    (lambda: nn.BatchNorm1d(-1), ValueError, r"BatchNorm1d: num_features must be a positive"),
    (lambda: nn.BatchNorm2d(2.0), TypeError, r"BatchNorm2d: num_features must be an int"),
    (lambda: nn.InstanceNorm2d(-2), ValueError, r"InstanceNorm2d: num_features must be a pos"),
    (lambda: nn.GroupNorm(2, -4), ValueError, r"GroupNorm: num_channels must be >= 0, got -4"),
    (lambda: nn.LayerNorm(-1), ValueError, r"LayerNorm: normalized_shape\[0\] must be >= 0"),
    (lambda: nn.LayerNorm((4, 2.5)), TypeError, r"LayerNorm: normalized_shape\[1\] must be an"),
    (lambda: nn.MultiheadAttention(4.0, 2), TypeError, r"MultiheadAttention: embed_dim must"),
    (lambda: nn.MultiheadAttention(4, 2, kdim=-1), ValueError, r"MultiheadAttention: kdim"),
    (lambda: layers.MultiHeadAttention(2, -1), ValueError, r"MultiHeadAttention: key_dim must"),
    (lambda: nn.TransformerEncoderLayer(d_model=-4, nhead=2), ValueError,
     r"TransformerEncoderLayer: d_model must be a positive int, got -4"),
    (lambda: nn.PReLU(-1), ValueError, r"PReLU: num_parameters must be a positive int"),
]

INPUTS = [
    (lambda: nn.Linear(3, 2)(None), TypeError,
     r"Linear: expected a tensor or NumPy array as input, got NoneType"),
    (lambda: nn.Linear(3, 2)("abc"), TypeError, r"Linear: expected a tensor .* got str"),
    (lambda: nn.Linear(3, 2)([[1.0, 2.0, 3.0]]), TypeError, r"Linear: .* got list"),
    (lambda: layers.Dense(2, input_shape=(3,))(None), TypeError, r"Dense: expected a tensor"),
    (lambda: layers.Dense(2)(None), TypeError, r"Dense: cannot build from a first input of type"),
    (lambda: nn.LayerNorm(3)(None), TypeError, r"LayerNorm: expected a tensor"),
    (lambda: nn.LSTM(3, 2)(None), TypeError, r"LSTM: input must be a tensor or array"),
    (lambda: nn.GRUCell(3, 2)("abc"), TypeError, r"GRUCell: input must be a tensor"),
    (lambda: nn.BatchNorm1d(3)(None), TypeError, r"BatchNorm1d: input must be a tensor"),
    (lambda: layers.LSTM(2)(None), TypeError, r"LSTM: cannot build from a first input"),
]


def _sgd():
    return optim.SGD([nn.Parameter([1.0])], lr=0.1, momentum=0.9)


SCHEDULERS = [
    (lambda: sched.ExponentialLR(_sgd(), gamma="a"), TypeError,
     r"ExponentialLR: gamma must be a real number, got str 'a'"),
    (lambda: sched.StepLR(_sgd(), step_size=2.5), TypeError, r"StepLR: step_size must be an int"),
    (lambda: sched.StepLR(_sgd(), step_size=0), ValueError, r"StepLR: step_size must be >= 1"),
    (lambda: sched.StepLR(_sgd(), 2, last_epoch="x"), TypeError, r"StepLR: last_epoch must be"),
    (lambda: sched.MultiStepLR(_sgd(), milestones=["a"]), TypeError,
     r"MultiStepLR: milestones\[0\] must be an int, got str 'a'"),
    (lambda: sched.MultiStepLR(_sgd(), milestones=5), TypeError, r"MultiStepLR: milestones must"),
    (lambda: sched.OneCycleLR(_sgd(), max_lr="x", total_steps=10), TypeError,
     r"OneCycleLR: max_lr must be a real number, got str 'x'"),
    (lambda: sched.OneCycleLR(_sgd(), max_lr=1.0, total_steps=10, pct_start="a"), TypeError,
     r"OneCycleLR: pct_start must be a real number"),
    (lambda: sched.CosineAnnealingLR(_sgd(), T_max="x"), TypeError,
     r"CosineAnnealingLR: T_max must be a real number"),
    (lambda: sched.CosineAnnealingLR(_sgd(), T_max=10, eta_min="0"), TypeError,
     r"CosineAnnealingLR: eta_min must be a real number"),
    (lambda: sched.CyclicLR(_sgd(), base_lr="a", max_lr=1.0), TypeError,
     r"CyclicLR: base_lr must be a real number"),
    (lambda: sched.CyclicLR(_sgd(), 0.1, 1.0, step_size_up="x"), TypeError,
     r"CyclicLR: step_size_up must be a real number"),
    (lambda: sched.PolynomialLR(_sgd(), total_iters="x"), TypeError,
     r"PolynomialLR: total_iters must be an int"),
    (lambda: sched.LinearLR(_sgd(), start_factor="a"), TypeError, r"LinearLR: start_factor"),
    (lambda: sched.ConstantLR(_sgd(), factor=None), TypeError, r"ConstantLR: factor must be"),
    (lambda: sched.ReduceLROnPlateau(_sgd(), factor="a"), TypeError,
     r"ReduceLROnPlateau: factor must be a real number"),
    (lambda: sched.ReduceLROnPlateau(_sgd(), patience=1.5), TypeError,
     r"ReduceLROnPlateau: patience must be an int"),
    (lambda: sched.ReduceLROnPlateau(_sgd(), min_lr="0"), TypeError,
     r"ReduceLROnPlateau: min_lr must be a real number"),
]


def _scheduler_load(state):
    scheduler = sched.StepLR(_sgd(), step_size=2)
    return lambda: scheduler.load_state_dict(state)


def _adam_load(change):
    w = nn.Parameter([1.0, 2.0])
    opt = optim.Adam([w], lr=0.1)
    (w * w).sum().backward()
    opt.step()
    saved = copy.deepcopy(opt.state_dict())
    change(saved)
    return lambda: opt.load_state_dict(saved)


LOADING = [
    (_scheduler_load({"last_epoch": "x"}), TypeError,
     r"StepLR.load_state_dict: 'last_epoch' must be an int, got str 'x'"),
    (_scheduler_load({"gamma": "fast"}), TypeError, r"'gamma' must be a number, got str"),
    (_scheduler_load({"base_lrs": [0.1, 0.2]}), ValueError, r"'base_lrs' has 2 entries"),
    (_scheduler_load({"base_lrs": ["a"]}), TypeError, r"'base_lrs'\[0\] must be a number"),
    (_scheduler_load(["last_epoch"]), TypeError, r"StepLR.load_state_dict: expected a dict"),
    (_adam_load(lambda s: s["state"][0].__setitem__("step", "three")), TypeError,
     r"Adam.load_state_dict: state 'step' of parameter 0 must be a number, got str 'three'"),
    (_adam_load(lambda s: s["state"][0].__setitem__("step", float("inf"))), ValueError,
     r"'step' of parameter 0 must be a whole number >= 0, got inf"),
    (_adam_load(lambda s: s.__setitem__("iterations", "x")), TypeError,
     r"Adam.load_state_dict: iterations must be a number"),
    (_adam_load(lambda s: s["param_groups"][0].__setitem__("params", ["a"])), TypeError,
     r"param_groups params lists parameter index str 'a'"),
    (_adam_load(lambda s: s.__setitem__("state", [1])), TypeError,
     r"Adam.load_state_dict: 'state' must be a dict"),
    (_adam_load(lambda s: s["state"].__setitem__(0, 5)), TypeError,
     r"the state of parameter 0 must be a dict"),
]

TABLE = SIZES + INPUTS + SCHEDULERS + LOADING


@pytest.mark.parametrize("call, error, message", TABLE, ids=[f"case{i}" for i in range(len(TABLE))])
def test_error_names_the_thing(call, error, message):
    with pytest.raises(error, match=message) as caught:
        call()
    text = str(caught.value)
    assert not any(raw in text for raw in RAW), text


@pytest.mark.parametrize("value", [3, np.int64(3), np.int32(3), np.uint8(3)])
def test_numpy_integers_are_sizes(value):
    layer = nn.Linear(value, 2)
    assert layer.in_features == 3 and type(layer.in_features) is int
    assert layer.weight.shape == (2, 3)


@pytest.mark.filterwarnings("ignore:Initializing zero-element tensors")
@pytest.mark.parametrize("size", [0])
def test_zero_sizes_follow_pytorch(size):
    assert nn.Linear(size, 2).weight.shape == tuple(torch.nn.Linear(size, 2).weight.shape)
    assert nn.Embedding(size, 2).weight.shape == tuple(torch.nn.Embedding(size, 2).weight.shape)


@pytest.mark.parametrize("mode", ["LSTM", "GRU", "RNN"])
@pytest.mark.parametrize("batch_first", [True, False])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_recurrent_layers_accept_an_empty_batch_as_pytorch(mode, batch_first, bidirectional):
    shape = (0, 5, 3) if batch_first else (5, 0, 3)
    ours = getattr(nn, mode)(3, 4, num_layers=2, batch_first=batch_first,
                             bidirectional=bidirectional)
    theirs = getattr(torch.nn, mode)(3, 4, num_layers=2, batch_first=batch_first,
                                     bidirectional=bidirectional)
    x = ndgrad.zeros(shape, requires_grad=True)
    out, state = ours(x)
    t_x = torch.zeros(shape, requires_grad=True)
    t_out, t_state = theirs(t_x)
    states = list(state) if mode == "LSTM" else [state]
    t_states = list(t_state) if mode == "LSTM" else [t_state]
    assert out.shape == tuple(t_out.shape)
    assert [s.shape for s in states] == [tuple(s.shape) for s in t_states]
    (out.sum() + sum(s.sum() for s in states)).backward()
    (t_out.sum() + sum(s.sum() for s in t_states)).backward()
    assert x.grad.shape == tuple(t_x.grad.shape)
    assert np.all(ours.weight_ih_l0.grad.numpy() == 0)
    assert np.all(theirs.weight_ih_l0.grad.numpy() == 0)


def test_an_empty_batch_still_checks_the_initial_state():
    with pytest.raises(ValueError, match="initial hidden state must have shape"):
        nn.GRU(3, 4, batch_first=True)(ndgrad.zeros((0, 5, 3)), ndgrad.zeros((1, 2, 4)))


def test_variable_assign_refuses_a_broadcast_as_keras_and_says_so():
    v = ndgrad.Variable(np.arange(3, dtype=np.float32), name="v")
    with pytest.raises(ValueError, match=r"assign: the value has shape \(\) but Variable 'v' "
                                         r"has shape \(3,\); the shapes must be equal"):
        v.assign(5.0)
    np.testing.assert_array_equal(v.numpy(), [0, 1, 2])
    with pytest.raises(ValueError, match=r"the shapes must be equal"):
        v.assign(np.ones((1, 3)))
    np.testing.assert_array_equal(v.assign([4.0, 5.0, 6.0]).numpy(), [4, 5, 6])
    # adding a number is broadcasting to the Variable's own shape, as Keras's
    # assign(self + value): allowed
    np.testing.assert_array_equal(v.assign_add(1.0).numpy(), [5, 6, 7])
    with pytest.raises(ValueError, match=r"assign_sub: .* does not broadcast to the shape"):
        v.assign_sub(np.ones((2, 3)))
    np.testing.assert_array_equal(v.numpy(), [5, 6, 7])
