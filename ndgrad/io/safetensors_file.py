"""Reading and writing safetensors files with ndgrad's JSON header, safely.

A safetensors file is an 8-byte header length, a JSON header (names, dtypes,
shapes, offsets, and a ``__metadata__`` dict of strings) and the raw tensor
bytes; reading it never runs code, unlike a pickle. ndgrad puts one JSON
document under the metadata key ``"ndgrad"``: the file's kind (``"weights"``,
``"checkpoint"``, ``"torch.save"``), the format version, a CRC-32 of every
tensor's bytes and, for checkpoints, the training state; and, since format 2,
a SHA-256 of every byte of the header under ``"ndgrad.sha256"`` (see
:mod:`ndgrad.io.integrity`). The digest covers the header, the CRC-32s (in
the header) the data: a changed byte anywhere is refused.

:func:`read_tensors` checks everything before returning: that the path is a
regular file (a FIFO, a folder or a device is refused at once, never opened
for a read that could block) and not a pickle or a ``torch.save`` zip, that
the safetensors layout is whole (see :mod:`ndgrad.io.safetensors_layout`),
the digest, the JSON metadata and the checksums. Every failure is a
:class:`CheckpointError` naming the path. Files of format 1 (ndgrad before
the digest) still load, with the checks they carry (the CRC-32s of the data);
save them again to cover their header too. Files written by other programs
(``safetensors.torch.save_file``) carry no ndgrad metadata and load as they are.

Reading needs NumPy only; writing uses the ``safetensors`` package, so that
the files are exactly what every safetensors reader expects.

Example:
    >>> from ndgrad.io.checkpoint import read_tensors
    >>> from ndgrad.io.checkpoint import write_tensors
    >>> import os, tempfile, numpy as np
    >>> path = os.path.join(tempfile.mkdtemp(), "a.safetensors")
    >>> write_tensors(path, {"w": np.ones(2, np.float32)}, {"kind": "weights"})
    >>> tensors, header = read_tensors(path)
    >>> tensors["w"].tolist(), header["kind"], header["version"]
    ([1.0, 1.0], 'weights', 2)

Complex arrays are stored as their float pairs and marked in the header
(format 3, :mod:`ndgrad.io.complex_tensors`); they read back complex.
"""

import json
import mmap
import os
import stat
import zlib

import numpy as np

from ..tensor import Tensor
from .atomic import write_atomically
from .complex_tensors import COMPLEX_KEY, restored, stored_pairs
from .errors import CheckpointError, CheckpointNotFoundError
from .integrity import DIGEST_KEY, PLACEHOLDER, matches, seal
from .safetensors_layout import parse_layout

__all__ = ["CheckpointError", "CheckpointNotFoundError", "FORMAT_VERSION", "METADATA_KEY",
           "require_safetensors", "to_json", "checksum", "tensors_payload", "write_tensors",
           "open_regular_file", "decode_payload", "read_tensors"]

_MAP_FROM_BYTES = 1 << 20     # smaller files are read; larger ones mapped, then copied out
# 1: CRC-32 of the data only; 2: the SHA-256 of the whole file too; 3: complex tensors
# stored as float pairs (ndgrad.io.complex_tensors; files without any are still written as 2)
FORMAT_VERSION = 3
PLAIN_VERSION, COMPLEX_VERSION = 2, 3
METADATA_KEY = "ndgrad"

# First bytes of files people may hand us by mistake, and what to tell them.
_FOREIGN_FORMATS = (
    (b"PK\x03\x04", "a zip archive, as torch.save writes (it holds a pickle); in PyTorch, "
                    "save it with safetensors.torch.save_file(model.state_dict(), path)"),
    (b"\x93NUMPY", "a NumPy .npy file; load it with numpy.load and use load_state_dict"),
    (b"\x89HDF", "an HDF5 file (Keras .h5); ndgrad reads safetensors files only"),
)


