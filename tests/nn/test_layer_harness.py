"""One harness run on every layer of both faces (STYLE.md: chainer's function_link).

For each layer: it builds from the first input, gives the expected output shape
in float32, has the documented number of parameters, survives a state_dict
round trip into a fresh layer, and one optimizer step lowers a loss. PyTorch-face
layers are also checked forward and backward against the PyTorch module with
the same weights (rtol 1e-4 in float32).
"""

from dataclasses import dataclass, field

import numpy as np
import pytest

import ndgrad
from ndgrad import layers, nn

torch = pytest.importorskip("torch")


@dataclass
class LayerCase:
    name: str
    make: object                  # () -> ndgrad layer
    input_shape: tuple
    params: int                   # documented count: parameters + floating state (running stats)
    torch_make: object = None     # () -> the PyTorch module with the same configuration
    integer_input: int = 0        # > 0: integer inputs below this bound (embeddings)
    trains: bool = True           # has trainable parameters
    extra: dict = field(default_factory=dict)


def _first(output):
    return output[0] if isinstance(output, tuple) else output


TORCH_FACE = [
    LayerCase("Linear", lambda: nn.Linear(5, 3), (4, 5), 18, lambda: torch.nn.Linear(5, 3)),
    LayerCase("Conv1d", lambda: nn.Conv1d(2, 4, 3, padding=1), (2, 2, 7), 28,
              lambda: torch.nn.Conv1d(2, 4, 3, padding=1)),
    LayerCase("Conv2d", lambda: nn.Conv2d(2, 4, 3, stride=2, padding=1), (2, 2, 7, 7), 76,
              lambda: torch.nn.Conv2d(2, 4, 3, stride=2, padding=1)),
    LayerCase("Conv2d-groups-dilation", lambda: nn.Conv2d(4, 4, 3, dilation=2, groups=2,
                                                          padding="same"), (1, 4, 8, 8), 76,
              lambda: torch.nn.Conv2d(4, 4, 3, dilation=2, groups=2, padding="same")),
    LayerCase("MaxPool2d", lambda: nn.MaxPool2d(2), (2, 3, 6, 6), 0, lambda: torch.nn.MaxPool2d(2),
              trains=False),
    LayerCase("AvgPool2d", lambda: nn.AvgPool2d(3, stride=2, padding=1), (2, 3, 7, 7), 0,
              lambda: torch.nn.AvgPool2d(3, stride=2, padding=1), trains=False),
    LayerCase("AdaptiveAvgPool2d", lambda: nn.AdaptiveAvgPool2d((2, 3)), (2, 3, 7, 8), 0,
              lambda: torch.nn.AdaptiveAvgPool2d((2, 3)), trains=False),
    LayerCase("BatchNorm1d", lambda: nn.BatchNorm1d(4), (6, 4), 16,
              lambda: torch.nn.BatchNorm1d(4)),
    LayerCase("BatchNorm2d", lambda: nn.BatchNorm2d(3), (4, 3, 5, 5), 12,
              lambda: torch.nn.BatchNorm2d(3)),
    LayerCase("LayerNorm", lambda: nn.LayerNorm(6), (3, 6), 12, lambda: torch.nn.LayerNorm(6)),
    LayerCase("Dropout", lambda: nn.Dropout(0.3).eval(), (4, 5), 0,
              lambda: torch.nn.Dropout(0.3).eval(), trains=False),
    LayerCase("Embedding", lambda: nn.Embedding(10, 4), (3, 5), 40,
              lambda: torch.nn.Embedding(10, 4), integer_input=10),
    LayerCase("Flatten", lambda: nn.Flatten(), (2, 3, 4), 0, lambda: torch.nn.Flatten(),
              trains=False),
    LayerCase("Identity", lambda: nn.Identity(), (2, 3), 0, lambda: torch.nn.Identity(),
              trains=False),
    LayerCase("ReLU", lambda: nn.ReLU(), (3, 4), 0, lambda: torch.nn.ReLU(), trains=False),
    LayerCase("LeakyReLU", lambda: nn.LeakyReLU(0.2), (3, 4), 0,
              lambda: torch.nn.LeakyReLU(0.2), trains=False),
    LayerCase("ELU", lambda: nn.ELU(), (3, 4), 0, lambda: torch.nn.ELU(), trains=False),
    LayerCase("GELU", lambda: nn.GELU(), (3, 4), 0, lambda: torch.nn.GELU(), trains=False),
    LayerCase("Sigmoid", lambda: nn.Sigmoid(), (3, 4), 0, lambda: torch.nn.Sigmoid(),
              trains=False),
    LayerCase("Tanh", lambda: nn.Tanh(), (3, 4), 0, lambda: torch.nn.Tanh(), trains=False),
    LayerCase("Softmax", lambda: nn.Softmax(dim=1), (3, 4), 0, lambda: torch.nn.Softmax(dim=1),
              trains=False),
    LayerCase("LogSoftmax", lambda: nn.LogSoftmax(dim=1), (3, 4), 0,
              lambda: torch.nn.LogSoftmax(dim=1), trains=False),
    LayerCase("RNN", lambda: nn.RNN(3, 5, batch_first=True), (2, 4, 3), 50,
              lambda: torch.nn.RNN(3, 5, batch_first=True)),
    LayerCase("LSTM", lambda: nn.LSTM(3, 5, num_layers=2), (4, 2, 3), 440,
              lambda: torch.nn.LSTM(3, 5, num_layers=2)),
    LayerCase("GRU", lambda: nn.GRU(3, 5, batch_first=True), (2, 4, 3), 150,
              lambda: torch.nn.GRU(3, 5, batch_first=True)),
    LayerCase("TransformerEncoderLayer", lambda: nn.TransformerEncoderLayer(8, 2, 16, 0.0),
              (5, 2, 8), 600, lambda: torch.nn.TransformerEncoderLayer(8, 2, 16, 0.0)),
    LayerCase("TransformerEncoder-norm-first",
              lambda: nn.TransformerEncoder(nn.TransformerEncoderLayer(
                  8, 2, 16, 0.0, norm_first=True, batch_first=True), 2, nn.LayerNorm(8)),
              (2, 5, 8), 1216, lambda: torch.nn.TransformerEncoder(
                  torch.nn.TransformerEncoderLayer(8, 2, 16, 0.0, norm_first=True,
                                                   batch_first=True), 2, torch.nn.LayerNorm(8),
                  enable_nested_tensor=False)),
]

