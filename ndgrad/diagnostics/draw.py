"""``ndgrad.draw_graph``: a picture of a target's graph and of where gradients stop.

The graph is written in Graphviz's DOT language, from the target back to its
leaves, with data flowing down the page (leaves at the top, the target at the
bottom):

- ops are light blue boxes, with the user's ``file:line`` when the forward ran
  under ``ndgrad.debug()``; the target is gold with a red border;
- leaves are shaped and coloured by kind: trainable variables green, watched
  tensors khaki, frozen variables grey, constants (tensors and arrays the ops
  read that need no gradient) white notes; each shows its name and shape;
- a variable the target does not reach because the path was cut (``detach``,
  conversion to NumPy, an integer cast, a non-differentiable op, a ``no_grad``
  block) is pink, with a dashed red edge to the target labelled with the cut and
  its line, e.g. ``detach() at train.py:12``.

Edges from frozen variables and constants are grey: no gradient flows back
along them. ``backward`` frees the graph; drawn after it, the picture holds
only the target and the leaves it reached (dotted edges), and its label says
to call ``draw_graph`` before ``backward`` or with ``retain_graph=True``.

Node ids (``n0`` the target, then ``n1``, ``n2``, ... in breadth-first order of
the walk) and the order of lines are deterministic, so tests can read them.

Example:
    >>> from ndgrad.diagnostics.draw import to_dot
    >>> import ndgrad
    >>> w = ndgrad.Variable([1.0, 2.0], name="w")
    >>> text = to_dot((w * w).sum())
    >>> "n1 -> n0" in text and 'label="w\\\\n(2,)\\\\ntrainable"' in text
    True
"""

import os
import shutil
import subprocess
import warnings

from ..autograd import breaks
from ..autograd.graph import Node
from ..tensor import Tensor
from ..variable import Variable
from .collect import collect_variables
from .reasons import graph_facts, why_no_gradient

COLOURS = {"op": "lightblue", "target": "gold", "trainable": "palegreen", "watched": "khaki",
           "frozen": "lightgrey", "constant": "white", "cut": "pink"}
SHAPES = {"op": "box", "trainable": "ellipse", "watched": "ellipse", "frozen": "ellipse",
          "constant": "note", "cut": "ellipse"}
DOT_SUFFIXES = (".dot", ".gv")
RENDERED_SUFFIXES = (".svg", ".png", ".pdf")
# A name without a suffix ("graph") writes graph.dot and graph.svg, as graphviz's and
# torchviz's render("graph") write the source and a rendering beside it. SVG: it opens
# in any browser and notebook, scales, and is text.
DEFAULT_RENDERED = ".svg"
FREED_NOTE = ("the graph was freed by backward(): only the target and the leaves it reached "
              "are shown; call draw_graph before backward, or backward(retain_graph=True)")
PART_FREED_NOTE = ("part of the graph was freed by an earlier backward(): its inputs are "
                   "unknown; call draw_graph before that backward, or use retain_graph=True")
LEGEND = ("green: trainable, khaki: watched, grey: frozen, white: constant, pink: cut off "
          "(dashed: where its gradient stopped)")


def quote(text):
    """``text`` as a double-quoted DOT string (backslashes, quotes and newlines escaped).

    Example:
        >>> from ndgrad.diagnostics.draw import quote
        >>> print(quote('say "hi"\\nC:\\\\tmp'))
        "say \\"hi\\"\\nC:\\\\tmp"
    """
    text = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\r", "")
    return '"' + text.replace("\n", "\\n") + '"'


def _site(where):
    """``(file, line)`` or ``"file:line"`` as ``basename:line``."""
    if where is None:
        return None
    if isinstance(where, tuple):
        return f"{os.path.basename(where[0])}:{where[1]}"
    path, _, line = where.rpartition(":")
    return f"{os.path.basename(path)}:{line}" if path else where


def _shape(value):
    return str(tuple(getattr(value, "shape", ())))


def _attributes(pairs):
    return ", ".join(f"{key}={value}" for key, value in pairs)


