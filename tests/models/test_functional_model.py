"""Functional models: structures of inputs and outputs, shared layers, nesting, the
layer list, training, subclasses built from inputs and outputs, and the errors."""

import numpy as np
import pytest

import ndgrad
from ndgrad import layers


def _array(value):
    return value.detach().numpy() if isinstance(value, ndgrad.Tensor) else np.asarray(value)


def test_model_dispatch_and_positional_form():
    x = ndgrad.Input((3,))
    y = layers.Dense(2)(x)
    assert type(ndgrad.Model(x, y)).__name__ == "Functional"
    assert type(ndgrad.Model(inputs=x, outputs=y)).__name__ == "Functional"
    assert isinstance(ndgrad.Model(x, y), ndgrad.Model)
    assert type(ndgrad.Model()).__name__ == "Model"
    assert ndgrad.Model(x, y).name == "functional_3"        # Keras's default names
    with pytest.raises(TypeError, match="inputs= and outputs="):
        ndgrad.Model(inputs=x)


def test_dict_inputs_and_outputs(rng):
    a, b = ndgrad.Input((2,), name="a"), ndgrad.Input((3,), name="b")
    joined = layers.concatenate([a, b])
    model = ndgrad.Model({"a": a, "b": b}, {"sum": layers.Dense(1, name="s")(joined),
                                            "copy": joined})
    data = {"b": rng.random((4, 3)), "a": rng.random((4, 2))}
    out = model(data)
    assert list(out) == ["sum", "copy"] and out["copy"].shape == (4, 5)
    assert np.allclose(_array(out["copy"]), np.concatenate([data["a"], data["b"]], 1))
    assert [t.name for t in model.inputs] == ["a", "b"] and len(model.outputs) == 2
    assert isinstance(model.input, dict) and isinstance(model.output, dict)
    with pytest.raises(ValueError, match="missing inputs \\['b'\\]"):
        model({"a": data["a"]})


def test_list_inputs_accept_dicts_by_name_and_check_shapes(rng):
    a, b = ndgrad.Input((2,), name="left"), ndgrad.Input((2,), name="right")
    model = ndgrad.Model([a, b], layers.subtract([a, b]))
    left, right = rng.random((3, 2)), rng.random((3, 2))
    assert np.allclose(_array(model({"right": right, "left": left})), left - right)
    assert model([left, right]).dtype == np.float32      # cast to the Input's dtype
    with pytest.raises(ValueError, match="expects 2 inputs"):
        model([left])
    with pytest.raises(ValueError, match="input 'left' expects shape \\(None, 2\\)"):
        model([rng.random((3, 5)), right])
    with pytest.raises(ValueError, match="need the keys"):
        model({"left": left})


def test_shared_layer_nodes_and_layer_order():
    x = ndgrad.Input((4,), name="x")
    shared = layers.Dense(4, name="shared")
    y = shared(shared(x))
    model = ndgrad.Model(x, layers.Dense(1, name="head")(y))
    assert [layer.name for layer in model.layers] == ["x", "shared", "head"]
    assert len(model._graph.nodes_of(shared)) == 2
    assert model.get_layer("shared") is shared and model.get_layer(index=-1).name == "head"
    with pytest.raises(ValueError, match="no layer named 'nope'"):
        model.get_layer("nope")
    data = np.ones((2, 4), np.float32)
    by_hand = model.get_layer("head")(shared(shared(ndgrad.tensor(data))))
    assert np.allclose(_array(model(data)), _array(by_hand))
    assert "shared[0][0]" in model.summary(print_fn=None)
    assert "shared[1][0]" in model.summary(print_fn=None)


def test_nested_models_share_weights_and_state_dict_names():
    inner_input = ndgrad.Input((3,), name="inner_in")
    inner = ndgrad.Model(inner_input, layers.Dense(2, name="proj")(inner_input), name="inner")
    x = ndgrad.Input((3,), name="x")
    outer = ndgrad.Model(x, layers.Dense(1, name="out")(inner(x)), name="outer")
    assert list(outer.state_dict()) == ["inner.proj.kernel", "inner.proj.bias",
                                        "out.kernel", "out.bias"]
    assert outer.layers[1] is inner
    data = np.ones((2, 3), np.float32)
    assert np.allclose(_array(outer(data)), _array(outer.layers[2](inner(data))))


