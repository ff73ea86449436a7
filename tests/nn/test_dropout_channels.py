"""Channel and alpha dropout against PyTorch 2.13: which entries share a decision,
the values kept and dropped, the warnings and errors per input rank, eval mode,
gradients; and the Keras spatial/alpha dropout layers."""

import warnings

import numpy as np
import pytest

import ndgrad
import ndgrad.nn.functional as F
from ndgrad import layers, nn

torch = pytest.importorskip("torch")
TF = torch.nn.functional


def _groups(out, shape):
    """The number of distinct values inside each block of ``shape``'s leading entries."""
    return out.reshape(shape + (-1,)).std(axis=-1).max()


def _run_both(ours, theirs, shape, p=0.5, training=True):
    """Both frameworks' outputs on ones of ``shape``, and whether each warned."""
    with warnings.catch_warnings(record=True) as ours_warned:
        warnings.simplefilter("always")
        out = ours(ndgrad.ones(shape), p, training)
    with warnings.catch_warnings(record=True) as theirs_warned:
        warnings.simplefilter("always")
        expected = theirs(torch.ones(shape), p, training)
    return out.numpy(), expected.numpy(), bool(ours_warned), bool(theirs_warned)


@pytest.mark.parametrize("name, shape, block", [
    ("dropout1d", (4, 6, 5), (4, 6)), ("dropout1d", (40, 5), (40,)),
    ("dropout2d", (4, 6, 3, 3), (4, 6)), ("dropout2d", (4, 6, 5), (4, 6)),
    ("dropout2d", (30, 40), (30, 40)), ("dropout2d", (2, 3, 2, 2, 2), (2, 3)),
    ("dropout3d", (2, 8, 2, 2, 2), (2, 8)), ("dropout3d", (8, 2, 2, 2), (8,)),
    ("dropout3d", (30, 4), (30,)), ("dropout3d", (30,), (30,)),
    ("feature_alpha_dropout", (5, 6, 4), (5, 6)),
])
def test_channel_dropout_shares_decisions_and_warns_as_pytorch(name, shape, block):
    ndgrad.random.seed(0)
    torch.manual_seed(0)
    ours, theirs, ours_warned, theirs_warned = _run_both(getattr(F, name), getattr(TF, name),
                                                         shape)
    assert ours.shape == theirs.shape and ours.dtype == np.float32
    assert ours_warned == theirs_warned
    assert _groups(ours, block) == 0 and _groups(theirs, block) == 0
    assert sorted(set(ours.ravel().tolist())) == pytest.approx(
        sorted(set(theirs.ravel().tolist())))


def test_dropout2d_on_batch_by_features_is_element_dropout_with_a_warning():
    ndgrad.random.seed(3)
    with pytest.warns(UserWarning, match="dropout2d: received a 2-D input"):
        out = nn.Dropout2d(0.5)(ndgrad.ones((200, 100))).numpy()
    assert abs(np.mean(out == 0) - 0.5) < 0.02
    assert 0.3 < np.mean(out == 0, axis=1).min() and np.mean(out == 0, axis=1).max() < 0.7
    with pytest.warns(UserWarning, match="2-D input"):         # eval mode warns too
        assert nn.Dropout2d().eval()(ndgrad.ones((2, 3))).tolist() == [[1.0] * 3] * 2


@pytest.mark.parametrize("name, shape", [("dropout1d", (4,)), ("dropout1d", (2, 3, 4, 5)),
                                         ("dropout2d", (4,)), ("feature_alpha_dropout", (4,))])
def test_inputs_pytorch_refuses_are_refused(name, shape):
    with pytest.raises(RuntimeError):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            getattr(TF, name)(torch.ones(shape), 0.5, True)
    with pytest.raises(ndgrad.ShapeError, match=name):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            getattr(F, name)(ndgrad.ones(shape), 0.5, True)


@pytest.mark.parametrize("p", [0.2, 0.5, 0.9])
def test_alpha_dropout_values_match_pytorch(p):
    ndgrad.random.seed(0)
    torch.manual_seed(0)
    x = 3 + np.abs(np.random.default_rng(0).normal(size=(300, 40))).astype(np.float32)
    ours = F.alpha_dropout(ndgrad.tensor(x), p, True).numpy()
    theirs = TF.alpha_dropout(torch.tensor(x), p, True).numpy()
    # PyTorch's map read off its own output (positive inputs: the dropped value is the
    # minimum): kept = a * x + b.
    dropped = np.isclose(theirs, theirs.min())
    a, b = np.polyfit(x[~dropped], theirs[~dropped], 1)
    ours_dropped = np.isclose(ours, theirs.min(), rtol=1e-6)
    np.testing.assert_allclose(ours[~ours_dropped], a * x[~ours_dropped] + b, rtol=1e-4,
                               atol=1e-5)
    assert abs(np.mean(ours_dropped) - np.mean(dropped)) < 0.02


