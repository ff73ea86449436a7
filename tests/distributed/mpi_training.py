"""Run under ``mpirun -n 2``: data-parallel training equals one process with the
whole batch. Prints ``PASS <check>`` per check (test_mpi.py reads them); a
failure raises, which ends every rank (the exception hook) with a traceback.

Each rank trains the DDP model on its shard of every batch and, in the same
process, a reference model on the whole batch (N*B samples), from the same
start (the DDP broadcast gives every rank rank 0's initial weights; the
reference copies them), and compares after 20 steps of SGD and of Adam.
"""

import os

import numpy as np

import ndgrad
import ndgrad.distributed as core
import ndgrad.torch as torch
import ndgrad.torch.distributed as dist
from ndgrad.torch.nn.parallel import DistributedDataParallel as DDP

nn = torch.nn
F = nn.functional
STEPS, B = 20, 6


def passed(name):
    print(f"PASS {name} (rank {dist.get_rank()})", flush=True)


def close(actual, expected, what, rtol=1e-5, atol=1e-6):
    np.testing.assert_allclose(np.asarray(actual), np.asarray(expected), rtol=rtol, atol=atol,
                               err_msg=f"rank {dist.get_rank()}: {what}")


def mlp():
    return nn.Sequential(nn.Linear(6, 16), nn.Tanh(), nn.Linear(16, 3))


def cnn():
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 4 * 4, 3))


class LSTMNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(4, 8, batch_first=True)
        self.head = nn.Linear(8, 3)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])


SHAPES = {"mlp": (6,), "cnn": (1, 8, 8), "lstm": (5, 4)}
BUILDERS = {"mlp": mlp, "cnn": cnn, "lstm": LSTMNet}


def optimizer_for(kind, parameters):
    if kind == "sgd":
        return torch.optim.SGD(parameters, lr=0.05, momentum=0.9)
    return torch.optim.Adam(parameters, lr=0.01)


def batches(name, world):
    rng = np.random.default_rng(7)
    for _ in range(STEPS):
        x = rng.standard_normal((world * B, *SHAPES[name])).astype(np.float32)
        y = rng.integers(0, 3, world * B)
        yield torch.tensor(x), torch.tensor(y)


def train_pair(name, kind, bn_eval=False):
    rank, world = dist.get_rank(), dist.get_world_size()
    torch.manual_seed(100 + rank)                   # ranks start different; DDP makes them equal
    model = DDP(BUILDERS[name](), bucket_cap_mb=0.001)
    reference = BUILDERS[name]()
    reference.load_state_dict(model.module.state_dict())
    if bn_eval:
        for module in (model.module, reference):
            module[1].eval()
    optimizer = optimizer_for(kind, model.parameters())
    reference_optimizer = optimizer_for(kind, reference.parameters())
    per_rank_bn = name == "cnn" and not bn_eval
    for x, y in batches(name, world):
        mine = slice(rank * B, (rank + 1) * B)
        optimizer.zero_grad()
        F.cross_entropy(model(x[mine]), y[mine]).backward()
        optimizer.step()
        reference_optimizer.zero_grad()
        if per_rank_bn:
            # DDP's BatchNorm: each rank normalises its own shard with that shard's
            # statistics; the running statistics are rank 0's (broadcast each forward).
            bn = reference[1]
            losses = []
            for r in range(world):
                shard = slice(r * B, (r + 1) * B)
                losses.append(F.cross_entropy(reference(x[shard]), y[shard]))
                if r == 0:
                    kept = [b.numpy().copy() for b in bn.buffers()]
            for buffer, value in zip(bn.buffers(), kept):
                buffer.numpy()[...] = value
            (sum(losses) / world).backward()
        else:
            F.cross_entropy(reference(x), y).backward()
        reference_optimizer.step()
    for (key, value), (_, expected) in zip(model.module.state_dict().items(),
                                           reference.state_dict().items()):
        if key.endswith(("running_mean", "running_var", "num_batches_tracked")) and rank != 0:
            continue                              # rank 0's statistics are the model's
        close(value.numpy(), expected.numpy(), f"{name}/{kind} {key}")
    passed(f"{name}-{kind}{'-bn-eval' if bn_eval else ''}")


