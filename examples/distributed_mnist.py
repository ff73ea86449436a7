"""Data-parallel training, PyTorch style: a PyTorch DDP program run through ndgrad.torch.

The program is PyTorch's usual DistributedDataParallel script (process group,
DistributedSampler with set_epoch, DDP, rank 0 prints and saves) with only the
import lines changed; MNIST is stood in for by scikit-learn's 8x8 digits
(bundled, no download). Launch it on two processes:

    .venv/bin/mpirun -n 2 .venv/bin/python examples/distributed_mnist.py

or on one (``.venv/bin/python examples/distributed_mnist.py``): the same
script, a world of one. Each rank trains on its half of every epoch; the
gradients are averaged during backward, so the two ranks hold the same model
at every step, that of one process with the whole batch.
"""

import argparse
import os
import time

import ndgrad
import ndgrad.torch as torch
import ndgrad.torch.distributed as dist
import ndgrad.torch.nn as nn
import ndgrad.torch.nn.functional as F
from ndgrad.torch.nn.parallel import DistributedDataParallel as DDP
from ndgrad.torch.utils.data import DataLoader, TensorDataset
from ndgrad.torch.utils.data.distributed import DistributedSampler

BATCH_PER_RANK = 32
RUN_DIR = os.path.join("runs", "distributed_mnist")


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc1 = nn.Linear(32 * 4 * 4, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.fc2(F.relu(self.fc1(x)))


def load_data():
    (x_train, y_train), (x_test, y_test) = ndgrad.datasets.load_digits(
        test_size=0.2, seed=0, layout="channels_first")
    mean, std = float(x_train.mean()), float(x_train.std())
    normalise = lambda x: torch.tensor((x - mean) / std)       # noqa: E731
    return (TensorDataset(normalise(x_train), torch.tensor(y_train)),
            TensorDataset(normalise(x_test), torch.tensor(y_test)))


def evaluate(model, loader):
    """Accuracy over the whole test set: each rank counts its share, all_reduce adds."""
    model.eval()
    counts = torch.zeros(2)
    with torch.no_grad():
        for images, labels in loader:
            counts += torch.tensor([float((model(images).argmax(1) == labels).sum()),
                                    float(len(labels))])
    dist.all_reduce(counts, op=dist.ReduceOp.SUM)
    return float(counts[0] / counts[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=8)
    epochs = parser.parse_args().epochs
    dist.init_process_group(backend="gloo")          # runs on MPI under ndgrad
    rank, world = dist.get_rank(), dist.get_world_size()
    torch.manual_seed(rank)                          # DDP broadcasts rank 0's weights anyway
    train_set, test_set = load_data()
    train_sampler = DistributedSampler(train_set, shuffle=True, seed=0)
    test_sampler = DistributedSampler(test_set, shuffle=False)
    train_loader = DataLoader(train_set, batch_size=BATCH_PER_RANK, sampler=train_sampler)
    test_loader = DataLoader(test_set, batch_size=256, sampler=test_sampler)

    model = DDP(Net())
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    if rank == 0:
        print(f"{world} rank(s) x batch {BATCH_PER_RANK}: {len(train_set)} training and "
              f"{len(test_set)} test digits, {len(train_loader)} steps per epoch")
    started = time.perf_counter()
    for epoch in range(epochs):
        train_sampler.set_epoch(epoch)
        model.train()
        total = torch.zeros(2)
        for images, labels in train_loader:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(images), labels)
            loss.backward()                          # gradients averaged across the ranks here
            optimizer.step()
            total += torch.tensor([loss.item() * len(labels), float(len(labels))])
        dist.all_reduce(total)
        accuracy = evaluate(model, test_loader)
        if rank == 0:
            print(f"epoch {epoch + 1}  loss {float(total[0] / total[1]):.4f}  "
                  f"test accuracy {accuracy:.4f}  ({time.perf_counter() - started:.1f} s)")
    if rank == 0:
        os.makedirs(RUN_DIR, exist_ok=True)
        path = os.path.join(RUN_DIR, "model.pt")
        torch.save(model.module.state_dict(), path)
        print(f"rank 0 saved {path}")
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
