# Follows pytorch/examples dcgan/main.py
# at commit 77f55b912142e11fcfdf5b530231fb9c52f181e8
# Written independently for ndgrad's real-programs suite; no code copied.
# Framework import lines (the baseline run swaps back only these):
#   import ndgrad.torch as torch
#   import ndgrad.torch.nn as nn
#   import ndgrad.torch.nn.parallel
#   import ndgrad.torch.backends.cudnn as cudnn
#   import ndgrad.torch.optim as optim
#   import ndgrad.torch.utils.data
# Data: datasets, transforms and save_image from _offline_vision in place of
# torchvision; of the original's datasets, the offline ones are offered:
# mnist (scikit-learn digits redrawn at 28x28) and fake (random images).
"""A deep convolutional GAN: a generator of transposed convolutions from a
noise vector to a 64x64 image, a convolutional discriminator, both with batch
normalisation and DCGAN's weight initialisation; Adam with beta1 = 0.5 and
binary cross-entropy, D trained on real and fake batches, then G."""
import argparse
import os
import random

import ndgrad.torch as torch
import ndgrad.torch.nn as nn
import ndgrad.torch.nn.parallel
import ndgrad.torch.backends.cudnn as cudnn
import ndgrad.torch.optim as optim
import ndgrad.torch.utils.data
import _offline_vision.datasets as dset
import _offline_vision.transforms as transforms
import _offline_vision.utils as vutils

parser = argparse.ArgumentParser()
parser.add_argument('--dataset', required=True, help='mnist | fake (offline data only)')
parser.add_argument('--dataroot', required=False, help='where the dataset lives')
parser.add_argument('--workers', type=int, help='data loading workers', default=2)
parser.add_argument('--batchSize', type=int, default=64, help='batch size')
parser.add_argument('--imageSize', type=int, default=64, help='side of the square images')
parser.add_argument('--nz', type=int, default=100, help='length of the noise vector')
parser.add_argument('--ngf', type=int, default=64, help='generator width')
parser.add_argument('--ndf', type=int, default=64, help='discriminator width')
parser.add_argument('--niter', type=int, default=25, help='training epochs')
parser.add_argument('--lr', type=float, default=0.0002, help='learning rate (0.0002)')
parser.add_argument('--beta1', type=float, default=0.5, help="Adam's beta1 (0.5)")
parser.add_argument('--dry-run', action='store_true', help='one training step only')
parser.add_argument('--ngpu', type=int, default=1, help='GPUs to spread the batch over')
parser.add_argument('--netG', default='', help='generator weights to start from')
parser.add_argument('--netD', default='', help='discriminator weights to start from')
parser.add_argument('--outf', default='.', help='folder for images and checkpoints')
parser.add_argument('--manualSeed', type=int, help='seed')
parser.add_argument('--classes', default='bedroom', help='LSUN classes (unused offline)')
parser.add_argument('--accel', action='store_true', default=False, help='use the accelerator')
opt = parser.parse_args()
print(opt)

os.makedirs(opt.outf, exist_ok=True)

if opt.manualSeed is None:
    opt.manualSeed = random.randint(1, 10000)
print("Random Seed: ", opt.manualSeed)
random.seed(opt.manualSeed)
torch.manual_seed(opt.manualSeed)

cudnn.benchmark = True

if opt.accel and torch.accelerator.is_available():
    device = torch.accelerator.current_accelerator()
else:
    device = torch.device("cpu")
print(f"Using device: {device}")

if opt.dataroot is None and str(opt.dataset).lower() != 'fake':
    raise ValueError("--dataroot is needed for the dataset %r" % opt.dataset)

if opt.dataset == 'mnist':
    dataset = dset.MNIST(root=opt.dataroot, download=True,
                         transform=transforms.Compose([
                             transforms.Resize(opt.imageSize),
                             transforms.ToTensor(),
                             transforms.Normalize((0.5,), (0.5,)),
                         ]))
    nc = 1
elif opt.dataset == 'fake':
    dataset = dset.FakeData(image_size=(3, opt.imageSize, opt.imageSize),
                            transform=transforms.ToTensor())
    nc = 3
else:
    raise ValueError("offline, only the mnist and fake datasets exist, not %r" % opt.dataset)

dataloader = torch.utils.data.DataLoader(dataset, batch_size=opt.batchSize,
                                         shuffle=True, num_workers=int(opt.workers))

ngpu = int(opt.ngpu)
nz = int(opt.nz)
ngf = int(opt.ngf)
ndf = int(opt.ndf)


def weights_init(module):
    """DCGAN's initialisation: convolutions N(0, 0.02), batch norms N(1, 0.02) and 0."""
    kind = module.__class__.__name__
    if 'Conv' in kind:
        torch.nn.init.normal_(module.weight, 0.0, 0.02)
    elif 'BatchNorm' in kind:
        torch.nn.init.normal_(module.weight, 1.0, 0.02)
        torch.nn.init.zeros_(module.bias)


