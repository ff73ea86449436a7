"""The networks the benchmarks train, built twice (ndgrad and PyTorch) with the
same initial weights, and the training steps that drive them.

PyTorch initializes every pair; its weights are copied into ndgrad (through
``load_state_dict``, or into the Keras layouts for the Fashion-MNIST model),
so both sides start from the same float32 numbers.

A *step* is a function ``step(x, y)`` taking one batch of the framework's own
tensors; it runs the PyTorch-style loop (``zero_grad``, forward, cross-entropy,
``backward``, ``optimizer.step()``) and returns ``(loss, phases)``, the phases
being seconds of ``forward`` (zero_grad, forward and loss), ``backward``,
``step`` and their sum ``total``.
"""

import importlib.util
import os

import numpy as np
import torch

import _harness
import ndgrad  # noqa: E402  (after _harness: the checkout's ndgrad)

# ------------------------------------------------------------------ multilayer perceptrons


def torch_mlp(sizes):
    """Linear-ReLU-...-Linear through ``sizes`` (in, hidden..., out), PyTorch."""
    layers = []
    for index, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(torch.nn.Linear(fan_in, fan_out))
        if index < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def ndgrad_mlp(sizes):
    """The same network in ndgrad (its own initialization)."""
    layers = []
    for index, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(ndgrad.nn.Linear(fan_in, fan_out))
        if index < len(sizes) - 2:
            layers.append(ndgrad.nn.ReLU())
    return ndgrad.nn.Sequential(*layers)


def mlp_pair(sizes):
    """``(ndgrad model, torch model)``: the MLP with PyTorch's initial weights in both."""
    reference = torch_mlp(sizes)
    model = ndgrad_mlp(sizes)
    model.load_state_dict(reference.state_dict())
    return model, reference


