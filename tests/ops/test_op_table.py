"""Every op in the table: forward against NumPy, gradient against float64 finite
differences in a random direction, second order, and PyTorch where installed."""

import importlib
import pathlib

import numpy as np
import pytest

import ndgrad

try:
    import torch
except ImportError:   # torch is an optional oracle
    torch = None



@pytest.fixture(autouse=True)
def _torch_float64():
    """PyTorch oracles here work in float64 (tests/conftest.py restores float32)."""
    if torch is not None:
        torch.set_default_dtype(torch.float64)
    yield


def _collect():
    cases = []
    for path in sorted(pathlib.Path(__file__).parent.glob("cases_*.py")):
        module = importlib.import_module(f"tests.ops.{path.stem}")
        cases.extend(module.CASES)
    return cases


CASES = _collect()
PARAMS = [pytest.param(case, shapes, id=case_id)
          for case in CASES for shapes, case_id in zip(case.shapes, case.ids())]
GRAD_PARAMS = [p for p in PARAMS if p.values[0].grad]


def _tensors(arrays, dtype):
    return [ndgrad.tensor(np.asarray(a, dtype=dtype)) if np.asarray(a).dtype.kind == "f"
            else ndgrad.tensor(a) for a in arrays]


def _numpy(result):
    if isinstance(result, (tuple, list)):
        return [_numpy(r) for r in result]
    return result.numpy() if isinstance(result, ndgrad.Tensor) else np.asarray(result)


@pytest.mark.parametrize("case, shapes", PARAMS)
def test_forward_matches_numpy_in_float32(case, shapes, rng):
    arrays = [np.asarray(a, dtype=np.float32) if np.asarray(a).dtype.kind == "f" else a
              for a in case.inputs(rng, shapes)]
    result = case.op(*_tensors(arrays, np.float32))
    expected = case.reference(*arrays)
    got = _numpy(result)
    for g, e in zip(got if isinstance(got, list) else [got],
                    expected if isinstance(expected, (list, tuple)) else [expected]):
        e = np.asarray(e)
        assert g.shape == e.shape
        if e.dtype.kind == "f":
            assert g.dtype == np.float32, f"{case.name} promoted float32 to {g.dtype}"
        np.testing.assert_allclose(g, e, rtol=2e-5, atol=2e-6)


@pytest.mark.parametrize("case, shapes", GRAD_PARAMS)
def test_gradient_matches_finite_differences(case, shapes, rng):
    arrays = case.inputs(rng, shapes)
    assert ndgrad.gradcheck(case.op, _tensors(arrays, np.float64),
                            rtol=case.rtol, atol=case.atol)


SECOND = [p for p in GRAD_PARAMS if p.values[0].second_order
          and all(np.prod(s, dtype=int) > 0 for s in p.values[1])]


@pytest.mark.parametrize("case, shapes", SECOND)
def test_second_order_matches_finite_differences(case, shapes, rng):
    arrays = case.inputs(rng, shapes)
    assert ndgrad.gradcheck(case.op, _tensors(arrays, np.float64), rtol=case.rtol,
                            atol=case.atol, checks=1, second_order=True)


TORCH = [p for p in PARAMS if p.values[0].torch is not None]


@pytest.mark.skipif(torch is None, reason="PyTorch is not installed")
@pytest.mark.parametrize("case, shapes", TORCH)
def test_values_and_gradients_match_pytorch(case, shapes, rng):
    arrays = case.inputs(rng, shapes)
    inputs = _tensors(arrays, np.float64)
    for t in inputs:
        if t.dtype.kind == "f" and case.grad:
            t.requires_grad_(True)
    torch_inputs = [torch.tensor(np.asarray(a), requires_grad=case.grad and np.asarray(a).dtype.kind == "f")
                    for a in arrays]
    ours = case.op(*inputs)
    theirs = case.torch(*torch_inputs)
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-7, atol=1e-9)
    if not case.grad or ours.size == 0:
        return
    cotangent = rng.standard_normal(ours.shape)
    ours.backward(ndgrad.tensor(cotangent))
    theirs.backward(torch.tensor(cotangent))
    for t, tt in zip(inputs, torch_inputs):
        if tt.requires_grad:
            expected = tt.grad.numpy() if tt.grad is not None else np.zeros(tt.shape)
            got = t.grad.numpy() if t.grad is not None else np.zeros(t.shape)
            np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-8)
