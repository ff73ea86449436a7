"""A SHA-256 digest over every byte of a safetensors file, stored in the file itself.

The per-tensor CRC-32s in ndgrad's metadata cover the tensors' data but not the
header, where a flipped bit can change a learning rate, a step count, an RNG
state, a dtype (``F32`` -> ``I32``: same length, same CRC, garbage values) or a
shape. So ndgrad's writer stores one more metadata entry, ``"ndgrad.sha256"``:
the SHA-256 of the whole file (length field, JSON header, padding, data) taken
while that entry held 64 zeros. The reader puts the zeros back in the exact
header bytes and hashes again: any change to any byte outside the digest
changes the hash, and any change inside it no longer matches the hash. The
entry is a plain string in ``__metadata__``, so the file stays a valid
safetensors file for every other reader.

Example:
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
    >>> matches(sealed, length, stored, "w.safetensors")
    True
    >>> sealed[-1] ^= 0xFF; matches(sealed, length, stored, "w.safetensors")
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


def _digest_of(head, at, body):
    canonical = bytearray(head)
    start = at + len(_entry_bytes("")) - 1
    canonical[start:start + 64] = PLACEHOLDER.encode("ascii")
    hasher = hashlib.sha256(canonical)
    hasher.update(body)
    return hasher.hexdigest(), start


def seal(payload):
    """``(head, body)``: ``payload`` (a safetensors file whose metadata holds
    ``DIGEST_KEY: PLACEHOLDER``) split after its header, with the digest written
    into ``head``. ``head + body`` is the sealed file; ``body`` is a view, not a copy.

    Example:
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
    digest, start = _digest_of(head, at, body)
    head[start:start + 64] = digest.encode("ascii")
    return bytes(head), body


def matches(buffer, header_length, digest, where):
    """Whether ``digest`` (the stored ``DIGEST_KEY`` entry) is the SHA-256 of the
    file in ``buffer``; a malformed or misplaced entry is a :class:`CheckpointError`.

    Example:
        >>> matches(b"", 0, "not hex", "f.safetensors")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ndgrad.io.errors.CheckpointError: f.safetensors: the integrity digest 'not hex' is not ...
    """
    if not isinstance(digest, str) or not _HEX_DIGEST.fullmatch(digest):
        raise CheckpointError(f"{where}: the integrity digest {digest!r:.80} is not 64 "
                              "lowercase hex digits; the header is corrupted")
    head = bytes(buffer[:8 + header_length])
    entry = _entry_bytes(digest)
    at = head.find(entry)
    if at < 0 or head.find(entry, at + 1) >= 0:
        raise CheckpointError(f"{where}: the integrity digest cannot be located in the header "
                              "bytes (it must appear exactly once); the header is corrupted")
    computed, _ = _digest_of(head, at, memoryview(buffer)[8 + header_length:])
    return computed == digest
