"""Every cut that leaves an argument with zeros warns, with the reason and the
user's line (issue 12, item 5): grad, value_and_grad, vjp and jacobian of
functions cut from their input, and ndgrad.tensor(t) / Tensor(t) /
torch.tensor(t) of a tensor that requires grad."""

import warnings

import numpy as np
import pytest

import ndgrad
import ndgrad.torch as torch

HERE = __file__


def cut_by_float(x):
    return ndgrad.tensor(float(x.sum())) * 2


def cut_by_item(x):
    return ndgrad.tensor(x.sum().item()) * 2


def cut_by_tolist(x):
    return ndgrad.tensor(x.tolist()).sum()


def cut_by_ndgrad_tensor(x):
    return ndgrad.tensor(x * 2).sum()


def cut_by_tensor_class(x):
    return ndgrad.Tensor(x * 2).sum()


def cut_by_torch_tensor(x):
    return torch.tensor(x * 2).sum()


def cut_by_detach(x):
    return (x.detach() * 2).sum()


def cut_by_numpy(x):
    return ndgrad.tensor(x.numpy() * 2).sum()


def cut_by_integer_cast(x):
    return x.astype("int64").astype("float32").sum()


def cut_by_no_grad(x):
    with ndgrad.no_grad():
        y = x * 2
    return y.sum()


CUTS = {
    "float()": (cut_by_float, "converted to a Python number"),
    ".item()": (cut_by_item, "converted to a Python number"),
    ".tolist()": (cut_by_tolist, "tolist"),
    "ndgrad.tensor(t)": (cut_by_ndgrad_tensor, "copied by ndgrad.tensor(t)"),
    "Tensor(t)": (cut_by_tensor_class, "copied by ndgrad.tensor(t) (or Tensor(t))"),
    "torch.tensor(t)": (cut_by_torch_tensor, "copied by torch.tensor(t)"),
    "detach()": (cut_by_detach, "detach"),
    ".numpy()": (cut_by_numpy, ".numpy()"),
    "integer cast": (cut_by_integer_cast, "cast to int64"),
    "no_grad block": (cut_by_no_grad, "no_grad"),
}


def _grad(function, x):
    return ndgrad.grad(function)(x)


def _value_and_grad(function, x):
    return ndgrad.value_and_grad(function)(x)[1]


def _vjp(function, x):
    out, pullback = ndgrad.vjp(function, x)
    return pullback(ndgrad.ones(out.shape))[0]


def _jacobian(function, x):
    return ndgrad.jacobian(function)(x)


TRANSFORMS = {"grad": _grad, "value_and_grad": _value_and_grad, "vjp": _vjp,
              "jacobian": _jacobian}


@pytest.mark.parametrize("transform", TRANSFORMS)
@pytest.mark.parametrize("cut", CUTS)
def test_a_cut_argument_gets_zeros_and_a_warning_naming_the_cut_and_its_line(cut, transform):
    function, kind = CUTS[cut]
    x = ndgrad.tensor([1.0, 2.0])
    before = x.numpy().copy()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gradient = TRANSFORMS[transform](function, x)
    assert gradient.tolist() == [0.0, 0.0]
    messages = [str(w.message) for w in caught if w.category is RuntimeWarning]
    assert len(messages) == 1, [str(w.message) for w in caught]
    message = messages[0]
    cut_line = function.__code__.co_firstlineno + 1
    assert message.startswith(f"{transform}: argument(s) 0 got no gradient, zeros returned")
    assert kind in message and f"{HERE}:{cut_line}" in message
    # the warning points at the user's line that called the transformation
    warning = next(w for w in caught if w.category is RuntimeWarning)
    assert warning.filename == HERE
    # nothing changed: the argument keeps its value, is no trainable leaf, has no .grad
    np.testing.assert_array_equal(x.numpy(), before)
    assert not x.requires_grad and x.grad is None and x.is_leaf
    assert ndgrad.autograd.mode.state.transforms == 0


def test_a_cut_trainable_argument_is_warned_and_keeps_its_state():
    w = ndgrad.Variable([1.0, 2.0])
    with pytest.warns(RuntimeWarning, match=r"converted to a Python number"):
        g = ndgrad.grad(cut_by_item)(w)
    assert g.tolist() == [0.0, 0.0] and w.grad is None and w.trainable and w.is_leaf


def test_one_cut_argument_among_connected_ones_is_warned():
    def f(a, b):
        return (a * 3).sum() + ndgrad.tensor(b.sum().item())
    with pytest.warns(RuntimeWarning, match=r"argument 1: the path to the result was cut"):
        ga, gb = ndgrad.grad(f, argnums=(0, 1))(ndgrad.ones(2), ndgrad.ones(2))
    assert ga.tolist() == [3.0, 3.0] and gb.tolist() == [0.0, 0.0]


