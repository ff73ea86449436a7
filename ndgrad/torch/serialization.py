"""``torch.save`` and ``torch.load`` without pickle: one safetensors file.

``torch.save(obj, f)`` writes the tensors and arrays of ``obj`` as the
tensors of a safetensors file and its structure (dicts, lists, tuples,
numbers, strings, None; see ``ndgrad.torch._saved_tree``) as JSON in the
file's metadata, through ``ndgrad.io``'s writer (atomic, every array
checksummed). Model and optimizer state dicts, and the dicts of epochs,
losses and state dicts that training scripts save, round-trip exactly.

Whole modules too (``torch.save(model, f)``, or ``{"model": model, "epoch":
3}``): each is stored as its class's name and its attributes (see
``ndgrad.torch._saved_objects``), and ``torch.load`` rebuilds it without
importing or running anything from the file, so the class must be defined
(or imported) in the loading process first, as with PyTorch's pickles.
``safe_globals`` / ``add_safe_globals`` take PyTorch's allowlist (see
``ndgrad.torch._safe_globals``).

``torch.load(f)`` reads such a file, and also a plain safetensors file (from
``safetensors.torch.save_file`` in PyTorch, or ``ndgrad.io.save_weights``),
which loads as a dict of tensors. A file that PyTorch's own ``torch.save``
wrote (a zip archive or the legacy format, both pickles) is refused unread,
with the one-line conversion to run in PyTorch: loading a pickle can run
arbitrary code, so ndgrad never does. ``weights_only`` is accepted either
way (nothing here runs code); every tensor loads on the CPU, whatever
``map_location`` names (a CUDA device is an error, as it is unavailable).

Example:
    >>> import io, ndgrad.torch as torch
    >>> buffer = io.BytesIO()
    >>> torch.save({"epoch": 3, "w": torch.ones(2)}, buffer); _ = buffer.seek(0)
    >>> loaded = torch.load(buffer)
    >>> loaded["epoch"], loaded["w"].tolist()
    (3, [1.0, 1.0])
"""

import os

from ..io.safetensors_file import (CheckpointError, decode_payload, open_regular_file,
                                   read_tensors, tensors_payload, write_tensors)
from ..tensor import Tensor
from ._arguments import check_device
from ._safe_globals import (LoadPolicy, add_safe_globals, clear_safe_globals,
                            get_safe_globals, safe_globals)
from ._saved_tree import decode, encode
from ._unsupported import unsupported

__all__ = ["save", "load", "CheckpointError", "add_safe_globals", "clear_safe_globals",
           "get_safe_globals", "safe_globals"]

KIND = "torch.save"

_CONVERT = ("Convert it once in PyTorch: `from safetensors.torch import save_file; "
            "save_file(torch.load(path, map_location='cpu'), 'model.safetensors')` (for a "
            "state dict of tensors; for a checkpoint dict, save each state dict in its own "
            "file), then load 'model.safetensors' here")


def _refuse_pytorch_files(head, where):
    if len(head) > 8 and head[8:9] == b"{":
        return      # a safetensors file: its 8-byte header length may start like a pickle
    if head.startswith(b"PK\x03\x04"):
        raise CheckpointError(f"{where} was written by PyTorch's torch.save (a zip archive "
                              "holding a pickle). ndgrad never unpickles, because loading a "
                              f"pickle can run arbitrary code. {_CONVERT}")
    if len(head) > 1 and head[0] == 0x80 and 1 <= head[1] <= 5:
        raise CheckpointError(f"{where} is a Python pickle (PyTorch's legacy torch.save "
                              "format, or pickle.dump). ndgrad never unpickles, because "
                              f"loading a pickle can run arbitrary code. {_CONVERT}")


def _is_path(f):
    return isinstance(f, (str, bytes, os.PathLike))


