"""Port check: every torch name that pytorch/examples' ``mnist/main.py`` uses
(both its current form and its older one) exists in ndgrad.torch and behaves.

The program below is written for this test, not copied: it makes the same
calls in the same way (device selection, a ``Net`` of ``Conv2d``/``Dropout``/
``Linear`` with ``F.relu``, ``F.max_pool2d``, ``torch.flatten(x, 1)`` and
``F.log_softmax``, ``DataLoader`` with the CUDA keyword arguments, ``Adadelta``
with ``StepLR``, the train and test loops with ``nll_loss``, ``argmax(dim=1,
keepdim=True)``, ``eq``/``view_as``, ``torch.save(model.state_dict())``).
torchvision's MNIST is replaced by scikit-learn's digits scaled to 28x28.
"""

import numpy as np
import pytest

import ndgrad.torch as torch
import ndgrad.torch.nn as nn
import ndgrad.torch.nn.functional as F
import ndgrad.torch.optim as optim
from ndgrad.torch.optim.lr_scheduler import StepLR

sklearn = pytest.importorskip("sklearn.datasets")


class Digits(torch.utils.data.Dataset):
    """Stands in for torchvision's MNIST: (1x28x28 float tensor, int label)."""

    def __init__(self, train):
        digits = sklearn.load_digits()
        images = np.kron(digits.images / 16.0, np.ones((3, 3)))          # 24x24
        images = np.pad(images, ((0, 0), (2, 2), (2, 2))).astype(np.float32)
        images = (images - 0.1307) / 0.3081
        cut = 1500
        part = slice(0, cut) if train else slice(cut, None)
        self.images, self.labels = images[part], digits.target[part]

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, index):
        return torch.from_numpy(self.images[index][None]), int(self.labels[index])


class Net(nn.Module):
    def __init__(self, width=32):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, width // 4, 3, 1)
        self.conv2 = nn.Conv2d(width // 4, width // 2, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(width // 2 * 12 * 12, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = F.max_pool2d(x, 2)
        x = self.dropout1(x)
        x = torch.flatten(x, 1)
        x = self.dropout2(F.relu(self.fc1(x)))
        return F.log_softmax(self.fc2(x), dim=1)


class OldNet(nn.Module):
    """The older example's calls: Dropout2d, view(-1, n), F.dropout(training=)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, kernel_size=5)
        self.conv2_drop = nn.Dropout2d()
        self.fc1 = nn.Linear(4 * 12 * 12, 10)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.conv2_drop(self.conv1(x)), 2))
        x = x.view(-1, 4 * 12 * 12)
        x = F.dropout(x, training=self.training)
        return F.log_softmax(self.fc1(x), dim=1)


def train(model, device, loader, optimizer, epoch, steps, log):
    model.train()
    losses = []
    for batch_idx, (data, target) in enumerate(loader):
        data, target = data.to(device), target.to(device)
        optimizer.zero_grad()
        output = model(data)
        loss = F.nll_loss(output, target)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        log.append('Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}'.format(
            epoch, batch_idx * len(data), len(loader.dataset),
            100. * batch_idx / len(loader), loss.item()))
        if batch_idx + 1 == steps:
            break
    return losses


def test(model, device, loader, old_style=False):
    model.eval()
    test_loss, correct = 0, 0
    with torch.no_grad():
        for data, target in loader:
            data, target = data.to(device), target.to(device)
            output = model(data)
            if old_style:
                test_loss += F.nll_loss(output, target, size_average=False).item()
                pred = output.max(1, keepdim=True)[1]
            else:
                test_loss += F.nll_loss(output, target, reduction='sum').item()
                pred = output.argmax(dim=1, keepdim=True)
            correct += pred.eq(target.view_as(pred)).sum().item()
    test_loss /= len(loader.dataset)
    return test_loss, correct


test.__test__ = False       # the example's name for its evaluation loop, not a pytest test


def _device():
    use_accel = torch.accelerator.is_available()
    use_cuda = torch.cuda.is_available()
    use_mps = torch.backends.mps.is_available()
    assert not (use_accel or use_cuda or use_mps)
    if use_accel:
        return torch.accelerator.current_accelerator()
    return torch.device("cuda" if use_cuda else "cpu")


def test_mnist_example_calls_run_and_learn(tmp_path):
    torch.manual_seed(1)
    device = _device()
    assert str(device) == "cpu"
    train_kwargs, test_kwargs = {'batch_size': 32}, {'batch_size': 100}
    accel_kwargs = {'num_workers': 1, 'persistent_workers': True, 'pin_memory': True,
                    'shuffle': True}
    train_kwargs.update(accel_kwargs)
    train_loader = torch.utils.data.DataLoader(Digits(train=True), **train_kwargs)
    test_loader = torch.utils.data.DataLoader(Digits(train=False), **test_kwargs)

    model = Net(width=16).to(device)
    optimizer = optim.Adadelta(model.parameters(), lr=1.0)
    scheduler = StepLR(optimizer, step_size=1, gamma=0.7)
    before, _ = test(model, device, test_loader)
    log = []
    for epoch in range(1, 3):
        losses = train(model, device, train_loader, optimizer, epoch, steps=10, log=log)
        assert all(np.isfinite(losses))
        scheduler.step()
    after, correct = test(model, device, test_loader)
    assert after < before and correct > len(test_loader.dataset) // 2
    assert optimizer.param_groups[0]['lr'] == pytest.approx(0.49)
    assert log[0].startswith("Train Epoch: 1 [0/1500 (0%)]\tLoss: ")

    torch.save(model.state_dict(), tmp_path / "mnist_cnn.pt")
    restored = Net(width=16)
    restored.load_state_dict(torch.load(tmp_path / "mnist_cnn.pt"))
    assert test(restored, device, test_loader) == (after, correct)


def test_older_mnist_example_calls():
    torch.manual_seed(1)
    device = _device()
    kwargs = {'num_workers': 1, 'pin_memory': True} if torch.cuda.is_available() else {}
    loader = torch.utils.data.DataLoader(Digits(train=False), batch_size=64, shuffle=True,
                                         **kwargs)
    model = OldNet().to(device)
    optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.5)
    losses = train(model, device, loader, optimizer, 1, steps=5, log=[])
    loss, correct = test(model, device, loader, old_style=True)
    assert np.isfinite(losses).all() and np.isfinite(loss) and 0 <= correct <= len(loader.dataset)
