"""Variable: a named, persistent leaf that is trainable unless told otherwise.

``Variable`` is the Keras face of a trainable tensor (``tf.Variable``): it
holds state across steps and is updated by optimizers or by ``assign``,
``assign_add`` and ``assign_sub``, which write in place, are never recorded,
and are always allowed, even while recording.

Example:
    >>> import ndgrad
    >>> w = ndgrad.Variable([1.0, 2.0], name="w")
    >>> w.trainable, w.name
    (True, 'w')
    >>> w.assign_add([1.0, 1.0]).tolist()
    [2.0, 3.0]
"""

from . import _tensor_storage as _storage
from ._backend import xp
from .autograd.breaks import user_site
from .dtypes import is_differentiable
from .errors import dtype_error
from .tensor import Tensor


class Variable(Tensor):
    """A persistent leaf tensor, trainable by default.

    Args:
        value: the initial value: a tensor, an array, a number or nested lists
            (copied; Python floats become float32).
        trainable: whether optimizers and backward treat it as a parameter.
        name: a readable name, shown in reprs, summaries and explanations.
        dtype: the dtype to store (``ndgrad.float32``, ``"float64"``, ...).

    Example:
        >>> import numpy as np, ndgrad
        >>> b = ndgrad.Variable(np.zeros(3), trainable=False, dtype=ndgrad.float32)
        >>> b.dtype, b.trainable
        (dtype('float32'), False)
    """

    # _is_parameter: created trainable, so a Module treats it as a parameter that
    # freezing and unfreezing toggle; a Variable created with trainable=False is
    # non-trainable state (like BatchNorm's moving mean) and stays so.
    # _frozen_by: (what froze it, (file, line)) while frozen; _assigned_at: the
    # (file, line) of the latest assign(). Both feed ndgrad.explain.
    __slots__ = ("_is_parameter", "_frozen_by", "_assigned_at")

    def __init__(self, value, trainable=True, name=None, dtype=None):
        super().__init__(value, dtype=dtype, name=name)   # a copy of the value
        if trainable and not is_differentiable(self._data.dtype):
            raise dtype_error(
                "Variable", f"a trainable Variable needs a floating dtype (or a complex one), but the value has "
                f"dtype {self._data.dtype}; pass float data, dtype=ndgrad.float32, or "
                "trainable=False")
        self._is_parameter = bool(trainable)
        self._assigned_at = None
        self._frozen_by = None
        if trainable:
            self._set_trainable(True, "Variable")
        else:
            self._frozen_by = ("created with trainable=False", user_site())

    def _set_trainable(self, flag, what):
        super()._set_trainable(flag, what)
        self._frozen_by = None if flag else (f"{what.rstrip('_')}=False", user_site())

    def _check_value(self, value, what):
        # assign: the shapes must be equal (Keras 3 and TensorFlow refuse a broadcast
        # assign); assign_add/assign_sub: the value must broadcast to the Variable's shape.
        array = value._data if isinstance(value, Tensor) else xp.asarray(value)
        label = f"Variable {self.name!r}" if self.name else "the Variable"
        if what == "assign":
            if array.shape != self.shape:
                raise ValueError(f"assign: the value has shape {array.shape} but {label} has "
                                 f"shape {self.shape}; the shapes must be equal (to fill it "
                                 f"with one number, assign np.full({self.shape}, value))")
        else:
            try:
                result_shape = xp.broadcast_shapes(array.shape, self.shape)
            except ValueError:
                result_shape = None
            if result_shape != self.shape:
                raise ValueError(f"{what}: the value has shape {array.shape}, which does not "
                                 f"broadcast to the shape {self.shape} of {label}")
        if not xp.can_cast(array.dtype, self.dtype, casting="same_kind"):
            raise dtype_error(what, f"cannot store dtype {array.dtype} in a {self.dtype} Variable")
        return array

    def assign(self, value):
        """Set the value in place; the shape must be the Variable's (no broadcasting,
        as Keras 3 and TensorFlow); never recorded, always allowed.

        Example:
            >>> import ndgrad
            >>> v = ndgrad.Variable([0.0, 0.0]); v.assign([4.0, 5.0]).tolist()
            [4.0, 5.0]
        """
        array = self._check_value(value, "assign")
        xp.copyto(self._data, array, casting="same_kind")
        self._bump_version()
        self._assigned_at = user_site()
        return self

    def assign_add(self, delta):
        """Add ``delta`` (broadcast to the Variable's shape) in place; never recorded.

        Example:
            >>> import ndgrad
            >>> ndgrad.Variable([1.0]).assign_add(2.0).tolist()
            [3.0]
        """
        array = self._check_value(delta, "assign_add")
        xp.add(self._data, array, out=self._data, casting="same_kind")
        self._bump_version()
        return self

    def assign_sub(self, delta):
        """Subtract ``delta`` in place; never recorded.

        Example:
            >>> import ndgrad
            >>> ndgrad.Variable([1.0]).assign_sub(0.5).tolist()
            [0.5]
        """
        array = self._check_value(delta, "assign_sub")
        xp.subtract(self._data, array, out=self._data, casting="same_kind")
        self._bump_version()
        return self

    @property
    def value(self):
        """The variable itself, as Keras 3's ``variable.value`` (the backend tensor
        that holds the value and the gradient: ``v.value.grad``). For a constant
        snapshot use :meth:`read_value`. (TensorFlow's ``v.value()`` method is
        ``v.read_value()`` here.)

        Example:
            >>> import ndgrad
            >>> w = ndgrad.Variable([1.0]); (w * 3).sum().backward()
            >>> w.value is w, w.value.grad.tolist()
            (True, [3.0])
        """
        return self

    def read_value(self):
        """The current value as a constant tensor (a detached view; TensorFlow's name).

        Example:
            >>> import ndgrad
            >>> v = ndgrad.Variable([1.0]).read_value()
            >>> v.tolist(), v.trainable
            ([1.0], False)
        """
        return _storage.alias(self, Tensor._wrap(self._data))

    def __repr__(self):
        body = xp.array2string(self._data, separator=" ", prefix="Variable(")
        name = f"{self.name!r}, " if self.name is not None else ""
        return (f"{type(self).__name__}({name}{body}, dtype={self.dtype}, "
                f"trainable={self.trainable})")
