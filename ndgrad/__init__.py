"""ndgrad: NumPy arrays that know whether they are trainable, with reverse-mode
automatic differentiation, in the PyTorch and the Keras vocabulary.

Example:
    >>> import ndgrad
    >>> w = ndgrad.Variable([1.0, 2.0], name="w")
    >>> with ndgrad.GradientTape() as tape:
    ...     loss = (w * w).sum()
    >>> tape.gradient(loss, w).tolist()
    [2.0, 4.0]
"""

from . import dtypes
from .autograd.breaks import GradientBreakWarning, gradient_breaks
from .autograd.mode import debug, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .autograd.anomaly import AnomalyError, detect_anomaly
from .devices import DeviceError, device
from .dtypes import bool_, float16, float32, float64, int32, int64
from .size import Size
from . import return_types
from .errors import DTypeError, ShapeError
from .tensor import Tensor, as_tensor, from_numpy, is_tensor, is_trainable, tensor
from .variable import Variable
from . import ops
from .ops import *  # noqa: F401,F403
from .ops import abs, all, any, max, min, round, sum  # noqa: A004  (NumPy's names)
from .autograd.function import Function, FunctionCtx
from .autograd.functional import grad, hessian, jacobian, value_and_grad, vjp
from .autograd.tape import GradientTape
from .diagnostics import Explanation, GradcheckError, draw_graph, explain, gradcheck
from . import random
from . import data, datasets
from .random import rand, randn
from . import nn
from . import optim
from . import io
from .io import load_checkpoint, save_checkpoint
from . import training
from .training import callbacks, metrics  # noqa: F401  (ndgrad.callbacks.EarlyStopping, as Keras)
from . import layers
from . import models
from .models import Model, Sequential
from .nn.input_layer import Input
from . import sparse
from . import distributed
from .sparse import SparseTensor, sparse_coo, sparse_coo_tensor, strided

bool = bool_  # noqa: A001  (ndgrad.bool, as torch.bool and np.bool)

__version__ = "0.1.0"
from . import linalg
from . import fft
