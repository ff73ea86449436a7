"""get_config / from_config for the built-in layers of both faces and for user layers."""

import inspect
import json

import numpy as np
import pytest

import ndgrad
from ndgrad import layers as L
from ndgrad import nn
from ndgrad.nn.serialization import deserialize_object, serialize_object

# Layers whose __init__ needs arguments: (make, input shape of one call, integer input)
MADE = [
    (lambda: L.Dense(3, activation="relu", kernel_initializer=ndgrad.nn.initializers.HeNormal(
        seed=1), name="dense_config"), (2, 4), False),
    (lambda: L.Activation("softmax"), (2, 4), False),
    (lambda: L.BatchNormalization(momentum=0.9, epsilon=1e-4), (2, 4), False),
    (lambda: L.Conv1D(4, 3, strides=2, padding="same", activation="tanh"), (2, 9, 3), False),
    (lambda: L.Conv2D(4, (3, 2), dilation_rate=(1, 2), use_bias=False), (2, 7, 7, 3), False),
    (lambda: L.Dropout(0.3, noise_shape=(None, 1), seed=3), (2, 4), False),
    (lambda: L.Embedding(10, 4, embeddings_initializer="uniform"), (2, 5), True),
    (lambda: L.GRU(4, return_sequences=True, go_backwards=True), (2, 5, 3), False),
    (lambda: L.LSTM(4, return_state=True, recurrent_dropout=0.0), (2, 5, 3), False),
    (lambda: L.SimpleRNN(4, activation="relu"), (2, 5, 3), False),
    (lambda: L.LayerNormalization(axis=-1, epsilon=1e-5), (2, 4), False),
    (lambda: L.LeakyReLU(negative_slope=0.2), (2, 4), False),
    (lambda: L.MaxPooling1D(3, strides=1), (2, 6, 3), False),
    (lambda: L.AveragePooling2D((2, 2), padding="same"), (2, 5, 5, 3), False),
    (lambda: L.GlobalMaxPooling1D(keepdims=True), (2, 5, 3), False),
    (lambda: L.Reshape((2, 2)), (2, 4), False),
    (lambda: L.Softmax(axis=1), (2, 4), False),
    (lambda: L.MultiHeadAttention(num_heads=2, key_dim=3), None, False),
    (lambda: L.Concatenate(axis=1), None, False),
    (lambda: L.Dot(axes=(1, 1), normalize=True), None, False),
    (lambda: L.InputLayer(shape=(3,), dtype="int32", name="ids"), None, False),
    (lambda: L.Conv2DTranspose(4, 3, strides=2, output_padding=1), (2, 5, 5, 3), False),
    (lambda: L.Conv1DTranspose(2, 3, padding="same", activation="relu"), (2, 6, 3), False),
    (lambda: L.UpSampling2D((2, 3), interpolation="bilinear"), (2, 3, 3, 2), False),
    (lambda: L.ZeroPadding2D(((1, 2), (0, 1))), (2, 3, 3, 2), False),
    (lambda: L.Cropping2D(((1, 0), (0, 1))), (2, 4, 4, 2), False),
    (lambda: nn.ConvTranspose2d(3, 2, 3, stride=2, output_padding=1), (2, 3, 4, 4), False),
    (lambda: nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True),
     (2, 3, 4, 4), False),
    (lambda: nn.ReplicationPad1d((1, 2)), (2, 3, 4), False),
    (lambda: nn.Linear(4, 3, bias=False), (2, 4), False),
    (lambda: nn.Conv2d(3, 4, 3, stride=2, padding=1), (2, 3, 7, 7), False),
    (lambda: nn.BatchNorm2d(3, momentum=0.2), (2, 3, 4, 4), False),
    (lambda: nn.LSTM(3, 4, num_layers=2, batch_first=True), (2, 5, 3), False),
    (lambda: nn.GRUCell(3, 4), (2, 3), False),
    (lambda: nn.Embedding(10, 4, padding_idx=0), (2, 5), True),
    (lambda: nn.LayerNorm((4,)), (2, 4), False),
    (lambda: nn.GroupNorm(2, 4), (2, 4, 3), False),
    (lambda: nn.MaxPool2d(2), (2, 3, 4, 4), False),
    (lambda: nn.AdaptiveAvgPool2d((2, 2)), (2, 3, 5, 5), False),
    (lambda: nn.Unflatten(1, (2, 2)), (2, 4), False),
    (lambda: nn.Softmax(dim=-1), (2, 4), False),
    (lambda: nn.MultiheadAttention(4, 2, batch_first=True), None, False),
    (lambda: nn.CrossEntropyLoss(label_smoothing=0.1), None, False),
    (lambda: nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 1)), (2, 4), False),
    (lambda: nn.ModuleList([nn.Linear(2, 2), nn.Tanh()]), None, False),
    (lambda: nn.Identity(3, unused="argument"), (2, 4), False),
]


