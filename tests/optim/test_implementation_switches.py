"""PyTorch's implementation switches (foreach, fused, capturable) and Keras 3's base
optimizer arguments: accepted where their value changes nothing on the CPU (the
updates are identical to an optimizer built without them), refused by name where
they would change the results (differentiable=True, use_ema=True,
gradient_accumulation_steps > 1, loss_scale_factor)."""

import numpy as np
import pytest

import ndgrad
import ndgrad.torch as torch
from ndgrad import keras


def _steps(make):
    weight = ndgrad.nn.Parameter(np.array([1.0, -2.0, 3.0], dtype=np.float32))
    optimizer = make([weight])
    for _ in range(3):
        optimizer.zero_grad()
        (weight ** 2).sum().backward()
        optimizer.step()
    return weight.numpy().copy()


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"])
@pytest.mark.parametrize("switches", [{"foreach": True}, {"foreach": None, "fused": True},
                                      {"capturable": False, "differentiable": False},
                                      {"fused": False, "foreach": False}])
def test_implementation_switches_change_nothing(name, switches):
    optimizer_class = getattr(torch.optim, name)
    plain = _steps(lambda params: optimizer_class(params, lr=0.1))
    switched = _steps(lambda params: optimizer_class(params, lr=0.1, **switches))
    np.testing.assert_array_equal(plain, switched)


@pytest.mark.parametrize("arguments, match", [
    ({"differentiable": True}, "differentiable=True is not supported; ndgrad's optimizer "
                               "steps are not recorded"),
    ({"use_ema": True}, "use_ema=True is not supported"),
    ({"gradient_accumulation_steps": 4}, "gradient_accumulation_steps=4 is not supported"),
    ({"loss_scale_factor": 128.0}, "loss_scale_factor=128.0 is not supported"),
    ({"foreach": "yes"}, "foreach='yes' is not supported; use one of None, True, False"),
])
def test_switches_that_would_change_results_are_refused(arguments, match):
    weight = ndgrad.nn.Parameter(np.ones(2, dtype=np.float32))
    with pytest.raises(NotImplementedError, match=match):
        torch.optim.AdamW([weight], lr=0.1, **arguments)
    with pytest.raises(NotImplementedError, match=match):
        keras.optimizers.AdamW(0.1, **arguments)


def test_keras_base_arguments_at_their_defaults_are_accepted():
    optimizer = keras.optimizers.Adam(0.01, use_ema=False, ema_momentum=0.99,
                                      ema_overwrite_frequency=None, loss_scale_factor=None,
                                      gradient_accumulation_steps=None)
    assert optimizer.learning_rate == pytest.approx(0.01)


def test_clipping_takes_foreach():
    weight = ndgrad.nn.Parameter(np.array([3.0, 4.0], dtype=np.float32))
    (weight * ndgrad.tensor([1.0, 1.0])).sum().backward()
    weight.grad = ndgrad.tensor([3.0, 4.0])
    assert float(torch.nn.utils.clip_grad_norm_([weight], 1.0, foreach=True)) == 5.0
    torch.nn.utils.clip_grad_value_([weight], 0.5, foreach=False)
    np.testing.assert_allclose(weight.grad.numpy(), [0.5, 0.5])
