"""Adversarial: writes through views and aliases (issue 12, items 1-3).

Two tables here (the third, in-place ops through views recorded on the base's
graph, is test_views_write_through.py):

- every view kind x every write kind x who is saved and who is written: the
  backward refuses, naming the op and the write's line, and no gradient reaches
  any leaf;
- refusals (a trainable leaf or a view of one, a view made under no_grad, an
  expanded view, a result that does not fit, a read-only NumPy view of a tensor
  that requires grad): the error, and nothing changed.
"""

import warnings

import numpy as np
import pytest

import ndgrad

torch = pytest.importorskip("torch")

# ----------------------------------------------------------------------------- views
# Each makes a view (or an alias) of a (3, 4) tensor.
VIEWS = {
    "slice": lambda h: h[0:2],
    "int": lambda h: h[1],
    "step": lambda h: h[::2, 1:],
    "none_ellipsis": lambda h: h[None, ..., 1:3],
    "reshape": lambda h: h.reshape(12),
    "view": lambda h: h.view(2, 6),
    "view_as": lambda h: h.view_as(ndgrad.zeros((6, 2))),
    "ravel": lambda h: h.ravel(),
    "flatten": lambda h: h.flatten(),
    "np.ravel": lambda h: np.ravel(h),
    "np.reshape": lambda h: np.reshape(h, (4, 3)),
    "T": lambda h: h.T,
    "mT": lambda h: h.mT,
    "transpose": lambda h: h.transpose(0, 1),
    "swapaxes": lambda h: h.swapaxes(0, 1),
    "permute": lambda h: h.permute(1, 0),
    "movedim": lambda h: h.movedim(0, 1),
    "np.transpose": lambda h: np.transpose(h),
    "expand_dims": lambda h: ndgrad.expand_dims(h, 0),
    "unsqueeze": lambda h: h.unsqueeze(1),
    "squeeze": lambda h: h.unsqueeze(0).squeeze(0),
    "unflatten": lambda h: h.unflatten(1, (2, 2)),
    "narrow": lambda h: h.narrow(1, 1, 2),
    "select": lambda h: h.select(1, 2),
    "unbind": lambda h: h.unbind(0)[1],
    "split": lambda h: h.split(1, dim=0)[2],
    "chunk": lambda h: h.chunk(2, dim=1)[1],
    "diagonal": lambda h: h.diagonal(),
    "np.diagonal": lambda h: np.diagonal(h, 1),
    "np.flip": lambda h: np.flip(h, 0),
    "detach": lambda h: h.detach(),
    "data": lambda h: h.data,
    "detach_then_slice": lambda h: h.detach()[0:2],
    "slice_then_detach": lambda h: h[0:2].detach(),
    "chained": lambda h: h[0:2].T[1],
    "chained_reshape": lambda h: h.reshape(2, 6)[:, ::3].T,
}


def _no_grad(write):
    with ndgrad.no_grad():
        write()


# ----------------------------------------------------------------------------- writes
# Each writes into t on one line: the line the error must name. None of them is
# refused: under no_grad, or through .data / .detach() (cut on purpose).
WRITES = {
    "setitem": lambda t: _no_grad(lambda: t.__setitem__(0, 10.0)),
    "setitem_all": lambda t: _no_grad(lambda: t.__setitem__(Ellipsis, 2.0)),
    "+=": lambda t: _no_grad(lambda: t.__iadd__(1.0)),
    "*=": lambda t: _no_grad(lambda: t.__imul__(3.0)),
    "add_": lambda t: _no_grad(lambda: t.add_(1.0)),
    "mul_": lambda t: _no_grad(lambda: t.mul_(2.0)),
    "zero_": lambda t: _no_grad(lambda: t.zero_()),
    "fill_": lambda t: _no_grad(lambda: t.fill_(4.0)),
    "copy_": lambda t: _no_grad(lambda: t.copy_(ndgrad.ones(t.shape))),
    "clamp_": lambda t: _no_grad(lambda: t.clamp_(0.5, 0.6)),
    "exp_": lambda t: _no_grad(lambda: t.exp_()),
    "numpy out=": lambda t: (lambda d: np.multiply(d, 2.0, out=d))(t.detach()),
    "data.add_": lambda t: t.data.add_(1.0),
    "detach.zero_": lambda t: t.detach().zero_(),
    "detach setitem": lambda t: t.detach().__setitem__(0, 5.0),
}


def _line(function):
    return function.__code__.co_firstlineno


BASES = ["result", "trainable_leaf", "constant"]


def _base(kind):
    x = ndgrad.tensor(np.arange(1.0, 13.0).reshape(3, 4) / 7, requires_grad=True)
    if kind == "result":
        return x, x * 2
    if kind == "trainable_leaf":
        return x, x
    return x, ndgrad.tensor(np.arange(1.0, 13.0).reshape(3, 4) / 5)


