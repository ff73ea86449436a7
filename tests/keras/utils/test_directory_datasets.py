"""keras.utils.image_dataset_from_directory and text_dataset_from_directory: labels from
subfolders, label modes, shuffling with a seed, validation splits, image sizes, texts, and
training a model on the result."""

import os

import numpy as np
import pytest

from ndgrad import keras
from ndgrad.keras import utils
from ndgrad.nn.image_resizing import resize_images

pytest.importorskip("PIL")

CLASSES = {"apple": 3, "banana": 2, "cherry": 4}      # files per class
GRAY = {"apple": 40.0, "banana": 120.0, "cherry": 200.0}


@pytest.fixture
def image_folder(tmp_path):
    """Three classes of flat-coloured images of varied sizes, plus a stray text file."""
    for name, count in CLASSES.items():
        folder = tmp_path / name
        folder.mkdir()
        for index in range(count):
            size = (6 + index, 9 - index, 3)
            utils.save_img(folder / f"{index}.png", np.full(size, GRAY[name]), scale=False)
        (folder / "notes.txt").write_text("not an image")
    (tmp_path / ".hidden").mkdir()
    return tmp_path


def _all(dataset):
    images, labels = zip(*[(x.numpy(), y.numpy()) for x, y in dataset])
    return np.concatenate(images), np.concatenate(labels)


def test_labels_follow_the_subfolders(image_folder, capsys):
    data = utils.image_dataset_from_directory(image_folder, image_size=(5, 4), batch_size=4,
                                              seed=3)
    assert capsys.readouterr().out == "Found 9 files belonging to 3 classes.\n"
    assert data.class_names == ["apple", "banana", "cherry"] and len(data.file_paths) == 9
    images, labels = _all(data)
    assert images.shape == (9, 5, 4, 3) and images.dtype == np.float32
    assert labels.dtype == np.int32 and sorted(labels.tolist()) == [0, 0, 0, 1, 1, 2, 2, 2, 2]
    for image, label in zip(images, labels):
        np.testing.assert_allclose(image, GRAY[data.class_names[label]], atol=1e-3)
    assert [len(x) for x, _ in data] == [4, 4, 1]


def test_order_seed_and_epochs(image_folder):
    def make(**options):
        return utils.image_dataset_from_directory(image_folder, image_size=(3, 3),
                                                  verbose=False, **options)
    ordered = make(shuffle=False, batch_size=None)
    assert [os.path.basename(os.path.dirname(p)) for p in ordered.file_paths] == \
        ["apple"] * 3 + ["banana"] * 2 + ["cherry"] * 4
    assert [int(y) for _, y in ordered] == [0, 0, 0, 1, 1, 2, 2, 2, 2]
    first, second = make(seed=11), make(seed=11)
    assert first.file_paths == second.file_paths != ordered.file_paths
    epoch_one, epoch_two = _all(first)[1].tolist(), _all(first)[1].tolist()
    assert sorted(epoch_one) == sorted(epoch_two)        # read again (reshuffled) each epoch


def test_label_modes_and_class_names(image_folder):
    def labels(**options):
        data = utils.image_dataset_from_directory(image_folder, image_size=(2, 2), seed=0,
                                                  verbose=False, **options)
        return data, [y.numpy() for _, y in data][0]
    _, categorical = labels(label_mode="categorical")
    assert categorical.dtype == np.float32 and categorical.shape == (9, 3)
    assert categorical.sum(axis=1).tolist() == [1.0] * 9
    picked, binary = labels(label_mode="binary", class_names=["cherry", "apple"])
    assert picked.class_names == ["cherry", "apple"] and binary.shape == (7, 1)
    assert sorted(binary.ravel().tolist()) == [0.0] * 4 + [1.0] * 3
    images_only = utils.image_dataset_from_directory(image_folder, label_mode=None,
                                                     image_size=(2, 2), verbose=False)
    assert [batch.shape for batch in images_only] == [(9, 2, 2, 3)]
    with pytest.raises(ValueError, match="label_mode='binary' needs exactly 2 classes"):
        utils.image_dataset_from_directory(image_folder, label_mode="binary", verbose=False)


