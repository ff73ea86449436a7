"""Run under ``mpirun -n 2`` with one argument, the fault to cause; each must end
every rank within seconds with a non-zero exit (test_mpi.py bounds the time):

- ``exception``: rank 1 raises during training while rank 0 waits in a collective.
- ``mismatch``: the ranks build different models; DDP refuses at construction.
- ``timeout``: rank 1 does not reach a collective; rank 0 times out after 2 s.
"""

import sys
import time

import numpy as np

import ndgrad.distributed as dist
import ndgrad.torch as torch


def exception():
    model = dist.DistributedDataParallel(torch.nn.Linear(4, 2))
    for step in range(3):
        loss = model(torch.ones(2, 4)).sum()
        if dist.rank() == 1 and step == 1:
            raise ValueError("a fault on rank 1 at step 1")
        loss.backward()


def mismatch():
    width = 3 if dist.rank() == 0 else 5
    dist.DistributedDataParallel(torch.nn.Sequential(torch.nn.Linear(4, 4),
                                                     torch.nn.Linear(4, width)))


def timeout():
    dist.all_reduce(np.ones(3))                 # both ranks: collective #0
    if dist.rank() == 1:
        time.sleep(60)                          # never reaches collective #1
    dist.all_reduce(np.ones(3))


if __name__ == "__main__":
    dist.init(timeout=2.0 if sys.argv[1] == "timeout" else 30.0)
    {"exception": exception, "mismatch": mismatch, "timeout": timeout}[sys.argv[1]]()
    print(f"rank {dist.rank()}: the fault did not end the program", flush=True)
