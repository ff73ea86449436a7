"""torch.save / torch.load of whole modules (decision D8): no pickle, nothing imported."""

import io
import math

import numpy as np
import pytest

import ndgrad
import ndgrad.torch as torch
from ndgrad.io.safetensors_file import CheckpointError

nn = torch.nn
F = torch.nn.functional


def round_trip(obj, **load_options):
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    buffer.seek(0)
    return torch.load(buffer, **load_options)


class Everything(nn.Module):
    """A user module holding each kind of state the brief lists."""

    def __init__(self, size=4):
        super().__init__()
        self.size, self.scale, self.label, self.flag = size, 0.5, "demo", True
        self.shape = (size, 2)
        self.fc = nn.Linear(3, size)
        self.norm = nn.BatchNorm1d(size)
        self.body = nn.Sequential(nn.Linear(size, size), nn.Tanh(), nn.Dropout(0.25))
        self.heads = nn.ModuleList([nn.Linear(size, 2), nn.Linear(size, 2)])
        self.extras = nn.ModuleDict({"gate": nn.Linear(size, 2)})
        self.rnn = nn.GRU(size, 3, num_layers=2, batch_first=True)
        self.activation = F.relu
        self.offset = nn.Parameter(torch.zeros(2))
        self.register_buffer("steps", torch.zeros((), dtype=torch.long))
        self.register_buffer("scratch", torch.ones(2), persistent=False)
        self.dtype_kept = torch.float64
        self.norm_class, self.tags, self.where = nn.BatchNorm1d, {"a", "b"}, torch.device("cpu")

    def forward(self, x):
        h = self.body(self.activation(self.norm(self.fc(x))))
        sequence, _ = self.rnn(h.unsqueeze(1).repeat(1, 2, 1))
        self.steps += 1
        return (self.heads[0](h) + self.heads[1](h) + self.extras["gate"](h) + self.offset
                + sequence[:, -1, :2] * self.scale)


def test_a_user_module_round_trips_with_every_kind_of_state():
    model = Everything()
    clone = round_trip(model)
    assert type(clone) is Everything and clone is not model
    assert (clone.size, clone.scale, clone.label, clone.flag, clone.shape) == (4, 0.5, "demo",
                                                                              True, (4, 2))
    assert clone.activation is F.relu and clone.dtype_kept == torch.float64
    assert clone.norm_class is nn.BatchNorm1d and clone.tags == {"a", "b"}
    assert isinstance(clone.where, torch.device) and clone.where == "cpu"
    assert [type(m).__name__ for m in clone.body] == ["Linear", "Tanh", "Dropout"]
    assert repr(clone) == repr(model)
    assert [n for n, _ in clone.named_parameters()] == [n for n, _ in model.named_parameters()]
    assert list(clone.state_dict()) == list(model.state_dict())
    assert isinstance(clone.offset, nn.Parameter) and clone.steps.dtype == np.int64
    assert "scratch" not in clone.state_dict() and clone.scratch.tolist() == [1.0, 1.0]
    x = torch.randn(5, 3)
    model.eval(), clone.eval()
    assert torch.equal(clone(x), model(x))
    assert clone.fc.get_config() == model.fc.get_config()


def _built_in_layers():
    """One instance of every layer class of both faces that simple arguments build."""
    import warnings
    from ndgrad import keras
    for namespace in (nn, keras.layers):
        for name in sorted(dir(namespace)):
            cls = getattr(namespace, name, None)
            if not (isinstance(cls, type) and issubclass(cls, nn.Module)):
                continue
            for args in [(), (4,), (4, 4), (4, 4, 3), (4, 2)]:
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        yield cls(*args)
                    break
                except Exception:       # noqa: BLE001  (this class needs other arguments)
                    continue


def test_every_built_in_layer_round_trips():
    layers = list(_built_in_layers())
    assert len(layers) > 120
    for layer in layers:
        clone = round_trip(layer)
        assert type(clone) is type(layer) and repr(clone) == repr(layer)
        assert list(clone.state_dict()) == list(layer.state_dict())
        for (name, a), b in zip(layer.state_dict().items(), clone.state_dict().values()):
            assert np.array_equal(a.numpy(), b.numpy(), equal_nan=True), (layer, name)


