"""``keras.preprocessing``: Keras 3's older home of the data helpers, the same
functions as ``keras.utils`` (``image_dataset_from_directory``,
``text_dataset_from_directory``, ``timeseries_dataset_from_array``), with the
submodules ``image`` (``load_img``, ``img_to_array``, ``array_to_img``,
``save_img``, ``smart_resize``) and ``sequence`` (``pad_sequences``).

Example:
    >>> from ndgrad import keras
    >>> keras.preprocessing.image.load_img is keras.utils.load_img
    True
    >>> keras.preprocessing.sequence.pad_sequences([[1], [2, 3]]).tolist()
    [[0, 1], [2, 3]]
"""

from ..utils import (image_dataset_from_directory, text_dataset_from_directory,
                     timeseries_dataset_from_array)
from . import image, sequence

__all__ = ["image", "sequence", "image_dataset_from_directory", "text_dataset_from_directory",
           "timeseries_dataset_from_array"]
