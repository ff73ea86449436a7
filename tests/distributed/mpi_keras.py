"""Run under ``mpirun -n 2`` with one argument, a folder both ranks can write:
``model.fit`` under ``DataParallel`` equals one process with the whole batch.
Prints ``PASS <check> (rank r)`` per check (test_mpi.py reads them); a
failure raises, which ends every rank with a traceback.

Each rank fits the data-parallel model (its shard, batch B) and, in the same
process, a plain reference model on all the data with batch 2B, from rank 0's
initial weights (the DP model on rank r is seeded with 100 + r and built
lazily at its first batch; the broadcast gives every rank rank 0's weights),
and compares the weights (rtol 1e-5) and the History.
"""

import contextlib
import os
import sys

import numpy as np

import ndgrad
import ndgrad.distributed as dist
from ndgrad import keras, layers
from ndgrad.distributed import DataParallel
from ndgrad.training.callbacks import CSVLogger, EarlyStopping, LambdaCallback, ModelCheckpoint

B, EPOCHS = 8, 4
RNG = np.random.default_rng(3)
X = RNG.standard_normal((96, 6)).astype(np.float32)            # 6 steps of 2 x 8 per epoch
Y = (X[:, :3].sum(axis=1) > 0).astype(np.int64) + (X[:, 3] > 0.5)
X_VAL = RNG.standard_normal((21, 6)).astype(np.float32)         # uneven over 2 ranks
Y_VAL = (X_VAL[:, :3].sum(axis=1) > 0).astype(np.int64)


def passed(name):
    print(f"PASS {name} (rank {dist.rank()})", flush=True)


def close(actual, expected, what, rtol=1e-5, atol=1e-6):
    np.testing.assert_allclose(np.asarray(actual), np.asarray(expected), rtol=rtol, atol=atol,
                               err_msg=f"rank {dist.rank()}: {what}")


def same_on_every_rank(values, what):
    values = np.asarray(values, np.float64).reshape(-1)
    gathered = dist.all_gather(values)
    assert all(np.array_equal(g, gathered[0]) for g in gathered), \
        f"rank {dist.rank()}: {what} differs between the ranks: {gathered}"


