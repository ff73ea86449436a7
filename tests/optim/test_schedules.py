"""Keras-style schedule objects against values computed by hand."""

import math

import pytest

from ndgrad.optim import schedules


def test_exponential_decay_smooth_and_staircase():
    smooth = schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    assert smooth(0) == 0.1 and smooth(5) == pytest.approx(0.1 * 0.5 ** 0.5)
    assert smooth(25) == pytest.approx(0.1 * 0.5 ** 2.5)
    stairs = schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5, staircase=True)
    assert [stairs(s) for s in (0, 9, 10, 19, 20)] == [0.1, 0.1, 0.05, 0.05, 0.025]


def test_piecewise_constant_decay_boundaries_belong_to_the_left():
    schedule = schedules.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
    assert [schedule(s) for s in (0, 10, 11, 20, 21, 1000)] == [1.0, 1.0, 0.5, 0.5, 0.1, 0.1]
    with pytest.raises(ValueError, match="one more entry"):
        schedules.PiecewiseConstantDecay([10], [1.0])
    with pytest.raises(ValueError, match="increase"):
        schedules.PiecewiseConstantDecay([10, 5], [1.0, 0.5, 0.1])


def test_cosine_decay_without_warmup():
    schedule = schedules.CosineDecay(0.1, decay_steps=100, alpha=0.1)
    for step in (0, 30, 50, 100, 150):
        fraction = min(step, 100) / 100
        expected = 0.1 * (0.9 * 0.5 * (1 + math.cos(math.pi * fraction)) + 0.1)
        assert schedule(step) == pytest.approx(expected, rel=1e-12)
    assert schedule(150) == pytest.approx(0.01)


def test_cosine_decay_with_warmup_as_keras_3():
    schedule = schedules.CosineDecay(0.0, decay_steps=10, warmup_target=0.1, warmup_steps=5)
    assert [round(schedule(s), 10) for s in (0, 1, 5)] == [0.0, 0.02, 0.1]
    expected = 0.1 * 0.5 * (1 + math.cos(math.pi * 3 / 10))        # 3 steps into the decay
    assert schedule(8) == pytest.approx(expected, rel=1e-12)
    assert schedule(15) == pytest.approx(0.0, abs=1e-15) and schedule(99) == schedule(15)


def test_polynomial_decay_capped_and_cycling():
    linear = schedules.PolynomialDecay(0.1, decay_steps=10, end_learning_rate=0.01)
    assert [round(linear(s), 10) for s in (0, 5, 10, 20)] == [0.1, 0.055, 0.01, 0.01]
    square = schedules.PolynomialDecay(1.0, decay_steps=4, end_learning_rate=0.0, power=2.0)
    assert [square(s) for s in (0, 1, 2, 4)] == [1.0, 0.5625, 0.25, 0.0]
    cycling = schedules.PolynomialDecay(1.0, decay_steps=4, end_learning_rate=0.0, cycle=True)
    # At step 6 the horizon is 8 (the next multiple of 4): 1 - 6/8.
    assert [cycling(s) for s in (0, 2, 4, 6, 8)] == [1.0, 0.5, 0.0, 0.25, 0.0]


@pytest.mark.parametrize("schedule", [
    schedules.ExponentialDecay(0.1, 10, 0.9, staircase=True),
    schedules.PiecewiseConstantDecay([3], [0.1, 0.01]),
    schedules.CosineDecay(0.1, 50, alpha=0.2, warmup_target=0.3, warmup_steps=5),
    schedules.PolynomialDecay(0.1, 7, end_learning_rate=0.0, power=0.5, cycle=True),
], ids=lambda s: type(s).__name__)
def test_get_config_round_trips(schedule):
    again = type(schedule).from_config(schedule.get_config())
    assert again.get_config() == schedule.get_config()
    assert [again(s) for s in range(0, 60, 7)] == [schedule(s) for s in range(0, 60, 7)]
    assert schedules.deserialize(schedules.serialize(schedule)).get_config() == \
        schedule.get_config()


def test_bad_schedule_arguments():
    with pytest.raises(ValueError, match="decay_steps must be > 0"):
        schedules.ExponentialDecay(0.1, 0, 0.5)
    with pytest.raises(ValueError, match="unknown schedule 'Nope'"):
        schedules.deserialize({"class_name": "Nope", "config": {}})
    with pytest.raises(NotImplementedError, match="__call__"):
        schedules.LearningRateSchedule()(0)
