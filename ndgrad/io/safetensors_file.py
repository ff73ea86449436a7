"""Reading and writing safetensors files with ndgrad's JSON header, safely.

A safetensors file is an 8-byte header length, a JSON header (names, dtypes,
shapes, offsets, and a ``__metadata__`` dict of strings) and the raw tensor
bytes; reading it never runs code, unlike a pickle. ndgrad puts one JSON
document under the metadata key ``"ndgrad"``: the file's kind (``"weights"``
or ``"checkpoint"``), the format version, a CRC-32 of every tensor's bytes (the
safetensors format checks the layout but not the data, so a flipped bit would
otherwise load silently) and, for checkpoints, the training state.

:func:`read_tensors` checks everything before returning: that the file exists
and is not a pickle or a ``torch.save`` zip, that the safetensors layout is
whole (a truncated or garbled file fails here), that the JSON is valid, and the
checksums. Every failure is a :class:`CheckpointError` naming the path.

Example:
    >>> import os, tempfile, numpy as np
    >>> path = os.path.join(tempfile.mkdtemp(), "a.safetensors")
    >>> write_tensors(path, {"w": np.ones(2, np.float32)}, {"kind": "weights"})
    >>> tensors, header = read_tensors(path)
    >>> tensors["w"].tolist(), header["kind"]
    ([1.0, 1.0], 'weights')
"""

import json
import os
import zlib

import numpy as np

from ..tensor import Tensor
from .atomic import write_atomically

FORMAT_VERSION = 1
METADATA_KEY = "ndgrad"

# First bytes of files people may hand us by mistake, and what to tell them.
_FOREIGN_FORMATS = (
    (b"PK\x03\x04", "a zip archive, as torch.save writes (it holds a pickle); in PyTorch, "
                    "save it with safetensors.torch.save_file(model.state_dict(), path)"),
    (b"\x93NUMPY", "a NumPy .npy file; load it with numpy.load and use load_state_dict"),
    (b"\x89HDF", "an HDF5 file (Keras .h5); ndgrad reads safetensors files only"),
)


class CheckpointError(ValueError):
    """A weights or checkpoint file that cannot be loaded: missing, not a
    safetensors file, truncated, corrupted, or not fitting the model.

    Example:
        >>> issubclass(CheckpointError, ValueError)
        True
    """


class CheckpointNotFoundError(CheckpointError, FileNotFoundError):
    """The file to load does not exist (also a ``FileNotFoundError``).

    Example:
        >>> issubclass(CheckpointNotFoundError, FileNotFoundError)
        True
    """


def require_safetensors(function):
    """The ``safetensors`` package, or an ImportError saying how to install it.

    Example:
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
        >>> import numpy as np
        >>> checksum(np.zeros(2, np.float32)) == checksum(np.zeros(2, np.float32))
        True
    """
    return zlib.crc32(_little_endian_bytes(array).reshape(-1).view(np.uint8))


def tensors_payload(tensors, header, where="the file"):
    """The bytes of a safetensors file holding ``tensors`` (name -> array) and the JSON
    ``header`` (with ``"version"`` and ``"crc32"`` added): what :func:`write_tensors`
    writes, for a caller that writes it elsewhere (a file object).

    Example:
        >>> import numpy as np
        >>> payload = tensors_payload({"b": np.zeros(3, np.float32)}, {"kind": "weights"})
        >>> int.from_bytes(payload[:8], "little") < len(payload), payload[8:9]
        (True, b'{')
    """
    safetensors = require_safetensors("write_tensors")
    arrays = {}
    for name, value in tensors.items():
        array = value._data if isinstance(value, Tensor) else np.asarray(value)
        # safetensors reads raw memory from the array's pointer, so views such
        # as transposes must be made contiguous first (np.ascontiguousarray
        # would also turn a 0-d buffer such as num_batches_tracked into 1-d).
        arrays[name] = array if array.flags.c_contiguous else array.copy(order="C")
    header = dict(header, version=FORMAT_VERSION,
                  crc32={name: checksum(array) for name, array in arrays.items()})
    metadata = {METADATA_KEY: json.dumps(header, allow_nan=True)}
    try:
        return safetensors.numpy.save(arrays, metadata=metadata)
    except Exception as error:          # safetensors raises its own error type
        raise TypeError(f"cannot write {where}: {error}") from error


def write_tensors(path, tensors, header):
    """Write ``tensors`` (name -> array) and the JSON ``header`` to ``path``, atomically.

    The header gets ``"version"`` and ``"crc32"`` added. Arrays are written as
    they are: float32 stays float32.

    Example:
        >>> import os, tempfile, numpy as np
        >>> path = os.path.join(tempfile.mkdtemp(), "w.safetensors")
        >>> write_tensors(path, {"b": np.zeros(3, np.float32)}, {"kind": "weights"})
        >>> os.path.getsize(path) > 12
        True
    """
    write_atomically(path, tensors_payload(tensors, header, os.fspath(path)))