# ------------------------------------------------------------------ small CNN (PyTorch face)
def cnn_pair():
    """conv16(3x3)-ReLU-maxpool-conv32(3x3)-ReLU-maxpool-dense10 on 1x28x28."""
    def build(nn):
        return nn.Sequential(nn.Conv2d(1, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Conv2d(16, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Flatten(), nn.Linear(32 * 5 * 5, 10))
    reference = build(torch.nn)
    model = build(ndgrad.nn)
    model.load_state_dict(reference.state_dict())
    return model, reference


# ------------------------------------------------------------------ LSTM classifier
def _lstm_classifier(nn, base, input_size, hidden_size, classes):
    class LSTMClassifier(base):
        """A batch-first LSTM, then a dense layer on the last step's output."""

        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(input_size, hidden_size, batch_first=True)
            self.head = nn.Linear(hidden_size, classes)

        def forward(self, x):
            output, _ = self.lstm(x)
            return self.head(output[:, -1])

    return LSTMClassifier()


def lstm_pair(input_size, hidden_size, classes=10):
    """``(ndgrad, torch)`` LSTM classifiers with the same weights."""
    reference = _lstm_classifier(torch.nn, torch.nn.Module, input_size, hidden_size, classes)
    model = _lstm_classifier(ndgrad.nn, ndgrad.nn.Module, input_size, hidden_size, classes)
    model.load_state_dict(reference.state_dict())
    return model, reference


# ------------------------------------------------------------------ the Fashion-MNIST example's CNN
def fashion_example_model():
    """``build_model()`` of ``examples/fashion_mnist_cnn.py`` (Keras face, channels last)."""
    path = os.path.join(_harness.REPO_ROOT, "examples", "fashion_mnist_cnn.py")
    spec = importlib.util.spec_from_file_location("fashion_mnist_cnn_example", path)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    return example.build_model()


def torch_fashion_model():
    """The example's network in PyTorch (channels first; softmax left to the loss)."""
    nn = torch.nn
    return nn.Sequential(nn.Conv2d(1, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(32 * 5 * 5, 128), nn.ReLU(), nn.Dropout(0.3),
                         nn.Linear(128, 10))


def keras_layout(torch_state):
    """PyTorch's Fashion-MNIST state in the Keras model's names and layouts.

    Conv kernels go from (out, in, kh, kw) to (kh, kw, in, out); dense kernels
    are transposed; the first dense kernel's rows are also reordered, because
    Keras flattens (h, w, c) feature maps where PyTorch flattens (c, h, w).
    """
    def array(key):
        return torch_state[key].detach().numpy()

    first_dense = array("7.weight").reshape(128, 32, 5, 5).transpose(2, 3, 1, 0)
    return {"0.kernel": array("0.weight").transpose(2, 3, 1, 0), "0.bias": array("0.bias"),
            "2.kernel": array("3.weight").transpose(2, 3, 1, 0), "2.bias": array("3.bias"),
            "5.kernel": first_dense.reshape(800, 128), "5.bias": array("7.bias"),
            "7.kernel": array("10.weight").T, "7.bias": array("10.bias")}


def fashion_pair():
    """``(ndgrad Keras model, torch model)`` with the same weights."""
    reference = torch_fashion_model()
    model = fashion_example_model()
    model.load_state_dict({key: np.ascontiguousarray(value)
                           for key, value in keras_layout(reference.state_dict()).items()})
    return model, reference


# ------------------------------------------------------------------ training steps
def optimizers(model, reference, name, learning_rate):
    """The same optimizer (``"sgd"`` or ``"adam"``, default settings) for both."""
    if name == "sgd":
        return (ndgrad.optim.SGD(model.parameters(), lr=learning_rate),
                torch.optim.SGD(reference.parameters(), lr=learning_rate))
    if name == "adam":
        return (ndgrad.optim.Adam(model.parameters(), lr=learning_rate),
                torch.optim.Adam(reference.parameters(), lr=learning_rate))
    raise ValueError(f"optimizers: unknown optimizer {name!r}; use 'sgd' or 'adam'")


def make_step(lib, model, optimizer):
    """``step(x, y) -> (loss, phases)``: one PyTorch-style training step."""
    cross_entropy = lib.nn.functional.cross_entropy

    def step(x, y):
        mark, result = _harness.phase_timer()
        optimizer.zero_grad()
        loss = cross_entropy(model(x), y)
        mark("forward")
        loss.backward()
        mark("backward")
        optimizer.step()
        mark("step")
        return loss, result("total")

    return step


def make_steps(model, reference, optimizer_name, learning_rate):
    """``{"ndgrad": step, "torch": step}`` for a model pair."""
    ours, theirs = optimizers(model, reference, optimizer_name, learning_rate)
    return {"ndgrad": make_step(ndgrad, model, ours), "torch": make_step(torch, reference, theirs)}


def as_tensors(x, y):
    """The batch as each framework's tensors: ``{"ndgrad": (x, y), "torch": (x, y)}``."""
    return {"ndgrad": (ndgrad.tensor(x), ndgrad.tensor(y)),
            "torch": (torch.from_numpy(np.ascontiguousarray(x)), torch.from_numpy(y))}


def check_steps(name, steps, batches, rtol=1e-4):
    """Run both steps over the same ``batches`` (``[{"ndgrad": (x, y), "torch": (x, y)}]``)
    and require the same loss at each; returns the losses (ndgrad's).

    The first loss checks the forward pass; each later one checks that the
    previous backward pass and optimizer step changed the weights alike.
    """
    losses = []
    for index, batch in enumerate(batches):
        ours = steps["ndgrad"](*batch["ndgrad"])[0].item()
        theirs = steps["torch"](*batch["torch"])[0].item()
        _harness.check_close(f"{name}: loss at step {index + 1}", np.float32(ours),
                             np.float32(theirs), rtol=rtol, atol=1e-6)
        losses.append(ours)
    return losses


def random_batch(shape, classes=10, seed=0):
    """A float32 normal batch of ``shape`` and int64 labels, NumPy."""
    generator = np.random.default_rng(seed)
    x = generator.standard_normal(shape, dtype=np.float32)
    y = generator.integers(0, classes, shape[0]).astype(np.int64)
    return x, y


def step_row(name, title, steps, batch, settings, target, rounds=25, warmup=3, notes=()):
    """Time ``steps`` on one ``batch`` (interleaved, medians) and make the row, in
    milliseconds per step, with steps/s and the phases in the notes."""
    sides = {side: (lambda step=steps[side], data=batch[side]: step(*data)[1]) for side in steps}
    rounds, warmup = settings.rounds(rounds), settings.warmup(warmup)
    samples = _harness.run_interleaved(sides, rounds, warmup, pause=_harness.PAUSE)
    medians = _harness.medians(samples)
    spreads = _harness.spreads(samples)
    ms = {side: {phase: value * 1e3 for phase, value in phases.items()}
          for side, phases in medians.items()}
    ours, theirs = ms["ndgrad"]["total"], ms["torch"]["total"]
    phase_text = {side: "/".join(f"{ms[side][phase]:.2f}" for phase in
                                 ("forward", "backward", "step")) for side in ms}
    notes = list(notes) + [
        f"steps/s: ndgrad {1e3 / ours:.1f}, PyTorch {1e3 / theirs:.1f}; ms forward/backward/"
        f"step: ndgrad {phase_text['ndgrad']}, PyTorch {phase_text['torch']}; IQR/median "
        f"{spreads['ndgrad']['total']:.0%} / {spreads['torch']['total']:.0%} over {rounds} rounds"]
    details = {"ms": ms, "steps_per_second": {side: 1e3 / ms[side]["total"] for side in ms},
               "relative_iqr": spreads, "rounds": rounds, "warmup": warmup}
    return _harness.make_row(name, title, "ms/step", ours, theirs, target, notes=notes,
                             details=details)
