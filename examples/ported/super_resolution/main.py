# Follows pytorch/examples super_resolution/main.py
# at commit 77f55b912142e11fcfdf5b530231fb9c52f181e8
# Written independently for ndgrad's real-programs suite; no code copied.
# Framework import lines (the baseline run swaps back only these):
#   import ndgrad.torch as torch
#   import ndgrad.torch.nn as nn
#   import ndgrad.torch.optim as optim
#   from ndgrad.torch.utils.data import DataLoader
# Data: see data.py (offline BSDS300-like images).
"""Train the sub-pixel super-resolution network with Adam on the mean squared
error; after every epoch print the test set's mean PSNR and save the whole
model with ``torch.save(model, path)``."""
import argparse
from math import log10

import ndgrad.torch as torch
import ndgrad.torch.nn as nn
import ndgrad.torch.optim as optim
from ndgrad.torch.utils.data import DataLoader
from model import Net
from data import get_training_set, get_test_set

parser = argparse.ArgumentParser(description='Super-resolution example')
parser.add_argument('--upscale_factor', type=int, required=True, help="how many times larger")
parser.add_argument('--batchSize', type=int, default=64, help='training batch size')
parser.add_argument('--testBatchSize', type=int, default=10, help='test batch size')
parser.add_argument('--nEpochs', type=int, default=2, help='training epochs')
parser.add_argument('--lr', type=float, default=0.01, help='learning rate (0.01)')
parser.add_argument('--accel', action='store_true', help='train on the accelerator')
parser.add_argument('--threads', type=int, default=4, help='data loader workers')
parser.add_argument('--seed', type=int, default=123, help='seed (123)')
opt = parser.parse_args()
print(opt)

torch.manual_seed(opt.seed)
if opt.accel and torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")

print('===> Loading datasets')
training_data_loader = DataLoader(dataset=get_training_set(opt.upscale_factor),
                                  num_workers=opt.threads, batch_size=opt.batchSize,
                                  shuffle=True)
testing_data_loader = DataLoader(dataset=get_test_set(opt.upscale_factor),
                                 num_workers=opt.threads, batch_size=opt.testBatchSize,
                                 shuffle=False)

print('===> Building model')
model = Net(upscale_factor=opt.upscale_factor).to(device)
criterion = nn.MSELoss()
optimizer = optim.Adam(model.parameters(), lr=opt.lr)


def train(epoch):
    total = 0
    for iteration, (small, large) in enumerate(training_data_loader, 1):
        small, large = small.to(device), large.to(device)
        optimizer.zero_grad()
        loss = criterion(model(small), large)
        total += loss.item()
        loss.backward()
        optimizer.step()
        print("===> Epoch[{}]({}/{}): Loss: {:.4f}".format(
            epoch, iteration, len(training_data_loader), loss.item()))
    print("===> Epoch {} Complete: Avg. Loss: {:.4f}".format(
        epoch, total / len(training_data_loader)))


def test():
    psnr_sum = 0
    with torch.no_grad():
        for small, large in testing_data_loader:
            small, large = small.to(device), large.to(device)
            mse = criterion(model(small), large)
            psnr_sum += 10 * log10(1 / mse.item())   # images in [0, 1]: peak 1
    print("===> Avg. PSNR: {:.4f} dB".format(psnr_sum / len(testing_data_loader)))


def checkpoint(epoch):
    path = "model_epoch_{}.pth".format(epoch)
    torch.save(model, path)
    print("Checkpoint saved to {}".format(path))


for epoch in range(1, opt.nEpochs + 1):
    train(epoch)
    test()
    checkpoint(epoch)
