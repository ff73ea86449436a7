"""An offline stand-in for the parts of torchvision the ported programs use.

torchvision is not installed (and its datasets download). The ports import
this package where the originals import torchvision, in both their ndgrad and
their PyTorch runs, so both read the same images:

- ``datasets.MNIST``: the offline MNIST of ``_offline_data`` (PIL images
  and int labels, with ``.data`` and ``.targets`` tensors, as torchvision's);
- ``transforms``: ``Compose``, ``ToTensor``, ``Normalize``, ``Resize``,
  ``CenterCrop``, ``Lambda``;
- ``utils.save_image``: writes a PNG grid of a batch of images.

Tensors are made by the framework the program runs on: ``ndgrad.torch`` when
``PORTED_FRAMEWORK=ndgrad`` (the runner sets it) or when the program has
imported it, else ``torch``.

Example:
    >>> import os; os.environ["PORTED_DATA"] = "tiny"
    >>> from _offline_vision import datasets
    >>> image, label = datasets.MNIST("../data", train=False)[0]
    >>> image.size, image.mode, type(label).__name__
    ((28, 28), 'L', 'int')
"""

import os
import sys

from . import datasets, transforms, utils

__all__ = ["datasets", "transforms", "utils", "framework"]


def framework():
    """The torch-like module the running program uses (``ndgrad.torch`` or ``torch``).

    Example:
        >>> os.environ["PORTED_FRAMEWORK"] = "torch"
        >>> framework().__name__
        'torch'
    """
    name = os.environ.get("PORTED_FRAMEWORK")
    if name == "ndgrad" or (name is None and "ndgrad.torch" in sys.modules):
        import ndgrad.torch as module
    else:
        import torch as module
    return module
