"""Waiting for a collective with a deadline, and naming the ranks that are missing.

Every collective is started as non-blocking MPI requests (``Iallreduce``,
``Ibcast``, ...) and numbered: the n-th collective of one rank is the n-th of
every rank. :func:`wait` polls the requests with ``Testall`` (busily for a
couple of milliseconds, then with short sleeps), so that it can give up:
when the timeout has passed since the collective started, the rank

1. asks every other rank, on a communicator of its own, how many
   collectives it has started (a rank that is itself waiting in a collective
   answers from its polling loop; one that is busy elsewhere, hung or dead
   does not answer within a few seconds),
2. prints which collective timed out and which ranks never reached it
   (no answer, or an answer that shows them behind), and
3. calls MPI Abort, which ends every rank: none is left hanging.

In a world of one a collective completes when it starts, and nothing waits.

Example:
    >>> import numpy as np
    >>> from ndgrad.distributed import waiting
    >>> pending = waiting.start("all_reduce", [], finish=lambda: "done")
    >>> waiting.wait(pending)
    'done'
"""

import sys
import time

import numpy as np

from .world import ABORT_GRACE_SECONDS, WORLD, init

__all__ = ["Pending", "start", "wait", "test", "answer_queries"]

_QUERY, _REPLY = 7101, 7102         # tags on the control communicator
SPIN_SECONDS = 0.002                # poll without sleeping this long, then sleep a little
CENSUS_SECONDS = 5.0                # how long a timed-out rank waits for answers


class Pending:
    """A started collective: its MPI requests, its name and number, when it
    started, and ``finish()`` that makes its result once the requests completed.

    Example:
        >>> from ndgrad.distributed.waiting import start
        >>> start("barrier", []).name
        'barrier'
    """

    __slots__ = ("requests", "name", "sequence", "started", "finish", "done", "value")

    def __init__(self, requests, name, sequence, finish):
        self.requests = requests
        self.name = name
        self.sequence = sequence
        self.started = time.monotonic()
        self.finish = finish
        self.done = False
        self.value = None


def start(name, requests, finish=None):
    """Number a collective whose MPI ``requests`` have just been started
    (none in a world of one) and return its :class:`Pending`.

    Example:
        >>> from ndgrad.distributed.waiting import start
        >>> start("broadcast", [], finish=lambda: 3).finish()
        3
    """
    if not WORLD.initialized:
        init()
    sequence = WORLD.sequence
    WORLD.sequence += 1
    return Pending(list(requests), name, sequence, finish)


def test(pending):
    """Whether the collective has completed (moves MPI along; never waits).

    Example:
        >>> from ndgrad.distributed.waiting import start, test
        >>> test(start("barrier", []))
        True
    """
    if pending.done or not pending.requests:
        return True
    return WORLD.mpi.Request.Testall(pending.requests)


def wait(pending):
    """Wait for the collective (until the timeout, see the module's docs) and
    return its result (``finish()``'s), once; later calls return it again.

    Example:
        >>> from ndgrad.distributed.waiting import start, wait
        >>> pending = start("all_gather", [], finish=lambda: [1, 2])
        >>> wait(pending), wait(pending)
        ([1, 2], [1, 2])
    """
    if not pending.done:
        if pending.requests and not WORLD.mpi.Request.Testall(pending.requests):
            _poll(pending)
        pending.requests = []
        pending.value = pending.finish() if pending.finish is not None else None
        pending.done = True
    return pending.value


def _poll(pending):
    testall = WORLD.mpi.Request.Testall
    requests = pending.requests
    deadline = pending.started + WORLD.timeout
    now = time.monotonic()
    spin_until, next_answer, pause = now + SPIN_SECONDS, now, 0.0
    WORLD.waiting = pending.sequence
    try:
        while not testall(requests):
            now = time.monotonic()
            if now >= next_answer:
                answer_queries()
                next_answer = now + 0.01
            if now > deadline:
                _timed_out(pending)
            if now > spin_until:
                time.sleep(pause)
                pause = min(pause * 2 or 5e-5, 1e-3)
    finally:
        WORLD.waiting = -1


def answer_queries():
    """Answer other ranks' "how far are you?" queries (from a polling loop).

    Example:
        >>> from ndgrad.distributed.waiting import answer_queries
        >>> answer_queries()      # a world of one: nobody asks
    """
    control = WORLD.control
    if control is None:
        return
    MPI = WORLD.mpi
    status = MPI.Status()
    while control.Iprobe(source=MPI.ANY_SOURCE, tag=_QUERY, status=status):
        source = status.Get_source()
        control.Recv(np.empty(1, np.int64), source=source, tag=_QUERY)
        control.Send(np.array([WORLD.sequence, WORLD.waiting], np.int64), dest=source,
                     tag=_REPLY)


def _census(sequence):
    """{rank: (collectives started, waiting for)} of the ranks that answer in time."""
    MPI, control = WORLD.mpi, WORLD.control
    others = [r for r in range(WORLD.size) if r != WORLD.rank]
    for other in others:
        control.Send(np.array([sequence], np.int64), dest=other, tag=_QUERY)
    answers = {}
    status = MPI.Status()
    end = time.monotonic() + min(CENSUS_SECONDS, max(1.0, WORLD.timeout))
    while len(answers) < len(others) and time.monotonic() < end:
        answer_queries()
        while control.Iprobe(source=MPI.ANY_SOURCE, tag=_REPLY, status=status):
            reply = np.empty(2, np.int64)
            control.Recv(reply, source=status.Get_source(), tag=_REPLY)
            answers[status.Get_source()] = (int(reply[0]), int(reply[1]))
        time.sleep(0.002)
    return others, answers


def timeout_message(pending, others, answers):
    """The message a timed-out rank prints: the collective, the missing ranks.

    Example:
        >>> from ndgrad.distributed.waiting import timeout_message
        >>> from ndgrad.distributed.waiting import Pending
        >>> print(timeout_message(Pending([], "all_reduce", 4, None), [1], {})[:60])
        ndgrad.distributed: all_reduce (collective #4) on rank 0 wai
    """
    missing, details = [], []
    for other in others:
        if other not in answers:
            missing.append(other)
            details.append(f"rank {other} did not answer (busy outside ndgrad's collectives, "
                           f"hung, or dead)")
        elif answers[other][0] <= pending.sequence:
            missing.append(other)
            started, waiting = answers[other]
            where = f"waits in collective #{waiting}" if waiting >= 0 else "is not waiting"
            details.append(f"rank {other} has started {started} collectives and {where}")
    who = (f"rank(s) {', '.join(map(str, missing))} never reached it: " + "; ".join(details)
           if missing else "every rank reached it, so the ranks' collectives do not match "
           "(different kinds, sizes or dtypes on different ranks)")
    return (f"ndgrad.distributed: {pending.name} (collective #{pending.sequence}) on rank "
            f"{WORLD.rank} waited longer than the timeout of {WORLD.timeout:g} s; {who}. "
            f"Ending every rank (MPI Abort). If a rank is legitimately slower, raise the "
            f"timeout: ndgrad.distributed.init(timeout=...) or NDGRAD_DISTRIBUTED_TIMEOUT.")


def _timed_out(pending):
    others, answers = _census(pending.sequence)
    sys.stderr.write(timeout_message(pending, others, answers) + "\n")
    sys.stderr.flush()
    time.sleep(ABORT_GRACE_SECONDS)              # for the message to reach mpirun first
    WORLD.mpi.COMM_WORLD.Abort(3)
