"""keras.backend and keras.config: settings ndgrad has, refusals for the others."""

import pytest

from ndgrad import keras
from ndgrad.keras import backend, config


def test_values_and_accepted_settings():
    assert backend.backend() == config.backend() == "ndgrad"
    assert backend.floatx() == "float32" and backend.image_data_format() == "channels_last"
    backend.set_floatx("float32")
    backend.set_image_data_format("channels_last")
    config.set_dtype_policy("float32")
    assert not config.is_traceback_filtering_enabled()
    assert backend.standardize_dtype("float64") == "float64"
    assert backend.is_float_dtype("float32") and backend.is_int_dtype("int64")


def test_set_epsilon_changes_the_cross_entropy_clip():
    try:
        backend.set_epsilon(0.1)
        clipped = keras.losses.binary_crossentropy([[1.0]], [[0.0]]).item()
        assert clipped == pytest.approx(-__import__("math").log(0.1), rel=1e-5)
    finally:
        backend.set_epsilon(1e-7)
    assert backend.epsilon() == 1e-7


def test_clear_session_restarts_names():
    keras.layers.Dense(1)
    backend.clear_session()
    assert keras.layers.Dense(1).name == "dense"
    assert backend.get_uid("x") == 1 and backend.get_uid("x") == 2


def test_refusals():
    with pytest.raises(ValueError, match="set_floatx: ndgrad's default float type is float32"):
        backend.set_floatx("float64")
    with pytest.raises(ValueError, match="data_format='channels_first' to each layer"):
        config.set_image_data_format("channels_first")
    with pytest.raises(ValueError, match="mixed precision policy 'mixed_float16'"):
        config.set_dtype_policy("mixed_float16")
    with pytest.raises(AttributeError, match="disable_interactive_logging is not supported.*"
                                             "verbose=0"):
        config.disable_interactive_logging
