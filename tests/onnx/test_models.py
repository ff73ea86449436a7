"""Whole models exported and run in ONNX Runtime: the digits CNN (examples/), the
ported PyTorch MNIST and GAT programs, the bench's wide MLP, a Keras functional
model, and custom forwards made of elementwise, reduction, shape and indexing
ops; the refusal of an op with no mapping (naming the op, the layer and the
line, writing nothing); dynamic batch sizes."""

import importlib.util
import os
import sys

import numpy as np
import pytest

import ndgrad
from ndgrad import keras, layers, nn
from tests.onnx._runtime import assert_matches, export_bytes, onnx, session

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _load(relative, name):
    directory = os.path.dirname(os.path.join(ROOT, relative))
    if directory not in sys.path:
        sys.path.insert(0, directory)
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, relative))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _normal(shape, seed):
    return np.random.default_rng(seed).normal(size=shape).astype(np.float32)


def _check(model, shape, label, batches=(2, 5)):
    example = _normal((batches[0],) + shape, 0)
    model(ndgrad.tensor(example))
    data = export_bytes(model, (example,), dynamic_axes={"input": {0: "batch"}})
    for batch in batches:
        assert_matches(model, [_normal((batch,) + shape, batch)], data, f"{label} b{batch}")
    return data


def test_digits_cnn_from_the_examples():
    model = _load("examples/digits_cnn.py", "digits_cnn_for_onnx").build_model()
    data = _check(model, (8, 8, 1), "digits CNN", batches=(1, 64))
    names = {i.name for i in onnx.load_from_string(data).graph.initializer}
    assert set(model.state_dict()) <= names            # parameters keep the model's names


def test_ported_pytorch_mnist_net():
    net = _load("examples/ported/mnist.py", "ported_mnist_for_onnx").Net()
    _check(net, (1, 28, 28), "ported mnist Net")


def test_bench_wide_mlp():
    sizes = (784, 1024, 1024, 10)
    stack = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        stack += [nn.Linear(fan_in, fan_out), nn.ReLU()]
    _check(nn.Sequential(*stack[:-1]), (784,), "wide MLP")


def test_keras_functional_model_with_two_branches():
    inputs = keras.Input(shape=(6,))
    left = layers.Dense(8, activation="relu")(inputs)
    right = layers.Dense(4, activation="sigmoid")(inputs)
    merged = layers.Concatenate()([left, right])
    outputs = layers.Dense(3, activation="softmax")(layers.Dropout(0.5)(merged))
    _check(keras.Model(inputs, outputs), (6,), "keras functional")


class CustomOps(nn.Module):
    """A forward made of the elementwise, reduction, shape and indexing ops."""

    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(ndgrad.tensor(np.linspace(0.5, 1.5, 6, dtype=np.float32)))

    def forward(self, x):
        y = ndgrad.exp(-x * x) + ndgrad.log(ndgrad.abs(x) + 1.0) * self.scale
        y = ndgrad.sqrt(y ** 2 + 1.0) / (1.0 + ndgrad.tanh(x) ** 2) - ndgrad.sin(x)
        centered = y - y.mean(axis=1, keepdims=True)
        spread = (centered ** 2).sum(axis=-1, keepdims=True)
        peak = ndgrad.maximum(y.max(axis=1, keepdims=True), y.min(axis=1, keepdims=True))
        joined = ndgrad.concatenate([centered / (spread + 1.0), peak, y[:, 1:3], y[:, ::-2]],
                                    axis=1)
        stacked = joined.reshape(joined.shape[0], 3, -1).transpose(0, 2, 1)
        picked = stacked[:, 0, None, :] * ndgrad.clip(stacked[..., -1:], -0.5, 0.5)
        pooled = ndgrad.softmax(stacked, axis=1).sum(axis=2) + picked.mean(axis=(1, 2))[:, None]
        return ndgrad.log_softmax(pooled, axis=-1), ndgrad.where(x > 0, x, 0.1 * x)


def test_custom_forward_of_elementwise_reduction_and_shape_ops():
    model = CustomOps()
    example = _normal((3, 6), 0)
    data = export_bytes(model, (example,), output_names=["scores", "leaky"],
                        dynamic_axes={"input": [0], "scores": [0], "leaky": [0]})
    for batch in (3, 7):
        assert_matches(model, [_normal((batch, 6), batch)], data, f"custom ops b{batch}")


