"""The Keras face: no params, apply_gradients, Keras defaults, clipping options,
schedules as the learning rate, strings, configs."""

import numpy as np
import pytest

import ndgrad
from ndgrad.optim import schedules


def _apply(optimizer, pairs):
    optimizer.apply_gradients([(ndgrad.tensor(g), v) for g, v in pairs])


def test_keras_defaults_without_params_and_torch_defaults_with():
    assert ndgrad.optim.Adam().epsilon == 1e-7
    assert ndgrad.optim.Adam([ndgrad.Variable([1.0])]).epsilon == 1e-8
    assert ndgrad.optim.SGD().learning_rate == 0.01
    rmsprop = ndgrad.optim.RMSprop()
    assert (rmsprop.learning_rate, rmsprop.rho, rmsprop.alpha, rmsprop.epsilon) == (
        0.001, 0.9, 0.9, 1e-7)
    assert ndgrad.optim.Adagrad().initial_accumulator_value == 0.1
    assert ndgrad.optim.AdamW().weight_decay == 0.004


def test_keras_spellings_and_positional_learning_rate():
    optimizer = ndgrad.optim.Adam(0.01, beta_1=0.8, epsilon=1e-6)
    assert optimizer.learning_rate == 0.01 and optimizer.betas == (0.8, 0.999)
    assert (optimizer.beta_1, optimizer.beta_2, optimizer.eps) == (0.8, 0.999, 1e-6)
    assert optimizer.param_groups == [] and optimizer.params == []
    with pytest.raises(TypeError, match="looks like a learning rate"):
        ndgrad.optim.SGD(0.1, lr=0.2)
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        optimizer.nonsense  # noqa: B018


def test_apply_gradients_learns_variables_and_counts_iterations():
    a, b = ndgrad.Variable([1.0], name="a"), ndgrad.Variable([[2.0, 3.0]], name="b")
    optimizer = ndgrad.optim.SGD(learning_rate=0.5)
    _apply(optimizer, [([1.0], a)])
    _apply(optimizer, [([1.0], a), ([[2.0, 2.0]], b)])
    assert optimizer.params == [a, b] and optimizer.iterations == 2
    assert a.tolist() == [0.0] and b.tolist() == [[1.0, 2.0]]
    assert optimizer.state[a]["step"] == 2 and optimizer.state[b]["step"] == 1


def test_apply_gradients_refuses_bad_pairs_before_changing_anything():
    w = ndgrad.Variable([1.0, 2.0], name="w")
    optimizer = ndgrad.optim.Adam(learning_rate=0.1)
    with pytest.raises(ValueError, match=r"'w' has shape \(3,\).*shape \(2,\)"):
        _apply(optimizer, [([1.0, 1.0, 1.0], w)])
    with pytest.raises(TypeError, match="pairs"):
        optimizer.apply_gradients([w])
    with pytest.raises(ValueError, match="not a variable"):
        _apply(optimizer, [([1.0, 1.0], w * 2)])
    assert w.tolist() == [1.0, 2.0] and optimizer.params == [] and optimizer.iterations == 0


def test_clipnorm_clips_each_gradient_to_the_norm():
    a, b = ndgrad.Variable([0.0, 0.0]), ndgrad.Variable([0.0])
    optimizer = ndgrad.optim.SGD(learning_rate=1.0, clipnorm=1.0)
    gradient = ndgrad.tensor([3.0, 4.0])
    optimizer.apply_gradients([(gradient, a), (ndgrad.tensor([0.5]), b)])
    np.testing.assert_allclose(a.numpy(), [-0.6, -0.8], rtol=1e-6)   # norm 5 -> 1
    assert b.tolist() == [-0.5]                                       # norm 0.5: as is
    assert gradient.tolist() == [3.0, 4.0]                            # caller's array untouched


def test_global_clipnorm_scales_all_gradients_together():
    a, b = ndgrad.Variable([0.0, 0.0]), ndgrad.Variable([0.0])
    optimizer = ndgrad.optim.SGD(learning_rate=1.0, global_clipnorm=6.5)
    _apply(optimizer, [([3.0, 4.0], a), ([12.0], b)])                 # global norm 13
    np.testing.assert_allclose(a.numpy(), [-1.5, -2.0], rtol=1e-6)
    np.testing.assert_allclose(b.numpy(), [-6.0], rtol=1e-6)


def test_clipvalue_clips_each_entry():
    w = ndgrad.Variable([0.0, 0.0, 0.0])
    optimizer = ndgrad.optim.SGD(learning_rate=1.0, clipvalue=1.0)
    _apply(optimizer, [([-3.0, 0.5, 2.0], w)])
    assert w.tolist() == [1.0, -0.5, -1.0]


def test_clipping_options_work_with_step_and_leave_grad_alone():
    w = ndgrad.nn.Parameter([0.0, 0.0])
    optimizer = ndgrad.optim.SGD([w], lr=1.0, clipnorm=1.0)
    w.grad = ndgrad.tensor([3.0, 4.0])
    optimizer.step()
    np.testing.assert_allclose(w.numpy(), [-0.6, -0.8], rtol=1e-6)
    assert w.grad.tolist() == [3.0, 4.0]


