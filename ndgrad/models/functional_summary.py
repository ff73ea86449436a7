"""``summary()`` of a functional model: one row per operation, InputLayers included,
with Keras's ``Connected to`` column.

Each entry of ``Connected to`` is ``layer[node][tensor]``: the ``tensor``-th
output of the ``node``-th call of ``layer`` in this model, one line per input
of each call (a shared layer lists the inputs of all its calls). The other
columns and the footer are those of :func:`ndgrad.nn.summary.summary`:
output shape (``None`` for unknown dimensions), parameter count, trainable,
and the ``Grad norm`` column with ``gradients=True``.

Example:
    >>> import ndgrad
    >>> a, b = ndgrad.Input((3,), name="a"), ndgrad.Input((3,), name="b")
    >>> model = ndgrad.Model([a, b], ndgrad.layers.Dense(1, name="out")(
    ...     ndgrad.layers.concatenate([a, b], name="joined")))
    >>> text = model.summary(print_fn=None)
    >>> print(text.splitlines()[2])
    Layer (type)                  Output Shape  Param #  Connected to  Trainable
    >>> lines = text.splitlines(); row = next(i for i, l in enumerate(lines) if "joined" in l)
    >>> print(lines[row]); print(lines[row + 1])
    joined (Concatenate)          (None, 6)     0        a[0][0]       -
                                                         b[0][0]
"""

from ..nn.summary import _column_widths, _fit, _footer, _shape_text, _trainable_text
from ..nn.summary import gradient_norm_text
from .functional_config import _histories

__all__ = ["functional_summary"]


def _output_text(nodes):
    if not nodes or not nodes[0].output_tensors:
        return ["?"]
    shapes = [str(tensor.shape) for tensor in nodes[0].output_tensors]
    return shapes if len(shapes) > 1 else shapes


def _connections(graph, operation, histories):
    lines = []
    for node in graph.nodes_of(operation):
        for tensor in node.input_tensors:
            name, node_index, tensor_index = histories.get(id(tensor), ("?", 0, 0))
            lines.append(f"{name}[{node_index}][{tensor_index}]")
    return lines or ["-"]


def _nested_rows(module, depth, gradients):
    rows = []
    for _, child in module.named_children():
        row = [["  " * depth + f"{child.name} ({type(child).__name__})"],
               [_shape_text(child._output_shape)], [f"{child.count_params():,}"], [""],
               [_trainable_text(child)]]
        if gradients:
            row.append([gradient_norm_text(child)])
        rows.append(row)
        rows += _nested_rows(child, depth + 1, gradients)
    return rows


def functional_summary(model, print_fn=print, gradients=False, *, expand_nested=False,
                       line_length=None):
    """Print (with ``print_fn``) and return the summary of a functional model.

    Args: as :func:`ndgrad.nn.summary.summary`.

    Example:
        >>> from ndgrad.models.functional_summary import functional_summary
        >>> import ndgrad
        >>> x = ndgrad.Input((2,), name="x")
        >>> model = ndgrad.Model(x, ndgrad.layers.Dense(4, name="hidden")(x), name="net")
        >>> text = functional_summary(model, print_fn=None)
        >>> text.splitlines()[0], "x[0][0]" in text, "Total params: 12" in text
        ('Model: "net"', True, True)
    """
    graph = model._graph
    histories = _histories(graph)
    header = ["Layer (type)", "Output Shape", "Param #", "Connected to", "Trainable"]
    if gradients:
        header.append("Grad norm")
    rows, gradient_cells = [], [] if gradients else None
    for operation in graph.operations:
        row = [[f"{operation.name} ({type(operation).__name__})"],
               _output_text(graph.nodes_of(operation)), [f"{operation.count_params():,}"],
               _connections(graph, operation, histories), [_trainable_text(operation)]]
        if gradients:
            gradient_cells.append(gradient_norm_text(operation))
            row.append([gradient_cells[-1]])
        rows.append(row)
        if expand_nested:
            rows += _nested_rows(operation, 1, gradients)
    widest = [[max(cell, key=len) for cell in row] for row in rows]
    widths = _column_widths([header] + widest, line_length)
    width = sum(widths)
    lines = [f'Model: "{model.name}"', "=" * width,
             "".join(cell.ljust(w) for cell, w in zip(header, widths)).rstrip(), "=" * width]
    for index, row in enumerate(rows):
        for line in range(max(len(cell) for cell in row)):
            cells = [cell[line] if line < len(cell) else "" for cell in row]
            cells[0] = _fit(cells[0], widths[0] - 1)
            lines.append("".join(cell.ljust(w) for cell, w in zip(cells, widths)).rstrip())
        lines.append("=" * width if index == len(rows) - 1 else "-" * width)
    lines += _footer(model, gradient_cells) + ["=" * width]
    text = "\n".join(lines)
    if print_fn is not None:
        print_fn(text)
    return text
