"""ndgrad._tensor_storage: one version counter per storage, views that know their base."""

import copy

import numpy as np
import pytest

import ndgrad
from ndgrad import _tensor_storage as storage
from ndgrad.autograd.primitive import primitive


def test_a_tensor_alone_has_no_counter_until_a_write_and_then_an_unshared_one():
    t = ndgrad.zeros(3)
    assert t._vc is None and t._version == 0
    t.add_(1.0)
    assert t._vc[0] == 1 and t._vc[2] is False and t._version == 1


@pytest.mark.parametrize("make", [lambda h: h[1:], lambda h: h.reshape(2, 2), lambda h: h.T,
                                  lambda h: h.detach(), lambda h: h.data,
                                  lambda h: h.view(ndgrad.int32), lambda h: copy.copy(h)],
                         ids=["slice", "reshape", "T", "detach", "data", "view_dtype", "copy"])
def test_views_and_aliases_hold_the_same_counter_and_mark_it_shared(make):
    h = ndgrad.arange(4.0)
    v = make(h)
    assert v._vc is h._vc and h._vc[2] is True
    with ndgrad.no_grad():
        v[0] = 7
    assert h._version == v._version == 1 and "setitem at" in h._vc[1]


def test_copies_keep_a_counter_of_their_own():
    h = ndgrad.arange(6.0).reshape(2, 3)
    copies = [h.T.reshape(6), h[[0, 1]], h[h > 2], h.diag(), h.clone(), h.flip(0) * 1]
    for c in copies:
        assert not np.shares_memory(c.numpy(), h.numpy())
        assert c._vc is None or c._vc is not h._vc
        c.zero_()
    assert h._version == 0 and h.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]


def test_a_view_of_a_view_points_to_the_root_base_with_the_steps_in_order():
    h = ndgrad.arange(12.0)
    v = h.reshape(3, 4)[1:].T[2]
    base, steps, _ = storage.view_of(v)
    assert base is h and [op.name for op, _, _ in steps] == ["reshape", "getitem",
                                                            "transpose", "getitem"]
    assert storage.replay_array(h.numpy(), steps).tolist() == v.tolist() == [6.0, 10.0]
    assert storage.replay(h, steps).tolist() == [6.0, 10.0]


def test_a_view_of_an_alias_has_the_alias_as_base_and_is_not_differentiable():
    x = ndgrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
    d = (x * 2).detach()
    v = d[1:]
    assert storage.view_of(v)[0] is d and not v.requires_grad


def test_replacing_the_data_of_a_base_orphans_its_views():
    h = ndgrad.arange(3.0)
    v = h[1:]
    h.data = ndgrad.zeros(3)
    assert storage.view_of(v) is None and v._vc is not h._vc
    v.add_(1.0)                                             # the old memory, alone
    assert h.tolist() == [0.0, 0.0, 0.0] and v.tolist() == [2.0, 3.0]


def test_the_fresh_array_check_matches_numpy_may_share_memory():
    base = np.arange(24.0).reshape(4, 6)
    checked = 0
    for src in (base, base[1:], base.T, base[::2, 1:]):
        for result in (src.reshape(-1), src.T, src[1:], np.einsum("ii->i", src[:2, :2]),
                       np.broadcast_to(src[0], (2,) + src[0].shape), src.copy()[1:]):
            owner = result.base
            if owner is None or owner is src or owner is src.base:
                continue
            assert storage._may_share(owner, result, src) == np.may_share_memory(result, src)
            checked += 1
    assert checked >= 4


def test_refresh_rederives_a_stale_view_only_while_recording():
    x = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    w = ndgrad.tensor([3.0], requires_grad=True)
    h = x * 1
    a = h[:1]
    node = a.grad_fn
    h[1:].mul_(w)                                           # a recorded write to the storage
    with ndgrad.no_grad():
        storage.refresh(a)
    assert a._node is node                                  # nothing to give outside recording
    storage.refresh(a)
    assert a._node is not node and a._view[2] == h._vc[3]
    assert a.grad_fn.inputs[0] is h                         # the written h


def test_a_view_made_before_its_base_required_grad_follows_a_recorded_write():
    c = ndgrad.zeros(3)
    first = c[:1]
    second = c[1:]
    w = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    second += w                                             # c joins the graph
    assert not first._rg and first.requires_grad            # re-derived when asked
    (c * c).sum().backward()
    assert w.grad.tolist() == [2.0, 4.0]


def test_detach_in_place_turns_a_view_into_an_alias():
    x = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1
    v = h[:1]
    v.detach_()
    assert storage.view_of(v) is None and v._vc is h._vc and not v.requires_grad


def test_a_view_op_must_declare_that_it_reads_nothing():
    with pytest.raises(ValueError, match="view op must declare reads=\\(\\)"):
        primitive(lambda x: x[:1], name="bad_view", view=True)


def test_deepcopy_of_a_view_is_a_leaf_of_its_own():
    h = ndgrad.arange(3.0)
    v = copy.deepcopy(h[1:])
    assert storage.view_of(v) is None and v._vc is None
    v.add_(1.0)
    assert h.tolist() == [0.0, 1.0, 2.0]


def test_a_write_elsewhere_in_a_shared_storage_does_not_count_against_a_saved_view():
    x = ndgrad.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    h = x * 1
    y = (h[:2] * h[:2]).sum()                  # multiply saved the view h[:2]
    with ndgrad.no_grad():
        h[2:] = 0.0                            # other memory
    y.backward()
    assert x.grad.tolist() == [2.0, 4.0, 0.0, 0.0]
    h = x * 1
    y = (h[::2] * h[::2]).sum()
    with ndgrad.no_grad():
        h[1::2] = 0.0                          # interleaved: NumPy's bounds check overlaps
    with pytest.raises(RuntimeError, match="modified in place"):
        y.backward()


def test_the_write_log_is_bounded_and_forgotten_writes_count_as_overlapping():
    h = ndgrad.zeros(4)
    v = h[:1]
    for _ in range(storage._LOGGED + 2):
        storage.note_write(h._vc, h._data[2:], "elsewhere")
    assert len(h._vc[4]) == storage._LOGGED
    assert storage.conflicting_write(h._vc, 2, v._data) is None
    assert storage.conflicting_write(h._vc, 0, v._data) is not None      # forgotten
    storage.note_write(h._vc, None, "anywhere")
    assert storage.conflicting_write(h._vc, h._version - 1, v._data) == "anywhere"


def test_a_rebased_or_replaced_tensor_always_conflicts():
    x = ndgrad.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1
    y = h * h
    h.add_(1.0)                                # rebased: a new array, a new counter
    with pytest.raises(RuntimeError, match="modified in place"):
        y.sum().backward()
