"""Sequential with keras.Input, add/pop, and its functional side (keras-io's
"The Sequential model" guide patterns)."""

import numpy as np
import pytest

import ndgrad
from ndgrad import layers


def _array(value):
    return value.detach().numpy() if isinstance(value, ndgrad.Tensor) else np.asarray(value)


def test_input_as_first_element_builds_at_once():
    model = ndgrad.Sequential([ndgrad.Input(shape=(4,)), layers.Dense(2, activation="relu"),
                               layers.Dense(3), layers.Dense(4)])
    assert model.built and len(model.layers) == 3 and len(model.weights) == 6
    assert model.inputs[0].shape == (None, 4) and model.output.shape == (None, 4)
    assert model.layers[0].kernel.shape == (4, 2)
    assert "dense_2 (Dense)" in model.summary(print_fn=None)


def test_add_pop_and_incremental_build():
    model = ndgrad.Sequential()
    model.add(ndgrad.Input(shape=(250, 250, 3)))
    model.add(layers.Conv2D(4, 5, strides=2, activation="relu"))
    assert model.output.shape == (None, 123, 123, 4)
    model.add(layers.Conv2D(4, 3, activation="relu"))
    model.add(layers.MaxPooling2D(3))
    assert model.output.shape == (None, 40, 40, 4)
    popped = model.pop()
    assert isinstance(popped, layers.MaxPooling2D) and len(model.layers) == 2
    assert model.output.shape == (None, 121, 121, 4)
    with pytest.raises(ValueError, match="Input must be the first"):
        model.add(ndgrad.Input((3,)))


def test_input_shape_on_the_first_layer_and_lazy_models():
    eager = ndgrad.Sequential([layers.Dense(2, input_shape=(4,)), layers.Dense(1)])
    assert eager.built and eager.inputs[0].shape == (None, 4)
    lazy = ndgrad.Sequential([layers.Dense(2), layers.Dense(1)])
    assert not lazy.built and lazy.weights == []
    with pytest.raises(AttributeError, match="no inputs yet"):
        lazy.inputs
    assert lazy(np.ones((3, 5), np.float32)).shape == (3, 1)
    assert lazy.layers[0].kernel.shape == (5, 2) and lazy.outputs[0].shape == (None, 1)
    built = ndgrad.Sequential([layers.Dense(2)])
    built.build((None, 7))
    assert built.layers[0].kernel.shape == (7, 2)


def test_feature_extraction_from_a_sequential_model():
    initial_model = ndgrad.Sequential([ndgrad.Input(shape=(10, 10, 3)),
                                       layers.Conv2D(4, 3, strides=2, activation="relu"),
                                       layers.Conv2D(4, 3, activation="relu", name="target"),
                                       layers.Conv2D(4, 1, activation="relu")])
    extractor = ndgrad.Model(inputs=initial_model.inputs,
                             outputs=[layer.output for layer in initial_model.layers])
    single = ndgrad.Model(inputs=initial_model.inputs,
                          outputs=initial_model.get_layer(name="target").output)
    x = np.ones((1, 10, 10, 3), np.float32)
    features = extractor(x)
    assert [f.shape for f in features] == [(1, 4, 4, 4), (1, 2, 2, 4), (1, 2, 2, 4)]
    assert np.allclose(_array(single(x)), _array(features[1]))
    assert np.allclose(_array(features[-1]), _array(initial_model(x)))


def test_transfer_learning_freeze_all_but_last():
    model = ndgrad.Sequential([ndgrad.Input(shape=(3,)), layers.Dense(4), layers.Dense(2)])
    for layer in model.layers[:-1]:
        layer.trainable = False
    assert len(model.trainable_weights) == 2


def test_torch_style_sequential_still_builds_lazily():
    model = ndgrad.nn.Sequential(ndgrad.nn.Linear(3, 2), ndgrad.nn.ReLU())
    out = model(ndgrad.ones((4, 3)))
    assert out.shape == (4, 2) and [n for n, _ in model.named_parameters()] == [
        "0.weight", "0.bias"]
    embedding_first = ndgrad.nn.Sequential(ndgrad.nn.Embedding(10, 3), ndgrad.nn.Flatten())
    assert embedding_first(ndgrad.tensor(np.array([[1, 2]]))).shape == (1, 6)


def test_sequential_config_round_trip():
    model = ndgrad.Sequential([ndgrad.Input((4,), name="features"),
                               layers.Dense(3, activation="relu"), layers.Dropout(0.1),
                               layers.Dense(1)], name="stack")
    config = model.get_config()
    assert [form["class_name"] for form in config["layers"]] == [
        "InputLayer", "Dense", "Dropout", "Dense"]
    clone = ndgrad.Sequential.from_config(config)
    assert clone.name == "stack" and clone.built and clone.inputs[0].name == "features"
    assert [layer.get_config() for layer in clone.layers] == [
        layer.get_config() for layer in model.layers]
    lazy = ndgrad.Sequential([layers.Dense(2)])
    lazy(np.ones((8, 5), np.float32))
    again = ndgrad.Sequential.from_config(lazy.get_config())
    assert again.layers[0].kernel.shape == (5, 2)
