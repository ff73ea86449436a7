"""Convolutional networks, trained in ndgrad and PyTorch side by side.

- ``cnn``: conv16(3x3)-ReLU-maxpool-conv32(3x3)-ReLU-maxpool-dense10 on
  1x28x28 (PyTorch face, channels first), batch 64, SGD (lr 0.01): one full
  training step on a fixed random batch. Targets (issue 17): ndgrad / PyTorch <= 0.8
  with the numba kernels, <= 1.2 on the default install (NumPy alone).
- ``cnn_numpy``: the same step with ndgrad's optional compiled kernels (numba,
  ``pip install ndgrad[accel]``, which ``make bench`` installs: max pooling
  and convolution's window copies) turned off, so everything runs on NumPy
  alone: what a plain NumPy install gets, and so what numba buys (``cnn`` runs
  them when numba is installed; the title says which).
- ``fashion_cnn``: the model of ``examples/fashion_mnist_cnn.py`` (Keras face,
  channels last: conv16-pool-conv32-pool-dense128-dropout-dense10 softmax),
  compiled as the example does (Adam 1e-3, sparse categorical cross-entropy,
  accuracy), on Fashion-MNIST's training images in file order. ndgrad runs
  ``model.train_step`` per batch (what ``fit`` runs: tape, loss on the softmax
  output, Adam, loss tracker and accuracy); PyTorch the same network in
  channels-first layout with ``CrossEntropyLoss`` on the logits, Adam,
  ``loss.item()`` and the accuracy count. To keep ``make bench`` short, a fixed
  number of batches (200) is timed, in interleaved chunks of 20, and the
  median time per batch is scaled to the epoch's 938 batches; data loading,
  shuffling and validation are not timed. No target in the issue beyond
  reporting it.

Run from the repository root::

    .venv/bin/python bench/cnn.py [--quick]
"""

import contextlib
import math
import sys
import time

import numpy as np
import torch

import _harness
import _models
import ndgrad  # noqa: E402  (after _harness: the checkout's ndgrad)
from ndgrad.ops import _accelerated  # noqa: E402

CNN_BATCH = 64
CNN_TARGET = 0.8
CNN_NUMPY_TARGET = 1.2
FASHION_BATCH = 64
FASHION_TRAIN_SIZE = 60000
FASHION_BATCHES = 200
FASHION_CHUNK = 20


def cnn_pair(batch_size=CNN_BATCH):
    """The small CNN's SGD steps and one random batch of both frameworks' tensors."""
    model, reference = _models.cnn_pair()
    steps = _models.make_steps(model, reference, "sgd", 0.01)
    batch = _models.as_tensors(*_models.random_batch((batch_size, 1, 28, 28)))
    return steps, batch


def check_cnn(batch_size=CNN_BATCH):
    """The same losses over three SGD steps on one batch; returns them."""
    steps, batch = cnn_pair(batch_size)
    return _models.check_steps("cnn", steps, [batch] * 3)


def kernels():
    """What ndgrad's pooling and convolution copies run on now."""
    return "numba kernels" if _accelerated.enabled() else "NumPy only"


def measure_cnn(settings, name="cnn", target=CNN_TARGET):
    steps, batch = cnn_pair()
    _models.check_steps(name, steps, [batch] * 3)
    title = f"CNN conv16-pool-conv32-pool-dense, b64, SGD: step ({kernels()})"
    return _models.step_row(name, title, steps, batch, settings, target)


@contextlib.contextmanager
def numpy_only():
    """ndgrad's optional compiled kernels off inside the block (NumPy alone)."""
    previous = _accelerated.set_enabled(False)
    try:
        yield
    finally:
        _accelerated.set_enabled(previous)


def check_cnn_numpy(batch_size=CNN_BATCH):
    """:func:`check_cnn` with the compiled kernels off."""
    with numpy_only():
        return check_cnn(batch_size)


def measure_cnn_numpy(settings):
    """The ``cnn`` row with the compiled kernels off."""
    with numpy_only():
        return measure_cnn(settings, "cnn_numpy", CNN_NUMPY_TARGET)


# ------------------------------------------------------------------ Fashion-MNIST
def compiled_fashion_pair():
    """The example's model compiled as the example does, its PyTorch twin and Adam."""
    model, reference = _models.fashion_pair()
    model.compile(optimizer=ndgrad.optim.Adam(learning_rate=0.001),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model, reference, torch.optim.Adam(reference.parameters(), lr=0.001)


def channels_first(x):
    """(N, 28, 28, 1) channels-last images as a contiguous (N, 1, 28, 28) torch tensor."""
    return torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))


