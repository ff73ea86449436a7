"""Transformer layers and stacks against PyTorch: a PyTorch state_dict loads as it is,
outputs and gradients (inputs and every parameter) match for batch_first and
norm_first both ways, both activations, with and without bias, under every kind of
mask; gradients also against float64 finite differences."""

import numpy as np
import pytest

import ndgrad
from ndgrad import nn

# PyTorch, the oracle here, warns about its own nested-tensor fast path and mask types.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning:torch")

torch = pytest.importorskip("torch")

E, HEADS, FF, S, T, N = 8, 2, 12, 5, 4, 3


def _pair(kind, dropout=0.0, **config):
    """(ours, theirs) of one class and configuration, ours holding torch's weights."""
    if kind in ("TransformerEncoder", "TransformerDecoder"):
        layer_kind = kind + "Layer"
        theirs = getattr(torch.nn, kind)(getattr(torch.nn, layer_kind)(
            E, HEADS, FF, dropout, **config), 2, norm=torch.nn.LayerNorm(E),
            **({"enable_nested_tensor": False} if kind == "TransformerEncoder" else {}))
        ours = getattr(nn, kind)(getattr(nn, layer_kind)(E, HEADS, FF, dropout, **config), 2,
                                 norm=nn.LayerNorm(E))
    elif kind == "Transformer":
        theirs = torch.nn.Transformer(E, HEADS, 2, 2, FF, dropout, **config)
        ours = nn.Transformer(E, HEADS, 2, 2, FF, dropout, **config)
    else:
        theirs = getattr(torch.nn, kind)(E, HEADS, FF, dropout, **config)
        ours = getattr(nn, kind)(E, HEADS, FF, dropout, **config)
    with torch.no_grad():                     # non-trivial norms and biases
        for p in theirs.parameters():
            if p.ndim == 1:
                p.add_(torch.randn(p.shape) * 0.1)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict(theirs.state_dict())
    return ours, theirs


def _data(batch_first, seed=0):
    rng = np.random.default_rng(seed)
    layout = (lambda length: (N, length, E)) if batch_first else (lambda length: (length, N, E))
    return (rng.normal(size=layout(S)).astype(np.float32),
            rng.normal(size=layout(T)).astype(np.float32))


def _masks(name):
    """Keyword masks by case name, as NumPy arrays (ours) for both libraries."""
    causal_t = np.triu(np.full((T, T), -np.inf, np.float32), 1)
    padding_s = np.zeros((N, S), bool)
    padding_s[0, -2:] = True
    padding_t = np.zeros((N, T), bool)
    padding_t[1, -1] = True
    rng = np.random.default_rng(3)
    return {
        "none": {},
        "causal": {"tgt_mask": causal_t},
        "bool": {"tgt_mask": np.triu(np.ones((T, T), bool), 1),
                 "memory_mask": rng.random((T, S)) < 0.3, "src_mask": rng.random((S, S)) < 0.3},
        "float": {"src_mask": rng.normal(size=(S, S)).astype(np.float32),
                  "memory_mask": rng.normal(size=(T, S)).astype(np.float32)},
        "padding": {"tgt_mask": causal_t, "src_key_padding_mask": padding_s,
                    "memory_key_padding_mask": padding_s, "tgt_key_padding_mask": padding_t},
        "float-padding": {"src_key_padding_mask": np.where(padding_s, -np.inf, 0.0
                                                           ).astype(np.float32)},
    }[name]


def _arguments(kind, masks, convert):
    """Keep the masks the class takes, renamed to its keywords."""
    names = {
        "Transformer": {k: k for k in masks},
        "TransformerEncoder": {"src_mask": "mask", "src_key_padding_mask":
                               "src_key_padding_mask"},
        "TransformerEncoderLayer": {"src_mask": "src_mask",
                                    "src_key_padding_mask": "src_key_padding_mask"},
    }.get(kind, {"tgt_mask": "tgt_mask", "memory_mask": "memory_mask",
                 "tgt_key_padding_mask": "tgt_key_padding_mask",
                 "memory_key_padding_mask": "memory_key_padding_mask"})
    return {names[k]: convert(v) for k, v in masks.items() if k in names}