def _saving(t):
    """A loss whose graph saved ``t`` (multiply saves it for r's gradient)."""
    r = ndgrad.ones(t.shape, requires_grad=True)
    return (t * r).sum(), r


def _elements(view):
    """Which elements of the (3, 4) base the view holds (row-major positions)."""
    return set(VIEWS[view](ndgrad.tensor(np.arange(12.0).reshape(3, 4))).numpy().ravel()
               .astype(int).tolist())


@pytest.mark.parametrize("view", sorted(VIEWS))
@pytest.mark.parametrize("saved, written", [("view", "view"), ("view", "base"),
                                            ("base", "view")])
def test_a_write_to_any_view_of_a_saved_tensor_is_caught_naming_the_line(saved, written, view):
    for write, writer in WRITES.items():
        # Every write covers what was saved, except row 0 of the base against a view
        # of other rows: that memory is untouched, so backward is right and runs.
        overlaps = not (saved == "view" and written == "base"
                        and write in ("setitem", "detach setitem")
                        and not _elements(view) & {0, 1, 2, 3})
        for base_kind in BASES:
            x, h = _base(base_kind)
            v = VIEWS[view](h)
            loss, r = _saving(v if saved == "view" else h)
            expected = v.numpy().copy()
            writer(v if written == "view" else h)
            if not overlaps:
                loss.backward()
                assert np.allclose(r.grad.numpy(), expected), (write, base_kind)
                continue
            with pytest.raises(RuntimeError, match=rf"modified in place.*by .* at "
                                                   rf".*test_views\.py:{_line(writer)}\b"):
                loss.backward()
            assert x.grad is None and r.grad is None, (write, base_kind, "a gradient got out")


def test_the_issue_example_raises_instead_of_a_silently_wrong_gradient():
    x = ndgrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
    h = x * 2
    v = h[0:2]
    y = (v * v).sum()
    with ndgrad.no_grad():
        h[0] = 10                                               # the write
    with pytest.raises(RuntimeError, match=r"input \d of 'multiply' was modified in place "
                                           r"after the op used it \(by setitem at "
                                           r".*test_views\.py:\d+"):
        y.backward()
    assert x.grad is None


def test_a_write_that_the_rule_does_not_read_stays_legal_as_in_pytorch():
    x = ndgrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
    h = x * 2
    y = (h[0:2] + 1).sum()                                      # add reads no values
    with ndgrad.no_grad():
        h.T[0] = 7.0
    y.backward()
    assert x.grad.tolist() == [2.0, 2.0, 0.0]


def test_views_share_the_memory_and_the_version_counter():
    h = ndgrad.arange(12.0).reshape(3, 4) * 1
    for name, make in VIEWS.items():
        v = make(h)
        assert np.shares_memory(v.numpy(), h.numpy()), name
        before = h._version
        with ndgrad.no_grad():
            v.mul_(1.0)
        assert h._version == v._version == before + 1, name


# ----------------------------------------------------------------------------- refusals
def _state(*tensors):
    return [(t.numpy().copy(), t._version) for t in tensors]


def _same(state, tensors):
    return all(np.array_equal(a, t.numpy()) and version == t._version
               for (a, version), t in zip(state, tensors))


LEAF_WRITES = {
    "add_": lambda t, lib: t.add_(1.0),
    "+=": lambda t, lib: t.__iadd__(1.0),
    "setitem": lambda t, lib: t.__setitem__(0, 3.0),
    "view add_": lambda t, lib: t[0:1].add_(1.0),
    "view setitem": lambda t, lib: t[0:2].__setitem__(0, 3.0),
    ".T mul_": lambda t, lib: t.T.mul_(2.0),
    "reshape zero_": lambda t, lib: t.reshape(-1).zero_(),
    "chained copy_": lambda t, lib: t[1:][0].copy_(lib.zeros(())),
}


@pytest.mark.parametrize("write", sorted(LEAF_WRITES))
def test_a_trainable_leaf_or_a_view_of_it_refuses_in_place_while_recording(write):
    w = ndgrad.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    state = _state(w)
    with pytest.raises(RuntimeError, match=r"in-place .* (trainable leaf|view of a trainable "
                                           r"leaf) while recording.*no_grad"):
        LEAF_WRITES[write](w, ndgrad)
    assert _same(state, [w]) and w.is_leaf and w.requires_grad
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        LEAF_WRITES[write](torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True), torch)
    with ndgrad.no_grad():                                     # allowed there, as in PyTorch
        LEAF_WRITES[write](w, ndgrad)
    assert not _same(state, [w]) and w.is_leaf


