"""The examples of keras-io's functional API guide (guides/functional_api.py), with
`keras` spelled through ndgrad's core and small random data instead of the datasets.

Each model's outputs are compared with the same layers called by hand.
"""

import os

import numpy as np
import pytest

import ndgrad
from ndgrad import layers, ops
from ndgrad.keras import models, saving


def _array(value):
    return value.detach().numpy() if isinstance(value, ndgrad.Tensor) else np.asarray(value)


def _close(a, b, atol=1e-5):
    return np.allclose(_array(a), _array(b), atol=atol)


def _mnist_model():
    inputs = ndgrad.Input(shape=(784,))
    dense = layers.Dense(64, activation="relu")
    x = dense(inputs)
    x = layers.Dense(64, activation="relu")(x)
    outputs = layers.Dense(10)(x)
    return ndgrad.Model(inputs=inputs, outputs=outputs, name="mnist_model")


def test_first_model_shapes_summary_and_outputs(rng):
    inputs = ndgrad.Input(shape=(784,))
    assert inputs.shape == (None, 784) and str(inputs.dtype) == "float32"
    assert ndgrad.Input(shape=(32, 32, 3)).shape == (None, 32, 32, 3)
    model = _mnist_model()
    text = model.summary(print_fn=None)
    assert 'Model: "mnist_model"' in text and "Total params: 55,050" in text
    assert "Connected to" in text
    x = rng.random((5, 784)).astype("float32")
    by_hand = x
    for layer in model.layers[1:]:
        by_hand = layer(ndgrad.tensor(by_hand)).detach().numpy()
    assert _close(model(x), by_hand)