def test_intermediate_tensors_as_inputs():
    x = ndgrad.Input((3,), name="x")
    hidden = layers.Dense(4, name="h")(x)
    out = layers.Dense(2, name="o")(hidden)
    head = ndgrad.Model(hidden, out)
    assert [layer.name for layer in head.layers] == ["o"]
    assert head(np.ones((5, 4))).shape == (5, 2)


def test_errors_when_building():
    x, other = ndgrad.Input((3,), name="x"), ndgrad.Input((3,), name="other")
    with pytest.raises(ValueError, match="depend on the input 'other'.*add it to inputs="):
        ndgrad.Model(x, layers.add([x, other]))
    with pytest.raises(TypeError, match="must be a symbolic tensor"):
        ndgrad.Model(x, ndgrad.ones(3))
    first, second = layers.Dense(2, name="same"), layers.Dense(2, name="same")
    with pytest.raises(ValueError, match="unique.*'same'"):
        ndgrad.Model(x, second(first(x)))


def test_training_flag_reaches_layers(rng):
    x = ndgrad.Input((100,))
    model = ndgrad.Model(x, layers.Dropout(0.5)(x))
    data = np.ones((2, 100), np.float32)
    assert np.array_equal(_array(model(data)), data)
    assert not np.array_equal(_array(model(data, training=True)), data)
    monte_carlo = ndgrad.Model(x, layers.Dropout(0.5)(x, training=True))
    assert not np.array_equal(_array(monte_carlo(data)), data)


def test_gradients_flow_and_fit_lowers_the_loss(rng):
    x = ndgrad.Input((4,))
    h = layers.Dense(8, activation="tanh")(x)
    model = ndgrad.Model(x, layers.Dense(1)(h) + layers.Dense(1)(x))
    with ndgrad.GradientTape() as tape:
        loss = (model(rng.random((5, 4))) ** 2).mean()
    grads = tape.gradient(loss, model.trainable_variables)
    assert len(grads) == 6 and all(g is not None for g in grads)
    data = rng.random((64, 4)).astype(np.float32)
    target = data.sum(1, keepdims=True)
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(data, target, epochs=5, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


class CustomModel(ndgrad.Model):
    """A Model subclass with its own train_step, built from inputs and outputs."""

    def train_step(self, batch):
        x, y = batch
        with ndgrad.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        self.steps_seen = getattr(self, "steps_seen", 0) + 1
        return {"loss": loss}


def test_subclass_built_from_inputs_and_outputs(rng):
    inputs = ndgrad.Input(shape=(32,))
    outputs = layers.Dense(1)(inputs)
    model = CustomModel(inputs, outputs)
    assert type(model) is CustomModel and model.is_functional
    model.compile(optimizer="adam", loss="mse")
    model.fit(rng.random((64, 32)), rng.random((64, 1)), epochs=2, batch_size=32, verbose=0)
    assert model.steps_seen == 4
    config = model.get_config()
    clone = CustomModel.from_config(config)
    assert type(clone) is CustomModel and clone.output_shape == (None, 1)


def test_subclassed_models_keep_working():
    class TwoLayers(ndgrad.Model):
        def __init__(self, units=4, **kwargs):
            super().__init__(**kwargs)
            self.hidden = layers.Dense(units, activation="relu")
            self.out = layers.Dense(1)

        def call(self, inputs, training=None):
            return self.out(self.hidden(inputs))

    model = TwoLayers(units=3, name="two")
    assert model(np.ones((2, 5), np.float32)).shape == (2, 1)
    assert [layer.name for layer in model.layers] == [model.hidden.name, model.out.name]
    assert not model.is_functional
    with pytest.raises(AttributeError, match="subclassed model"):
        model.inputs
    assert model.get_config()["units"] == 3
    assert model.output_names is None
    model.output_names = ["score"]
    assert model.output_names == ["score"]
    x = ndgrad.Input((5,))
    y = model(x)                                  # a subclassed model as a layer
    assert y.shape == (None, 1)
    assert ndgrad.Model(x, y)(np.ones((3, 5))).shape == (3, 1)

    class NoCall(ndgrad.Model):
        pass

    with pytest.raises(NotImplementedError, match="neither forward"):
        NoCall()(np.ones((1, 2)))