def test_a_result_made_of_constants_only_is_warned():
    with pytest.warns(RuntimeWarning, match=r"does not depend on any argument"):
        g = ndgrad.grad(lambda x: ndgrad.ones(()) * 2)(ndgrad.tensor(1.0))
    assert g.item() == 0.0


def test_a_true_zero_beside_a_real_gradient_is_not_warned():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ga, gb = ndgrad.grad(lambda a, b: (a * 2).sum(), argnums=(0, 1))(ndgrad.ones(2),
                                                                       ndgrad.ones(3))
    assert ga.tolist() == [2.0, 2.0] and gb.tolist() == [0.0, 0.0, 0.0]


def test_the_hessian_of_a_linear_function_is_zero_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hess = ndgrad.hessian(lambda x: (x * 3).sum())(ndgrad.tensor([1.0, 2.0]))
    assert hess.tolist() == [[0.0, 0.0], [0.0, 0.0]]


def test_a_function_returning_a_python_number_is_refused():
    with pytest.raises(ValueError, match=r"grad: the function must return a single-element "
                                         r"tensor, got shape float"):
        ndgrad.grad(lambda x: float(x))(ndgrad.tensor(1.0))


# -------------------------------------------------------------- copy construction
COPIES = {
    "ndgrad.tensor": (lambda t: ndgrad.tensor(t), "ndgrad.tensor(t) (or Tensor(t))"),
    "ndgrad.Tensor": (lambda t: ndgrad.Tensor(t), "ndgrad.tensor(t) (or Tensor(t))"),
    "torch.tensor": (lambda t: torch.tensor(t), "torch.tensor(t)"),
}


@pytest.mark.parametrize("how", COPIES)
def test_copying_a_tensor_that_requires_grad_warns_at_the_line_and_is_explained(how):
    copy, what = COPIES[how]
    w = ndgrad.Variable([1.0, 2.0], name="w")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = copy.__code__.co_firstlineno
        c = copy(w * 2)
    breaks = [x for x in caught if x.category is ndgrad.GradientBreakWarning]
    assert len(breaks) == 1 and breaks[0].filename == HERE and breaks[0].lineno == line
    message = str(breaks[0].message)
    assert message.startswith(f"{what} of a tensor that requires grad copies its values")
    assert "t.detach().clone()" in message
    assert not c.requires_grad and c.tolist() == [2.0, 4.0] and w.grad is None
    row = ndgrad.explain((c * 1).sum(), [w]).rows[0]
    assert f"copied by {what}" in row["reason"] and row["where"] == f"{HERE}:{line}"


def test_copying_under_no_grad_or_a_constant_is_quiet():
    w = ndgrad.Variable([1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with ndgrad.no_grad():
            ndgrad.tensor(w)
        ndgrad.tensor(ndgrad.ones(2))
        torch.tensor(torch.ones(2))
        ndgrad.Variable(w * 2)          # a Variable copies its initial value on purpose
        ndgrad.tensor(w.detach().clone())


def test_a_tape_jacobian_of_a_cut_target_warns_as_its_gradient_does():
    x = ndgrad.Variable([1.0, 2.0])
    with ndgrad.GradientTape(persistent=True) as tape:
        y = ndgrad.tensor(x.numpy() * 2)
        z = x.detach() * 3
    with pytest.warns(RuntimeWarning, match=r"GradientTape.jacobian: no source got a gradient"):
        assert tape.jacobian(y, x) is None
    with pytest.warns(RuntimeWarning, match=r"the path to the target was cut: detach"):
        assert tape.jacobian(z, x) is None
    with pytest.warns(RuntimeWarning, match=r"GradientTape.jacobian: no source got a gradient"):
        assert tape.jacobian(z, x, unconnected_gradients="zero").tolist() == [[0.0, 0.0]] * 2


def test_keras_inference_converts_to_numpy_without_a_warning():
    import warnings
    model = ndgrad.Sequential([ndgrad.layers.Dense(2, input_shape=(3,)),
                               ndgrad.layers.Dense(1)])
    x = np.ones((4, 3), dtype=np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ndgrad.GradientBreakWarning)
        out = np.asarray(model(x))                      # inference: Keras gives no gradient
        assert out.shape == (4, 1)
    # where a gradient is expected, the cut still warns
    with pytest.warns(ndgrad.GradientBreakWarning):
        with ndgrad.GradientTape():
            np.asarray(model(x))
    with pytest.warns(ndgrad.GradientBreakWarning):
        np.asarray(model(x, training=True))
    with pytest.warns(ndgrad.GradientBreakWarning):
        np.asarray(ndgrad.nn.Linear(3, 1)(ndgrad.tensor(x)))   # PyTorch face: autograd is on
