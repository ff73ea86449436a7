"""``tensorflow.keras`` imports: TensorFlow programs import Keras through
TensorFlow's name, and must get ndgrad.keras's very modules."""

import importlib
import subprocess
import sys

import ndgrad.keras
import ndgrad.tensorflow as tf


def test_tensorflow_keras_modules_are_the_keras_modules():
    from ndgrad.tensorflow.keras import Model, layers
    from ndgrad.tensorflow.keras.layers import Conv2D, Dense
    from ndgrad.tensorflow.keras.optimizers.schedules import ExponentialDecay
    assert layers is ndgrad.keras.layers and Dense is ndgrad.keras.layers.Dense
    assert Conv2D is ndgrad.layers.Conv2D and Model is ndgrad.keras.Model
    assert ExponentialDecay is ndgrad.keras.optimizers.schedules.ExponentialDecay
    assert tf.keras is ndgrad.keras
    assert ndgrad.keras.layers.__name__ == "ndgrad.keras.layers"      # not renamed


def test_an_unknown_keras_submodule_is_an_import_error():
    try:
        importlib.import_module("ndgrad.tensorflow.keras.no_such_module")
    except ImportError as error:
        assert "no_such_module" in str(error)
    else:
        raise AssertionError("expected ImportError")


def test_the_alias_works_in_a_fresh_process_before_keras_is_imported():
    code = ("from ndgrad.tensorflow.keras.layers import Dense; "
            "import ndgrad.keras.layers as k; print(Dense is k.Dense)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "True", out.stderr