def check_collectives():
    rank, world = dist.get_rank(), dist.get_world_size()
    t = torch.tensor([rank + 1.0, -rank])
    dist.all_reduce(t)
    close(t, [3.0, -1.0], "all_reduce sum")
    for op, expected in ((dist.ReduceOp.AVG, [1.5, -0.5]), (dist.ReduceOp.MAX, [2.0, 0.0]),
                         (dist.ReduceOp.MIN, [1.0, -1.0])):
        t = torch.tensor([rank + 1.0, -rank])
        dist.all_reduce(t, op=op)
        close(t, expected, f"all_reduce {op}")
    t = torch.full((2, 2), float(rank))
    dist.broadcast(t, src=1)
    close(t, np.ones((2, 2)), "broadcast from 1")
    out = [torch.zeros(3, dtype=torch.int64) for _ in range(world)]
    dist.all_gather(out, torch.full((3,), rank, dtype=torch.int64))
    assert [o.tolist() for o in out] == [[0] * 3, [1] * 3], out
    into = torch.zeros(world * 2)
    dist.all_gather_into_tensor(into, torch.full((2,), float(rank)))
    close(into, [0, 0, 1, 1], "all_gather_into_tensor")
    piece = torch.zeros(2)
    dist.reduce_scatter_tensor(piece, torch.arange(4.0) * (rank + 1))
    close(piece, [0.0, 3.0] if rank == 0 else [6.0, 9.0], "reduce_scatter_tensor")
    work = dist.all_reduce(torch.ones(1000) * rank, op=dist.ReduceOp.SUM, async_op=True)
    assert work.wait() is True
    flags = core.all_reduce(np.array([rank == 0, False]), op="max")
    assert flags.tolist() == [True, False] and flags.dtype == bool
    assert core.all_reduce(np.float16(rank + 0.5), op="sum") == np.float16(2.0)
    gathered = core.all_gather(ndgrad.tensor([[rank, rank]]))
    assert gathered.shape == (2, 1, 2) and gathered.numpy()[:, 0, 0].tolist() == [0, 1]
    dist.barrier()
    passed("collectives")


def check_no_sync():
    rank, world = dist.get_rank(), dist.get_world_size()
    torch.manual_seed(rank)
    model = DDP(mlp())
    reference = mlp()
    reference.load_state_dict(model.module.state_dict())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    reference_optimizer = torch.optim.SGD(reference.parameters(), lr=0.1)
    rng = np.random.default_rng(3)
    for _ in range(5):
        x = torch.tensor(rng.standard_normal((world * 2 * B, 6)).astype(np.float32))
        y = torch.tensor(rng.integers(0, 3, world * 2 * B))
        optimizer.zero_grad()
        micro = [slice((2 * rank + k) * B, (2 * rank + k + 1) * B) for k in range(2)]
        with model.no_sync():
            (F.cross_entropy(model(x[micro[0]]), y[micro[0]]) / 2).backward()
        local = model.module[0].bias.grad.numpy().copy()
        (F.cross_entropy(model(x[micro[1]]), y[micro[1]]) / 2).backward()
        optimizer.step()
        reference_optimizer.zero_grad()
        F.cross_entropy(reference(x), y).backward()
        reference_optimizer.step()
        others = core.all_gather(local)
        assert not np.allclose(others[0], others[1]), "no_sync must not average"
    for value, expected in zip(model.module.parameters(), reference.parameters()):
        close(value.numpy(), expected.numpy(), "no_sync accumulation")
    passed("no_sync")


class Branches(nn.Module):
    def __init__(self):
        super().__init__()
        self.shared = nn.Linear(3, 2)
        self.sometimes = nn.Linear(3, 2)        # rank 1 only
        self.never = nn.Linear(3, 2)

    def forward(self, x, use):
        out = self.shared(x)
        return out + self.sometimes(x) if use else out