def _train(model, optimizer, data, steps):
    for step in range(steps):
        torch.manual_seed(100 + step)            # the same dropout masks for both copies
        x, y = data[step]
        optimizer.zero_grad()
        loss = F.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
    return loss.item()


def test_training_continues_identically_after_a_reload(tmp_path):
    torch.manual_seed(0)
    data = [(torch.randn(8, 3), torch.randn(8, 2)) for _ in range(6)]
    model = Everything()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    _train(model, optimizer, data[:3], 3)
    path = tmp_path / "checkpoint.pt"
    with open(path, "wb") as f:
        torch.save({"model": model, "optimizer": optimizer.state_dict(), "epoch": 3}, f)
    with open(path, "rb") as f:
        checkpoint = torch.load(f)
    clone = checkpoint["model"]
    assert checkpoint["epoch"] == 3
    clone_optimizer = torch.optim.SGD(clone.parameters(), lr=0.05, momentum=0.9)
    clone_optimizer.load_state_dict(checkpoint["optimizer"])
    losses = (_train(model, optimizer, data[3:], 3), _train(clone, clone_optimizer, data[3:], 3))
    assert losses[0] == losses[1]
    for (name, a), (_, b) in zip(model.state_dict().items(), clone.state_dict().items()):
        assert np.array_equal(a.numpy(), b.numpy()), name


def test_shared_modules_and_tied_weights_stay_shared():
    encoder = nn.Embedding(10, 4)
    decoder = nn.Linear(4, 10)
    decoder.weight = encoder.weight
    shared = nn.Linear(4, 4)
    model = nn.ModuleDict({"enc": encoder, "dec": decoder, "a": shared,
                           "b": nn.Sequential(shared)})
    saved = {"model": model, "again": model, "epoch": 2, "losses": [0.5, 0.25]}
    loaded = round_trip(saved)
    clone = loaded["model"]
    assert loaded["again"] is clone and loaded["losses"] == [0.5, 0.25]
    assert clone["dec"].weight is clone["enc"].weight
    assert clone["b"][0] is clone["a"]
    assert len(list(clone.parameters())) == len(list(model.parameters()))


class RNNModel(nn.Module):
    """The shape of pytorch/examples word_language_model's RNN model."""

    def __init__(self, rnn_type, ntoken, ninp, nhid, nlayers, dropout=0.5, tie_weights=False):
        super().__init__()
        self.ntoken = ntoken
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = getattr(nn, rnn_type)(ninp, nhid, nlayers, dropout=dropout)
        self.decoder = nn.Linear(nhid, ntoken)
        if tie_weights:
            self.decoder.weight = self.encoder.weight
        self.rnn_type, self.nhid, self.nlayers = rnn_type, nhid, nlayers

    def forward(self, tokens, hidden):
        output, hidden = self.rnn(self.drop(self.encoder(tokens)), hidden)
        return F.log_softmax(self.decoder(self.drop(output)), dim=-1), hidden

    def init_hidden(self, batch):
        weight = next(self.parameters())
        if self.rnn_type == "LSTM":
            return (weight.new_zeros(self.nlayers, batch, self.nhid),
                    weight.new_zeros(self.nlayers, batch, self.nhid))
        return weight.new_zeros(self.nlayers, batch, self.nhid)


RNN_SAFE_GLOBALS = [RNNModel, torch.nn.modules.dropout.Dropout, torch.nn.modules.linear.Linear,
                    torch.nn.modules.rnn.GRU, torch.nn.modules.rnn.LSTM, torch.nn.modules.rnn.RNN,
                    torch.nn.modules.sparse.Embedding]


