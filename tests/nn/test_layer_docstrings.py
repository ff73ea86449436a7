"""Every public layer and loss documents its arguments in an Args section.

The classes reachable as ``ndgrad.nn.X``, ``ndgrad.layers.X`` and
``ndgrad.keras.losses.X`` (their constructor takes arguments beyond the common
``name``/``dtype``/``trainable``) must say what each argument means.
``NOT_YET`` listed the ones written before this rule; it only shrinks (a class that gains its Args must leave it, and no
new class may join it), and it is empty now.
"""

import inspect
import re

import pytest

from ndgrad import layers, nn
from ndgrad.keras import losses

COMMON = {"self", "args", "kwargs", "name", "device", "dtype", "trainable", "input_shape",
          "input_dim", "activity_regularizer", "unknown"}

# Emptied in issue 16: every public layer and loss has its Args now; none may join.
NOT_YET = set()


def public_layers_and_losses():
    found, seen = {}, set()
    for prefix, namespace in (("nn", nn), ("layers", layers), ("keras.losses", losses)):
        for name in dir(namespace):
            value = getattr(namespace, name)
            if name.startswith("_") or not inspect.isclass(value) or value in seen:
                continue
            if namespace is not losses and not issubclass(value, nn.Module):
                continue
            seen.add(value)
            found[f"{prefix}.{name}"] = value
    return found


def lacks_args(cls):
    try:
        parameters = set(inspect.signature(cls.__init__).parameters) - COMMON
    except (TypeError, ValueError):
        return False
    doc = (cls.__doc__ or "") + (cls.__init__.__doc__ or "")
    return bool(parameters) and "Args:" not in doc


def test_every_public_layer_and_loss_has_an_args_section():
    missing = sorted(name for name, cls in public_layers_and_losses().items() if lacks_args(cls))
    new = [name for name in missing if name not in NOT_YET]
    assert not new, f"these public layers/losses have no Args section: {new}"


def test_the_list_of_classes_without_args_only_shrinks():
    classes = public_layers_and_losses()
    documented = sorted(name for name in NOT_YET if name in classes and not lacks_args(classes[name]))
    assert not documented, f"{documented} have an Args section now: remove them from NOT_YET"


@pytest.mark.parametrize("name", ["nn.LSTM", "nn.CrossEntropyLoss", "keras.losses.Huber"])
def test_named_classes_document_their_arguments(name):
    cls = public_layers_and_losses()[name]
    doc = cls.__doc__
    assert "Args:" in doc
    for parameter in set(inspect.signature(cls.__init__).parameters) - COMMON - {"device"}:
        assert parameter in doc, f"{name}'s Args do not mention {parameter}"


def test_every_argument_is_named_in_the_docstring():
    missing = {}
    for name, cls in public_layers_and_losses().items():
        try:
            parameters = set(inspect.signature(cls.__init__).parameters) - COMMON - {"device"}
        except (TypeError, ValueError):
            continue
        doc = (cls.__doc__ or "") + (cls.__init__.__doc__ or "")
        absent = sorted(p for p in parameters if not re.search(rf"\b{re.escape(p)}\b", doc))
        if absent:
            missing[name] = absent
    assert not missing, f"arguments no docstring mentions: {missing}"
