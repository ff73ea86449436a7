"""Recurrent and attention layers beyond the harness, exported and run in ONNX Runtime:
bidirectional and stacked LSTM/GRU/RNN, given initial states, Keras' recurrent
layers going backwards, MultiheadAttention (with and without a batch axis first),
Keras' MultiHeadAttention, and a Transformer encoder stack."""

import numpy as np
import pytest

import ndgrad
from ndgrad import keras, layers, nn
from tests.onnx._runtime import assert_matches, export_bytes


def _x(shape, seed):
    return np.random.default_rng(seed).normal(size=shape).astype(np.float32)


class FirstOutput(nn.Module):
    """The layer's outputs flattened to a tuple of tensors (ONNX has no nesting)."""

    def __init__(self, layer, self_attention=False):
        super().__init__()
        self.layer = layer
        self.self_attention = self_attention

    def forward(self, x):
        result = self.layer(x, x, x) if self.self_attention else self.layer(x)
        flat = []
        for item in result if isinstance(result, (tuple, list)) else (result,):
            if isinstance(item, (tuple, list)):
                flat.extend(item)
            elif item is not None:
                flat.append(item)
        return tuple(flat)


CASES = {
    "LSTM-bidirectional-stacked": (lambda: nn.LSTM(3, 4, num_layers=2, bidirectional=True),
                                   (5, 2, 3), 1),
    "LSTM-batch-first-no-bias": (lambda: nn.LSTM(3, 4, batch_first=True, bias=False),
                                 (2, 5, 3), 0),
    "GRU-bidirectional": (lambda: nn.GRU(3, 4, bidirectional=True), (5, 2, 3), 1),
    "GRU-stacked-batch-first": (lambda: nn.GRU(3, 4, num_layers=2, batch_first=True),
                                (2, 5, 3), 0),
    "RNN-relu-bidirectional": (lambda: nn.RNN(3, 4, nonlinearity="relu", bidirectional=True),
                               (5, 2, 3), 1),
    "LSTM-keras-backwards": (lambda: layers.LSTM(4, go_backwards=True, return_state=True),
                             (2, 5, 3), 0),
    "GRU-keras-reset-before": (lambda: layers.GRU(4, reset_after=False, return_sequences=True),
                               (2, 5, 3), 0),
    "SimpleRNN-keras": (lambda: layers.SimpleRNN(4, return_sequences=True), (2, 5, 3), 0),
    "Bidirectional-keras": (lambda: layers.Bidirectional(layers.LSTM(4, return_sequences=True)),
                            (2, 5, 3), 0),
    "TransformerEncoder": (lambda: nn.TransformerEncoder(nn.TransformerEncoderLayer(
        8, 2, 16, 0.1, activation="gelu", batch_first=True), 2), (2, 5, 8), 0),
}

REFUSED = {}


@pytest.mark.parametrize("name", sorted(CASES))
def test_sequence_layer_matches_onnxruntime(name):
    make, shape, batch_axis = CASES[name]
    model = FirstOutput(make())
    model(ndgrad.tensor(_x(shape, 0)))
    if name in REFUSED:
        with pytest.raises(ndgrad.onnx.UnsupportedOpError, match=REFUSED[name]):
            export_bytes(model, (_x(shape, 0),))
        return
    data = export_bytes(model, (_x(shape, 0),), dynamic_axes={"input": {0: "n"}})
    assert_matches(model, [_x(shape, 1)], data, name)
    longer = list(shape)
    longer[0] += 2                 # axis 0: the batch, or the time of a time-major sequence
    assert_matches(model, [_x(tuple(longer), 2)], data, name + " (axis 0 + 2)")


@pytest.mark.parametrize("batch_first", [False, True])
def test_multihead_attention(batch_first):
    model = FirstOutput(nn.MultiheadAttention(8, 2, batch_first=batch_first),
                        self_attention=True)
    shape = (2, 5, 8) if batch_first else (5, 2, 8)
    model(ndgrad.tensor(_x(shape, 0)))
    data = export_bytes(model, (_x(shape, 0),), dynamic_axes={"input": [0]})
    assert_matches(model, [_x(shape, 1)], data, f"MultiheadAttention bf={batch_first}")


