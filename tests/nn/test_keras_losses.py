"""ndgrad.nn.keras_losses: reductions, lookup by name, options."""

import pytest

import ndgrad
from ndgrad.nn import keras_losses


def test_reductions_as_keras():
    values = ndgrad.tensor([[1.0, 3.0], [5.0, 7.0]])
    assert keras_losses.reduce_weighted(values).item() == 4.0
    assert keras_losses.reduce_weighted(values, reduction="sum").item() == 16.0
    assert keras_losses.reduce_weighted(values, [1.0, 0.0]).item() == 1.0
    assert keras_losses.reduce_weighted(values, [[1.0], [0.0]],
                                        reduction="mean_with_sample_weight").item() == 2.0
    assert keras_losses.reduce_weighted(values, [2.0, 1.0], reduction=None).tolist() == \
        [[2.0, 6.0], [5.0, 7.0]]
    with pytest.raises(ValueError, match="reduction must be one of"):
        keras_losses.reduce_weighted(values, reduction="avg")


def test_get_names_aliases_and_options():
    assert keras_losses.get("MAPE") is keras_losses.get("mean_absolute_percentage_error")
    assert keras_losses.get("LogCosh") is keras_losses.get("log_cosh")
    huber = keras_losses.get("huber", delta=0.5)
    assert huber(ndgrad.zeros((1, 1)), ndgrad.tensor([[2.0]])).item() == pytest.approx(0.875)
    with pytest.raises(TypeError, match="huber takes no option alpha"):
        keras_losses.get("huber", alpha=1)
    with pytest.raises(ValueError, match="unknown loss 'l3'"):
        keras_losses.get("l3")
