"""IDX reading and writing: the byte layout, gzip or plain, and every kind of damage."""

import gzip
import struct

import numpy as np
import pytest

from ndgrad.datasets.idx import IdxFormatError, read_idx, write_idx


def _handmade_labels(values):
    """An idx1-ubyte file made byte by byte, as the format's description says."""
    return struct.pack(">BBBBI", 0, 0, 0x08, 1, len(values)) + bytes(values)


@pytest.mark.parametrize("compress", [False, True])
def test_reads_a_file_built_byte_by_byte(tmp_path, compress):
    raw = _handmade_labels([9, 0, 3])
    path = tmp_path / "labels"
    path.write_bytes(gzip.compress(raw) if compress else raw)
    labels = read_idx(path)
    assert labels.dtype == np.uint8 and labels.tolist() == [9, 0, 3]


def test_big_endian_values_are_read_in_native_order(tmp_path):
    path = tmp_path / "ints"
    path.write_bytes(struct.pack(">BBBBIii", 0, 0, 0x0C, 1, 2, 258, -1))
    values = read_idx(path)
    assert values.dtype == np.dtype("int32") and values.dtype.isnative
    assert values.tolist() == [258, -1]


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32", "float32", "float64"])
@pytest.mark.parametrize("name", ["data-idx3", "data-idx3.gz"])
def test_write_read_round_trip(tmp_path, dtype, name):
    array = (np.arange(24) - 5).reshape(2, 3, 4).astype(dtype)
    write_idx(tmp_path / name, array)
    is_gzip = (tmp_path / name).read_bytes()[:2] == b"\x1f\x8b"
    assert is_gzip == name.endswith(".gz")
    back = read_idx(tmp_path / name)
    assert back.dtype == array.dtype and back.shape == (2, 3, 4)
    np.testing.assert_array_equal(back, array)
    back[0, 0, 0] = 1   # the result is a writable array of its own


def test_gzip_is_recognised_by_content_not_name(tmp_path):
    write_idx(tmp_path / "plain-name", np.arange(3, dtype=np.uint8), compress=True)
    write_idx(tmp_path / "gz-name.gz", np.arange(3, dtype=np.uint8), compress=False)
    assert read_idx(tmp_path / "plain-name").tolist() == [0, 1, 2]
    assert read_idx(tmp_path / "gz-name.gz").tolist() == [0, 1, 2]


def test_write_refuses_what_idx_cannot_hold(tmp_path):
    with pytest.raises(ValueError, match="write_idx.*int64"):
        write_idx(tmp_path / "x", np.arange(3, dtype=np.int64))
    with pytest.raises(ValueError, match=r"write_idx.*shape \(\)"):
        write_idx(tmp_path / "x", np.uint8(3))


def test_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_idx(tmp_path / "nothing-here")


GOOD = _handmade_labels([1, 2, 3, 4])


@pytest.mark.parametrize("raw, message", [
    (b"", "fewer than the 4-byte IDX magic number"),
    (b"\x00\x00", "fewer than the 4-byte IDX magic number"),
    (b"\x01\x00\x08\x01" + GOOD[4:], "not an IDX magic number"),
    (b"\x00\x00\x07\x01" + GOOD[4:], "not an IDX magic number"),
    (b"\x00\x00\x08\x00" + GOOD[4:], "not an IDX magic number"),
    (GOOD[:6], "truncated inside its header"),
    (GOOD[:-1], r"is truncated: .*shape \(4,\).*4 bytes of data, but 3 bytes"),
    (GOOD + b"\x00", r"corrupted \(it has extra bytes\)"),
    (b"%PDF-1.4 not idx at all", "not an IDX magic number"),
])
def test_damaged_plain_files_are_clear_errors(tmp_path, raw, message):
    path = tmp_path / "damaged"
    path.write_bytes(raw)
    with pytest.raises(IdxFormatError, match=message) as error:
        read_idx(path)
    assert str(path) in str(error.value)


def test_truncated_gzip_is_a_clear_error(tmp_path):
    path = tmp_path / "labels.gz"
    path.write_bytes(gzip.compress(GOOD)[:-6])
    with pytest.raises(IdxFormatError, match="broken or truncated gzip"):
        read_idx(path)


def test_corrupted_gzip_is_a_clear_error(tmp_path):
    packed = bytearray(gzip.compress(bytes(range(256)) * 40 + GOOD))
    packed[20:40] = bytes(20)
    path = tmp_path / "labels.gz"
    path.write_bytes(bytes(packed))
    with pytest.raises(IdxFormatError, match="broken or truncated gzip"):
        read_idx(path)


def test_a_header_claiming_huge_sizes_fails_without_allocating(tmp_path):
    path = tmp_path / "huge"
    path.write_bytes(struct.pack(">BBBBIII", 0, 0, 0x0E, 3, 2**31, 2**31, 2**31))
    with pytest.raises(IdxFormatError, match="is truncated"):
        read_idx(path)
