"""Fully connected layers: ``nn.Linear`` (PyTorch) and ``layers.Dense`` (Keras),
one implementation, and ``nn.Bilinear`` / ``F.bilinear``.

Both compute ``x @ W + b`` as one op (one matmul, the bias added in place;
see ``ops/linalg_affine.py``). ``Linear`` stores ``weight`` as PyTorch does,
(out_features, in_features), and multiplies by its transpose view (no copy:
BLAS reads it transposed), so a PyTorch state_dict loads as it is. ``Dense`` stores ``kernel`` as Keras does, (input_dim, units), built from
the first input, with an optional activation by name.

Example:
    >>> import ndgrad
    >>> ndgrad.nn.Linear(3, 2).weight.shape, ndgrad.layers.Dense(2, input_shape=(3,)).kernel.shape
    ((2, 3), (3, 2))
"""

import math

from ..devices import check_device
from .. import random
from ..autograd.primitive import as_input, shape_of
from ..errors import shape_error
from ..ops.linalg import matmul
from ..ops.linalg_affine import affine
from ..ops.reduce import sum as _sum
from ..ops.shape import reshape, transpose
from . import activation_names
from ._sizes import require_array, size
from .module import Module
from .parameter import Parameter


def linear(x, weight, bias=None, transposed=True):
    """``x @ weight.T + bias`` (PyTorch layout) or ``x @ weight + bias`` (Keras layout),
    recorded as one op (``ndgrad.ops.linalg_affine``).

    Example:
        >>> from ndgrad.nn.functional import linear
        >>> import ndgrad
        >>> linear(ndgrad.ones((1, 2)), ndgrad.ones((3, 2)), ndgrad.zeros(3)).tolist()
        [[2.0, 2.0, 2.0]]
    """
    return affine(x, weight, bias, transposed=transposed)


class Linear(Module):
    """``y = x W^T + b`` with ``weight`` (out_features, in_features), PyTorch's layout
    and initialization (uniform in +-1/sqrt(in_features)).

    Args:
        in_features: size of each input sample.
        out_features: size of each output sample.
        bias: learn an additive bias.
        dtype: the weights' dtype (float32).

    Example:
        >>> import ndgrad
        >>> layer = ndgrad.nn.Linear(4, 2)
        >>> layer(ndgrad.ones((3, 4))).shape, layer.count_params()
        ((3, 2), 10)
    """

    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None, name=None):
        check_device(device, "Linear")
        super().__init__(name=name, dtype=dtype)
        self.in_features = size("Linear", "in_features", in_features)
        self.out_features = size("Linear", "out_features", out_features)
        bound = 1.0 / math.sqrt(self.in_features) if self.in_features else 0.0
        self.weight = Parameter(random.uniform((self.out_features, self.in_features),
                                               -bound, bound, self.dtype))
        self.bias = (Parameter(random.uniform((self.out_features,), -bound, bound, self.dtype))
                     if bias else None)

    def forward(self, x):
        return linear(require_array(self, x), self.weight, self.bias, transposed=True)

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


def bilinear(input1, input2, weight, bias=None):
    """``y_k = x1^T A_k x2 + b_k``, as ``torch.nn.functional.bilinear``.

    Args:
        input1: (*, in1_features).
        input2: (*, in2_features), the same leading dimensions.
        weight: (out_features, in1_features, in2_features).
        bias: (out_features,) or None.

    Example:
        >>> from ndgrad.nn.functional import bilinear
        >>> import ndgrad
        >>> bilinear(ndgrad.ones((1, 2)), ndgrad.ones((1, 3)), ndgrad.ones((4, 2, 3))).tolist()
        [[6.0, 6.0, 6.0, 6.0]]
    """
    input1, input2, weight = as_input(input1), as_input(input2), as_input(weight)
    shape1, shape2, w_shape = shape_of(input1), shape_of(input2), shape_of(weight)
    if len(w_shape) != 3:
        raise shape_error("bilinear", [weight], "the weight must be 3-D (out_features, "
                          "in1_features, in2_features)")
    out_features, in1, in2 = w_shape
    if not shape1 or not shape2 or shape1[:-1] != shape2[:-1] or shape1[-1] != in1 or \
            shape2[-1] != in2:
        raise shape_error("bilinear", [input1, input2, weight],
                          f"expected input1 (*, {in1}) and input2 (*, {in2}) with the same "
                          "leading dimensions")
    # x1 @ (in1, out * in2), then the in2 products summed: one matmul, no (out, in1, in2) copy
    # per sample.
    mixed = matmul(input1, reshape(transpose(weight, (1, 0, 2)), (in1, out_features * in2)))
    mixed = reshape(mixed, tuple(shape1[:-1]) + (out_features, in2))
    out = _sum(mixed * reshape(input2, tuple(shape2[:-1]) + (1, in2)), axis=-1)
    return out if bias is None else out + bias


