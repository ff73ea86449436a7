"""SGD and Adam: one step against PyTorch, both faces, frozen parameters."""

import numpy as np
import pytest

import ndgrad

torch = pytest.importorskip("torch")


def _run(ours_factory, theirs_factory, steps=3):
    rng = np.random.default_rng(0)
    init = rng.normal(size=(3, 2)).astype(np.float32)
    target = rng.normal(size=(3, 2)).astype(np.float32)
    w = ndgrad.nn.Parameter(init)
    tw = torch.nn.Parameter(torch.tensor(init))
    ours, theirs = ours_factory([w]), theirs_factory([tw])
    for _ in range(steps):
        ours.zero_grad()
        ((w - target) ** 2 * w).sum().backward()
        ours.step()
        theirs.zero_grad()
        ((tw - torch.tensor(target)) ** 2 * tw).sum().backward()
        theirs.step()
    np.testing.assert_allclose(w.numpy(), tw.detach().numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kwargs", [{}, {"momentum": 0.9}, {"momentum": 0.9, "nesterov": True},
                                    {"weight_decay": 0.1, "momentum": 0.5}])
def test_sgd_matches_pytorch(kwargs):
    _run(lambda p: ndgrad.optim.SGD(p, lr=0.05, **kwargs),
         lambda p: torch.optim.SGD(p, lr=0.05, **kwargs))


@pytest.mark.parametrize("kwargs", [{}, {"weight_decay": 0.1}, {"betas": (0.8, 0.9)}])
def test_adam_matches_pytorch(kwargs):
    _run(lambda p: ndgrad.optim.Adam(p, lr=0.05, **kwargs),
         lambda p: torch.optim.Adam(p, lr=0.05, **kwargs))


def test_keras_face_learns_variables_from_apply_gradients():
    w = ndgrad.Variable([1.0, 2.0])
    opt = ndgrad.optim.Adam(learning_rate=0.1)
    with ndgrad.GradientTape() as tape:
        loss = (w * w).sum()
    opt.apply_gradients(zip(tape.gradient(loss, [w]), [w]))
    assert opt.params == [w] and opt.iterations == 1
    np.testing.assert_allclose(w.numpy(), [0.9, 1.9], rtol=1e-6)


def test_frozen_parameter_gets_no_update_no_decay_no_momentum():
    w = ndgrad.nn.Parameter([1.0])
    opt = ndgrad.optim.SGD([w], lr=0.1, momentum=0.9, weight_decay=0.5)
    (w * 2).sum().backward()
    w.trainable = False
    opt.step()
    assert w.tolist() == [1.0] and opt.state[w] == {}
    w.trainable = True          # unfreezing needs no rebuild
    opt.step()
    assert w.tolist() != [1.0]


def test_some_missing_gradients_warn_with_names():
    a, b = ndgrad.Variable([1.0], name="a"), ndgrad.Variable([1.0], name="b")
    opt = ndgrad.optim.SGD(learning_rate=0.1)
    with pytest.warns(RuntimeWarning, match="'b' got no gradient"):
        opt.apply_gradients([(ndgrad.tensor([1.0]), a), (None, b)])
    assert a.tolist() == [pytest.approx(0.9)] and b.tolist() == [1.0]


def test_bad_arguments_are_clear():
    with pytest.raises(TypeError, match=r"pass \[w\]"):
        ndgrad.optim.SGD(ndgrad.Variable([1.0]), lr=0.1)
    with pytest.raises(ValueError, match="leaf"):
        ndgrad.optim.SGD([ndgrad.Variable([1.0]) * 2], lr=0.1)
    with pytest.raises(ValueError, match="nesterov"):
        ndgrad.optim.SGD(lr=0.1, nesterov=True)
