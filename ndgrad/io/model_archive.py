"""Whole models in one ``.keras`` file: architecture as JSON, weights as safetensors.

The file is a zip with Keras 3's layout, holding no pickle and no code:

- ``config.json``: the model's saved form (``module``, ``class_name``,
  ``config``, see :mod:`ndgrad.nn.serialization`) and its ``compile_config``
  (optimizer, loss, metrics, loss weights) when it was compiled;
- ``metadata.json``: the ndgrad version and the date;
- ``model.weights.safetensors``: ``model.state_dict()`` (instead of Keras's
  ``model.weights.h5``; PyTorch's ``safetensors`` reads it), written as
  ``save_weights`` writes it: every byte of it, header included, is covered by
  its digest (see :mod:`ndgrad.io.integrity`). The zip's CRC-32s cover the
  JSON members, which stay editable by hand as in Keras.

:func:`load_model` checks the archive before reading anything from it: only
these three names (no folders, no paths), sizes within limits, valid JSON of
the expected shape; then it rebuilds built-in layers from their names
(without the code that first built the model), takes user classes from
``custom_objects`` or the registry, loads the weights (names, shapes and
dtypes checked before any write) and compiles the model again. The
optimizer's slots (Adam's moments) are not saved.

Example:
    >>> from ndgrad.io import load_model
    >>> import os, tempfile, numpy as np, ndgrad
    >>> x = ndgrad.Input((3,), name="x")
    >>> model = ndgrad.Model(x, ndgrad.layers.Dense(2, name="out")(x))
    >>> model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.keras")
    >>> model.save(path)
    >>> loaded = load_model(path)
    >>> np.allclose(loaded.predict(np.ones((2, 3)), verbose=0), model.predict(np.ones((2, 3)),
    ...                                                                       verbose=0))
    True
    >>> type(loaded.optimizer).__name__, loaded.loss
    ('Adam', 'mse')
"""

import datetime
import io
import json
import os
import warnings
import zipfile

from .atomic import write_atomically
from .safetensors_file import (CheckpointError, decode_payload, open_regular_file,
                               tensors_payload)
from .weights import check_path, load_into

__all__ = ["save_model", "load_model", "model_to_json", "model_from_json", "clone_model"]

CONFIG_NAME, METADATA_NAME, WEIGHTS_NAME = ("config.json", "metadata.json",
                                            "model.weights.safetensors")
_LIMITS = {CONFIG_NAME: 64 << 20, METADATA_NAME: 1 << 20, WEIGHTS_NAME: 64 << 30}


def _model_form(model):
    from ..nn.serialization import serialize_object
    return serialize_object(model, "model")


def model_to_json(model, **json_options):
    """The architecture of ``model`` as a JSON string (no weights).

    Example:
        >>> from ndgrad.io.model_archive import model_to_json
        >>> import json, ndgrad
        >>> model = ndgrad.Sequential([ndgrad.Input((2,)), ndgrad.layers.Dense(1)])
        >>> json.loads(model_to_json(model))["config"]["layers"][1]["class_name"]
        'Dense'
    """
    return json.dumps(_model_form(model), **json_options)


def _checked_form(form, where):
    if not isinstance(form, dict) or not isinstance(form.get("class_name"), str) \
            or not isinstance(form.get("config"), dict):
        raise CheckpointError(f"{where}: expected a JSON object with 'class_name' (a string) "
                              "and 'config' (an object); this is not a saved model config")
    return form


def model_from_json(json_string, custom_objects=None):
    """A model (new weights) from :func:`model_to_json`'s string.

    Example:
        >>> from ndgrad.models import model_from_json
        >>> import ndgrad
        >>> model = ndgrad.Sequential([ndgrad.Input((2,)), ndgrad.layers.Dense(1, name="d")])
        >>> model_from_json(model.to_json()).layers[0].name
        'd'
    """
    from ..nn.serialization import deserialize_object
    try:
        form = json.loads(json_string)
    except (TypeError, ValueError) as error:
        raise ValueError(f"model_from_json: not valid JSON ({error})") from None
    return deserialize_object(_checked_form(form, "model_from_json"), custom_objects,
                              "model_from_json")


