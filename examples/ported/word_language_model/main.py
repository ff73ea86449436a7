# Follows pytorch/examples word_language_model/main.py
# at commit 77f55b912142e11fcfdf5b530231fb9c52f181e8
# Written independently for ndgrad's real-programs suite; no code copied.
# Framework import lines (the baseline run swaps back only these):
#   import ndgrad.torch as torch
#   import ndgrad.torch.nn as nn
#   import ndgrad.torch.onnx
# Data: --data names a folder of train/valid/test.txt; the runner writes the
# offline corpus of _offline_data there in place of wikitext-2.
"""Train a word-level language model (RNN_TANH, RNN_RELU, LSTM, GRU or
Transformer) by truncated backpropagation through time: plain SGD written on
``p.data`` after gradient clipping (or AdamW), the learning rate divided by 4
whenever the validation loss stops improving, the best model saved whole with
``torch.save(model, f)`` and loaded back for the test."""
import argparse
import math
import os
import time

import ndgrad.torch as torch
import ndgrad.torch.nn as nn
import ndgrad.torch.onnx

import data
from model import PositionalEncoding, RNNModel, TransformerModel

parser = argparse.ArgumentParser(description='Word-level language model example')
parser.add_argument('--data', type=str, default='./data/wikitext-2', help='corpus folder')
parser.add_argument('--model', type=str, default='LSTM',
                    help='RNN_TANH, RNN_RELU, LSTM, GRU or Transformer')
parser.add_argument('--emsize', type=int, default=200, help='embedding width')
parser.add_argument('--nhid', type=int, default=200, help='hidden units per layer')
parser.add_argument('--nlayers', type=int, default=2, help='layers')
parser.add_argument('--lr', type=float, default=20, help='initial learning rate')
parser.add_argument('--clip', type=float, default=0.25, help='gradient norm limit')
parser.add_argument('--epochs', type=int, default=40, help='most epochs')
parser.add_argument('--batch_size', type=int, default=20, metavar='N', help='batch size')
parser.add_argument('--bptt', type=int, default=35, help='truncation length')
parser.add_argument('--dropout', type=float, default=0.2, help='dropout (0: none)')
parser.add_argument('--tied', action='store_true', help='share embedding and decoder weights')
parser.add_argument('--seed', type=int, default=1111, help='seed')
parser.add_argument('--log-interval', type=int, default=200, metavar='N',
                    help='batches between two reports')
parser.add_argument('--save', type=str, default='model.pt', help='where the best model goes')
parser.add_argument('--onnx-export', type=str, default='', help='also export to this ONNX file')
parser.add_argument('--nhead', type=int, default=2, help="Transformer's attention heads")
parser.add_argument('--dry-run', action='store_true', help='one batch per epoch')
parser.add_argument('--accel', action='store_true', help='train on the accelerator')
parser.add_argument('--use-optimizer', action='store_true', help='AdamW instead of plain SGD')
args = parser.parse_args()

torch.manual_seed(args.seed)
if args.accel and torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")
print("Using device:", device)

corpus = data.Corpus(args.data)


def batchify(ids, bsz):
    """Cut the stream of ids into ``bsz`` equal columns (the rest dropped):
    a (length, bsz) tensor whose columns are read as separate sequences."""
    rows = ids.size(0) // bsz
    ids = ids.narrow(0, 0, rows * bsz)
    return ids.view(bsz, -1).t().contiguous().to(device)


eval_columns = 10
train_data = batchify(corpus.train, args.batch_size)
valid_data = batchify(corpus.valid, eval_columns)
test_data = batchify(corpus.test, eval_columns)

ntokens = len(corpus.dictionary)
if args.model == 'Transformer':
    model = TransformerModel(ntokens, args.emsize, args.nhead, args.nhid, args.nlayers,
                             args.dropout).to(device)
else:
    model = RNNModel(args.model, ntokens, args.emsize, args.nhid, args.nlayers, args.dropout,
                     args.tied).to(device)

criterion = nn.NLLLoss()
if args.use_optimizer:
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr)


def repackage_hidden(state):
    """The hidden state cut from the graph that made it (tensors or tuples of them)."""
    if isinstance(state, torch.Tensor):
        return state.detach()
    return tuple(repackage_hidden(part) for part in state)


def get_batch(source, i):
    """Rows i .. i+bptt of ``source`` and, flattened, the rows one later."""
    length = min(args.bptt, len(source) - 1 - i)
    return source[i:i + length], source[i + 1:i + 1 + length].view(-1)


def evaluate(data_source):
    """Mean loss per token over ``data_source``, dropout off."""
    model.eval()
    total = 0.
    if args.model != 'Transformer':
        hidden = model.init_hidden(eval_columns)
    with torch.no_grad():
        for i in range(0, data_source.size(0) - 1, args.bptt):
            inputs, targets = get_batch(data_source, i)
            if args.model == 'Transformer':
                output = model(inputs).view(-1, ntokens)
            else:
                output, hidden = model(inputs, hidden)
                hidden = repackage_hidden(hidden)
            total += len(inputs) * criterion(output, targets).item()
    return total / (len(data_source) - 1)


