"""The suite's own machinery (``examples/ported/_*.py``): its doctests, and the
import swap that makes a port's baseline (``_port_source``)."""

import doctest
import importlib
import os

import pytest

from tests.programs.program_checks import PORTED

HELPERS = ["_port_harness", "_port_source", "_port_program", "_port_programs", "_programs_torch",
           "_programs_keras", "_offline_data", "_offline_graph", "_offline_vision",
           "_offline_vision.datasets", "_offline_vision.transforms", "_offline_vision.utils"]


@pytest.mark.parametrize("name", HELPERS)
def test_helper_doctests(name, monkeypatch):
    monkeypatch.setenv("PORTED_DATA", "tiny")
    monkeypatch.setenv("PORTED_FRAMEWORK", "unset")  # restored after the doctests set it
    monkeypatch.delenv("PORTED_FRAMEWORK")
    module = importlib.import_module(name)
    failed, _ = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failed == 0


@pytest.mark.parametrize("port, baseline", [
    ("import ndgrad.torch as torch", "import torch"),
    ("import ndgrad.torch.nn as nn", "import torch.nn as nn"),
    ("import ndgrad.torch.onnx", "import torch.onnx"),
    ("    from ndgrad.torch.utils.data import DataLoader",
     "    from torch.utils.data import DataLoader"),
    ("from ndgrad.torch import nn, optim as o", "from torch import nn, optim as o"),
    ("from ndgrad import keras", "import keras"),
    ("from ndgrad.keras import layers", "from keras import layers"),
    ("import ndgrad.tensorflow as tf", "import tensorflow as tf"),
    # not framework imports: left alone (the check then finds ndgrad in the code)
    ("import ndgrad", "import ndgrad"),
    ("from ndgrad import nn", "from ndgrad import nn"),
    ("import numpy as np", "import numpy as np"),
    ("x = 'import ndgrad.torch'", "x = 'import ndgrad.torch'"),
])
def test_swap_import_line(port, baseline):
    from _port_source import swap_import_line
    assert swap_import_line(port) == baseline


def test_verify_catches_edits_beyond_imports():
    from _port_source import SAMPLE, PortSource
    assert PortSource.parse("x.py", SAMPLE).verify() == (0, "")
    unlisted = SAMPLE.replace("#   import ndgrad.torch.nn.functional as F\n", "")
    assert "not the listed" in PortSource.parse("x.py", unlisted).verify()[1]
    sneaky = SAMPLE + "import ndgrad\nx = ndgrad.zeros(3)\n"
    assert "still names ndgrad" in PortSource.parse("x.py", sneaky).verify()[1]
    switch = SAMPLE + "import os\nfast = os.environ.get('PORTED_FRAMEWORK')\n"
    assert "PORTED_FRAMEWORK" in PortSource.parse("x.py", switch).verify()[1]
    nameless = SAMPLE.replace("# Follows", "# Like")
    assert "no '# Follows" in PortSource.parse("x.py", nameless).verify()[1]
    undated = SAMPLE.replace("# at commit", "# commit")
    assert "no '# Follows" in PortSource.parse("x.py", undated).verify()[1]


def test_ports_live_in_the_ported_folder():
    assert os.path.isfile(os.path.join(PORTED, "run.py"))
