"""ndgrad.draw_graph: the DOT text's nodes, edges and colours, the dashed cut
edges with their reason and line, the freed-graph note, and rendering with and
without Graphviz's ``dot``."""

import os
import re
import sys

import numpy as np
import pytest

import ndgrad
from ndgrad import nn
from ndgrad.diagnostics import draw
from ndgrad.diagnostics.draw import to_dot

from .source_lines import line_in

THIS_FILE = __file__
NODE = re.compile(r"^\s*(n\d+) \[(.*)\];$")
EDGE = re.compile(r"^\s*(n\d+) -> (n\d+)(?: \[(.*)\])?;$")
ATTRIBUTE = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|[^,\s]+)')


def line_of(text):
    """The line number of the first line of this file containing ``text``."""
    return line_in(THIS_FILE, text)


def unquote(value):
    if not value.startswith('"'):
        return value
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), value[1:-1])


def attributes(text):
    return {key: unquote(value) for key, value in ATTRIBUTE.findall(text or "")}


class Dot:
    """The DOT text parsed: ``nodes`` (id -> attributes), ``edges`` ((source,
    target, attributes) in order) and the graph's label."""

    def __init__(self, text):
        assert text.startswith("digraph ndgrad {") and text.rstrip().endswith("}")
        self.nodes, self.edges = {}, []
        for line in text.splitlines():
            if match := EDGE.match(line):
                self.edges.append((match[1], match[2], attributes(match[3])))
            elif match := NODE.match(line):
                self.nodes[match[1]] = attributes(match[2])
        self.label = attributes(re.search(r"graph \[(.*)\];", text)[1])["label"]

    def node(self, first_line):
        """The id of the one node whose label starts with ``first_line``."""
        found = [n for n, a in self.nodes.items() if a["label"].split("\n")[0] == first_line]
        assert len(found) == 1, (first_line, self.nodes)
        return found[0]

    def names(self):
        """The first line of each node's label, in node order."""
        return [a["label"].split("\n")[0] for a in self.nodes.values()]

    def edge(self, source, target):
        found = [a for s, t, a in self.edges if (s, t) == (source, target)]
        assert len(found) == 1, (source, target, self.edges)
        return found[0]


def test_nodes_edges_and_colours_of_each_kind_of_leaf():
    w = ndgrad.Variable(np.ones((2, 3), np.float32), name="w")
    frozen = ndgrad.Variable(np.ones(3, np.float32), trainable=False, name="frozen")
    scale = ndgrad.tensor(np.full((2, 3), 2.0, np.float32))
    offsets = np.zeros((2, 3), np.float32)
    loss = ((w * scale + frozen) - offsets).sum()
    dot = Dot(to_dot(loss, {"w": w, "frozen": frozen}))
    assert dot.nodes["n0"]["label"] == "sum\ntarget ()"
    assert dot.nodes["n0"]["fillcolor"] == "gold" and dot.nodes["n0"]["penwidth"] == "3"
    assert list(dot.nodes) == [f"n{k}" for k in range(8)]
    assert dot.names() == ["sum", "subtract", "add", "ndarray", "multiply", "frozen", "w", "tensor"]
    kinds = {"w": ("palegreen", "ellipse", "(2, 3)\ntrainable"),
             "frozen": ("lightgrey", "ellipse", "(3,)\nfrozen"),
             "tensor": ("white", "note", "(2, 3)\nconstant"),
             "ndarray": ("white", "note", "(2, 3)\nconstant")}
    for name, (colour, shape, rest) in kinds.items():
        node = dot.nodes[dot.node(name)]
        assert (node["fillcolor"], node["shape"]) == (colour, shape)
        assert node["label"] == f"{name}\n{rest}"
    assert [(s, t) for s, t, _ in dot.edges] == [
        ("n1", "n0"), ("n2", "n1"), ("n3", "n1"), ("n4", "n2"), ("n5", "n2"), ("n6", "n4"),
        ("n7", "n4")]
    assert dot.edge(dot.node("w"), dot.node("multiply")) == {}          # a gradient flows
    assert dot.edge(dot.node("frozen"), dot.node("add"))["color"] == "grey"   # none flows
    assert dot.edge(dot.node("ndarray"), dot.node("subtract"))["color"] == "grey"


