"""``datasets.MNIST`` over the offline MNIST of ``_offline_data``, and
``datasets.FakeData`` (random images).

Example:
    >>> import os; os.environ["PORTED_DATA"] = "tiny"
    >>> from _offline_vision.datasets import MNIST
    >>> len(MNIST("../data", train=True, download=True))
    256
"""

import numpy as np

import _offline_data

__all__ = ["MNIST", "FakeData"]


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


class FakeData:
    """torchvision's ``FakeData(size=1000, image_size=(3, 224, 224),
    num_classes=10, transform=None, target_transform=None, random_offset=0)``:
    item ``i`` is a random PIL image and a random label, the same every time
    it is read (drawn from a generator seeded with ``i + random_offset``).

    Example:
        >>> image, label = FakeData(size=4, image_size=(3, 8, 6))[2]
        >>> image.size, image.mode, 0 <= label < 10
        ((6, 8), 'RGB', True)
    """

    def __init__(self, size=1000, image_size=(3, 224, 224), num_classes=10, transform=None,
                 target_transform=None, random_offset=0):
        self.size, self.image_size, self.num_classes = size, tuple(image_size), num_classes
        self.transform, self.target_transform = transform, target_transform
        self.random_offset = random_offset

    def __len__(self):
        return self.size

    def __getitem__(self, index):
        from PIL import Image
        if not 0 <= index < self.size:
            raise IndexError(f"FakeData: index {index} out of range for {self.size} images")
        rng = np.random.default_rng(index + self.random_offset)
        channels, height, width = self.image_size
        pixels = rng.integers(0, 256, size=(height, width, channels), dtype=np.uint8)
        image = Image.fromarray(pixels[:, :, 0] if channels == 1 else pixels)
        target = int(rng.integers(0, self.num_classes))
        if self.transform is not None:
            image = self.transform(image)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return image, target
