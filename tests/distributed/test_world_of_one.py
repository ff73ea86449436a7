"""ndgrad.distributed in one process (no mpirun): a world of one that works unchanged,
and the argument checks that every world makes before anything changes."""

import datetime

import numpy as np
import pytest

import ndgrad
import ndgrad.distributed as dist
from ndgrad.distributed import waiting, world


@pytest.fixture(autouse=True)
def _initialised():
    dist.init()
    yield
    dist.init(timeout=world.DEFAULT_TIMEOUT)


def test_the_world_is_one_process_outside_mpirun():
    dist.init()
    dist.init()                                     # idempotent
    assert dist.is_initialized() and (dist.rank(), dist.world_size()) == (0, 1)
    assert not dist.using_mpi()
    dist.shutdown()
    assert not dist.is_initialized()
    assert dist.world_size() == 1 and dist.is_initialized()     # the first use joins again


@pytest.mark.parametrize("x", [np.arange(6.0).reshape(2, 3), np.float32(2.5),
                               np.arange(4, dtype=np.int64), np.zeros((0, 2), np.float32)])
def test_collectives_return_a_copy_of_the_same_kind(x):
    for result in (dist.all_reduce(x), dist.all_reduce(x, op="max"), dist.broadcast(x),
                   dist.all_reduce(x, async_op=True).wait()):
        assert type(result) is np.ndarray and result.dtype == np.asarray(x).dtype
        np.testing.assert_array_equal(result, x)
        assert result is not x
    gathered = dist.all_gather(x)
    assert gathered.shape == (1, *np.shape(x)) and gathered.dtype == np.asarray(x).dtype


def test_collectives_on_tensors_give_tensors_without_a_graph():
    w = ndgrad.Variable([1.0, 2.0], name="w")
    result = dist.all_reduce(w * 2, op="mean")
    assert isinstance(result, ndgrad.Tensor) and not result.requires_grad
    assert result.tolist() == [2.0, 4.0] and result.dtype == np.float32
    assert any(b.kind == "collective" for b in ndgrad.autograd.breaks.gradient_breaks())
    half = dist.all_reduce(ndgrad.tensor([1.5], dtype="float16"))
    assert half.dtype == np.float16 and half.tolist() == [1.5]
    assert dist.reduce_scatter(ndgrad.arange(4.0)).tolist() == [0.0, 1.0, 2.0, 3.0]


@pytest.mark.parametrize("call, error, match", [
    (lambda: dist.all_reduce(np.ones(2), op="prod"), ValueError,
     r"all_reduce: op must be one of sum, mean, max, min; got 'prod'"),
    (lambda: dist.all_reduce(np.arange(3), op="mean"), TypeError,
     r"op='mean' of integers would not be an integer"),
    (lambda: dist.all_reduce(np.array([True]), op="sum"), TypeError,
     r"use op='max' \(logical or\)"),
    (lambda: dist.all_reduce(np.array(["a"])), TypeError, r"must be numbers .* got dtype <U1"),
    (lambda: dist.broadcast(np.ones(2), src=1), ValueError,
     r"broadcast: src must be a rank from 0 to 0; got 1"),
    (lambda: dist.reduce_scatter(np.float32(1.0)), ValueError, r"must split into 1 equal"),
    (lambda: dist.init(timeout=0), ValueError, r"init: timeout must be a positive number"),
])
def test_bad_arguments_are_refused_by_name(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_the_timeout_comes_from_init_a_timedelta_or_the_environment(monkeypatch):
    dist.init(timeout=datetime.timedelta(seconds=90))
    assert world.WORLD.timeout == 90.0
    monkeypatch.setenv("NDGRAD_DISTRIBUTED_TIMEOUT", "12.5")
    dist.init()
    assert world.WORLD.timeout == 12.5
    monkeypatch.setenv("NDGRAD_DISTRIBUTED_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="NDGRAD_DISTRIBUTED_TIMEOUT must be a number"):
        dist.init()


def test_the_launch_mode_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("NDGRAD_DISTRIBUTED", "sometimes")
    with pytest.raises(ValueError, match="must be 'auto', 'mpi' or 'off'"):
        world._wanted_mode()
    monkeypatch.setenv("NDGRAD_DISTRIBUTED", "auto")
    monkeypatch.setenv("PMI_SIZE", "2")
    assert world._wanted_mode() == "mpi"
    monkeypatch.setenv("NDGRAD_DISTRIBUTED", "off")
    assert world._wanted_mode() == "off"


def test_the_timeout_message_names_the_collective_and_the_missing_ranks(monkeypatch):
    monkeypatch.setattr(world.WORLD, "size", 4)
    monkeypatch.setattr(world.WORLD, "timeout", 30.0)
    pending = waiting.Pending([], "all_reduce", 7, None)
    message = waiting.timeout_message(pending, [1, 2, 3], {1: (8, 7), 2: (7, 6)})
    assert message.startswith("ndgrad.distributed: all_reduce (collective #7) on rank 0 waited "
                              "longer than the timeout of 30 s; rank(s) 2, 3 never reached it: "
                              "rank 2 has started 7 collectives and waits in collective #6; "
                              "rank 3 did not answer")
    assert "NDGRAD_DISTRIBUTED_TIMEOUT" in message
    everyone = waiting.timeout_message(pending, [1], {1: (8, 7)})
    assert "every rank reached it, so the ranks' collectives do not match" in everyone


def test_work_handles_report_completion_and_wait_once():
    work = dist.all_gather(np.arange(3), async_op=True)
    assert work.is_completed() and "all_gather" in repr(work)
    assert work.wait() is work.wait()
    assert dist.barrier() is None and dist.barrier(async_op=True).wait() is None