@pytest.mark.parametrize("rnn_type", ["LSTM", "GRU"])
def test_the_word_language_model_save_and_load_pattern(tmp_path, rnn_type):
    model = RNNModel(rnn_type, 12, 6, 6, 2, dropout=0.2, tie_weights=True).eval()
    tokens = torch.randint(0, 12, (5, 2))
    expected, _ = model(tokens, model.init_hidden(2))
    path = str(tmp_path / "model.pt")
    with open(path, "wb") as f:
        torch.save(model, f)
    with open(path, "rb") as f:
        with torch.serialization.safe_globals(RNN_SAFE_GLOBALS):
            model = torch.load(f)
    model.rnn.flatten_parameters()
    output, _ = model(tokens, model.init_hidden(2))
    assert torch.equal(output, expected)
    assert model.decoder.weight is model.encoder.weight


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, dropout=0.1, max_len=64):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        position = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
        rate = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
        table = torch.zeros(max_len, d_model)
        table[:, 0::2] = torch.sin(position * rate)
        table[:, 1::2] = torch.cos(position * rate)
        self.register_buffer("pe", table.unsqueeze(0).transpose(0, 1))

    def forward(self, x):
        return self.dropout(x + self.pe[:x.size(0), :])


class TransformerModel(nn.Transformer):
    """The shape of word_language_model's Transformer: a subclass of nn.Transformer."""

    def __init__(self, ntoken, ninp, nhead, nhid, nlayers, dropout=0.5):
        super().__init__(d_model=ninp, nhead=nhead, dim_feedforward=nhid,
                         num_encoder_layers=nlayers)
        self.model_type, self.src_mask, self.ninp = "Transformer", None, ninp
        self.pos_encoder = PositionalEncoding(ninp, dropout)
        self.input_emb = nn.Embedding(ntoken, ninp)
        self.decoder = nn.Linear(ninp, ntoken)

    def forward(self, src):
        self.src_mask = nn.Transformer.generate_square_subsequent_mask(len(src))
        src = self.pos_encoder(self.input_emb(src) * math.sqrt(self.ninp))
        return F.log_softmax(self.decoder(self.encoder(src, mask=self.src_mask)), dim=-1)


def test_the_transformer_variant_with_its_safe_globals_list():
    model = TransformerModel(16, 8, 2, 16, 2).eval()
    tokens = torch.randint(0, 16, (6, 2))
    expected = model(tokens)
    safe = [PositionalEncoding, TransformerModel, torch.nn.functional.relu,
            torch.nn.modules.activation.MultiheadAttention,
            torch.nn.modules.container.ModuleList, torch.nn.modules.dropout.Dropout,
            torch.nn.modules.linear.Linear, torch.nn.modules.linear.NonDynamicallyQuantizableLinear,
            torch.nn.modules.normalization.LayerNorm, torch.nn.modules.sparse.Embedding,
            torch.nn.modules.transformer.TransformerEncoder,
            torch.nn.modules.transformer.TransformerEncoderLayer]
    buffer = io.BytesIO()
    torch.save(model, buffer)
    buffer.seek(0)
    with torch.serialization.safe_globals(safe):
        clone = torch.load(buffer)
    assert clone.model_type == "Transformer" and clone.src_mask.shape == (6, 6)
    assert torch.equal(clone(tokens), expected)


def test_keras_layers_keep_their_settings_regularizers_and_graph():
    from ndgrad import keras
    dense = keras.layers.Dense(3, activation="softmax", kernel_regularizer="l2",
                               kernel_initializer=keras.initializers.GlorotUniform(seed=1))
    dense(ndgrad.ones((1, 2)))
    clone = round_trip(dense)
    assert [t.item() for t in clone.losses] == [t.item() for t in dense.losses]
    assert clone.get_config() == dense.get_config()
    inputs = keras.Input((3,))
    hidden = keras.layers.Dense(4, activation="relu")(inputs)
    outputs = keras.layers.Dense(1)(keras.layers.Add()([hidden, keras.layers.Dropout(0.5, seed=2)(
        hidden)]))
    model = keras.Model(inputs, outputs)
    x = ndgrad.ones((2, 3))
    assert torch.equal(round_trip(model)(x), model(x))


class Cached(nn.Module):
    """Drops a cache it cannot store, and rebuilds it, through its own get/setstate."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)
        self.cache = open(__file__)

    def __getstate__(self):
        state = dict(self.__dict__)
        del state["cache"]
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.cache = None


def test_a_class_with_its_own_getstate_and_setstate_is_stored_through_them():
    model = Cached()
    try:
        clone = round_trip(model)
    finally:
        model.cache.close()
    assert clone.cache is None and torch.equal(clone.fc.weight, model.fc.weight)
