# Follows pytorch/examples mnist/main.py
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
"""A small convolutional network trained on MNIST with Adadelta and a
per-epoch step decay of the learning rate; prints the training loss every
few batches and the test loss and accuracy after every epoch."""
import argparse

import ndgrad.torch as torch
import ndgrad.torch.nn as nn
import ndgrad.torch.nn.functional as F
import ndgrad.torch.optim as optim
from _offline_vision import datasets, transforms
from ndgrad.torch.optim.lr_scheduler import StepLR


class Net(nn.Module):
    """Two 3x3 convolutions, 2x2 max pooling, two dense layers."""

    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(9216, 128)   # 64 channels of 12x12 after pooling
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        features = F.relu(self.conv1(x))
        features = F.max_pool2d(F.relu(self.conv2(features)), 2)
        features = torch.flatten(self.dropout1(features), 1)
        hidden = self.dropout2(F.relu(self.fc1(features)))
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
            seen = batch_idx * len(images)
            progress = 100. * batch_idx / len(train_loader)
            print('Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}'.format(
                epoch, seen, len(train_loader.dataset), progress, loss.item()))
            if args.dry_run:
                break


def test(model, device, test_loader):
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
    count = len(test_loader.dataset)
    print('\nTest set: Average loss: {:.4f}, Accuracy: {}/{} ({:.0f}%)\n'.format(
        total_loss / count, hits, count, 100. * hits / count))


def parse_options():
    parser = argparse.ArgumentParser(description='MNIST convnet example')
    parser.add_argument('--batch-size', type=int, default=64, metavar='N',
                        help='training batch size (64)')
    parser.add_argument('--test-batch-size', type=int, default=1000, metavar='N',
                        help='test batch size (1000)')
    parser.add_argument('--epochs', type=int, default=14, metavar='N',
                        help='training epochs (14)')
    parser.add_argument('--lr', type=float, default=1.0, metavar='LR',
                        help='initial learning rate (1.0)')
    parser.add_argument('--gamma', type=float, default=0.7, metavar='M',
                        help='learning-rate factor per epoch (0.7)')
    parser.add_argument('--no-accel', action='store_true',
                        help='stay on the CPU even if an accelerator is present')
    parser.add_argument('--dry-run', action='store_true',
                        help='stop each epoch after its first logged batch')
    parser.add_argument('--seed', type=int, default=1, metavar='S',
                        help='seed of the random generator (1)')
    parser.add_argument('--log-interval', type=int, default=10, metavar='N',
                        help='batches between two loss reports (10)')
    parser.add_argument('--save-model', action='store_true',
                        help='write the trained weights to mnist_cnn.pt')
    return parser.parse_args()


def main():
    args = parse_options()
    use_accel = not args.no_accel and torch.accelerator.is_available()
    torch.manual_seed(args.seed)
    device = torch.accelerator.current_accelerator() if use_accel else torch.device("cpu")

    train_kwargs = {'batch_size': args.batch_size}
    test_kwargs = {'batch_size': args.test_batch_size}
    if use_accel:
        loader_extras = {'num_workers': 1, 'persistent_workers': True,
                         'pin_memory': True, 'shuffle': True}
        train_kwargs.update(loader_extras)
        test_kwargs.update(loader_extras)

    transform = transforms.Compose([transforms.ToTensor(),
                                    transforms.Normalize((0.1307,), (0.3081,))])
    train_set = datasets.MNIST('../data', train=True, download=True, transform=transform)
    test_set = datasets.MNIST('../data', train=False, transform=transform)
    train_loader = torch.utils.data.DataLoader(train_set, **train_kwargs)
    test_loader = torch.utils.data.DataLoader(test_set, **test_kwargs)

    model = Net().to(device)
    optimizer = optim.Adadelta(model.parameters(), lr=args.lr)
    scheduler = StepLR(optimizer, step_size=1, gamma=args.gamma)
    for epoch in range(1, args.epochs + 1):
        train(args, model, device, train_loader, optimizer, epoch)
        test(model, device, test_loader)
        scheduler.step()

    if args.save_model:
        torch.save(model.state_dict(), "mnist_cnn.pt")


if __name__ == '__main__':
    main()
