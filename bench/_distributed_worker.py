"""One rank of ``bench/distributed.py`` (launched by it with ``mpirun -n N``).

Modes (the first argument); rank 0 prints one line ``RESULT <json>``:

- ``ndgrad STEPS WARMUP``: the wide MLP (784-1024-1024-10, per-rank batch
  256, SGD) trained with the PyTorch face's DistributedDataParallel and with
  Keras ``model.fit`` under DataParallel, each with the gradients' allreduce
  overlapping the backward and without (``NDGRAD_DISTRIBUTED_OVERLAP=0``,
  read when the wrapper or the fit starts). Per variant: the median step
  time, and the median time per step spent waiting for gradient buckets
  (``waiting.wait`` on a gradient bucket, timed here by wrapping it).
- ``torch STEPS WARMUP``: the same model and batch in PyTorch; with more than
  one process, DistributedDataParallel on gloo (env://, loopback), the rank
  from MPICH's ``PMI_RANK``; one thread per process.
- ``alphabeta``: ping-pong (Send/Recv) and Allreduce over 8 B .. 64 MB.

The BLAS threads come from the environment that bench/distributed.py sets
(OMP_NUM_THREADS=OPENBLAS_NUM_THREADS=1); threadpoolctl, when installed,
enforces one thread as well and reports what NumPy's BLAS really uses.
"""

import contextlib
import json
import os
import statistics
import sys
import time

import numpy as np

SIZES = (784, 1024, 1024, 10)
BATCH = 256
LR = 0.01


def _limit_blas():
    try:
        import threadpoolctl
    except ImportError:
        return {"blas": "threadpoolctl not installed", "threads": os.environ.get(
            "OPENBLAS_NUM_THREADS")}
    threadpoolctl.threadpool_limits(1)
    info = [(pool.get("internal_api"), pool.get("num_threads"))
            for pool in threadpoolctl.threadpool_info() if pool.get("user_api") == "blas"]
    return {"blas": [name for name, _ in info], "threads": max((n for _, n in info), default=None)}


def _data(rank, steps):
    generator = np.random.default_rng(1234 + rank)
    x = generator.standard_normal((steps * BATCH, SIZES[0])).astype(np.float32)
    y = generator.integers(0, SIZES[-1], steps * BATCH)
    return x, y


def _median_ms(values):
    return 1000 * statistics.median(values)


# ------------------------------------------------------------------ ndgrad
class _WaitClock:
    """Seconds spent in ``waiting.wait`` for gradients: on DDP's and fit's
    gradient buckets, and on every collective that fit's averager waits for
    when it averages after the step (no overlap). Wraps the functions."""

    def __init__(self, waiting, fit_sync):
        self.total = 0.0
        self.averaging = False
        original_wait, original_average = waiting.wait, fit_sync.FitSync._average

        def timed_wait(pending):
            if not self.averaging and "gradient bucket" not in pending.name:
                return original_wait(pending)
            started = time.perf_counter()
            try:
                return original_wait(pending)
            finally:
                self.total += time.perf_counter() - started

        def marked_average(sync, optimizer, prepared):
            self.averaging = True
            try:
                return original_average(sync, optimizer, prepared)
            finally:
                self.averaging = False
        waiting.wait = timed_wait
        fit_sync.FitSync._average = marked_average


def _ddp_variant(overlap, steps, warmup, clock, communicate=True):
    import ndgrad.torch as torch
    import ndgrad.distributed as dist
    os.environ["NDGRAD_DISTRIBUTED_OVERLAP"] = "1" if overlap else "0"
    torch.manual_seed(0)
    nn = torch.nn
    net = nn.Sequential(nn.Linear(SIZES[0], SIZES[1]), nn.ReLU(), nn.Linear(SIZES[1], SIZES[2]),
                        nn.ReLU(), nn.Linear(SIZES[2], SIZES[3]))
    model = dist.DistributedDataParallel(net)
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    loss_fn = nn.CrossEntropyLoss()
    x, y = _data(dist.rank(), 1)
    x, y = torch.tensor(x), torch.tensor(y)
    times, waits = [], []
    dist.barrier()
    for step in range(warmup + steps):
        clock.total = 0.0
        started = time.perf_counter()
        optimizer.zero_grad()
        with contextlib.nullcontext() if communicate else model.no_sync():
            loss = loss_fn(model(x), y)
            loss.backward()
        optimizer.step()
        if step >= warmup:
            times.append(time.perf_counter() - started)
            waits.append(clock.total)
    return times, waits