class Bilinear(Module):
    """``y = x1^T A x2 + b``, as ``torch.nn.Bilinear``: ``weight`` (out_features,
    in1_features, in2_features) and ``bias`` (out_features,), both uniform in
    +-1/sqrt(in1_features) as PyTorch initializes them.

    Args:
        in1_features (int): the size of the first input's last axis.
        in2_features (int): the size of the second input's last axis.
        out_features (int): the size of the output's last axis.
        bias (bool, default True): learn an additive ``bias``.
        dtype: the parameters' dtype (default float32).

    Example:
        >>> import ndgrad
        >>> layer = ndgrad.nn.Bilinear(3, 4, 2)
        >>> layer(ndgrad.ones((5, 3)), ndgrad.ones((5, 4))).shape, layer.count_params()
        ((5, 2), 26)
    """

    def __init__(self, in1_features, in2_features, out_features, bias=True, device=None,
                 dtype=None, name=None):
        check_device(device, "Bilinear")
        super().__init__(name=name, dtype=dtype)
        self.in1_features = size("Bilinear", "in1_features", in1_features, minimum=1)
        self.in2_features = size("Bilinear", "in2_features", in2_features)
        self.out_features = size("Bilinear", "out_features", out_features)
        bound = 1.0 / math.sqrt(self.in1_features)
        shape = (self.out_features, self.in1_features, self.in2_features)
        self.weight = Parameter(random.uniform(shape, -bound, bound, self.dtype))
        self.bias = (Parameter(random.uniform((self.out_features,), -bound, bound, self.dtype))
                     if bias else None)

    def forward(self, input1, input2):
        return bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self):
        return (f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
                f"out_features={self.out_features}, bias={self.bias is not None}")


class Dense(Module):
    """``y = activation(x @ kernel + bias)``, Keras's Dense: ``kernel`` is
    (input_dim, units), created from the first input's last dimension.

    Args:
        units: the output size.
        activation: a name ("relu", "softmax", ...), a callable, or None.
        use_bias: learn an additive bias.
        kernel_initializer, bias_initializer: names or initializer objects.
        input_shape: the shape of one sample; builds the layer at once.

    Example:
        >>> import ndgrad
        >>> layer = ndgrad.layers.Dense(3, activation="relu", kernel_initializer="ones")
        >>> layer(ndgrad.ones((2, 4))).tolist()
        [[4.0, 4.0, 4.0], [4.0, 4.0, 4.0]]
    """

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", **kwargs):
        super().__init__(**kwargs)
        self.units = size("Dense", "units", units, minimum=1)
        self.activation = activation_names.get(activation)
        self._activation_name = activation_names.name_of(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.kernel = None
        self.bias = None
        self.build_from_input_shape()

    def build(self, input_shape):
        self.kernel = self.add_weight("kernel", (input_shape[-1], self.units),
                                      initializer=self.kernel_initializer)
        if self.use_bias:
            self.bias = self.add_weight("bias", (self.units,), initializer=self.bias_initializer)

    def call(self, inputs, training=None):
        return self.activation(linear(require_array(self, inputs), self.kernel, self.bias,
                                      transposed=False))

    def get_config(self):
        return {**super().get_config(), "units": self.units, "activation": self._activation_name,
                "use_bias": self.use_bias}

    def extra_repr(self):
        return f"units={self.units}, activation={self._activation_name}"


