# Follows pytorch/examples super_resolution/model.py
# at commit 77f55b912142e11fcfdf5b530231fb9c52f181e8
# Written independently for ndgrad's real-programs suite; no code copied.
# Framework import lines (the baseline run swaps back only these):
#   import ndgrad.torch as torch
#   import ndgrad.torch.nn as nn
#   import ndgrad.torch.nn.init as init
"""The efficient sub-pixel network (ESPCN): convolutions at low resolution,
``upscale_factor ** 2`` channels rearranged into a larger image by
``nn.PixelShuffle``; orthogonal initialisation with ReLU's gain."""
import ndgrad.torch as torch
import ndgrad.torch.nn as nn
import ndgrad.torch.nn.init as init


class Net(nn.Module):
    """Conv 5x5 (1 -> 64), conv 3x3 (64 -> 64), conv 3x3 (64 -> 32),
    conv 3x3 (32 -> r*r), pixel shuffle by r."""

    def __init__(self, upscale_factor):
        super(Net, self).__init__()
        self.relu = nn.ReLU()
        self.conv1 = nn.Conv2d(1, 64, (5, 5), (1, 1), (2, 2))
        self.conv2 = nn.Conv2d(64, 64, (3, 3), (1, 1), (1, 1))
        self.conv3 = nn.Conv2d(64, 32, (3, 3), (1, 1), (1, 1))
        self.conv4 = nn.Conv2d(32, upscale_factor ** 2, (3, 3), (1, 1), (1, 1))
        self.pixel_shuffle = nn.PixelShuffle(upscale_factor)
        self._initialize_weights()

    def forward(self, x):
        for conv in (self.conv1, self.conv2, self.conv3):
            x = self.relu(conv(x))
        return self.pixel_shuffle(self.conv4(x))

    def _initialize_weights(self):
        relu_gain = init.calculate_gain('relu')
        for conv in (self.conv1, self.conv2, self.conv3):
            init.orthogonal_(conv.weight, relu_gain)
        init.orthogonal_(self.conv4.weight)
