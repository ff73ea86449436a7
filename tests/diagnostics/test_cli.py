"""``python -m ndgrad explain script.py``: real scripts from the seed scenarios,
run in a subprocess as a user would, and the command's conventions and errors
checked in-process (quicker)."""

import os
import pathlib
import re
import subprocess
import sys
import textwrap

import pytest

import ndgrad
from ndgrad.diagnostics import cli

ROOT = pathlib.Path(__file__).resolve().parents[2]


def write(folder, text, name="train.py"):
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return path


def line_in(path, text):
    """The number of the first line of ``path`` containing ``text``."""
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(text)


def run_cli(*args, cwd):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "ndgrad", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def rows_of(stdout):
    """``{name: (trainable, reaches, grad, why)}`` from the printed table."""
    rows, last = {}, None
    for line in stdout.splitlines():
        why = re.match(r"\s{4}why: (.*)", line)
        if why and last:
            rows[last] = rows[last][:3] + (why.group(1),)
            continue
        row = re.match(r"(\S+)\s+\(([\d, ]*)\)\s+(yes|no)\s+(yes|no|\?)\s+(ok|zero|none|nan|inf)",
                       line)
        if row:
            last = row.group(1)
            rows[last] = (row.group(3), row.group(4), row.group(5), None)
    return rows


# ------------------------------------------------------ seed scenarios, as a user runs them

