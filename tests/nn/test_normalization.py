"""Normalization layers, both faces: BatchNorm1d/2d, LayerNorm, GroupNorm against
PyTorch; BatchNormalization and LayerNormalization by formula and against PyTorch
with the layout transposed; frozen batch normalization; the primitives' gradients."""

import numpy as np
import pytest

import ndgrad
from ndgrad import nn
from ndgrad.nn import normalization
from ndgrad.ops.normalization import batch_norm, group_norm, layer_norm

torch = pytest.importorskip("torch")


def keras(name):
    """The Keras-face class as users reach it (``ndgrad.layers.X``), or from this
    module's exports until the lead wires it into ``ndgrad.layers``."""
    return getattr(ndgrad.layers, name, None) or normalization.KERAS_EXPORTS[name]


def _data(shape, seed=0, scale=2.0, shift=0.5):
    return (np.random.default_rng(seed).normal(size=shape) * scale + shift).astype(np.float32)


def _randomize(reference):
    with torch.no_grad():
        for parameter in reference.parameters():
            parameter.copy_(torch.randn_like(parameter))
    return reference


def _compare_forward_backward(layer, reference, x, rtol=1e-4, atol=1e-5, **call):
    ours_x = ndgrad.tensor(x, requires_grad=True)
    theirs_x = torch.tensor(x, requires_grad=True)
    ours, theirs = layer(ours_x, **call), reference(theirs_x)
    assert ours.dtype == np.float32
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=rtol, atol=atol)
    cotangent = _data(ours.shape, seed=7)
    (ours * ndgrad.tensor(cotangent)).sum().backward()
    theirs.backward(torch.tensor(cotangent))
    np.testing.assert_allclose(ours_x.grad.numpy(), theirs_x.grad.numpy(), rtol=rtol, atol=atol)
    for (name, parameter), (_, expected) in zip(layer.named_parameters(),
                                                reference.named_parameters()):
        np.testing.assert_allclose(parameter.grad.numpy(), expected.grad.numpy(), rtol=rtol,
                                   atol=atol, err_msg=name)


# ---------------------------------------------------------------- PyTorch face
@pytest.mark.parametrize("ours, theirs, shape", [
    (nn.BatchNorm1d, torch.nn.BatchNorm1d, (6, 3)),
    (nn.BatchNorm1d, torch.nn.BatchNorm1d, (4, 3, 5)),
    (nn.BatchNorm2d, torch.nn.BatchNorm2d, (4, 3, 5, 2)),
])
def test_batch_norm_matches_pytorch_in_training_and_evaluation(ours, theirs, shape):
    reference = _randomize(theirs(3))
    layer = ours(3)
    layer.load_state_dict(reference.state_dict())
    for step in range(3):
        x = _data(shape, seed=step)
        _compare_forward_backward(layer, reference, x)
        layer.zero_grad(), reference.zero_grad()
    np.testing.assert_allclose(layer.running_mean.numpy(), reference.running_mean.numpy(),
                               rtol=1e-5)
    np.testing.assert_allclose(layer.running_var.numpy(), reference.running_var.numpy(),
                               rtol=1e-5)
    assert int(layer.num_batches_tracked.item()) == 3 == int(reference.num_batches_tracked)
    layer.eval(), reference.eval()
    _compare_forward_backward(layer, reference, _data(shape, seed=9))
    assert int(layer.num_batches_tracked.item()) == 3


def test_batch_norm_cumulative_average_with_momentum_none_matches_pytorch():
    layer, reference = nn.BatchNorm1d(2, momentum=None), torch.nn.BatchNorm1d(2, momentum=None)
    for step in range(4):
        x = _data((5, 2), seed=step, shift=step)
        layer(ndgrad.tensor(x)), reference(torch.tensor(x))
    np.testing.assert_allclose(layer.running_mean.numpy(), reference.running_mean.numpy(),
                               rtol=1e-5)
    np.testing.assert_allclose(layer.running_var.numpy(), reference.running_var.numpy(),
                               rtol=1e-5)