def test_training_evaluation_and_saving(rng, tmp_path):
    model = _mnist_model()
    x = rng.random((96, 784)).astype("float32")
    y = rng.integers(0, 10, 96)
    model.compile(loss=ndgrad.nn.CrossEntropyLoss(), optimizer=ndgrad.optim.RMSprop(),
                  metrics=["accuracy"])
    history = model.fit(x, y, batch_size=32, epochs=3, validation_split=0.2, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    test_scores = model.evaluate(x, y, verbose=0)
    assert len(test_scores) == 2
    path = os.path.join(tmp_path, "path_to_my_model.keras")
    model.save(path)
    expected = model.predict(x, verbose=0)
    del model
    model = models.load_model(path)
    assert _close(model.predict(x, verbose=0), expected)


def _encoder(name="img"):
    encoder_input = ndgrad.Input(shape=(28, 28, 1), name=name)
    x = layers.Conv2D(16, 3, activation="relu")(encoder_input)
    x = layers.Conv2D(32, 3, activation="relu")(x)
    x = layers.MaxPooling2D(3)(x)
    x = layers.Conv2D(32, 3, activation="relu")(x)
    x = layers.Conv2D(16, 3, activation="relu")(x)
    encoder_output = layers.GlobalMaxPooling2D()(x)
    return encoder_input, encoder_output


def _decoder_layers(x):
    x = layers.Reshape((4, 4, 1))(x)
    x = layers.Conv2DTranspose(16, 3, activation="relu")(x)
    x = layers.Conv2DTranspose(32, 3, activation="relu")(x)
    x = layers.UpSampling2D(3)(x)
    x = layers.Conv2DTranspose(16, 3, activation="relu")(x)
    return layers.Conv2DTranspose(1, 3, activation="relu")(x)


def test_one_graph_two_models(rng):
    encoder_input, encoder_output = _encoder()
    encoder = ndgrad.Model(encoder_input, encoder_output, name="encoder")
    assert encoder.output_shape == (None, 16)
    decoder_output = _decoder_layers(encoder_output)
    autoencoder = ndgrad.Model(encoder_input, decoder_output, name="autoencoder")
    assert autoencoder.output_shape == (None, 28, 28, 1)
    images = rng.random((2, 28, 28, 1)).astype("float32")
    # The two models share the encoder's layers and weights.
    shared = {id(layer) for layer in encoder.layers} & {id(l) for l in autoencoder.layers}
    assert len(shared) == len(encoder.layers)
    assert _close(autoencoder.layers[len(encoder.layers)](encoder(images)).detach().numpy(),
                  _array(encoder(images)).reshape(2, 4, 4, 1))


def test_models_are_callable_like_layers(rng):
    encoder = ndgrad.Model(*_encoder("original_img"), name="encoder")
    decoder_input = ndgrad.Input(shape=(16,), name="encoded_img")
    decoder = ndgrad.Model(decoder_input, _decoder_layers(decoder_input), name="decoder")
    autoencoder_input = ndgrad.Input(shape=(28, 28, 1), name="img")
    encoded_img = encoder(autoencoder_input)
    decoded_img = decoder(encoded_img)
    autoencoder = ndgrad.Model(autoencoder_input, decoded_img, name="autoencoder")
    assert [layer.name for layer in autoencoder.layers] == ["img", "encoder", "decoder"]
    images = rng.random((3, 28, 28, 1)).astype("float32")
    assert _close(autoencoder(images), decoder(encoder(images)))
    text = autoencoder.summary(print_fn=None, expand_nested=True)
    assert "encoder (Functional)" in text and "conv2d" in text


def test_ensemble_average(rng):
    def get_model():
        inputs = ndgrad.Input(shape=(128,))
        outputs = layers.Dense(1)(inputs)
        return ndgrad.Model(inputs, outputs)

    model1, model2, model3 = get_model(), get_model(), get_model()
    inputs = ndgrad.Input(shape=(128,))
    outputs = layers.average([model1(inputs), model2(inputs), model3(inputs)])
    ensemble_model = ndgrad.Model(inputs=inputs, outputs=outputs)
    x = rng.random((4, 128)).astype("float32")
    expected = (_array(model1(x)) + _array(model2(x)) + _array(model3(x))) / 3
    assert _close(ensemble_model(x), expected)


def _ticket_model():
    num_tags, num_words, num_departments = 12, 1000, 4
    title_input = ndgrad.Input(shape=(None,), name="title")
    body_input = ndgrad.Input(shape=(None,), name="body")
    tags_input = ndgrad.Input(shape=(num_tags,), name="tags")
    title_features = layers.Embedding(num_words, 16)(title_input)
    body_features = layers.Embedding(num_words, 16)(body_input)
    title_features = layers.LSTM(16)(title_features)
    body_features = layers.LSTM(8)(body_features)
    x = layers.concatenate([title_features, body_features, tags_input])
    priority_pred = layers.Dense(1, name="priority")(x)
    department_pred = layers.Dense(num_departments, name="department")(x)
    model = ndgrad.Model(inputs=[title_input, body_input, tags_input],
                         outputs=[priority_pred, department_pred])
    return model, num_tags, num_words, num_departments


def _ticket_data(rng, size, num_tags, num_words, num_departments):
    title = rng.integers(num_words, size=(size, 10))
    body = rng.integers(num_words, size=(size, 12))
    tags = rng.integers(2, size=(size, num_tags)).astype("float32")
    priority = rng.random(size=(size, 1)).astype("float32")
    department = rng.integers(2, size=(size, num_departments)).astype("float32")
    return title, body, tags, priority, department


def test_multi_input_multi_output_ticket_model(rng):
    model, num_tags, num_words, num_departments = _ticket_model()
    assert model.output_shape == [(None, 1), (None, 4)]
    title, body, tags, priority, department = _ticket_data(rng, 64, num_tags, num_words,
                                                           num_departments)
    by_name = model({"title": title, "body": body, "tags": tags})
    by_list = model([title, body, tags])
    assert all(_close(a, b) for a, b in zip(by_name, by_list))
    layer = {layer.name: layer for layer in model.layers}
    t = layer["lstm"](layer["embedding"](ndgrad.tensor(title.astype("float32"))))
    b = layer["lstm_1"](layer["embedding_1"](ndgrad.tensor(body.astype("float32"))))
    joined = ndgrad.concatenate([t, b, ndgrad.tensor(tags)], axis=-1)
    assert _close(by_list[0], layer["priority"](joined))
    assert _close(by_list[1], layer["department"](joined))

    bce = ndgrad.nn.BCEWithLogitsLoss()
    model.compile(optimizer=ndgrad.optim.RMSprop(1e-2), loss=[bce, "categorical_crossentropy"],
                  loss_weights=[1.0, 0.2])
    model.compile(optimizer=ndgrad.optim.RMSprop(1e-2),
                  loss={"priority": bce, "department": "mse"},
                  loss_weights={"priority": 1.0, "department": 0.2})
    history = model.fit({"title": title, "body": body, "tags": tags},
                        {"priority": priority, "department": department},
                        epochs=3, batch_size=32, verbose=0)
    logs = history.history
    assert sorted(logs) == ["department_loss", "loss", "priority_loss"]
    assert np.allclose(logs["loss"], np.add(logs["priority_loss"],
                                            np.multiply(0.2, logs["department_loss"])),
                       rtol=1e-4)
    assert logs["loss"][-1] < logs["loss"][0]
    history = model.fit([title, body, tags], [priority, department], epochs=1, batch_size=32,
                        validation_split=0.25, verbose=0)
    assert "val_priority_loss" in history.history
    predictions = model.predict({"title": title, "body": body, "tags": tags}, verbose=0)
    assert [p.shape for p in predictions] == [(64, 1), (64, 4)]


def test_toy_resnet(rng):
    inputs = ndgrad.Input(shape=(16, 16, 3), name="img")
    x = layers.Conv2D(8, 3, activation="relu")(inputs)
    x = layers.Conv2D(16, 3, activation="relu")(x)
    block_1_output = layers.MaxPooling2D(3)(x)
    x = layers.Conv2D(16, 3, activation="relu", padding="same")(block_1_output)
    x = layers.Conv2D(16, 3, activation="relu", padding="same")(x)
    block_2_output = layers.add([x, block_1_output])
    x = layers.Conv2D(16, 3, activation="relu", padding="same")(block_2_output)
    x = layers.Conv2D(16, 3, activation="relu", padding="same")(x)
    block_3_output = layers.add([x, block_2_output])
    x = layers.Conv2D(16, 3, activation="relu")(block_3_output)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dense(32, activation="relu")(x)
    x = layers.Dropout(0.5)(x)
    outputs = layers.Dense(10)(x)
    model = ndgrad.Model(inputs, outputs, name="toy_resnet")
    text = model.summary(print_fn=None)
    assert "add (Add)" in text and "max_pooling2d[0][0]" in text
    images = rng.random((8, 16, 16, 3)).astype("float32")
    by_layer = {layer.name: layer for layer in model.layers}
    h = ndgrad.tensor(images)
    for name in ("conv2d", "conv2d_1", "max_pooling2d"):
        h = by_layer[name](h)
    h2 = by_layer["add"]([by_layer["conv2d_3"](by_layer["conv2d_2"](h)), h])
    h3 = by_layer["add_1"]([by_layer["conv2d_5"](by_layer["conv2d_4"](h2)), h2])
    out = by_layer["dense_1"](by_layer["dense"](by_layer["global_average_pooling2d"](
        by_layer["conv2d_6"](h3))))
    assert _close(model.predict(images, verbose=0), out.detach().numpy(), atol=1e-4)
    labels = np.eye(10, dtype="float32")[rng.integers(0, 10, 8)]
    model.compile(optimizer=ndgrad.optim.RMSprop(1e-3),
                  loss=ndgrad.nn.CrossEntropyLoss(), metrics=["acc"])
    model.fit(images, labels.argmax(1), batch_size=4, epochs=1, validation_split=0.25,
              verbose=0)


def test_shared_embedding_layer():
    shared_embedding = layers.Embedding(100, 8)
    text_input_a = ndgrad.Input(shape=(None,), dtype="int32")
    text_input_b = ndgrad.Input(shape=(None,), dtype="int32")
    encoded_input_a = shared_embedding(text_input_a)
    encoded_input_b = shared_embedding(text_input_b)
    model = ndgrad.Model([text_input_a, text_input_b], [encoded_input_a, encoded_input_b])
    assert len(shared_embedding._inbound_nodes) == 2
    assert len(model.trainable_variables) == 1
    a, b = np.array([[1, 2, 3]]), np.array([[3, 2]])
    out_a, out_b = model([a, b])
    assert _close(out_a[0, 2], out_b[0, 0])
    text = model.summary(print_fn=None)
    assert "input_layer" in text.split("embedding")[1]      # both calls connected


def test_extract_and_reuse_nodes(rng):
    model = _mnist_model()
    features_list = [layer.output for layer in model.layers]
    feat_extraction_model = ndgrad.Model(inputs=model.input, outputs=features_list)
    x = rng.random((2, 784)).astype("float32")
    extracted = feat_extraction_model(x)
    assert [f.shape for f in extracted] == [(2, 784), (2, 64), (2, 64), (2, 10)]
    assert _close(extracted[-1], model(x))


class CustomDense(layers.Layer):
    def __init__(self, units=32):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                 initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="random_normal",
                                 trainable=True)

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b


