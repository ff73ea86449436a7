"""``torch.onnx``: ``torch.onnx.export`` over :func:`ndgrad.onnx.export`, with PyTorch's argument names.

The model is traced once in inference mode through ndgrad's recorded ops and
written as ONNX (opset 17 by default), parameters named as in its
``state_dict``; ``dynamic_axes`` may make the batch axis dynamic. Needs the
optional extra ``onnx``. Arguments that ask for something ndgrad does not do
(``export_params=False``, training-mode export, ``dynamic_shapes``...) are
refused before anything is written; the ones that only tune PyTorch's own
exporter are accepted and documented on :func:`export`.

Example:
    >>> import io
    >>> import ndgrad.torch as torch
    >>> import ndgrad.torch.onnx
    >>> buffer = io.BytesIO()
    >>> torch.onnx.export(torch.nn.Linear(2, 1), (torch.ones(1, 2),), buffer,
    ...                   input_names=["x"], output_names=["y"])
    >>> buffer.getvalue()[:2] != b""
    True
    >>> torch.onnx.is_in_onnx_export()
    False
"""

from ._unsupported import unsupported

__all__ = ["export", "is_in_onnx_export"]

_EXPORTING = [False]


class TrainingMode:
    """PyTorch's ``torch.onnx.TrainingMode``: ndgrad exports ``EVAL`` (inference) only.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.onnx.TrainingMode.EVAL
        'EVAL'
    """
    EVAL = "EVAL"
    PRESERVE = "PRESERVE"
    TRAINING = "TRAINING"


def _refuse(argument, value, why):
    raise ValueError(f"torch.onnx.export: {argument}={value!r} is not supported: {why}")


def export(model, args=(), f=None, *, kwargs=None, export_params=True, verbose=None,
           input_names=None, output_names=None, opset_version=None, dynamic_axes=None,
           keep_initializers_as_inputs=False, dynamo=False, external_data=True,
           dynamic_shapes=None, training=TrainingMode.EVAL, do_constant_folding=True,
           optimize=True, **other):
    """Export ``model`` to ONNX at ``f``, as ``torch.onnx.export`` (returns None).

    ``args`` is a tensor or a tuple of tensors (the inputs of ``forward``). ``f`` a
    path or a binary file object. ``input_names``, ``output_names``,
    ``dynamic_axes`` (``{name: {0: "batch"}}``; only axis 0 can be dynamic yet)
    and ``opset_version`` (17, the default, to 21) mean what they mean in PyTorch.

    Accepted with their documented meaning: ``export_params=True`` (the weights are
    always in the file; False is refused), ``do_constant_folding`` (either value:
    the trace records only the ops that depend on the inputs or the parameters,
    so anything else is already a constant), ``dynamo``, ``optimize`` and
    ``external_data`` (ndgrad has one exporter, writes one self-contained file,
    and leaves graph optimization to the runtime), ``verbose`` (True prints the
    graph), ``training=TrainingMode.EVAL`` and ``keep_initializers_as_inputs=False``.
    Anything else (``kwargs``, ``dynamic_shapes``, training-mode export, custom
    opsets...) is refused before anything is written.

    Example:
        >>> import io
        >>> import ndgrad.torch as torch
        >>> model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Softmax(dim=1))
        >>> torch.onnx.export(model, torch.randn(2, 4), io.BytesIO(), opset_version=17,
        ...                   dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
        >>> try:
        ...     torch.onnx.export(model, torch.randn(2, 4), io.BytesIO(), export_params=False)
        ... except ValueError as error:
        ...     print(str(error)[:46])
        torch.onnx.export: export_params=False is not
    """
    if other:
        name = sorted(other)[0]
        _refuse(name, other[name], "ndgrad's exporter has no such option (it writes the "
                "standard ONNX operators of the default domain)")
    if kwargs:
        _refuse("kwargs", kwargs, "pass the forward's inputs positionally in args")
    if dynamic_shapes is not None:
        _refuse("dynamic_shapes", dynamic_shapes, "use dynamic_axes={'input': {0: 'batch'}}")
    if export_params is not True:
        _refuse("export_params", export_params, "the weights are always stored in the file")
    if keep_initializers_as_inputs:
        _refuse("keep_initializers_as_inputs", keep_initializers_as_inputs,
                "the parameters are initializers, not graph inputs")
    if training not in (TrainingMode.EVAL, None) and getattr(training, "name", "") != "EVAL":
        _refuse("training", training, "ndgrad exports inference mode (TrainingMode.EVAL) only")
    if f is None:
        raise TypeError("torch.onnx.export: give f, the path (or binary file) to write")
    if isinstance(args, tuple) and args and isinstance(args[-1], dict):
        if args[-1]:
            _refuse("args", "(..., {keyword inputs})", "pass the forward's inputs positionally")
        args = args[:-1]
    from ..onnx import export as export_onnx
    _EXPORTING[0] = True
    try:
        proto = export_onnx(model, args, f, input_names=input_names, output_names=output_names,
                            dynamic_axes=dynamic_axes,
                            opset_version=17 if opset_version is None else opset_version)
    finally:
        _EXPORTING[0] = False
    if verbose:
        from onnx import helper
        print(helper.printable_graph(proto.graph))
    return None


def is_in_onnx_export():
    """True only while :func:`export` is tracing a model.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.onnx.is_in_onnx_export()
        False
    """
    return _EXPORTING[0]


def _export(model, args=(), f=None, *rest, **options):
    """The older private spelling of :func:`export` (fast_neural_style calls it)."""
    return export(model, args, f, **options)


__getattr__ = unsupported(__name__, {
    "dynamo_export": "use torch.onnx.export (ndgrad has one exporter, the tracing one)",
    "ONNXProgram": "torch.onnx.export writes the file directly and returns None",
})