def train():
    """One epoch over the training columns, ``bptt`` rows at a time."""
    model.train()
    interval_loss = 0.
    interval_start = time.time()
    if args.model != 'Transformer':
        hidden = model.init_hidden(args.batch_size)
    for batch, i in enumerate(range(0, train_data.size(0) - 1, args.bptt)):
        inputs, targets = get_batch(train_data, i)
        if args.use_optimizer:
            optimizer.zero_grad()
        else:
            model.zero_grad()
        if args.model == 'Transformer':
            output = model(inputs).view(-1, ntokens)
        else:
            hidden = repackage_hidden(hidden)   # backpropagate through this chunk only
            output, hidden = model(inputs, hidden)
        loss = criterion(output, targets)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
        if args.use_optimizer:
            optimizer.step()
        else:
            for p in model.parameters():
                p.data.add_(p.grad, alpha=-lr)
        interval_loss += loss.item()

        if batch % args.log_interval == 0 and batch > 0:
            mean_loss = interval_loss / args.log_interval
            milliseconds = (time.time() - interval_start) * 1000 / args.log_interval
            print('| epoch {:3d} | {:5d}/{:5d} batches | lr {:02.2f} | ms/batch {:5.2f} | '
                  'loss {:5.2f} | ppl {:8.2f}'.format(
                      epoch, batch, len(train_data) // args.bptt, lr, milliseconds,
                      mean_loss, math.exp(mean_loss)))
            interval_loss = 0
            interval_start = time.time()
        if args.dry_run:
            break


def export_onnx(path, batch_size, seq_len):
    print('The model is also exported in ONNX format at {}.'.format(
        os.path.realpath(args.onnx_export)))
    model.eval()
    dummy_input = torch.LongTensor(seq_len * batch_size).zero_().view(-1, batch_size).to(device)
    hidden = model.init_hidden(batch_size)
    torch.onnx.export(model, (dummy_input, hidden), path)


lr = args.lr
best_valid_loss = None
try:
    for epoch in range(1, args.epochs + 1):
        epoch_start = time.time()
        train()
        valid_loss = evaluate(valid_data)
        print('-' * 89)
        print('| end of epoch {:3d} | time: {:5.2f}s | valid loss {:5.2f} | '
              'valid ppl {:8.2f}'.format(epoch, time.time() - epoch_start, valid_loss,
                                         math.exp(valid_loss)))
        print('-' * 89)
        if not best_valid_loss or valid_loss < best_valid_loss:
            with open(args.save, 'wb') as checkpoint:
                torch.save(model, checkpoint)   # the whole module, not just its weights
            best_valid_loss = valid_loss
        else:
            lr /= 4.0   # no progress on the validation set: smaller steps
except KeyboardInterrupt:
    print('-' * 89)
    print('Exiting from training early')

with open(args.save, 'rb') as checkpoint:
    # the classes the saved model may contain, for torch.load's safe unpickling
    if args.model == 'Transformer':
        allowed = [
            PositionalEncoding,
            TransformerModel,
            torch.nn.functional.relu,
            torch.nn.modules.activation.MultiheadAttention,
            torch.nn.modules.container.ModuleList,
            torch.nn.modules.dropout.Dropout,
            torch.nn.modules.linear.Linear,
            torch.nn.modules.linear.NonDynamicallyQuantizableLinear,
            torch.nn.modules.normalization.LayerNorm,
            torch.nn.modules.sparse.Embedding,
            torch.nn.modules.transformer.TransformerEncoder,
            torch.nn.modules.transformer.TransformerEncoderLayer,
        ]
    else:
        allowed = [
            RNNModel,
            torch.nn.modules.dropout.Dropout,
            torch.nn.modules.linear.Linear,
            torch.nn.modules.rnn.GRU,
            torch.nn.modules.rnn.LSTM,
            torch.nn.modules.rnn.RNN,
            torch.nn.modules.sparse.Embedding,
        ]
    with torch.serialization.safe_globals(allowed):
        model = torch.load(checkpoint)
    if args.model in ['RNN_TANH', 'RNN_RELU', 'LSTM', 'GRU']:
        model.rnn.flatten_parameters()   # weights back into one block after loading

test_loss = evaluate(test_data)
print('=' * 89)
print('| End of training | test loss {:5.2f} | test ppl {:8.2f}'.format(
    test_loss, math.exp(test_loss)))
print('=' * 89)

if len(args.onnx_export) > 0:
    export_onnx(args.onnx_export, batch_size=1, seq_len=args.bptt)