def _fit_variant(overlap, steps, warmup, clock):
    import ndgrad
    import ndgrad.distributed as dist
    os.environ["NDGRAD_DISTRIBUTED_OVERLAP"] = "1" if overlap else "0"
    from ndgrad import keras
    ndgrad.random.seed(0)
    layers = ndgrad.layers
    model = ndgrad.Sequential([layers.Dense(SIZES[1], activation="relu",
                                            input_shape=(SIZES[0],)),
                               layers.Dense(SIZES[2], activation="relu"),
                               layers.Dense(SIZES[3])])
    with dist.DataParallel().scope():
        model.compile(optimizer=ndgrad.optim.SGD(learning_rate=LR),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    world = dist.world_size()
    total = warmup + steps
    x, y = _data(0, total * world)            # fit shards it: each rank gets total batches
    marks, waits = [], []

    class Clock(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch, logs=None):
            clock.total = 0.0
            marks.append(time.perf_counter())

        def on_train_batch_end(self, batch, logs=None):
            marks.append(time.perf_counter())
            waits.append(clock.total)

    dist.barrier()
    model.fit(x, y, batch_size=BATCH, epochs=1, shuffle=False, verbose=0, callbacks=[Clock()])
    # step time: from one batch's start to the next one's (the whole loop's cost)
    starts = marks[0::2]
    times = [b - a for a, b in zip(starts[:-1], starts[1:])][warmup:]
    return times, waits[warmup:len(waits) - 1]


def run_ndgrad(steps, warmup):
    import ndgrad.distributed as dist
    from ndgrad.distributed import fit_sync, waiting
    info = _limit_blas()
    dist.init()
    clock = _WaitClock(waiting, fit_sync)
    world = dist.world_size()
    variants = {}
    runs = [("ddp-overlap", _ddp_variant, True, {}), ("fit-overlap", _fit_variant, True, {})]
    if world > 1:
        runs[1:1] = [("ddp-no-overlap", _ddp_variant, False, {}),
                     ("ddp-no-communication", _ddp_variant, True, {"communicate": False})]
        runs.append(("fit-no-overlap", _fit_variant, False, {}))
    for name, function, overlap, options in runs:
        times, waits = function(overlap, steps, warmup, clock, **options)
        # every rank's medians; the slowest rank sets the pace
        mine = np.array([_median_ms(times), _median_ms(waits)])
        everyone = dist.all_gather(mine)
        step_ms, wait_ms = float(everyone[:, 0].max()), float(everyone[:, 1].max())
        variants[name] = {
            "step_ms": step_ms, "wait_ms": wait_ms, "wait_pct": 100 * wait_ms / step_ms,
            "samples_per_s": world * BATCH / step_ms * 1000}
    if dist.rank() == 0:
        print("RESULT " + json.dumps({"world": world, "blas": info, "variants": variants,
                                      "async_progress": os.environ.get(
                                          "MPIR_CVAR_ASYNC_PROGRESS", "0")}), flush=True)


# ------------------------------------------------------------------ PyTorch
def run_torch(steps, warmup):
    import torch
    import torch.distributed as tdist
    torch.set_num_threads(1)
    rank = int(os.environ.get("PMI_RANK", "0"))
    world = int(os.environ.get("PMI_SIZE", "1"))
    torch.manual_seed(0)
    nn = torch.nn
    net = nn.Sequential(nn.Linear(SIZES[0], SIZES[1]), nn.ReLU(), nn.Linear(SIZES[1], SIZES[2]),
                        nn.ReLU(), nn.Linear(SIZES[2], SIZES[3]))
    model = net
    if world > 1:
        os.environ.update(RANK=str(rank), WORLD_SIZE=str(world))
        tdist.init_process_group("gloo", init_method="env://", rank=rank, world_size=world)
        model = nn.parallel.DistributedDataParallel(net)
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    loss_fn = nn.CrossEntropyLoss()
    x, y = _data(rank, 1)
    x, y = torch.from_numpy(x), torch.from_numpy(y)
    if world > 1:
        tdist.barrier()
    times = []
    for step in range(warmup + steps):
        started = time.perf_counter()
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()
        if step >= warmup:
            times.append(time.perf_counter() - started)
    step_ms = _median_ms(times)
    if world > 1:
        gathered = [None] * world
        tdist.all_gather_object(gathered, step_ms)
        step_ms = max(gathered)
        tdist.destroy_process_group()
    if rank == 0:
        print("RESULT " + json.dumps({"world": world, "threads": torch.get_num_threads(),
                                      "step_ms": step_ms,
                                      "samples_per_s": world * BATCH / step_ms * 1000}),
              flush=True)


# ------------------------------------------------------------------ alpha, beta
def _timed(function, repeats):
    best = []
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(repeats):
            function()
        best.append((time.perf_counter() - started) / repeats)
    return min(best)


def run_alphabeta():
    from mpi4py import MPI
    comm = MPI.COMM_WORLD
    rank = comm.Get_rank()
    sizes = [8 * 8 ** k for k in range(8)] + [64 * 1024 * 1024]     # 8 B .. 64 MB
    pingpong, allreduce = {}, {}
    warm = np.ones(1024, np.float32)           # connections and buffers set up, untimed
    for _ in range(50):
        comm.Allreduce(warm, np.empty_like(warm), op=MPI.SUM)
        comm.Sendrecv(warm, dest=1 - rank, recvbuf=np.empty_like(warm), source=1 - rank)
    for nbytes in sizes:
        data = np.ones(max(1, nbytes // 4), np.float32)
        repeats = max(2, min(1000, int(2e7 // max(nbytes, 1))))
        if rank == 0:
            def one():
                comm.Send(data, dest=1)
                comm.Recv(data, source=1)
        else:
            def one():
                comm.Recv(data, source=0)
                comm.Send(data, dest=0)
        comm.Barrier()
        pingpong[nbytes] = _timed(one, repeats) / 2          # one way
        out = np.empty_like(data)
        comm.Barrier()
        allreduce[nbytes] = _timed(lambda: comm.Allreduce(data, out, op=MPI.SUM), repeats)
    if rank == 0:
        print("RESULT " + json.dumps({"pingpong": pingpong, "allreduce": allreduce}), flush=True)


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "ndgrad":
        sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        run_ndgrad(int(sys.argv[2]), int(sys.argv[3]))
    elif mode == "torch":
        run_torch(int(sys.argv[2]), int(sys.argv[3]))
    elif mode == "alphabeta":
        run_alphabeta()
    else:
        raise SystemExit(f"_distributed_worker.py: unknown mode {mode!r}")
