"""torch.onnx: export with PyTorch's argument names, over ndgrad.onnx.export."""

import io

import numpy as np
import pytest

import ndgrad.torch as torch

pytest.importorskip("onnx", reason="the optional extra 'onnx' is not installed")
ort = pytest.importorskip("onnxruntime", reason="the optional extra 'onnx' is not installed")


def test_export_writes_a_file_that_onnxruntime_runs_at_two_batch_sizes(tmp_path):
    import ndgrad.torch.onnx  # noqa: F401
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.GELU(), torch.nn.Linear(8, 3))
    path = tmp_path / "model.onnx"
    result = torch.onnx.export(model, (torch.randn(2, 4),), str(path), input_names=["x"],
                               output_names=["y"], dynamic_axes={"x": {0: "n"}, "y": {0: "n"}},
                               opset_version=17, export_params=True, do_constant_folding=False)
    assert result is None and path.exists()
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    for batch in (2, 7):
        x = np.random.default_rng(batch).normal(size=(batch, 4)).astype(np.float32)
        (y,) = session.run(None, {"x": x})
        with torch.no_grad():
            np.testing.assert_allclose(y, model(torch.tensor(x)).numpy(), rtol=1e-5, atol=1e-6)
    assert torch.onnx.is_in_onnx_export() is False


@pytest.mark.parametrize("options, argument", [
    ({"export_params": False}, "export_params"),
    ({"kwargs": {"mask": 1}}, "kwargs"),
    ({"dynamic_shapes": {"x": {0: "n"}}}, "dynamic_shapes"),
    ({"training": torch.onnx.TrainingMode.TRAINING}, "training"),
    ({"custom_opsets": {"x": 1}}, "custom_opsets"),
    ({"keep_initializers_as_inputs": True}, "keep_initializers_as_inputs"),
])
def test_unsupported_arguments_are_refused_before_writing(tmp_path, options, argument):
    path = tmp_path / "model.onnx"
    with pytest.raises(ValueError, match=f"torch.onnx.export: {argument}="):
        torch.onnx.export(torch.nn.Linear(2, 1), (torch.ones(1, 2),), str(path), **options)
    assert not path.exists()


def test_private_spelling_and_unsupported_names():
    buffer = io.BytesIO()
    torch.onnx._export(torch.nn.Linear(2, 1), torch.ones(1, 2), buffer)
    assert buffer.getvalue()
    with pytest.raises(AttributeError, match=r"torch\.onnx\.dynamo_export is not supported"):
        torch.onnx.dynamo_export
