"""``save`` and ``to_json``: whole-model saving for ``Model`` and ``Sequential``.

Both forward to :mod:`ndgrad.io.model_archive`, which writes Keras 3's
``.keras`` layout with JSON and safetensors inside (never pickle).

Example:
    >>> import os, tempfile, ndgrad
    >>> model = ndgrad.Sequential([ndgrad.Input((3,)), ndgrad.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.keras")
    >>> model.save(path)
    >>> ndgrad.io.load_model(path).layers[0].units
    2
"""

__all__ = ["ModelSavingMixin"]


class ModelSavingMixin:
    """``save(filepath)`` and ``to_json()``, mixed into Model and Sequential."""

    def save(self, filepath, overwrite=True, **options):
        """Save the architecture, the weights and the compile settings in one ``.keras``
        file (a zip of ``config.json``, ``metadata.json`` and
        ``model.weights.safetensors``); :func:`ndgrad.io.load_model` reads it.

        Args:
            filepath: a path ending in ``.keras``.
            overwrite: False refuses to replace an existing file.

        Example:
            >>> import os, tempfile, ndgrad
            >>> x = ndgrad.Input((2,)); model = ndgrad.Model(x, ndgrad.layers.Dense(1)(x))
            >>> path = os.path.join(tempfile.mkdtemp(), "m.keras"); model.save(path)
            >>> os.path.getsize(path) > 0
            True
        """
        from ..io.model_archive import save_model
        save_model(self, filepath, overwrite=overwrite, **options)

    def to_json(self, **json_options):
        """The architecture as a JSON string; ``keras.models.model_from_json`` reads it.

        Example:
            >>> import json, ndgrad
            >>> model = ndgrad.Sequential([ndgrad.Input((3,)), ndgrad.layers.Dense(2)])
            >>> json.loads(model.to_json())["class_name"]
            'Sequential'
        """
        from ..io.model_archive import model_to_json
        return model_to_json(self, **json_options)
