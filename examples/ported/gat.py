# Follows pytorch/examples gat/main.py
# at commit 77f55b912142e11fcfdf5b530231fb9c52f181e8
# Written independently for ndgrad's real-programs suite; no code copied.
# Framework import lines (the baseline run swaps back only these):
#   import ndgrad.torch as torch
#   from ndgrad.torch import nn
#   import ndgrad.torch.nn.functional as F
#   from ndgrad.torch.optim import Adam
# Data: when ./cora is missing, _offline_graph writes a Cora-like citation
# graph there (same files and layout) in place of downloading cora.tgz.
"""A graph attention network (Velickovic et al.) classifies the papers of the
Cora citation graph: two graph attention layers (multi-head masked
self-attention over each node's neighbours, heads averaged or concatenated),
ELU between them; Adam with weight decay on a random split of the nodes."""
import argparse
import os
import time

import numpy as np
import ndgrad.torch as torch
from ndgrad.torch import nn
import ndgrad.torch.nn.functional as F
from ndgrad.torch.optim import Adam
import _offline_graph


class GraphAttentionLayer(nn.Module):
    """h'_i = sum over neighbours j of softmax_j(LeakyReLU(a . [W h_i || W h_j])) W h_j,
    per head; heads concatenated (``concat``) or averaged."""

    def __init__(self, in_features: int, out_features: int, n_heads: int, concat: bool = False,
                 dropout: float = 0.4, leaky_relu_slope: float = 0.2):
        super(GraphAttentionLayer, self).__init__()
        self.n_heads = n_heads
        self.concat = concat
        self.dropout = dropout
        if concat:
            self.out_features = out_features
            assert out_features % n_heads == 0, "out_features must split evenly over the heads"
            self.n_hidden = out_features // n_heads
        else:
            self.n_hidden = out_features
        self.W = nn.Parameter(torch.empty(size=(in_features, self.n_hidden * n_heads)))
        self.a = nn.Parameter(torch.empty(size=(n_heads, 2 * self.n_hidden, 1)))
        self.leakyrelu = nn.LeakyReLU(leaky_relu_slope)
        self.softmax = nn.Softmax(dim=1)
        self.reset_parameters()

    def reset_parameters(self):
        nn.init.xavier_normal_(self.W)
        nn.init.xavier_normal_(self.a)

    def _get_attention_scores(self, h_transformed: torch.Tensor):
        """Raw scores e[head, i, j] for every pair of nodes: the source half of
        ``a`` applied to node i plus the target half applied to node j."""
        from_source = torch.matmul(h_transformed, self.a[:, :self.n_hidden, :])
        from_target = torch.matmul(h_transformed, self.a[:, self.n_hidden:, :])
        return self.leakyrelu(from_source + from_target.mT)

    def forward(self, h: torch.Tensor, adj_mat: torch.Tensor):
        n_nodes = h.shape[0]
        projected = F.dropout(torch.mm(h, self.W), self.dropout, training=self.training)
        projected = projected.view(n_nodes, self.n_heads, self.n_hidden).permute(1, 0, 2)
        scores = self._get_attention_scores(projected)
        # non-neighbours get a huge negative score: zero weight after the softmax
        masked = torch.where(adj_mat > 0, scores, -9e16 * torch.ones_like(scores))
        attention = F.dropout(F.softmax(masked, dim=-1), self.dropout, training=self.training)
        mixed = torch.matmul(attention, projected)      # (heads, nodes, n_hidden)
        if self.concat:
            return mixed.permute(1, 0, 2).contiguous().view(n_nodes, self.out_features)
        return mixed.mean(dim=0)


class GAT(nn.Module):
    """Attention layer (``n_heads`` heads) -> ELU -> attention layer (one head)
    -> log-softmax over the classes."""

    def __init__(self, in_features, n_hidden, n_heads, num_classes, concat=False, dropout=0.4,
                 leaky_relu_slope=0.2):
        super(GAT, self).__init__()
        self.gat1 = GraphAttentionLayer(in_features=in_features, out_features=n_hidden,
                                        n_heads=n_heads, concat=concat, dropout=dropout,
                                        leaky_relu_slope=leaky_relu_slope)
        self.gat2 = GraphAttentionLayer(in_features=n_hidden, out_features=num_classes,
                                        n_heads=1, concat=False, dropout=dropout,
                                        leaky_relu_slope=leaky_relu_slope)

    def forward(self, input_tensor: torch.Tensor, adj_mat: torch.Tensor):
        hidden = F.elu(self.gat1(input_tensor, adj_mat))
        return F.log_softmax(self.gat2(hidden, adj_mat), dim=1)