def test_validation_split_subsets(image_folder, capsys):
    options = dict(image_size=(2, 2), validation_split=0.34, seed=5, verbose=False)
    train = utils.image_dataset_from_directory(image_folder, subset="training", **options)
    validation = utils.image_dataset_from_directory(image_folder, subset="validation",
                                                    **options)
    assert capsys.readouterr().out == ("Using 6 files for training.\n"
                                       "Using 3 files for validation.\n")
    assert not set(train.file_paths) & set(validation.file_paths)
    assert len(set(train.file_paths) | set(validation.file_paths)) == 9
    both = utils.image_dataset_from_directory(image_folder, subset="both", **options)
    assert [d.file_paths for d in both] == [train.file_paths, validation.file_paths]
    with pytest.raises(ValueError, match="give a seed"):
        utils.image_dataset_from_directory(image_folder, validation_split=0.2,
                                           subset="training")
    with pytest.raises(ValueError, match="subset must be 'training', 'validation' or 'both'"):
        utils.image_dataset_from_directory(image_folder, validation_split=0.2, seed=1)


def test_sizes_colour_modes_and_resizing_rule(image_folder):
    path = os.path.join(image_folder, "banana", "1.png")
    pixels = np.zeros((7, 8, 3), np.float32)
    pixels[:, ::2] = 255.0
    utils.save_img(path, pixels, scale=False)
    options = dict(shuffle=False, batch_size=None, verbose=False)
    data = utils.image_dataset_from_directory(image_folder, image_size=(4, 5), **options)
    image = [x.numpy() for x, _ in data][4]
    np.testing.assert_allclose(image, resize_images(pixels, (4, 5)).numpy(), atol=1e-4)
    cropped = utils.image_dataset_from_directory(image_folder, image_size=(4, 4),
                                                 crop_to_aspect_ratio=True, **options)
    expected = resize_images(pixels, (4, 4), crop_to_aspect_ratio=True).numpy()
    np.testing.assert_allclose([x.numpy() for x, _ in cropped][4], expected, atol=1e-4)
    gray = utils.image_dataset_from_directory(image_folder, color_mode="grayscale",
                                              image_size=(3, 3), **options)
    assert next(iter(gray))[0].shape == (3, 3, 1)
    with pytest.raises(ValueError, match="color_mode must be"):
        utils.image_dataset_from_directory(image_folder, color_mode="hsv")


def test_explicit_labels_and_empty_folders(image_folder, tmp_path_factory):
    flat = tmp_path_factory.mktemp("flat")
    for index in range(3):
        utils.save_img(flat / f"{index}.png", np.zeros((2, 2, 3)))
    data = utils.image_dataset_from_directory(flat, labels=[2, 0, 2], shuffle=False,
                                              image_size=(2, 2), verbose=False)
    assert data.class_names == ["0", "2"] and next(iter(data))[1].tolist() == [2, 0, 2]
    with pytest.raises(ValueError, match="3 labels were given for the 9 files|labels were"):
        utils.image_dataset_from_directory(image_folder, labels=[0, 1, 2], verbose=False)
    empty = tmp_path_factory.mktemp("empty")
    (empty / "only").mkdir()
    with pytest.raises(ValueError, match=r"no images found in .*allowed formats: \.bmp"):
        utils.image_dataset_from_directory(empty, verbose=False)


def test_text_dataset(tmp_path, capsys):
    for name, texts in {"neg": ["bad film", "awful"], "pos": ["great", "loved it a lot"]}.items():
        (tmp_path / name).mkdir()
        for index, text in enumerate(texts):
            (tmp_path / name / f"{index}.txt").write_text(text, encoding="utf-8")
    data = utils.text_dataset_from_directory(tmp_path, batch_size=3, shuffle=False,
                                             max_length=5)
    assert capsys.readouterr().out == "Found 4 files belonging to 2 classes.\n"
    texts, labels = next(iter(data))
    assert texts.tolist() == ["bad f", "awful", "great"] and labels.tolist() == [0, 0, 1]
    assert data.class_names == ["neg", "pos"]


def test_a_model_trains_on_an_image_folder(tmp_path):
    """Classes told apart by colour (red, green, blue images of varied sizes):
    a linear model separates them whatever the seeds."""
    for label, name in enumerate(["red", "green", "blue"]):
        (tmp_path / name).mkdir()
        for index in range(3):
            image = np.full((6 + index, 9 - index, 3), 30.0)
            image[..., label] = 220.0
            utils.save_img(tmp_path / name / f"{index}.png", image, scale=False)
    keras.utils.set_random_seed(0)
    train = utils.image_dataset_from_directory(tmp_path, image_size=(8, 8), batch_size=3,
                                               seed=1, verbose=False)
    model = keras.Sequential([keras.Input((8, 8, 3)), keras.layers.Rescaling(1 / 255),
                              keras.layers.RandomFlip(seed=0),
                              keras.layers.GlobalAveragePooling2D(),
                              keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(0.1), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(train, epochs=40, verbose=0)
    assert history.params["steps"] == 3
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    assert model.evaluate(train, verbose=0, return_dict=True)["accuracy"] == 1.0
