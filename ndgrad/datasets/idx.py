"""The IDX file format of MNIST and Fashion-MNIST, read and written with NumPy.

An IDX file is a 4-byte magic number, one big-endian uint32 per dimension, and
the values in row-major order, big-endian::

    byte 0-1  0x00 0x00
    byte 2    the value type: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32,
              0x0D float32, 0x0E float64
    byte 3    the number of dimensions
    then      the dimensions (uint32 each), then the data

Files may be gzip-compressed (recognised by their content, not their name).
Anything that does not follow the format exactly (a wrong magic number, a
missing or extra byte, a broken gzip stream) raises :class:`IdxFormatError`
naming the file and what is wrong; nothing is half-read.

Example:
    >>> import os, tempfile, numpy as np
    >>> from ndgrad.datasets.idx import read_idx, write_idx
    >>> path = os.path.join(tempfile.mkdtemp(), "labels-idx1-ubyte.gz")
    >>> write_idx(path, np.array([3, 1, 4], np.uint8))
    >>> read_idx(path)
    array([3, 1, 4], dtype=uint8)
"""

import gzip
import math
import os
import zlib

import numpy as np

__all__ = ["IdxFormatError", "read_idx", "write_idx"]

_GZIP_MAGIC = b"\x1f\x8b"
_TYPE_CODES = {
    0x08: np.dtype("u1"), 0x09: np.dtype("i1"), 0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"), 0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8"),
}
_CODE_OF_KIND = {(dtype.kind, dtype.itemsize): code for code, dtype in _TYPE_CODES.items()}


class IdxFormatError(ValueError):
    """A file is not a valid IDX file (wrong magic number, wrong size, broken gzip).

    Example:
        >>> from ndgrad.datasets.idx import IdxFormatError
        >>> issubclass(IdxFormatError, ValueError)
        True
    """


def _read_bytes(path):
    with open(path, "rb") as file:
        raw = file.read()
    if raw[:2] != _GZIP_MAGIC:
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as error:
        raise IdxFormatError(f"read_idx: {path} is a broken or truncated gzip file "
                             f"({error}); download or reinstall it") from None


def _parse_header(raw, path):
    if len(raw) < 4:
        raise IdxFormatError(f"read_idx: {path} has {len(raw)} bytes, fewer than the "
                             "4-byte IDX magic number; the file is truncated or not IDX")
    zero, code, ndim = raw[:2], raw[2], raw[3]
    if zero != b"\x00\x00" or code not in _TYPE_CODES or ndim == 0:
        raise IdxFormatError(f"read_idx: {path} starts with 0x{raw[:4].hex()}, not an IDX "
                             "magic number (0x0000, a type code 08/09/0B/0C/0D/0E, and the "
                             "number of dimensions)")
    header_size = 4 + 4 * ndim
    if len(raw) < header_size:
        raise IdxFormatError(f"read_idx: {path} is truncated inside its header "
                             f"({len(raw)} bytes, the header of {ndim} dimensions needs "
                             f"{header_size})")
    shape = tuple(int(n) for n in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    return _TYPE_CODES[code], shape, header_size


def read_idx(path):
    """Read an IDX file (plain or gzip) into a NumPy array of native byte order.

    Args:
        path: the file's path.

    Returns:
        A new array with the shape and value type the header gives.

    Raises:
        FileNotFoundError: when there is no file at ``path``.
        IdxFormatError: when the file is not valid IDX: a bad magic number, a
            header or data shorter or longer than the header says, or a broken
            gzip stream.

    Example:
        >>> import os, tempfile, numpy as np
        >>> from ndgrad.datasets.idx import read_idx, write_idx
        >>> path = os.path.join(tempfile.mkdtemp(), "images-idx3-ubyte")
        >>> write_idx(path, np.zeros((2, 3, 3), np.uint8))
        >>> read_idx(path).shape
        (2, 3, 3)
    """
    path = os.fspath(path)
    raw = _read_bytes(path)
    dtype, shape, header_size = _parse_header(raw, path)
    expected = math.prod(shape) * dtype.itemsize   # Python ints: a forged header cannot overflow
    found = len(raw) - header_size
    if found != expected:
        what = "truncated" if found < expected else "corrupted (it has extra bytes)"
        raise IdxFormatError(f"read_idx: {path} is {what}: its header says shape {shape} of "
                             f"{dtype.newbyteorder('=').name}, {expected} bytes of data, but "
                             f"{found} bytes follow the header")
    data = np.frombuffer(raw, dtype=dtype, offset=header_size).reshape(shape)
    return data.astype(dtype.newbyteorder("="))


def write_idx(path, array, compress=None):
    """Write ``array`` as an IDX file, gzip-compressed when asked or when the
    name ends in ``.gz``.

    Args:
        path: where to write.
        array: an array of uint8, int8, int16, int32, float32 or float64 with
            at least one dimension.
        compress: ``True`` or ``False`` to choose; ``None`` follows the name.

    Example:
        >>> import os, tempfile, numpy as np
        >>> from ndgrad.datasets.idx import read_idx, write_idx
        >>> path = os.path.join(tempfile.mkdtemp(), "x-idx2-float")
        >>> write_idx(path, np.eye(2, dtype=np.float32))
        >>> os.path.getsize(path), read_idx(path).dtype
        (28, dtype('float32'))
    """
    path = os.fspath(path)
    array = np.asarray(array)
    code = _CODE_OF_KIND.get((array.dtype.kind, array.dtype.itemsize))
    if code is None or array.ndim == 0 or array.ndim > 255:
        raise ValueError(f"write_idx: IDX holds 1- to 255-dimensional arrays of uint8, int8, "
                         f"int16, int32, float32 or float64; got shape {array.shape} of "
                         f"{array.dtype}")
    header = bytes([0, 0, code, array.ndim]) + np.asarray(array.shape, dtype=">u4").tobytes()
    payload = header + np.ascontiguousarray(array, dtype=_TYPE_CODES[code]).tobytes()
    if compress is None:
        compress = path.endswith(".gz")
    if compress:
        payload = gzip.compress(payload, mtime=0)
    with open(path, "wb") as file:
        file.write(payload)
