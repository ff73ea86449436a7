# Follows pytorch/examples vae/main.py
# at commit 77f55b912142e11fcfdf5b530231fb9c52f181e8
# Written independently for ndgrad's real-programs suite; no code copied.
# Framework import lines (the baseline run swaps back only these):
#   import ndgrad.torch as torch
#   import ndgrad.torch.utils.data
#   from ndgrad.torch import nn, optim
#   from ndgrad.torch.nn import functional as F
# Data: MNIST from _offline_vision (scikit-learn digits redrawn at 28x28) in
# place of torchvision's download; images are written by _offline_vision's
# save_image.
"""A variational autoencoder on MNIST: a dense encoder to the mean and log
variance of a 20-dimensional Gaussian, the reparameterisation trick, a dense
decoder; the loss is binary cross-entropy (summed) plus the KL divergence.
Reconstructions and samples are saved under results/ after every epoch."""
import argparse

import ndgrad.torch as torch
import ndgrad.torch.utils.data
from ndgrad.torch import nn, optim
from ndgrad.torch.nn import functional as F
from _offline_vision import datasets, transforms
from _offline_vision.utils import save_image

parser = argparse.ArgumentParser(description='VAE on MNIST example')
parser.add_argument('--batch-size', type=int, default=128, metavar='N',
                    help='batch size (128)')
parser.add_argument('--epochs', type=int, default=10, metavar='N',
                    help='training epochs (10)')
parser.add_argument('--no-accel', action='store_true',
                    help='stay on the CPU even if an accelerator is present')
parser.add_argument('--seed', type=int, default=1, metavar='S',
                    help='seed of the random generator (1)')
parser.add_argument('--log-interval', type=int, default=10, metavar='N',
                    help='batches between two loss reports (10)')
args = parser.parse_args()

use_accel = not args.no_accel and torch.accelerator.is_available()
torch.manual_seed(args.seed)
device = torch.accelerator.current_accelerator() if use_accel else torch.device("cpu")
print(f"Using device: {device}")

loader_extras = {'num_workers': 1, 'pin_memory': True} if use_accel else {}
train_loader = torch.utils.data.DataLoader(
    datasets.MNIST('../data', train=True, download=True, transform=transforms.ToTensor()),
    batch_size=args.batch_size, shuffle=True, **loader_extras)
test_loader = torch.utils.data.DataLoader(
    datasets.MNIST('../data', train=False, transform=transforms.ToTensor()),
    batch_size=args.batch_size, shuffle=False, **loader_extras)

LATENT = 20


class VAE(nn.Module):
    """784 -> 400 -> (mean, log variance) of a 20-d code -> 400 -> 784."""

    def __init__(self):
        super(VAE, self).__init__()
        self.fc1 = nn.Linear(784, 400)
        self.fc21 = nn.Linear(400, LATENT)
        self.fc22 = nn.Linear(400, LATENT)
        self.fc3 = nn.Linear(LATENT, 400)
        self.fc4 = nn.Linear(400, 784)

    def encode(self, flat_images):
        hidden = F.relu(self.fc1(flat_images))
        return self.fc21(hidden), self.fc22(hidden)

    def reparameterize(self, mean, log_variance):
        spread = torch.exp(0.5 * log_variance)
        return mean + torch.randn_like(spread) * spread

    def decode(self, code):
        return torch.sigmoid(self.fc4(F.relu(self.fc3(code))))

    def forward(self, images):
        mean, log_variance = self.encode(images.view(-1, 784))
        return self.decode(self.reparameterize(mean, log_variance)), mean, log_variance


model = VAE().to(device)
optimizer = optim.Adam(model.parameters(), lr=1e-3)


def loss_function(reconstruction, images, mean, log_variance):
    """Reconstruction error plus KL(q(z|x) || N(0, I)), summed over the batch."""
    reconstruction_error = F.binary_cross_entropy(reconstruction, images.view(-1, 784),
                                                  reduction='sum')
    divergence = -0.5 * torch.sum(1 + log_variance - mean.pow(2) - log_variance.exp())
    return reconstruction_error + divergence


def train(epoch):
    model.train()
    epoch_loss = 0
    for batch_idx, (images, _) in enumerate(train_loader):
        images = images.to(device)
        optimizer.zero_grad()
        reconstruction, mean, log_variance = model(images)
        loss = loss_function(reconstruction, images, mean, log_variance)
        loss.backward()
        epoch_loss += loss.item()
        optimizer.step()
        if batch_idx % args.log_interval == 0:
            print('Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}'.format(
                epoch, batch_idx * len(images), len(train_loader.dataset),
                100. * batch_idx / len(train_loader), loss.item() / len(images)))
    print('====> Epoch: {} Average loss: {:.4f}'.format(
        epoch, epoch_loss / len(train_loader.dataset)))


def test(epoch):
    model.eval()
    total = 0
    with torch.no_grad():
        for index, (images, _) in enumerate(test_loader):
            images = images.to(device)
            reconstruction, mean, log_variance = model(images)
            total += loss_function(reconstruction, images, mean, log_variance).item()
            if index == 0:
                shown = min(images.size(0), 8)
                side_by_side = torch.cat(
                    [images[:shown], reconstruction.view(args.batch_size, 1, 28, 28)[:shown]])
                save_image(side_by_side.cpu(),
                           'results/reconstruction_' + str(epoch) + '.png', nrow=shown)
    print('====> Test set loss: {:.4f}'.format(total / len(test_loader.dataset)))


if __name__ == "__main__":
    for epoch in range(1, args.epochs + 1):
        train(epoch)
        test(epoch)
        with torch.no_grad():
            samples = model.decode(torch.randn(64, LATENT).to(device)).cpu()
            save_image(samples.view(64, 1, 28, 28), 'results/sample_' + str(epoch) + '.png')
