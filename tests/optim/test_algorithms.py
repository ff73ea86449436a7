"""Every algorithm: 20 steps against torch.optim from the same parameters and gradients."""

import numpy as np
import pytest

import ndgrad

from .side_by_side import initial_values, run

torch = pytest.importorskip("torch")

CASES = [
    ("SGD", {"lr": 0.05}),
    ("SGD", {"lr": 0.05, "momentum": 0.9}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.5}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"lr": 0.05, "momentum": 0.5, "weight_decay": 0.1, "maximize": True}),
    ("Adam", {"lr": 0.05}),
    ("Adam", {"lr": 0.05, "amsgrad": True, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.05, "betas": (0.8, 0.9), "eps": 1e-6, "maximize": True}),
    ("Adam", {"lr": 0.05, "weight_decay": 0.1, "decoupled_weight_decay": True}),
    ("AdamW", {"lr": 0.05}),
    ("AdamW", {"lr": 0.05, "weight_decay": 0.2, "amsgrad": True}),
    ("RMSprop", {"lr": 0.01}),
    ("RMSprop", {"lr": 0.01, "alpha": 0.9, "centered": True}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.9, "weight_decay": 0.1}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.5, "centered": True, "maximize": True}),
    ("Adagrad", {"lr": 0.1}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.1, "initial_accumulator_value": 0.5}),
    ("Adagrad", {"lr": 0.1, "weight_decay": 0.1, "eps": 1e-6, "maximize": True}),
    ("Adadelta", {}),
    ("Adadelta", {"lr": 0.5, "rho": 0.5, "weight_decay": 0.1}),
    ("Adadelta", {"eps": 1e-4, "maximize": True}),
    ("Adamax", {"lr": 0.05}),
    ("Adamax", {"lr": 0.05, "betas": (0.8, 0.99), "weight_decay": 0.1}),
    ("Adamax", {"lr": 0.05, "maximize": True}),
    ("NAdam", {"lr": 0.05}),
    ("NAdam", {"lr": 0.05, "momentum_decay": 0.01, "weight_decay": 0.1}),
    ("NAdam", {"lr": 0.05, "weight_decay": 0.1, "decoupled_weight_decay": True}),
    ("NAdam", {"lr": 0.05, "betas": (0.8, 0.99), "maximize": True}),
]


@pytest.mark.parametrize("name, kwargs", CASES, ids=[f"{n}-{'-'.join(k) or 'defaults'}"
                                                     for n, k in CASES])
def test_twenty_steps_match_torch(name, kwargs):
    run(torch, lambda ps: getattr(ndgrad.optim, name)(ps, **kwargs),
        lambda ps: getattr(torch.optim, name)(ps, **kwargs))


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta",
                                  "Adamax", "NAdam"])
def test_pytorch_face_defaults_are_torchs(name):
    ours = getattr(ndgrad.optim, name)([ndgrad.Variable([1.0])])
    theirs = getattr(torch.optim, name)([torch.nn.Parameter(torch.ones(1))])
    for key, value in ours.defaults.items():
        assert theirs.defaults[key] == value, key


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta",
                                  "Adamax", "NAdam"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_kept_in_parameters_and_state(name, dtype):
    params = [ndgrad.Variable(v) for v in initial_values(dtype=dtype)]
    extra = {"momentum": 0.9} if name in ("SGD", "RMSprop") else {}
    optimizer = getattr(ndgrad.optim, name)(params, lr=0.01, weight_decay=0.1, **extra)
    for _ in range(3):
        for p in params:
            p.grad = ndgrad.tensor(np.ones(p.shape, dtype=dtype))
        optimizer.step()
    for p in params:
        assert p.dtype == dtype
        for key, value in optimizer.state[p].items():
            if isinstance(value, np.ndarray):
                assert value.dtype == dtype, key
            else:
                assert type(value) in (int, float), key


def test_update_is_in_place_and_bumps_the_version():
    w = ndgrad.Variable([1.0, 2.0])
    data, version = w._data, w._version
    optimizer = ndgrad.optim.Adam([w], lr=0.1)
    w.grad = ndgrad.tensor([1.0, 1.0])
    optimizer.step()
    assert w._data is data and w._version == version + 1
    assert w.grad.tolist() == [1.0, 1.0]            # the gradient is never modified


