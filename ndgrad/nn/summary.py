"""``model.summary()``: a Keras-like table of layers, output shapes, parameter
counts and trainability, with totals and bytes in the footer.

``gradients=True`` adds a ``Grad norm`` column, read after a backward: the
norm of all of a layer's parameter gradients together, ``-`` for a layer
without parameters, ``none`` when none of its parameters has a ``.grad``, and
a ``*`` where some trainable parameter of the layer has no gradient (the
footer says how to find out why). ``expand_nested=True`` lists the layers
inside nested models too; ``line_length`` sets the table's width, as in Keras.

A layer that creates its weights on its first call and has not been called
shows ``0 (unbuilt)`` parameters, and the footer says how to build the model,
as Keras does. A model written in the PyTorch vocabulary (an ``nn.Module``
subclass with ``forward``, or ``nn.Sequential(a, b)``) names its rows by
attribute path (``features``, ``features.0``), as ``named_modules`` does,
unless the layer was given a ``name=``; a Keras-face model by layer name.

Example:
    >>> import ndgrad
    >>> model = ndgrad.Sequential([ndgrad.layers.Dense(4, input_shape=(3,), name="hidden")])
    >>> text = model.summary(print_fn=None)
    >>> "hidden (Dense)" in text and "Total params: 16" in text
    True
"""

import math

from .._backend import xp

_MISSING_MARK = " *"


def _human_bytes(count):
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.2f} {unit}" if unit != "B" else f"{count} B"
        count /= 1024


def _shape_text(shape):
    if shape is None:
        return "?"
    return str((None,) + tuple(shape[1:])) if len(shape) else "()"


def _trainable_text(module):
    parameters = module.parameters()
    if not parameters:
        return "-"
    flags = {p.trainable for p in parameters}
    return "Y" if flags == {True} else "N" if flags == {False} else "partly"


def gradient_norm_text(module):
    """The ``Grad norm`` cell of ``module``: the norm of all its parameters'
    ``.grad`` together; ``-`` without parameters, ``none`` without any
    gradient, followed by `` *`` when some trainable parameter has no gradient.

    Example:
        >>> from ndgrad.nn.summary import gradient_norm_text
        >>> import ndgrad
        >>> layer = ndgrad.nn.Linear(2, 1)
        >>> gradient_norm_text(layer)
        'none *'
        >>> layer(ndgrad.tensor([[3.0, 4.0]])).sum().backward()
        >>> gradient_norm_text(layer)       # sqrt(3² + 4² + 1²)
        '5.099'
        >>> gradient_norm_text(ndgrad.nn.ReLU())
        '-'
    """
    parameters = module.parameters()
    if not parameters:
        return "-"
    grads = [p.grad for p in parameters if p.grad is not None]
    missing = any(p.trainable and p.grad is None for p in parameters)
    if grads:
        # Accumulate the squares in float64: a float32 sum of squares overflows
        # for gradients near 1e19, long before any single element does.
        squares = sum(float(xp.sum(xp.square(xp.asarray(g._data), dtype=xp.float64)))
                      for g in grads)
        text = f"{math.sqrt(squares):.4g}"
    else:
        text = "none"
    return text + (_MISSING_MARK if missing else "")


def _pytorch_face(model):
    """Whether ``model`` is written in the PyTorch vocabulary: a subclass (outside
    ndgrad) defining ``forward``, or ``nn.Sequential(a, b, ...)``."""
    if getattr(model, "_pytorch_face", False):
        return True
    cls = type(model)
    return not cls.__module__.startswith("ndgrad.") and any(
        "forward" in vars(klass) for klass in cls.__mro__
        if not klass.__module__.startswith("ndgrad."))


def _unbuilt(module):
    """A layer that makes its weights on the first call (it has a ``build``, or
    holds such layers) and has not been called."""
    if getattr(module, "built", True) is not False or module.parameters():
        return False
    from .module import Module
    if type(module).build is not Module.build:
        return True
    return any(_unbuilt(child) for _, child in module.named_children())


def _rows(model, expand_nested):
    """``(depth, path, module)`` for every row: the direct children (the model
    itself when it has none), and with ``expand_nested`` their children too."""
    children = list(model.named_children())
    if not children:
        return [(0, "", model)]
    rows = []
    stack = [(0, name, child) for name, child in reversed(children)]
    while stack:
        depth, path, module = stack.pop()
        rows.append((depth, path, module))
        if expand_nested:
            stack.extend((depth + 1, f"{path}.{name}", child)
                         for name, child in reversed(list(module.named_children())))
    return rows


def _fit(text, width):
    """``text`` cut to ``width`` characters (with ``...``), for ``line_length``."""
    return text if len(text) <= width else text[:max(width - 3, 0)] + "..."


