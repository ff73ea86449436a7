"""Offline stand-ins for the datasets the ported programs download.

Nothing here downloads anything, and nothing here imports a deep-learning
framework: every loader returns NumPy arrays (or writes plain files), so the
same call serves the ndgrad port and the PyTorch baseline of one program.

- :data:`mnist` (``mnist.load_data()``, Keras style): scikit-learn's 8x8 digits
  redrawn at 28x28 (a 20x20 digit centred in a 28x28 frame, as MNIST is), uint8
  0..255, labels uint8. Training images come from 80% of the digits, test
  images from the other 20%; larger counts repeat them shifted by up to two
  pixels. With ``PORTED_MNIST=fashion`` and Debian's ``dataset-fashion-mnist``
  installed, Fashion-MNIST's real images are used instead.
- :data:`imdb` (``imdb.load_data(num_words=...)``): review-like integer
  sequences whose label follows the balance of "positive" and "negative" words.
- :func:`ford_a_folder`: FordA-like tab-separated time series files.
- :func:`sine_waves`: the shifted sine waves of time_sequence_prediction.
- :func:`write_text_corpus`: a small train/valid/test text corpus.
- :func:`write_bsds300`: a folder of images laid out like BSDS300.

Sizes: the environment variable ``PORTED_DATA`` is ``full`` (the published
datasets' shapes and counts: 60,000 MNIST training images), ``small`` (what
``examples/ported/run.py`` trains on) or ``tiny`` (what the tests use).

Example:
    >>> import os
    >>> os.environ["PORTED_DATA"] = "tiny"
    >>> (x_train, y_train), (x_test, y_test) = mnist.load_data()
    >>> x_train.shape, x_train.dtype, int(x_train.max()), y_test.dtype
    ((256, 28, 28), dtype('uint8'), 255, dtype('uint8'))
"""

import os
import types

import numpy as np

__all__ = ["size", "mnist", "imdb", "mnist_arrays", "ford_a_folder", "sine_waves",
           "write_text_corpus", "write_bsds300"]

_SIZES = ("full", "small", "tiny")


def size():
    """The data size asked for by ``PORTED_DATA``: "full", "small" or "tiny".

    Example:
        >>> os.environ["PORTED_DATA"] = "small"; size()
        'small'
    """
    value = os.environ.get("PORTED_DATA", "full")
    if value not in _SIZES:
        raise ValueError(f"PORTED_DATA={value!r}: use one of {', '.join(_SIZES)}")
    return value


def _pick(full, small, tiny):
    return {"full": full, "small": small, "tiny": tiny}[size()]


# ----------------------------------------------------------------------------- MNIST

def _digits():
    """scikit-learn's digits: images (1797, 8, 8) in 0..16 and int labels.

    Read from the CSV file scikit-learn bundles (what ``load_digits`` reads),
    which spares each program a second of importing scikit-learn.
    """
    import importlib.util
    spec = importlib.util.find_spec("sklearn")
    if spec is not None and spec.submodule_search_locations:
        name = os.path.join(spec.submodule_search_locations[0], "datasets", "data",
                            "digits.csv.gz")
        if os.path.isfile(name):
            table = np.loadtxt(name, delimiter=",")
            return table[:, :-1].reshape(-1, 8, 8), table[:, -1].astype(int)
    from sklearn.datasets import load_digits
    bunch = load_digits()
    return bunch.images, bunch.target


def _digits_split():
    """8x8 digits (0..16) and labels, split 80/20 per class with a fixed seed."""
    images, targets = _digits()
    rng = np.random.default_rng(0)
    train, test = [], []
    for label in range(10):
        members = rng.permutation(np.flatnonzero(targets == label))
        cut = len(members) // 5
        test.append(members[:cut])
        train.append(members[cut:])
    train, test = rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))
    return (images[train], targets[train]), (images[test], targets[test])


def _redraw(images, count, seed):
    """``count`` 28x28 uint8 images: each 8x8 digit stretched to 20x20
    (bilinear) and placed in the centre of the frame; copies past the first
    round are shifted by up to two pixels."""
    coordinates = np.clip((np.arange(20) + 0.5) * 8 / 20 - 0.5, 0, 7)
    low = np.floor(coordinates).astype(int)
    high = np.minimum(low + 1, 7)
    weight = coordinates - low
    across = weight[None, :, None]
    rows = images[:, low, :] * (1 - across) + images[:, high, :] * across
    big = rows[:, :, low] * (1 - weight) + rows[:, :, high] * weight
    big = np.clip(np.rint(big * (255 / 16)), 0, 255).astype(np.uint8)
    rng = np.random.default_rng(seed)
    out = np.zeros((count, 28, 28), np.uint8)
    for index in range(count):
        source = index % len(images)
        shift_y, shift_x = (0, 0) if index < len(images) else rng.integers(-2, 3, size=2)
        out[index, 4 + shift_y:24 + shift_y, 4 + shift_x:24 + shift_x] = big[source]
    return out


