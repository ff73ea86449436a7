"""An LSTM training step in ndgrad and PyTorch side by side.

``ndgrad.nn.LSTM`` against ``torch.nn.LSTM``: one layer, input 64, hidden 128,
batch-first (batch 32, sequence 32), then a dense layer (128 -> 10) on the
last step's output, cross-entropy, SGD (lr 0.01). Both start from PyTorch's
initial weights (loaded into ndgrad with ``load_state_dict``: same names, same
gate order) and are checked to give the same loss over three steps before
anything is timed. One round is a full training step (zero_grad, forward,
loss, backward through time, step) on a fixed random batch. Target (issue 17): ndgrad /
PyTorch <= 1.0.

Run from the repository root::

    .venv/bin/python bench/lstm.py [--quick]
"""

import sys

import _models

INPUT_SIZE = 64
HIDDEN_SIZE = 128
SEQUENCE = 32
BATCH = 32
TARGET = 1.0


def lstm_pair(input_size=INPUT_SIZE, hidden_size=HIDDEN_SIZE, sequence=SEQUENCE, batch=BATCH):
    """The LSTM classifiers' SGD steps and one random batch of both frameworks' tensors."""
    model, reference = _models.lstm_pair(input_size, hidden_size)
    steps = _models.make_steps(model, reference, "sgd", 0.01)
    data = _models.as_tensors(*_models.random_batch((batch, sequence, input_size)))
    return steps, data


def check_lstm(input_size=INPUT_SIZE, hidden_size=HIDDEN_SIZE, sequence=SEQUENCE, batch=BATCH):
    """The same losses over three SGD steps on one batch; returns them."""
    steps, data = lstm_pair(input_size, hidden_size, sequence, batch)
    return _models.check_steps("lstm", steps, [data] * 3)


def measure_lstm(settings):
    steps, data = lstm_pair()
    _models.check_steps("lstm", steps, [data] * 3)
    title = f"LSTM {INPUT_SIZE}->{HIDDEN_SIZE}, seq {SEQUENCE}, b{BATCH}, SGD: step"
    return _models.step_row("lstm", title, steps, data, settings, TARGET)


ROWS = {"lstm": measure_lstm}
CHECKS = {"lstm": check_lstm}

if __name__ == "__main__":
    import run
    sys.exit(run.main(only=list(ROWS)))