class _DotWriter:
    """Gathers numbered nodes and edges while walking one target's graph."""

    def __init__(self, names):
        self.names = names          # id(value) -> the name the caller knows it by
        self.ids = {}               # id(node or leaf) -> "n<k>"
        self.keep = []              # what the ids point at stays alive while drawing
        self.lines = []
        self.notes = []

    def add_node(self, key, kind, label, highlight=False, tooltip=None):
        node_id = f"n{len(self.ids)}"
        self.ids[id(key)] = node_id
        self.keep.append(key)
        style = "rounded,filled" if kind == "op" else "filled"
        pairs = [("label", quote(label)), ("shape", SHAPES[kind]), ("style", quote(style)),
                 ("fillcolor", COLOURS["target" if highlight else kind])]
        if highlight:
            pairs += [("color", "red"), ("penwidth", "3")]
        if tooltip:
            pairs.append(("tooltip", quote(tooltip)))
        self.lines.append(f"  {node_id} [{_attributes(pairs)}];")
        return node_id

    def add_edge(self, source, target, **attributes):
        pairs = [(key, quote(value)) for key, value in attributes.items()]
        suffix = f" [{_attributes(pairs)}]" if pairs else ""
        self.lines.append(f"  {source} -> {target}{suffix};")

    def leaf(self, value, kind, highlight=False, tooltip=None):
        """The id of a leaf's node, drawn on first sight."""
        if id(value) in self.ids:
            return self.ids[id(value)]
        label = f"{self._name(value)}\n{_shape(value)}\n{'cut off' if kind == 'cut' else kind}"
        if highlight:
            label = f"target: {label}"
        return self.add_node(value, kind, label, highlight, tooltip)

    def _name(self, value):
        name = self.names.get(id(value)) or getattr(value, "name", None)
        if name:
            return name
        if isinstance(value, Variable):
            return "Variable"
        return "tensor" if isinstance(value, Tensor) else type(value).__name__

    def op(self, node, target=None):
        """The id of an op node, drawn on first sight; the second value says
        whether it was new (so the walk must visit it)."""
        if id(node) in self.ids:
            return self.ids[id(node)], False
        label = node.op.name
        if node.where is not None:
            label += f"\n{_site(node.where)}"
        if node.released:
            label += "\n(freed)"
        if target is not None:
            label += f"\ntarget {_shape(target)}"
        return self.add_node(node, "op", label, highlight=target is not None), True

    def text(self, title):
        label = "\n".join([title, *dict.fromkeys(self.notes), LEGEND])
        head = ["digraph ndgrad {",
                f'  graph [label={quote(label)}, labelloc=t, fontname="Helvetica", fontsize=12];',
                '  node [fontname="Helvetica", fontsize=11];',
                '  edge [fontname="Helvetica", fontsize=10];']
        return "\n".join(head + self.lines + ["}", ""])


def _leaf_kind(value, has_edge):
    if has_edge:
        return "trainable" if value._trainable else "watched"
    return "frozen" if isinstance(value, Variable) else "constant"


def _walk(writer, root, target):
    """Draw ``root``'s graph breadth first, consumers before their inputs."""
    writer.op(root, target)
    queue = [root]
    for node in queue:
        if node.released:
            writer.notes.append(PART_FREED_NOTE)
            continue
        consumer = writer.ids[id(node)]
        for edge, value in zip(node.edges, node.inputs or ()):
            if type(edge) is Node:
                source, new = writer.op(edge)
                if new:
                    queue.append(edge)
                writer.add_edge(source, consumer)
            elif edge is not None:
                writer.add_edge(writer.leaf(edge, _leaf_kind(edge, True)), consumer)
            elif isinstance(value, Tensor) or (hasattr(value, "dtype") and hasattr(value, "shape")):
                # frozen variables and constants carry no gradient: their edge is grey
                writer.add_edge(writer.leaf(value, _leaf_kind(value, False)), consumer,
                                color="grey")


def _draw_freed(writer, root, target):
    writer.notes.append(FREED_NOTE)
    target_id, _ = writer.op(root, target)
    for leaf in root.reached or ():
        writer.add_edge(writer.leaf(leaf, _leaf_kind(leaf, True)), target_id,
                        style="dotted", label="reaches")


def _cut_label(variable, reason, where):
    """``"detach() at train.py:12"`` when ``reason`` is a cut with a line, else None."""
    if where is None:
        return None
    if reason.startswith("the path to the target was cut"):
        cuts = breaks.breaks_reaching(variable)
        kind = cuts[0].kind if cuts else reason.split(": ", 1)[-1]
        short = {"detach": "detach()",
                 "converted to a NumPy array with .numpy()": ".numpy()",
                 "converted to a NumPy array": "conversion to a NumPy array"}.get(kind, kind)
        if short.startswith("non-differentiable op "):
            short = short[len("non-differentiable op "):].strip("'") + " (non-differentiable)"
        return f"{short} at {_site(where)}"
    if reason.startswith("used only inside a no_grad block"):
        return f"no_grad block at {_site(where)}"
    return None


def _draw_cuts(writer, facts, entries, target_id):
    for entry in entries:
        value = entry.value
        if not isinstance(value, Tensor) or value._node is not None or not value._rg:
            continue
        if facts.reaches(value) is not False or id(value) in writer.ids:
            continue
        reason, where = why_no_gradient(value, facts)
        label = _cut_label(value, reason, where)
        if label is not None:
            source = writer.leaf(value, "cut", tooltip=f"{reason} ({where})")
            writer.add_edge(source, target_id, style="dashed", color="red", fontcolor="red",
                            label=label, tooltip=f"{reason} ({where})")