def test_keras_multi_head_attention_model():
    inputs = keras.Input(shape=(5, 8))
    attended = layers.MultiHeadAttention(num_heads=2, key_dim=4)(inputs, inputs)
    normed = layers.LayerNormalization()(layers.Add()([inputs, attended]))
    outputs = layers.Dense(3)(layers.GlobalAveragePooling1D()(normed))
    model = keras.Model(inputs, outputs)
    model(_x((2, 5, 8), 0))
    data = export_bytes(model, (_x((2, 5, 8), 0),), dynamic_axes={"input": [0]})
    assert_matches(model, [_x((2, 5, 8), 1)], data, "keras MultiHeadAttention")
    assert_matches(model, [_x((4, 5, 8), 2)], data, "keras MultiHeadAttention (batch 4)")


class TokenAndPosition(keras.layers.Layer):
    """Keras' text-classification example: token embedding plus position embedding."""

    def __init__(self, length, vocabulary, width):
        super().__init__()
        self.tokens = layers.Embedding(vocabulary, width)
        self.positions = layers.Embedding(length, width)

    def call(self, x):
        positions = keras.ops.arange(0, x.shape[-1], 1)
        return self.tokens(x) + self.positions(positions)


def test_keras_text_classification_transformer_with_token_inputs():
    inputs = keras.Input(shape=(6,), dtype="int64")
    embedded = TokenAndPosition(6, 20, 8)(inputs)
    attended = layers.MultiHeadAttention(num_heads=2, key_dim=8)(embedded, embedded)
    block = layers.LayerNormalization(epsilon=1e-6)(layers.Add()([embedded, attended]))
    pooled = layers.GlobalAveragePooling1D()(block)
    outputs = layers.Dense(2, activation="softmax")(layers.Dropout(0.1)(pooled))
    model = keras.Model(inputs, outputs)
    tokens = np.random.default_rng(0).integers(0, 20, (3, 6))
    model(tokens)
    data = export_bytes(model, (tokens,), dynamic_axes={"input": [0]})
    assert_matches(model, [np.random.default_rng(1).integers(0, 20, (3, 6))], data, "text")
    assert_matches(model, [np.random.default_rng(2).integers(0, 20, (7, 6))], data, "text b7")


class _AttentionWithoutWeights(nn.Module):
    """MultiheadAttention's fused path (need_weights=False): self-attention on the
    packed projection, or attention to other keys and values (separate ones)."""

    def __init__(self, batch_first, cross):
        super().__init__()
        self.attention = nn.MultiheadAttention(8, 2, batch_first=batch_first)
        self.cross = cross

    def forward(self, x):
        key, value = (x * 2.0, x + 1.0) if self.cross else (x, x)
        return self.attention(x, key, value, need_weights=False)[0]


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("cross", [False, True])
def test_fused_attention_exports(batch_first, cross):
    model = _AttentionWithoutWeights(batch_first, cross)
    shape = (2, 5, 8) if batch_first else (5, 2, 8)
    recorded = model(ndgrad.tensor(_x(shape, 0)))
    assert recorded.shape == shape
    data = export_bytes(model, (_x(shape, 0),), dynamic_axes={"input": [0]})
    assert_matches(model, [_x(shape, 1)], data, f"fused attention bf={batch_first}")


def test_transformer_decoder_layer_exports():
    class Decoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.layer = nn.TransformerDecoderLayer(8, 2, 16, 0.0, batch_first=True)

        def forward(self, x):
            return self.layer(x, x * 0.5, tgt_is_causal=True,
                              tgt_mask=nn.Transformer.generate_square_subsequent_mask(5))

    model = Decoder()
    model(ndgrad.tensor(_x((2, 5, 8), 0)))
    data = export_bytes(model, (_x((2, 5, 8), 0),), dynamic_axes={"input": [0]})
    assert_matches(model, [_x((3, 5, 8), 1)], data, "TransformerDecoderLayer")
