"""PyTorch interop: safetensors files written by PyTorch load into the
equivalent ndgrad.nn model, and files ndgrad writes load into PyTorch."""

import numpy as np
import pytest

import ndgrad
from ndgrad.io import load_weights, save_weights

torch = pytest.importorskip("torch")
safetensors_torch = pytest.importorskip("safetensors.torch")
nn = ndgrad.nn


def _torch_cnn():
    return torch.nn.Sequential(torch.nn.Conv2d(2, 4, 3, padding=1), torch.nn.BatchNorm2d(4),
                               torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(4 * 5 * 5, 3))


def _ndgrad_cnn():
    return nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(),
                         nn.Flatten(), nn.Linear(4 * 5 * 5, 3))


def _images():
    return np.random.default_rng(0).normal(size=(6, 2, 5, 5)).astype(np.float32)


def test_pytorch_cnn_with_batchnorm_loads_into_ndgrad(tmp_path):
    torch.manual_seed(0)
    source = _torch_cnn()
    source.train()
    with torch.no_grad():                          # moves the running statistics
        for _ in range(3):
            source(torch.randn(6, 2, 5, 5) * 2 + 1)
    source.eval()
    path = tmp_path / "torch_cnn.safetensors"
    safetensors_torch.save_file(source.state_dict(), str(path))

    target = _ndgrad_cnn()
    assert load_weights(target, path) == ([], [])
    assert int(target[1].num_batches_tracked.numpy()) == 3
    target.eval()
    x = _images()
    expected = source(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(target(ndgrad.tensor(x)).numpy(), expected, rtol=1e-5, atol=1e-5)


def test_ndgrad_cnn_saved_loads_into_pytorch(tmp_path):
    source = _ndgrad_cnn()
    source.train()
    for _ in range(2):
        source(ndgrad.random.normal((6, 2, 5, 5)))
    source.eval()
    path = tmp_path / "ndgrad_cnn.safetensors"
    save_weights(source, path)

    target = _torch_cnn()
    target.load_state_dict(safetensors_torch.load_file(str(path)), strict=True)
    target.eval()
    assert target[1].num_batches_tracked.item() == 2
    assert target[0].weight.dtype == torch.float32
    x = _images()
    np.testing.assert_allclose(target(torch.from_numpy(x)).detach().numpy(),
                               source(ndgrad.tensor(x)).numpy(), rtol=1e-5, atol=1e-5)


def test_lstm_both_ways(tmp_path):
    torch.manual_seed(0)
    torch_lstm = torch.nn.LSTM(5, 7, num_layers=2, batch_first=True)
    path = tmp_path / "torch_lstm.safetensors"
    safetensors_torch.save_file(torch_lstm.state_dict(), str(path))
    ndgrad_lstm = nn.LSTM(5, 7, num_layers=2, batch_first=True)
    load_weights(ndgrad_lstm, path)

    x = np.random.default_rng(1).normal(size=(3, 4, 5)).astype(np.float32)
    expected, (h, c) = torch_lstm(torch.from_numpy(x))
    output, (h_n, c_n) = ndgrad_lstm(ndgrad.tensor(x))
    np.testing.assert_allclose(output.numpy(), expected.detach().numpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(c_n.numpy(), c.detach().numpy(), rtol=1e-5, atol=1e-5)

    back = tmp_path / "ndgrad_lstm.safetensors"
    save_weights(ndgrad_lstm, back)
    fresh = torch.nn.LSTM(5, 7, num_layers=2, batch_first=True)
    fresh.load_state_dict(safetensors_torch.load_file(str(back)), strict=True)
    np.testing.assert_array_equal(fresh(torch.from_numpy(x))[0].detach().numpy(),
                                  expected.detach().numpy())


def test_pytorch_names_that_do_not_fit_are_reported(tmp_path):
    path = tmp_path / "torch_linear.safetensors"
    safetensors_torch.save_file(torch.nn.Linear(4, 3).state_dict(), str(path))
    with pytest.raises(ndgrad.io.CheckpointError,
                       match=r"weight: shape \(3, 4\) in the state, \(2, 4\) in the model"):
        load_weights(nn.Linear(4, 2), path)


def test_bfloat16_file_says_to_convert_to_float32(tmp_path):
    path = tmp_path / "bf16.safetensors"
    safetensors_torch.save_file({"weight": torch.ones(2, 1, dtype=torch.bfloat16),
                                 "bias": torch.zeros(2, dtype=torch.bfloat16)}, str(path))
    with pytest.raises(ndgrad.io.CheckpointError, match=r"cannot be read with NumPy.*"
                                                        r"save it as float32"):
        load_weights(nn.Linear(1, 2), path)