KERAS_FACE = [
    LayerCase("Dense", lambda: layers.Dense(3, activation="tanh"), (4, 5), 18),
    LayerCase("Conv1D", lambda: layers.Conv1D(4, 3, padding="same"), (2, 7, 2), 28),
    LayerCase("Conv2D", lambda: layers.Conv2D(4, 3, strides=2, padding="same"), (2, 7, 7, 2), 76),
    LayerCase("MaxPooling2D", lambda: layers.MaxPooling2D(2), (2, 6, 6, 3), 0, trains=False),
    LayerCase("AveragePooling2D", lambda: layers.AveragePooling2D(2), (2, 6, 6, 3), 0,
              trains=False),
    LayerCase("GlobalAveragePooling2D", lambda: layers.GlobalAveragePooling2D(), (2, 5, 5, 3), 0,
              trains=False),
    LayerCase("Flatten-keras", lambda: layers.Flatten(), (2, 3, 4), 0, trains=False),
    LayerCase("Reshape", lambda: layers.Reshape((4, 3)), (2, 12), 0, trains=False),
    LayerCase("Dropout-keras", lambda: layers.Dropout(0.5), (4, 5), 0, trains=False),
    LayerCase("BatchNormalization", lambda: layers.BatchNormalization(), (6, 4), 16),
    LayerCase("LayerNormalization", lambda: layers.LayerNormalization(), (3, 6), 12),
    LayerCase("Embedding-keras", lambda: layers.Embedding(10, 4), (3, 5), 40, integer_input=10),
    LayerCase("LSTM-keras", lambda: layers.LSTM(5, return_sequences=True), (2, 4, 3), 180),
    LayerCase("GRU-keras", lambda: layers.GRU(5), (2, 4, 3), 150),   # reset_after=True
    LayerCase("Activation", lambda: layers.Activation("relu"), (3, 4), 0, trains=False),
    LayerCase("ReLU-keras", lambda: layers.ReLU(max_value=1.0), (3, 4), 0, trains=False),
    LayerCase("Softmax-keras", lambda: layers.Softmax(), (3, 4), 0, trains=False),
]

