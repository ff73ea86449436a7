"""save_weights / load_weights: round trips, and mismatches that change nothing."""

import pathlib

import numpy as np
import pytest

import ndgrad
from ndgrad.io import CheckpointError, load_weights, save_checkpoint, save_weights
from ndgrad.io.safetensors_file import read_tensors, write_tensors

nn = ndgrad.nn


def _net():
    return nn.Sequential(nn.Linear(4, 6), nn.BatchNorm1d(6), nn.ReLU(), nn.Linear(6, 3))


def _snapshot(module):
    return {name: np.array(t.numpy(), copy=True) for name, t in module.state_dict().items()}


def _assert_unchanged(module, before):
    after = _snapshot(module)
    assert after.keys() == before.keys()
    for name in before:
        np.testing.assert_array_equal(after[name], before[name])


def test_round_trip_keeps_names_values_and_dtypes(tmp_path):
    source = _net()
    source(ndgrad.random.normal((8, 4)))        # moves the BatchNorm statistics
    path = tmp_path / "net.safetensors"
    save_weights(source, path)
    target = _net()
    assert load_weights(target, str(path)) == ([], [])
    for name, array in _snapshot(source).items():
        loaded = target.state_dict()[name]
        assert loaded.dtype == array.dtype
        np.testing.assert_array_equal(loaded.numpy(), array)
    assert int(target.state_dict()["1.num_batches_tracked"].numpy()) == 1
    x = ndgrad.random.normal((5, 4))
    source.eval(), target.eval()
    np.testing.assert_array_equal(source(x).numpy(), target(x).numpy())


def test_file_holds_pytorch_names_and_float32(tmp_path):
    path = tmp_path / "net.safetensors"
    save_weights(_net(), path)
    tensors, header = read_tensors(path)
    assert sorted(tensors) == ["0.bias", "0.weight", "1.bias", "1.num_batches_tracked",
                               "1.running_mean", "1.running_var", "1.weight", "3.bias",
                               "3.weight"]
    assert tensors["0.weight"].dtype == np.float32 and tensors["0.weight"].shape == (6, 4)
    assert tensors["1.num_batches_tracked"].dtype == np.int64
    assert header["kind"] == "weights" and header["module"] == "Sequential"


def test_keras_model_with_frozen_layer_round_trips(tmp_path):
    def build():
        model = ndgrad.Sequential([ndgrad.layers.Dense(5, activation="relu"),
                                   ndgrad.layers.Dense(2)])
        model(ndgrad.ones((1, 3)))
        model.layers[0].trainable = False
        return model
    source, target = build(), build()
    save_weights(source, tmp_path / "keras.safetensors")
    load_weights(target, tmp_path / "keras.safetensors")
    x = ndgrad.random.normal((4, 3))
    np.testing.assert_array_equal(source(x).numpy(), target(x).numpy())


def test_unbuilt_keras_model_says_build_it_first(tmp_path):
    built = ndgrad.Sequential([ndgrad.layers.Dense(2)])
    built(ndgrad.ones((1, 3)))
    save_weights(built, tmp_path / "w.safetensors")
    with pytest.raises(CheckpointError, match="no weights yet.*built before loading"):
        load_weights(ndgrad.Sequential([ndgrad.layers.Dense(2)]), tmp_path / "w.safetensors")


def test_mismatched_shapes_and_names_are_listed_and_nothing_changes(tmp_path):
    path = tmp_path / "small.safetensors"
    save_weights(nn.Sequential(nn.Linear(4, 5), nn.Linear(5, 3)), path)
    target = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 3), nn.Linear(3, 1))
    before = _snapshot(target)
    with pytest.raises(CheckpointError) as caught:
        load_weights(target, path)
    message = str(caught.value)
    assert str(path) in message and "nothing was loaded" in message
    assert "0.weight: shape (5, 4) in the state, (6, 4) in the model" in message
    assert "0.bias: shape (5,) in the state, (6,) in the model" in message
    assert "missing keys: 2.weight, 2.bias, 3.weight, 3.bias" in message
    assert "unexpected keys: 1.weight, 1.bias" in message
    _assert_unchanged(target, before)


def test_dtype_that_cannot_be_stored_is_refused(tmp_path):
    path = tmp_path / "bad_dtype.safetensors"
    state = {name: t.numpy() for name, t in nn.BatchNorm1d(3).state_dict().items()}
    state["num_batches_tracked"] = np.array(2.5)        # float64 into an int64 buffer
    write_tensors(path, state, {"kind": "weights"})
    target = nn.BatchNorm1d(3)
    before = _snapshot(target)
    with pytest.raises(CheckpointError, match="num_batches_tracked: dtype float64 cannot be "
                                              "stored in int64"):
        load_weights(target, path)
    _assert_unchanged(target, before)


