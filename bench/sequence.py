"""Sequence models, trained in ndgrad and PyTorch side by side (issue 17).

- ``lstm_lm``: the LSTM language model of pytorch/examples'
  word_language_model at the sizes the issue names: embedding 128 (vocabulary
  10,000), one LSTM layer of hidden 256, sequence-first input (sequence 35,
  batch 20), a decoder ``Linear(256, 10000)`` on every step, cross-entropy
  over the 700 next-word predictions, SGD (lr 0.01). Dropout is left out (the
  two sides could not be checked against each other with it). Target: ndgrad
  / PyTorch <= 1.0.
- ``transformer_block``: one ``nn.TransformerEncoderLayer`` on both sides
  (d_model 64, 4 heads, feed-forward 256, ReLU, post-norm, dropout 0 so that
  both compute the same loss), batch-first input (batch 32, sequence 64),
  mean over the sequence, ``Linear(64, 10)``, cross-entropy, SGD (lr 0.01).
  Target <= 1.0.

Both start from PyTorch's initial weights (``load_state_dict``) and are
checked to give the same loss over three steps before anything is timed; a
round is a full training step (zero_grad, forward, loss, backward, step) on
one fixed random batch.

Run from the repository root::

    .venv/bin/python bench/sequence.py [--quick]
"""

import sys

import numpy as np
import torch

import _harness  # noqa: F401  (first: puts the checkout's ndgrad on the path)
import _models
import ndgrad  # noqa: E402

VOCABULARY = 10000
EMBEDDING = 128
LM_HIDDEN = 256
LM_SEQUENCE = 35
LM_BATCH = 20
LM_TARGET = 1.0

D_MODEL = 64
HEADS = 4
FEED_FORWARD = 256
BLOCK_SEQUENCE = 64
BLOCK_BATCH = 32
BLOCK_TARGET = 1.0


# ------------------------------------------------------------------ LSTM language model
def _language_model(nn, base, vocabulary, embedding, hidden):
    class LanguageModel(base):
        """Embedding, LSTM, decoder on every step; logits as (sequence x batch, vocabulary)."""

        def __init__(self):
            super().__init__()
            self.encoder = nn.Embedding(vocabulary, embedding)
            self.rnn = nn.LSTM(embedding, hidden)
            self.decoder = nn.Linear(hidden, vocabulary)

        def forward(self, tokens):
            output, _ = self.rnn(self.encoder(tokens))
            return self.decoder(output).reshape(-1, vocabulary)

    return LanguageModel()


def lm_pair(vocabulary=VOCABULARY, embedding=EMBEDDING, hidden=LM_HIDDEN, sequence=LM_SEQUENCE,
            batch=LM_BATCH):
    """The language models' SGD steps and one batch of tokens and next tokens."""
    reference = _language_model(torch.nn, torch.nn.Module, vocabulary, embedding, hidden)
    model = _language_model(ndgrad.nn, ndgrad.nn.Module, vocabulary, embedding, hidden)
    model.load_state_dict(reference.state_dict())
    steps = _models.make_steps(model, reference, "sgd", 0.01)
    generator = np.random.default_rng(0)
    tokens = generator.integers(0, vocabulary, (sequence + 1, batch)).astype(np.int64)
    data = _models.as_tensors(tokens[:-1], tokens[1:].reshape(-1))
    return steps, data


def check_lstm_lm(**sizes):
    """The same losses over three SGD steps on one batch; returns them."""
    steps, data = lm_pair(**sizes)
    return _models.check_steps("lstm_lm", steps, [data] * 3)


def measure_lstm_lm(settings):
    steps, data = lm_pair()
    _models.check_steps("lstm_lm", steps, [data] * 3)
    title = (f"LSTM LM emb{EMBEDDING}-h{LM_HIDDEN}-V{VOCABULARY}, seq {LM_SEQUENCE}, "
             f"b{LM_BATCH}, SGD: step")
    return _models.step_row("lstm_lm", title, steps, data, settings, LM_TARGET, rounds=20)


# ------------------------------------------------------------------ transformer encoder block
def _encoder_classifier(nn, base, d_model, heads, feed_forward, classes):
    class EncoderClassifier(base):
        """One encoder layer (batch first, dropout 0), mean over the sequence, a dense head."""

        def __init__(self):
            super().__init__()
            self.block = nn.TransformerEncoderLayer(d_model, heads, dim_feedforward=feed_forward,
                                                    dropout=0.0, batch_first=True)
            self.head = nn.Linear(d_model, classes)

        def forward(self, x):
            return self.head(self.block(x).mean(1))

    return EncoderClassifier()


def block_pair(d_model=D_MODEL, heads=HEADS, feed_forward=FEED_FORWARD, sequence=BLOCK_SEQUENCE,
               batch=BLOCK_BATCH):
    """The encoder classifiers' SGD steps and one random batch."""
    reference = _encoder_classifier(torch.nn, torch.nn.Module, d_model, heads, feed_forward, 10)
    model = _encoder_classifier(ndgrad.nn, ndgrad.nn.Module, d_model, heads, feed_forward, 10)
    model.load_state_dict(reference.state_dict())
    steps = _models.make_steps(model, reference, "sgd", 0.01)
    data = _models.as_tensors(*_models.random_batch((batch, sequence, d_model)))
    return steps, data


def check_transformer_block(**sizes):
    """The same losses over three SGD steps on one batch; returns them."""
    steps, data = block_pair(**sizes)
    return _models.check_steps("transformer_block", steps, [data] * 3)


def measure_transformer_block(settings):
    steps, data = block_pair()
    _models.check_steps("transformer_block", steps, [data] * 3)
    title = (f"TransformerEncoderLayer d{D_MODEL} h{HEADS} ff{FEED_FORWARD}, seq "
             f"{BLOCK_SEQUENCE}, b{BLOCK_BATCH}, SGD: step")
    return _models.step_row("transformer_block", title, steps, data, settings, BLOCK_TARGET)


ROWS = {"lstm_lm": measure_lstm_lm, "transformer_block": measure_transformer_block}
CHECKS = {"lstm_lm": check_lstm_lm, "transformer_block": check_transformer_block}

if __name__ == "__main__":
    import run
    sys.exit(run.main(only=list(ROWS)))
