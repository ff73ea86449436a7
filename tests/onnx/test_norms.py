"""The vector p-norms (ndgrad/onnx/mappings_norms.py), exported and run in ONNX
Runtime at two batch sizes: p = 1, 2 (ReduceL1/L2), 3 and 0.5 (the power form),
one axis or several, with and without keepdims; the infinity norms go through
max/min of abs."""

import numpy as np
import pytest

import ndgrad
from tests.onnx._runtime import assert_matches, export_bytes
from tests.onnx.test_ops import Apply

NORMS = {
    "l2 last axis": lambda x: ndgrad.norm(x, axis=-1),
    "l2 default": lambda x: x / (x.norm(2, 1, keepdims=True) + 1e-4),
    "l1 keepdims": lambda x: ndgrad.norm(x, ord=1, axis=1, keepdims=True),
    "l3": lambda x: ndgrad.norm(x, ord=3, axis=2),
    "l0.5": lambda x: ndgrad.linalg.vector_norm(x, ord=0.5, axis=(1, 2)),
    "inf": lambda x: ndgrad.norm(x, ord=np.inf, axis=1),
    "-inf": lambda x: ndgrad.norm(x, ord=-np.inf, axis=2, keepdims=True),
}


@pytest.mark.parametrize("name", sorted(NORMS))
def test_vector_norm_matches_onnxruntime(name):
    model = Apply(NORMS[name])
    rng = np.random.default_rng(0)
    example = rng.uniform(-2, 2, size=(2, 3, 4)).astype(np.float32)
    data = export_bytes(model, (example,), dynamic_axes={"input": [0]})
    for batch in (2, 5):
        x = rng.uniform(-2, 2, size=(batch, 3, 4)).astype(np.float32)
        assert_matches(model, [x], data, f"norm {name} b{batch}")