def _column_widths(table, line_length):
    widths = [max(len(row[i]) for row in table) + 2 for i in range(len(table[0]))]
    widths[0] = max(widths[0], 28)
    if line_length is not None:
        rest = sum(widths[1:])
        if line_length < rest + 10:
            raise ValueError(f"summary: line_length={line_length} leaves the layer column fewer "
                             f"than 10 characters; the other columns take {rest}, so pass at "
                             f"least {rest + 10}")
        widths[0] = line_length - rest
    return widths


def _footer(model, gradient_cells, unbuilt=0):
    trainable = sum(int(p.size) for p in model.trainable_variables)
    trainable_bytes = sum(int(p.nbytes) for p in model.trainable_variables)
    others = model.non_trainable_variables
    frozen = sum(int(p.size) for p in others)
    frozen_bytes = sum(int(p.nbytes) for p in others)
    total_bytes = _human_bytes(trainable_bytes + frozen_bytes)
    lines = [f"Total params: {trainable + frozen:,} ({total_bytes})",
             f"Trainable params: {trainable:,} ({_human_bytes(trainable_bytes)})",
             f"Non-trainable params: {frozen:,} ({_human_bytes(frozen_bytes)})"]
    if unbuilt:
        lines += [f"Unbuilt: {unbuilt} layer{'s' if unbuilt > 1 else ''} make{'' if unbuilt > 1 else 's'} "
                  "weights on the first call; the counts are not final.",
                  "Build the model first: model.build((None, *input_shape)), call it on a "
                  "batch, or give the first layer input_shape=."]
    if gradient_cells is not None:
        parameters = model.parameters()
        if parameters and not any(p.grad is not None for p in parameters):
            lines.append("Grad norm: no parameter has a gradient yet; call summary(gradients=True) "
                         "after loss.backward() (GradientTape.gradient returns gradients "
                         "without storing them in .grad)")
        elif any(cell.endswith(_MISSING_MARK) for cell in gradient_cells):
            lines.append("*: some trainable parameters of the layer have no gradient; "
                         "ndgrad.explain(loss, model) says why")
    return lines


def summary(model, print_fn=print, gradients=False, *, expand_nested=False, line_length=None):
    """Print (with ``print_fn``) and return the summary table of ``model``.

    Args:
        model: a Module; its direct children are the rows (the model itself
            when it has none).
        print_fn: called with the text; None only returns it.
        gradients: add a ``Grad norm`` column (call it after a backward):
            the norm of all the layer's parameter gradients together, ``-``
            for a layer without parameters, ``none`` when none has a
            gradient, and ``*`` where some trainable parameter has none.
        expand_nested: also list the layers inside nested models, indented.
        line_length: the table's total width (Keras); long layer names are
            cut to fit. Default: as wide as the longest row.

    Example:
        >>> import ndgrad
        >>> "Trainable params: 8" in ndgrad.nn.Linear(3, 2).summary(print_fn=None)
        True
        >>> net = ndgrad.nn.Sequential(ndgrad.nn.Linear(2, 2), ndgrad.nn.ReLU(),
        ...                            ndgrad.nn.Linear(2, 1))
        >>> net[0].trainable = False
        >>> net(ndgrad.ones(4, 2)).sum().backward()
        >>> text = net.summary(print_fn=None, gradients=True)
        >>> rows = [line for line in text.splitlines() if "(Linear)" in line or "(ReLU)" in line]
        >>> [row.split()[-1] for row in rows][:2]
        ['none', '-']
    """
    header = ["Layer (type)", "Output Shape", "Param #", "Trainable"]
    if gradients:
        header.append("Grad norm")
    table = [header]
    gradient_cells = [] if gradients else None
    by_path = _pytorch_face(model)
    unbuilt = 0
    for depth, path, module in _rows(model, expand_nested):
        named = getattr(module, "_named_by_user", False)
        label = path if by_path and path and not named else module.name
        count = f"{module.count_params():,}"
        if _unbuilt(module):
            unbuilt += 1
            count = "0 (unbuilt)"
        row = ["  " * depth + f"{label} ({type(module).__name__})",
               _shape_text(module._output_shape), count, _trainable_text(module)]
        if gradients:
            gradient_cells.append(gradient_norm_text(module))
            row.append(gradient_cells[-1])
        table.append(row)
    widths = _column_widths(table, line_length)
    width = sum(widths)
    lines = [f'Model: "{model.name}"', "=" * width]
    for index, row in enumerate(table):
        cells = [_fit(row[0], widths[0] - 1)] + row[1:]
        lines.append("".join(cell.ljust(w) for cell, w in zip(cells, widths)).rstrip())
        lines.append("=" * width if index in (0, len(table) - 1) else "-" * width)
    lines += _footer(model, gradient_cells, unbuilt) + ["=" * width]
    text = "\n".join(lines)
    if print_fn is not None:
        print_fn(text)
    return text
