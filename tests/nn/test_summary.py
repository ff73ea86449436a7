"""model.summary(): the table, and its gradient-norm column after a backward."""

import math
import re

import numpy as np
import pytest

import ndgrad
from ndgrad import layers, nn


def _cells(text, column):
    """``{layer name: cell}`` for one column of a summary table."""
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("Layer (type)"))
    start = header.index(column)
    cells = {}
    for line in lines:
        row = re.match(r"\s*(\w+) \(\w+\)", line)
        if row and row.group(1) != "Layer":
            cells[row.group(1)] = line[start:].split("  ")[0].strip()
    return cells


def _net():
    ndgrad.random.seed(0)
    return nn.Sequential(nn.Linear(3, 4, name="first"), nn.ReLU(name="act"),
                         nn.Linear(4, 2, name="last"))


def test_summary_without_gradients_has_no_gradient_column():
    text = _net().summary(print_fn=None)
    assert "Grad norm" not in text
    assert "first (Linear)" in text and "Total params: 26" in text
    assert _cells(text, "Trainable") == {"first": "Y", "act": "-", "last": "Y"}


def test_summary_prints_with_print_fn():
    printed = []
    text = _net().summary(print_fn=printed.append, gradients=True)
    assert printed == [text]


def test_gradient_norm_is_the_norm_of_all_parameter_gradients_of_the_layer():
    net = _net()
    loss = (net(ndgrad.randn(5, 3)) ** 2).mean()
    loss.backward()
    cells = _cells(net.summary(print_fn=None, gradients=True), "Grad norm")
    expected = math.sqrt(sum(float(np.sum(p.grad.numpy().astype(np.float64) ** 2))
                             for p in net[2].parameters()))
    assert cells["act"] == "-"
    assert float(cells["last"]) == pytest.approx(expected, rel=1e-3)
    assert float(cells["first"]) > 0


def test_before_any_backward_every_layer_reads_none_and_the_footer_says_why():
    text = _net().summary(print_fn=None, gradients=True)
    assert _cells(text, "Grad norm") == {"first": "none *", "act": "-", "last": "none *"}
    assert "no parameter has a gradient yet" in text and "loss.backward()" in text


def test_a_frozen_layer_reads_none_without_a_mark():
    net = _net()
    net[0].trainable = False
    net(ndgrad.randn(2, 3)).sum().backward()
    text = net.summary(print_fn=None, gradients=True)
    cells = _cells(text, "Grad norm")
    assert cells["first"] == "none"
    assert not cells["last"].endswith("*")
    assert "ndgrad.explain" not in text


def test_a_layer_with_a_trainable_parameter_without_gradient_is_marked():
    net = _net()
    net(ndgrad.randn(2, 3)).sum().backward()
    net[2].bias.grad = None
    text = net.summary(print_fn=None, gradients=True)
    cell = _cells(text, "Grad norm")["last"]
    assert cell.endswith(" *") and float(cell[:-2]) > 0
    assert "ndgrad.explain(loss, model) says why" in text


def test_nan_gradient_shows_as_nan():
    layer = nn.Linear(2, 1, name="lonely")
    (layer(ndgrad.tensor([[np.nan, 1.0]])).sum()).backward()
    assert _cells(layer.summary(print_fn=None, gradients=True), "Grad norm")["lonely"] == "nan"


def test_expand_nested_lists_inner_layers_with_their_own_norms():
    ndgrad.random.seed(1)
    inner = nn.Sequential(nn.Linear(4, 4, name="inner_a"), nn.Linear(4, 1, name="inner_b"),
                          name="block")
    net = nn.Sequential(nn.Linear(3, 4, name="outer"), inner)
    net(ndgrad.randn(3, 3)).sum().backward()
    flat = _cells(net.summary(print_fn=None, gradients=True), "Grad norm")
    nested = _cells(net.summary(print_fn=None, gradients=True, expand_nested=True), "Grad norm")
    assert set(flat) == {"outer", "block"}
    assert set(nested) == {"outer", "block", "inner_a", "inner_b"}
    parts = [float(nested["inner_a"]), float(nested["inner_b"])]
    assert float(nested["block"]) == pytest.approx(math.hypot(*parts), rel=1e-3)


def test_keras_model_summary_with_gradients():
    model = ndgrad.Sequential([layers.Dense(3, input_shape=(2,), name="hidden"),
                               layers.Dropout(0.5, name="drop"),
                               layers.Dense(1, name="out")])
    with ndgrad.GradientTape():
        loss = model(ndgrad.ones((4, 2))).sum()
    loss.backward()
    cells = _cells(model.summary(print_fn=None, gradients=True), "Grad norm")
    assert cells["drop"] == "-"
    assert float(cells["out"]) > 0


def test_line_length_sets_the_width_and_cuts_long_names():
    net = nn.Sequential(nn.Linear(2, 2, name="a_rather_long_layer_name_indeed"))
    text = net.summary(print_fn=None, line_length=52)
    rules = [line for line in text.splitlines() if set(line) <= {"=", "-"} and line]
    assert {len(rule) for rule in rules} == {52}
    assert "a_rather_long_layer_name_indeed" not in text and "..." in text
    with pytest.raises(ValueError, match="line_length=20"):
        net.summary(print_fn=None, line_length=20)


def test_an_unbuilt_model_shows_unbuilt_and_how_to_build_it():
    model = ndgrad.Sequential([layers.Dense(4), layers.ReLU(), layers.Dense(1)])
    text = model.summary(print_fn=None)
    cells = _cells(text, "Param #")
    dense, relu, out = (cells[name] for name in cells)
    assert (dense, relu, out) == ("0 (unbuilt)", "0", "0 (unbuilt)")
    assert "Unbuilt: 2 layers make weights on the first call" in text
    assert "model.build((None, *input_shape))" in text
    model.build((None, 3))
    text = model.summary(print_fn=None)
    assert "unbuilt" not in text.lower() and "Total params: 21" in text


def test_pytorch_face_models_name_rows_by_attribute_path():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(nn.Linear(3, 4), nn.ReLU())
            self.classifier = nn.Linear(4, 2)

        def forward(self, x):
            return self.classifier(self.features(x))

    text = Net().summary(print_fn=None, expand_nested=True)
    for label in ("features (Sequential)", "  features.0 (Linear)", "  features.1 (ReLU)",
                  "classifier (Linear)"):
        assert f"\n{label} " in text, text
    text = nn.Sequential(nn.Linear(3, 4), nn.ReLU()).summary(print_fn=None)
    assert "\n0 (Linear)" in text and "\n1 (ReLU)" in text
    keras = ndgrad.Sequential([layers.Dense(2, input_shape=(3,), name="hidden")])
    assert "\nhidden (Dense)" in keras.summary(print_fn=None)
