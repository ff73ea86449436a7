"""Symbolic tensors: output shapes of every layer, building once, no state change,
operators and NumPy functions, and the errors a user sees."""

import numpy as np
import pytest

import ndgrad
from ndgrad import layers as L
from ndgrad import nn
from ndgrad.nn import nest
from ndgrad.nn.symbolic import SymbolicTensor, has_symbolic, symbolic_or_eager

# (make, sample shape with None for any size, dtype, how to call it)
LAYERS = [
    (lambda: L.Dense(4, activation="relu"), (5,), "float32"),
    (lambda: L.Activation("tanh"), (5,), "float32"),
    (lambda: L.AveragePooling1D(2), (8, 3), "float32"),
    (lambda: L.AveragePooling2D(2), (8, 8, 3), "float32"),
    (lambda: L.BatchNormalization(), (6, 3), "float32"),
    (lambda: L.Conv1D(4, 3, padding="same"), (None, 3), "float32"),
    (lambda: L.Conv2D(4, (3, 3), strides=2), (None, None, 3), "float32"),
    (lambda: L.Dropout(0.5), (5,), "float32"),
    (lambda: L.ELU(), (5,), "float32"),
    (lambda: L.Embedding(10, 4), (None,), "int32"),
    (lambda: L.Flatten(), (3, 4), "float32"),
    (lambda: L.GRU(4, return_sequences=True), (None, 3), "float32"),
    (lambda: L.GlobalAveragePooling1D(), (None, 3), "float32"),
    (lambda: L.GlobalMaxPooling2D(), (5, 5, 3), "float32"),
    (lambda: L.LSTM(4, return_sequences=True, return_state=True), (None, 3), "float32"),
    (lambda: L.LayerNormalization(), (None, 3), "float32"),
    (lambda: L.LeakyReLU(0.2), (5,), "float32"),
    (lambda: L.MaxPooling1D(2), (None, 3), "float32"),
    (lambda: L.MaxPooling2D(2), (8, 8, 3), "float32"),
    (lambda: L.ReLU(), (5,), "float32"),
    (lambda: L.Reshape((2, -1)), (6,), "float32"),
    (lambda: L.SimpleRNN(4), (None, 3), "float32"),
    (lambda: L.Softmax(), (5,), "float32"),
    (lambda: L.Lambda(lambda t: t[:, :2] * 2), (5,), "float32"),
    (lambda: L.Conv2DTranspose(4, 3, strides=2), (None, None, 3), "float32"),
    (lambda: L.Conv1DTranspose(4, 3, padding="same"), (None, 3), "float32"),
    (lambda: L.UpSampling2D(3), (None, 4, 3), "float32"),
    (lambda: L.UpSampling1D(2), (None, 3), "float32"),
    (lambda: L.ZeroPadding2D(((1, 2), (0, 1))), (None, None, 3), "float32"),
    (lambda: L.Cropping1D((1, 2)), (None, 3), "float32"),
    (lambda: nn.ConvTranspose2d(3, 4, 3), (3, None, None), "float32"),
    (lambda: nn.Upsample(scale_factor=2), (3, None, 5), "float32"),
    (lambda: nn.ReflectionPad2d(1), (3, None, 5), "float32"),
    (lambda: nn.PixelShuffle(2), (8, None, 5), "float32"),
    (lambda: L.Rescaling(1 / 255), (None, 4, 3), "uint8"),
    (lambda: L.Normalization(mean=0.5, variance=4.0), (None, 3), "float32"),
    (lambda: L.Resizing(5, 7), (None, None, 3), "float32"),
    (lambda: L.CenterCrop(2, 3), (6, 6, 3), "float32"),
    (lambda: L.RandomFlip(), (None, None, 3), "float32"),
    (lambda: L.RandomCrop(3, 3), (None, None, 3), "float32"),
    (lambda: L.RandomRotation(0.1), (5, 5, 3), "float32"),
    (lambda: nn.Linear(5, 3), (5,), "float32"),
    (lambda: nn.Conv2d(3, 4, 3), (3, None, None), "float32"),
    (lambda: nn.BatchNorm1d(5), (5,), "float32"),
    (lambda: nn.LSTM(3, 4, batch_first=True), (None, 3), "float32"),
    (lambda: nn.Embedding(10, 4), (None,), "int64"),
]


def _concrete(shape, dtype, batch=2, length=9):
    full = (batch,) + tuple(length if d is None else d for d in shape)
    rng = np.random.default_rng(1)
    if dtype.startswith("float"):
        return rng.random(full).astype(dtype)
    return rng.integers(0, 10, full).astype(dtype)


def _shapes(structure):
    return [leaf.shape for leaf in nest.flatten(structure) if leaf is not None]


@pytest.mark.parametrize("make, shape, dtype", LAYERS,
                         ids=[f"{i}" for i in range(len(LAYERS))])
def test_symbolic_shapes_match_eager_shapes(make, shape, dtype):
    layer = make()
    symbolic = layer(ndgrad.Input(shape=shape, dtype=dtype))
    with ndgrad.no_grad():
        eager = layer(ndgrad.tensor(_concrete(shape, dtype)), training=False)
    symbolic_shapes, eager_shapes = _shapes(symbolic), _shapes(eager)
    assert len(symbolic_shapes) == len(eager_shapes)
    for sym, real in zip(symbolic_shapes, eager_shapes):
        assert len(sym) == len(real)
        assert all(d is None or d == e for d, e in zip(sym, real)), (sym, real)
    assert any(d is None for sym in symbolic_shapes for d in sym)


