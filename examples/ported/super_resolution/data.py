# Follows pytorch/examples super_resolution/data.py
# at commit 77f55b912142e11fcfdf5b530231fb9c52f181e8
# Written independently for ndgrad's real-programs suite; no code copied.
# Framework import lines (the baseline run swaps back only these): none.
# Data: download_bsd300 writes the offline BSDS300-like images of
# _offline_data where it would have downloaded BSDS300; the transforms come
# from _offline_vision in place of torchvision.
"""The training and test sets: centre crops (a multiple of the upscale
factor) of the BSDS300 images as targets, the same crops shrunk by the
factor as inputs."""
from os.path import exists, join

import _offline_data
from _offline_vision.transforms import Compose, CenterCrop, ToTensor, Resize
from dataset import DatasetFromFolder

CROP = 256


def download_bsd300(dest="dataset"):
    """The BSDS300 image folder under ``dest``, written if it is missing."""
    image_dir = join(dest, "BSDS300/images")
    if not exists(image_dir):
        print("writing the offline stand-in for BSDS300 into", dest)
        _offline_data.write_bsds300(dest)
    return image_dir


def calculate_valid_crop_size(crop_size, upscale_factor):
    """The largest size up to ``crop_size`` that the factor divides."""
    return crop_size - (crop_size % upscale_factor)


def input_transform(crop_size, upscale_factor):
    return Compose([CenterCrop(crop_size), Resize(crop_size // upscale_factor), ToTensor()])


def target_transform(crop_size):
    return Compose([CenterCrop(crop_size), ToTensor()])


def _part(name, upscale_factor):
    crop_size = calculate_valid_crop_size(CROP, upscale_factor)
    return DatasetFromFolder(join(download_bsd300(), name),
                             input_transform=input_transform(crop_size, upscale_factor),
                             target_transform=target_transform(crop_size))


def get_training_set(upscale_factor):
    return _part("train", upscale_factor)


def get_test_set(upscale_factor):
    return _part("test", upscale_factor)