def _repeat_labels(labels, count):
    return labels[np.arange(count) % len(labels)].astype(np.uint8)


def mnist_arrays(train):
    """MNIST-shaped ``(images uint8 (N, 28, 28), labels uint8 (N,))`` for the
    training or the test part (see the module docstring for the sizes).

    Example:
        >>> os.environ["PORTED_DATA"] = "tiny"
        >>> images, labels = mnist_arrays(train=False)
        >>> images.shape, sorted(set(labels.tolist())) == list(range(10))
        ((128, 28, 28), True)
    """
    if os.environ.get("PORTED_MNIST") == "fashion":
        from ndgrad.datasets import load_fashion_mnist
        (x_train, y_train), (x_test, y_test) = load_fashion_mnist(layout="channels_first")
        images, labels = (x_train, y_train) if train else (x_test, y_test)
        count = _pick(len(labels), 4096 if train else 1024, 256 if train else 128)
        return (np.rint(images[:count, 0] * 255).astype(np.uint8), labels[:count].astype(np.uint8))
    (train_images, train_labels), (test_images, test_labels) = _digits_split()
    if train:
        count = _pick(60000, 4096, 256)
        return _redraw(train_images, count, seed=1), _repeat_labels(train_labels, count)
    count = _pick(10000, 1024, 128)
    return _redraw(test_images, count, seed=2), _repeat_labels(test_labels, count)


def _mnist_load_data(path="mnist.npz"):
    """Keras's ``mnist.load_data()``: ``((x_train, y_train), (x_test, y_test))``."""
    return mnist_arrays(train=True), mnist_arrays(train=False)


mnist = types.SimpleNamespace(load_data=_mnist_load_data)


# ----------------------------------------------------------------------------- IMDB

def _imdb_load_data(path="imdb.npz", num_words=None, skip_top=0, maxlen=None, seed=113,
                    start_char=1, oov_char=2, index_from=3, **kwargs):
    """Keras's ``imdb.load_data``: object arrays of word-index lists and 0/1 labels.

    Words are ranked by frequency (index ``index_from + rank``); 150 of them
    lean positive and 150 negative, and a review's label is the side its
    leaning words mostly take.
    """
    train_count, test_count = _pick(25000, 2000, 64), _pick(25000, 500, 32)
    vocabulary = 20000
    rng = np.random.default_rng(seed)
    ranks = np.arange(1, vocabulary + 1)
    frequency = 1.0 / ranks
    frequency /= frequency.sum()
    leaning = rng.permutation(np.arange(50, 2000))[:300]
    positive, negative = leaning[:150], leaning[150:]

    def reviews(count):
        labels = rng.integers(0, 2, size=count)
        lengths = np.clip(rng.lognormal(5.2, 0.5, size=count), 20, 900).astype(int)
        total = int(lengths.sum())
        words = rng.choice(vocabulary, size=total, p=frequency)
        owner = np.repeat(labels, lengths).astype(bool)
        agree = rng.random(total) < 0.75
        picks = np.where(agree == owner, positive[rng.integers(0, 150, size=total)],
                         negative[rng.integers(0, 150, size=total)])
        words = np.where(rng.random(total) < 0.08, picks, words) + index_from
        if num_words is not None:
            words = np.where(words < num_words, words, oov_char)
        if skip_top:
            words = np.where(words >= skip_top + index_from, words, oov_char)
        sequences = []
        for chunk in np.split(words, np.cumsum(lengths)[:-1]):
            tokens = [start_char] + chunk.tolist()
            sequences.append(tokens if maxlen is None else tokens[:maxlen])
        array = np.empty(count, dtype=object)
        array[:] = sequences
        return array, labels.astype(np.int64)

    return reviews(train_count), reviews(test_count)


imdb = types.SimpleNamespace(load_data=_imdb_load_data)


# ----------------------------------------------------------------------------- series