@pytest.mark.parametrize("options", [{"affine": False}, {"track_running_stats": False},
                                     {"eps": 0.1, "momentum": 0.5}])
def test_batch_norm_options_match_pytorch(options):
    reference = _randomize(torch.nn.BatchNorm2d(2, **options))
    layer = nn.BatchNorm2d(2, **options)
    layer.load_state_dict(reference.state_dict())
    assert list(layer.state_dict()) == list(reference.state_dict())
    _compare_forward_backward(layer, reference, _data((3, 2, 2, 2)))
    layer.eval(), reference.eval()
    _compare_forward_backward(layer, reference, _data((3, 2, 2, 2), seed=1))


def test_batch_norm_2d_parameters_buffers_and_state_round_trip():
    layer = nn.BatchNorm2d(4)
    assert sum(p.size for p in layer.parameters()) == 8
    assert sum(b.size for b in layer.buffers()) == 9
    assert [n for n, _ in layer.named_buffers()] == ["running_mean", "running_var",
                                                    "num_batches_tracked"]
    assert layer.num_batches_tracked.dtype == np.int64
    for step in range(2):
        layer(ndgrad.tensor(_data((3, 4, 2, 2), seed=step)))
    copy = nn.BatchNorm2d(4)
    copy.load_state_dict(layer.state_dict())
    assert int(copy.num_batches_tracked.item()) == 2
    x = ndgrad.tensor(_data((3, 4, 2, 2), seed=5))
    np.testing.assert_array_equal(copy.eval()(x).numpy(), layer.eval()(x).numpy())


