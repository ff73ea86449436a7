"""Every layer of the layer harness (both faces), exported and run in ONNX Runtime.

Each export passes ``onnx.checker.check_model(full_check=True)``, ONNX Runtime's
outputs match ndgrad's within 1e-5 (float32, relative to the output's scale), and
the batch axis is dynamic: the same file runs at a second batch size.
"""

import numpy as np
import pytest

import ndgrad

from tests.nn.test_layer_harness import ALL
from tests.onnx._runtime import assert_matches, export_bytes

# Refused loudly before anything is written (name -> what the message says).
REFUSED = {}



def _input(case, batch, seed=0):
    generator = np.random.default_rng(seed)
    shape = (batch,) + tuple(case.input_shape[1:])
    if case.integer_input:
        return generator.integers(0, case.integer_input, shape)
    return generator.normal(size=shape).astype(np.float32)


def _trained_statistics(layer, case):
    """Give normalization layers running statistics that are not the defaults."""
    if case.integer_input:
        return
    layer.train()
    layer(*[np.asarray(_input(case, case.input_shape[0], seed=5) * 3 + 1)])
    layer.eval()


@pytest.mark.parametrize("case", ALL, ids=[c.name for c in ALL])
def test_layer_exports_and_matches_onnxruntime_at_two_batch_sizes(case):
    layer = case.make()
    batch = case.input_shape[0]
    layer(ndgrad.tensor(_input(case, batch)))
    if case.name in REFUSED:
        with pytest.raises(ndgrad.onnx.UnsupportedOpError, match=REFUSED[case.name]):
            export_bytes(layer, (_input(case, batch),))
        return
    _trained_statistics(layer, case)
    data = export_bytes(layer, (_input(case, batch),), dynamic_axes={"input": {0: "batch"}})
    assert_matches(layer, [_input(case, batch, seed=1)], data, case.name)
    assert_matches(layer, [_input(case, batch + 3, seed=2)], data, case.name + " (batch + 3)")
