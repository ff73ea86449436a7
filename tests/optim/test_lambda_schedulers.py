"""LambdaLR and MultiplicativeLR against torch.optim.lr_scheduler."""

import pytest

import ndgrad
from ndgrad.optim import lr_scheduler

from .side_by_side import compare

torch = pytest.importorskip("torch")

SGD_MOMENTUM = ("SGD", {"lr": 0.05, "momentum": 0.9})


def warmup(epoch):
    return min(1.0, (epoch + 1) / 5) * 0.95 ** epoch


@pytest.mark.parametrize("lr_lambda", [warmup, [warmup, lambda epoch: 1.0 / (epoch + 1)]],
                         ids=["one", "per-group"])
def test_lambda_lr_matches_torch(lr_lambda):
    compare(*SGD_MOMENTUM, "LambdaLR", {"lr_lambda": lr_lambda})


@pytest.mark.parametrize("lr_lambda", [lambda epoch: 0.9, [lambda epoch: 0.9,
                                                             lambda epoch: 1.0 - 0.01 * epoch]],
                         ids=["one", "per-group"])
def test_multiplicative_lr_matches_torch(lr_lambda):
    compare("Adam", {"lr": 0.05}, "MultiplicativeLR", {"lr_lambda": lr_lambda})


class Decay:
    """A callable object: its attributes are state, saved by state_dict()."""

    def __init__(self, rate):
        self.rate = rate

    def __call__(self, epoch):
        return self.rate ** epoch


def test_state_dict_saves_callable_objects_not_functions():
    optimizer = ndgrad.optim.SGD([{"params": [ndgrad.Variable([0.0])]},
                                  {"params": [ndgrad.Variable([0.0])]}], lr=1.0)
    decay = Decay(0.5)
    scheduler = lr_scheduler.LambdaLR(optimizer, [decay, lambda epoch: 1.0])
    saved = scheduler.state_dict()
    assert saved["lr_lambdas"] == [{"rate": 0.5}, None]
    decay.rate = 0.1
    scheduler.load_state_dict(saved)
    assert decay.rate == 0.5
    with pytest.raises(ValueError, match="lr_lambdas"):
        scheduler.load_state_dict({**saved, "lr_lambdas": [None]})


def test_errors_name_the_problem():
    optimizer = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
    with pytest.raises(ValueError, match="2 lr_lambdas for 1 parameter groups"):
        lr_scheduler.LambdaLR(optimizer, [warmup, warmup])
    with pytest.raises(TypeError, match="function of the epoch"):
        lr_scheduler.MultiplicativeLR(optimizer, 0.9)
    with pytest.raises(TypeError, match="expected an ndgrad optimizer"):
        lr_scheduler.LambdaLR(torch.optim.SGD([torch.zeros(1, requires_grad=True)]), warmup)
