"""The Keras and TensorFlow programs of the suite (keras-io examples and
guides), one ``Program`` each, registered as in ``_programs_torch.py``
(``framework="keras"``; their baseline text swaps ``from ndgrad import keras``
back to ``import keras``; Keras is not installed here, so they run on ndgrad
only).

Example:
    >>> all(program.framework == "keras" for program in KERAS_PROGRAMS)
    True
"""

from _port_program import KERAS_LOSS, NUMBER, Program  # noqa: F401 (for the entries)

__all__ = ["KERAS_PROGRAMS"]

KERAS_PROGRAMS = [
]