def clone_model(model, input_tensors=None, clone_function=None):
    """A new model with the same architecture and fresh weights (Keras's ``clone_model``).

    Example:
        >>> from ndgrad.models import clone_model
        >>> import ndgrad
        >>> x = ndgrad.Input((2,)); model = ndgrad.Model(x, ndgrad.layers.Dense(1)(x))
        >>> clone = clone_model(model)
        >>> clone.layers[1] is model.layers[1], clone.layers[1].kernel.shape
        (False, (2, 1))
    """
    if input_tensors is not None or clone_function is not None:
        raise NotImplementedError("clone_model: input_tensors= and clone_function= are not "
                                  "supported; clone, then call the clone on new inputs")
    from ..nn.serialization import deserialize_object
    return deserialize_object(_model_form(model), None, "clone_model")


def _compile_config(model):
    from ..nn.serialization import serialize_value
    if not getattr(model, "compiled", False):
        return None
    config = {}
    for key, value in (("optimizer", model.optimizer), ("loss", model.loss),
                       ("metrics", model.compiled_metrics),
                       ("loss_weights", model.__dict__.get("compiled_loss_weights"))):
        try:
            config[key] = serialize_value(value, f"compile {key}")
        except (TypeError, ValueError) as error:
            warnings.warn(f"save_model: the compile setting {key!r} is not saved ({error}); "
                          "compile the loaded model yourself", stacklevel=4)
            config[key] = None
    return config


def _check_target(path, overwrite):
    lower = path.lower()
    if lower.endswith((".h5", ".hdf5")):
        raise ValueError(f"save: {path}: ndgrad does not write HDF5; save to a '.keras' file "
                         "(JSON and safetensors in a zip), or the weights alone to "
                         "'.weights.safetensors' with save_weights")
    if not lower.endswith(".keras"):
        raise ValueError(f"save: {path}: the file name must end in '.keras' (as Keras 3 "
                         "requires); for the weights alone use save_weights(...)")
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"save: {path} exists and overwrite=False")