def check_find_unused():
    rank = dist.get_rank()
    torch.manual_seed(rank)
    model = DDP(Branches(), find_unused_parameters=True)
    local = Branches()
    local.load_state_dict(model.module.state_dict())
    x = torch.tensor(np.random.default_rng(rank).standard_normal((4, 3)).astype(np.float32))
    model(x, use=rank == 1).pow(2).mean().backward()
    local(x, use=rank == 1).pow(2).mean().backward()
    for name in ("shared", "sometimes"):
        grads = [getattr(local, name).weight.grad]
        mine = grads[0].numpy() if grads[0] is not None else np.zeros((2, 3), np.float32)
        expected = core.all_gather(mine).mean(axis=0)
        close(getattr(model.module, name).weight.grad.numpy(), expected, f"unused {name}")
    assert model.module.never.weight.grad is None, "a parameter no rank used keeps no grad"
    passed("find_unused_parameters")


def check_overlap():
    """Buckets start during backward: the first starts before the last gradient."""
    torch.manual_seed(0)
    model = DDP(nn.Sequential(*[nn.Linear(32, 32) for _ in range(6)]), bucket_cap_mb=0.001)
    reducer = model._reducer
    events, start = [], reducer._start
    reducer._start = lambda bucket: (events.append(("start", int(reducer.ready.sum()))),
                                     start(bucket))
    model(torch.ones(4, 32)).sum().backward()
    assert len(reducer.buckets) >= 3 and len(events) == len(reducer.buckets), events
    assert events[0][1] < len(reducer.parameters) // 2, events
    passed("overlap")


def check_no_overlap():
    """NDGRAD_DISTRIBUTED_OVERLAP=0: every bucket starts at the end of backward,
    and the averages are the same as with overlap."""
    torch.manual_seed(0)
    grads = []
    for overlap in ("1", "0"):
        os.environ["NDGRAD_DISTRIBUTED_OVERLAP"] = overlap
        try:
            model = DDP(nn.Sequential(*[nn.Linear(32, 32) for _ in range(6)]),
                        bucket_cap_mb=0.001)
        finally:
            del os.environ["NDGRAD_DISTRIBUTED_OVERLAP"]
        if overlap == "1":
            state = model.module.state_dict()
        else:
            model.module.load_state_dict(state)
        reducer = model._reducer
        events, start = [], reducer._start
        reducer._start = lambda bucket, events=events, start=start, reducer=reducer: (
            events.append(int(reducer.ready.sum())), start(bucket))
        x = torch.ones(4, 32) * (dist.get_rank() + 1)
        model(x).sum().backward()
        grads.append([p.grad.numpy().copy() for p in model.parameters()])
        if overlap == "0":
            assert events == [len(reducer.parameters)] * len(reducer.buckets), events
    for with_overlap, without in zip(*grads):
        close(without, with_overlap, "no overlap: averaged gradients")
    passed("no-overlap")


def check_sampler():
    rank, world = dist.get_rank(), dist.get_world_size()
    from ndgrad.torch.utils.data import DataLoader, TensorDataset
    from ndgrad.torch.utils.data.distributed import DistributedSampler
    data = TensorDataset(torch.arange(11))
    sampler = DistributedSampler(data, seed=5)
    sampler.set_epoch(3)
    seen = [int(v) for (batch,) in DataLoader(data, batch_size=4, sampler=sampler)
            for v in batch]
    everyone = core.all_gather(np.array(seen))
    assert set(everyone.reshape(-1).tolist()) == set(range(11)), everyone   # 12: one repeated
    assert len(seen) == 6 and sampler.rank == rank and sampler.num_replicas == world
    passed("sampler")


def main():
    dist.init_process_group("gloo", timeout=__import__("datetime").timedelta(seconds=60))
    assert dist.get_world_size() == 2, "run under mpirun -n 2"
    check_collectives()
    for name in ("mlp", "cnn", "lstm"):
        for kind in ("sgd", "adam"):
            train_pair(name, kind)
    train_pair("cnn", "sgd", bn_eval=True)
    check_no_sync()
    check_find_unused()
    check_overlap()
    check_no_overlap()
    check_sampler()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
