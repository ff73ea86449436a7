# Follows pytorch/examples super_resolution/dataset.py
# at commit 77f55b912142e11fcfdf5b530231fb9c52f181e8
# Written independently for ndgrad's real-programs suite; no code copied.
# Framework import lines (the baseline run swaps back only these):
#   import ndgrad.torch.utils.data as data
"""A folder of images as (low-resolution input, full-resolution target)
pairs of their luminance (the Y of YCbCr)."""
from os import listdir
from os.path import join

import ndgrad.torch.utils.data as data
from PIL import Image

IMAGE_ENDINGS = (".png", ".jpg", ".jpeg")


def is_image_file(filename):
    return filename.endswith(IMAGE_ENDINGS)


def load_img(filepath):
    """The Y channel of the image at ``filepath``, a PIL image."""
    luminance, _, _ = Image.open(filepath).convert('YCbCr').split()
    return luminance


class DatasetFromFolder(data.Dataset):
    """Item i: the transforms of the Y channel of image i."""

    def __init__(self, image_dir, input_transform=None, target_transform=None):
        super(DatasetFromFolder, self).__init__()
        self.image_filenames = [join(image_dir, name) for name in sorted(listdir(image_dir))
                                if is_image_file(name)]
        self.input_transform = input_transform
        self.target_transform = target_transform

    def __getitem__(self, index):
        source = load_img(self.image_filenames[index])
        target = source.copy()
        if self.input_transform:
            source = self.input_transform(source)
        if self.target_transform:
            target = self.target_transform(target)
        return source, target

    def __len__(self):
        return len(self.image_filenames)