class Contractions(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(ndgrad.tensor(_normal((4, 3, 5), 3)))

    def forward(self, x):
        mixed = ndgrad.einsum("nij,jk->nik", x, self.weight[:, 0, :][:3])
        return ndgrad.tensordot(mixed, self.weight, axes=([2], [2])).sum(axis=-1)


def test_einsum_and_tensordot():
    model = Contractions()
    data = export_bytes(model, (_normal((2, 2, 3), 0),), dynamic_axes={"input": [0]})
    assert_matches(model, [_normal((5, 2, 3), 1)], data, "einsum and tensordot")


class UsesMedian(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)

    def forward(self, x):
        return ndgrad.median(self.fc(x), axis=1)       # no ONNX mapping


def test_unmapped_op_is_refused_before_writing(tmp_path):
    model = nn.Sequential(nn.Linear(4, 4), UsesMedian())
    path = tmp_path / "model.onnx"
    with pytest.raises(ndgrad.onnx.UnsupportedOpError) as caught:
        ndgrad.onnx.export(model, (_normal((2, 4), 0),), str(path))
    message = str(caught.value)
    assert "op 'median'" in message and "layer '1' (UsesMedian)" in message
    assert f"{__file__}:" in message and "Nothing was written" in message
    assert not path.exists()


class WritesInPlace(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 3)

    def forward(self, x):
        y = self.fc(x)
        y[:, 0] = 0.0                                   # setitem: no mapping yet
        return y


def test_refusal_names_the_module_whose_forward_ran_the_op():
    with pytest.raises(ndgrad.onnx.UnsupportedOpError,
                       match=r"op 'setitem' in the model's own forward \(WritesInPlace\)"):
        export_bytes(WritesInPlace(), (_normal((2, 3), 0),))


def test_dynamic_batch_declared_and_fixed_batch_refused_by_onnxruntime():
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(2 * 4 * 4, 3))
    example = _normal((2, 1, 6, 6), 0)
    dynamic = onnx.load_from_string(export_bytes(model, (example,),
                                                 dynamic_axes={"input": {0: "n"}}))
    assert dynamic.graph.input[0].type.tensor_type.shape.dim[0].dim_param == "n"
    fixed = export_bytes(model, (example,))
    session(fixed).run(None, {"input": example})
    with pytest.raises(Exception, match="(?i)dimension|shape"):
        session(fixed).run(None, {"input": _normal((3, 1, 6, 6), 1)})


def test_arguments_are_checked_before_tracing(tmp_path):
    model = nn.Linear(2, 1)
    x = _normal((1, 2), 0)
    with pytest.raises(ValueError, match="only the batch axis"):
        ndgrad.onnx.export(model, x, str(tmp_path / "a.onnx"), dynamic_axes={"input": [1]})
    with pytest.raises(ValueError, match="opset_version=12"):
        ndgrad.onnx.export(model, x, str(tmp_path / "a.onnx"), opset_version=12)
    with pytest.raises(TypeError, match="ndgrad Module"):
        ndgrad.onnx.export(lambda t: t, x, str(tmp_path / "a.onnx"))
    with pytest.raises(ValueError, match="neither an input"):
        ndgrad.onnx.export(model, x, str(tmp_path / "a.onnx"), dynamic_axes={"y": [0]})
    assert not (tmp_path / "a.onnx").exists()


def test_model_is_left_as_it_was():
    model = nn.Sequential(nn.Linear(3, 3), nn.Dropout(0.5), nn.BatchNorm1d(3))
    model[0].weight.requires_grad_(False)
    model.train()
    before = {k: v.numpy().copy() for k, v in model.state_dict().items()}
    export_bytes(model, (_normal((4, 3), 0),))
    assert model.training and not model[0].weight.requires_grad
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(value.numpy(), before[key])


@pytest.mark.filterwarnings("ignore:dropout2d")      # the program's own Dropout2d on 2-D inputs
def test_ported_pytorch_mnist_rnn_net():
    net = _load("examples/ported/mnist_rnn.py", "ported_mnist_rnn_for_onnx").Net()
    net.train()
    net(ndgrad.tensor(_normal((6, 1, 28, 28), 7) + 0.5))       # running statistics
    _check(net, (1, 28, 28), "ported mnist_rnn Net")


def test_ported_graph_attention_network_with_two_inputs():
    gat = _load("examples/ported/gat.py", "ported_gat_for_onnx")
    model = gat.GAT(in_features=5, n_hidden=8, n_heads=2, num_classes=3)
    features = _normal((6, 5), 0)
    adjacency = (np.random.default_rng(1).random((6, 6)) > 0.5).astype(np.float32)
    np.fill_diagonal(adjacency, 1.0)
    model(ndgrad.tensor(features), ndgrad.tensor(adjacency))
    data = export_bytes(model, (features, adjacency), input_names=["features", "adjacency"])
    other = (np.random.default_rng(2).random((6, 6)) > 0.3).astype(np.float32)
    np.fill_diagonal(other, 1.0)
    assert_matches(model, [_normal((6, 5), 3), other], data, "ported GAT")