def test_clipping_options_are_validated():
    with pytest.raises(ValueError, match="only one of clipnorm, clipvalue and global_clipnorm"):
        ndgrad.optim.Adam(clipnorm=1.0, clipvalue=1.0)
    with pytest.raises(ValueError, match="clipnorm must be > 0"):
        ndgrad.optim.Adam(clipnorm=0.0)


def test_schedule_as_learning_rate_is_evaluated_at_each_iteration():
    schedule = schedules.PiecewiseConstantDecay([1], [1.0, 0.5])
    w = ndgrad.Variable([0.0])
    optimizer = ndgrad.optim.SGD(learning_rate=schedule)
    seen = []
    for _ in range(3):
        seen.append(optimizer.learning_rate)
        _apply(optimizer, [([1.0], w)])
    assert seen == [1.0, 1.0, 0.5] and w.tolist() == [-2.5]
    assert optimizer.param_groups[0]["lr"] is schedule


def test_schedule_as_lr_in_the_pytorch_face_and_in_a_group():
    a, b = ndgrad.Variable([0.0]), ndgrad.Variable([0.0])
    decay = schedules.ExponentialDecay(1.0, decay_steps=1, decay_rate=0.5)
    optimizer = ndgrad.optim.SGD([{"params": [a], "lr": decay}, {"params": [b]}], lr=0.1)
    for _ in range(3):
        a.grad, b.grad = ndgrad.tensor([1.0]), ndgrad.tensor([1.0])
        optimizer.step()
    assert a.tolist() == [-1.75] and b.numpy().item() == pytest.approx(-0.3)


@pytest.mark.parametrize("name, expected", [
    ("adam", {"learning_rate": 0.001, "epsilon": 1e-7, "beta_1": 0.9}),
    ("sgd", {"learning_rate": 0.01, "momentum": 0.0}),
    ("rmsprop", {"learning_rate": 0.001, "rho": 0.9, "epsilon": 1e-7}),
    ("adagrad", {"learning_rate": 0.001, "initial_accumulator_value": 0.1}),
    ("adadelta", {"learning_rate": 0.001, "rho": 0.95}),
    ("adamax", {"learning_rate": 0.001, "epsilon": 1e-7}),
    ("nadam", {"learning_rate": 0.001, "epsilon": 1e-7}),
    ("adamw", {"learning_rate": 0.001, "weight_decay": 0.004}),
])
def test_strings_give_new_optimizers_with_keras_defaults(name, expected):
    optimizer = ndgrad.optim.get(name)
    assert type(optimizer).__name__.lower() == name
    config = optimizer.get_config()
    assert {key: config[key] for key in expected} == expected
    assert ndgrad.optim.get(name) is not optimizer


def test_get_returns_instances_as_is_and_names_the_known_ones():
    optimizer = ndgrad.optim.SGD(learning_rate=0.3)
    assert ndgrad.optim.get(optimizer) is optimizer
    assert isinstance(ndgrad.optim.get("Adam"), ndgrad.optim.Adam)
    with pytest.raises(ValueError, match="'adamm'.*adadelta, adagrad, adam, adamax, adamw, "
                                         "nadam, rmsprop, sgd"):
        ndgrad.optim.get("adamm")
    with pytest.raises(TypeError, match="optimizer name"):
        ndgrad.optim.get(3)


def test_config_round_trip_with_a_schedule_and_options():
    schedule = schedules.CosineDecay(0.1, 100, warmup_target=0.2, warmup_steps=10)
    optimizer = ndgrad.optim.RMSprop(learning_rate=schedule, rho=0.8, momentum=0.5,
                                     clipnorm=2.0, missing_gradients="ignore", name="rms")
    config = optimizer.get_config()
    assert config["rho"] == 0.8 and config["learning_rate"]["class_name"] == "CosineDecay"
    again = ndgrad.optim.get({"class_name": "RMSprop", "config": config})
    assert again.get_config() == config and again.learning_rate == schedule(0)


@pytest.mark.parametrize("name", sorted(ndgrad.optim.registry.OPTIMIZERS))
def test_every_optimizer_config_round_trips(name):
    optimizer = ndgrad.optim.get(name)
    config = optimizer.get_config()
    assert "learning_rate" in config and "lr" not in config
    assert type(optimizer).from_config(config).get_config() == config


def test_float64_gradients_are_cast_to_the_variable_dtype():
    w = ndgrad.Variable([1.0, 1.0])
    optimizer = ndgrad.optim.Adam(learning_rate=0.1)
    optimizer.apply_gradients([(np.array([1.0, -1.0]), w)])
    assert w.dtype == np.float32 and optimizer.state[w]["exp_avg"].dtype == np.float32
    with pytest.raises(TypeError, match="cannot use a complex128 gradient"):
        optimizer.apply_gradients([(np.array([1j, 1j]), w)])