def up_block(channels_in, channels_out):
    """Transposed convolution doubling the side, batch norm, ReLU."""
    return [nn.ConvTranspose2d(channels_in, channels_out, 4, 2, 1, bias=False),
            nn.BatchNorm2d(channels_out), nn.ReLU(True)]


def down_block(channels_in, channels_out):
    """Strided convolution halving the side, batch norm, leaky ReLU."""
    return [nn.Conv2d(channels_in, channels_out, 4, 2, 1, bias=False),
            nn.BatchNorm2d(channels_out), nn.LeakyReLU(0.2, inplace=True)]


class Generator(nn.Module):
    """nz x 1 x 1 -> (ngf*8) x 4 x 4 -> ... -> nc x 64 x 64 in [-1, 1]."""

    def __init__(self, ngpu):
        super(Generator, self).__init__()
        self.ngpu = ngpu
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False),
            nn.BatchNorm2d(ngf * 8),
            nn.ReLU(True),
            *up_block(ngf * 8, ngf * 4),
            *up_block(ngf * 4, ngf * 2),
            *up_block(ngf * 2, ngf),
            nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False),
            nn.Tanh(),
        )

    def forward(self, input):
        if (input.is_cuda or input.is_xpu) and self.ngpu > 1:
            return nn.parallel.data_parallel(self.main, input, range(self.ngpu))
        return self.main(input)


generator = Generator(ngpu).to(device)
generator.apply(weights_init)
if opt.netG != '':
    generator.load_state_dict(torch.load(opt.netG))
print(generator)


class Discriminator(nn.Module):
    """nc x 64 x 64 -> ... -> (ndf*8) x 4 x 4 -> the probability of being real."""

    def __init__(self, ngpu):
        super(Discriminator, self).__init__()
        self.ngpu = ngpu
        self.main = nn.Sequential(
            nn.Conv2d(nc, ndf, 4, 2, 1, bias=False),
            nn.LeakyReLU(0.2, inplace=True),
            *down_block(ndf, ndf * 2),
            *down_block(ndf * 2, ndf * 4),
            *down_block(ndf * 4, ndf * 8),
            nn.Conv2d(ndf * 8, 1, 4, 1, 0, bias=False),
            nn.Sigmoid(),
        )

    def forward(self, input):
        if (input.is_cuda or input.is_xpu) and self.ngpu > 1:
            output = nn.parallel.data_parallel(self.main, input, range(self.ngpu))
        else:
            output = self.main(input)
        return output.view(-1, 1).squeeze(1)


discriminator = Discriminator(ngpu).to(device)
discriminator.apply(weights_init)
if opt.netD != '':
    discriminator.load_state_dict(torch.load(opt.netD))
print(discriminator)

criterion = nn.BCELoss()
probe_noise = torch.randn(opt.batchSize, nz, 1, 1, device=device)
REAL, FAKE = 1, 0

d_optimizer = optim.Adam(discriminator.parameters(), lr=opt.lr, betas=(opt.beta1, 0.999))
g_optimizer = optim.Adam(generator.parameters(), lr=opt.lr, betas=(opt.beta1, 0.999))

if opt.dry_run:
    opt.niter = 1

for epoch in range(opt.niter):
    for i, batch in enumerate(dataloader, 0):
        # the discriminator: real images should score 1, generated ones 0
        discriminator.zero_grad()
        real_images = batch[0].to(device)
        batch_size = real_images.size(0)
        label = torch.full((batch_size,), REAL, dtype=real_images.dtype, device=device)
        scores = discriminator(real_images)
        d_loss_real = criterion(scores, label)
        d_loss_real.backward()
        real_score = scores.mean().item()

        noise = torch.randn(batch_size, nz, 1, 1, device=device)
        fake = generator(noise)
        label.fill_(FAKE)
        scores = discriminator(fake.detach())
        d_loss_fake = criterion(scores, label)
        d_loss_fake.backward()
        fake_score_d = scores.mean().item()
        d_loss = d_loss_real + d_loss_fake
        d_optimizer.step()

        # the generator: its images should score 1
        generator.zero_grad()
        label.fill_(REAL)
        scores = discriminator(fake)
        g_loss = criterion(scores, label)
        g_loss.backward()
        fake_score_g = scores.mean().item()
        g_optimizer.step()

        print('[%d/%d][%d/%d] Loss_D: %.4f Loss_G: %.4f D(x): %.4f D(G(z)): %.4f / %.4f'
              % (epoch, opt.niter, i, len(dataloader),
                 d_loss.item(), g_loss.item(), real_score, fake_score_d, fake_score_g))
        if i % 100 == 0:
            vutils.save_image(real_images, '%s/real_samples.png' % opt.outf, normalize=True)
            fake = generator(probe_noise)
            vutils.save_image(fake.detach(), '%s/fake_samples_epoch_%03d.png' % (opt.outf, epoch),
                              normalize=True)
        if opt.dry_run:
            break
    torch.save(generator.state_dict(), '%s/netG_epoch_%d.pth' % (opt.outf, epoch))
    torch.save(discriminator.state_dict(), '%s/netD_epoch_%d.pth' % (opt.outf, epoch))