def _round_trip(layer):
    form = json.loads(json.dumps(serialize_object(layer)))
    return deserialize_object(form)


def _run(layer, shape, integer):
    rng = np.random.default_rng(2)
    data = rng.integers(0, 10, shape) if integer else rng.random(shape).astype(np.float32)
    with ndgrad.no_grad():
        out = layer(ndgrad.tensor(data), training=False)
    out = out[0] if isinstance(out, (tuple, list)) else out
    return out.numpy()


@pytest.mark.parametrize("make, shape, integer", MADE, ids=[str(i) for i in range(len(MADE))])
def test_config_round_trip_gives_the_same_layer(make, shape, integer):
    layer = make()
    if shape is not None:
        _run(layer, shape, integer)                 # built, with weights
    clone = _round_trip(layer)
    assert type(clone) is type(layer)
    assert clone.get_config() == layer.get_config()
    assert clone.name == layer.name
    if shape is not None:
        _run(clone, shape, integer)
        clone.load_state_dict(layer.state_dict())
        np.testing.assert_allclose(_run(clone, shape, integer), _run(layer, shape, integer),
                                   rtol=1e-6)


def _no_argument_classes():
    found = []
    for namespace in (L, nn):
        for name in dir(namespace):
            cls = getattr(namespace, name)
            if not (isinstance(cls, type) and issubclass(cls, nn.Module)) or cls in found:
                continue
            parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
            # Masking refuses to be built at all (ndgrad layers take no Keras masks).
            if cls not in (L.InputLayer, L.Masking) and all(
                    p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
                    for p in parameters):
                found.append(cls)
    return found


@pytest.mark.parametrize("cls", _no_argument_classes(), ids=lambda cls: cls.__name__)
def test_every_default_constructible_layer_round_trips(cls):
    try:
        layer = cls()
    except ValueError:
        pytest.skip(f"{cls.__name__} needs arguments after all")
    clone = _round_trip(layer)
    assert type(clone) is cls and clone.get_config() == layer.get_config()


def test_config_holds_constructor_arguments_with_defaults_and_current_state():
    layer = L.Dense(4, name="scores")
    config = layer.get_config()
    assert config["units"] == 4 and config["use_bias"] is True
    assert config["kernel_initializer"] == "glorot_uniform"
    assert (config["name"], config["trainable"], config["dtype"]) == ("scores", True, "float32")
    layer.trainable = False
    assert layer.get_config()["trainable"] is False
    assert L.Dense.from_config(layer.get_config()).trainable is False
    conv = L.Conv2D(8, (3, 3))
    assert conv.get_config()["kernel_size"] == (3, 3)
    assert json.loads(json.dumps(serialize_object(conv)))["config"]["kernel_size"] == {
        "class_name": "__tuple__", "config": {"value": [3, 3]}}


def test_activation_functions_are_saved_by_name():
    assert L.Dense(2, activation=ndgrad.ops.relu).get_config()["activation"] == "relu"
    assert serialize_object(L.Dense(2, activation=ndgrad.ops.relu))["config"]["activation"] \
        == "relu"


class Scale(L.Layer):
    def __init__(self, factor, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.factor, self.offset = factor, offset

    def call(self, inputs):
        return inputs * self.factor + self.offset


class Keeper(L.Layer):
    def __init__(self, table):
        super().__init__()
        self.table = table


class KeeperWithConfig(Keeper):
    def get_config(self):
        config = super().get_config()
        config["table"] = {"kept": True}
        return config

    @classmethod
    def from_config(cls, config):
        config.pop("table")
        return cls(table=object())


def test_user_layers_get_a_config_from_their_constructor():
    layer = Scale(3.0, offset=1.0, name="scale")
    assert layer.get_config() == {"name": "scale", "trainable": True, "dtype": "float32",
                                  "factor": 3.0, "offset": 1.0}
    clone = Scale.from_config(layer.get_config())
    assert (clone.factor, clone.offset, clone.name) == (3.0, 1.0, "scale")
    with pytest.raises(NotImplementedError, match="Keeper.get_config: .*table.*Override"):
        Keeper(object()).get_config()
    config = KeeperWithConfig(object()).get_config()
    assert config["table"] == {"kept": True}
    assert isinstance(KeeperWithConfig.from_config(config), KeeperWithConfig)


def test_from_config_reports_unknown_arguments():
    with pytest.raises(TypeError, match="takes no argument 'colour'"):
        nn.Linear.from_config({"in_features": 2, "out_features": 1, "colour": "red"})