def test_seed_002_detach_and_np_clip_draw_a_dashed_cut_with_its_line(tmp_path):
    conv1, conv2 = nn.Conv2d(1, 2, 3), nn.Conv2d(2, 2, 3)
    x = conv1(ndgrad.randn(1, 1, 8, 8))
    x_detached = x.detach().numpy()
    x_numpy_processed = np.clip(x_detached, -1, 1)
    x_processed = ndgrad.tensor(x_numpy_processed)
    loss = conv2(x_processed).mean()
    written = ndgrad.draw_graph(loss, tmp_path / "seed.dot", nn.Sequential(conv1, conv2))
    assert written == [str(tmp_path / "seed.dot")]
    dot = Dot(open(written[0], encoding="utf-8").read())
    conv = dot.node("conv")
    assert dot.nodes[dot.node("1.weight")]["fillcolor"] == "palegreen"
    assert dot.edge(dot.node("1.weight"), conv) == {}
    assert dot.nodes[dot.node("tensor")]["label"] == "tensor\n(1, 2, 6, 6)\nconstant"
    detach_line = line_of("x_detached = x.detach()")
    for name in ("0.weight", "0.bias"):
        node = dot.node(name)
        assert dot.nodes[node]["fillcolor"] == "pink"
        assert dot.nodes[node]["label"].endswith("\ncut off")
        edge = dot.edge(node, "n0")
        assert edge["style"] == "dashed" and edge["color"] == "red"
        assert edge["label"] == f"detach() at test_draw.py:{detach_line}"
        assert edge["tooltip"].startswith("the path to the target was cut: detach()")
    assert not any(target == dot.node("0.weight") for _, target, _ in dot.edges)


def test_frozen_layer_draws_frozen_leaves_read_by_the_graph():
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Conv2d(2, 2, 3))
    model[2].trainable = False
    dot = Dot(to_dot(model(ndgrad.randn(1, 1, 8, 8)).sum(), model))
    for name, colour in (("0.weight", "palegreen"), ("0.bias", "palegreen"),
                         ("2.weight", "lightgrey"), ("2.bias", "lightgrey")):
        assert dot.nodes[dot.node(name)]["fillcolor"] == colour
    frozen_conv = [t for s, t, _ in dot.edges if s == dot.node("2.weight")]
    assert [dot.nodes[t]["label"] for t in frozen_conv] == ["conv"]
    assert not any(a.get("style") == "dashed" for _, _, a in dot.edges)


@pytest.mark.parametrize("cut, expected", [
    ("no_grad", "no_grad block at test_draw.py:{line}"),
    ("numpy", ".numpy() at test_draw.py:{line}"),
    ("cast", "cast to int64 at test_draw.py:{line}"),
    ("argmax", "argmax (non-differentiable) at test_draw.py:{line}"),
])
def test_each_kind_of_cut_is_labelled_with_its_line(cut, expected):
    w = ndgrad.Variable([1.0, 3.0, 2.0], name="w")
    table = ndgrad.tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])
    if cut == "no_grad":
        with ndgrad.no_grad():  # cut: no_grad
            h = w * 2
        loss, line = (h * 3).sum(), line_of("# cut: no_grad")
    elif cut == "numpy":
        loss = ndgrad.tensor((w * 2).numpy()).sum()  # cut: numpy
        line = line_of("# cut: numpy")
    elif cut == "cast":
        loss = table[(w * 2).astype("int64")].sum()  # cut: cast
        line = line_of("# cut: cast")
    else:
        with ndgrad.debug():
            best = ndgrad.argmax(w * 2)
        loss, line = table[best] * 1.0, line_of("best = ndgrad.argmax(w * 2)")
    dot = Dot(to_dot(loss, [w]))
    assert dot.edge(dot.node("w"), "n0")["label"] == expected.format(line=line)