def save(obj, f, pickle_module=None, pickle_protocol=2, _use_new_zipfile_serialization=True,
         _disable_byteorder_record=False):
    """Save ``obj`` (tensors, arrays, numbers, strings, None, whole modules, and
    dicts, lists and tuples of them) to ``f``, a path or a binary file object, as
    safetensors + JSON.

    Args:
        obj: what to save: ``model.state_dict()``, ``optimizer.state_dict()``, a
            dict of them with the epoch and the loss, a tensor, a whole model.
        f: a path (``str`` or ``os.PathLike``; written atomically) or a file
            object opened for binary writing.
        pickle_module: must be None: ndgrad never pickles.

    Raises:
        TypeError: before anything is written, for an object that has no such
            form (an optimizer: save its ``state_dict()``; a lambda, a function
            that is not ndgrad's, an open file or a hook kept in a module),
            naming where it sits in ``obj``.

    Example:
        >>> import os, tempfile, ndgrad.torch as torch
        >>> path = os.path.join(tempfile.mkdtemp(), "model.pt")
        >>> model = torch.nn.Linear(2, 1)
        >>> torch.save(model.state_dict(), path)
        >>> sorted(torch.load(path))
        ['bias', 'weight']
    """
    if pickle_module is not None:
        raise TypeError("torch.save: pickle_module is not supported; ndgrad never pickles "
                        "(the file is safetensors + JSON)")
    tree, arrays = encode(obj)
    header = {"kind": KIND, "tree": tree}
    if _is_path(f):
        write_tensors(os.fsdecode(f), arrays, header)
        return
    if not callable(getattr(f, "write", None)):
        raise TypeError(f"torch.save: f must be a path or a binary file object; got "
                        f"{type(f).__name__}")
    f.write(tensors_payload(arrays, header, "the file object"))


def _check_map_location(map_location):
    if map_location is None or callable(map_location):
        return              # PyTorch's `lambda storage, loc: storage`: the CPU, as always
    targets = map_location.values() if isinstance(map_location, dict) else [map_location]
    for target in targets:
        check_device("torch.load", target)


def _decode(arrays, header, where, policy):
    if header is None or header.get("kind") == "weights":
        return {name: Tensor._wrap(array) for name, array in arrays.items()}
    if header.get("kind") != KIND:
        raise CheckpointError(f"{where} is an ndgrad {header.get('kind')!r} file, not one "
                              "written by torch.save; load it with "
                              "ndgrad.io.load_checkpoint(path, model, optimizer)")
    try:
        return decode(header["tree"], arrays, policy)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, OverflowError,
            RecursionError) as error:
        raise CheckpointError(f"{where}: {type(error).__name__}: {error}") from None


def _load_path(path, policy):
    with open_regular_file(path) as file:
        _refuse_pytorch_files(file.read(16), path)
    return _decode(*read_tensors(path), path, policy)


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None,
         **pickle_load_args):
    """Load what :func:`save` wrote (or a plain safetensors file, as a dict of
    tensors) from ``f``, a path or a binary file object.

    Args:
        f: a path or a file object opened for binary reading.
        map_location: None, ``"cpu"``, a ``torch.device``, a dict of them, or a
            function: every tensor loads on the CPU; a CUDA device is an error.
        weights_only: nothing in these files runs code either way. True refuses
            whole modules, except with their classes listed by ``safe_globals``
            (as in PyTorch); left out, any module whose class is defined loads.

    Raises:
        CheckpointError: for a file PyTorch's ``torch.save`` wrote (refused
            unread, with how to convert it), a missing, truncated or corrupted
            file, another kind of ndgrad file, a module whose class this
            process has not defined (define or import it first), or one that
            ``weights_only=True`` / ``safe_globals`` do not allow.

    Example:
        >>> import os, tempfile, ndgrad.torch as torch
        >>> path = os.path.join(tempfile.mkdtemp(), "ckpt.pt")
        >>> torch.save({"epoch": 2, "losses": [0.5, 0.25]}, path)
        >>> torch.load(path, map_location="cpu", weights_only=True)
        {'epoch': 2, 'losses': [0.5, 0.25]}
    """
    if pickle_module is not None or pickle_load_args:
        raise TypeError("torch.load: pickle options are not supported; ndgrad never "
                        "unpickles (the file is safetensors + JSON)")
    _check_map_location(map_location)
    policy = LoadPolicy(weights_only)
    if _is_path(f):
        return _load_path(os.fsdecode(f), policy)
    if not callable(getattr(f, "read", None)):
        raise TypeError(f"torch.load: f must be a path or a binary file object; got "
                        f"{type(f).__name__}")
    data = f.read()
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"torch.load: f.read() returned {type(data).__name__}; open the file "
                        "in binary mode ('rb')")
    where = f"the file object {getattr(f, 'name', type(f).__name__)!s}"
    _refuse_pytorch_files(bytes(data[:16]), where)
    return _decode(*decode_payload(bytearray(data), where), where, policy)


__getattr__ = unsupported(__name__, {
    "get_unsafe_globals_in_checkpoint": "ndgrad's files name no code; torch.load reports a "
                                        "class the process lacks by name",
    "register_package": "torch.load rebuilds every tensor on the CPU; nothing to register",
    "skip_data": "save the state_dict() and load it into a model built from the code",
})
