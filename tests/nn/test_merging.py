"""Merge layers: forward against PyTorch, gradients against finite differences,
symbolic shapes, configs and the errors."""

import json

import numpy as np
import pytest

import ndgrad
from ndgrad import layers as L
from ndgrad.nn.serialization import deserialize_object, serialize_object

torch = pytest.importorskip("torch")


def _inputs(rng, shapes):
    return [rng.standard_normal(shape).astype(np.float32) for shape in shapes]


def _torch_dot(a, b, axes, normalize):
    if normalize:
        a = torch.nn.functional.normalize(a, dim=axes[0])
        b = torch.nn.functional.normalize(b, dim=axes[1])
    rest_a = [d for d in range(1, a.dim()) if d != axes[0]]
    rest_b = [d for d in range(1, b.dim()) if d != axes[1]]
    letters = "bcdefghij"
    sub_a = ["a"] + [letters[i] for i in range(len(rest_a))]
    sub_b = ["a"] + [letters[len(rest_a) + i] for i in range(len(rest_b))]
    sub_a.insert(axes[0], "z")
    sub_b.insert(axes[1], "z")
    out = "a" + "".join(letters[:len(rest_a) + len(rest_b)])
    result = torch.einsum(f"{''.join(sub_a)},{''.join(sub_b)}->{out}", a, b)
    return result.reshape(-1, 1) if result.dim() == 1 else result


CASES = [
    ("Add", lambda: L.Add(), [(3, 4), (3, 4), (3, 4)], lambda t: t[0] + t[1] + t[2]),
    ("Add-broadcast", lambda: L.Add(), [(3, 4), (3, 1)], lambda t: t[0] + t[1]),
    ("Subtract", lambda: L.Subtract(), [(3, 4), (3, 4)], lambda t: t[0] - t[1]),
    ("Multiply", lambda: L.Multiply(), [(2, 3, 4), (2, 3, 4)], lambda t: t[0] * t[1]),
    ("Average", lambda: L.Average(), [(3, 4)] * 3, lambda t: (t[0] + t[1] + t[2]) / 3),
    ("Maximum", lambda: L.Maximum(), [(3, 4)] * 2, lambda t: torch.maximum(t[0], t[1])),
    ("Minimum", lambda: L.Minimum(), [(3, 4)] * 3,
     lambda t: torch.minimum(torch.minimum(t[0], t[1]), t[2])),
    ("Concatenate", lambda: L.Concatenate(), [(2, 3), (2, 5)], lambda t: torch.cat(t, -1)),
    ("Concatenate-axis1", lambda: L.Concatenate(axis=1), [(2, 3, 4), (2, 1, 4)],
     lambda t: torch.cat(t, 1)),
    ("Dot-2d", lambda: L.Dot(axes=1), [(4, 5), (4, 5)],
     lambda t: _torch_dot(t[0], t[1], (1, 1), False)),
    ("Dot-3d", lambda: L.Dot(axes=(2, 2)), [(2, 3, 4), (2, 5, 4)],
     lambda t: _torch_dot(t[0], t[1], (2, 2), False)),
    ("Dot-mixed-axes", lambda: L.Dot(axes=(1, 2)), [(2, 4, 3), (2, 5, 4)],
     lambda t: _torch_dot(t[0], t[1], (1, 2), False)),
    ("Dot-normalize", lambda: L.Dot(axes=-1, normalize=True), [(4, 6), (4, 6)],
     lambda t: _torch_dot(t[0], t[1], (1, 1), True)),
]


@pytest.mark.parametrize("name, make, shapes, reference", CASES, ids=[c[0] for c in CASES])
def test_forward_matches_torch(name, make, shapes, reference, rng):
    arrays = _inputs(rng, shapes)
    ours = make()([ndgrad.tensor(a) for a in arrays]).numpy()
    theirs = reference([torch.tensor(a) for a in arrays]).numpy()
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name, make, shapes, reference", CASES, ids=[c[0] for c in CASES])
def test_gradients_match_finite_differences(name, make, shapes, reference, rng):
    layer = make()
    arrays = [a.astype(np.float64) for a in _inputs(rng, shapes)]
    assert ndgrad.gradcheck(lambda *tensors: layer(list(tensors)), arrays)


@pytest.mark.parametrize("name, make, shapes, reference", CASES, ids=[c[0] for c in CASES])
def test_symbolic_shapes_and_config(name, make, shapes, reference, rng):
    layer = make()
    symbolic = layer([ndgrad.Input(shape[1:]) for shape in shapes])
    eager = layer([ndgrad.tensor(a) for a in _inputs(rng, shapes)])
    assert symbolic.shape == (None,) + eager.shape[1:]
    clone = deserialize_object(json.loads(json.dumps(serialize_object(layer))))
    assert type(clone) is type(layer) and clone.get_config() == layer.get_config()


def test_functional_forms(rng):
    a, b = (ndgrad.tensor(x) for x in _inputs(rng, [(2, 3), (2, 3)]))
    assert L.add([a, b]).tolist() == L.Add()([a, b]).tolist()
    assert L.subtract([a, b]).tolist() == (a - b).tolist()
    assert L.multiply([a, b]).tolist() == (a * b).tolist()
    assert np.allclose(L.average([a, b]).numpy(), ((a + b) / 2).numpy())
    assert L.maximum([a, b]).tolist() == np.maximum(a.numpy(), b.numpy()).tolist()
    assert L.minimum([a, b]).tolist() == np.minimum(a.numpy(), b.numpy()).tolist()
    assert L.concatenate([a, b], axis=0).shape == (4, 3)
    assert L.dot([a, b], axes=1).shape == (2, 1)
    assert L.add([a, b], name="named").__class__ is ndgrad.Tensor


def test_errors_name_the_layer_and_shapes():
    a, b = ndgrad.ones((2, 3)), ndgrad.ones((2, 4))
    with pytest.raises(ndgrad.ShapeError, match="Add: .*broadcast.*\\(2, 3\\).*\\(2, 4\\)"):
        L.Add()([a, b])
    with pytest.raises(ndgrad.ShapeError, match="Concatenate"):
        L.Concatenate(axis=0)([a, b])
    with pytest.raises(ValueError, match="Subtract: expects 2 inputs; got 3"):
        L.Subtract()([a, a, a])
    with pytest.raises(TypeError, match="list of tensors"):
        L.Add()(a)
    with pytest.raises(ndgrad.ShapeError, match="Dot"):
        L.Dot(axes=1)([a, b])
    with pytest.raises(ValueError, match="pair"):
        L.Dot(axes=(1, 2, 3))
