"""Export ndgrad models (both faces) to ONNX, to run them in ONNX Runtime or any ONNX engine.

:func:`export` traces one forward pass in inference mode (``eval()``: Dropout
off, BatchNorm with its running statistics) through ndgrad's own recorded ops
and writes each op as ONNX nodes; parameters become initializers named as in
the model's ``state_dict``. An op with no mapping is refused before anything
is written, naming the op, the layer and the line. Needs the optional extra
``onnx`` (``pip install 'ndgrad[onnx]'``: onnx and onnxruntime).

Example:
    >>> import io, numpy as np
    >>> import ndgrad.onnx
    >>> from ndgrad import nn
    >>> model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    >>> buffer = io.BytesIO()
    >>> proto = ndgrad.onnx.export(model, (np.ones((1, 4), np.float32),), buffer,
    ...                            dynamic_axes={"input": {0: "batch"}})
    >>> [node.op_type for node in proto.graph.node]
    ['Gemm', 'Relu', 'Gemm', 'Identity']
"""

__all__ = ["export", "supported_ops", "UnsupportedOpError"]


def export(model, example_inputs, path, input_names=None, output_names=None, dynamic_axes=None,
           opset_version=17):
    """Write ``model`` as an ONNX file at ``path`` (a path or a binary file object).

    Args:
        model: an ndgrad Module (torch-face ``nn.Module`` or Keras-face model),
            already built; it is traced in ``eval()`` mode and left as it was.
        example_inputs: a tensor or array, or a tuple of them (one per input of
            ``model``'s forward); float inputs are traced, integer ones (token ids
            for an Embedding) are passed through.
        path: where to write the ``.onnx`` file, or an object with ``write``.
        input_names, output_names: names of the graph's inputs and outputs
            (default ``input``/``output``, or ``input_0``, ... for several).
        dynamic_axes: ``{name: {axis: label}}`` or ``{name: [axis, ...]}``; the
            batch axis 0 can be dynamic (the graph then runs at any batch size).
        opset_version: the ONNX opset, 17 (default) to 21.

    Returns:
        The ``onnx.ModelProto`` that was written (already checked with
        ``onnx.checker.check_model(full_check=True)``).

    Raises:
        UnsupportedOpError: an op of the forward has no ONNX mapping (nothing is written).

    Example:
        >>> import io, numpy as np
        >>> import ndgrad.onnx
        >>> from ndgrad import layers, keras
        >>> model = keras.Sequential([layers.Dense(3, activation="tanh")])
        >>> x = np.ones((2, 5), np.float32)
        >>> _ = model(x)
        >>> proto = ndgrad.onnx.export(model, x, io.BytesIO())
        >>> [node.op_type for node in proto.graph.node]
        ['Gemm', 'Tanh', 'Identity']
    """
    from .exporter import export_model
    return export_model(model, example_inputs, path, input_names, output_names, dynamic_axes,
                        opset_version)


def supported_ops():
    """The sorted names of the ndgrad ops that :func:`export` can write.

    Example:
        >>> import ndgrad.onnx
        >>> {"conv", "linear", "relu", "softmax"} <= set(ndgrad.onnx.supported_ops())
        True
    """
    from .registry import supported_ops as listed
    return listed()


def __getattr__(name):
    if name == "UnsupportedOpError":
        from .exporter import UnsupportedOpError
        return UnsupportedOpError
    raise AttributeError(f"module 'ndgrad.onnx' has no attribute {name!r}")