def test_variables_without_a_cut_are_not_drawn():
    w, unused = ndgrad.Variable([1.0], name="w"), ndgrad.Variable([2.0], name="unused")
    unused.assign([5.0])
    dot = Dot(to_dot((w * 2).sum(), [w, unused]))
    assert dot.names() == ["sum", "multiply", "w"]


def test_ops_carry_file_and_line_under_debug_only():
    w = ndgrad.Variable([1.0, 2.0], name="w")
    with ndgrad.debug():
        traced = (w * 2).sum()
    plain = (w * 2).sum()
    line = line_of("traced = (w * 2).sum()")
    traced_dot = Dot(to_dot(traced))
    assert traced_dot.nodes["n0"]["label"] == f"sum\ntest_draw.py:{line}\ntarget ()"
    assert traced_dot.nodes["n1"]["label"] == f"multiply\ntest_draw.py:{line}"
    assert Dot(to_dot(plain)).nodes["n1"]["label"] == "multiply"


def test_after_backward_the_note_says_to_draw_before_it():
    w, b = ndgrad.Variable([1.0, 2.0], name="w"), ndgrad.Variable([0.5], name="b")
    loss = (w * w).sum() + b.sum()
    loss.backward()
    dot = Dot(to_dot(loss, [w, b]))
    assert "call draw_graph before backward, or backward(retain_graph=True)" in dot.label
    assert dot.nodes["n0"]["label"] == "add\n(freed)\ntarget ()"
    assert sorted(dot.names()[1:]) == ["b", "w"]
    for name in ("w", "b"):
        assert dot.edge(dot.node(name), "n0")["style"] == "dotted"
    kept = (w * 3).sum()
    kept.backward(retain_graph=True)
    assert "freed" not in Dot(to_dot(kept)).label


def test_part_freed_by_an_earlier_backward_is_marked():
    w = ndgrad.Variable([1.0, 2.0], name="w")
    hidden = w * 2
    hidden.sum().backward()
    dot = Dot(to_dot((hidden * 3).sum()))
    assert [a["label"] for a in dot.nodes.values()] == ["sum\ntarget ()", "multiply",
                                                        "multiply\n(freed)"]
    assert [(s, t) for s, t, _ in dot.edges] == [("n1", "n0"), ("n2", "n1")]
    assert "part of the graph was freed by an earlier backward()" in dot.label


def test_targets_without_a_graph():
    w = ndgrad.Variable([1.0, 2.0], name="w")
    leaf = Dot(to_dot(w))
    assert list(leaf.nodes) == ["n0"] and leaf.nodes["n0"]["label"] == "target: w\n(2,)\ntrainable"
    assert leaf.nodes["n0"]["fillcolor"] == "gold"
    frozen = ndgrad.Variable([1.0], trainable=False, name="frozen")
    assert Dot(to_dot(frozen)).nodes["n0"]["label"] == "target: frozen\n(1,)\nfrozen"
    with ndgrad.no_grad():  # target under no_grad
        constant = (w * 2).sum()
    dot = Dot(to_dot(constant, [w]))
    assert "the target needs no gradient" in dot.label
    assert dot.edge(dot.node("w"), "n0")["label"] == \
        f"no_grad block at test_draw.py:{line_of('# target under no_grad')}"


def test_watched_tensors_are_khaki():
    x = ndgrad.tensor([1.0, 2.0])
    with ndgrad.GradientTape() as tape:
        tape.watch(x)
        y = (x * x).sum()
    dot = Dot(to_dot(y, {"x": x}))
    assert dot.nodes[dot.node("x")]["fillcolor"] == "khaki"


def test_labels_are_escaped_and_output_is_deterministic():
    name = 'say "hi"\\ C:\\tmp\nnext'
    w = ndgrad.Variable([1.0], name=name)
    text = to_dot((w * 2).sum())
    assert Dot(text).nodes["n2"]["label"] == f"{name}\n(1,)\ntrainable"
    assert '\nnext' not in text.split("n2 [", 1)[1].split("\n", 1)[0]
    twin = ndgrad.Variable([1.0], name=name)
    assert to_dot((twin * 2).sum()) == text


