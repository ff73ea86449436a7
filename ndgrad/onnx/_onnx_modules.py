"""The optional ``onnx`` package, imported once with an error that names the extra."""

try:
    import onnx
    from onnx import helper, numpy_helper
except ImportError as error:                      # pragma: no cover - depends on the install
    raise ImportError(
        "ndgrad.onnx needs the optional 'onnx' extra (the onnx and onnxruntime packages): "
        "pip install 'ndgrad[onnx]'") from error

__all__ = ["onnx", "helper", "numpy_helper"]