def _run(module, kind, src, tgt, masks, convert):
    keywords = _arguments(kind, masks, convert)
    if kind == "Transformer":
        return module(src, tgt, **keywords)
    if kind.startswith("TransformerEncoder"):
        return module(src, **keywords)
    return module(tgt, src, **keywords)           # decoder: target, memory


def _check_against_torch(kind, batch_first, masks="none", **config):
    ours, theirs = _pair(kind, batch_first=batch_first, **config)
    src, tgt = _data(batch_first)
    mask_arrays = _masks(masks)
    ours_in = [ndgrad.tensor(a, requires_grad=True) for a in (src, tgt)]
    theirs_in = [torch.tensor(a, requires_grad=True) for a in (src, tgt)]
    out = _run(ours, kind, *ours_in, mask_arrays, ndgrad.tensor)
    expected = _run(theirs, kind, *theirs_in, mask_arrays, torch.tensor)
    np.testing.assert_allclose(out.numpy(), expected.detach().numpy(), rtol=1e-4, atol=1e-5)
    cotangent = np.random.default_rng(7).normal(size=out.shape).astype(np.float32)
    out.backward(ndgrad.tensor(cotangent))
    expected.backward(torch.tensor(cotangent))
    for a, b in zip(ours_in, theirs_in):
        if b.grad is not None:
            np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-4, atol=1e-5)
    theirs_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), theirs_params[name].grad.numpy(),
                                   rtol=1e-4, atol=1e-5, err_msg=name)