def to_dot(target, variables=None):
    """The DOT text :func:`draw_graph` writes for ``target`` (see the module docstring).

    Example:
        >>> from ndgrad.diagnostics.draw import to_dot
        >>> import ndgrad
        >>> w = ndgrad.Variable([1.0], name="w")
        >>> frozen = ndgrad.Variable([2.0], trainable=False, name="frozen")
        >>> text = to_dot((w * frozen).sum())
        >>> "fillcolor=lightgrey" in text and "n3 -> n1 [color=" in text
        True
    """
    if not isinstance(target, Tensor):
        raise TypeError(f"draw_graph: the target must be an ndgrad tensor (the loss), got "
                        f"{type(target).__name__}")
    facts = graph_facts(target)
    try:
        entries = collect_variables(variables, facts) if variables is not None else []
    except TypeError as error:
        raise TypeError(str(error).replace("explain:", "draw_graph:", 1)) from None
    names = {}
    for entry in entries:
        names.setdefault(id(entry.value), entry.name)
    writer = _DotWriter(names)
    root = target._node
    if root is None:
        writer.leaf(target, _leaf_kind(target, target._rg), highlight=True)
        if not target._rg:
            writer.notes.append("the target needs no gradient: it was computed under no_grad, "
                                "or from frozen variables and constants only")
        title = f"ndgrad graph of a leaf of shape {_shape(target)}"
    else:
        (_draw_freed if root.released else _walk)(writer, root, target)
        title = f"ndgrad graph of '{root.name}', shape {_shape(target)}"
    _draw_cuts(writer, facts, entries, "n0")
    return writer.text(title)


def _render(dot_path, out_path, fmt):
    """Render ``dot_path`` into ``out_path``; False when no Graphviz program is found."""
    program = shutil.which("dot")
    if program is not None:
        done = subprocess.run([program, f"-T{fmt}", dot_path, "-o", out_path],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"draw_graph: Graphviz's dot failed (exit {done.returncode}): "
                               f"{done.stderr.strip()}; the DOT file is {dot_path}")
        return True
    try:
        import graphviz
    except ImportError:
        return False
    try:
        graphviz.render("dot", fmt, dot_path, outfile=out_path)
    except graphviz.ExecutableNotFound:
        return False
    return True


def draw_graph(target, path, variables=None):
    """Write ``target``'s graph back to its leaves as DOT, and render it when asked.

    Args:
        target: the tensor to draw (a loss).
        path: where to write. ``.dot`` (or ``.gv``) writes DOT text; ``.svg``,
            ``.png`` or ``.pdf`` also writes the ``.dot`` file beside it and
            renders it with Graphviz's ``dot`` program (or the ``graphviz``
            package, ``pip install ndgrad[graph]``). A name without a suffix
            (``"graph"``) means ``"graph.svg"``: the ``.dot`` source and an SVG
            beside it, as graphviz's ``render("graph")`` writes source and
            rendering. Without Graphviz only the ``.dot`` file is written, and
            a warning says how to render it.
        variables: as for :func:`ndgrad.explain` (a list or dict of tensors, a
            Module or an optimizer): names the leaves, and draws each variable
            the target does not reach because of a recorded cut, with a dashed
            edge labelled with the cut and its line. Call it before
            ``backward`` (or with ``retain_graph=True``): backward frees the graph.

    Returns:
        the list of paths written (the ``.dot`` file first).

    Example:
        >>> import ndgrad, os, tempfile
        >>> w = ndgrad.Variable([1.0, 2.0], name="w")
        >>> folder = tempfile.mkdtemp()
        >>> written = ndgrad.draw_graph((w * 3).sum(), os.path.join(folder, "loss.dot"))
        >>> [os.path.basename(p) for p in written]
        ['loss.dot']
        >>> open(written[0]).read().startswith("digraph ndgrad {")
        True
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"draw_graph: path must be a file name (str or os.PathLike), got "
                        f"{type(path).__name__}")
    path = os.fspath(path)
    stem, suffix = os.path.splitext(path)
    suffix = suffix.lower()
    if not suffix and not path.endswith((os.sep, "/")) and os.path.basename(path):
        suffix = DEFAULT_RENDERED
        path = stem + suffix
    if suffix not in DOT_SUFFIXES + RENDERED_SUFFIXES:
        raise ValueError(f"draw_graph: cannot write {path!r}: the name must end in .dot or .gv "
                         f"(DOT text), or .svg, .png or .pdf (rendered with Graphviz), or have "
                         f"no suffix (.dot and .svg)")
    text = to_dot(target, variables)
    dot_path = path if suffix in DOT_SUFFIXES else stem + ".dot"
    with open(dot_path, "w", encoding="utf-8") as handle:
        handle.write(text)
    if suffix in DOT_SUFFIXES:
        return [dot_path]
    fmt = suffix[1:]
    if _render(dot_path, path, fmt):
        return [dot_path, path]
    warnings.warn(
        f"draw_graph: Graphviz's `dot` program was not found, so only the DOT file was "
        f"written: {dot_path}. Install Graphviz (apt install graphviz, brew install graphviz "
        f"or conda install graphviz; `pip install graphviz` adds only the Python bindings) "
        f"and render it with: dot -T{fmt} {dot_path} -o {path}", UserWarning, stacklevel=2)
    return [dot_path]
