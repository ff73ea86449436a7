"""The errors of loading a file: one class for every fault, one for a missing file.

Example:
    >>> from ndgrad.io import CheckpointError
    >>> from ndgrad.io import CheckpointNotFoundError
    >>> issubclass(CheckpointNotFoundError, CheckpointError)
    True
    >>> issubclass(CheckpointError, ValueError)
    True
"""


class CheckpointError(ValueError):
    """A weights or checkpoint file that cannot be loaded: missing, not a
    safetensors file, truncated, corrupted, holding a malformed training state,
    or not fitting the model. The message names the file and what is wrong.

    Example:
        >>> from ndgrad.io import CheckpointError
        >>> issubclass(CheckpointError, ValueError)
        True
    """


class CheckpointNotFoundError(CheckpointError, FileNotFoundError):
    """The file to load does not exist (also a ``FileNotFoundError``).

    Example:
        >>> from ndgrad.io import CheckpointNotFoundError
        >>> issubclass(CheckpointNotFoundError, FileNotFoundError)
        True
    """
