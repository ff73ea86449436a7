"""The torchvision transforms the ported programs use, on PIL images and tensors.

Example:
    >>> import os; os.environ["PORTED_FRAMEWORK"] = "torch"
    >>> import numpy as np
    >>> from _offline_vision import transforms
    >>> pipeline = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
    >>> tuple(pipeline(np.full((4, 4), 255, np.uint8)).shape)
    (1, 4, 4)
"""

import numpy as np

__all__ = ["Compose", "ToTensor", "Normalize", "Resize", "CenterCrop", "Lambda"]


def _pil(image):
    from PIL import Image
    return image if isinstance(image, Image.Image) else Image.fromarray(np.asarray(image))


class Compose:
    """Apply ``transforms`` in order."""

    def __init__(self, transforms):
        self.transforms = list(transforms)

    def __call__(self, image):
        for transform in self.transforms:
            image = transform(image)
        return image


class ToTensor:
    """A PIL image or an (H, W[, C]) array to a float32 (C, H, W) tensor;
    uint8 values are scaled to [0, 1], as torchvision does."""

    def __call__(self, image):
        from . import framework
        array = np.asarray(image)
        if array.ndim == 2:
            array = array[:, :, None]
        scale = array.dtype == np.uint8
        array = np.ascontiguousarray(array.transpose(2, 0, 1)).astype(np.float32)
        if scale:
            array /= 255
        return framework().from_numpy(array)


class Normalize:
    """``(tensor - mean) / std`` per channel, on a (C, H, W) tensor."""

    def __init__(self, mean, std):
        self.mean = np.asarray(mean, np.float32).reshape(-1, 1, 1)
        self.std = np.asarray(std, np.float32).reshape(-1, 1, 1)

    def __call__(self, tensor):
        from . import framework
        array = (np.asarray(tensor, np.float32) - self.mean) / self.std
        return framework().from_numpy(np.ascontiguousarray(array, np.float32))


class Resize:
    """Resize a PIL image: an int sets the smaller edge (the aspect ratio is
    kept), a pair sets (height, width); bilinear, as torchvision's default."""

    def __init__(self, size):
        self.size = size

    def __call__(self, image):
        from PIL import Image
        image = _pil(image)
        width, height = image.size
        if isinstance(self.size, int):
            if width <= height:
                target = (self.size, int(self.size * height / width))
            else:
                target = (int(self.size * width / height), self.size)
        else:
            target = (self.size[1], self.size[0])
        return image.resize(target, Image.BILINEAR)


class CenterCrop:
    """Cut the central ``size`` x ``size`` (or (height, width)) part of a PIL image."""

    def __init__(self, size):
        self.size = (size, size) if isinstance(size, int) else tuple(size)

    def __call__(self, image):
        image = _pil(image)
        width, height = image.size
        crop_height, crop_width = self.size
        if crop_height > height or crop_width > width:
            raise ValueError(f"CenterCrop{self.size}: the image is only {height}x{width}")
        top = int(round((height - crop_height) / 2.0))
        left = int(round((width - crop_width) / 2.0))
        return image.crop((left, top, left + crop_width, top + crop_height))


class Lambda:
    """Apply a function given by the program."""

    def __init__(self, function):
        self.function = function

    def __call__(self, image):
        return self.function(image)
