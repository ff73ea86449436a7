# Follows keras-team/keras-io examples/nlp/text_classification_with_transformer.py
# at commit 1909c6710cd3f5af6401f1176dcee9e26781b4f3
# Written independently for ndgrad's real-programs suite; no code copied.
# Framework import lines (the baseline run swaps back only these):
#   from ndgrad import keras
#   from ndgrad.keras import ops
#   from ndgrad.keras import layers
# Data: keras.datasets.imdb.load_data(num_words=...) ->
#   _offline_data.imdb.load_data(num_words=...) (word-index lists, 0/1 labels).
"""A Transformer block written as a Keras layer classifies movie reviews: a
layer adding token and position embeddings (two Embedding layers, positions
from ops.arange over ops.shape), a layer holding MultiHeadAttention, a
Sequential feed-forward pair, two LayerNormalization and two Dropout layers
with residuals, then GlobalAveragePooling1D, Dropout, Dense(20) and a softmax
Dense(2) in a functional model; Adam, sparse categorical cross-entropy,
accuracy, batch 32, two epochs with validation data.
"""

from ndgrad import keras
from ndgrad.keras import ops
from ndgrad.keras import layers

import _offline_data


class TransformerBlock(layers.Layer):
    """Self-attention and a two-layer feed-forward network, each with dropout,
    a residual connection and layer normalisation."""

    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1):
        super().__init__()
        self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.ffn = keras.Sequential(
            [layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)]
        )
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(rate)
        self.dropout2 = layers.Dropout(rate)

    def call(self, inputs):
        attended = self.dropout1(self.att(inputs, inputs))
        normed = self.layernorm1(inputs + attended)
        transformed = self.dropout2(self.ffn(normed))
        return self.layernorm2(normed + transformed)


class TokenAndPositionEmbedding(layers.Layer):
    """The sum of a learned embedding of each token and one of its position."""

    def __init__(self, maxlen, vocab_size, embed_dim):
        super().__init__()
        self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

    def call(self, x):
        length = ops.shape(x)[-1]
        positions = self.pos_emb(ops.arange(start=0, stop=length, step=1))
        return self.token_emb(x) + positions


vocab_size = 20000  # the most frequent words kept
maxlen = 200  # words kept per review
(x_train, y_train), (x_val, y_val) = _offline_data.imdb.load_data(num_words=vocab_size)
print(len(x_train), "Training sequences")
print(len(x_val), "Validation sequences")
x_train = keras.utils.pad_sequences(x_train, maxlen=maxlen)
x_val = keras.utils.pad_sequences(x_val, maxlen=maxlen)

embed_dim = 32  # size of each token's vector
num_heads = 2  # attention heads
ff_dim = 32  # width of the feed-forward layer inside the block

inputs = layers.Input(shape=(maxlen,))
x = TokenAndPositionEmbedding(maxlen, vocab_size, embed_dim)(inputs)
x = TransformerBlock(embed_dim, num_heads, ff_dim)(x)
x = layers.GlobalAveragePooling1D()(x)  # one vector per review: the mean over positions
x = layers.Dropout(0.1)(x)
x = layers.Dense(20, activation="relu")(x)
x = layers.Dropout(0.1)(x)
outputs = layers.Dense(2, activation="softmax")(x)
model = keras.Model(inputs=inputs, outputs=outputs)

model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=32, epochs=2, validation_data=(x_val, y_val))
