"""ndgrad.explain: one test per reason a variable gets no gradient, built from
the seed scenarios, plus the report's shape and the loud-by-default warnings."""

import warnings

import numpy as np
import pytest

import ndgrad
from ndgrad import nn

from .source_lines import line_in

THIS_FILE = __file__


def line_of(text):
    """The line number of the first line of this file containing ``text``."""
    return line_in(THIS_FILE, text)


def test_rows_have_the_documented_keys_and_statuses():
    w = ndgrad.Variable([3.0, 4.0], name="w")
    z = ndgrad.Variable([1.0], name="z")
    report = ndgrad.explain((w * 2).sum() + (z * 0).sum(), [w, z])
    assert set(report.rows[0]) >= {"name", "shape", "trainable", "status", "reason", "where",
                                    "reaches", "norm"}
    assert report["w"]["status"] == "ok" and report["w"]["norm"] == pytest.approx(2 * 2 ** 0.5)
    assert report["z"]["status"] == "zero" and report["z"]["reaches"] is True
    text = str(report)
    assert "w" in text and "zero" in text and "norm" in text


def test_nan_and_inf_statuses():
    a = ndgrad.Variable([0.0], name="a")
    b = ndgrad.Variable([-1.0], name="b")
    with np.errstate(all="ignore"):
        loss = ndgrad.sqrt(a).sum() + ndgrad.sqrt(b).sum()
        report = ndgrad.explain(loss, [a, b])
    assert report["a"]["status"] == "inf"
    assert report["b"]["status"] == "nan"


def test_seed_001_non_trainable_variable_is_frozen_by_its_creation():
    non_trainable_var = ndgrad.Variable([1.0, 2.0], trainable=False, name="non_trainable")
    x = ndgrad.Variable([3.0, 4.0], name="x")
    loss = (x + non_trainable_var).sum()
    row = ndgrad.explain(loss, [x, non_trainable_var])["non_trainable"]
    assert row["status"] == "none" and row["trainable"] is False
    assert row["reason"] == "frozen: created with trainable=False"
    line = line_of('name="non_trainable")')
    assert row["where"].endswith(f"test_explain.py:{line}")


def test_seed_001_variable_used_only_for_an_intermediate_result():
    intermediate_var = ndgrad.Variable([0.0], name="intermediate")
    x = ndgrad.tensor([2.0])
    intermediate_var.assign(x * x)
    trainable_var = ndgrad.Variable([1.0], name="trainable")
    loss = trainable_var - 1.0
    report = ndgrad.explain(loss, [intermediate_var, trainable_var])
    assert report["trainable"]["status"] == "ok"
    row = report["intermediate"]
    assert row["status"] == "none" and row["reaches"] is False
    assert "assign()" in row["reason"] and "not used by the target" in row["reason"]
    assert row["where"].endswith(f":{line_of('intermediate_var.assign(x * x)')}")


def test_variable_not_used_at_all():
    used, unused = ndgrad.Variable([1.0], name="used"), ndgrad.Variable([1.0], name="unused")
    row = ndgrad.explain((used * 2).sum(), [used, unused])["unused"]
    assert row["reason"].startswith("not used by the target") and row["where"] is None


def test_seed_001_loss_computed_before_the_tape_still_differentiates():
    trainable_var = ndgrad.Variable([1.0], name="v")
    loss = trainable_var - 1.0
    assert ndgrad.explain(loss, [trainable_var])["v"]["status"] == "ok"
    with ndgrad.GradientTape() as tape:
        target = loss
    assert tape.gradient(target, [trainable_var])[0].tolist() == [1.0]


def test_constant_watched_after_the_target_was_computed():
    c = ndgrad.tensor([2.0])
    c.name = "c"
    loss = (c * c).sum()
    with ndgrad.GradientTape() as tape:
        tape.watch(c)
        row = ndgrad.explain(loss, [c])["c"]
    assert "computed before the tape watched it" in row["reason"]


def test_constant_never_watched():
    c = ndgrad.tensor([2.0])
    c.name = "c"
    w = ndgrad.Variable([1.0])
    row = ndgrad.explain((c * w).sum(), [c])["c"]
    assert row["reason"].startswith("a constant tensor, not a Variable")


