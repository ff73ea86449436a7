"""Every program of the suite by name: the PyTorch table
(``_programs_torch.py``) and the Keras/TF table (``_programs_keras.py``).

Example:
    >>> PROGRAMS["regression"].main, PROGRAMS["regression"].origin
    ('regression.py', 'pytorch/examples regression/main.py')
"""

from _programs_keras import KERAS_PROGRAMS
from _programs_torch import TORCH_PROGRAMS

__all__ = ["PROGRAMS"]

PROGRAMS = {program.name: program for program in TORCH_PROGRAMS + KERAS_PROGRAMS}
