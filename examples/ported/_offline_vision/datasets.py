"""``datasets.MNIST`` over the offline MNIST of ``_offline_data``.

Example:
    >>> import os; os.environ["PORTED_DATA"] = "tiny"
    >>> from _offline_vision.datasets import MNIST
    >>> len(MNIST("../data", train=True, download=True))
    256
"""

import numpy as np

import _offline_data

__all__ = ["MNIST"]


class MNIST:
    """torchvision's ``MNIST(root, train=True, transform=None,
    target_transform=None, download=False)``: items are ``(PIL image, int)``
    before the transforms; ``root`` and ``download`` are accepted and unused
    (nothing is read from disk or fetched).

    Example:
        >>> import os; os.environ["PORTED_DATA"] = "tiny"
        >>> dataset = MNIST("../data", train=False, transform=lambda image: image.size)
        >>> dataset[3][0]
        (28, 28)
    """

    classes = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four",
               "5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine"]

    def __init__(self, root, train=True, transform=None, target_transform=None, download=False):
        self.root, self.train = root, train
        self.transform, self.target_transform = transform, target_transform
        self._images, self._labels = _offline_data.mnist_arrays(train)

    @property
    def data(self):
        """The images as a uint8 tensor (N, 28, 28) of the running framework."""
        from . import framework
        return framework().from_numpy(self._images.copy())

    @property
    def targets(self):
        """The labels as an int64 tensor (N,) of the running framework."""
        from . import framework
        return framework().from_numpy(self._labels.astype(np.int64))

    def __len__(self):
        return len(self._labels)

    def __getitem__(self, index):
        from PIL import Image
        image = Image.fromarray(self._images[index])
        target = int(self._labels[index])
        if self.transform is not None:
            image = self.transform(image)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return image, target
