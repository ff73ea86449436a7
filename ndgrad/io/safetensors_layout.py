"""The safetensors layout, read with NumPy alone and checked field by field.

A safetensors file is an 8-byte little-endian header length ``n``, ``n`` bytes
of JSON (``{"name": {"dtype", "shape", "data_offsets"}, ..., "__metadata__":
{str: str}}``, padded with spaces) and the tensors' bytes, back to back. This
reader enforces what the format promises, so that a damaged file is refused
here with the field that is wrong, before any of it is used: the length fits
the file; the header is UTF-8 JSON (no NaN/Infinity, no repeated key) that is
an object; every dtype is known; every shape is a list of non-negative ints;
every tensor's byte range matches its dtype and shape; and the ranges tile the
data exactly, from its first byte to the file's last.

Arrays are NumPy views of the buffer read (no second copy of the data); give a
``bytearray`` for writable arrays.

Example:
    >>> from ndgrad.io.safetensors_file import parse_layout
    >>> import numpy as np
    >>> header = b'{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}'
    >>> buffer = bytearray(len(header).to_bytes(8, "little") + header
    ...                    + np.array([1, 2], "<f4").tobytes())
    >>> metadata, arrays, head = parse_layout(buffer, "w.safetensors")
    >>> metadata, arrays["w"].tolist(), len(head)
    ({}, [1.0, 2.0], 62)
"""

import json
import math

import numpy as np

from .errors import CheckpointError

MAX_HEADER_BYTES = 100_000_000          # the safetensors library's own limit
METADATA = "__metadata__"

_NUMPY_DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4",
                 "I16": "<i2", "I8": "i1", "U64": "<u8", "U32": "<u4", "U16": "<u2",
                 "U8": "u1", "BOOL": "?", "C64": "<c8"}
_WITHOUT_NUMPY_DTYPE = ("BF16", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4")


def _fail(where, detail):
    raise CheckpointError(f"{where}: not a valid safetensors file ({detail}); it may be "
                          "truncated or corrupted")


def _refuse_constant(name):
    raise ValueError(f"{name} is not JSON")


def _object_without_repeats(pairs):
    result = dict(pairs)
    if len(result) != len(pairs):
        seen = set()
        repeated = next(key for key, _ in pairs if key in seen or seen.add(key))
        raise ValueError(f"the key {repeated!r} appears twice")
    return result


def _json_header(buffer, where):
    size = len(buffer)
    if size < 8:
        raise CheckpointError(f"{where}: only {size} bytes, too short for a safetensors file "
                              "(empty or truncated)")
    header_length = int.from_bytes(buffer[:8], "little")
    if header_length > size - 8:
        raise CheckpointError(f"{where}: the header claims {header_length} bytes but the file "
                              f"has only {size - 8} after the length field: truncated or not "
                              "a safetensors file")
    if header_length > MAX_HEADER_BYTES:
        _fail(where, f"a header of {header_length} bytes, over the format's limit of "
                     f"{MAX_HEADER_BYTES}")
    head = bytes(buffer[:8 + header_length])
    raw = head[8:]
    if raw[:1] != b"{":
        _fail(where, "the header does not begin with '{'")
    try:
        header = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant,
                            object_pairs_hook=_object_without_repeats)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        _fail(where, f"the JSON header is damaged: {type(error).__name__}: {error}")
    if not isinstance(header, dict):
        _fail(where, "the JSON header is not an object")
    return header, head


def _metadata(header, where):
    metadata = header.pop(METADATA, None)
    if metadata is None:
        return {}
    if not isinstance(metadata, dict) or not all(isinstance(value, str)
                                                 for value in metadata.values()):
        _fail(where, f"{METADATA} must map strings to strings")
    return metadata


def _is_count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _entry(name, entry, where):
    """``(numpy dtype, shape, begin, end)`` of one tensor, each field checked."""
    if not isinstance(entry, dict) or set(entry) != {"dtype", "shape", "data_offsets"}:
        _fail(where, f"tensor {name!r}: expected exactly dtype, shape and data_offsets, got "
                     f"{sorted(entry) if isinstance(entry, dict) else type(entry).__name__}")
    dtype, shape, offsets = entry["dtype"], entry["shape"], entry["data_offsets"]
    if dtype in _WITHOUT_NUMPY_DTYPE:
        raise CheckpointError(f"{where}: tensor {name!r} cannot be read with NumPy (its dtype "
                              f"{dtype} has no NumPy equivalent); save it as float32 (in "
                              "PyTorch: tensor.float()) and try again")
    if dtype not in _NUMPY_DTYPES:
        _fail(where, f"tensor {name!r}: unknown dtype {dtype!r}")
    if not isinstance(shape, list) or not all(_is_count(size) for size in shape):
        _fail(where, f"tensor {name!r}: shape {shape!r} is not a list of non-negative ints")
    if not (isinstance(offsets, list) and len(offsets) == 2 and all(map(_is_count, offsets))
            and offsets[0] <= offsets[1]):
        _fail(where, f"tensor {name!r}: data_offsets {offsets!r} is not [begin, end] with "
                     "0 <= begin <= end")
    numpy_dtype = np.dtype(_NUMPY_DTYPES[dtype])
    expected = math.prod(shape) * numpy_dtype.itemsize
    if offsets[1] - offsets[0] != expected:
        _fail(where, f"tensor {name!r}: {dtype} of shape {shape} needs {expected} bytes, its "
                     f"data_offsets {offsets} span {offsets[1] - offsets[0]}")
    return numpy_dtype, tuple(shape), offsets[0], offsets[1]


def parse_layout(buffer, where, copy=False):
    """``(metadata, arrays, head)`` of the safetensors file in ``buffer``.

    ``metadata`` is the ``__metadata__`` dict (empty if absent), ``arrays``
    maps each name to a NumPy array (in the header's order) that views
    ``buffer`` (with ``copy``: a copy of it), and ``head`` is a copy of the
    length field and the header, the bytes that were parsed. Any fault raises
    :class:`CheckpointError` naming ``where``.

    Example:
        >>> from ndgrad.io.safetensors_layout import parse_layout
        >>> parse_layout(b"\\x02\\x00\\x00\\x00\\x00\\x00\\x00\\x00{}", "empty")[:2]
        ({}, {})
    """
    header, head = _json_header(buffer, where)
    header_length = len(head) - 8
    metadata = _metadata(header, where)
    layout = {name: _entry(name, entry, where) for name, entry in header.items()}
    data_start = 8 + header_length
    data_size = len(buffer) - data_start
    position = 0
    for name, (_, _, begin, end) in sorted(layout.items(), key=lambda item: item[1][2:]):
        if begin != position:
            _fail(where, f"tensor {name!r} starts at byte {begin} of the data, expected "
                         f"{position}: the tensors must tile the data")
        position = end
    if position != data_size:
        _fail(where, f"the tensors cover {position} bytes of data, the file holds "
                     f"{data_size}")
    arrays = {}
    for name, (dtype, shape, begin, end) in layout.items():
        count = (end - begin) // dtype.itemsize
        array = np.frombuffer(buffer, dtype=dtype, count=count,
                              offset=data_start + begin).reshape(shape)
        if copy or not dtype.isnative or not array.flags.aligned:
            array = array.astype(dtype.newbyteorder("="))      # a copy, aligned, native
        arrays[name] = array
    return metadata, arrays, head
