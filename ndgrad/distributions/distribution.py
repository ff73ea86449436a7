"""Distribution: the base class of ndgrad's probability distributions.

A distribution holds parameters as ndgrad tensors, so that ``log_prob``,
``entropy`` and ``rsample`` are ordinary ndgrad computations: gradients
flow from them into the parameters (a policy's logits, an encoder's mean and
scale). ``sample`` draws without a gradient, from ndgrad's generator
(``ndgrad.random.seed`` / ``torch.manual_seed`` make it reproducible).

Shapes follow PyTorch's: ``batch_shape`` is the shape of independent
distributions held at once, ``event_shape`` the shape of one draw (empty
for the scalar distributions here); ``sample(sample_shape)`` has shape
``sample_shape + batch_shape + event_shape``.

Arguments are checked unless ``validate_args=False`` (PyTorch's default is
to check): parameters outside their domain (a negative scale, negative
probabilities) and values outside the support given to ``log_prob`` raise a
ValueError naming the distribution, the argument and the values.

Example:
    >>> import ndgrad
    >>> from ndgrad.distributions import Normal
    >>> d = Normal(ndgrad.zeros(3), ndgrad.ones(3))
    >>> d.batch_shape, d.event_shape, d.sample((2,)).shape
    (ndgrad.Size([3]), ndgrad.Size([]), (2, 3))
"""

import numbers

import numpy as np

from .. import ops
from ..autograd.mode import no_grad
from ..size import Size
from ..tensor import Tensor, as_tensor

__all__ = ["Distribution", "broadcast_all", "as_parameter"]


def as_parameter(value, dtype=None):
    """``value`` as a tensor; numbers and lists become ``dtype`` (default float32),
    NumPy arrays keep theirs unless ``dtype`` is given.

    Example:
        >>> from ndgrad.distributions.continuous import as_parameter
        >>> import numpy as np
        >>> as_parameter(0.5).dtype, as_parameter([1, 2], "float64").dtype
        (dtype('float32'), dtype('float64'))
        >>> as_parameter(np.zeros(2)).dtype
        dtype('float64')
    """
    if isinstance(value, Tensor):
        return value
    if isinstance(value, np.ndarray) and dtype is None:
        return as_tensor(value)
    return as_tensor(np.asarray(value, dtype=dtype or np.float32))


def broadcast_all(*values):
    """The values as tensors of one broadcast shape; numbers take the dtype of the
    tensors (or arrays) among them (float32 when there are none), as PyTorch's
    ``broadcast_all``.

    Example:
        >>> from ndgrad.distributions.continuous import broadcast_all
        >>> import ndgrad
        >>> a, b = broadcast_all(ndgrad.zeros(3, dtype="float64"), 1.0)
        >>> b.shape, b.dtype
        ((3,), dtype('float64'))
    """
    dtypes = [value.dtype for value in values if isinstance(value, (Tensor, np.ndarray))]
    dtype = np.result_type(*dtypes) if dtypes else np.float32
    tensors = [as_parameter(value, dtype) for value in values]
    shape = np.broadcast_shapes(*(tensor.shape for tensor in tensors))
    return tuple(tensor if tensor.shape == shape else ops.broadcast_to(tensor, shape)
                 for tensor in tensors)


def _sample_shape(sample_shape):
    if isinstance(sample_shape, numbers.Integral):
        return (int(sample_shape),)
    return tuple(int(n) for n in sample_shape)