def test_strict_false_loads_the_common_part_and_reports_the_rest(tmp_path):
    path = tmp_path / "linear.safetensors"
    source = nn.Sequential(nn.Linear(2, 2))
    save_weights(source, path)
    target = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))
    result = load_weights(target, path, strict=False)
    assert result.missing_keys == ["1.weight", "1.bias"] and result.unexpected_keys == []
    np.testing.assert_array_equal(target[0].weight.numpy(), source[0].weight.numpy())


def test_load_weights_reads_the_model_part_of_a_checkpoint(tmp_path):
    source = _net()
    optimizer = ndgrad.optim.Adam(source.parameters())
    save_checkpoint(tmp_path / "ckpt.safetensors", source, optimizer, epoch=4)
    target = _net()
    load_weights(target, tmp_path / "ckpt.safetensors")
    np.testing.assert_array_equal(target[3].weight.numpy(), source[3].weight.numpy())


def test_arrays_round_trip_whatever_their_layout_dtype_or_shape(tmp_path):
    arrays = {"transposed": np.arange(6, dtype=np.float32).reshape(2, 3).T,
              "empty": np.zeros((0, 3), np.float32), "scalar": np.array(5, np.int64),
              "mask": np.array([True, False]), "half": np.ones(3, np.float16),
              "big_endian": np.arange(3, dtype=">f8")}
    write_tensors(tmp_path / "t.safetensors", arrays, {"kind": "weights"})
    loaded, _ = read_tensors(tmp_path / "t.safetensors")
    assert list(loaded) == list(arrays)             # the saved order, not sorted
    for name, array in arrays.items():
        assert loaded[name].shape == array.shape
        assert loaded[name].dtype == array.dtype.newbyteorder("=")
        np.testing.assert_array_equal(loaded[name], array)


def test_bad_arguments_are_type_errors():
    with pytest.raises(TypeError, match="save_weights: expected an ndgrad Module"):
        save_weights(np.ones(3), "w.safetensors")
    with pytest.raises(TypeError, match="load_weights: path must be a str or os.PathLike"):
        load_weights(nn.Linear(1, 1), 3)


def test_save_over_a_folder_is_refused_and_parent_folders_are_created(tmp_path):
    with pytest.raises(IsADirectoryError, match="it is a folder"):
        save_weights(nn.Linear(1, 1), tmp_path)
    save_weights(nn.Linear(1, 1), tmp_path / "runs" / "one" / "w.safetensors")
    assert pathlib.Path(tmp_path / "runs" / "one" / "w.safetensors").is_file()


def test_without_safetensors_the_error_says_which_extra_to_install(tmp_path, monkeypatch):
    """Writing needs the safetensors package; reading is NumPy's alone (ndgrad's own
    checked reader), so a file loads without it."""
    import sys
    saved = nn.Linear(1, 1)
    save_weights(saved, tmp_path / "w.safetensors")
    monkeypatch.setitem(sys.modules, "safetensors", None)
    monkeypatch.setitem(sys.modules, "safetensors.numpy", None)
    with pytest.raises(ImportError, match=r"pip install ndgrad\[io\]"):
        save_weights(nn.Linear(1, 1), tmp_path / "other.safetensors")
    loaded = nn.Linear(1, 1)
    load_weights(loaded, tmp_path / "w.safetensors")
    assert loaded.weight.tolist() == saved.weight.tolist()


def test_importing_ndgrad_io_does_not_import_safetensors():
    import subprocess
    import sys
    code = "import sys, ndgrad.io; print('safetensors' in sys.modules)"
    root = pathlib.Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                            text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr


def test_a_header_length_that_begins_like_a_pickle_is_still_read(tmp_path):
    """A 0x3XX-byte header gives the length bytes 0x80 0x03: a safetensors file, not a
    pickle (the JSON header at byte 8 tells them apart)."""
    from ndgrad.io.safetensors_file import tensors_payload
    for length in range(1, 600):
        payload = tensors_payload({"w" * length: np.zeros(2, np.float32)}, {"kind": "weights"})
        if payload[0] == 0x80 and 1 <= payload[1] <= 5:
            break
    else:
        pytest.fail("no name length gave a pickle-like header length")
    path = tmp_path / "w.safetensors"
    path.write_bytes(payload)
    arrays, _ = read_tensors(path)
    assert list(arrays) == ["w" * length]