KINDS = ["TransformerEncoderLayer", "TransformerDecoderLayer", "TransformerEncoder",
         "TransformerDecoder", "Transformer"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("norm_first", [False, True])
def test_outputs_and_gradients_match_pytorch(kind, batch_first, norm_first):
    _check_against_torch(kind, batch_first, "padding", norm_first=norm_first)


@pytest.mark.parametrize("masks", ["none", "causal", "bool", "float", "padding",
                                   "float-padding"])
@pytest.mark.parametrize("kind", ["Transformer", "TransformerDecoderLayer"])
def test_every_kind_of_mask_matches_pytorch(kind, masks):
    _check_against_torch(kind, True, masks)


@pytest.mark.parametrize("config", [{"activation": "gelu"}, {"bias": False},
                                    {"layer_norm_eps": 1e-3, "norm_first": True}],
                         ids=["gelu", "no-bias", "eps"])
def test_settings_match_pytorch(config):
    _check_against_torch("Transformer", False, "causal", **config)


def test_a_callable_activation_as_function_or_module():
    for activation in (nn.functional.gelu, nn.GELU()):
        ours, theirs = _pair("TransformerEncoderLayer", activation=(
            torch.nn.functional.gelu if callable(activation) and not isinstance(
                activation, nn.Module) else torch.nn.GELU()))
        ours.activation = activation
        src = _data(False)[0]
        np.testing.assert_allclose(ours(ndgrad.tensor(src)).numpy(),
                                   theirs(torch.tensor(src)).detach().numpy(), atol=1e-5)


def test_eval_mode_matches_pytorch_s_fast_path_where_not_padded():
    ours, theirs = _pair("TransformerEncoder", dropout=0.1, batch_first=True)
    nested = torch.nn.TransformerEncoder(theirs.layers[0], 2, norm=theirs.norm)
    nested.load_state_dict(theirs.state_dict())
    ours.eval(), nested.eval()
    src = _data(True)[0]
    padding = _masks("padding")["src_key_padding_mask"]
    with torch.no_grad():
        expected = nested(torch.tensor(src), src_key_padding_mask=torch.tensor(padding)).numpy()
    out = ours(ndgrad.tensor(src), src_key_padding_mask=padding).numpy()
    # PyTorch's nested tensors leave zeros at padded positions (then its final norm)
    np.testing.assert_allclose(out[~padding], expected[~padding], rtol=1e-4, atol=1e-5)


def test_is_causal_without_a_mask_is_the_causal_mask():
    model = nn.Transformer(E, HEADS, 1, 1, FF, 0.0)
    src, tgt = (ndgrad.tensor(a) for a in _data(False))
    mask = nn.Transformer.generate_square_subsequent_mask(T)
    np.testing.assert_allclose(model(src, tgt, tgt_is_causal=True).numpy(),
                               model(src, tgt, tgt_mask=mask).numpy(), atol=1e-6)
    assert mask.dtype == np.float32 and mask.shape == (T, T)
    np.testing.assert_array_equal(mask.numpy(),
                                  torch.nn.Transformer.generate_square_subsequent_mask(T).numpy())


def test_unbatched_inputs():
    ours, theirs = _pair("Transformer")
    src, tgt = (a[:, 0] for a in _data(False))
    np.testing.assert_allclose(ours(ndgrad.tensor(src), ndgrad.tensor(tgt)).numpy(),
                               theirs(torch.tensor(src), torch.tensor(tgt)).detach().numpy(),
                               rtol=1e-4, atol=1e-5)


def _functional_call(module, names, values, *args, **kwargs):
    """Call ``module`` with its parameters replaced by ``values`` (differentiable inputs)."""
    saved = []
    for name, value in zip(names, values):
        owner_name, _, leaf = name.rpartition(".")
        owner = module.get_submodule(owner_name)
        saved.append((owner, leaf, owner.__dict__[leaf]))
        owner.__dict__[leaf] = value
    try:
        return module(*args, **kwargs)
    finally:
        for owner, leaf, value in saved:
            owner.__dict__[leaf] = value


@pytest.mark.parametrize("norm_first", [False, True])
def test_gradients_match_float64_finite_differences(norm_first):
    model = nn.Transformer(4, 2, 1, 1, 6, 0.0, activation="gelu", norm_first=norm_first,
                           batch_first=True).double()
    names = [name for name, _ in model.named_parameters()]
    rng = np.random.default_rng(0)
    src, tgt = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 2, 4))
    padding = np.array([[False, False, True], [False, False, False]])

    def loss(src, tgt, *values):
        return _functional_call(model, names, values, src, tgt, src_key_padding_mask=padding,
                                tgt_is_causal=True)

    inputs = [src, tgt] + [p.numpy().copy() for p in model.parameters()]
    assert ndgrad.gradcheck(loss, inputs, checks=3)


def test_clones_start_equal_and_train_independently():
    encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(E, HEADS, FF), 3)
    first, second = encoder.layers[0].linear1.weight, encoder.layers[1].linear1.weight
    assert first is not second
    np.testing.assert_array_equal(first.numpy(), second.numpy())
    first.assign(first * 0)
    assert float(np.abs(second.numpy()).sum()) > 0
    assert len(encoder.parameters()) == 3 * len(encoder.layers[0].parameters())


def test_transformer_initializes_weight_matrices_with_xavier_uniform():
    model = nn.Transformer(16, 2, 1, 1, 32)
    reference = torch.nn.Transformer(16, 2, 1, 1, 32)
    assert [n for n, _ in model.named_parameters()] == [n for n, _ in
                                                         reference.named_parameters()]
    for name, p in model.named_parameters():
        if p.ndim > 1:
            bound = np.sqrt(6.0 / sum(p.shape))
            assert np.abs(p.numpy()).max() <= bound and p.numpy().std() > bound / 4, name


