"""DataParallel's fit in a world of one (no mpirun): it must be the plain fit,
and its pieces (the shard split, the metric reduction, the opt-in spellings,
the refusals) must hold. Two ranks: mpi_keras.py, launched by test_mpi.py."""

import os

import numpy as np
import pytest

import ndgrad
from ndgrad import keras, layers
from ndgrad.data import DataLoader, TensorDataset
from ndgrad.distributed import DataParallel, DistributedSampler, set_distribution
from ndgrad.distributed.data_parallel import active_for
from ndgrad.distributed.metric_reduction import metric_state, reduce_logs
from ndgrad.distributed.sharding import ShardSampler
from ndgrad.training import metrics as M
from ndgrad.training.callbacks import ModelCheckpoint

RNG = np.random.default_rng(0)
X = RNG.standard_normal((40, 5)).astype(np.float32)
Y = (X[:, :1] > 0).astype(np.float32)


def _model(seed=1):
    ndgrad.random.seed(seed)
    model = ndgrad.Sequential([layers.Dense(6, activation="tanh"), layers.Dense(1)])
    model.compile(optimizer="adam", metrics=["accuracy", M.AUC(name="auc", from_logits=True)],
                  loss=keras.losses.BinaryCrossentropy(from_logits=True))
    return model


def _fit(model, **options):
    ndgrad.random.seed(9)
    return model.fit(X, Y, batch_size=8, epochs=3, verbose=0, validation_split=0.25, **options)


@pytest.mark.parametrize("spelling", ["fit-in-scope", "compile-in-scope", "set_distribution"])
def test_a_world_of_one_fits_exactly_as_a_plain_fit(spelling):
    plain = _model()
    expected = _fit(plain)
    model = _model()
    if spelling == "fit-in-scope":
        with DataParallel().scope():
            history = _fit(model)
    elif spelling == "compile-in-scope":
        with DataParallel().scope():
            model.compile(optimizer="adam", metrics=["accuracy", M.AUC(name="auc", from_logits=True)],
                          loss=keras.losses.BinaryCrossentropy(from_logits=True))
        assert isinstance(active_for(model), DataParallel)
        history = _fit(model)
    else:
        keras.distribution.set_distribution(keras.distribution.DataParallel())
        try:
            history = _fit(model)
        finally:
            set_distribution(None)
    assert history.history == expected.history
    for got, want in zip(model.parameters(), plain.parameters()):
        np.testing.assert_array_equal(got.numpy(), want.numpy())
    assert active_for(_model()) is None             # nothing left behind


def test_compiling_again_outside_the_scope_ends_data_parallelism():
    model = _model()
    with DataParallel().scope():
        model.compile(optimizer="sgd", loss="mse")
    model.compile(optimizer="sgd", loss="mse")
    assert active_for(model) is None


@pytest.mark.parametrize("size,world", [(5, 2), (8, 2), (7, 3), (1, 1), (10, 4)])
@pytest.mark.parametrize("shuffle", [False, True])
def test_the_training_shard_is_distributed_samplers_split(size, world, shuffle):
    loader = DataLoader(TensorDataset(np.arange(size)), batch_size=2, shuffle=shuffle, seed=4)
    for rank in range(world):
        shard = ShardSampler(loader, rank, world, pad=True)
        shard.set_epoch(3)
        order = loader.epoch_order(3).tolist()
        reference = DistributedSampler(range(size), num_replicas=world, rank=rank,
                                       shuffle=False)
        assert list(shard) == [order[i] for i in reference]
        assert len(shard) == len(reference)


def test_the_validation_shards_cover_every_sample_once():
    loader = DataLoader(TensorDataset(np.arange(7)), batch_size=2)
    shards = [list(ShardSampler(loader, rank, 3, pad=False)) for rank in range(3)]
    assert sorted(i for shard in shards for i in shard) == list(range(7))
    assert [len(ShardSampler(loader, rank, 3, pad=False)) for rank in range(3)] == [3, 2, 2]


