"""The models of the ported pytorch/examples programs (examples/ported/) and of
examples/pytorch_style.py and examples/linear_regression.py, exported and run in
ONNX Runtime: vae, dcgan's generator and discriminator, super_resolution, the
word language model (LSTM and Transformer), time_sequence_prediction's LSTMCell
loop, regression, mnist_forward_forward's layers. Models whose program trains at
import time are rebuilt from the program's own class and function definitions
(read from its source, so a refusal still points at the program's line)."""

import ast
import os
import sys
import types

import numpy as np
import pytest

import ndgrad
import ndgrad.torch
from ndgrad import nn
from tests.onnx._runtime import assert_matches, export_bytes, ndgrad_outputs
from tests.onnx.test_models import ROOT, _check, _load, _normal


def _definitions(relative, names, **constants):
    """The import lines of a program and its top-level definitions in ``names``
    (classes, functions, constant assignments), run without the program's
    script part; ``constants`` stand for the globals its parser would set."""
    path = os.path.join(ROOT, relative)
    directory = os.path.dirname(path)
    if directory not in sys.path:
        sys.path.insert(0, directory)
    with open(path, encoding="utf-8") as source:
        tree = ast.parse(source.read(), filename=path)

    def wanted(node):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            return True
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            return node.name in names
        if isinstance(node, ast.Assign):
            return any(isinstance(t, ast.Name) and t.id in names for t in node.targets)
        return False

    kept = ast.Module(body=[node for node in tree.body if wanted(node)], type_ignores=[])
    namespace = dict(constants, __name__=f"{os.path.basename(path)[:-3]}_definitions")
    exec(compile(kept, path, "exec"), namespace)
    missing = set(names) - set(namespace)
    assert not missing, f"{relative} no longer defines {sorted(missing)}"
    return types.SimpleNamespace(**namespace)


def _vae():
    return _definitions("examples/ported/vae.py", {"VAE", "LATENT"}).VAE()


def test_ported_vae_forward_is_refused_for_its_random_sample():
    # forward draws torch.randn_like noise: an export would freeze one draw
    with pytest.raises(ndgrad.onnx.UnsupportedOpError,
                       match=r"op 'multiply' in the model's own forward \(VAE\), called at "
                             r".*vae\.py:\d+ reads a value .*drawn at random.*Nothing was written"):
        export_bytes(_vae(), (_normal((2, 1, 28, 28), 0),))


class _VAEMeanPath(nn.Module):
    """The VAE's deterministic path: decode the posterior mean, no sample."""

    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, images):
        mean, log_variance = self.vae.encode(images.view(-1, 784))
        return self.vae.decode(mean), mean, log_variance


def test_ported_vae_encoder_and_decoder_on_the_mean():
    _check(_VAEMeanPath(_vae()), (1, 28, 28), "ported VAE mean path")


def _dcgan():
    return _definitions("examples/ported/dcgan.py",
                        {"Generator", "Discriminator", "up_block", "down_block", "weights_init"},
                        nz=8, ngf=4, ndf=4, nc=3)




def test_ported_dcgan_generator():
    dcgan = _dcgan()
    generator = dcgan.Generator(1)
    generator.apply(dcgan.weights_init)
    generator.train()
    generator(ndgrad.torch.tensor(_normal((6, 8, 1, 1), 11)))      # running statistics
    _check(generator, (8, 1, 1), "ported DCGAN generator")


def test_ported_dcgan_discriminator():
    dcgan = _dcgan()
    discriminator = dcgan.Discriminator(1)
    discriminator.apply(dcgan.weights_init)
    discriminator.train()
    discriminator(ndgrad.torch.tensor(_normal((6, 3, 64, 64), 11)))
    _check(discriminator, (3, 64, 64), "ported DCGAN discriminator")


def test_ported_super_resolution_net():
    net = _load("examples/ported/super_resolution/model.py", "ported_sr_for_onnx").Net(3)
    _check(net, (1, 12, 12), "ported super_resolution Net")


def _word_language_model():
    return _load("examples/ported/word_language_model/model.py", "ported_wlm_for_onnx")


def _tokens(shape, seed, ntoken=20):
    return np.random.default_rng(seed).integers(0, ntoken, size=shape).astype(np.int64)


