"""``tensorflow.keras`` is Keras: the modules ``ndgrad.tensorflow.keras`` and
``ndgrad.tensorflow.keras.<anything>`` are ``ndgrad.keras`` and its submodules
under a second name, so that TensorFlow programs' imports
(``from tensorflow.keras.layers import Dense``, ``from tensorflow.keras import
Model``) work with only ``tensorflow`` replaced.

An import of such a name is answered by an import finder that imports the
matching ``ndgrad.keras`` module and hands back that very module object: one
module, two names, nothing copied.

Example:
    >>> import ndgrad.keras.layers
    >>> from ndgrad.tensorflow.keras import layers
    >>> layers is ndgrad.keras.layers
    True
"""

import importlib
import importlib.abc
import importlib.util
import sys

PREFIX = "ndgrad.tensorflow.keras"
TARGET = "ndgrad.keras"


class _Existing(importlib.abc.Loader):
    """Loads a module by returning the already imported ``ndgrad.keras`` module."""

    def __init__(self, module):
        self.module = module

    def create_module(self, spec):
        return self.module

    def exec_module(self, module):
        pass


class KerasAliasFinder(importlib.abc.MetaPathFinder):
    """Finds ``ndgrad.tensorflow.keras[.x.y]`` as ``ndgrad.keras[.x.y]``."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != PREFIX and not fullname.startswith(PREFIX + "."):
            return None
        module = importlib.import_module(TARGET + fullname[len(PREFIX):])
        spec = importlib.util.spec_from_loader(fullname, _Existing(module),
                                               is_package=hasattr(module, "__path__"))
        if hasattr(module, "__path__"):
            spec.submodule_search_locations = list(module.__path__)
        return spec


def install():
    """Put the finder on ``sys.meta_path`` once."""
    if not any(isinstance(finder, KerasAliasFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, KerasAliasFinder())