def load_cora(path='./cora', device='cpu'):
    """Row-normalised word features, subject indices and the adjacency
    matrix with self-loops of the Cora files under ``path``."""
    content = np.genfromtxt(os.path.join(path, 'cora.content'), dtype=np.dtype(str))
    citations = np.genfromtxt(os.path.join(path, 'cora.cites'), dtype=np.int32)

    features = torch.FloatTensor(content[:, 1:-1].astype(np.int32))
    row_scale = 1 / torch.sum(features, dim=1)
    row_scale[row_scale == float('inf')] = 0          # papers without words
    features = torch.diag(row_scale).to_sparse() @ features

    _, labels = np.unique(content[:, -1], return_inverse=True)
    labels = torch.LongTensor(labels)

    paper_ids = content[:, 0].astype(np.int32)
    position = {paper: row for row, paper in enumerate(paper_ids)}
    edges = np.array([[position[cited], position[citing]] for cited, citing in citations],
                     dtype=np.int32)
    V, E = len(paper_ids), edges.shape[0]
    adj_mat = torch.sparse_coo_tensor(edges.T, torch.ones(E), (V, V), dtype=torch.int64)
    adj_mat = torch.eye(V) + adj_mat
    return features.to(device), labels.to(device), adj_mat.to(device)


def train_iter(epoch, model, optimizer, criterion, input, target, mask_train, mask_val,
               print_every=10):
    """One full-graph step on the training nodes, then both sets evaluated."""
    started = time.time()
    model.train()
    optimizer.zero_grad()
    output = model(*input)
    loss = criterion(output[mask_train], target[mask_train])
    loss.backward()
    optimizer.step()
    loss_train, acc_train = test(model, criterion, input, target, mask_train)
    loss_val, acc_val = test(model, criterion, input, target, mask_val)
    if epoch % print_every == 0:
        print(f'Epoch: {epoch:04d} ({(time.time() - started):.4f}s) loss_train: {loss_train:.4f} '
              f'acc_train: {acc_train:.4f} loss_val: {loss_val:.4f} acc_val: {acc_val:.4f}')


def test(model, criterion, input, target, mask):
    """Loss and accuracy on the nodes ``mask`` selects, dropout off."""
    model.eval()
    with torch.no_grad():
        output = model(*input)[mask]
        chosen = target[mask]
        loss = criterion(output, chosen)
        accuracy = (output.argmax(dim=1) == chosen).float().sum() / len(chosen)
    return loss.item(), accuracy.item()


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description='Graph attention network example')
    parser.add_argument('--epochs', type=int, default=300, help='training epochs (300)')
    parser.add_argument('--lr', type=float, default=0.005, help='learning rate (0.005)')
    parser.add_argument('--l2', type=float, default=5e-4, help='weight decay (5e-4)')
    parser.add_argument('--dropout-p', type=float, default=0.6, help='dropout (0.6)')
    parser.add_argument('--hidden-dim', type=int, default=64, help='hidden width (64)')
    parser.add_argument('--num-heads', type=int, default=8, help='attention heads (8)')
    parser.add_argument('--concat-heads', action='store_true',
                        help='concatenate the heads instead of averaging them')
    parser.add_argument('--val-every', type=int, default=20,
                        help='epochs between two reports (20)')
    parser.add_argument('--no-accel', action='store_true', help='stay on the CPU')
    parser.add_argument('--dry-run', action='store_true', help='one epoch only')
    parser.add_argument('--seed', type=int, default=13, metavar='S', help='seed (13)')
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    use_accel = not args.no_accel and torch.accelerator.is_available()
    device = torch.accelerator.current_accelerator() if use_accel else torch.device('cpu')
    print(f'Using {device} device')

    path = './cora'
    if os.path.isfile(os.path.join(path, 'cora.content')) and \
            os.path.isfile(os.path.join(path, 'cora.cites')):
        print('Dataset already downloaded...')
    else:
        print('Writing the offline Cora stand-in...')
        _offline_graph.write_cora(path)

    print('Loading dataset...')
    features, labels, adj_mat = load_cora(device=device)
    order = torch.randperm(len(labels)).to(device)
    idx_test, idx_val, idx_train = order[:1200], order[1200:1600], order[1600:]

    gat_net = GAT(in_features=features.shape[1], n_hidden=args.hidden_dim,
                  n_heads=args.num_heads, num_classes=labels.max().item() + 1,
                  concat=args.concat_heads, dropout=args.dropout_p,
                  leaky_relu_slope=0.2).to(device)
    optimizer = Adam(gat_net.parameters(), lr=args.lr, weight_decay=args.l2)
    criterion = nn.NLLLoss()
    for epoch in range(args.epochs):
        train_iter(epoch + 1, gat_net, optimizer, criterion, (features, adj_mat), labels,
                   idx_train, idx_val, args.val_every)
        if args.dry_run:
            break

    loss_test, acc_test = test(gat_net, criterion, (features, adj_mat), labels, idx_test)
    print(f'Test set results: loss {loss_test:.4f} accuracy {acc_test:.4f}')
