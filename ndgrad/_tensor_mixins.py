"""The one base class of :class:`ndgrad.Tensor`: the methods of every mixin.

Tensor's methods live in files by topic, one mixin class each (operators,
shape, pieces, reductions, sorting, elementwise math, PyTorch's arithmetic
names, comparisons, indexing, conversions, device flags, layout, autograd, in-place forms, and the
PyTorch methods ndgrad lacks). :data:`TensorMixins` gathers them in one class,
so that Tensor's MRO stays three classes long: ``object.__new__`` (run for the
result of every op) checks the subtype along the MRO, and with the fourteen
mixins as bases the forward of ``bench/overhead.py`` measured 1% slower.

Example:
    >>> import ndgrad
    >>> [c.__name__ for c in ndgrad.Tensor.__mro__]
    ['Tensor', 'TensorMixins', 'object']
    >>> ndgrad.Tensor.view.__qualname__
    'TensorShapeMethods.view'
"""

from ._tensor_autograd import TensorAutograd
from ._tensor_comparisons import TensorComparisons
from ._tensor_complex import TensorComplex
from ._tensor_conversions import TensorConversions
from ._tensor_copies import TensorCopies
from ._tensor_device_flags import TensorDeviceFlags
from ._tensor_indexing import TensorIndexing
from ._tensor_inplace import TensorInplace
from ._tensor_inplace_math import TensorInplaceMath
from ._tensor_layout import TensorLayout
from ._tensor_math import TensorMath
from ._tensor_methods import TensorMethods
from ._tensor_pieces import TensorPieces
from ._tensor_reductions import TensorReductions
from ._tensor_shape_methods import TensorShapeMethods
from ._tensor_sorting import TensorSorting
from ._tensor_torch_methods import TensorTorchMethods
from ._tensor_unsupported import TensorUnsupported

MIXINS = (TensorMath, TensorShapeMethods, TensorPieces, TensorReductions, TensorSorting,
          TensorMethods, TensorTorchMethods, TensorComparisons, TensorIndexing, TensorConversions,
          TensorDeviceFlags, TensorLayout, TensorAutograd, TensorInplace, TensorInplaceMath,
          TensorComplex, TensorCopies, TensorUnsupported)

_CLASS_ENTRIES = ("__dict__", "__weakref__", "__slots__", "__module__", "__doc__", "__qualname__")


def one_base(name, mixins):
    """A class named ``name`` holding the methods of ``mixins``; a name that two
    mixins define is a mistake, refused here.

    Example:
        >>> class A:
        ...     def f(self): return 1
        >>> class B:
        ...     def g(self): return 2
        >>> Both = one_base("Both", (A, B)); Both().f() + Both().g()
        3
    """
    namespace = {"__slots__": (), "__module__": __name__,
                 "__doc__": "The methods of " + ", ".join(m.__name__ for m in mixins) + "."}
    for mixin in mixins:
        for key, value in vars(mixin).items():
            if key in _CLASS_ENTRIES or (key == "__hash__" and value is None):
                continue
            if key in namespace:
                raise TypeError(f"{name}: {mixin.__name__}.{key} is defined twice")
            namespace[key] = value
    return type(name, (), namespace)


TensorMixins = one_base("TensorMixins", MIXINS)
