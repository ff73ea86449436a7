"""``model.summary()``: a Keras-like table of layers, output shapes, parameter
counts and trainability, with totals and bytes in the footer.

Example:
    >>> import ndgrad
    >>> model = ndgrad.Sequential([ndgrad.layers.Dense(4, input_shape=(3,), name="hidden")])
    >>> text = model.summary(print_fn=None)
    >>> "hidden (Dense)" in text and "Total params: 16" in text
    True
"""


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


def _rows(model):
    children = list(model.named_children())
    if not children:
        return [(model.name, model)]
    return [(child.name, child) for _, child in children]


def summary(model, print_fn=print):
    """Print (with ``print_fn``) and return the summary table of ``model``.

    Args:
        model: a Module; its direct children are the rows (the model itself
            when it has none).
        print_fn: called with the text; None only returns it.

    Example:
        >>> import ndgrad
        >>> "Trainable params: 8" in ndgrad.nn.Linear(3, 2).summary(print_fn=None)
        True
    """
    header = ("Layer (type)", "Output Shape", "Param #", "Trainable")
    rows = []
    for name, module in _rows(model):
        count = module.count_params()
        rows.append((f"{name} ({type(module).__name__})", _shape_text(module._output_shape),
                     f"{count:,}", _trainable_text(module)))
    widths = [max(len(str(r[i])) for r in rows + [header]) + 2 for i in range(4)]
    widths[0] = max(widths[0], 28)
    rule = "-" * sum(widths)
    lines = [f'Model: "{model.name}"', "=" * sum(widths),
             "".join(h.ljust(w) for h, w in zip(header, widths)), "=" * sum(widths)]
    for row in rows:
        lines.append("".join(str(cell).ljust(w) for cell, w in zip(row, widths)))
        lines.append(rule)
    trainable = sum(int(p.size) for p in model.trainable_variables)
    trainable_bytes = sum(int(p.nbytes) for p in model.trainable_variables)
    others = model.non_trainable_variables
    frozen = sum(int(p.size) for p in others)
    frozen_bytes = sum(int(p.nbytes) for p in others)
    lines[-1] = "=" * sum(widths)
    total_bytes = _human_bytes(trainable_bytes + frozen_bytes)
    lines += [f"Total params: {trainable + frozen:,} ({total_bytes})",
              f"Trainable params: {trainable:,} ({_human_bytes(trainable_bytes)})",
              f"Non-trainable params: {frozen:,} ({_human_bytes(frozen_bytes)})",
              "=" * sum(widths)]
    text = "\n".join(lines)
    if print_fn is not None:
        print_fn(text)
    return text