def test_alpha_dropout_keeps_selu_statistics():
    ndgrad.random.seed(1)
    x = ndgrad.tensor(np.random.default_rng(1).normal(size=(400, 500)).astype(np.float32))
    out = nn.AlphaDropout(0.3)(x).numpy()
    assert abs(out.mean()) < 0.01 and abs(out.std() - 1.0) < 0.01


def test_defaults_eval_and_extremes_match_pytorch():
    x = ndgrad.ones((2, 3, 4))
    assert F.alpha_dropout(x, 0.5) is x and F.feature_alpha_dropout(x, 0.5) is x   # training=False
    for layer in (nn.Dropout1d(), nn.Dropout2d(), nn.Dropout3d(), nn.AlphaDropout(),
                  nn.FeatureAlphaDropout()):
        layer.eval()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert layer(x) is x
    for name in ("alpha_dropout", "feature_alpha_dropout", "dropout2d"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert getattr(F, name)(x, 1.0, True).numpy().tolist() == \
                getattr(TF, name)(torch.ones(2, 3, 4), 1.0, True).tolist()
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        nn.Dropout3d(1.5)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        F.alpha_dropout(x, -0.1, True)


def test_reprs_and_state_match_pytorch():
    for name in ("Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"):
        ours, theirs = getattr(nn, name)(0.25, inplace=True), getattr(torch.nn, name)(0.25, True)
        assert repr(ours) == repr(theirs)
        assert list(ours.state_dict()) == list(theirs.state_dict()) == []


@pytest.mark.parametrize("name", ["dropout1d", "dropout2d", "dropout3d", "alpha_dropout",
                                  "feature_alpha_dropout"])
def test_gradients_are_exact(name):
    x = np.random.default_rng(2).normal(size=(3, 4, 5))
    function = getattr(F, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert ndgrad.gradcheck(
            lambda t: function(t, 0.4, True, generator=np.random.default_rng(7)), [x],
            second_order=True)


def test_mask_is_reproducible_with_the_ndgrad_seed():
    ndgrad.random.seed(5)
    first = F.dropout1d(ndgrad.ones((4, 6, 2)), 0.5).numpy()
    ndgrad.random.seed(5)
    np.testing.assert_array_equal(F.dropout1d(ndgrad.ones((4, 6, 2)), 0.5).numpy(), first)


def test_keras_spatial_dropout_drops_whole_channels_last():
    layer = layers.SpatialDropout2D(0.5, seed=1)
    x = ndgrad.ones((2, 3, 3, 8))
    assert layer(x) is x                                   # inactive unless training
    out = layer(x, training=True).numpy()
    assert out.reshape(2, 9, 8).std(axis=1).max() == 0 and 0 < np.mean(out == 0) < 1
    first = layers.SpatialDropout2D(0.5, data_format="channels_first", seed=1)
    assert first(x, training=True).numpy().reshape(2, 3, 24).std(axis=2).max() == 0
    assert layers.SpatialDropout1D(0.5)(ndgrad.ones((2, 5, 4)), training=True).numpy().reshape(
        2, 5, 4).std(axis=1).max() == 0
    assert layers.SpatialDropout3D(0.5)(ndgrad.ones((1, 2, 2, 2, 4)), training=True).shape == \
        (1, 2, 2, 2, 4)
    with pytest.raises(ndgrad.ShapeError, match="SpatialDropout2D: expected a 4-D input"):
        layers.SpatialDropout2D(0.5)(ndgrad.ones((2, 3)), training=True)
    assert layer.get_config()["rate"] == 0.5


def test_keras_alpha_dropout_is_the_same_map():
    layer = layers.AlphaDropout(0.3, seed=0)
    x = ndgrad.ones((50, 50))
    assert layer(x) is x
    values = sorted(set(layer(x, training=True).numpy().round(4).ravel().tolist()))
    ndgrad.random.seed(0)
    assert values == sorted(set(nn.AlphaDropout(0.3)(x).numpy().round(4).ravel().tolist()))
