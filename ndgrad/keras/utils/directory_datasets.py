"""``keras.utils.image_dataset_from_directory`` and ``text_dataset_from_directory``:
a folder of files, one subfolder per class, as a ``tf.data.Dataset``
(:class:`ndgrad.tensorflow.data.Dataset`) of ``(inputs, labels)`` batches.

The files are indexed as Keras does: class names are the sorted subfolder
names (or ``class_names``), the files of each class in sorted order, their
label the class index; ``shuffle`` (the default) shuffles the whole list once
with ``seed`` and the batches again at each epoch within a buffer of
``8 * batch_size``; ``validation_split`` keeps the last fraction of the
(shuffled) list for ``subset="validation"`` (``"both"`` returns the two
datasets). Files are read when the dataset is iterated, not before. Images are
decoded by Pillow and resized with :func:`ndgrad.nn.image_resizing.resize_images`
(Keras's ``tf.image.resize``), float32 in [0, 255].

Example:
    >>> import os, tempfile, numpy as np
    >>> from ndgrad.keras import utils
    >>> root = tempfile.mkdtemp()
    >>> for label in ("cat", "dog"):
    ...     os.makedirs(os.path.join(root, label))
    ...     for i in range(3):
    ...         utils.save_img(os.path.join(root, label, f"{i}.png"), np.ones((8, 8, 3)))
    >>> data = utils.image_dataset_from_directory(root, image_size=(4, 4), batch_size=4, seed=1)
    Found 6 files belonging to 2 classes.
    >>> data.class_names, [(x.shape, y.shape) for x, y in data]
    (['cat', 'dog'], [((4, 4, 4, 3), (4,)), ((2, 4, 4, 3), (2,))])
"""

import os

import numpy as np

from ...nn.image_resizing import resize_images
from ...tensor import Tensor
from ...tensorflow.data import Dataset
from .images import img_to_array, load_img

__all__ = ["image_dataset_from_directory", "text_dataset_from_directory", "index_directory"]

IMAGE_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_CHANNELS = {"grayscale": 1, "rgb": 3, "rgba": 4}


def _files_under(folder, follow_links, formats):
    found = []
    for root, _, files in sorted(os.walk(folder, followlinks=follow_links), key=lambda w: w[0]):
        found.extend(os.path.join(root, name) for name in sorted(files)
                     if name.lower().endswith(formats))
    return found


def index_directory(directory, labels, formats, class_names=None, shuffle=True, seed=None,
                    follow_links=False, function="image_dataset_from_directory"):
    """``(file_paths, labels, class_names)`` as Keras indexes a folder (see the module).

    Example:
        >>> from ndgrad.keras.utils.directory_datasets import index_directory
        >>> import os, tempfile
        >>> root = tempfile.mkdtemp(); os.makedirs(os.path.join(root, "a"))
        >>> open(os.path.join(root, "a", "x.txt"), "w").close()
        >>> paths, labels, names = index_directory(root, "inferred", (".txt",), shuffle=False)
        >>> [os.path.basename(p) for p in paths], labels.tolist(), names
        (['x.txt'], [0], ['a'])
    """
    if not os.path.isdir(directory):
        raise ValueError(f"{function}: {directory!r} is not a directory")
    if labels == "inferred":
        folders = [name for name in sorted(os.listdir(directory))
                   if os.path.isdir(os.path.join(directory, name)) and not name.startswith(".")]
        if class_names is not None:
            if not set(class_names) <= set(folders):
                raise ValueError(f"{function}: class_names {list(class_names)} are not all "
                                 f"subfolders of {directory!r}, which has {folders}")
            folders = list(class_names)
        paths, label_list = [], []
        for index, folder in enumerate(folders):
            found = _files_under(os.path.join(directory, folder), follow_links, formats)
            paths += found
            label_list += [index] * len(found)
        labels, class_names = np.array(label_list, dtype=np.int32), list(folders)
    else:
        if class_names is not None:
            raise ValueError(f"{function}: class_names only goes with labels='inferred' (with "
                             "explicit labels, the classes are the sorted labels)")
        paths = _files_under(directory, follow_links, formats)
        if labels is not None:
            if len(labels) != len(paths):
                raise ValueError(f"{function}: {len(labels)} labels were given for the "
                                 f"{len(paths)} files found in {directory!r}")
            class_names = [str(label) for label in sorted(set(labels))]
            labels = np.asarray(labels)
    if shuffle:
        seed = np.random.randint(1e6) if seed is None else seed
        np.random.RandomState(seed).shuffle(paths)
        if labels is not None:
            np.random.RandomState(seed).shuffle(labels)
    return paths, labels, class_names


def _check_split(function, validation_split, subset, shuffle, seed):
    if validation_split is None and subset is None:
        return
    if not (isinstance(validation_split, float) and 0 < validation_split < 1):
        raise ValueError(f"{function}: validation_split must be a float in (0, 1) when subset "
                         f"is given; got {validation_split!r}")
    if subset not in ("training", "validation", "both"):
        raise ValueError(f"{function}: with validation_split, subset must be 'training', "
                         f"'validation' or 'both'; got {subset!r}")
    if shuffle and seed is None:
        raise ValueError(f"{function}: with validation_split and shuffle, give a seed, so that "
                         "the training and validation subsets do not overlap")


def _split(paths, labels, validation_split, subset):
    count = int(validation_split * len(paths))
    cut = len(paths) - count
    parts = {"training": slice(None, cut), "validation": slice(cut, None)}[subset]
    print(f"Using {count if subset == 'validation' else cut} files for {subset}.")
    return paths[parts], None if labels is None else labels[parts]


