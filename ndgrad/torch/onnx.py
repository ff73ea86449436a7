"""``torch.onnx``: importable, so that programs which ``import torch.onnx`` at the top run.

Exporting to ONNX is planned (issue 15) and not there yet: ``torch.onnx.export``
raises a NotImplementedError that says so and what to use meanwhile (the
``state_dict``, saved with ``torch.save``, rebuilds the model in ndgrad or,
through ``safetensors``, in PyTorch). ``is_in_onnx_export()`` is False, as no
export ever runs.

Example:
    >>> import ndgrad.torch as torch
    >>> import ndgrad.torch.onnx
    >>> torch.onnx.is_in_onnx_export()
    False
"""

from ._unsupported import unsupported

__all__ = ["export", "is_in_onnx_export"]

_PLANNED = ("torch.onnx.export: ONNX export is not supported yet (it is planned: issue 15). "
            "Meanwhile save the weights with torch.save(model.state_dict(), path) (or "
            "ndgrad.io.save_weights(model, 'model.safetensors'), which PyTorch reads with "
            "safetensors.torch.load_file) and rebuild the model from its code")


def export(model, args=(), f=None, *unused_args, **unused_kwargs):
    """Not supported yet (issue 15): raises NotImplementedError, before touching ``f``.

    Example:
        >>> import ndgrad.torch as torch
        >>> try:
        ...     torch.onnx.export(torch.nn.Linear(2, 1), (torch.ones(1, 2),), "model.onnx")
        ... except NotImplementedError as error:
        ...     print(str(error)[:61])
        torch.onnx.export: ONNX export is not supported yet (it is pl
    """
    raise NotImplementedError(_PLANNED)


def is_in_onnx_export():
    """False: no ONNX export is running (ndgrad has none yet).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.onnx.is_in_onnx_export()
        False
    """
    return False


def _export(*args, **kwargs):
    """The older private spelling of :func:`export` (fast_neural_style calls it)."""
    raise NotImplementedError(_PLANNED.replace("torch.onnx.export", "torch.onnx._export"))


__getattr__ = unsupported(__name__, {
    "dynamo_export": "ONNX export is planned (issue 15); save the state_dict meanwhile",
    "ONNXProgram": "ONNX export is planned (issue 15); save the state_dict meanwhile",
})