class CustomDenseWithConfig(CustomDense):
    def get_config(self):
        return {"units": self.units}


def test_custom_layers(rng, tmp_path):
    inputs = ndgrad.Input((4,))
    outputs = CustomDense(10)(inputs)
    model = ndgrad.Model(inputs, outputs)
    x = rng.random((3, 4)).astype("float32")
    dense = model.layers[1]
    assert _close(model(x), x @ _array(dense.w) + _array(dense.b))

    inputs = ndgrad.Input((4,))
    model = ndgrad.Model(inputs, CustomDenseWithConfig(10)(inputs))
    config = model.get_config()
    new_model = ndgrad.Model.from_config(config,
                                         custom_objects={"CustomDenseWithConfig":
                                                         CustomDenseWithConfig})
    assert new_model.layers[1].w.shape == (4, 10)
    path = os.path.join(tmp_path, "custom.keras")
    model.save(path)
    with pytest.raises(ValueError, match="custom_objects"):
        models.load_model(path)
    loaded = saving.load_model(path, custom_objects={"CustomDenseWithConfig":
                                                     CustomDenseWithConfig})
    assert _close(loaded(x), model(x))


def test_mix_and_match_styles(rng):
    units, timesteps, input_dim = 8, 5, 3
    inputs = ndgrad.Input((None, units))
    x = layers.GlobalAveragePooling1D()(inputs)
    functional = ndgrad.Model(inputs, layers.Dense(1)(x))

    class CustomRNN(layers.Layer):
        def __init__(self, classifier):
            super().__init__()
            self.units = units
            self.projection_1 = layers.Dense(units=units, activation="tanh")
            self.projection_2 = layers.Dense(units=units, activation="tanh")
            self.classifier = classifier

        def call(self, inputs):
            outputs = []
            state = ndgrad.zeros((inputs.shape[0], self.units))
            for t in range(inputs.shape[1]):
                h = self.projection_1(inputs[:, t, :])
                y = h + self.projection_2(state)
                state = y
                outputs.append(y)
            return self.classifier(ndgrad.stack(outputs, axis=1))

    rnn_model = CustomRNN(functional)
    assert rnn_model(ndgrad.zeros((1, timesteps, input_dim))).shape == (1, 1)

    # A static batch size through batch_shape, as the guide's last example.
    inputs = ndgrad.Input(batch_shape=(4, timesteps, input_dim))
    x = layers.Conv1D(units, 3)(inputs)
    custom = CustomRNN(layers.Dense(1))
    model = ndgrad.Model(inputs, custom(x))
    assert model.output_shape == (4, 3, 1)
    data = rng.random((4, timesteps, input_dim)).astype("float32")
    assert _close(model(data), custom(model.layers[1](ndgrad.tensor(data))))