def test_symbolic_call_builds_once_and_changes_no_state():
    batch_norm = L.BatchNormalization()
    x = ndgrad.Input((3,))
    before_random = ndgrad.random.get_state()
    y = batch_norm(x)
    assert ndgrad.random.get_state() == before_random
    weights = [v.numpy().copy() for v in batch_norm.variables]
    assert batch_norm.moving_mean.numpy().tolist() == [0.0, 0.0, 0.0]
    batch_norm(y)                         # a second node: no new weights
    assert [v.numpy().tolist() for v in batch_norm.variables] == [w.tolist() for w in weights]
    assert len(batch_norm.variables) == 4 and len(batch_norm._inbound_nodes) == 2
    torch_style = nn.BatchNorm1d(3)
    torch_style(ndgrad.Input((3,)))
    assert torch_style.training and torch_style.running_mean.numpy().tolist() == [0.0] * 3
    assert int(torch_style.num_batches_tracked.numpy()) == 0


def test_build_receives_the_symbolic_shape():
    seen = []

    class Recorder(L.Layer):
        def build(self, input_shape):
            seen.append(input_shape)
            self.w = self.add_weight("w", (input_shape[-1],))

        def call(self, inputs):
            return inputs * self.w

    layer = Recorder()
    layer(ndgrad.Input((None, 4)))
    layer(ndgrad.Input((7, 4)))
    assert seen == [(None, None, 4)]


def test_operators_getitem_and_methods():
    x = ndgrad.Input((4,), name="x")
    assert (x + 1).shape == (x * 2).shape == (2 - x).shape == (x / 3).shape == (None, 4)
    assert (x ** 2).shape == (-x).shape == abs(x).shape == (x > 0).shape == (None, 4)
    assert x[:, 0].shape == (None,) and x[:, 1:3].shape == (None, 2)
    assert x[..., None].shape == (None, 4, 1)
    assert (x @ np.ones((4, 3), np.float32)).shape == (None, 3)
    assert x.reshape(-1, 2, 2).shape == (None, 2, 2) and x.T.shape == (4, None)
    assert str(x.astype("float64").dtype) == "float64"
    model = ndgrad.Model(x, [x * 2 + 1, x[:, 0], x[..., None]])
    data = np.arange(8, dtype=np.float32).reshape(2, 4)
    doubled, first, expanded = model(data)
    assert doubled.tolist() == (data * 2 + 1).tolist() and first.tolist() == [0.0, 4.0]
    assert expanded.shape == (2, 4, 1)


def test_numpy_functions_and_symbolic_or_eager():
    x = ndgrad.Input((3,))
    y = np.exp(x) + np.ones(3, np.float32)
    z = np.concatenate([x, y], axis=-1)
    assert z.shape == (None, 6)
    joined = symbolic_or_eager(ndgrad.ops.concatenate, [x, x], axis=-1)
    assert joined.shape == (None, 6)
    assert symbolic_or_eager(ndgrad.ops.add, ndgrad.ones(2), 1.0).tolist() == [2.0, 2.0]
    model = ndgrad.Model(x, [z, joined])
    data = np.zeros((2, 3), np.float32)
    first, second = model(data)
    assert first.tolist() == [[0, 0, 0, 2, 2, 2]] * 2 and second.shape == (2, 6)


def test_functions_returning_sizes_give_none_for_unknown_dimensions():
    x = ndgrad.Input((None, 3))
    assert symbolic_or_eager(lambda t: tuple(t.shape), x) == (None, None, 3)
    assert symbolic_or_eager(lambda t: t.shape[-1], x) == 3
    with pytest.raises(ValueError, match="depend on the input sizes"):
        symbolic_or_eager(lambda t: float(t.shape[0]), x)


def test_has_symbolic_looks_into_structures():
    x = ndgrad.Input((2,))
    assert has_symbolic(([1, {"a": x}],)) and has_symbolic((), {"mask": x})
    assert not has_symbolic((ndgrad.ones(2), [1, 2]), {"training": True})


def test_symbolic_tensor_refuses_values():
    x = ndgrad.Input((2,), name="pixels")
    for attempt in (lambda: np.asarray(x), lambda: bool(x), lambda: len(x),
                    lambda: float(x), lambda: list(x), lambda: x.numpy()):
        with pytest.raises(TypeError, match="symbolic tensor .* has no values"):
            attempt()
    assert "pixels" in repr(x) and x.sparse is False


def test_a_failing_layer_raises_its_own_error_with_the_shapes():
    a, b = ndgrad.Input((3,)), ndgrad.Input((4,))
    with pytest.raises(ndgrad.ShapeError) as info:
        L.Add()([a, b])
    notes = "".join(getattr(info.value, "__notes__", []))
    assert "(None, 3), (None, 4)" in notes and "functional model" in notes


def test_input_arguments():
    assert ndgrad.Input(shape=5).shape == (None, 5)
    assert ndgrad.Input((3,), batch_size=8).shape == (8, 3)
    assert ndgrad.Input(batch_shape=(None, 2, 2)).shape == (None, 2, 2)
    with pytest.raises(ValueError, match="shape="):
        ndgrad.Input()
    with pytest.raises(ValueError, match="not both"):
        ndgrad.Input((2,), batch_shape=(None, 2))
    with pytest.raises(NotImplementedError, match="sparse"):
        ndgrad.Input((2,), sparse=True)
    layer = L.InputLayer(shape=(3,), name="features")
    assert layer.output.name == "features" and isinstance(layer.output, SymbolicTensor)
    assert L.Input is ndgrad.Input


def test_layer_input_and_output_properties():
    x = ndgrad.Input((3,))
    dense = L.Dense(2)
    y = dense(x)
    assert dense.input is x and dense.output is y
    dense(y[:, :1] * 0 + x)
    with pytest.raises(AttributeError, match="2 times"):
        dense.output
    with pytest.raises(AttributeError, match="never been called"):
        L.Dense(1).output
