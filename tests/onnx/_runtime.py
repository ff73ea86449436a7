"""Shared by the ONNX tests: export a model, run it in ONNX Runtime, compare with ndgrad."""

import io

import numpy as np
import pytest

import ndgrad

onnx = pytest.importorskip("onnx", reason="the optional extra 'onnx' is not installed "
                                          "(pip install 'ndgrad[onnx]')")
ort = pytest.importorskip("onnxruntime", reason="the optional extra 'onnx' is not installed "
                                                "(pip install 'ndgrad[onnx]')")

import ndgrad.onnx  # noqa: E402

LARGEST = {"relative": 0.0, "where": None}     # the largest difference seen, for the report


def export_bytes(model, inputs, **options):
    buffer = io.BytesIO()
    ndgrad.onnx.export(model, inputs, buffer, **options)
    data = buffer.getvalue()
    onnx.checker.check_model(onnx.load_from_string(data), full_check=True)
    return data


def session(data):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    return ort.InferenceSession(data, options, providers=["CPUExecutionProvider"])


def ndgrad_outputs(model, inputs):
    was_training = model.training
    model.eval()
    try:
        with ndgrad.no_grad():
            result = model(*[ndgrad.tensor(x) for x in inputs])
    finally:
        model.train(was_training)
    result = result if isinstance(result, (tuple, list)) else (result,)
    flat = []
    for item in result:
        flat.extend(item if isinstance(item, (tuple, list)) else [item])
    return [np.asarray(item.numpy()) for item in flat]


def assert_matches(model, inputs, data, label, rtol=1e-5):
    """ONNX Runtime's outputs equal ndgrad's within ``rtol`` (relative to the output's scale)."""
    run = session(data)
    feed = {i.name: x for i, x in zip(run.get_inputs(), inputs)}
    theirs = run.run(None, feed)
    ours = ndgrad_outputs(model, inputs)
    assert len(theirs) == len(ours)
    for a, b in zip(theirs, ours):
        assert a.shape == b.shape and a.dtype == b.dtype, (a.shape, b.shape, a.dtype, b.dtype)
        scale = max(float(np.max(np.abs(b))), 1e-6) if b.size else 1.0
        relative = float(np.max(np.abs(a.astype(np.float64) - b) / scale)) if b.size else 0.0
        if relative > LARGEST["relative"]:
            LARGEST.update(relative=relative, where=label)
        np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol * scale, err_msg=label)
