"""A small MLP trained with Adam on a shuffled DataLoader, shared by
test_resume.py; run as a script, it resumes a checkpoint in a fresh process:

    python training_run.py CHECKPOINT EPOCHS_IN_TOTAL WEIGHTS_OUT
"""

import sys

import numpy as np

import ndgrad
from ndgrad.data import DataLoader, TensorDataset
from ndgrad.io import load_checkpoint, save_weights


def make_run(seed=1, lr=0.01):
    """Model (with dropout, so the random state matters), optimizer, loader."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(96, 8)).astype(np.float32)
    y = (x[:, :3].sum(axis=1) > 0).astype(np.int64)
    ndgrad.random.seed(seed)
    model = ndgrad.nn.Sequential(ndgrad.nn.Linear(8, 16), ndgrad.nn.ReLU(),
                                 ndgrad.nn.Dropout(0.25), ndgrad.nn.Linear(16, 2))
    optimizer = ndgrad.optim.Adam(model.parameters(), lr=lr)
    # seed=None: the loader draws its seed from ndgrad.random, as fit() does.
    loader = DataLoader(TensorDataset(x, y), batch_size=16, shuffle=True)
    return model, optimizer, loader


def train(model, optimizer, loader, epochs):
    """Plain PyTorch-style loop: full passes over the loader."""
    loss_function = ndgrad.nn.CrossEntropyLoss()
    model.train()
    for _ in range(epochs):
        for inputs, targets in loader:
            optimizer.zero_grad()
            loss_function(model(inputs), targets).backward()
            optimizer.step()


def resume(checkpoint, total_epochs, weights_out):
    """Load the checkpoint into a fresh run, train to ``total_epochs``, save the weights."""
    # A different seed and learning rate on purpose: the checkpoint must
    # restore the weights, Adam's state and lr, the data order and the RNG.
    model, optimizer, loader = make_run(seed=12345, lr=0.5)
    saved = load_checkpoint(checkpoint, model, optimizer)
    loader.load_state_dict(saved["extra"]["loader"])
    train(model, optimizer, loader, total_epochs - saved["epoch"])
    save_weights(model, weights_out)


if __name__ == "__main__":
    resume(sys.argv[1], int(sys.argv[2]), sys.argv[3])