def test_seed_002_detach_plus_np_clip_names_the_detach_line():
    conv1, conv2 = nn.Conv2d(1, 2, 3), nn.Conv2d(2, 2, 3)
    input_tensor = ndgrad.randn(1, 1, 8, 8)
    x = conv1(input_tensor)
    x_detached = x.detach().numpy()
    x_numpy_processed = np.clip(x_detached, -1, 1)
    x_processed = ndgrad.tensor(x_numpy_processed)
    x = conv2(x_processed)
    loss = x.mean()
    model = nn.Sequential(conv1, conv2)
    report = ndgrad.explain(loss, model)
    for name in ("0.weight", "0.bias"):
        assert report[name]["status"] == "none" and report[name]["reaches"] is False
        assert report[name]["reason"].startswith("the path to the target was cut: detach()")
        assert report[name]["where"].endswith(f":{line_of('x_detached = x.detach()')}")
    assert report["1.weight"]["status"] == "ok"
    loss.backward()                       # after backward the graph is freed: same answer
    assert ndgrad.explain(loss, model)["0.weight"]["where"] == report["0.weight"]["where"]


def test_conversion_to_numpy_is_a_cut():
    w = ndgrad.Variable([1.0, 2.0], name="w")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ndgrad.GradientBreakWarning)
        values = np.asarray(w * 2)
    loss = ndgrad.tensor(values).sum() * w.sum() * 0 + ndgrad.tensor(values).sum()
    row = ndgrad.explain(ndgrad.tensor(values).sum(), [w])["w"]
    assert "converted to a NumPy array" in row["reason"]
    assert row["where"].endswith(f":{line_of('values = np.asarray(w * 2)')}")
    assert loss is not None


def test_integer_cast_is_a_cut():
    w = ndgrad.Variable([1.5, 2.5], name="w")
    index = (w * 2).astype("int64")
    loss = ndgrad.tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])[index].sum()
    row = ndgrad.explain(loss, [w])["w"]
    assert "cast to int64" in row["reason"]
    assert row["where"].endswith(f":{line_of('index = (w * 2).astype')}")


def test_non_differentiable_op_is_located_under_debug():
    w = ndgrad.Variable([1.0, 3.0, 2.0], name="w")
    with ndgrad.debug():
        best = ndgrad.argmax(w * 2)
    loss = ndgrad.tensor([1.0, 2.0, 3.0])[best]
    row = ndgrad.explain(loss, [w])["w"]
    assert "non-differentiable op 'argmax'" in row["reason"]
    assert row["where"].endswith(f":{line_of('best = ndgrad.argmax(w * 2)')}")


def test_outside_debug_the_reason_says_how_to_locate_non_differentiable_ops():
    w = ndgrad.Variable([1.0, 3.0], name="w")
    best = ndgrad.argmax(w)
    row = ndgrad.explain(ndgrad.tensor([1.0, 2.0])[best], [w])["w"]
    assert "ndgrad.debug()" in row["reason"]


def test_no_grad_block_is_named_with_its_line():
    w = ndgrad.Variable([1.0, 2.0], name="w")
    with ndgrad.no_grad():
        h = w * 2
    row = ndgrad.explain((h * 3).sum(), [w])["w"]
    assert "no_grad" in row["reason"]
    assert row["where"].endswith(f":{line_of('with ndgrad.no_grad():')}")


def test_frozen_layer_names_the_layer_and_the_line():
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    model[0].trainable = False
    loss = model(ndgrad.randn(5, 3)).sum()
    report = ndgrad.explain(loss, model)
    row = report["0.weight"]
    assert row["status"] == "none" and row["trainable"] is False
    assert f"layer '{model[0].name}'" in row["reason"]
    assert row["where"].endswith(f":{line_of('model[0].trainable = False')}")
    assert report["2.weight"]["status"] == "ok"


def test_requires_grad_false_on_a_parameter_is_named():
    layer = nn.Linear(2, 1)
    layer.bias.requires_grad_(False)
    row = ndgrad.explain(layer(ndgrad.ones((1, 2))).sum(), layer)["bias"]
    assert row["reason"] == "frozen: requires_grad=False"


def test_parameter_kept_in_an_unregistered_container():
    class Holder:
        pass

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.dense = nn.Linear(2, 2)
            self.extra = Holder()
            self.extra.scale = nn.Parameter(np.ones(2, dtype=np.float32))

        def forward(self, x):
            return self.dense(x) * self.extra.scale

    model = Model()
    loss = model(ndgrad.ones((3, 2))).sum()
    row = ndgrad.explain(loss, model)["extra.scale (inside a Holder)"]
    assert row["status"] == "ok"                      # it gets a gradient ...
    assert "not registered with the model" in row["reason"]   # ... but no optimizer sees it
    assert all(p is not model.extra.scale for p in model.parameters())