def test_loading_a_trained_pytorch_batch_norm_2d_state():
    reference = _randomize(torch.nn.BatchNorm2d(3))
    for step in range(3):
        reference(torch.tensor(_data((4, 3, 2, 2), seed=step)))
    reference.eval()
    layer = nn.BatchNorm2d(3).eval()
    layer.load_state_dict(reference.state_dict())
    x = _data((2, 3, 2, 2), seed=4)
    np.testing.assert_allclose(layer(ndgrad.tensor(x)).numpy(),
                               reference(torch.tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-6)


def test_batch_norm_errors_name_the_layer_and_shapes():
    with pytest.raises(ndgrad.ShapeError, match=r"BatchNorm2d.*4-D.*got 3.*\(2, 3, 4\)"):
        nn.BatchNorm2d(3)(ndgrad.ones((2, 3, 4)))
    with pytest.raises(ndgrad.ShapeError, match=r"BatchNorm1d.*expected 3 channels.*got 5"):
        nn.BatchNorm1d(3)(ndgrad.ones((2, 5)))
    layer = nn.BatchNorm1d(3)
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        layer(ndgrad.ones((1, 3)))
    assert int(layer.num_batches_tracked.item()) == 0          # nothing changed
    assert layer.running_mean.tolist() == [0.0, 0.0, 0.0]
    with pytest.raises(ValueError, match="momentum"):
        nn.BatchNorm1d(3, momentum=2.0)


def test_batch_norm_step_lowers_a_loss_and_works_in_float64():
    layer = nn.BatchNorm2d(2)
    _randomize_ours(layer)
    x = ndgrad.tensor(_data((4, 2, 3, 3)))
    optimizer = ndgrad.optim.SGD(layer.parameters(), lr=0.1)
    first = ((layer(x) - 1.0) ** 2).mean()
    first.backward()
    optimizer.step()
    assert ((layer(x) - 1.0) ** 2).mean().item() < first.item()
    double = nn.BatchNorm2d(2).double()
    assert double(ndgrad.tensor(_data((2, 2, 1, 1)).astype(np.float64))).dtype == np.float64


def _randomize_ours(layer):
    for parameter in layer.parameters():
        parameter.assign(ndgrad.random.normal(parameter.shape))


def test_layer_norm_matches_pytorch_and_loads_its_state():
    for shape, normalized in [((4, 6), 6), ((2, 3, 4), (3, 4))]:
        reference = _randomize(torch.nn.LayerNorm(normalized))
        layer = nn.LayerNorm(normalized)
        layer.load_state_dict(reference.state_dict())
        _compare_forward_backward(layer, reference, _data(shape))
    for options in [{"elementwise_affine": False}, {"bias": False}, {"eps": 0.5}]:
        reference = _randomize(torch.nn.LayerNorm(5, **options))
        layer = nn.LayerNorm(5, **options)
        assert list(layer.state_dict()) == list(reference.state_dict())
        layer.load_state_dict(reference.state_dict())
        _compare_forward_backward(layer, reference, _data((3, 5)))
    assert sum(p.size for p in nn.LayerNorm((3, 4)).parameters()) == 24


def test_layer_norm_errors_and_one_step():
    with pytest.raises(ndgrad.ShapeError, match=r"LayerNorm.*normalized_shape \(4,\).*\(2, 5\)"):
        nn.LayerNorm(4)(ndgrad.ones((2, 5)))
    layer = nn.LayerNorm(3)
    _randomize_ours(layer)
    x = ndgrad.tensor(_data((5, 3)))
    optimizer = ndgrad.optim.SGD(layer.parameters(), lr=0.1)
    first = ((layer(x) - 0.5) ** 2).mean()
    first.backward()
    optimizer.step()
    assert ((layer(x) - 0.5) ** 2).mean().item() < first.item()


def test_group_norm_matches_pytorch():
    reference = _randomize(torch.nn.GroupNorm(2, 4))
    layer = nn.GroupNorm(2, 4)
    layer.load_state_dict(reference.state_dict())
    _compare_forward_backward(layer, reference, _data((3, 4, 2, 3)))
    with pytest.raises(ValueError, match="divisible"):
        nn.GroupNorm(3, 4)


# ---------------------------------------------------------------- Keras face
def test_batch_normalization_weights_counts_and_defaults():
    bn = keras("BatchNormalization")()
    assert bn.training is False and not bn.built
    bn(ndgrad.ones((2, 5, 3)))
    assert [(v.name.split("/")[-1], v.shape) for v in bn.variables] == [
        ("gamma", (3,)), ("beta", (3,)), ("moving_mean", (3,)), ("moving_variance", (3,))]
    assert bn.count_params() == 12 and sum(v.size for v in bn.trainable_variables) == 6
    assert [v.name.split("/")[-1] for v in bn.non_trainable_variables] == [
        "moving_mean", "moving_variance"]
    built = keras("BatchNormalization")(input_shape=(4,), center=False)
    assert built.built and built.count_params() == 12 and len(built.trainable_variables) == 1


def test_batch_normalization_training_follows_the_keras_formulas():
    bn = keras("BatchNormalization")(momentum=0.9)
    x = _data((6, 4))
    out = bn(ndgrad.tensor(x), training=True)
    mean, variance = x.mean(axis=0), x.var(axis=0)          # biased, as Keras
    np.testing.assert_allclose(out.numpy(), (x - mean) / np.sqrt(variance + 1e-3), rtol=1e-4,
                               atol=1e-5)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.9 * 0 + 0.1 * mean, rtol=1e-5)
    np.testing.assert_allclose(bn.moving_variance.numpy(), 0.9 * 1 + 0.1 * variance, rtol=1e-5)
    moving = bn.moving_mean.numpy().copy()
    inference = bn(ndgrad.tensor(x))                         # no training=True: inference
    np.testing.assert_array_equal(bn.moving_mean.numpy(), moving)
    expected = (x - moving) / np.sqrt(bn.moving_variance.numpy() + 1e-3)
    np.testing.assert_allclose(inference.numpy(), expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("axis", [-1, 1])
def test_batch_normalization_equals_pytorch_with_the_layout_transposed(axis):
    bn = keras("BatchNormalization")(axis=axis, momentum=0.99)
    reference = _randomize(torch.nn.BatchNorm2d(3, eps=1e-3, momentum=0.01))
    x_nchw = _data((4, 3, 2, 5))
    x = x_nchw.transpose(0, 2, 3, 1) if axis == -1 else x_nchw
    bn.build(x.shape)
    bn.gamma.assign(reference.weight.detach().numpy())
    bn.beta.assign(reference.bias.detach().numpy())
    ours_x, theirs_x = ndgrad.tensor(x, requires_grad=True), torch.tensor(x_nchw,
                                                                          requires_grad=True)
    ours, theirs = bn(ours_x, training=True), reference(theirs_x)
    back = (lambda a: a.transpose(0, 3, 1, 2)) if axis == -1 else (lambda a: a)
    np.testing.assert_allclose(back(ours.numpy()), theirs.detach().numpy(), rtol=1e-4,
                               atol=1e-5)
    cotangent = _data(x_nchw.shape, seed=3)
    forward_layout = cotangent.transpose(0, 2, 3, 1) if axis == -1 else cotangent
    (ours * ndgrad.tensor(forward_layout)).sum().backward()
    theirs.backward(torch.tensor(cotangent))
    np.testing.assert_allclose(back(ours_x.grad.numpy()), theirs_x.grad.numpy(), rtol=1e-4,
                               atol=1e-5)
    np.testing.assert_allclose(bn.gamma.grad.numpy(), reference.weight.grad.numpy(), rtol=1e-4)
    np.testing.assert_allclose(bn.beta.grad.numpy(), reference.bias.grad.numpy(), rtol=1e-4)
    # the same decay on the mean; Keras keeps the biased variance, PyTorch the unbiased
    np.testing.assert_allclose(bn.moving_mean.numpy(), reference.running_mean.numpy(), rtol=1e-5)
    count = x.size // 3
    np.testing.assert_allclose((bn.moving_variance.numpy() - 0.99) * count / (count - 1),
                               reference.running_var.numpy() - 0.99, rtol=1e-4)


def test_batch_normalization_state_round_trip_and_errors():
    bn = keras("BatchNormalization")()
    bn(ndgrad.tensor(_data((5, 3))), training=True)
    copy = keras("BatchNormalization")()
    copy.build((None, 3))
    copy.set_weights(bn.get_weights())
    x = ndgrad.tensor(_data((2, 3), seed=2))
    np.testing.assert_array_equal(copy(x).numpy(), bn(x).numpy())
    other = keras("BatchNormalization")(input_shape=(3,))
    other.load_state_dict(bn.state_dict())
    np.testing.assert_array_equal(other(x).numpy(), bn(x).numpy())
    with pytest.raises(ndgrad.ShapeError, match=r"BatchNormalization.*3 channels.*\(2, 4\)"):
        bn(ndgrad.ones((2, 4)))


def test_layer_normalization_formula_axes_and_pytorch():
    layer = keras("LayerNormalization")()
    x = _data((3, 4, 5))
    out = layer(ndgrad.tensor(x))
    mean, variance = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    np.testing.assert_allclose(out.numpy(), (x - mean) / np.sqrt(variance + 1e-3), rtol=1e-4,
                               atol=1e-5)
    assert [(v.name.split("/")[-1], v.shape) for v in layer.variables] == [("gamma", (5,)),
                                                                          ("beta", (5,))]
    multi = keras("LayerNormalization")(axis=[1, 2])
    out = multi(ndgrad.tensor(x))
    mean, variance = x.mean((1, 2), keepdims=True), x.var((1, 2), keepdims=True)
    np.testing.assert_allclose(out.numpy(), (x - mean) / np.sqrt(variance + 1e-3), rtol=1e-4,
                               atol=1e-5)
    assert multi.gamma.shape == (4, 5) and multi.count_params() == 40
    reference = _randomize(torch.nn.LayerNorm(5, eps=1e-3))
    layer.gamma.assign(reference.weight.detach().numpy())
    layer.beta.assign(reference.bias.detach().numpy())
    _compare_forward_backward(layer, reference, x)


# ---------------------------------------------------------------- frozen statistics
def _train_steps(model, optimizer, inputs, steps=3, **call):
    for step in range(steps):
        optimizer.zero_grad()
        loss = (model(inputs, **call) ** 2).mean()
        loss.backward()
        optimizer.step()


def test_frozen_batch_norm_in_a_pytorch_backbone_keeps_its_statistics_and_weights():
    backbone = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
    bn = backbone[1]
    bn(ndgrad.tensor(_data((8, 4))))                 # give it non-trivial statistics
    _randomize_ours(bn)
    model = nn.Sequential(backbone, nn.ReLU(), nn.Linear(4, 1))
    backbone.trainable = False
    model.train()
    before = {name: tensor.numpy().copy() for name, tensor in bn.state_dict().items()}
    optimizer = ndgrad.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=0.1)
    x = ndgrad.tensor(_data((8, 3), seed=1))
    _train_steps(model, optimizer, x)
    model(x, training=True)
    for name, tensor in bn.state_dict().items():
        np.testing.assert_array_equal(tensor.numpy(), before[name], err_msg=name)
    # a frozen BN normalizes with its running statistics, as in evaluation
    hidden = backbone[0](x)
    np.testing.assert_array_equal(bn(hidden).numpy(), bn.eval()(hidden).numpy())
    assert model[2].weight.grad is not None                  # the head did train