def _encode_label(label, label_mode, count):
    if label_mode == "int":
        return Tensor(np.asarray(label, dtype=np.int32))
    if label_mode == "binary":
        return Tensor(np.asarray([label], dtype=np.float32))
    one_hot = np.zeros(count, dtype=np.float32)
    one_hot[int(label)] = 1.0
    return Tensor(one_hot)


def _check_label_mode(function, label_mode, class_names):
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError(f"{function}: label_mode must be 'int', 'categorical', 'binary' or "
                         f"None; got {label_mode!r}")
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(f"{function}: label_mode='binary' needs exactly 2 classes; found "
                         f"{len(class_names)}: {class_names}")


def _build(paths, labels, label_mode, class_names, read, batch_size, shuffle, seed):
    count = len(class_names or ())

    def elements():
        for index, path in enumerate(paths):
            value = read(path)
            yield value if labels is None else (value, _encode_label(labels[index], label_mode,
                                                                     count))
    dataset = Dataset(elements, len(paths))
    if shuffle:
        dataset = dataset.shuffle(8 * batch_size if batch_size else 1024, seed=seed)
    if batch_size is not None:
        dataset = dataset.batch(batch_size)
    dataset.class_names = class_names
    dataset.file_paths = list(paths)
    return dataset


def _from_directory(function, directory, labels, label_mode, class_names, formats, read,
                    batch_size, shuffle, seed, validation_split, subset, follow_links, verbose,
                    kind):
    if labels not in ("inferred", None) and not isinstance(labels, (list, tuple, np.ndarray)):
        raise ValueError(f"{function}: labels must be 'inferred', None, or a list of one label "
                         f"per file; got {labels!r}")
    if labels is None or label_mode is None:
        labels, label_mode = (None if labels != "inferred" else labels), None
    _check_split(function, validation_split, subset, shuffle, seed)
    if shuffle and seed is None:
        seed = np.random.randint(1e6)
    paths, indexed, names = index_directory(directory, labels, formats, class_names, shuffle,
                                            seed, follow_links, function)
    if label_mode is None:
        indexed = None
    else:
        _check_label_mode(function, label_mode, names)
    if not paths:
        raise ValueError(f"{function}: no {kind} found in {directory!r}; allowed formats: "
                         f"{', '.join(formats)}")
    if verbose:
        print(f"Found {len(paths)} files" + ("." if names is None or labels is None else
                                             f" belonging to {len(names)} classes."))
    paths = np.array(paths, dtype=object)
    if subset is None:
        return _build(paths, indexed, label_mode, names, read, batch_size, shuffle, seed)
    parts = ("training", "validation") if subset == "both" else (subset,)
    datasets = [_build(*_split(paths, indexed, validation_split, part), label_mode, names, read,
                       batch_size, shuffle and part == "training", seed) for part in parts]
    return datasets if subset == "both" else datasets[0]


def image_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                 class_names=None, color_mode="rgb", batch_size=32,
                                 image_size=(256, 256), shuffle=True, seed=None,
                                 validation_split=None, subset=None, interpolation="bilinear",
                                 follow_links=False, crop_to_aspect_ratio=False,
                                 pad_to_aspect_ratio=False, data_format=None, verbose=True):
    """Images under ``directory`` as a dataset of ``(images, labels)`` batches
    (see the module): images (batch, height, width, channels) float32,
    labels int32 (``label_mode="int"``), one-hot float32 ("categorical"),
    (batch, 1) float32 ("binary") or absent (None). The dataset has
    ``class_names`` and ``file_paths``.

    Example:
        >>> from ndgrad.keras.preprocessing import image_dataset_from_directory
        >>> image_dataset_from_directory("/nonexistent")
        Traceback (most recent call last):
        ...
        ValueError: image_dataset_from_directory: '/nonexistent' is not a directory
    """
    function = "image_dataset_from_directory"
    if color_mode not in _CHANNELS:
        raise ValueError(f"{function}: color_mode must be 'grayscale', 'rgb' or 'rgba'; got "
                         f"{color_mode!r}")
    data_format = data_format or "channels_last"
    size = tuple(int(n) for n in image_size)

    def read(path):
        array = img_to_array(load_img(path, color_mode=color_mode))
        image = resize_images(array, size, interpolation, crop_to_aspect_ratio,
                              pad_to_aspect_ratio, owner=function)
        return image if data_format == "channels_last" else image.transpose(2, 0, 1)
    return _from_directory(function, directory, labels, label_mode, class_names, IMAGE_FORMATS,
                           read, batch_size, shuffle, seed, validation_split, subset,
                           follow_links, verbose, "images")


def text_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                class_names=None, batch_size=32, max_length=None, shuffle=True,
                                seed=None, validation_split=None, subset=None,
                                follow_links=False, verbose=True):
    """``.txt`` files under ``directory`` as a dataset of ``(texts, labels)``
    batches: the texts a NumPy array of ``str`` (TensorFlow's strings; cut to
    ``max_length`` characters), the labels as in :func:`image_dataset_from_directory`.

    Example:
        >>> from ndgrad.keras.preprocessing import text_dataset_from_directory
        >>> text_dataset_from_directory("/nonexistent")
        Traceback (most recent call last):
        ...
        ValueError: text_dataset_from_directory: '/nonexistent' is not a directory
    """
    def read(path):
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        return np.asarray(text if max_length is None else text[:max_length])
    return _from_directory("text_dataset_from_directory", directory, labels, label_mode,
                           class_names, (".txt",), read, batch_size, shuffle, seed,
                           validation_split, subset, follow_links, verbose, "text files")