def save_model(model, filepath, overwrite=True, zipped=True):
    """Write ``model`` to a ``.keras`` file (see the module); the write is atomic.

    Example:
        >>> from ndgrad.io import save_model
        >>> import os, tempfile, zipfile, ndgrad
        >>> model = ndgrad.Sequential([ndgrad.Input((2,)), ndgrad.layers.Dense(1)])
        >>> path = os.path.join(tempfile.mkdtemp(), "m.keras"); save_model(model, path)
        >>> sorted(zipfile.ZipFile(path).namelist())
        ['config.json', 'metadata.json', 'model.weights.safetensors']
    """
    if not zipped:
        raise NotImplementedError("save: zipped=False is not supported; ndgrad writes one "
                                  ".keras file")
    path = check_path("save", filepath)
    _check_target(path, overwrite)
    form = _model_form(model)
    compile_config = _compile_config(model)
    if compile_config is not None:
        form["compile_config"] = compile_config
    weights = tensors_payload(model.state_dict(),
                              {"kind": "weights", "module": type(model).__name__}, path)
    from .. import __version__
    metadata = {"keras_version": "3 (ndgrad)", "ndgrad_version": __version__,
                "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(CONFIG_NAME, json.dumps(form, allow_nan=True))
        archive.writestr(METADATA_NAME, json.dumps(metadata))
        archive.writestr(WEIGHTS_NAME, weights, compress_type=zipfile.ZIP_STORED)
    write_atomically(path, buffer.getvalue())


def _open_archive(path):
    """The archive's members as bytes, after checking names and sizes."""
    try:
        file = open_regular_file(path)
    except CheckpointError as error:
        message = str(error)
        if " is a folder" in message:
            message += " (a TensorFlow SavedModel?); ndgrad loads '.keras' files"
        raise type(error)(f"load_model: {message}") from None
    with file:
        return _read_archive(file, path)


def _read_archive(file, path):
    head = file.read(4)
    if head[:1] == b"\x80":
        raise CheckpointError(f"load_model: {path} is a Python pickle; ndgrad never unpickles")
    if head.startswith(b"\x89HDF"):
        raise CheckpointError(f"load_model: {path} is an HDF5 (.h5) file; ndgrad reads '.keras' "
                              "files (re-save the model with model.save('name.keras'))")
    if head != b"PK\x03\x04":
        raise CheckpointError(f"load_model: {path} is not a '.keras' zip archive")
    try:
        archive = zipfile.ZipFile(file)
    except zipfile.BadZipFile as error:
        raise CheckpointError(f"load_model: {path}: a damaged zip archive ({error})") from None
    with archive:
        infos = archive.infolist()
        names = [info.filename for info in infos]
        unexpected = sorted(set(names) - set(_LIMITS))
        if unexpected or len(names) != len(set(names)):
            raise CheckpointError(f"load_model: {path} holds unexpected entries "
                                  f"{unexpected or names}; a .keras file holds only "
                                  f"{sorted(_LIMITS)}")
        for required in (CONFIG_NAME, WEIGHTS_NAME):
            if required not in names:
                raise CheckpointError(f"load_model: {path} has no {required}")
        contents = {}
        for info in infos:
            if info.file_size > _LIMITS[info.filename]:
                raise CheckpointError(f"load_model: {path}: {info.filename} claims "
                                      f"{info.file_size} bytes, over the limit of "
                                      f"{_LIMITS[info.filename]}")
            try:
                data = archive.read(info)
            except (zipfile.BadZipFile, OSError, ValueError) as error:
                raise CheckpointError(f"load_model: {path}: {info.filename} is damaged "
                                      f"({error})") from None
            if len(data) != info.file_size:
                raise CheckpointError(f"load_model: {path}: {info.filename} is truncated")
            contents[info.filename] = data
    return contents


def _parse_json(data, path, name):
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise CheckpointError(f"load_model: {path}: {name} is not valid JSON ({error})") from None


def _read_weights(data, path):
    try:
        tensors, _ = decode_payload(bytearray(data), WEIGHTS_NAME)
    except CheckpointError as error:
        raise CheckpointError(f"load_model: {path}: the weights are not a valid safetensors "
                              f"file ({error})") from None
    return tensors


def _compile(model, config, path):
    from ..nn.serialization import deserialize_value
    try:
        settings = {key: deserialize_value(value) for key, value in config.items()
                    if value is not None}
        model.compile(**settings)
    except (TypeError, ValueError) as error:
        warnings.warn(f"load_model: {path}: the model could not be compiled again ({error}); "
                      "call model.compile(...) yourself", stacklevel=3)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """A model from a ``.keras`` file written by :func:`save_model` (see the module).

    Args:
        filepath: the ``.keras`` file.
        custom_objects: ``{"name": class_or_function}`` for user classes and
            functions in the model that are not registered.
        compile: compile the model again with the saved settings.
        safe_mode: accepted for Keras compatibility; ndgrad never loads code.

    Raises:
        CheckpointError: (a ValueError) a file that is not a valid archive, or
            weights that do not fit the rebuilt model.

    Example:
        >>> from ndgrad.io import load_model
        >>> import os, tempfile, ndgrad
        >>> model = ndgrad.Sequential([ndgrad.Input((4,)), ndgrad.layers.Dense(3, name="h")])
        >>> path = os.path.join(tempfile.mkdtemp(), "m.keras"); model.save(path)
        >>> load_model(path).get_layer("h").kernel.tolist() == model.get_layer("h").kernel.tolist()
        True
    """
    from ..nn.serialization import deserialize_object
    path = check_path("load_model", filepath)
    contents = _open_archive(path)
    form = _checked_form(_parse_json(contents[CONFIG_NAME], path, CONFIG_NAME),
                         f"load_model: {path}: {CONFIG_NAME}")
    if METADATA_NAME in contents:
        metadata = _parse_json(contents[METADATA_NAME], path, METADATA_NAME)
        if not isinstance(metadata, dict):
            raise CheckpointError(f"load_model: {path}: {METADATA_NAME} is not a JSON object")
    tensors = _read_weights(contents[WEIGHTS_NAME], path)
    try:
        model = deserialize_object(form, custom_objects, f"load_model: {path}")
    except (KeyError, IndexError, AttributeError, TypeError, RecursionError) as error:
        raise CheckpointError(f"load_model: {path}: {CONFIG_NAME} does not describe a model "
                              f"ndgrad can build ({type(error).__name__}: {error}); the file is "
                              "damaged, or was written by another program") from error
    load_into(model, tensors, path, True, "load_model")
    compile_config = form.get("compile_config")
    if compile and isinstance(compile_config, dict):
        _compile(model, compile_config, path)
    return model
