"""``keras.ops``: Keras 3's backend-independent ops, over ndgrad's one core.

``from ndgrad.keras import ops`` gives the NumPy-named ops (``ops.sum``,
``ops.matmul``, ``ops.where``, ``ops.clip(x, x_min, x_max)``, ...), the neural
network ops (``ops.softmax``, ``ops.relu``, ``ops.one_hot``, ``ops.conv``,
``ops.dot_product_attention``, ...), the core ops (``ops.shape``,
``ops.convert_to_tensor``, ``ops.cast``, ``ops.stop_gradient``, ``ops.cond``,
``ops.fori_loop``, ``ops.scatter``, ...) and math and linear algebra
(``ops.top_k``, ``ops.logsumexp``, ``ops.segment_sum``, ``ops.linalg.inv``).
Every op goes through one routing helper (:mod:`ndgrad.keras.ops._routing`),
so ops applied to ``keras.Input`` tensors record graph nodes once the
functional API provides symbolic tensors. A Keras op ndgrad lacks raises an
AttributeError saying so.

Example:
    >>> import ndgrad
    >>> from ndgrad.keras import ops
    >>> x = ops.convert_to_tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> ops.shape(x), ops.mean(ops.square(x)).item(), ops.softmax(ops.zeros((1, 2))).tolist()
    ((2, 2), 7.5, [[0.5, 0.5]])
"""

import types

from .._unsupported import module_getattr
from . import (conv_ops, core_ops, creation_ops, math_ops, nn_ops, normalization_ops,
               numpy_ops)
from ._routing import keras_op as _keras_op, symbolic_or_eager

_MODULES = (numpy_ops, creation_ops, nn_ops, normalization_ops, conv_ops, math_ops, core_ops)
# An op is a function the routing helper wrapped (keras_op / reexport), or one of the
# few answers about plain Python values; what the modules import for themselves is not.
_ROUTED = _keras_op(abs).__code__
_PLAIN = ("is_tensor", "ndim", "size")
_OPS = {}
for _module in _MODULES:
    _OPS.update({name: value for name, value in vars(_module).items()
                 if not name.startswith("_") and (getattr(value, "__code__", None) is _ROUTED
                                                  or name in _PLAIN)})
globals().update(_OPS)

# Keras's sub-namespaces: ops.numpy.sum, ops.nn.relu, ops.linalg.inv, ops.math.top_k.
numpy = types.SimpleNamespace(**{n: _OPS[n] for n in list(vars(numpy_ops)) +
                                 list(vars(creation_ops)) if n in _OPS})
nn = types.SimpleNamespace(**{n: _OPS[n] for n in list(vars(nn_ops)) + list(vars(conv_ops))
                              + list(vars(normalization_ops)) if n in _OPS})
linalg = types.SimpleNamespace(**{n: _OPS[n] for n in (
    "cholesky", "det", "eigh", "inv", "lstsq", "norm", "qr", "solve", "solve_triangular",
    "svd") if n in _OPS})
math = types.SimpleNamespace(**{n: _OPS[n] for n in vars(math_ops) if n in _OPS})
core = types.SimpleNamespace(**{n: _OPS[n] for n in vars(core_ops) if n in _OPS})

UNSUPPORTED = {}
for _module in (numpy_ops, nn_ops, math_ops):
    UNSUPPORTED.update(getattr(_module, "UNSUPPORTED", {}))
UNSUPPORTED.update(dict.fromkeys(("image",), "resize images with layers.Resizing"
                                 ", or with ndgrad.nn.functional.interpolate"))

__all__ = sorted(_OPS) + ["symbolic_or_eager"]
__getattr__ = module_getattr("keras.ops", UNSUPPORTED)
del _module
