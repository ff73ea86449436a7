"""Complex tensors in safetensors files: stored as their (real, imaginary) pairs.

The safetensors format has no complex128 (and the libraries that read it knew
no complex64 before 2025), so ndgrad's writer stores a complex array of shape
``S`` as the float array of shape ``S + (2,)`` holding its real and imaginary
parts (PyTorch's ``view_as_real``: the same bytes), and names it in the JSON
header under ``"complex"`` with its dtype: ``{"w": "complex64"}``. Such a file
has format version 3, so that an ndgrad that predates this refuses it instead
of loading float pairs in place of complex numbers. A reader of the plain file
(PyTorch's ``safetensors.torch.load_file``) sees the float pairs:
``torch.view_as_complex`` turns them back.

Reading checks the marker against what is stored (the float dtype of the
marked complex dtype, a last axis of 2) and refuses any mismatch: a
:class:`CheckpointError` naming the file and the tensor.

Example:
    >>> import numpy as np
    >>> from ndgrad.io.complex_tensors import restored, stored_pairs
    >>> arrays, marked = stored_pairs({"z": np.array([1 + 2j], np.complex64)})
    >>> arrays["z"].tolist(), arrays["z"].dtype, marked
    ([[1.0, 2.0]], dtype('float32'), {'z': 'complex64'})
    >>> restored("memory", arrays, marked)["z"].tolist()
    [(1+2j)]
"""

import numpy as np

from .errors import CheckpointError

__all__ = ["COMPLEX_KEY", "stored_pairs", "restored"]

COMPLEX_KEY = "complex"
_PARTS = {"complex64": np.dtype("<f4"), "complex128": np.dtype("<f8")}


def stored_pairs(arrays):
    """``arrays`` (name -> array) with each complex one replaced by its float
    pairs, and the marker ``{name: complex dtype}`` (empty when none is complex).

    Example:
        >>> import numpy as np
        >>> from ndgrad.io.complex_tensors import stored_pairs
        >>> stored_pairs({"w": np.zeros(2, np.float32)})[1]
        {}
    """
    stored, marked = {}, {}
    for name, array in arrays.items():
        if array.dtype.kind == "c":
            dtype_name = np.dtype(array.dtype.newbyteorder("=")).name
            if dtype_name not in _PARTS:
                raise TypeError(f"cannot write {name!r}: its dtype {array.dtype} has no "
                                "safetensors form; store it as complex128 (or complex64)")
            array = np.asarray(array, dtype=np.dtype(dtype_name), order="C")
            # (a trailing axis first: NumPy views no 0-d array as another item size)
            array = array[..., None].view(_PARTS[dtype_name].newbyteorder("="))
            marked[name] = dtype_name
        stored[name] = array
    return stored, marked


def restored(where, tensors, marked):
    """``tensors`` read from a file with the ones that ``marked`` (the header's
    ``"complex"`` entry, or None) names turned back into complex arrays; a marker
    that does not fit what is stored is a :class:`CheckpointError`.

    Example:
        >>> import numpy as np
        >>> from ndgrad.io.complex_tensors import restored
        >>> restored("f", {"z": np.zeros(3, np.float32)}, {"z": "complex64"})
        ... # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ndgrad.io.errors.CheckpointError: f: tensor 'z' is marked complex64 in the header, ...
    """
    if marked is None:
        return tensors
    if not isinstance(marked, dict):
        raise CheckpointError(f"{where}: the header's {COMPLEX_KEY!r} entry is a "
                              f"{type(marked).__name__}, not a dict of tensor names; the header "
                              "is corrupted")
    out = dict(tensors)
    for name, dtype_name in marked.items():
        if name not in tensors:
            raise CheckpointError(f"{where}: the header marks {name!r} as complex, but the file "
                                  "holds no tensor of that name; the header is corrupted")
        array = tensors[name]
        parts = _PARTS.get(dtype_name) if isinstance(dtype_name, str) else None
        if parts is None:
            raise CheckpointError(f"{where}: tensor {name!r} is marked with {dtype_name!r}, "
                                  f"which is not a complex dtype ({', '.join(_PARTS)}); the "
                                  "header is corrupted")
        if array.dtype != parts or array.ndim < 1 or array.shape[-1] != 2:
            raise CheckpointError(f"{where}: tensor {name!r} is marked {dtype_name} in the "
                                  f"header, so it must be stored as {parts.name} pairs (a last "
                                  f"axis of 2), but it is {array.dtype.name} of shape "
                                  f"{array.shape}; the file is corrupted")
        pairs = np.ascontiguousarray(array, dtype=parts.newbyteorder("="))
        out[name] = pairs.view(np.dtype(dtype_name)).reshape(array.shape[:-1])
    return out