def test_svg_without_dot_writes_the_dot_file_and_says_how_to_render(tmp_path, monkeypatch):
    monkeypatch.setattr(draw.shutil, "which", lambda program: None)
    monkeypatch.setitem(sys.modules, "graphviz", None)        # the bindings: not installed
    w = ndgrad.Variable([1.0], name="w")
    target = tmp_path / "graph.svg"
    with pytest.warns(UserWarning, match="dot -Tsvg .*graph.dot -o .*graph.svg") as caught:
        written = ndgrad.draw_graph((w * 2).sum(), str(target))
    assert written == [str(tmp_path / "graph.dot")] and not target.exists()
    assert "apt install graphviz" in str(caught[0].message)
    assert Dot((tmp_path / "graph.dot").read_text()).node("w") == "n2"


@pytest.mark.skipif(os.name == "nt", reason="the stand-in for dot is a shell script")
def test_svg_and_png_with_dot_run_it_on_the_dot_file(tmp_path, monkeypatch):
    fake = tmp_path / "dot"
    fake.write_text('#!/bin/sh\necho "$@" > "$(dirname "$0")/arguments"\n'
                    'if [ "$1" = "-Tpng" ]; then echo "syntax error" >&2; exit 1; fi\n'
                    'cp "$2" "$4"\n')
    fake.chmod(0o755)
    monkeypatch.setattr(draw.shutil, "which", lambda program: str(fake))
    loss = (ndgrad.Variable([1.0]) * 2).sum()
    written = ndgrad.draw_graph(loss, tmp_path / "out.svg")
    assert written == [str(tmp_path / "out.dot"), str(tmp_path / "out.svg")]
    assert (tmp_path / "arguments").read_text().split() == [
        "-Tsvg", str(tmp_path / "out.dot"), "-o", str(tmp_path / "out.svg")]
    assert (tmp_path / "out.svg").read_text() == (tmp_path / "out.dot").read_text()
    with pytest.raises(RuntimeError, match=r"dot failed \(exit 1\): syntax error"):
        ndgrad.draw_graph(loss, tmp_path / "out.png")


def test_bad_input_is_refused_before_anything_is_written(tmp_path):
    loss = (ndgrad.Variable([1.0]) * 2).sum()
    with pytest.raises(TypeError, match="the target must be an ndgrad tensor.*ndarray"):
        ndgrad.draw_graph(np.ones(3), tmp_path / "graph.dot")
    with pytest.raises(ValueError, match=r"graph\.jpg.*must end in \.dot or \.gv"):
        ndgrad.draw_graph(loss, tmp_path / "graph.jpg")
    with pytest.raises(TypeError, match="path must be a file name"):
        ndgrad.draw_graph(loss, 3)
    with pytest.raises(TypeError, match="variables must be"):
        ndgrad.draw_graph(loss, tmp_path / "graph.dot", variables=5)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name == "nt", reason="the stand-in for dot is a shell script")
def test_a_name_without_suffix_writes_the_dot_source_and_an_svg(tmp_path, monkeypatch):
    fake = tmp_path / "dot"
    fake.write_text('#!/bin/sh\necho "$@" > "$(dirname "$0")/arguments"\ncp "$2" "$4"\n')
    fake.chmod(0o755)
    monkeypatch.setattr(draw.shutil, "which", lambda program: str(fake))
    loss = (ndgrad.Variable([1.0], name="w") * 2).sum()
    written = ndgrad.draw_graph(loss, str(tmp_path / "graph"))
    assert written == [str(tmp_path / "graph.dot"), str(tmp_path / "graph.svg")]
    assert (tmp_path / "arguments").read_text().split()[0] == "-Tsvg"
    monkeypatch.setattr(draw.shutil, "which", lambda program: None)
    monkeypatch.setitem(sys.modules, "graphviz", None)
    with pytest.warns(UserWarning, match="dot -Tsvg .*plain.dot -o .*plain.svg"):
        written = ndgrad.draw_graph(loss, tmp_path / "plain")
    assert written == [str(tmp_path / "plain.dot")]
    assert Dot((tmp_path / "plain.dot").read_text()).node("w") == "n2"