def test_frozen_batch_normalization_in_a_keras_backbone_keeps_its_statistics():
    bn = keras("BatchNormalization")()
    backbone = ndgrad.Sequential([ndgrad.layers.Dense(4, input_shape=(3,)), bn])
    x = ndgrad.tensor(_data((8, 3), seed=1))
    backbone(x, training=True)
    assert bn.moving_mean.numpy().any()                  # unfrozen, it did update
    model = ndgrad.Sequential([backbone, ndgrad.layers.Dense(1)])
    model(x)
    backbone.trainable = False
    before = [v.numpy().copy() for v in bn.variables]
    optimizer = ndgrad.optim.SGD(learning_rate=0.1, momentum=0.9, weight_decay=0.1)
    for step in range(3):
        with ndgrad.GradientTape() as tape:
            loss = (model(x, training=True) ** 2).mean()
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
    for variable, value in zip(bn.variables, before):
        np.testing.assert_array_equal(variable.numpy(), value, err_msg=variable.name)
    assert len(model.trainable_variables) == 2


# ---------------------------------------------------------------- primitives
def test_primitive_gradients_in_float64_first_and_second_order():
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=(5, 3, 4)), rng.normal(size=3), rng.normal(size=3)
    running = (rng.normal(size=3), rng.uniform(0.5, 2.0, size=3))
    assert ndgrad.gradcheck(lambda x, w, b: batch_norm(x, None, None, w, b, training=True),
                            [x, w, b], second_order=True)
    assert ndgrad.gradcheck(lambda x, w, b: batch_norm(x, *running, w, b), [x, w, b],
                            second_order=True)
    assert ndgrad.gradcheck(lambda x: batch_norm(x, None, None, training=True, axis=-1), [x],
                            second_order=True)
    lw, lb = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    assert ndgrad.gradcheck(lambda x, w, b: layer_norm(x, (3, 4), w, b), [x, lw, lb],
                            second_order=True)
    assert ndgrad.gradcheck(lambda x: layer_norm(x, axis=(0, 2)), [x], second_order=True)
    assert ndgrad.gradcheck(lambda x, w, b: group_norm(x, 3, w, b), [x, w, b])


def test_functional_forms_keep_float32_and_refuse_bad_statistics():
    x = ndgrad.tensor(_data((4, 3)))
    assert batch_norm(x, training=True).dtype == np.float32
    assert layer_norm(x, (3,)).dtype == np.float32
    running_mean = np.zeros(3, np.float32)
    with pytest.raises(ndgrad.ShapeError, match="running_var.*one value per channel"):
        batch_norm(x, running_mean, np.ones(2, np.float32), training=True)
    assert running_mean.tolist() == [0.0, 0.0, 0.0]             # refused before any write
    with pytest.raises(ValueError, match="running_mean and running_var are needed"):
        batch_norm(x)
    assert set(normalization.FUNCTIONAL) == {"batch_norm", "layer_norm", "group_norm"}
