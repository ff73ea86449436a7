"""examples/export_onnx.py runs: it exports the digits CNN and ONNX Runtime agrees."""

import os

import pytest

from tests.onnx.test_models import _load

pytest.importorskip("sklearn", reason="the digits need scikit-learn (extra 'datasets')")


def test_export_onnx_example_runs(tmp_path, monkeypatch, capsys):
    example = _load("examples/export_onnx.py", "export_onnx_example")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(example, "EPOCHS", 1)
    example.main()
    printed = capsys.readouterr().out
    assert "exported runs" in printed and "largest difference" in printed
    assert os.path.exists(tmp_path / "runs" / "digits" / "digits_cnn.onnx")