def test_plain_array_that_looks_like_a_weight():
    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.dense = nn.Linear(3, 2)
            self.projection = np.ones((2, 2), dtype=np.float32)
            self.lookup = np.ones((7, 7), dtype=np.float32)    # never used

        def forward(self, x):
            return self.dense(x) @ self.projection

    model = Model()
    report = ndgrad.explain(model(ndgrad.ones((1, 3))).sum(), model)
    row = report["projection"]
    assert row["status"] == "none" and "not a parameter" in row["reason"]
    assert "the forward reads it" in row["reason"]
    with pytest.raises(KeyError):
        report["lookup"]


def test_optimizer_built_before_a_layer_was_added():
    model = ndgrad.Sequential([ndgrad.layers.Dense(4, input_shape=(3,))])
    model.build((None, 3))
    optimizer = ndgrad.optim.SGD(model.parameters(), lr=0.1)
    model.add(ndgrad.layers.Dense(1))
    loss = model(ndgrad.ones((2, 3))).sum()
    report = ndgrad.explain(loss, optimizer)
    unheld = [row for row in report.rows if row["reason"] and "not held by the optimizer" in
              row["reason"]]
    assert len(unheld) == 2 and all(row["status"] == "ok" for row in unheld)


def test_default_target_is_the_last_backward_and_default_variables_what_it_reaches():
    w = ndgrad.Variable([1.0], name="w")
    loss = (w * 5).sum()
    loss.backward()
    report = ndgrad.explain()
    assert [row["name"] for row in report.rows] == ["w"]
    assert report["w"]["norm"] == pytest.approx(5.0)


def test_explain_without_any_target_says_what_to_pass(monkeypatch):
    from ndgrad.autograd import graph
    monkeypatch.setattr(graph, "_last_backward", [None])
    with pytest.raises(ValueError, match="pass the loss"):
        ndgrad.explain()
    with pytest.raises(TypeError, match="must be an ndgrad tensor"):
        ndgrad.explain(np.ones(2))
    with pytest.raises(TypeError, match="variables must be"):
        ndgrad.explain(ndgrad.Variable([1.0]) * 2, variables=3)


def test_explain_keeps_the_graph_for_the_users_backward():
    w = ndgrad.Variable([2.0])
    loss = (w * w).sum()
    ndgrad.explain(loss, [w])
    assert w.grad is None                 # explain never writes .grad
    loss.backward()
    assert w.grad.tolist() == [4.0]


def test_optimizer_warning_carries_the_reason_and_line():
    w = ndgrad.Variable([1.0], name="w")
    b = ndgrad.Variable([1.0], name="b")
    optimizer = ndgrad.optim.SGD([w, b], lr=0.1)
    loss = (w * 2).sum() + (b.detach() * 2).sum()
    loss.backward()
    with pytest.warns(ndgrad.optim.MissingGradientWarning) as caught:
        optimizer.step()
    message = str(caught[0].message)
    assert "'b' got no gradient: the path to the target was cut: detach()" in message
    assert f":{line_of('(b.detach() * 2).sum()')}" in message


def test_tape_warning_says_why_for_each_source():
    w = ndgrad.Variable([1.0], name="w")
    with ndgrad.GradientTape() as tape:
        y = (w.detach() * 3).sum()
    with pytest.warns(RuntimeWarning, match="no source got a gradient") as caught:
        assert tape.gradient(y, [w]) == [None]
    message = str(caught[0].message)
    assert "'w': the path to the target was cut: detach()" in message
    assert f":{line_of('y = (w.detach() * 3).sum()')}" in message


def test_after_a_tape_freed_the_graph_the_returned_gradients_are_reported():
    w = ndgrad.Variable([3.0, 4.0], name="w")
    with ndgrad.GradientTape() as tape:
        loss = (w * w).sum()
    grads = tape.gradient(loss, [w])
    row = ndgrad.explain(loss, [w])["w"]
    assert row["status"] == "ok" and row["norm"] == pytest.approx(10.0)
    del grads                              # nothing kept alive: back to .grad (none)
    assert ndgrad.explain(loss, [w])["w"]["status"] == "none"