def model_for(seed, optimizer):
    ndgrad.random.seed(seed)
    model = ndgrad.Sequential([layers.Dense(16, activation="tanh"), layers.Dense(3)])
    opt = (ndgrad.optim.SGD(learning_rate=0.1, momentum=0.9) if optimizer == "sgd"
           else ndgrad.optim.Adam(learning_rate=0.01))
    model.compile(optimizer=opt, metrics=["accuracy"],
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def weights(model):
    return [p.numpy().copy() for p in model.parameters()]


def history_values(history):
    return [history.history[key] for key in sorted(history.history)]


def check_fit(optimizer, shuffle):
    name = f"fit-{optimizer}" + ("-shuffle" if shuffle else "")
    reference = model_for(100, optimizer)
    ndgrad.random.seed(5)                          # the shuffle seed fit draws
    expected = reference.fit(X, Y, batch_size=2 * B, epochs=EPOCHS, shuffle=shuffle, verbose=0,
                             validation_data=(X_VAL, Y_VAL))
    model = model_for(100 + dist.rank(), optimizer)
    ndgrad.random.seed(5)
    with DataParallel().scope():
        history = model.fit(X, Y, batch_size=B, epochs=EPOCHS, shuffle=shuffle, verbose=0,
                            validation_data=(X_VAL, Y_VAL))
    assert history.params["steps"] == len(X) // (2 * B), history.params
    for got, want in zip(weights(model), weights(reference)):
        close(got, want, f"{name}: weights")
    assert sorted(history.history) == sorted(expected.history)
    for key in expected.history:
        close(history.history[key], expected.history[key], f"{name}: history {key}")
    same_on_every_rank(history_values(history), f"{name}: the History")
    passed(name)


class CustomStep(ndgrad.Sequential):
    """A Keras custom train_step: the tape, apply_gradients, a log of its own."""

    def train_step(self, batch):
        x, y = batch
        with ndgrad.GradientTape() as tape:
            loss = self.compute_loss(x=x, y=y, y_pred=self(x, training=True))
        variables = self.trainable_variables
        self.optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return {"batch_loss": loss}


def check_custom_train_step():
    trained = []
    for seed, batch in ((100, 2 * B), (100 + dist.rank(), B)):
        ndgrad.random.seed(seed)
        model = CustomStep([layers.Dense(8, activation="relu"), layers.Dense(3)])
        model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        with DataParallel().scope() if batch == B else contextlib.nullcontext():
            history = model.fit(X, Y, batch_size=batch, epochs=2, shuffle=False, verbose=0)
        trained.append((weights(model), history.history["batch_loss"]))
    (want, want_log), (got, got_log) = trained
    for a, b in zip(got, want):
        close(a, b, "custom train_step: weights")
    close(got_log, want_log, "custom train_step: its own log, averaged over the ranks")
    same_on_every_rank(got_log, "custom train_step: the log")
    passed("custom-train-step")


class ScaledStep(ndgrad.Sequential):
    """A custom train_step that applies other gradients than the tape's (halved):
    the buckets sent during the backward cannot be used; the fit averages the
    gradients it is given after the fact."""

    def train_step(self, batch):
        x, y = batch
        with ndgrad.GradientTape() as tape:
            loss = self.compute_loss(x=x, y=y, y_pred=self(x, training=True))
        variables = self.trainable_variables
        gradients = [g * 0.5 for g in tape.gradient(loss, variables)]
        self.optimizer.apply_gradients(zip(gradients, variables))
        return {"loss": loss}


@contextlib.contextmanager
def counting_overlapped_steps():
    """Counts the steps whose averages came from the buckets sent during backward."""
    from ndgrad.distributed.fit_overlap import FitReducer
    original, count = FitReducer.averaged, [0]

    def averaged(self, prepared):
        result = original(self, prepared)
        count[0] += result is not None
        return result
    FitReducer.averaged = averaged
    try:
        yield count
    finally:
        FitReducer.averaged = original


def check_overlap(kind):
    """The default step overlaps (every step after the first, which builds the
    optimizer), a step applying other gradients falls back, overlap off sends
    after the step: the same weights as one process with the whole batch."""
    steps = EPOCHS * len(X) // (2 * B)
    cls, overlap, expected = {"default": (ndgrad.Sequential, "1", steps - 1),
                              "scaled-step": (ScaledStep, "1", 0),
                              "off": (ndgrad.Sequential, "0", 0)}[kind]
    trained = []
    for seed, batch in ((100, 2 * B), (100 + dist.rank(), B)):
        ndgrad.random.seed(seed)
        model = cls([layers.Dense(16, activation="tanh"), layers.Dense(3)])
        model.compile(optimizer=ndgrad.optim.SGD(learning_rate=0.1, momentum=0.9),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        os.environ["NDGRAD_DISTRIBUTED_OVERLAP"] = overlap
        try:
            with counting_overlapped_steps() as count, \
                    DataParallel().scope() if batch == B else contextlib.nullcontext():
                model.fit(X, Y, batch_size=batch, epochs=EPOCHS, shuffle=False, verbose=0)
        finally:
            del os.environ["NDGRAD_DISTRIBUTED_OVERLAP"]
        trained.append(weights(model))
    assert count[0] == expected, f"{kind}: {count[0]} overlapped steps, expected {expected}"
    for got, want in zip(*trained[::-1]):
        close(got, want, f"overlap {kind}: weights")
    passed(f"overlap-{kind}")


def check_batchnorm_agrees():
    """BatchNorm normalises with each rank's batch (as DDP), so no single-process
    twin; the ranks' weights and running statistics stay identical (rank 0's)."""
    ndgrad.random.seed(100 + dist.rank())
    model = ndgrad.Sequential([layers.Dense(8), layers.BatchNormalization(),
                               layers.Activation("relu"), layers.Dense(3)])
    model.compile(optimizer="adam",
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    with DataParallel().scope():
        model.fit(X, Y, batch_size=B, epochs=2, verbose=0)
    state = [p.numpy().reshape(-1) for p in model.parameters()]
    state += [b.numpy().reshape(-1) for _, b in model.named_buffers()]
    same_on_every_rank(np.concatenate(state), "BatchNorm: weights and running statistics")
    passed("batchnorm-agrees")


def check_rank0_writes(folder):
    mine = os.path.join(folder, f"writes-rank{dist.rank()}")
    model = model_for(100, "adam")
    callbacks = [ModelCheckpoint(os.path.join(mine, "ckpt-{epoch}.safetensors"),
                                 monitor="val_loss"),
                 CSVLogger(os.path.join(mine, "log.csv"))]
    with DataParallel().scope():
        model.fit(X, Y, batch_size=B, epochs=2, verbose=1, callbacks=callbacks,
                  validation_data=(X_VAL, Y_VAL))
    files = sorted(os.listdir(mine)) if os.path.isdir(mine) else []
    if dist.rank() == 0:
        assert files == ["ckpt-1.safetensors", "ckpt-2.safetensors", "log.csv"], files
    else:
        assert files == [], f"rank {dist.rank()} wrote {files}"
    passed("rank0-writes")


def check_early_stopping():
    def stop_on_rank1(epoch, logs):
        if dist.rank() == 1 and epoch == 2:
            model.stop_training = True            # one rank asks: every rank stops
    for callbacks, epochs in (([EarlyStopping(monitor="val_loss", min_delta=10.0,
                                              patience=1)], 2),
                              ([LambdaCallback(on_epoch_end=stop_on_rank1)], 3)):
        model = model_for(100, "sgd")
        with DataParallel().scope():
            history = model.fit(X, Y, batch_size=B, epochs=10, verbose=0, callbacks=callbacks,
                                validation_data=(X_VAL, Y_VAL))
        assert len(history.epoch) == epochs, (history.epoch, epochs)
        same_on_every_rank(history_values(history), "early stopping: the History")
    passed("early-stopping")


def check_resume(folder):
    path = os.path.join(folder, "resume", "ckpt.safetensors")
    uninterrupted = model_for(100, "adam")
    uninterrupted.fit(X, Y, batch_size=2 * B, epochs=EPOCHS, shuffle=False, verbose=0)
    first = model_for(100 + dist.rank(), "adam")
    with DataParallel().scope():
        first.fit(X, Y, batch_size=B, epochs=2, shuffle=False, verbose=0,
                  callbacks=[ModelCheckpoint(path, monitor="loss")])
    for world in (1, 2):              # a world of one: a plain fit with the global batch
        resumed = model_for(200 + dist.rank(), "adam")
        resumed.build((None, 6))
        info = ndgrad.io.load_checkpoint(path, resumed, resumed.optimizer)
        assert info["epoch"] == 2, info
        if world == 2:
            with DataParallel().scope():
                resumed.fit(X, Y, batch_size=B, epochs=EPOCHS, initial_epoch=info["epoch"],
                            shuffle=False, verbose=0)
        else:
            resumed.fit(X, Y, batch_size=2 * B, epochs=EPOCHS, initial_epoch=info["epoch"],
                        shuffle=False, verbose=0)
        for got, want in zip(weights(resumed), weights(uninterrupted)):
            close(got, want, f"resume on {world} rank(s): weights")
    passed("resume")


def main():
    dist.init(timeout=60.0)
    assert dist.world_size() == 2, "run under mpirun -n 2"
    folder = sys.argv[1]
    for optimizer in ("sgd", "adam"):
        check_fit(optimizer, shuffle=False)
    check_fit("adam", shuffle=True)
    check_custom_train_step()
    for kind in ("default", "scaled-step", "off"):
        check_overlap(kind)
    check_batchnorm_agrees()
    check_rank0_writes(folder)
    check_early_stopping()
    check_resume(folder)


if __name__ == "__main__":
    main()
