"""A SHA-256 digest over every byte of a safetensors file's header, stored in the header.

The per-tensor CRC-32s in ndgrad's metadata cover the tensors' data but not the
header, where a flipped bit can change a learning rate, a step count, an RNG
state, a dtype (``F32`` -> ``I32``: same length, same CRC, garbage values) or a
shape. So ndgrad's writer stores one more metadata entry, ``"ndgrad.sha256"``:
the SHA-256 of the length field and the whole JSON header (names, dtypes,
shapes, offsets, metadata, padding), taken while that entry held 64 zeros.
The reader puts the zeros back in the exact header bytes and hashes again: any
change to any header byte outside the digest changes the hash, and any change
inside it no longer matches the hash. The data is covered by the CRC-32s,
which sit in the header and so are covered by the digest in turn: a CRC-32
catches every change of up to 32 consecutive bits for certain (any single
byte), at several times SHA-256's speed over gigabytes of weights. The entry
is a plain string in ``__metadata__``, so the file stays a valid safetensors
file for every other reader.

Example:
    >>> from ndgrad.io.integrity import matches
    >>> from ndgrad.io.integrity import seal
    >>> from ndgrad.io.integrity import PLACEHOLDER
    >>> from ndgrad.io.integrity import DIGEST_KEY
    >>> import numpy as np, safetensors.numpy
    >>> payload = safetensors.numpy.save({"w": np.ones(2, np.float32)},
    ...                                  metadata={DIGEST_KEY: PLACEHOLDER})
    >>> head, body = seal(payload)
    >>> sealed = bytearray(head + bytes(body))
    >>> sorted(safetensors.numpy.load(bytes(sealed)))         # still a safetensors file
    ['w']
    >>> import json
    >>> length = int.from_bytes(sealed[:8], "little")
    >>> stored = json.loads(sealed[8:8 + length])["__metadata__"][DIGEST_KEY]
    >>> matches(bytes(sealed[:8 + length]), stored, "w.safetensors")
    True
    >>> sealed[12] ^= 0xFF; matches(bytes(sealed[:8 + length]), stored, "w.safetensors")
    False
"""

import hashlib
import re

from .errors import CheckpointError

DIGEST_KEY = "ndgrad.sha256"
PLACEHOLDER = "0" * 64
_HEX_DIGEST = re.compile(r"[0-9a-f]{64}")


def _entry_bytes(digest):
    return f'"{DIGEST_KEY}":"{digest}"'.encode("ascii")


def _digest_of(head, at):
    canonical = bytearray(head)
    start = at + len(_entry_bytes("")) - 1
    canonical[start:start + 64] = PLACEHOLDER.encode("ascii")
    return hashlib.sha256(canonical).hexdigest(), start


def seal(payload):
    """``(head, body)``: ``payload`` (a safetensors file whose metadata holds
    ``DIGEST_KEY: PLACEHOLDER``) split after its header, with the header's digest
    written into ``head``. ``head + body`` is the sealed file; ``body`` is a view
    of ``payload``, not a copy.

    Example:
        >>> from ndgrad.io.integrity import seal
        >>> from ndgrad.io.integrity import PLACEHOLDER
        >>> from ndgrad.io.integrity import DIGEST_KEY
        >>> import numpy as np, safetensors.numpy
        >>> payload = safetensors.numpy.save({"w": np.zeros(1)}, metadata={DIGEST_KEY: PLACEHOLDER})
        >>> head, body = seal(payload)
        >>> len(head) + len(body) == len(payload), PLACEHOLDER.encode() in head
        (True, False)
    """
    header_length = int.from_bytes(payload[:8], "little")
    head = bytearray(payload[:8 + header_length])
    body = memoryview(payload)[8 + header_length:]
    entry = _entry_bytes(PLACEHOLDER)
    at = head.find(entry)
    if at < 0 or head.find(entry, at + 1) >= 0:
        raise RuntimeError("ndgrad's writer could not place the integrity digest in the "
                           "header (a bug: please report it)")
    digest, start = _digest_of(head, at)
    head[start:start + 64] = digest.encode("ascii")
    return bytes(head), body


def matches(head, digest, where):
    """Whether ``digest`` (the stored ``DIGEST_KEY`` entry) is the SHA-256 of
    ``head``, a file's length field and header; a malformed or misplaced entry
    is a :class:`CheckpointError`.

    Example:
        >>> from ndgrad.io.integrity import matches
        >>> matches(b"", "not hex", "f.safetensors")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ndgrad.io.errors.CheckpointError: f.safetensors: the integrity digest 'not hex' is not ...
    """
    if not isinstance(digest, str) or not _HEX_DIGEST.fullmatch(digest):
        raise CheckpointError(f"{where}: the integrity digest {digest!r:.80} is not 64 "
                              "lowercase hex digits; the header is corrupted")
    entry = _entry_bytes(digest)
    at = head.find(entry)
    if at < 0 or head.find(entry, at + 1) >= 0:
        raise CheckpointError(f"{where}: the integrity digest cannot be located in the header "
                              "bytes (it must appear exactly once); the header is corrupted")
    computed, _ = _digest_of(head, at)
    return computed == digest
