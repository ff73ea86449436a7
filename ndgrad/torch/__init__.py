"""``import ndgrad.torch as torch``: PyTorch's vocabulary over ndgrad's one core.

A drop-in for the CPU subset of PyTorch that example programs use: tensor
factories and math with PyTorch's signatures, ``torch.nn`` (with
``functional``, ``init``, ``utils``), ``torch.optim`` (with ``lr_scheduler``),
``torch.utils.data``, ``torch.autograd``, ``torch.linalg``, ``torch.fft``,
``torch.distributions``, ``torch.distributed`` (on MPI, with
``torch.nn.parallel.DistributedDataParallel``; see ``ndgrad.distributed``), seeding, devices, ``torch.save``/``torch.load`` (of
state dicts and of whole modules, without pickle), ``torch.nn.DataParallel``
(the module itself, on the CPU), the legacy ``torch.Tensor(2, 3)`` /
``torch.FloatTensor(...)`` constructors, sparse COO tensors
(``torch.sparse_coo_tensor``, ``x.to_sparse()``, ``torch.sparse.mm``; see
``ndgrad.sparse``); ``torch.onnx.export`` writes ONNX through ``ndgrad.onnx``. Nothing here is a second
implementation: every name is an ndgrad class or function, or a thin adapter
of PyTorch's arguments to one. Tensors are ``ndgrad.Tensor`` s (one tensor
type, one graph, one engine), usable with NumPy and the Keras face alike.

One method name, two meanings (rule D1). Where NumPy and PyTorch give a
*method* name different meanings, a call written the PyTorch way gets
PyTorch's meaning and a call written the NumPy way (keywords ``axis=``,
``keepdims=``, ``ddof=``) gets NumPy's. Where one call is valid in both with
different results, the method follows PyTorch, and NumPy's meaning stays
available through the NumPy/ndgrad *function* (``np.repeat(t, 2)``,
``ndgrad.std(t)``, ``np.sort(t)``) and the keyword spelling:

- ``t.size`` is the element count (an int, NumPy's) and is callable:
  ``t.size()`` is an ``ndgrad.Size`` (``torch.Size``), ``t.size(dim)`` an int;
  ``t.numel()`` and ``t.dim()`` exist.
- ``t.transpose(d0, d1)`` with exactly two ints swaps them (also on 2-D
  tensors); any other form is NumPy's permutation. ``.T``, ``.mT`` as before.
- ``t.view(*shape)`` reshapes; ``t.view(dtype)`` is NumPy's reinterpretation.
- ``t.repeat(*sizes)`` tiles (PyTorch); ``t.repeat(n, axis=k)`` is NumPy's.
- ``t.max()`` / ``t.min()`` give a 0-d tensor; ``t.max(dim)`` or
  ``t.max(dim=d, keepdim=...)`` a ``(values, indices)`` pair;
  ``t.max(axis=...)`` the values (NumPy); ``t.max(other_tensor)`` the
  elementwise maximum.
- ``t.sort(dim=-1, descending=False)`` gives ``(values, indices)``;
  ``t.argsort(dim, descending)``.
- ``t.std()`` / ``t.var()`` are unbiased by default (``correction=1``);
  ``unbiased=`` and ``correction=`` are accepted, ``ddof=`` gives NumPy's.
- ``dim=`` / ``keepdim=`` are accepted wherever ``axis=`` / ``keepdims=`` are.
- ``t.data`` is a tensor, detached and sharing the values (PyTorch's); the
  NumPy array is ``t.numpy()`` or ``np.asarray(t)``.
- ``t.flatten(start_dim=0, end_dim=-1)``; NumPy's ``flatten()`` is the same call.

The top-level functions follow the same rule: where PyTorch's function is
the tensor method (``torch.max(x, 1)`` is ``x.max(1)``, ``torch.flatten(x,
1)`` is ``x.flatten(1)``) it calls the method, so each meaning is written
once, in the Tensor class.

Devices: the CPU only. ``torch.device("cpu")`` works wherever a device is
taken; ``torch.cuda.is_available()`` is False, and asking for ``"cuda"`` or
``"mps"`` is a clear error. Random numbers come from ndgrad's generator
(``torch.manual_seed`` seeds it): reproducible, but not PyTorch's numbers.
A PyTorch name ndgrad lacks raises an AttributeError saying what to use.

Example:
    >>> import ndgrad.torch as torch
    >>> _ = torch.manual_seed(0)
    >>> x = torch.randn(4, 3, requires_grad=True)
    >>> loss = torch.sum(torch.flatten(x, 1) ** 2)
    >>> loss.backward()
    >>> torch.allclose(x.grad, 2 * x.detach()), torch.cuda.is_available()
    (True, False)
"""

