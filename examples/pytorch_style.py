"""The PyTorch vocabulary on ndgrad: nn.Module subclass, DataLoader, an explicit
training loop with loss.backward() and optimizer.step(), a scheduler, and
state_dict checkpoints — on scikit-learn's digits.

    .venv/bin/python examples/pytorch_style.py
"""

import numpy as np

import ndgrad
from ndgrad import nn
from ndgrad.data import DataLoader, TensorDataset


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.3),
                                        nn.Linear(64 * 4 * 4, 128), nn.ReLU(),
                                        nn.Linear(128, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


def evaluate(model, loader):
    model.eval()
    correct = total = 0
    with ndgrad.no_grad():
        for images, labels in loader:
            predicted = model(images).argmax(axis=1)
            correct += int((predicted == labels).sum())
            total += len(labels)
    return correct / total


def main():
    ndgrad.random.seed(0)
    (x_train, y_train), (x_test, y_test) = ndgrad.datasets.load_digits(
        test_size=0.2, seed=0, layout="channels_first")
    train_loader = DataLoader(TensorDataset(x_train, y_train), batch_size=32, shuffle=True,
                              seed=0)
    test_loader = DataLoader(TensorDataset(x_test, y_test), batch_size=256)
    model = Net()
    optimizer = ndgrad.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    scheduler = ndgrad.optim.StepLR(optimizer, step_size=5, gamma=0.5)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(15):
        model.train()
        losses = []
        for images, labels in train_loader:
            optimizer.zero_grad()
            loss = loss_fn(model(images), labels)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        scheduler.step()
        print(f"epoch {epoch + 1:2d}  loss {np.mean(losses):.4f}  "
              f"test accuracy {evaluate(model, test_loader):.4f}")
    state = model.state_dict()
    restored = Net()
    restored.load_state_dict(state)
    print(f"restored from state_dict: test accuracy {evaluate(restored, test_loader):.4f}")


if __name__ == "__main__":
    main()