def ford_a_folder(folder="offline_data/FordA"):
    """Write ``FordA_TRAIN.tsv`` and ``FordA_TEST.tsv`` (label -1/1, then the
    z-normalised series, tab-separated, as the UCR archive has them) and
    return the folder with a trailing slash, ready for ``root_url + name``.

    A series of class 1 carries a short burst near one third of its length (a
    few steps of jitter); both classes carry noise and a random slow
    oscillation. The burst stays near one place because the Keras example's
    model reads the raw series position by position (its layer norms act on
    one feature, so the classifier is a network over the series as it is),
    as it can on the real FordA recordings.
    """
    length = _pick(500, 96, 32)
    counts = {"TRAIN": _pick(3601, 512, 320), "TEST": _pick(1320, 128, 64)}
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(7)
    time = np.arange(length)
    for part, count in counts.items():
        labels = rng.choice([-1, 1], size=count)
        rows = []
        for label in labels:
            wave = 0.6 * np.sin(2 * np.pi * time * rng.uniform(0.01, 0.08) + rng.uniform(0, 6.3))
            wave = wave + rng.normal(0, 0.7, size=length)
            if label == 1:
                jitter = max(length // 32, 1)
                start = length // 3 + rng.integers(-jitter, jitter + 1)
                burst = np.sin(np.linspace(0, 4 * np.pi, length // 8)) * 2.5
                wave[start:start + length // 8] += burst
            wave = (wave - wave.mean()) / wave.std()
            rows.append(np.concatenate([[label], wave]))
        np.savetxt(os.path.join(folder, f"FordA_{part}.tsv"), np.array(rows),
                   delimiter="\t", fmt="%.6f")
    return folder.rstrip("/") + "/"


def sine_waves():
    """time_sequence_prediction's data: N sine waves of period 2*pi*20, each
    shifted by a random offset, float64 (N, L); ``full`` is its N=100, L=1000.

    Example:
        >>> os.environ["PORTED_DATA"] = "tiny"
        >>> waves = sine_waves(); waves.shape, waves.dtype
        ((6, 80), dtype('float64'))
    """
    period, length, count = 20, _pick(1000, 150, 80), _pick(100, 13, 6)
    rng = np.random.RandomState(2)
    steps = np.empty((count, length), "int64")
    shifts = rng.randint(-4 * period, 4 * period, count).reshape(count, 1)
    steps[:] = np.array(range(length)) + shifts
    return np.sin(steps / 1.0 / period).astype("float64")


# ----------------------------------------------------------------------------- files

_NOUNS = ("river city army king court ship song road bridge church school war village "
          "team album castle island market temple tower forest garden station league").split()
_VERBS = ("built crossed defended founded joined left reached recorded ruled won lost "
          "opened closed praised described").split()
_ADJECTIVES = "old new large small northern southern early late famous local royal".split()
_NAMES = ("Anna Boris Clara Dmitri Elena Felix Greta Hugo Irene Jonas Karl Lena Marco Nora "
          "Otto Paula").split()


def write_text_corpus(folder):
    """Write ``train.txt``, ``valid.txt`` and ``test.txt`` (wikitext-2's
    layout: a ``= Title =`` line, then paragraphs of space-separated words
    with ``<unk>``, ``@-@`` and ``.``) made of sentences of a small grammar.

    Example:
        >>> import tempfile
        >>> folder = tempfile.mkdtemp()
        >>> write_text_corpus(folder)
        >>> sorted(os.listdir(folder))
        ['test.txt', 'train.txt', 'valid.txt']
    """
    rng = np.random.default_rng(11)
    os.makedirs(folder, exist_ok=True)
    words_per_part = {"train": _pick(400000, 40000, 4000), "valid": _pick(40000, 6000, 800),
                      "test": _pick(40000, 6000, 800)}

    def sentence():
        subject = rng.choice(_NAMES) if rng.random() < 0.4 else "the " + rng.choice(_NOUNS)
        adjective = rng.choice(_ADJECTIVES)
        pair = rng.choice(_NOUNS) + " @-@ " + rng.choice(_NOUNS)
        tail = rng.choice(["in " + str(rng.integers(1800, 2000)), "near the " + rng.choice(_NOUNS),
                           "with <unk>", "and the " + pair])
        return f"{subject} {rng.choice(_VERBS)} the {adjective} {rng.choice(_NOUNS)} {tail} ."

    for part, budget in words_per_part.items():
        lines, count = [], 0
        while count < budget:
            title = f" = {rng.choice(_ADJECTIVES).title()} {rng.choice(_NOUNS).title()} = "
            paragraph = " " + " ".join(sentence() for _ in range(int(rng.integers(3, 9)))) + " "
            lines += ["", title, "", paragraph]
            count += len(title.split()) + len(paragraph.split())
        with open(os.path.join(folder, part + ".txt"), "w", encoding="utf8") as handle:
            handle.write("\n".join(lines) + "\n")


def write_bsds300(dest="dataset"):
    """Write RGB images where super_resolution's ``download_bsd300(dest)``
    looks first (``dest/BSDS300/images/{train,test}``), so it never downloads.

    The images are smooth colour fields with soft discs and stripes: detail at
    several scales, as photographs have.
    """
    from PIL import Image
    counts = {"train": _pick(200, 16, 4), "test": _pick(100, 8, 2)}
    height, width = _pick((321, 481), (264, 264), (256, 256))
    rng = np.random.default_rng(5)
    rows, columns = np.mgrid[0:height, 0:width].astype(np.float32)
    for part, count in counts.items():
        folder = os.path.join(dest, "BSDS300", "images", part)
        os.makedirs(folder, exist_ok=True)
        for index in range(count):
            image = np.zeros((height, width, 3), np.float32) + rng.uniform(0.2, 0.8, size=3)
            for _ in range(12):
                centre = rng.uniform(0, [height, width])
                radius = rng.uniform(8, 80)
                distance = np.hypot(rows - centre[0], columns - centre[1])
                disc = 1 / (1 + np.exp((distance - radius) / 3))
                image += disc[..., None] * rng.uniform(-0.4, 0.4, size=3)
            angle, frequency = rng.uniform(0, np.pi), rng.uniform(0.05, 0.3)
            stripes = np.sin(frequency * (rows * np.cos(angle) + columns * np.sin(angle)))
            image += 0.1 * stripes[..., None]
            pixels = np.clip(image * 255, 0, 255).astype(np.uint8)
            Image.fromarray(pixels).save(os.path.join(folder, f"{part}_{index:03d}.png"))


# ----------------------------------------------------------------------------- CIFAR-10

def _cifar10_images(count, rng):
    """``count`` 32x32 RGB uint8 images and their classes (0..9).

    Each class has its own colour pair and stripe direction and frequency; an
    image mixes them with a random phase, a soft disc at a random place and
    noise, so that a small convnet can learn the classes but not at a glance.
    """
    labels = rng.integers(0, 10, size=count)
    palette = np.random.default_rng(10).uniform(0.1, 0.9, size=(10, 2, 3))
    angles = np.linspace(0, np.pi, 10, endpoint=False)
    frequencies = 0.25 + 0.08 * (np.arange(10) % 4)
    rows, columns = np.mgrid[0:32, 0:32].astype(np.float32)
    images = np.empty((count, 32, 32, 3), np.uint8)
    for index, label in enumerate(labels):
        angle = angles[label] + rng.normal(0, 0.15)
        phase = rng.uniform(0, 2 * np.pi)
        wave = np.sin(frequencies[label] * (rows * np.cos(angle) + columns * np.sin(angle))
                      + phase)
        mix = (0.5 + 0.5 * wave)[..., None]
        image = palette[label, 0] * mix + palette[label, 1] * (1 - mix)
        centre = rng.uniform(4, 28, size=2)
        disc = np.exp(-((rows - centre[0]) ** 2 + (columns - centre[1]) ** 2) / 30.0)
        image = image + disc[..., None] * rng.uniform(-0.4, 0.4, size=3)
        image = image + rng.normal(0, 0.08, size=image.shape)
        images[index] = np.clip(np.rint(image * 255), 0, 255).astype(np.uint8)
    return images, labels.astype(np.uint8).reshape(-1, 1)


def _cifar10_load_data():
    """Keras's ``cifar10.load_data()``: ``((x_train, y_train), (x_test, y_test))``
    with images uint8 (N, 32, 32, 3) and labels uint8 (N, 1), synthetic (see
    :func:`_cifar10_images`); 50,000 + 10,000 at ``full``.

    Example:
        >>> os.environ["PORTED_DATA"] = "tiny"
        >>> (x_train, y_train), (x_test, y_test) = cifar10.load_data()
        >>> x_train.shape, x_train.dtype, y_train.shape, x_test.shape
        ((160, 32, 32, 3), dtype('uint8'), (160, 1), (64, 32, 32, 3))
    """
    rng = np.random.default_rng(13)
    train = _cifar10_images(_pick(50000, 2000, 160), rng)
    test = _cifar10_images(_pick(10000, 500, 64), rng)
    return train, test


cifar10 = types.SimpleNamespace(load_data=_cifar10_load_data)
__all__ += ["cifar10"]