def test_data_that_yields_whole_batches_is_refused_unless_sharded_by_the_user():
    def batches():
        for start in range(0, 40, 8):
            yield X[start:start + 8], Y[start:start + 8]
    model = _model()
    with DataParallel().scope(), pytest.raises(ValueError, match=r"a Python generator.*"
                                                 r"auto_shard_dataset=False"):
        model.fit(batches(), epochs=1, verbose=0)
    with DataParallel(auto_shard_dataset=False).scope():
        history = model.fit(batches(), epochs=1, verbose=0)
    assert history.params["steps"] == 5


@pytest.mark.parametrize("metric", [M.Mean(name="m"), M.Precision(name="p"), M.AUC(name="auc"),
                                    M.SparseCategoricalAccuracy(name="acc"),
                                    M.RootMeanSquaredError(name="rmse")])
def test_reducing_the_logs_keeps_each_metrics_own_state(metric):
    y_true, y_pred = np.array([1, 0, 1, 1]), np.array([[0.2, 0.8], [0.6, 0.4], [0.7, 0.3],
                                                        [0.1, 0.9]])
    if isinstance(metric, (M.Precision, M.AUC)):
        metric.update_state(y_true, y_pred[:, 1])
    elif isinstance(metric, M.SparseCategoricalAccuracy):
        metric.update_state(y_true, y_pred)
    elif isinstance(metric, M.RootMeanSquaredError):
        metric.update_state(y_true.astype(float), y_pred[:, 1])
    else:
        metric.update_state(y_pred[:, 1])
    state = [np.copy(getattr(owner, name)) for owner, name in metric_state(metric)]
    logs = reduce_logs([metric], {metric.name: 123.0, "other": 2.5}, samples=4)
    assert logs == {metric.name: metric.result(), "other": 2.5}
    for (owner, name), before in zip(metric_state(metric), state):
        np.testing.assert_array_equal(getattr(owner, name), before)


def test_a_metric_without_a_known_state_is_averaged_by_its_value():
    class Last(M.Metric):
        def reset_state(self):
            self.value = 0.0

        def update_state(self, values, sample_weight=None):
            self.value = float(values)

        def result(self):
            return self.value
    assert metric_state(Last()) is None
    assert reduce_logs([Last(name="last")], {"last": 3.0}, samples=2) == {"last": 3.0}


def test_rank_0_writes_the_checkpoint_of_a_data_parallel_fit(tmp_path):
    model = _model()
    path = tmp_path / "ckpt.safetensors"
    with DataParallel().scope():
        _fit(model, callbacks=[ModelCheckpoint(str(path))])
    assert os.path.isfile(path)                      # the world of one is rank 0
    assert model.__dict__.get("_writes_files", True) is True
    assert "_gradient_averager" not in model.optimizer.__dict__


@pytest.mark.parametrize("arguments,error,match", [
    ({"device_mesh": "mesh"}, ValueError, "device_mesh='mesh' is not supported"),
    ({"devices": ["gpu:0"]}, ValueError, "devices=.* is not supported"),
    ({"auto_shard_dataset": 1}, TypeError, "auto_shard_dataset must be True or False"),
    ({"bucket_cap_mb": 0}, ValueError, "bucket_cap_mb must be a positive number"),
])
def test_bad_arguments_are_refused(arguments, error, match):
    with pytest.raises(error, match=match):
        DataParallel(**arguments)


def test_the_keras_face_refuses_model_parallelism_and_other_worlds():
    with pytest.raises(AttributeError, match="data parallelism only"):
        keras.distribution.ModelParallel
    with pytest.raises(ValueError, match="num_processes=4, but mpirun started"):
        keras.distribution.initialize(num_processes=4)
    with pytest.raises(TypeError, match="expected a DataParallel or None"):
        set_distribution("data")
