"""What torch.save refuses, what torch.load allows (weights_only, safe_globals), and
loading in a fresh process that defines (or lacks) the class."""

import io
import os
import subprocess
import sys
import textwrap

import pytest

import ndgrad.torch as torch
from ndgrad.io.safetensors_file import CheckpointError

nn = torch.nn

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Holder(nn.Module):
    def __init__(self, held):
        super().__init__()
        self.fc = nn.Linear(1, 1)
        self.held = held


def own_function(x):
    return x


@pytest.mark.parametrize("held, message", [
    (lambda x: x, r"obj\.held, the function '<lambda>' \(module '.*'\) cannot be saved"),
    (own_function, r"obj\.held, the function 'own_function'.*Make it an nn.Module"),
    (object(), r"obj\.held, an object cannot be saved"),
    (len, r"obj\.held, the function 'len' \(module 'builtins'\)"),
])
def test_what_cannot_be_stored_is_refused_before_writing(tmp_path, held, message):
    with pytest.raises(TypeError, match=message):
        torch.save(Holder(held), tmp_path / "m.pt")
    assert not list(tmp_path.iterdir())


def test_open_files_optimizers_hooks_and_local_classes_are_refused(tmp_path):
    with open(__file__) as file, pytest.raises(TypeError, match=r"obj\.held, a TextIOWrapper"):
        torch.save(Holder(file), tmp_path / "m.pt")
    optimizer = torch.optim.SGD(nn.Linear(1, 1).parameters(), lr=0.1)
    with pytest.raises(TypeError, match=r"obj\.held, a SGD object.*state_dict\(\)"):
        torch.save(Holder(optimizer), tmp_path / "m.pt")
    model = nn.Sequential(nn.Linear(1, 1))
    handle = model[0].register_forward_hook(lambda module, args, out: None)
    with pytest.raises(TypeError, match=r"obj\['m'\]\.0 has a forward hook.*handle\.remove"):
        torch.save({"m": model}, tmp_path / "m.pt")
    handle.remove()
    torch.save({"m": model}, tmp_path / "ok.pt")

    class Local(nn.Module):
        pass
    with pytest.raises(TypeError, match="defined inside a function"):
        torch.save(Local(), tmp_path / "m.pt")
    assert [p.name for p in tmp_path.iterdir()] == ["ok.pt"]


class Mine(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 1)


def _file(obj):
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    return buffer.getvalue()


def test_weights_only_refuses_whole_modules_unless_their_classes_are_listed():
    data = _file(Mine())
    with pytest.raises(CheckpointError, match=r"weights_only=True.*Mine \(module '.*'\), "
                                              r"Linear.*safe_globals"):
        torch.load(io.BytesIO(data), weights_only=True)
    assert torch.load(io.BytesIO(_file({"w": torch.ones(1)})), weights_only=True)["w"].shape == (1,)
    with torch.serialization.safe_globals([Mine]):
        assert type(torch.load(io.BytesIO(data), weights_only=True)) is Mine
    assert type(torch.load(io.BytesIO(data), weights_only=False)) is Mine
    assert type(torch.load(io.BytesIO(data))) is Mine


def test_safe_globals_lists_the_programs_own_classes():
    data = _file(Mine())
    with torch.serialization.safe_globals([nn.Linear]):
        with pytest.raises(CheckpointError, match=r"Mine \(module '.*'\) not in "
                                                  r"torch\.serialization\.safe_globals"):
            torch.load(io.BytesIO(data))
        assert type(torch.load(io.BytesIO(data), weights_only=False)) is Mine
    torch.serialization.add_safe_globals([Mine, (Mine, "elsewhere.Mine")])
    try:
        assert Mine in torch.serialization.get_safe_globals()
        assert type(torch.load(io.BytesIO(data), weights_only=True)) is Mine
    finally:
        torch.serialization.clear_safe_globals()
    assert torch.serialization.get_safe_globals() == []
    with pytest.raises(TypeError, match="not a class or a function"):
        torch.serialization.safe_globals([3])
    with pytest.raises(TypeError, match="expected a list"):
        torch.serialization.add_safe_globals(Mine.__name__)


def test_torch_nn_modules_has_pytorchs_layout():
    real = pytest.importorskip("torch")
    import importlib
    from ndgrad.torch.nn.modules import ALIASES, LAYOUT
    for file_name, names in LAYOUT.items():
        theirs = importlib.import_module(f"torch.nn.modules.{file_name}")
        ours = getattr(torch.nn.modules, file_name)
        for name in [*names, *ALIASES.get(file_name, {})]:
            assert isinstance(getattr(theirs, name), type), (file_name, name)
            assert getattr(ours, name) is getattr(torch.nn, ALIASES.get(file_name, {}).get(
                name, name))
    assert real.nn.modules.linear.NonDynamicallyQuantizableLinear.__mro__[1] is real.nn.Linear
    import ndgrad.torch.nn.modules.rnn as rnn_file
    assert rnn_file.LSTM is torch.nn.LSTM
    with pytest.raises(AttributeError, match=r"torch\.nn\.modules\.rnn\.RNNCellBase is not"):
        rnn_file.RNNCellBase


SAVER = """
    import sys
    import ndgrad.torch as torch
    nn = torch.nn

    class TinyNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
            self.act = torch.nn.functional.tanh
            self.note = "saved"

        def forward(self, x):
            return self.act(self.body(x))
"""


def _run(script, *args):
    environment = dict(os.environ, PYTHONPATH=ROOT)
    return subprocess.run([sys.executable, "-c", textwrap.dedent(script), *args],
                          capture_output=True, text=True, env=environment, timeout=120)


def test_a_fresh_process_that_defines_the_class_loads_the_module(tmp_path):
    path = str(tmp_path / "net.pt")
    save = SAVER + """
    torch.manual_seed(0)
    model = TinyNet()
    with open(sys.argv[1], "wb") as f:
        torch.save(model, f)
    print(model(torch.ones(1, 3)).tolist())
    """
    saved = _run(save, path)
    assert saved.returncode == 0, saved.stderr
    load = SAVER + """
    with open(sys.argv[1], "rb") as f:
        with torch.serialization.safe_globals([TinyNet]):
            model = torch.load(f)
    print(model(torch.ones(1, 3)).tolist())
    assert model.note == "saved" and type(model) is TinyNet
    """
    loaded = _run(load, path)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout == saved.stdout
    lacking = _run("""
    import sys
    import ndgrad.torch as torch
    torch.load(sys.argv[1])
    """, path)
    assert lacking.returncode != 0
    assert "TinyNet (module '__main__')" in lacking.stderr
    assert "define the class TinyNet in this script too" in lacking.stderr
    assert "never imports or runs code" in lacking.stderr


def test_a_file_cannot_point_an_attribute_at_a_file_writing_function(tmp_path):
    # Stored functions come back only from ndgrad's math modules: a crafted file
    # naming ndgrad.io's writer is refused before anything is made.
    import ndgrad.io
    from ndgrad.torch._saved_tree import decode
    assert decode({"function": "ndgrad.ops.activations:relu"}, {}) is ndgrad.ops.relu
    with pytest.raises(ValueError, match="cannot stand there"):
        decode({"function": "ndgrad.io.weights:save_weights"}, {})
    bad = torch.nn.Module()
    bad.save = ndgrad.io.save_weights
    with pytest.raises(TypeError, match="math functions"):
        torch.save(bad, tmp_path / "bad.pt")
    assert not (tmp_path / "bad.pt").exists()
