# Follows keras-team/keras examples/keras_io/timeseries/timeseries_classification_transformer.py
# at commit 2588a15440a10de8d0cc10b50c21ede333a2bd01
# Written independently for ndgrad's real-programs suite; no code copied.
# Framework import lines (the baseline run swaps back only these):
#   from ndgrad import keras
#   from ndgrad.keras import layers
# Data: the FordA download folder (raw.githubusercontent.com/hfawaz/cd-diagram) ->
#   _offline_data.ford_a_folder() (FordA-like .tsv files written offline).
"""A Transformer encoder classifies time series (UCR FordA): four blocks of
MultiHeadAttention, Dropout, LayerNormalization and a Conv1D feed-forward
pair with residuals, GlobalAveragePooling1D over the channels, a Dense and
Dropout head; Adam(1e-4), sparse categorical cross-entropy and accuracy,
EarlyStopping(patience=10, restore_best_weights=True), validation_split=0.2,
up to 150 epochs of batch 64, then evaluate on the test file.
"""

import numpy as np

from ndgrad import keras
from ndgrad.keras import layers

import _offline_data


def read_ucr_file(path):
    """A UCR archive file -> (series (N, T) float, labels (N,) int): the first
    column holds the label, the rest the series."""
    table = np.loadtxt(path, delimiter="\t")
    return table[:, 1:], table[:, 0].astype(int)


folder = _offline_data.ford_a_folder()
train_series, train_labels = read_ucr_file(folder + "FordA_TRAIN.tsv")
test_series, test_labels = read_ucr_file(folder + "FordA_TEST.tsv")

# One feature per time step: (N, T) -> (N, T, 1).
train_series = train_series.reshape((train_series.shape[0], train_series.shape[1], 1))
test_series = test_series.reshape((test_series.shape[0], test_series.shape[1], 1))

class_count = len(np.unique(train_labels))

order = np.random.permutation(len(train_series))
train_series = train_series[order]
train_labels = train_labels[order]

# Classes -1 and 1 become 0 and 1 for the sparse cross-entropy.
train_labels[train_labels == -1] = 0
test_labels[test_labels == -1] = 0


def encoder_block(inputs, head_size, num_heads, ff_dim, dropout=0):
    """Self-attention then a position-wise feed-forward pair, each followed by
    dropout, layer normalisation and a residual connection."""
    attended = layers.MultiHeadAttention(key_dim=head_size, num_heads=num_heads,
                                         dropout=dropout)(inputs, inputs)
    attended = layers.Dropout(dropout)(attended)
    attended = layers.LayerNormalization(epsilon=1e-6)(attended)
    residual = attended + inputs

    x = layers.Conv1D(filters=ff_dim, kernel_size=1, activation="relu")(residual)
    x = layers.Dropout(dropout)(x)
    x = layers.Conv1D(filters=inputs.shape[-1], kernel_size=1)(x)
    x = layers.LayerNormalization(epsilon=1e-6)(x)
    return x + residual


def make_classifier(input_shape, head_size, num_heads, ff_dim, num_transformer_blocks,
                    mlp_units, dropout=0, mlp_dropout=0):
    """Encoder blocks, average pooling, then a small MLP with a softmax output."""
    series = keras.Input(shape=input_shape)
    x = series
    for _ in range(num_transformer_blocks):
        x = encoder_block(x, head_size, num_heads, ff_dim, dropout)
    x = layers.GlobalAveragePooling1D(data_format="channels_first")(x)
    for units in mlp_units:
        x = layers.Dense(units, activation="relu")(x)
        x = layers.Dropout(mlp_dropout)(x)
    probabilities = layers.Dense(class_count, activation="softmax")(x)
    return keras.Model(series, probabilities)


model = make_classifier(
    train_series.shape[1:],
    head_size=256,
    num_heads=4,
    ff_dim=4,
    num_transformer_blocks=4,
    mlp_units=[128],
    mlp_dropout=0.4,
    dropout=0.25,
)
model.compile(
    loss="sparse_categorical_crossentropy",
    optimizer=keras.optimizers.Adam(learning_rate=1e-4),
    metrics=["sparse_categorical_accuracy"],
)
model.summary()

early_stopping = keras.callbacks.EarlyStopping(patience=10, restore_best_weights=True)
model.fit(train_series, train_labels, validation_split=0.2, epochs=150, batch_size=64,
          callbacks=[early_stopping])
model.evaluate(test_series, test_labels, verbose=1)
