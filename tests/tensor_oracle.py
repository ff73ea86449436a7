"""Run one PyTorch-style expression on ndgrad tensors and on torch tensors, and
compare values and gradients (the Tensor method tests share it).

A case is an expression written once, ``lambda x, i: x.gather(1, i)``, that
works on either library's tensors, plus the NumPy inputs. Float inputs require
grad on both sides; every float output is multiplied by one random cotangent
and summed, and the gradients of the inputs must agree.
"""

from dataclasses import dataclass

import numpy as np

import ndgrad

try:
    import torch
except ImportError:   # torch is the oracle; the tests skip without it
    torch = None


@dataclass
class Case:
    name: str
    expression: object          # function of tensors, the same text for both libraries
    inputs: object              # function of a NumPy Generator -> list of arrays
    grad: bool = True           # float inputs require grad and gradients are compared
    rtol: float = 1e-7
    atol: float = 1e-9

    def __str__(self):
        return self.name


def flat(value):
    """Tensors, numbers and bools of a (nested) result, in order."""
    if isinstance(value, (tuple, list)) and not isinstance(value, (ndgrad.Size,)) and not (
            torch is not None and isinstance(value, torch.Size)):
        return [leaf for item in value for leaf in flat(item)]
    return [value]


def as_array(value):
    if isinstance(value, ndgrad.Tensor):
        return value.numpy()
    if torch is not None and isinstance(value, torch.Tensor):
        return value.detach().numpy()
    return value


def compare(ours, theirs, case):
    ours, theirs = flat(ours), flat(theirs)
    assert len(ours) == len(theirs), f"{case}: {len(ours)} results, PyTorch gives {len(theirs)}"
    for mine, expected in zip(ours, theirs):
        assert isinstance(mine, ndgrad.Tensor) == isinstance(expected, torch.Tensor), \
            f"{case}: {type(mine).__name__} where PyTorch gives {type(expected).__name__}"
        mine, expected = as_array(mine), as_array(expected)
        if isinstance(expected, np.ndarray):
            assert mine.shape == expected.shape, f"{case}: shape {mine.shape} != {expected.shape}"
            assert mine.dtype.kind == expected.dtype.kind, \
                f"{case}: {mine.dtype} vs {expected.dtype}"
            np.testing.assert_allclose(mine, expected, rtol=case.rtol, atol=case.atol,
                                       err_msg=str(case))
        else:
            assert mine == expected, f"{case}: {mine!r} != {expected!r}"


def run(case, rng):
    """Values and gradients of ``case`` in ndgrad and in PyTorch, compared."""
    arrays = case.inputs(rng)
    grads = [case.grad and np.asarray(a).dtype.kind == "f" for a in arrays]
    ours_in = [ndgrad.tensor(a, requires_grad=g) for a, g in zip(arrays, grads)]
    theirs_in = [torch.tensor(np.asarray(a), requires_grad=g) for a, g in zip(arrays, grads)]
    ours, theirs = case.expression(*ours_in), case.expression(*theirs_in)
    compare(ours, theirs, case)
    if not any(grads):
        return
    ours_out = [o for o in flat(ours) if isinstance(o, ndgrad.Tensor) and o.requires_grad]
    theirs_out = [t for t in flat(theirs) if isinstance(t, torch.Tensor) and t.requires_grad]
    assert len(ours_out) == len(theirs_out), f"{case}: differentiable outputs differ"
    if not ours_out:
        return
    cotangents = [rng.standard_normal(o.shape) for o in ours_out]
    sum((o * ndgrad.tensor(c)).sum() for o, c in zip(ours_out, cotangents)).backward()
    sum((t * torch.tensor(c)).sum() for t, c in zip(theirs_out, cotangents)).backward()
    for mine, expected, wanted in zip(ours_in, theirs_in, grads):
        if wanted:
            got = mine.grad.numpy() if mine.grad is not None else np.zeros(mine.shape)
            want = expected.grad.numpy() if expected.grad is not None else np.zeros(mine.shape)
            np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-8, err_msg=f"{case} grad")


def gradcheck(case, rng):
    """The float outputs of ``case`` checked against float64 finite differences."""
    arrays = case.inputs(rng)

    def function(*tensors):
        outs = [o for o in flat(case.expression(*tensors))
                if isinstance(o, ndgrad.Tensor) and o.dtype.kind == "f"]
        return outs[0] if len(outs) == 1 else tuple(outs)
    return ndgrad.gradcheck(function, [ndgrad.tensor(np.asarray(a)) for a in arrays])


def distinct(rng, *shape):
    """float64 values without ties (for max, sort, topk)."""
    size = int(np.prod(shape, dtype=np.int64))
    return (rng.permutation(size).reshape(shape) * 0.37 - size * 0.1).astype(np.float64)


def normal(rng, *shape):
    return rng.standard_normal(shape)


def positive(rng, *shape):
    return rng.uniform(0.5, 2.0, shape)


def indices(rng, high, *shape):
    return rng.integers(0, high, shape).astype(np.int64)