def require_safetensors(function):
    """The ``safetensors`` package, or an ImportError saying how to install it.

    Example:
        >>> from ndgrad.io.safetensors_file import require_safetensors
        >>> require_safetensors("save_weights").__name__
        'safetensors'
    """
    try:
        import safetensors
        import safetensors.numpy  # noqa: F401  (the submodule is what we call)
    except ImportError as error:
        raise ImportError(f"{function} needs the 'safetensors' package: "
                          "pip install ndgrad[io]") from error
    return safetensors


def to_json(value, where):
    """``value`` as plain JSON types (tuples become lists, NumPy scalars numbers),
    or a TypeError naming ``where`` and the part that has no JSON form.

    Example:
        >>> from ndgrad.io.checkpoint import to_json
        >>> import numpy as np
        >>> to_json({"betas": (0.9, np.float32(0.5)), "n": np.int64(3)}, "extra")
        {'betas': [0.9, 0.5], 'n': 3}
    """
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [to_json(item, f"{where}[{index}]") for index, item in enumerate(value)]
    if isinstance(value, dict):
        converted = {}
        for key, item in value.items():
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise TypeError(f"{where}: key {key!r} is a {type(key).__name__}; JSON keys "
                                "must be str (or int)")
            converted[str(key)] = to_json(item, f"{where}[{key!r}]")
        return converted
    raise TypeError(f"{where} is a {type(value).__name__} ({value!r:.60}), which has no JSON "
                    "form; checkpoints hold numbers, strings, lists and dicts only (never "
                    "pickled objects)")


def _little_endian_bytes(array):
    return np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<"))


def checksum(array):
    """CRC-32 of an array's bytes as stored in the file (little-endian, C order).

    Example:
        >>> from ndgrad.io.safetensors_file import checksum
        >>> import numpy as np
        >>> checksum(np.zeros(2, np.float32)) == checksum(np.zeros(2, np.float32))
        True
    """
    return zlib.crc32(_little_endian_bytes(array).reshape(-1).view(np.uint8))


def _sealed_payload(tensors, header, where):
    safetensors = require_safetensors("write_tensors")
    arrays = {}
    for name, value in tensors.items():
        array = value._data if isinstance(value, Tensor) else np.asarray(value)
        # safetensors reads raw memory from the array's pointer, so views such
        # as transposes must be made contiguous first (np.ascontiguousarray
        # would also turn a 0-d buffer such as num_batches_tracked into 1-d).
        arrays[name] = array if array.flags.c_contiguous else array.copy(order="C")
    arrays, marked = stored_pairs(arrays)
    header = dict(header, version=COMPLEX_VERSION if marked else PLAIN_VERSION,
                  crc32={name: checksum(array) for name, array in arrays.items()})
    if marked:
        header[COMPLEX_KEY] = marked
    metadata = {METADATA_KEY: json.dumps(header, allow_nan=True), DIGEST_KEY: PLACEHOLDER}
    try:
        payload = safetensors.numpy.save(arrays, metadata=metadata)
    except Exception as error:          # safetensors raises its own error type
        raise TypeError(f"cannot write {where}: {error}") from error
    return seal(payload)


def tensors_payload(tensors, header, where="the file"):
    """The bytes of a safetensors file holding ``tensors`` (name -> array) and the JSON
    ``header`` (with ``"version"`` and ``"crc32"`` added, and the file's digest): what
    :func:`write_tensors` writes, for a caller that writes it elsewhere (a file object).

    Example:
        >>> from ndgrad.io.model_archive import tensors_payload
        >>> import numpy as np
        >>> payload = tensors_payload({"b": np.zeros(3, np.float32)}, {"kind": "weights"})
        >>> int.from_bytes(payload[:8], "little") < len(payload), payload[8:9]
        (True, b'{')
    """
    head, body = _sealed_payload(tensors, header, where)
    return head + body