def test_nadam_keras_name_and_closure():
    assert ndgrad.optim.Nadam is ndgrad.optim.NAdam
    w = ndgrad.Variable([2.0])
    optimizer = ndgrad.optim.SGD([w], lr=0.25)

    def closure():
        optimizer.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with ndgrad.no_grad():
        loss = optimizer.step(closure)
    assert loss.item() == 4.0 and w.tolist() == [1.0]


@pytest.mark.parametrize("name, kwargs, message", [
    ("SGD", {"lr": -1.0}, "learning rate must be finite and >= 0"),
    ("SGD", {"momentum": -0.5}, "momentum must be >= 0"),
    ("SGD", {"momentum": 0.9, "dampening": 0.1, "nesterov": True}, "nesterov"),
    ("Adam", {"betas": (1.0, 0.9)}, r"betas\[0\]"),
    ("Adam", {"eps": -1.0}, "eps must be >= 0"),
    ("RMSprop", {"alpha": -0.1}, "alpha"),
    ("Adagrad", {"lr_decay": -0.1}, "lr_decay"),
    ("Adadelta", {"rho": 1.5}, "rho"),
    ("NAdam", {"momentum_decay": -1.0}, "momentum_decay"),
    ("AdamW", {"weight_decay": -0.1}, "weight_decay"),
])
def test_bad_hyperparameters_are_refused_with_the_class_name(name, kwargs, message):
    with pytest.raises(ValueError, match=message) as error:
        getattr(ndgrad.optim, name)([ndgrad.Variable([1.0])], **kwargs)
    assert str(error.value).startswith(name)


def test_bad_arguments_are_clear():
    with pytest.raises(TypeError, match="unknown argument.*'momentun'"):
        ndgrad.optim.SGD(lr=0.1, momentun=0.9)
    with pytest.raises(TypeError, match="both lr=.* and learning_rate="):
        ndgrad.optim.SGD(lr=0.1, learning_rate=0.1)
    with pytest.raises(TypeError, match="both betas="):
        ndgrad.optim.Adam(betas=(0.9, 0.99), beta_1=0.9)
    with pytest.raises(TypeError, match="momentum must be a number"):
        ndgrad.optim.SGD(lr=0.1, momentum="high")
    with pytest.raises(ValueError, match="empty parameter list"):
        ndgrad.optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="not a set"):
        ndgrad.optim.SGD({ndgrad.Variable([1.0])}, lr=0.1)
    with pytest.raises(TypeError, match="ndgrad tensors, got ndarray"):
        ndgrad.optim.SGD([np.zeros(2)], lr=0.1)


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop", "Adamax", "NAdam"])
def test_keras_face_weight_decay_is_decoupled_as_keras_3(name):
    # Keras 3 shrinks every variable by lr * weight_decay before the update, for
    # every optimizer; PyTorch adds weight_decay * p to the gradient (L2).
    gradient = np.array([0.5, -1.0], dtype=np.float32)
    keras_variable = ndgrad.Variable([2.0, -3.0])
    plain_variable = ndgrad.Variable([2.0, -3.0])
    keras_optimizer = getattr(ndgrad.optim, name)(learning_rate=0.1, weight_decay=0.2)
    plain_optimizer = getattr(ndgrad.optim, name)(learning_rate=0.1)
    keras_optimizer.apply_gradients([(ndgrad.tensor(gradient), keras_variable)])
    plain_variable.assign(plain_variable.numpy() * (1 - 0.1 * 0.2))
    plain_optimizer.apply_gradients([(ndgrad.tensor(gradient), plain_variable)])
    np.testing.assert_allclose(keras_variable.numpy(), plain_variable.numpy(), rtol=1e-6)
    torch_style = ndgrad.Variable([2.0, -3.0])
    coupled = getattr(ndgrad.optim, name)([torch_style], lr=0.1, weight_decay=0.2)
    torch_style.grad = ndgrad.tensor(gradient)
    coupled.step()
    # Plain SGD gives the same step either way; the adaptive methods do not.
    assert np.allclose(torch_style.numpy(), keras_variable.numpy()) == (name == "SGD")