ALL = TORCH_FACE + KERAS_FACE


def _input(case, seed=0):
    generator = np.random.default_rng(seed)
    if case.integer_input:
        return generator.integers(0, case.integer_input, case.input_shape)
    return generator.normal(size=case.input_shape).astype(np.float32)


@pytest.mark.parametrize("case", ALL, ids=[c.name for c in ALL])
def test_builds_from_the_first_input_with_float32_output(case):
    layer = case.make()
    out = _first(layer(ndgrad.tensor(_input(case))))
    assert layer.built and out.dtype == np.float32
    if case.torch_make is not None:
        with torch.no_grad():
            expected = _first(case.torch_make()(torch.tensor(_input(case))))
        assert out.shape == tuple(expected.shape)


@pytest.mark.parametrize("case", ALL, ids=[c.name for c in ALL])
def test_parameter_count_is_the_documented_one(case):
    layer = case.make()
    layer(ndgrad.tensor(_input(case)))
    assert sum(int(p.size) for p in layer.parameters()) + sum(
        int(b.size) for b in layer.buffers() if b.dtype.kind == "f") == case.params
    if case.torch_make is not None:
        reference = case.torch_make()
        assert sum(p.numel() for p in reference.parameters()) == sum(
            int(p.size) for p in layer.parameters())


@pytest.mark.parametrize("case", ALL, ids=[c.name for c in ALL])
def test_state_round_trip_gives_identical_outputs(case):
    x = ndgrad.tensor(_input(case))
    source, target = case.make(), case.make()
    source(x)
    target(x)
    target.load_state_dict(source.state_dict())
    source.eval()
    target.eval()
    np.testing.assert_array_equal(_first(source(x)).numpy(), _first(target(x)).numpy())


TRAINS = [c for c in ALL if c.trains]


@pytest.mark.parametrize("case", TRAINS, ids=[c.name for c in TRAINS])
def test_one_optimizer_step_lowers_a_loss(case):
    layer = case.make()
    x = ndgrad.tensor(_input(case))
    target = ndgrad.tensor(np.random.default_rng(1).normal(
        size=_first(layer(x)).shape).astype(np.float32))
    optimizer = ndgrad.optim.SGD(layer.parameters(), lr=0.05)

    def loss():
        return ((_first(layer(x)) - target) ** 2).mean()

    before = loss()
    before.backward()
    optimizer.step()
    layer.zero_grad()
    assert loss().item() < before.item()


@pytest.mark.parametrize("case", TORCH_FACE, ids=[c.name for c in TORCH_FACE])
def test_forward_and_gradients_match_pytorch_with_the_same_weights(case):
    reference, layer = case.torch_make(), case.make()
    layer.load_state_dict(reference.state_dict())
    x = _input(case)
    differentiable = not case.integer_input
    ours_x = ndgrad.tensor(x, requires_grad=differentiable)
    theirs_x = torch.tensor(x, requires_grad=differentiable)
    ours, theirs = _first(layer(ours_x)), _first(reference(theirs_x))
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-4, atol=1e-5)
    cotangent = np.random.default_rng(2).normal(size=ours.shape).astype(np.float32)
    ours.backward(ndgrad.tensor(cotangent))
    theirs.backward(torch.tensor(cotangent))
    if differentiable:
        np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), rtol=1e-4,
                                   atol=1e-5)
    for (name, p), tp in zip(layer.named_parameters(), reference.parameters()):
        np.testing.assert_allclose(p.grad.numpy(), tp.grad.numpy(), rtol=1e-4, atol=1e-5,
                                   err_msg=name)
    for (name, b), tb in zip(layer.named_buffers(), reference.buffers()):
        np.testing.assert_allclose(b.numpy(), tb.numpy(), rtol=1e-5, atol=1e-6, err_msg=name)