def write_tensors(path, tensors, header):
    """Write ``tensors`` (name -> array) and the JSON ``header`` to ``path``, atomically.

    The header gets ``"version"`` and ``"crc32"`` added, the file its digest.
    Arrays are written as they are: float32 stays float32.

    Example:
        >>> from ndgrad.io.checkpoint import write_tensors
        >>> import os, tempfile, numpy as np
        >>> path = os.path.join(tempfile.mkdtemp(), "w.safetensors")
        >>> write_tensors(path, {"b": np.zeros(3, np.float32)}, {"kind": "weights"})
        >>> os.path.getsize(path) > 12
        True
    """
    write_atomically(path, _sealed_payload(tensors, header, os.fspath(path)))


_NOT_REGULAR = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
                (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _require_regular_file(path, mode):
    if stat.S_ISDIR(mode):
        raise CheckpointError(f"{path} is a folder, not a safetensors file")
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _NOT_REGULAR if test(mode)), "not a regular file")
        raise CheckpointError(f"{path} is {kind}, not a regular file; ndgrad loads regular "
                              "files only (reading this could block forever or never end)")


def open_regular_file(path):
    """The regular file at ``path``, open for binary reading.

    The path is checked with ``os.stat`` before it is opened, and again on the
    open descriptor: a folder, FIFO, device or socket is a
    :class:`CheckpointError` at once (opening a FIFO to read waits for a
    writer; a device may never end).

    Example:
        >>> from ndgrad.io.model_archive import open_regular_file
        >>> import os, tempfile
        >>> folder = tempfile.mkdtemp(); path = os.path.join(folder, "b.bin")
        >>> _ = open(path, "wb").write(b"abc")
        >>> with open_regular_file(path) as file:
        ...     file.read()
        b'abc'
        >>> open_regular_file(folder)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ndgrad.io.errors.CheckpointError: ... is a folder, not a safetensors file
    """
    try:
        _require_regular_file(path, os.stat(path).st_mode)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        raise CheckpointNotFoundError(f"{path}: no such file") from None
    except OSError as error:
        raise CheckpointError(f"{path}: cannot be read ({error})") from None
    file = os.fdopen(descriptor, "rb")
    try:
        _require_regular_file(path, os.fstat(descriptor).st_mode)   # replaced since the stat?
    except BaseException:
        file.close()
        raise
    return file


def _sniff(head, where):
    """Refuse, by their first bytes, files that are not safetensors at all."""
    # A safetensors header (JSON) begins at byte 8 with "{"; its 8-byte length may itself
    # begin like a pickle (0x80 0x03 for a 896-byte header), so that is tested first.
    if head[8:9] == b"{":
        return
    if head[:1] == b"\x80" and len(head) > 1 and 1 <= head[1] <= 5:
        raise CheckpointError(f"{where} is a Python pickle (protocol {head[1]}), not a "
                              "safetensors file; ndgrad never unpickles, because loading a "
                              "pickle can run arbitrary code")
    for magic, advice in _FOREIGN_FORMATS:
        if head.startswith(magic):
            raise CheckpointError(f"{where} is {advice}")


def _ndgrad_header(text, where):
    try:
        header = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise CheckpointError(f"{where}: the ndgrad metadata is not valid JSON ({error}); the "
                              "header is corrupted") from None
    if not isinstance(header, dict):
        raise CheckpointError(f"{where}: the ndgrad metadata is a {type(header).__name__}, "
                              "not a JSON object; the header is corrupted")
    version = header.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise CheckpointError(f"{where}: the ndgrad metadata has no valid format version "
                              f"({version!r}); the header is corrupted")
    if version > FORMAT_VERSION:
        raise CheckpointError(f"{where}: format version {version!r}; this ndgrad reads "
                              f"versions up to {FORMAT_VERSION} (was it written by a newer "
                              "ndgrad?)")
    return header


