"""Real datasets, loaded without downloading anything.

- :func:`load_digits`: scikit-learn's bundled 8x8 handwritten digits
  (``pip install ndgrad[datasets]``); ``digits.load_data()`` splits it Keras style.
- :func:`load_fashion_mnist`: Fashion-MNIST from its IDX files, read with NumPy
  alone (Debian: ``sudo apt-get install dataset-fashion-mnist``, or a folder of
  your own); ``fashion_mnist.load_data()`` is the Keras-style name.

Both return NumPy arrays: float32 images in ``[0, 1]`` shaped ``(N, H, W, 1)``
(``layout="channels_first"``: ``(N, 1, H, W)``; ``flatten=True``: ``(N, H*W)``)
and int64 labels. Wrap them in :class:`ndgrad.data.TensorDataset` to batch them.

Example:
    >>> from ndgrad import datasets
    >>> (x_train, y_train), (x_test, y_test) = datasets.digits.load_data(test_size=0.25)
    >>> len(x_train) + len(x_test)
    1797
"""

from . import digits, fashion_mnist, idx
from .digits import load_digits
from .fashion_mnist import load_fashion_mnist
from .idx import IdxFormatError, read_idx, write_idx

__all__ = ["load_digits", "load_fashion_mnist", "digits", "fashion_mnist", "idx",
           "read_idx", "write_idx", "IdxFormatError"]
