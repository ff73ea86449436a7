"""torch.onnx: importable; export refused clearly until issue 15."""

import pytest

import ndgrad.torch as torch


def test_export_is_refused_before_writing(tmp_path):
    import ndgrad.torch.onnx as onnx
    path = tmp_path / "model.onnx"
    with pytest.raises(NotImplementedError, match=r"planned: issue 15.*state_dict"):
        onnx.export(torch.nn.Linear(2, 1), (torch.ones(1, 2),), str(path))
    with pytest.raises(NotImplementedError, match="torch.onnx._export"):
        torch.onnx._export(torch.nn.Linear(2, 1), torch.ones(1, 2), str(path))
    assert not path.exists()
    assert torch.onnx.is_in_onnx_export() is False
    with pytest.raises(AttributeError, match=r"torch\.onnx\.dynamo_export is not supported"):
        torch.onnx.dynamo_export