def _refuse_changed_header(where):
    raise CheckpointError(f"{where}: the file is corrupted: the SHA-256 of its header does not "
                          "match the digest stored in it, so a byte of the header (tensor "
                          "names, dtypes, shapes, offsets, or the metadata with the training "
                          "state and the data's checksums) changed after it was written; load "
                          "an intact copy (an earlier checkpoint) instead")


def decode_payload(buffer, where, copy=False):
    """Every tensor in the safetensors file held in ``buffer`` (bytes-like; a
    ``bytearray`` gives writable arrays) and ndgrad's JSON header (None for
    files written by other programs), checked as the module says; ``where``
    names the file in errors. With ``copy`` the arrays are copies, else views
    of ``buffer``.

    Example:
        >>> from ndgrad.io.model_archive import decode_payload
        >>> from ndgrad.io.model_archive import tensors_payload
        >>> import numpy as np
        >>> payload = tensors_payload({"b": np.arange(2.0)}, {"kind": "weights"})
        >>> decode_payload(bytearray(payload), "memory")[0]["b"].tolist()
        [0.0, 1.0]
        >>> damaged = bytearray(payload.replace(b"weights", b"weightz"))   # in the header
        >>> decode_payload(damaged, "memory")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ndgrad.io.errors.CheckpointError: memory: the file is corrupted: ...
    """
    _sniff(bytes(buffer[:16]), where)
    metadata, tensors, head = parse_layout(buffer, where, copy)
    digest = metadata.get(DIGEST_KEY)
    if digest is not None and not matches(head, digest, where):
        _refuse_changed_header(where)
    if METADATA_KEY not in metadata:
        return tensors, None
    header = _ndgrad_header(metadata[METADATA_KEY], where)
    if digest is None and header["version"] >= 2:
        raise CheckpointError(f"{where}: the integrity digest ({DIGEST_KEY!r} in the metadata) "
                              f"is missing, though format {header['version']} files always "
                              "carry one; the header is corrupted")
    _verify_checksums(where, tensors, header.get("crc32"))
    tensors = restored(where, tensors, header.get(COMPLEX_KEY))
    # The layout lists names sorted; the checksum table keeps the saved order
    # (the module's), which is the order a person reads in error messages.
    return {name: tensors[name] for name in header["crc32"]}, header


def read_tensors(path):
    """Every tensor in the safetensors file at ``path`` and ndgrad's JSON header
    (None for files written by other programs), checked as the module says.

    A large file is memory-mapped and each tensor copied out of the map once:
    the arrays returned (and checksummed) are independent of the file.

    Example:
        >>> from ndgrad.io.checkpoint import read_tensors
        >>> from ndgrad.io.checkpoint import write_tensors
        >>> import os, tempfile, numpy as np
        >>> path = os.path.join(tempfile.mkdtemp(), "w.safetensors")
        >>> write_tensors(path, {"b": np.arange(2.0)}, {"kind": "weights"})
        >>> read_tensors(path)[0]["b"].tolist()
        [0.0, 1.0]
    """
    path = os.fspath(path)
    with open_regular_file(path) as file:
        size = os.fstat(file.fileno()).st_size
        if size < _MAP_FROM_BYTES:
            return decode_payload(bytearray(file.read()), path)
        try:
            mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError) as error:
            raise CheckpointError(f"{path}: cannot be read ({error})") from None
        try:
            return decode_payload(mapped, path, copy=True)
        finally:
            try:
                mapped.close()
            except BufferError:     # a view still held by a traceback: unmapped with it
                pass


def _verify_checksums(where, tensors, expected):
    if not isinstance(expected, dict) or set(expected) != set(tensors):
        raise CheckpointError(f"{where}: the header's tensor list does not match the tensors "
                              "in the file; the file is corrupted")
    damaged = [name for name, array in tensors.items() if checksum(array) != expected[name]]
    if damaged:
        raise CheckpointError(f"{where}: the bytes of {', '.join(sorted(damaged))} do not match "
                              "their checksum; the file is corrupted")
