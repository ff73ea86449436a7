"""The checks of :func:`ndgrad.onnx.export`'s arguments, made before anything runs.

Example:
    >>> import numpy as np
    >>> from ndgrad import nn
    >>> from ndgrad.onnx.validation import check_arguments
    >>> check_arguments(nn.Linear(2, 1), (np.ones((3, 2)),), "m.onnx", None, ["y"],
    ...                 {"input": {0: "batch"}, "y": [0]}, 17)
    (['input'], ['y'], {'input': {0: 'batch'}, 'y': {0: 'batch'}})
"""

import os

import numpy as np

from ..tensor import Tensor

OPSETS = range(17, 22)        # LayerNormalization needs 17; onnxruntime 1.31 runs up to 21+


def check_arguments(model, example_inputs, f, input_names, output_names, dynamic_axes,
                    opset_version):
    """Refuse a bad argument with a message naming it; returns the input names,
    the output names given, and ``dynamic_axes`` as {name: {axis: label}}."""
    from ..nn.module import Module
    if not isinstance(model, Module):
        raise TypeError(f"ndgrad.onnx.export: model must be an ndgrad Module (a torch-face "
                        f"nn.Module or a Keras-face model), not {type(model).__name__}")
    if not example_inputs:
        raise ValueError("ndgrad.onnx.export: give at least one example input")
    for position, value in enumerate(example_inputs):
        if not isinstance(value, (Tensor, np.ndarray)):
            raise TypeError(f"ndgrad.onnx.export: example input {position} is a "
                            f"{type(value).__name__}; give tensors or NumPy arrays")
    if not (isinstance(f, (str, os.PathLike)) or hasattr(f, "write")):
        raise TypeError(f"ndgrad.onnx.export: the destination must be a path or a binary "
                        f"file object, not {type(f).__name__}")
    if isinstance(opset_version, bool) or not isinstance(opset_version, int):
        raise TypeError(f"ndgrad.onnx.export: opset_version must be an int, not "
                        f"{type(opset_version).__name__}")
    if opset_version not in OPSETS:
        raise ValueError(f"ndgrad.onnx.export: opset_version={opset_version} is not supported; "
                         f"use {OPSETS.start} to {OPSETS.stop - 1} (default 17)")
    inputs = _names("input_names", input_names, len(example_inputs), "input")
    outputs = _names("output_names", output_names, None, "output")
    return inputs, outputs, _dynamic(dynamic_axes, inputs, outputs, example_inputs)


def _names(argument, names, count, stem):
    if names is None:
        if count is None:
            return []
        return [stem] if count == 1 else [f"{stem}_{i}" for i in range(count)]
    if isinstance(names, str) or not all(isinstance(n, str) and n for n in names):
        raise TypeError(f"ndgrad.onnx.export: {argument} must be a list of non-empty strings, "
                        f"got {names!r}")
    names = list(names)
    if count is not None and len(names) != count:
        raise ValueError(f"ndgrad.onnx.export: {argument} has {len(names)} names for "
                         f"{count} example inputs")
    if len(set(names)) != len(names):
        raise ValueError(f"ndgrad.onnx.export: {argument} has a name twice: {names}")
    return names


def _dynamic(dynamic_axes, inputs, outputs, example_inputs):
    if dynamic_axes is None:
        return {}
    if not isinstance(dynamic_axes, dict):
        raise TypeError("ndgrad.onnx.export: dynamic_axes must be a dict such as "
                        "{'input': {0: 'batch'}}")
    ranks = {name: np.ndim(getattr(v, "_data", v)) for name, v in zip(inputs, example_inputs)}
    result = {}
    for name, axes in dynamic_axes.items():
        default_output = not outputs and (name == "output" or name.startswith("output_"))
        if name not in inputs and name not in outputs and not default_output:
            raise ValueError(f"ndgrad.onnx.export: dynamic_axes names {name!r}, which is neither "
                             f"an input ({inputs}) nor an output name ({outputs or 'output'}); "
                             "name the outputs with output_names")
        if isinstance(axes, dict):
            labels = {int(a): str(label) for a, label in axes.items()}
        elif isinstance(axes, (list, tuple)):
            labels = {int(a): "batch" if int(a) == 0 else f"{name}_dim{int(a)}" for a in axes}
        else:
            raise TypeError(f"ndgrad.onnx.export: dynamic_axes[{name!r}] must be a dict "
                            f"{{axis: label}} or a list of axes, not {type(axes).__name__}")
        for axis in labels:
            if axis != 0:
                raise ValueError(
                    f"ndgrad.onnx.export: dynamic_axes[{name!r}] makes axis {axis} dynamic; "
                    "only the batch axis (0) can be dynamic yet (the shapes of reshapes and "
                    "slices along other axes are fixed by the example input)")
            if name in ranks and ranks[name] == 0:
                raise ValueError(f"ndgrad.onnx.export: input {name!r} is a scalar; it has no "
                                 "axis 0 to make dynamic")
        result[name] = labels
    return result
