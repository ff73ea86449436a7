"""Saving and loading: weights and training checkpoints as safetensors files.

``save_weights`` / ``load_weights`` store a module's ``state_dict`` under
PyTorch's names (PyTorch reads and writes the same files with
``safetensors.torch``); ``save_checkpoint`` / ``load_checkpoint`` add the
optimizer's state, ``ndgrad.random``'s state, the epoch and a JSON ``extra``
dict, to resume training exactly. Writes are atomic (and the next save to a
path removes what a killed save left beside it). Loading refuses any path
that is not a regular file, checks every byte of the file (a SHA-256 over
the header, CRC-32s over the data), then the whole training state and the
fit, before changing anything; it never unpickles. Writing needs the optional ``safetensors``
package (``pip install ndgrad[io]``); reading needs NumPy only.

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
