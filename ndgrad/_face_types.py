"""Factory classes of the drop-in faces that answer ``isinstance`` for a core class.

``keras.Variable(...)``, ``tf.Variable(...)`` (and such) are called with their
framework's arguments and return a core object; user code also writes
``isinstance(v, tf.Variable)``, which must hold for every core Variable, a
layer's weights included. A class whose metaclass is ``instances_of(core)``
does both: calling it runs its ``__new__`` (which returns the core object), and
``isinstance``/``issubclass`` are answered for ``core``.

Example:
    >>> import ndgrad
    >>> class TwoVariable(metaclass=instances_of(ndgrad.Variable)):
    ...     def __new__(cls, value):
    ...         return ndgrad.Variable(value * 2)
    >>> v = TwoVariable(1.0)
    >>> type(v).__name__, isinstance(v, TwoVariable), isinstance(ndgrad.Variable(1.0), TwoVariable)
    ('Variable', True, True)
"""

import functools


@functools.cache
def instances_of(core_class):
    """The metaclass for a face's factory class of ``core_class`` (see the module)."""

    class FactoryType(type):
        def __instancecheck__(cls, instance):
            return isinstance(instance, core_class)

        def __subclasscheck__(cls, subclass):
            return issubclass(subclass, core_class)

    FactoryType.__name__ = FactoryType.__qualname__ = f"FactoryOf{core_class.__name__}"
    return FactoryType