class _StatesAsInputs(nn.Module):
    """RNNModel's forward with the (h, c) pair passed as two graph inputs."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, tokens, h, c):
        return self.model(tokens, (h, c))


def test_ported_word_language_model_lstm():
    model = _word_language_model().RNNModel("LSTM", 20, 8, 6, 2, dropout=0.3)
    wrapped = _StatesAsInputs(model)
    example = [_tokens((5, 3), 0), _normal((2, 3, 6), 1), _normal((2, 3, 6), 2)]
    data = export_bytes(wrapped, tuple(example), input_names=["tokens", "h", "c"])
    assert_matches(wrapped, example, data, "ported word LM LSTM")
    other = [_tokens((5, 3), 3), _normal((2, 3, 6), 4), _normal((2, 3, 6), 5)]
    assert_matches(wrapped, other, data, "ported word LM LSTM, other input")


@pytest.mark.filterwarnings("ignore:divide by zero")   # the program's log(tril(ones)) mask
def test_ported_word_language_model_transformer():
    model = _word_language_model().TransformerModel(20, 8, 2, 16, 2, dropout=0.3)
    example = _tokens((5, 3), 0)
    model(ndgrad.torch.tensor(example))
    data = export_bytes(model, (example,))
    assert_matches(model, [example], data, "ported word LM Transformer")
    assert_matches(model, [_tokens((5, 3), 1)], data, "ported word LM Transformer, other input")


def test_ported_time_sequence_prediction_lstm_cell_loop_in_float64():
    # The program steps in float64; ONNX Runtime's LSTM kernel has no double version
    # ("LSTM operator does not support double yet"), so ONNX's reference evaluator
    # runs the exported graph. The float32 cells run in ONNX Runtime below.
    from onnx.reference import ReferenceEvaluator
    program = _load("examples/ported/time_sequence_prediction.py", "ported_tsp_for_onnx")
    model = program.Sequence().double()
    waves = np.sin(np.linspace(0, 6, 2 * 9)).reshape(2, 9) + 0.1 * _normal((2, 9), 0)
    data = export_bytes(model, (waves,), dynamic_axes={"input": [0]})
    reference = ReferenceEvaluator(data)
    for batch in (2, 4):
        other = np.cos(np.linspace(0, 4, batch * 9)).reshape(batch, 9) + _normal((batch, 9), 5)
        theirs = reference.run(None, {"input": other})[0]
        ours = ndgrad_outputs(model, [other])[0]
        assert theirs.dtype == ours.dtype == np.float64 and theirs.shape == (batch, 9)
        np.testing.assert_allclose(theirs, ours, rtol=1e-12, atol=1e-12)


class _CellLoop(nn.Module):
    """time_sequence_prediction's stepping in float32: two LSTMCells and a read-out,
    the states carried from step to step, the outputs fed back for two more steps."""

    def __init__(self):
        super().__init__()
        torch_nn = ndgrad.torch.nn
        self.lstm1, self.lstm2 = torch_nn.LSTMCell(1, 7), torch_nn.LSTMCell(7, 7)
        self.linear = torch_nn.Linear(7, 1)

    def forward(self, x):
        h1 = c1 = h2 = c2 = ndgrad.torch.zeros(x.shape[0], 7)
        outputs = []
        for column in list(x.split(1, dim=1)) + [None, None]:
            column = outputs[-1] if column is None else column
            h1, c1 = self.lstm1(column, (h1, c1))
            h2, c2 = self.lstm2(h1, (h2, c2))
            outputs.append(self.linear(h2))
        return ndgrad.torch.cat(outputs, dim=1)


def test_lstm_cell_loop_in_float32_in_onnxruntime():
    _check(_CellLoop(), (6,), "LSTMCell loop float32")


class _Polynomial(nn.Module):
    """regression.py's model applied to its own features: Linear(powers_of(x))."""

    def __init__(self, program):
        super().__init__()
        self.powers_of = program.powers_of
        self.fc = ndgrad.torch.nn.Linear(program.DEGREE, 1)

    def forward(self, x):
        return self.fc(self.powers_of(x))


def test_ported_regression_polynomial():
    program = _definitions("examples/ported/regression.py", {"powers_of", "DEGREE"})
    _check(_Polynomial(program), (), "ported regression")


def test_ported_mnist_forward_forward_layers():
    program = _load("examples/ported/mnist_forward_forward.py", "ported_ff_for_onnx")
    program.args = types.SimpleNamespace(lr=0.03, threshold=2.0, epochs=1)   # its parser's
    program.device = "cpu"
    net = program.Net([784, 50, 20])
    _check(nn.Sequential(*net.layers), (784,), "ported forward-forward layers")


def test_pytorch_style_example_net():
    net = _load("examples/pytorch_style.py", "pytorch_style_for_onnx").Net()
    _check(net, (1, 8, 8), "pytorch_style Net")


class _LinearRegression(nn.Module):
    """examples/linear_regression.py trains bare parameters, not a Module: its two
    forwards, x @ weight.T + bias (PyTorch style) and x @ w + b (Keras style with
    ndgrad.Variable), held by a Module so that they can be exported."""

    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(ndgrad.tensor(_normal((1, 2), 1)))
        self.bias = nn.Parameter(ndgrad.tensor(_normal((1,), 2)))
        self.w = ndgrad.Variable(ndgrad.tensor(_normal((2, 1), 3)), name="kernel")
        self.b = ndgrad.Variable(ndgrad.tensor(_normal((1,), 4)), name="bias")

    def forward(self, x):
        return x @ self.weight.T + self.bias, x @ self.w + self.b


def test_linear_regression_example_models():
    _check(_LinearRegression(), (2,), "linear_regression")


class _KerasLayoutScan(nn.Module):
    """lstm_scan with Keras-layout (H, 4H) recurrent weights, run backwards."""

    def __init__(self):
        super().__init__()
        self.kernel = nn.Parameter(ndgrad.tensor(_normal((3, 12), 1) * 0.5))
        self.recurrent = nn.Parameter(ndgrad.tensor(_normal((3, 12), 2) * 0.5))

    def forward(self, x):                                   # x: (N, T, 3)
        gates = (x @ self.kernel).transpose(1, 0, 2)
        h0 = ndgrad.tanh(x[:, 0, :])
        out, h, c = ndgrad.nn.functional.lstm_scan(gates, h0, h0 * 0.5, self.recurrent,
                                                   transposed=False, reverse=True)
        return out.transpose(1, 0, 2), h, c                 # batch first: axis 0 is dynamic


def test_lstm_scan_with_keras_layout_weights_in_reverse():
    _check(_KerasLayoutScan(), (4, 3), "lstm_scan keras layout reverse")