import math as _math

import numpy as _np

from ..devices import DeviceError, device
from ..size import Size
from .. import return_types
from .legacy_tensors import (BoolTensor, ByteTensor, CharTensor, DoubleTensor, FloatTensor,
                             HalfTensor, IntTensor, LongTensor, ShortTensor, Tensor)
from ._unsupported import unsupported as _unsupported
from .autograd.grad_mode import (enable_grad, inference_mode, is_grad_enabled,
                                 is_inference_mode_enabled, no_grad, set_grad_enabled)
from .complex_numbers import *  # noqa: F401,F403
from .creation import *       # noqa: F401,F403
from .pointwise import *      # noqa: F401,F403
from .random import *         # noqa: F401,F403
from .random_tensors import *  # noqa: F401,F403
from .reductions import *     # noqa: F401,F403
from .shaping import *        # noqa: F401,F403
from .serialization import load, save
from ..sparse import sparse_coo_tensor
from ..sparse.rules import Layout as layout, sparse_coo, strided
from .settings import *       # noqa: F401,F403
from . import (accelerator, autograd, backends, creation, cuda, distributed, distributions,  # noqa: E402
               fft, legacy_tensors, linalg, nn, onnx, optim, pointwise, random, random_tensors, reductions,
               serialization, settings, shaping, sparse, utils)

globals().update(linalg.TOP_LEVEL)

# dtypes are NumPy's dtype objects: ``x.dtype == torch.float32`` holds.
dtype = _np.dtype
float16 = half = _np.dtype("float16")
float32 = float = _np.dtype("float32")   # noqa: A001  (PyTorch's names)
float64 = double = _np.dtype("float64")
uint8 = _np.dtype("uint8")
int8 = _np.dtype("int8")
int16 = short = _np.dtype("int16")
int32 = int = _np.dtype("int32")         # noqa: A001
int64 = long = _np.dtype("int64")
bool = _np.dtype("bool")                 # noqa: A001
complex64 = cfloat = _np.dtype("complex64")
complex128 = cdouble = _np.dtype("complex128")
finfo = _np.finfo
iinfo = _np.iinfo
inf, nan, pi, e = _math.inf, _math.nan, _math.pi, _math.e

_ADVICE = {
    "BFloat16Tensor": "NumPy has no bfloat16; use torch.FloatTensor or torch.HalfTensor",
    "bfloat16": "NumPy has no bfloat16; use torch.float32 or torch.float16",
    "complex32": "NumPy has no complex32; use torch.complex64",
    "chalf": "NumPy has no complex32; use torch.complex64",
    "svd": "use torch.linalg.svd (it returns Vh, where the old torch.svd returned V)",
    "lgamma": "not supported (yet)", "digamma": "not supported (yet)",
    "erfinv": "not supported (yet)", "cdist": "torch.linalg.vector_norm(a[:, None] - b[None], "
                                             "dim=-1) for p=2",
    "cosine_similarity": "use torch.nn.functional.cosine_similarity",
    "jit": "ndgrad runs eagerly; call the module or function directly",
    "autocast": "mixed precision is not supported; train in float32",
    "amp": "mixed precision is not supported; train in float32",
    "hub": "downloading models is not supported; build the model and load a safetensors file",
    "quantization": "ndgrad trains and runs in float32 and float64; quantize after export (issue 15, ONNX)",
    "sparse_csr": "ndgrad has sparse COO tensors only (torch.sparse_coo)",
    "sparse_csc": "ndgrad has sparse COO tensors only (torch.sparse_coo)",
    "sparse_csr_tensor": "use torch.sparse_coo_tensor (ndgrad has the COO layout only)",
    "sparse_csc_tensor": "use torch.sparse_coo_tensor (ndgrad has the COO layout only)",
    "sparse_compressed_tensor": "use torch.sparse_coo_tensor (ndgrad has the COO layout only)",
    "multiprocessing": "load data in the main process (DataLoader does)",
    "func": "use ndgrad.grad, ndgrad.jacobian, ndgrad.vjp", "vmap": "loop over the batch",
    "mps": "ndgrad computes on the CPU", "xpu": "ndgrad computes on the CPU",
    "channels_last": "NCHW (contiguous_format) is the only memory format",
}

__getattr__ = _unsupported(__name__, _ADVICE)
_unsupported_getattr = __getattr__


def __getattr__(name):  # noqa: F811  (torch.default_generator follows ndgrad.random)
    if name == "default_generator":
        return random.default_generator()
    return _unsupported_getattr(name)

