"""torch.distributed through the face, in a world of one: PyTorch's calls, in-place
results, its names (ReduceOp, group.WORLD, Backend) and its errors."""

import datetime

import pytest
import torch as real

import ndgrad
import ndgrad.torch as torch
import ndgrad.torch.distributed as dist


@pytest.fixture(autouse=True)
def _process_group():
    dist.init_process_group("gloo")
    yield
    ndgrad.distributed.init(timeout=ndgrad.distributed.DEFAULT_TIMEOUT)


def test_a_pytorch_program_sets_up_as_with_gloo():
    dist.init_process_group(backend="mpi", timeout=datetime.timedelta(minutes=5), rank=0,
                            world_size=1, init_method="env://")
    assert dist.is_available() and dist.is_initialized() and dist.get_backend() == "mpi"
    assert (dist.get_rank(), dist.get_world_size()) == (0, 1)
    assert dist.group.WORLD.size() == 1 and dist.GroupMember.WORLD is dist.group.WORLD
    assert torch.distributed is dist
    dist.destroy_process_group()
    assert not dist.is_initialized()
    with pytest.raises(ValueError, match=r"get_rank: the default process group has not been "
                                         r"initialized; call init_process_group\(\) first"):
        dist.get_rank()


@pytest.mark.parametrize("call, match", [
    (lambda: dist.init_process_group("nccl"), r"backend 'nccl' is not supported; ndgrad runs "
                                              r"on MPI"),
    (lambda: dist.init_process_group("gloo", world_size=2), r"world_size=2 but MPI's world says "
                                                            r"1; launch the program with mpirun"),
    (lambda: dist.init_process_group("mpi", device_id=0), r"device_id 0 names a GPU"),
    (lambda: dist.all_reduce(torch.ones(1), op=dist.ReduceOp.PRODUCT),
     r"op <RedOpType.PRODUCT: 2> is not supported by ndgrad \(yet\)"),
    (lambda: dist.all_gather([torch.ones(1)] * 2, torch.ones(1)), r"needs one per rank \(1\)"),
    (lambda: dist.barrier(group="mine"), r"group must be None or dist.group.WORLD"),
])
def test_unsupported_calls_say_what_to_do(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_collectives_write_in_place_as_pytorchs():
    t = torch.tensor([1.0, 2.0], requires_grad=True)
    assert dist.all_reduce(t, op=dist.ReduceOp.AVG) is None and t.tolist() == [1.0, 2.0]
    work = dist.broadcast(t, src=0, async_op=True)
    assert work.wait() is True and work.is_completed()
    out = [torch.zeros(2)]
    dist.all_gather(out, torch.tensor([3.0, 4.0]))
    assert out[0].tolist() == [3.0, 4.0]
    into = torch.zeros(1, 2)
    dist.all_gather_into_tensor(into, torch.tensor([5.0, 6.0]))
    assert into.tolist() == [[5.0, 6.0]]
    piece = torch.zeros(3)
    dist.reduce_scatter_tensor(piece, torch.arange(3.0), op=dist.ReduceOp.MAX)
    assert piece.tolist() == [0.0, 1.0, 2.0]
    assert [op.name for op in (dist.ReduceOp.SUM, dist.ReduceOp.MIN)] == ["SUM", "MIN"]
    assert {name for name in dir(real.distributed.ReduceOp) if name.isupper()} <= set(dir(
        dist.ReduceOp))


def test_ddp_and_the_sampler_are_where_pytorch_has_them():
    from ndgrad.torch.utils.data import DistributedSampler as from_data
    from ndgrad.torch.utils.data.distributed import DistributedSampler
    assert DistributedSampler is from_data is ndgrad.distributed.DistributedSampler
    model = torch.nn.parallel.DistributedDataParallel(torch.nn.Linear(2, 2))
    assert isinstance(model, ndgrad.distributed.DistributedDataParallel)
    with pytest.raises(AttributeError, match=r"torch.distributed.new_group is not supported by "
                                             r"ndgrad \(yet\); ndgrad has one process group"):
        dist.new_group