def test_frozen_layer(tmp_path):
    script = write(tmp_path, """\
        import ndgrad
        from ndgrad import nn
        model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
        model[0].trainable = False
        optimizer = ndgrad.optim.SGD(model.parameters(), lr=0.1)
        loss = ((model(ndgrad.randn(5, 3)) - 1.0) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        """)
    result = run_cli("explain", script.name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "target: module-level variable 'loss'" in result.stdout
    assert "variables: module-level 'optimizer' (SGD, 4 parameters)" in result.stdout
    rows = rows_of(result.stdout)
    assert list(rows) == ["0.weight", "0.bias", "2.weight", "2.bias"]     # attribute paths
    frozen_at = f"{script}:{line_in(script, 'trainable = False')}"
    assert rows["0.weight"] == ("no", "no", "none",
                                f"frozen: layer 'linear' (trainable=False) ({frozen_at})")
    assert rows["2.weight"] == ("yes", "yes", "ok", None)
    assert "summary: 2 of 4 variables train" in result.stdout


def test_detach_and_np_clip_with_the_target_of_the_last_backward(tmp_path):
    script = write(tmp_path, """\
        import numpy as np
        import ndgrad
        w = ndgrad.Variable(np.ones((3, 1), dtype="float32"), name="w")
        b = ndgrad.Variable([0.5], name="b")
        x = ndgrad.tensor([[1.0, 2.0, 3.0]])
        clipped = ndgrad.tensor(np.clip(w.detach().numpy(), -1, 1))
        def train_step():
            out = ((x @ clipped + b) ** 2).sum()
            out.backward()
            return out
        kept = train_step()
        """)
    result = run_cli("explain", script, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "target: the target of the script's last backward()" in result.stdout
    rows = rows_of(result.stdout)
    cut_at = f"{script}:{line_in(script, 'np.clip(')}"
    assert rows["w"] == ("yes", "no", "none",
                         f"the path to the target was cut: detach() (or stop_gradient) ({cut_at})")
    assert rows["b"][:3] == ("yes", "yes", "ok")


def test_optimizer_built_before_a_layer_was_added_and_script_arguments(tmp_path):
    script = write(tmp_path, """\
        import sys
        import ndgrad
        from ndgrad import nn
        assert sys.argv[1:] == ["--epochs", "2"], sys.argv
        model = nn.Sequential(nn.Linear(3, 4))
        optimizer = ndgrad.optim.SGD(model.parameters(), lr=0.1)
        model.append(nn.Linear(4, 1))
        for epoch in range(int(sys.argv[2])):
            loss = (model(ndgrad.randn(2, 3)) ** 2).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        """)
    result = run_cli("explain", script, "--epochs", "2", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = rows_of(result.stdout)
    assert rows["0.weight"] == ("yes", "yes", "ok", None)
    for name in ("1.weight", "1.bias"):
        assert rows[name][:3] == ("yes", "yes", "ok")
        assert rows[name][3].startswith("not held by the optimizer: the target uses it, but SGD")
        assert ("built before the later layers were added (or over the first layers only) "
                "(2 of the model's 4 parameters: 0.*)") in rows[name][3]


def test_a_failing_script_prints_its_traceback_explains_and_exits_1(tmp_path):
    script = write(tmp_path, """\
        import ndgrad
        w = ndgrad.Variable([1.0, 2.0], name="w")
        scale = ndgrad.Variable([3.0], name="scale")
        loss = (w * 2).sum()
        loss.backward()
        raise RuntimeError("diverged at step 3")
        """)
    result = run_cli("explain", script, cwd=tmp_path)
    assert result.returncode == 1
    assert "RuntimeError: diverged at step 3" in result.stderr
    assert f'File "{script}", line 6' in result.stderr
    assert "runpy" not in result.stderr and "cli.py" not in result.stderr
    assert "stopped with RuntimeError" in result.stdout
    rows = rows_of(result.stdout)
    assert rows["w"][:3] == ("yes", "yes", "ok")
    assert rows["scale"][2] == "none" and rows["scale"][3].startswith("not used by the target")


def test_debug_locates_a_comparison_and_without_it_a_tip_says_so(tmp_path):
    script = write(tmp_path, """\
        import ndgrad
        w = ndgrad.Variable([[1.0, 2.0], [3.0, 0.5]], name="w")
        mask = (w > 1.0).astype("float32")
        loss = (mask * 2).sum()
        """)
    plain = run_cli("explain", script, cwd=tmp_path)
    assert plain.returncode == 0, plain.stderr
    assert "tip: rerun with --debug" in plain.stdout
    debugged = run_cli("explain", "--debug", script, cwd=tmp_path)
    assert debugged.returncode == 0, debugged.stderr
    why = rows_of(debugged.stdout)["w"][3]
    assert "non-differentiable op 'greater'" in why and why.endswith(f"{script}:3)")
    assert "tip:" not in debugged.stdout


def test_help_and_version(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["explain", "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert "module-level variable `loss`" in out and "--debug" in out and "--anomaly" in out
    with pytest.raises(SystemExit) as stop:
        cli.main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"ndgrad {ndgrad.__version__}"


# ------------------------------------------------------ conventions, in-process

def test_no_script(tmp_path, capsys):
    assert cli.main(["explain", str(tmp_path / "missing.py")]) == cli.NOTHING_TO_EXPLAIN
    assert "no script at" in capsys.readouterr().err


def test_no_command_prints_help(capsys):
    assert cli.main([]) == cli.NOTHING_TO_EXPLAIN
    assert "explain" in capsys.readouterr().err


def test_no_target_says_what_the_convention_is(tmp_path, capsys):
    script = write(tmp_path, "import ndgrad\nx = ndgrad.tensor([1.0])\n")
    assert cli.main(["explain", str(script)]) == cli.NOTHING_TO_EXPLAIN
    error = capsys.readouterr().err
    assert "no target found" in error and "'loss'" in error and "--target NAME" in error
    assert "Module-level tensors in this script: x" in error


def test_target_and_variables_by_name(tmp_path, capsys):
    script = write(tmp_path, """\
        import ndgrad
        a = ndgrad.Variable([1.0], name="a")
        b = ndgrad.Variable([2.0], name="b")
        objective = (a * 3).sum()
        chosen = [b]
        """)
    assert cli.main(["explain", "--target", "objective", "--variables", "chosen",
                     str(script)]) == 0
    out = capsys.readouterr().out
    assert "target: module-level variable 'objective'" in out
    assert list(rows_of(out)) == ["b"]
    assert cli.main(["explain", "--target", "nothing", str(script)]) == cli.NOTHING_TO_EXPLAIN
    assert "its tensors: a, b, objective" in capsys.readouterr().err
    assert cli.main(["explain", "--target", "chosen", str(script)]) == cli.NOTHING_TO_EXPLAIN
    assert "'chosen' is a list, not a tensor" in capsys.readouterr().err


def test_a_module_level_loss_that_is_a_number_falls_back_to_the_last_backward(tmp_path, capsys):
    script = write(tmp_path, """\
        import ndgrad
        w = ndgrad.Variable([1.0], name="w")
        total = (w * 2).sum()
        total.backward()
        loss = total.item()
        """)
    assert cli.main(["explain", str(script)]) == 0
    out = capsys.readouterr().out
    assert "the module-level 'loss' is a float, not a tensor" in out
    assert rows_of(out)["w"][:3] == ("yes", "yes", "ok")


def test_model_when_there_is_no_optimizer_and_sys_exit_zero_is_success(tmp_path, capsys):
    script = write(tmp_path, """\
        import sys
        import ndgrad
        model = ndgrad.nn.Linear(2, 1)
        loss = model(ndgrad.ones(3, 2)).sum()
        sys.exit(0)
        """)
    assert cli.main(["explain", str(script)]) == 0
    out = capsys.readouterr().out
    assert "variables: module-level 'model' (Linear, 2 parameters)" in out
    assert list(rows_of(out)) == ["weight", "bias"]


@pytest.mark.filterwarnings("ignore:invalid value encountered in sqrt")
def test_anomaly_stops_the_script_at_the_first_nan(tmp_path, capsys):
    script = write(tmp_path, """\
        import ndgrad
        w = ndgrad.Variable([-1.0, 1.0], name="w")
        loss = (w * 2).sum()
        root = ndgrad.sqrt(w)
        """)
    assert cli.main(["explain", "--anomaly", str(script)]) == cli.SCRIPT_FAILED
    captured = capsys.readouterr()
    assert "AnomalyError: detect_anomaly: 'sqrt' produced nan in forward" in captured.err
    assert rows_of(captured.out)["w"][:3] == ("yes", "yes", "ok")
    assert not ndgrad.autograd.mode.state.anomaly


def test_sys_argv_and_sys_path_are_restored(tmp_path):
    script = write(tmp_path, "import sys\nseen = list(sys.argv), list(sys.path)\n")
    argv, path = list(sys.argv), list(sys.path)
    namespace, failure = cli.run_script(str(script), ["x"])
    assert failure is None
    assert namespace["seen"][0] == [str(script), "x"]
    assert namespace["seen"][1][0] == str(tmp_path)
    assert sys.argv == argv and sys.path == path


def test_the_module_docstring_states_the_convention_help_prints():
    assert cli.CONVENTION.strip() and cli.CONVENTION in cli.__doc__
    assert cli.CONVENTION in cli.build_parser()._subparsers._group_actions[0].choices[
        "explain"].epilog


@pytest.mark.parametrize("flag", ["--debug", "--anomaly"])
def test_modes_are_off_again_after_the_script(tmp_path, flag, capsys):
    script = write(tmp_path, "import ndgrad\nw = ndgrad.Variable([1.0])\nloss = (w * 2).sum()\n")
    assert cli.main(["explain", flag, str(script)]) == 0
    state = ndgrad.autograd.mode.state
    assert not state.debug and not state.anomaly and not state.checking


def test_sys_exit_with_a_message_fails_and_still_explains(tmp_path, capsys):
    script = write(tmp_path, """\
        import sys
        import ndgrad
        w = ndgrad.Variable([1.0], name="w")
        loss = (w * 2).sum()
        sys.exit("bad arguments: --lr")
        """)
    assert cli.main(["explain", str(script)]) == cli.SCRIPT_FAILED
    captured = capsys.readouterr()
    assert captured.err.strip() == "bad arguments: --lr"
    assert "exited with sys.exit('bad arguments: --lr')" in captured.out
    assert "summary: the variable trains" in captured.out


def test_a_backward_from_before_the_script_is_not_its_target(tmp_path, capsys):
    earlier = (ndgrad.Variable([1.0]) * 2).sum()
    earlier.backward()
    script = write(tmp_path, "import ndgrad\nx = ndgrad.tensor([1.0])\n")
    assert cli.main(["explain", str(script)]) == cli.NOTHING_TO_EXPLAIN
    assert "no target found" in capsys.readouterr().err


def test_python_m_ndgrad_on_a_clone_folder_says_which_folder_and_what_to_run(tmp_path):
    clone = tmp_path / "ndgrad"                 # a clone's top folder: no __init__.py
    clone.mkdir()
    (clone / "__main__.py").write_text((ROOT / "__main__.py").read_text())
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    # -S: no site-packages, so this Python has no ndgrad installed, as a system Python
    result = subprocess.run([sys.executable, "-S", "-m", "ndgrad", "explain", "train.py"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"imported the folder {clone}" in result.stderr
    assert "does not have ndgrad installed" in result.stderr
    assert str(clone / ".venv" / "bin" / "python") in result.stderr


def test_a_failing_script_report_says_which_ndgrad_ran_it(tmp_path, capsys):
    script = write(tmp_path, "import ndgrad\nndgrad.no_such_name\n")
    assert cli.main(["explain", str(script)]) == cli.SCRIPT_FAILED
    err = capsys.readouterr().err
    assert f"ndgrad {ndgrad.__version__} from {os.path.dirname(ndgrad.__file__)}" in err
    assert sys.executable in err
