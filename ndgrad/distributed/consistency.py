"""Whether every rank built the same model, and the first difference when not.

Data-parallel training averages gradients parameter by parameter, so every
rank must hold the same parameters (names, shapes, dtypes, trainability) and
buffers in the same order. :func:`check_same_model` compares a 32-byte digest
of each rank's description first (one small all_gather); only when the
digests differ are the descriptions themselves gathered, and every rank
raises the same ValueError naming the first rank that differs from rank 0
and the first entry where it does.

Example:
    >>> import ndgrad.torch as torch
    >>> from ndgrad.distributed.consistency import describe, check_same_model
    >>> layer = torch.nn.Linear(3, 2)
    >>> describe(layer)[0]
    ['parameter', 'weight', [2, 3], 'float32', True]
    >>> check_same_model(layer, "DistributedDataParallel")     # a world of one agrees
"""

import hashlib
import json

import numpy as np

from .collectives import all_gather

__all__ = ["describe", "check_same_model", "first_difference"]


def describe(module):
    """One entry per parameter, then per buffer: [kind, name, shape, dtype, trainable].

    Example:
        >>> from ndgrad.distributed.consistency import describe
        >>> import ndgrad.torch as torch
        >>> [entry[:3] for entry in describe(torch.nn.BatchNorm1d(2))][2:]
        [['buffer', 'running_mean', [2]], ['buffer', 'running_var', [2]], ['buffer', 'num_batches_tracked', []]]
    """
    entries = [["parameter", name, list(p.shape), str(p.dtype), bool(p.requires_grad)]
               for name, p in module.named_parameters()]
    entries += [["buffer", name, list(b.shape), str(b.dtype), False]
                for name, b in module.named_buffers()]
    return entries


def _entry_text(entry):
    kind, name, shape, dtype, trainable = entry
    frozen = "" if kind == "buffer" else (" trainable" if trainable else " frozen")
    return f"{kind} '{name}' of shape {tuple(shape)} {dtype}{frozen}"


def first_difference(mine, theirs, my_rank, their_rank):
    """A sentence naming the first entry where two descriptions differ (None if equal).

    Example:
        >>> from ndgrad.distributed.consistency import first_difference
        >>> a = [["parameter", "w", [2], "float32", True]]
        >>> b = [["parameter", "w", [3], "float32", True]]
        >>> print(first_difference(a, b, 0, 1))
        entry 0: parameter 'w' of shape (2,) float32 trainable on rank 0, parameter 'w' of shape (3,) float32 trainable on rank 1
    """
    counts = ""
    for kind in ("parameter", "buffer"):
        n, m = (sum(entry[0] == kind for entry in side) for side in (mine, theirs))
        if n != m:
            counts += f"rank {my_rank} has {n} {kind}s, rank {their_rank} has {m}; "
    for index, (a, b) in enumerate(zip(mine, theirs)):
        if a != b:
            return (f"{counts}entry {index}: {_entry_text(a)} on rank {my_rank}, "
                    f"{_entry_text(b)} on rank {their_rank}")
    if len(mine) != len(theirs):
        longer, rank = (mine, my_rank) if len(mine) > len(theirs) else (theirs, their_rank)
        extra = longer[min(len(mine), len(theirs))]
        return f"{counts}the first extra one is {_entry_text(extra)} on rank {rank}"
    return None


def check_same_model(module, function):
    """Raise ValueError on every rank when the ranks' models differ (a collective).

    Example:
        >>> from ndgrad.distributed.consistency import check_same_model
        >>> import ndgrad.torch as torch
        >>> check_same_model(torch.nn.Linear(1, 1), "DistributedDataParallel")
    """
    text = json.dumps(describe(module), separators=(",", ":")).encode()
    digest = np.frombuffer(hashlib.sha256(text).digest(), dtype=np.uint8)
    digests = all_gather(digest)
    differing = [r for r in range(len(digests)) if not np.array_equal(digests[r], digests[0])]
    if not differing:
        return
    mine = np.frombuffer(text, dtype=np.uint8)
    lengths = all_gather(np.array([mine.size], np.int64))[:, 0]
    padded = np.zeros(int(lengths.max()), np.uint8)
    padded[:mine.size] = mine
    texts = all_gather(padded)
    rank = differing[0]
    first, other = (json.loads(bytes(texts[r][:lengths[r]]).decode()) for r in (0, rank))
    raise ValueError(
        f"{function}: the model on rank {rank} differs from rank 0's (ranks that differ: "
        f"{', '.join(map(str, differing))}): "
        f"{first_difference(first, other, 0, rank)}. Build the same model (same layers, "
        f"shapes, dtypes and frozen parameters) on every rank before wrapping it")
