"""keras.layers: read from ndgrad.layers at access time; refusals for the rest."""

import pytest

import ndgrad
from ndgrad.keras import layers


def test_layers_are_the_core_classes_with_keras_aliases():
    assert layers.Dense is ndgrad.layers.Dense and layers.Layer is ndgrad.nn.Module
    assert layers.Convolution2D is layers.Conv2D and layers.MaxPool2D is layers.MaxPooling2D
    assert layers.ActivityRegularization is ndgrad.layers.ActivityRegularization
    assert "Dense" in dir(layers) and "Convolution2D" in dir(layers)


def test_a_layer_family_added_to_the_core_later_appears_without_an_edit(monkeypatch):
    class UpSampling2D(ndgrad.nn.Module):
        pass

    monkeypatch.setattr(ndgrad.layers, "UpSampling2D", UpSampling2D, raising=False)
    assert layers.UpSampling2D is UpSampling2D


def test_unsupported_layers_say_what_to_use():
    with pytest.raises(AttributeError, match="keras.layers.RandomHue is not supported.*NumPy"):
        layers.RandomHue
    assert layers.RandomFlip is ndgrad.layers.RandomFlip
    with pytest.raises(AttributeError, match="keras.layers.ThresholdedReLU is not supported.*"
                                             r"ReLU\(threshold=theta\)"):
        layers.ThresholdedReLU
    with pytest.raises(AttributeError, match="Conv3D is not supported.*1-D and 2-D"):
        layers.Conv3D
    with pytest.raises(AttributeError, match="has no attribute 'Nonexistent'"):
        layers.Nonexistent
