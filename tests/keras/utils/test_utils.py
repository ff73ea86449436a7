"""keras.utils: to_categorical, pad_sequences, normalize, split_dataset, PyDataset."""

import numpy as np
import pytest

import ndgrad
from ndgrad import keras
from ndgrad.keras import utils


def test_to_categorical_as_keras():
    out = utils.to_categorical(np.array([[0], [2], [1]]))
    assert out.dtype == np.float32 and out.tolist() == [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
    assert utils.to_categorical([1.0, 0.0], num_classes=3).shape == (2, 3)
    assert isinstance(utils.to_categorical(ndgrad.tensor([1, 0])), ndgrad.Tensor)
    with pytest.raises(ValueError, match="labels must be in \\[0, 2\\)"):
        utils.to_categorical([2], num_classes=2)


def test_pad_sequences_padding_truncating_value_and_maxlen():
    sequences = [[1, 2, 3], [4, 5], [6]]
    assert utils.pad_sequences(sequences).tolist() == [[1, 2, 3], [0, 4, 5], [0, 0, 6]]
    assert utils.pad_sequences(sequences, padding="post", value=-1).tolist() == \
        [[1, 2, 3], [4, 5, -1], [6, -1, -1]]
    assert utils.pad_sequences(sequences, maxlen=2).tolist() == [[2, 3], [4, 5], [0, 6]]
    assert utils.pad_sequences(sequences, maxlen=2, truncating="post").tolist() == \
        [[1, 2], [4, 5], [0, 6]]
    floats = utils.pad_sequences([[0.5]], maxlen=2, dtype="float32", value=0.25)
    assert floats.dtype == np.float32 and floats.tolist() == [[0.25, 0.5]]
    vectors = utils.pad_sequences([np.ones((1, 2)), np.zeros((2, 2))])
    assert vectors.shape == (2, 2, 2)
    assert utils.pad_sequences([[], [1]]).tolist() == [[0], [1]]
    with pytest.raises(ValueError, match="padding must be 'pre' or 'post'"):
        utils.pad_sequences(sequences, padding="middle")
    with pytest.raises(ValueError, match="sequence 0 is 3"):
        utils.pad_sequences([3, 4])


def test_normalize_and_pack_unpack():
    np.testing.assert_allclose(utils.normalize(np.array([[3.0, 4.0]])), [[0.6, 0.8]])
    np.testing.assert_allclose(utils.normalize([[1.0, 1.0]], order=1), [[0.5, 0.5]])
    assert isinstance(utils.normalize(ndgrad.tensor([[3.0, 4.0]])), ndgrad.Tensor)
    assert utils.unpack_x_y_sample_weight(utils.pack_x_y_sample_weight(1, 2, 3)) == (1, 2, 3)
    assert utils.unpack_x_y_sample_weight((1,)) == (1, None, None)


def test_split_dataset_sizes_shuffle_and_fit():
    x, y = np.arange(20, dtype=np.float32)[:, None], np.arange(20, dtype=np.float32)[:, None]
    left, right = utils.split_dataset((x, y), left_size=0.75)
    assert (len(left), len(right)) == (15, 5)
    left, right = utils.split_dataset(x, right_size=4, shuffle=True, seed=0)
    assert len(left) == 16 and len(right) == 4
    first = [int(sample[0]) for sample in left]
    assert first != list(range(16)) and sorted(first + [int(sample[0]) for sample in right]) \
        == list(range(20))
    # Keras 3 returns unbatched tf.data.Datasets: batch them for fit.
    train, _ = utils.split_dataset((x, y), left_size=10)
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(1,))])
    model.compile(optimizer="sgd", loss="mse")
    assert model.fit(train.batch(5), epochs=1, verbose=0).params["steps"] == 2
    with pytest.raises(ValueError, match="exceeds the 20 samples"):
        utils.split_dataset(x, left_size=15, right_size=10)


def test_py_dataset_feeds_fit_with_epoch_hooks():
    events = []

    class Batches(utils.PyDataset):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)

        def __len__(self):
            return 3

        def __getitem__(self, index):
            return np.full((2, 2), index, np.float32), np.ones((2, 1), np.float32)

        def on_epoch_begin(self):
            events.append("begin")

        def on_epoch_end(self):
            events.append("end")

    model = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(Batches(workers=2, use_multiprocessing=False), epochs=2, verbose=0)
    assert history.params["steps"] == 3 and events == ["begin", "end", "begin", "end"]
    assert utils.Sequence is utils.PyDataset
    assert model.predict(Batches(), verbose=0).shape == (6, 1)


def test_refusals_say_what_to_do():
    with pytest.raises(AttributeError, match="get_file is not supported.*downloads nothing"):
        utils.get_file
    with pytest.raises(AttributeError, match="plot_model is not supported.*summary"):
        utils.plot_model