def test_a_view_made_under_no_grad_refuses_a_recorded_write_as_pytorch():
    x = ndgrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
    h = x * 2
    with ndgrad.no_grad():
        v = h[0:2]
    state = _state(h, v)
    for write in (lambda: v.add_(1.0), lambda: v.mul_(x[:2]), lambda: v.__setitem__(0, 1.0)):
        with pytest.raises(RuntimeError, match="view made under no_grad.*both inside the "
                                               "no_grad block.*or both outside"):
            write()
        assert _same(state, [h, v])
    ht = torch.tensor([1.0, 2.0, 3.0], requires_grad=True) * 2
    with torch.no_grad():
        vt = ht[0:2]
    with pytest.raises(RuntimeError, match="view was created in no_grad mode"):
        vt.add_(1.0)


@pytest.mark.parametrize("recording", [True, False])
@pytest.mark.parametrize("write", ["add_", "+=", "setitem", "fill_", "numpy out="])
def test_an_expanded_view_refuses_writes_as_pytorch(recording, write):
    x = ndgrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
    h = x * 2
    e = h.expand(2, 3)
    state = _state(h)
    act = {"add_": lambda: e.add_(1.0), "+=": lambda: e.__iadd__(1.0),
           "setitem": lambda: e.__setitem__(0, 1.0), "fill_": lambda: e.fill_(0.0),
           "numpy out=": lambda: (lambda d: np.add(d, 1.0, out=d))(e.detach())}[write]
    with ndgrad.set_grad_enabled(recording):
        with pytest.raises(ValueError, match=r"memory is read-only.*expand.*clone"):
            act()
    assert _same(state, [h])
    with pytest.raises(RuntimeError, match="single memory location"):
        (torch.tensor([1.0, 2.0, 3.0], requires_grad=True) * 2).expand(2, 3).add_(1.0)


@pytest.mark.parametrize("recording", [True, False])
def test_a_result_that_does_not_fit_the_view_changes_nothing(recording):
    x = ndgrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
    w = ndgrad.ones((2, 2), requires_grad=True)
    h = x * 2
    v = h[0:2]
    state, node = _state(h, v), h.grad_fn
    with ndgrad.set_grad_enabled(recording):
        with pytest.raises(ValueError, match=r"in-place add_: the result has shape \(2, 2\).*"
                                             r"\(2,\)"):
            v.add_(w)
    assert _same(state, [h, v]) and h.grad_fn is node


# ----------------------------------------------------------------------------- NumPy views
CONVERSIONS = {
    ".numpy()": lambda t: t.numpy(),
    "np.asarray": lambda t: np.asarray(t),
    "np.array(copy=False)": lambda t: np.array(t, copy=False),
    "__array__": lambda t: t.__array__(),
}
REQUIRING_GRAD = {
    "trainable leaf": lambda: ndgrad.tensor([1.0, 2.0], requires_grad=True),
    "parameter": lambda: ndgrad.nn.Parameter([1.0, 2.0]),
    "variable": lambda: ndgrad.Variable([1.0, 2.0]),
    "result": lambda: ndgrad.tensor([0.5, 1.0], requires_grad=True) * 2,
    "view of a leaf": lambda: ndgrad.tensor([1.0, 2.0, 3.0], requires_grad=True)[:2],
}


@pytest.mark.parametrize("kind", sorted(REQUIRING_GRAD))
@pytest.mark.parametrize("conversion", sorted(CONVERSIONS))
def test_numpy_of_a_tensor_that_requires_grad_is_a_read_only_view(conversion, kind):
    t = REQUIRING_GRAD[kind]()
    loss = (t * t).sum()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ndgrad.GradientBreakWarning)   # the cut is reported
        array = CONVERSIONS[conversion](t)
    assert np.shares_memory(array, t._data) and not array.flags.writeable
    with pytest.raises(ValueError, match="assignment destination is read-only"):
        array[0] = 5.0
    with pytest.raises(ValueError, match="read-only"):
        array += 1
    assert t.tolist() == [1.0, 2.0]
    loss.backward()                                   # the issue's [10, 4]: now [2, 4]
    leaf = t if t.is_leaf else None
    if leaf is not None:
        assert leaf.grad.tolist() == [2.0, 4.0]


@pytest.mark.parametrize("conversion", sorted(CONVERSIONS))
def test_numpy_of_a_tensor_without_grad_stays_writable_and_shared(conversion):
    t = ndgrad.tensor([1.0, 2.0])
    array = CONVERSIONS[conversion](t)
    assert np.shares_memory(array, t._data) and array.flags.writeable
    array[0] = 5.0
    assert t.tolist() == [5.0, 2.0]
    d = ndgrad.tensor([1.0, 2.0], requires_grad=True).detach().numpy()   # seed 002's way
    d[0] = 3.0
    assert d.flags.writeable
