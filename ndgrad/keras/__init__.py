"""``ndgrad.keras``: placeholder package for the keras-functional branch.

The keras-face branch owns this file and provides the real one (``from ndgrad
import keras``); at the merge, keep keras-face's version. It imports the two
modules of this branch, :mod:`ndgrad.keras.models` and
:mod:`ndgrad.keras.saving`, and ``Input`` from ``ndgrad``.

Example:
    >>> import ndgrad.keras.models, ndgrad.keras.saving
    >>> ndgrad.keras.models.Model is ndgrad.Model
    True
"""