def _sniff(path):
    """Refuse, by their first bytes, files that are not safetensors at all."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as file:
            head = file.read(16)
    except FileNotFoundError:
        raise CheckpointNotFoundError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CheckpointError(f"{path} is a folder, not a safetensors file") from None
    except OSError as error:
        raise CheckpointError(f"{path}: cannot be read ({error})") from None
    if size < 8:
        raise CheckpointError(f"{path}: only {size} bytes, too short for a safetensors file "
                              "(empty or truncated)")
    # A safetensors header (JSON) begins at byte 8 with "{"; its 8-byte length may itself
    # begin like a pickle (0x80 0x03 for a 896-byte header), so that is tested first.
    looks_like_safetensors = head[8:9] == b"{"
    if not looks_like_safetensors and head[:1] == b"\x80" and 1 <= head[1] <= 5:
        raise CheckpointError(f"{path} is a Python pickle (protocol {head[1]}), not a "
                              "safetensors file; ndgrad never unpickles, because loading a "
                              "pickle can run arbitrary code")
    for magic, advice in _FOREIGN_FORMATS:
        if not looks_like_safetensors and head.startswith(magic):
            raise CheckpointError(f"{path} is {advice}")
    header_length = int.from_bytes(head[:8], "little")
    if header_length > size - 8:
        raise CheckpointError(f"{path}: the header claims {header_length} bytes but the file "
                              f"has only {size - 8} after the length field: truncated or not "
                              "a safetensors file")


def read_tensors(path):
    """Every tensor in the safetensors file at ``path`` and ndgrad's JSON header
    (None for files written by other programs), checked as the module says.

    Example:
        >>> import os, tempfile, numpy as np
        >>> path = os.path.join(tempfile.mkdtemp(), "w.safetensors")
        >>> write_tensors(path, {"b": np.arange(2.0)}, {"kind": "weights"})
        >>> read_tensors(path)[0]["b"].tolist()
        [0.0, 1.0]
    """
    safetensors = require_safetensors("read_tensors")
    path = os.fspath(path)
    _sniff(path)
    try:
        with safetensors.safe_open(path, framework="np") as file:
            metadata = file.metadata() or {}
            tensors = {name: _get_tensor(path, file, name) for name in file.keys()}
    except CheckpointError:
        raise
    except Exception as error:          # SafetensorError and friends, all about the bytes
        raise CheckpointError(f"{path}: not a valid safetensors file ({error}); it may be "
                              "truncated or corrupted") from None
    if METADATA_KEY not in metadata:
        return tensors, None
    try:
        header = json.loads(metadata[METADATA_KEY])
    except ValueError as error:
        raise CheckpointError(f"{path}: the ndgrad metadata is not valid JSON ({error}); the "
                              "header is corrupted") from None
    if not isinstance(header, dict):
        raise CheckpointError(f"{path}: the ndgrad metadata is a {type(header).__name__}, "
                              "not a JSON object; the header is corrupted")
    version = header.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise CheckpointError(f"{path}: the ndgrad metadata has no valid format version "
                              f"({version!r}); the header is corrupted")
    if version > FORMAT_VERSION:
        raise CheckpointError(f"{path}: format version {version!r}; this ndgrad reads "
                              f"versions up to {FORMAT_VERSION} (was it written by a newer "
                              "ndgrad?)")
    _verify_checksums(path, tensors, header.get("crc32"))
    # safetensors lists names sorted; the checksum table keeps the saved order
    # (the module's), which is the order a person reads in error messages.
    return {name: tensors[name] for name in header["crc32"]}, header


def _get_tensor(path, file, name):
    try:
        return file.get_tensor(name)
    except TypeError as error:          # a dtype NumPy lacks, such as bfloat16
        raise CheckpointError(f"{path}: tensor {name!r} cannot be read with NumPy ({error}); "
                              "save it as float32 (in PyTorch: tensor.float()) and try "
                              "again") from None


def _verify_checksums(path, tensors, expected):
    if not isinstance(expected, dict) or set(expected) != set(tensors):
        raise CheckpointError(f"{path}: the header's tensor list does not match the tensors "
                              "in the file; the file is corrupted")
    damaged = [name for name, array in tensors.items() if checksum(array) != expected[name]]
    if damaged:
        raise CheckpointError(f"{path}: the bytes of {', '.join(sorted(damaged))} do not match "
                              "their checksum; the file is corrupted")
