# Follows pytorch/examples mnist_rnn/main.py
# at commit 77f55b912142e11fcfdf5b530231fb9c52f181e8
# Written independently for ndgrad's real-programs suite; no code copied.
# Framework import lines (the baseline run swaps back only these):
#   import ndgrad.torch as torch
#   import ndgrad.torch.nn as nn
#   import ndgrad.torch.nn.functional as F
#   import ndgrad.torch.optim as optim
#   from ndgrad.torch.optim.lr_scheduler import StepLR
# Data: MNIST from _offline_vision (scikit-learn digits redrawn at 28x28) in
# place of torchvision's download; the same transforms.
"""MNIST read row by row by an LSTM (batch first): the last output goes
through batch normalisation, Dropout2d (on the 2-D features, as in the
original) and two dense layers; Adadelta with a per-epoch step decay."""
import argparse

import ndgrad.torch as torch
import ndgrad.torch.nn as nn
import ndgrad.torch.nn.functional as F
import ndgrad.torch.optim as optim
from ndgrad.torch.optim.lr_scheduler import StepLR
from _offline_vision import datasets, transforms


class Net(nn.Module):
    """LSTM over the 28 rows of an image, then a small classifier."""

    def __init__(self):
        super(Net, self).__init__()
        self.rnn = nn.LSTM(input_size=28, hidden_size=64, batch_first=True)
        self.batchnorm = nn.BatchNorm1d(64)
        self.dropout1 = nn.Dropout2d(0.25)
        self.dropout2 = nn.Dropout2d(0.5)
        self.fc1 = nn.Linear(64, 32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, images):
        rows = images.reshape(-1, 28, 28)          # (batch, 28 steps, 28 features)
        sequence, _ = self.rnn(rows)
        last = self.dropout1(self.batchnorm(sequence[:, -1, :]))
        hidden = self.dropout2(F.relu(self.fc1(last)))
        return F.log_softmax(self.fc2(hidden), dim=1)


def train(args, model, device, train_loader, optimizer, epoch):
    """One pass over the training set."""
    model.train()
    for batch_idx, (images, labels) in enumerate(train_loader):
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = F.nll_loss(model(images), labels)
        loss.backward()
        optimizer.step()
        if batch_idx % args.log_interval == 0:
            print('Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}'.format(
                epoch, batch_idx * len(images), len(train_loader.dataset),
                100. * batch_idx / len(train_loader), loss.item()))
            if args.dry_run:
                break


def test(args, model, device, test_loader):
    """Average loss and accuracy on the test set."""
    model.eval()
    total_loss, hits = 0, 0
    with torch.no_grad():
        for images, labels in test_loader:
            images, labels = images.to(device), labels.to(device)
            log_probs = model(images)
            total_loss += F.nll_loss(log_probs, labels, reduction='sum').item()
            guesses = log_probs.argmax(dim=1, keepdim=True)
            hits += guesses.eq(labels.view_as(guesses)).sum().item()
            if args.dry_run:
                break
    count = len(test_loader.dataset)
    print('\nTest set: Average loss: {:.4f}, Accuracy: {}/{} ({:.0f}%)\n'.format(
        total_loss / count, hits, count, 100. * hits / count))


def main():
    parser = argparse.ArgumentParser(description='MNIST with an LSTM example')
    parser.add_argument('--batch-size', type=int, default=64, metavar='N',
                        help='training batch size (64)')
    parser.add_argument('--test-batch-size', type=int, default=1000, metavar='N',
                        help='test batch size (1000)')
    parser.add_argument('--epochs', type=int, default=14, metavar='N',
                        help='training epochs (14)')
    parser.add_argument('--lr', type=float, default=0.1, metavar='LR',
                        help='initial learning rate (0.1)')
    parser.add_argument('--gamma', type=float, default=0.7, metavar='M',
                        help='learning-rate factor per epoch (0.7)')
    parser.add_argument('--accel', action='store_true',
                        help='train on the accelerator')
    parser.add_argument('--dry-run', action='store_true',
                        help='one logged batch per epoch, one test batch')
    parser.add_argument('--seed', type=int, default=1, metavar='S',
                        help='seed of the random generator (1)')
    parser.add_argument('--log-interval', type=int, default=10, metavar='N',
                        help='batches between two loss reports (10)')
    parser.add_argument('--save-model', action='store_true',
                        help='write the trained weights to mnist_rnn.pt')
    args = parser.parse_args()

    device = torch.accelerator.current_accelerator() if args.accel else torch.device("cpu")
    torch.manual_seed(args.seed)

    loader_extras = {'num_workers': 1, 'pin_memory': True} if args.accel else {}
    normalized = transforms.Compose([transforms.ToTensor(),
                                     transforms.Normalize((0.1307,), (0.3081,))])
    train_loader = torch.utils.data.DataLoader(
        datasets.MNIST('../data', train=True, download=True, transform=normalized),
        batch_size=args.batch_size, shuffle=True, **loader_extras)
    test_loader = torch.utils.data.DataLoader(
        datasets.MNIST('../data', train=False, transform=normalized),
        batch_size=args.test_batch_size, shuffle=True, **loader_extras)

    model = Net().to(device)
    optimizer = optim.Adadelta(model.parameters(), lr=args.lr)
    scheduler = StepLR(optimizer, step_size=1, gamma=args.gamma)
    for epoch in range(1, args.epochs + 1):
        train(args, model, device, train_loader, optimizer, epoch)
        test(args, model, device, test_loader)
        scheduler.step()

    if args.save_model:
        torch.save(model.state_dict(), "mnist_rnn.pt")


if __name__ == '__main__':
    main()
