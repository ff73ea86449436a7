# Follows pytorch/examples word_language_model/model.py
# at commit 77f55b912142e11fcfdf5b530231fb9c52f181e8
# Written independently for ndgrad's real-programs suite; no code copied.
# Framework import lines (the baseline run swaps back only these):
#   import ndgrad.torch as torch
#   import ndgrad.torch.nn as nn
#   import ndgrad.torch.nn.functional as F
"""The language models: a recurrent one (embedding, RNN/LSTM/GRU, linear
decoder, optionally tied weights) and a Transformer encoder one (a subclass
of ``nn.Transformer`` with sinusoidal positions and a causal mask)."""
import math

import ndgrad.torch as torch
import ndgrad.torch.nn as nn
import ndgrad.torch.nn.functional as F

INIT_RANGE = 0.1


class RNNModel(nn.Module):
    """Embedding -> dropout -> recurrent layers -> dropout -> linear -> log-softmax."""

    def __init__(self, rnn_type, ntoken, ninp, nhid, nlayers, dropout=0.5, tie_weights=False):
        super(RNNModel, self).__init__()
        self.ntoken = ntoken
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        if rnn_type in ['LSTM', 'GRU']:
            self.rnn = getattr(nn, rnn_type)(ninp, nhid, nlayers, dropout=dropout)
        else:
            activations = {'RNN_TANH': 'tanh', 'RNN_RELU': 'relu'}
            if rnn_type not in activations:
                raise ValueError("--model must be one of LSTM, GRU, RNN_TANH, RNN_RELU, "
                                 "Transformer; got %r" % rnn_type)
            self.rnn = nn.RNN(ninp, nhid, nlayers, nonlinearity=activations[rnn_type],
                              dropout=dropout)
        self.decoder = nn.Linear(nhid, ntoken)
        if tie_weights:
            # one matrix for the input embedding and the output projection
            if nhid != ninp:
                raise ValueError('--tied needs --nhid equal to --emsize')
            self.decoder.weight = self.encoder.weight
        self.init_weights()
        self.rnn_type = rnn_type
        self.nhid = nhid
        self.nlayers = nlayers

    def init_weights(self):
        nn.init.uniform_(self.encoder.weight, -INIT_RANGE, INIT_RANGE)
        nn.init.zeros_(self.decoder.bias)
        nn.init.uniform_(self.decoder.weight, -INIT_RANGE, INIT_RANGE)

    def forward(self, input, hidden):
        embedded = self.drop(self.encoder(input))
        output, hidden = self.rnn(embedded, hidden)
        scores = self.decoder(self.drop(output)).view(-1, self.ntoken)
        return F.log_softmax(scores, dim=1), hidden

    def init_hidden(self, bsz):
        """Zero states shaped (layers, batch, hidden), of the parameters' dtype."""
        weight = next(self.parameters())
        if self.rnn_type == 'LSTM':
            return (weight.new_zeros(self.nlayers, bsz, self.nhid),
                    weight.new_zeros(self.nlayers, bsz, self.nhid))
        return weight.new_zeros(self.nlayers, bsz, self.nhid)


class PositionalEncoding(nn.Module):
    """Adds sin/cos position signals of geometric wavelengths, then dropout.

    Input and output: (sequence length, batch, d_model).
    """

    def __init__(self, d_model, dropout=0.1, max_len=5000):
        super(PositionalEncoding, self).__init__()
        self.dropout = nn.Dropout(p=dropout)
        positions = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
        frequencies = torch.exp(torch.arange(0, d_model, 2).float()
                                * (-math.log(10000.0) / d_model))
        table = torch.zeros(max_len, d_model)
        table[:, 0::2] = torch.sin(positions * frequencies)
        table[:, 1::2] = torch.cos(positions * frequencies)
        self.register_buffer('pe', table.unsqueeze(0).transpose(0, 1))

    def forward(self, x):
        return self.dropout(x + self.pe[:x.size(0), :])


class TransformerModel(nn.Transformer):
    """Embedding * sqrt(d) + positions -> the Transformer's encoder with a
    causal mask -> linear -> log-softmax. (The decoder stack that
    ``nn.Transformer`` builds is replaced by the linear read-out.)"""

    def __init__(self, ntoken, ninp, nhead, nhid, nlayers, dropout=0.5):
        super(TransformerModel, self).__init__(d_model=ninp, nhead=nhead, dim_feedforward=nhid,
                                               num_encoder_layers=nlayers)
        self.model_type = 'Transformer'
        self.src_mask = None
        self.pos_encoder = PositionalEncoding(ninp, dropout)
        self.input_emb = nn.Embedding(ntoken, ninp)
        self.ninp = ninp
        self.decoder = nn.Linear(ninp, ntoken)
        self.init_weights()

    def _generate_square_subsequent_mask(self, sz):
        # 0 on and below the diagonal, -inf above: no position sees the future
        return torch.log(torch.tril(torch.ones(sz, sz)))

    def init_weights(self):
        nn.init.uniform_(self.input_emb.weight, -INIT_RANGE, INIT_RANGE)
        nn.init.zeros_(self.decoder.bias)
        nn.init.uniform_(self.decoder.weight, -INIT_RANGE, INIT_RANGE)

    def forward(self, src, has_mask=True):
        if not has_mask:
            self.src_mask = None
        elif self.src_mask is None or self.src_mask.size(0) != len(src):
            self.src_mask = self._generate_square_subsequent_mask(len(src)).to(src.device)
        embedded = self.pos_encoder(self.input_emb(src) * math.sqrt(self.ninp))
        encoded = self.encoder(embedded, mask=self.src_mask)
        return F.log_softmax(self.decoder(encoded), dim=-1)
