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
from ndgrad import nn
from tests.onnx._runtime import assert_matches, export_bytes
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
                             r".*vae\.py:\d+ reads a value .*Nothing was written"):
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