def test_dropout_acts_in_training_only_and_a_step_lowers_the_loss():
    ndgrad.random.seed(0)
    model = nn.Transformer(E, HEADS, 1, 1, FF, dropout=0.5, batch_first=True)
    src, tgt = (ndgrad.tensor(a) for a in _data(True))
    target = ndgrad.tensor(np.random.default_rng(1).normal(size=(N, T, E)).astype(np.float32))
    assert not np.allclose(model(src, tgt).numpy(), model(src, tgt).numpy())
    model.eval()
    np.testing.assert_array_equal(model(src, tgt).numpy(), model(src, tgt).numpy())
    optimizer = ndgrad.optim.Adam(model.parameters(), lr=1e-2)
    losses = []
    for _ in range(3):
        optimizer.zero_grad()
        loss = ((model(src, tgt) - target) ** 2).mean()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0]


def test_repr_and_names_are_pytorch_s():
    ours, theirs = _pair("TransformerDecoderLayer")
    assert repr(ours) == repr(theirs).replace("NonDynamicallyQuantizableLinear", "Linear")


def test_bad_input_is_refused_clearly():
    model = nn.Transformer(E, HEADS, 1, 1, FF)
    src, tgt = (ndgrad.tensor(a) for a in _data(False))
    with pytest.raises(ndgrad.ShapeError, match="same batch size"):
        model(src, tgt[:, :2])
    with pytest.raises(ndgrad.ShapeError, match="d_model=8"):
        model(src[..., :4], tgt)
    with pytest.raises(ValueError, match="activation should be 'relu', 'gelu'"):
        nn.TransformerEncoderLayer(E, HEADS, activation="swish")
    with pytest.raises(ndgrad.DeviceError, match="Transformer: ndgrad runs on the CPU"):
        nn.Transformer(E, HEADS, device="cuda")
    with pytest.raises(ValueError, match="multiple of num_heads"):
        nn.TransformerEncoderLayer(E, 3)
    with pytest.raises(TypeError, match="expected a layer"):
        nn.TransformerEncoder("layer", 2)


class LanguageModel(nn.Transformer):
    """The shape of pytorch/examples' word_language_model TransformerModel: a subclass
    of nn.Transformer that replaces its decoder with a Linear and uses the encoder
    with a float causal mask built by log(tril(ones))."""

    def __init__(self, tokens, width, heads, hidden, layers):
        super().__init__(d_model=width, nhead=heads, dim_feedforward=hidden,
                         num_encoder_layers=layers, dropout=0.0)
        self.src_mask = None
        self.register_buffer("positions", ndgrad.random.normal((64, 1, width)) * 0.1)
        self.input_emb = nn.Embedding(tokens, width)
        self.decoder = nn.Linear(width, tokens)

    def forward(self, src):
        if self.src_mask is None or self.src_mask.shape[0] != len(src):
            self.src_mask = ndgrad.log(ndgrad.tril(ndgrad.ones((len(src), len(src)))))
        x = self.input_emb(src) * np.sqrt(self.d_model) + self.positions[:len(src)]
        return nn.functional.log_softmax(self.decoder(self.encoder(x, mask=self.src_mask)),
                                         dim=-1)


def test_a_language_model_subclassing_transformer_trains():
    ndgrad.random.seed(0)
    with np.errstate(divide="ignore"):
        model = LanguageModel(tokens=11, width=8, heads=2, hidden=16, layers=2)
        tokens = np.random.default_rng(0).integers(0, 11, size=(6, 4))     # (length, batch)
        inputs, targets = tokens[:-1], tokens[1:]
        assert "src_mask" not in model.state_dict() and "positions" in model.state_dict()
        assert not any(name.startswith("decoder.layers") for name in model.state_dict())
        optimizer = ndgrad.optim.Adam(model.parameters(), lr=1e-2)
        losses = []
        for _ in range(5):
            optimizer.zero_grad()
            output = model(ndgrad.tensor(inputs))
            loss = nn.functional.nll_loss(output.reshape(-1, 11), ndgrad.tensor(targets.ravel()))
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    assert losses[-1] < losses[0]
