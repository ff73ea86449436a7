# Follows keras-team/keras examples/keras_io/nlp/bidirectional_lstm_imdb.py
# at commit 2588a15440a10de8d0cc10b50c21ede333a2bd01
# Written independently for ndgrad's real-programs suite; no code copied.
# Framework import lines (the baseline run swaps back only these):
#   from ndgrad import keras
#   from ndgrad.keras import layers
# Data: keras.datasets.imdb.load_data(num_words=...) ->
#   _offline_data.imdb.load_data(num_words=...) (word-index lists, 0/1 labels).
"""Two stacked bidirectional LSTMs classify movie reviews: an int32 Input of any
length, Embedding(20000, 128), Bidirectional(LSTM(64)) twice, a sigmoid Dense;
reviews padded or cut to 200 words; Adam, binary cross-entropy, accuracy,
batch 32, two epochs with validation data.
"""

from ndgrad import keras
from ndgrad.keras import layers

import _offline_data

VOCABULARY_SIZE = 20000  # the most frequent words kept
REVIEW_LENGTH = 200  # words kept per review

words = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(VOCABULARY_SIZE, 128)(words)
x = layers.Bidirectional(layers.LSTM(64, return_sequences=True))(x)
x = layers.Bidirectional(layers.LSTM(64))(x)
positive = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(words, positive)
model.summary()

(train_reviews, train_labels), (val_reviews, val_labels) = _offline_data.imdb.load_data(
    num_words=VOCABULARY_SIZE
)
print(len(train_reviews), "Training sequences")
print(len(val_reviews), "Validation sequences")
train_reviews = keras.utils.pad_sequences(train_reviews, maxlen=REVIEW_LENGTH)
val_reviews = keras.utils.pad_sequences(val_reviews, maxlen=REVIEW_LENGTH)

model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(train_reviews, train_labels, batch_size=32, epochs=2,
          validation_data=(val_reviews, val_labels))