def check_fashion_cnn(x, y, pair=None):
    """Same loss and gradients (dropout off) on channels-last images ``x``,
    labels ``y``, for ``pair`` (a new ``compiled_fashion_pair()`` by default);
    returns the loss."""
    model, reference, _ = pair or compiled_fashion_pair()
    loss = model.compiled_loss(ndgrad.tensor(y), model(ndgrad.tensor(x), training=False))
    loss.backward()
    reference.eval()
    expected = torch.nn.functional.cross_entropy(reference(channels_first(x)), torch.from_numpy(y))
    expected.backward()
    _harness.check_close("fashion_cnn: loss", np.float32(loss.item()),
                         np.float32(expected.item()))
    theirs = _models.keras_layout({key: parameter.grad
                                   for key, parameter in reference.named_parameters()})
    for key, parameter in model.named_parameters():
        _harness.check_close(f"fashion_cnn: gradient of {key}", parameter.grad.numpy(),
                             theirs[key], rtol=1e-3, atol=1e-5)
    model.zero_grad()
    reference.zero_grad()
    return loss.item()


def load_fashion():
    """Fashion-MNIST's training part (channels last), or ``None`` and the reason."""
    try:
        (x, y), _ = ndgrad.datasets.load_fashion_mnist(layout="channels_last")
    except FileNotFoundError as error:
        return None, f"Fashion-MNIST not found ({str(error).splitlines()[0]})"
    return (x, y), None


def measure_fashion_cnn(settings):
    title = f"Fashion-MNIST CNN (examples/), b64, Adam: epoch ({kernels()})"
    data, why = load_fashion()
    if data is None:
        return _harness.skipped_row("fashion_cnn", title, why)
    x, y = data
    count = FASHION_BATCHES if not settings.quick else 3 * FASHION_CHUNK
    x, y = x[:count * FASHION_BATCH], y[:count * FASHION_BATCH]
    model, reference, optimizer = pair = compiled_fashion_pair()
    check_fashion_cnn(x[:FASHION_BATCH], y[:FASHION_BATCH], pair)
    reference.train()
    starts = range(0, len(y), FASHION_BATCH)
    ours = [(ndgrad.tensor(x[i:i + FASHION_BATCH]), ndgrad.tensor(y[i:i + FASHION_BATCH]))
            for i in starts]
    theirs = [(channels_first(x[i:i + FASHION_BATCH]), torch.from_numpy(y[i:i + FASHION_BATCH]))
              for i in starts]
    cross_entropy = torch.nn.functional.cross_entropy

    def ndgrad_batch(xb, yb):
        model.train_step((xb, yb))

    def torch_batch(xb, yb):
        optimizer.zero_grad()
        logits = reference(xb)
        loss = cross_entropy(logits, yb)
        loss.backward()
        optimizer.step()
        loss.item()
        int((logits.argmax(dim=1) == yb).sum())

    def chunks(run_batch, batches):
        position = {"next": 0}

        def one_chunk():
            start = time.perf_counter()
            for _ in range(FASHION_CHUNK):
                run_batch(*batches[position["next"]])
                position["next"] = (position["next"] + 1) % len(batches)
            return {"batch": (time.perf_counter() - start) / FASHION_CHUNK}

        return one_chunk

    rounds = len(ours) // FASHION_CHUNK
    samples = _harness.run_interleaved({"ndgrad": chunks(ndgrad_batch, ours),
                                        "torch": chunks(torch_batch, theirs)},
                                       rounds=rounds, warmup=1, pause=_harness.PAUSE)
    per_batch = {side: value["batch"] for side, value in _harness.medians(samples).items()}
    batches_per_epoch = math.ceil(FASHION_TRAIN_SIZE / FASHION_BATCH)
    seconds = {side: value * batches_per_epoch for side, value in per_batch.items()}
    notes = [f"extrapolated: median ms per batch (ndgrad {per_batch['ndgrad'] * 1e3:.2f}, "
             f"PyTorch {per_batch['torch'] * 1e3:.2f}) over {rounds} interleaved chunks of "
             f"{FASHION_CHUNK} batches, times {batches_per_epoch} batches; ndgrad runs "
             "model.train_step, data loading and validation untimed"]
    return _harness.make_row(
        "fashion_cnn", title, "s/epoch", seconds["ndgrad"], seconds["torch"], None, notes=notes,
        details={"ms_per_batch": {side: value * 1e3 for side, value in per_batch.items()},
                 "timed_batches": rounds * FASHION_CHUNK, "chunk": FASHION_CHUNK,
                 "batches_per_epoch": batches_per_epoch, "extrapolated": True})


ROWS = {"cnn": measure_cnn, "cnn_numpy": measure_cnn_numpy, "fashion_cnn": measure_fashion_cnn}
CHECKS = {"cnn": check_cnn, "cnn_numpy": check_cnn_numpy, "fashion_cnn": check_fashion_cnn}

if __name__ == "__main__":
    import run
    sys.exit(run.main(only=list(ROWS)))
