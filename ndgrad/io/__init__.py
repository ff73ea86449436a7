"""Saving and loading: weights and training checkpoints as safetensors files.

``save_weights`` / ``load_weights`` store a module's ``state_dict`` under
PyTorch's names (PyTorch reads and writes the same files with
``safetensors.torch``); ``save_checkpoint`` / ``load_checkpoint`` add the
optimizer's state, ``ndgrad.random``'s state, the epoch and a JSON ``extra``
dict, to resume training exactly. Writes are atomic; loading checks the file
and the fit before changing anything, and never unpickles. Needs the optional
``safetensors`` package (``pip install ndgrad[io]``).

Example:
    >>> import os, tempfile, ndgrad
    >>> path = os.path.join(tempfile.mkdtemp(), "model.safetensors")
    >>> ndgrad.io.save_weights(ndgrad.nn.Linear(2, 1), path)
    >>> ndgrad.io.load_weights(ndgrad.nn.Linear(2, 1), path).missing_keys
    []
"""

from .checkpoint import load_checkpoint, save_checkpoint
from .model_archive import load_model, save_model
from .safetensors_file import CheckpointError, CheckpointNotFoundError
from .weights import load_weights, save_weights

__all__ = ["save_weights", "load_weights", "save_checkpoint", "load_checkpoint",
           "save_model", "load_model", "CheckpointError", "CheckpointNotFoundError"]