class Distribution:
    """Base class: subclasses set ``batch_shape`` / ``event_shape`` through
    ``super().__init__`` and define ``sample`` or ``rsample``, ``log_prob``,
    ``entropy``, ``mean``, ``variance``.

    Example:
        >>> import ndgrad
        >>> from ndgrad.distributions import Bernoulli
        >>> d = Bernoulli(probs=ndgrad.tensor([0.25, 0.5]))
        >>> d.mean.tolist(), [round(v, 4) for v in d.stddev.tolist()]
        ([0.25, 0.5], [0.433, 0.5])
    """

    has_rsample = False
    has_enumerate_support = False
    _validate_default = True

    @staticmethod
    def set_default_validate_args(value):
        """Check arguments by default (True, PyTorch's default) or not.

        Example:
            >>> from ndgrad.distributions import Distribution
            >>> Distribution.set_default_validate_args(True)
        """
        Distribution._validate_default = bool(value)

    def __init__(self, batch_shape=(), event_shape=(), validate_args=None):
        self._batch_shape = Size(batch_shape)
        self._event_shape = Size(event_shape)
        self._validate_args = (Distribution._validate_default if validate_args is None
                               else bool(validate_args))

    @property
    def batch_shape(self):
        """The shape of the independent distributions held at once."""
        return self._batch_shape

    @property
    def event_shape(self):
        """The shape of one draw."""
        return self._event_shape

    def _extended_shape(self, sample_shape=()):
        return _sample_shape(sample_shape) + tuple(self._batch_shape) + tuple(self._event_shape)

    def sample(self, sample_shape=()):
        """A draw of shape ``sample_shape + batch_shape + event_shape``, without a
        gradient (``rsample`` keeps one where the distribution allows it)."""
        with no_grad():
            return self.rsample(sample_shape).detach()

    def rsample(self, sample_shape=()):
        """A reparameterized draw, through which gradients reach the parameters."""
        raise NotImplementedError(f"{type(self).__name__} has no reparameterized sample "
                                  "(rsample); use sample(), and a score-function estimate "
                                  "(log_prob) for gradients")

    def sample_n(self, n):
        """``sample((n,))`` (PyTorch's older spelling)."""
        return self.sample((n,))

    def log_prob(self, value):
        """The log of the density (or mass) at ``value``."""
        raise NotImplementedError(f"{type(self).__name__}.log_prob")

    def entropy(self):
        """The entropy of each distribution of the batch."""
        raise NotImplementedError(f"{type(self).__name__}.entropy")

    def cdf(self, value):
        """The cumulative distribution function at ``value``."""
        raise NotImplementedError(f"{type(self).__name__}.cdf is not supported (yet)")

    def icdf(self, value):
        """The inverse cumulative distribution function at ``value``."""
        raise NotImplementedError(f"{type(self).__name__}.icdf is not supported (yet)")

    def perplexity(self):
        """``exp(entropy())``."""
        return ops.exp(self.entropy())

    @property
    def mean(self):
        """The mean of each distribution."""
        raise NotImplementedError(f"{type(self).__name__}.mean")

    @property
    def mode(self):
        """The most likely value of each distribution."""
        raise NotImplementedError(f"{type(self).__name__}.mode")

    @property
    def variance(self):
        """The variance of each distribution."""
        raise NotImplementedError(f"{type(self).__name__}.variance")

    @property
    def stddev(self):
        """The standard deviation (the square root of ``variance``)."""
        return ops.sqrt(self.variance)

    # ---------------------------------------------------------------- checks
    def _check_parameter(self, name, tensor, valid, constraint):
        """Refuse parameter values outside their domain (unless validate_args=False)."""
        if not self._validate_args:
            return
        values = tensor.detach().numpy()
        ok = valid(values)
        if not np.all(ok):
            raise ValueError(f"{type(self).__name__}: {name} must be {constraint}; got "
                             f"{values[~ok][:5].tolist()} among its values (shape "
                             f"{values.shape}). Pass validate_args=False to skip this check")

    def _check_value(self, value, valid, support):
        """``value`` as a tensor, refused outside the support (unless validate_args=False)."""
        value = as_parameter(value, self._value_dtype())
        if self._validate_args:
            values = value.detach().numpy()
            ok = valid(values)
            if not np.all(ok):
                raise ValueError(f"{type(self).__name__}.log_prob: the value must be "
                                 f"{support}; got {values[~ok][:5].tolist()} among its values. "
                                 "Pass validate_args=False to skip this check")
        return value

    def _value_dtype(self):
        return np.float32

    def __repr__(self):
        shown = []
        for name in self._parameter_names:
            value = getattr(self, name)
            shown.append(f"{name}: {value.item() if value.ndim == 0 else Size(value.shape)}")
        return f"{type(self).__name__}({', '.join(shown)})"

    _parameter_names = ()
