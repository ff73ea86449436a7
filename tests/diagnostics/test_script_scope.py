"""``python -m ndgrad explain`` on scripts that keep their loop inside functions,
``--steps``, and the hints that name the true cause (run in-process: quicker)."""

import pytest

from ndgrad.diagnostics import cli

from .test_cli import ROOT, rows_of, write


def explain(capsys, *args):
    code = cli.main(["explain", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_loop_inside_main_finds_the_target_optimizer_and_attribute_paths(tmp_path, capsys):
    script = write(tmp_path, """\
        import ndgrad
        from ndgrad import nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.features = nn.Sequential(nn.Linear(3, 4), nn.ReLU())
                self.head = nn.Linear(4, 1)
            def forward(self, x):
                return self.head(self.features(x))

        def main():
            net = Net()
            opt = ndgrad.optim.SGD(net.parameters(), lr=0.1)
            for step in range(3):
                opt.zero_grad()
                objective = (net(ndgrad.randn(5, 3)) ** 2).mean()
                objective.backward()
                opt.step()

        if __name__ == "__main__":
            main()
        """)
    code, out, err = explain(capsys, script)
    assert code == 0, err
    assert "target: the target of the script's last backward() or tape.gradient()" in out
    assert "variables: 'opt' in main() (SGD, 4 parameters)" in out
    rows = rows_of(out)
    assert list(rows) == ["features.0.weight", "features.0.bias", "head.weight", "head.bias"]
    assert all(row[:3] == ("yes", "yes", "ok") for row in rows.values())


def test_steps_stops_the_script_after_that_backward(tmp_path, capsys):
    script = write(tmp_path, """\
        import ndgrad
        def main():
            w = ndgrad.Variable([1.0, 2.0], name="w")
            for step in range(100):
                (w * w).sum().backward()
                if step == 3:
                    raise RuntimeError("ran too far")
        main()
        """)
    code, out, err = explain(capsys, "--steps", 2, script)
    assert code == 0, err
    assert "stopped after backward pass 2, as --steps asked" in out
    assert rows_of(out)["w"][:3] == ("yes", "yes", "ok")
    assert explain(capsys, "--steps", 0, script)[0] == cli.NOTHING_TO_EXPLAIN


def test_an_optimizer_over_the_head_only_is_named_as_such(tmp_path, capsys):
    script = write(tmp_path, """\
        import ndgrad
        from ndgrad import nn
        def main():
            model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
            optimizer = ndgrad.optim.SGD(model[2].parameters(), lr=0.1)
            loss = (model(ndgrad.randn(5, 3)) ** 2).mean()
            loss.backward()
            optimizer.step()
        main()
        """)
    code, out, err = explain(capsys, script)
    assert code == 0, err
    why = rows_of(out)["0.weight"][3]
    assert "built over part of the model only (2 of the model's 4 parameters: 2.*)" in why
    assert "before this parameter existed" not in why
    assert "summary: 2 of 4 variables train" in out


def test_a_zero_learning_rate_says_nothing_changes(tmp_path, capsys):
    script = write(tmp_path, """\
        import ndgrad
        from ndgrad import nn
        model = nn.Linear(3, 1)
        optimizer = ndgrad.optim.SGD(model.parameters(), lr=0.0)
        loss = (model(ndgrad.randn(5, 3)) ** 2).mean()
        loss.backward()
        optimizer.step()
        """)
    code, out, err = explain(capsys, script)
    assert code == 0, err
    rows = rows_of(out)
    for name in ("weight", "bias"):
        assert rows[name][2] == "ok"
        assert rows[name][3].startswith("its learning rate is 0.0 (param group 0): SGD.step() "
                                        "leaves it unchanged")
    assert "summary: 0 of 2 variables train" in out


def test_under_debug_the_header_blames_argmax_not_no_grad(tmp_path, capsys):
    script = write(tmp_path, """\
        import ndgrad
        w = ndgrad.Variable([1.0, 3.0, 2.0], name="w")
        table = ndgrad.tensor([10.0, 20.0, 30.0])
        best = ndgrad.argmax(w * 2)
        loss = table[best] * 1.0
        """)
    code, out, err = explain(capsys, "--debug", script)
    assert code == 0, err
    header = out.split("name ")[0]
    assert "every path to it was cut (a non-differentiable op 'argmax'" in header, header
    assert "no_grad" not in header


@pytest.mark.parametrize("example", ["pytorch_style.py", "digits_cnn.py",
                                     "linear_regression.py"])
def test_the_examples_unchanged(example, capsys, monkeypatch):
    pytest.importorskip("sklearn")
    monkeypatch.chdir(ROOT)
    code, out, err = explain(capsys, "--steps", 1, ROOT / "examples" / example)
    assert code == 0, err
    assert "target: the target of the script's last backward() or tape.gradient()" in out
    variables = out.split("variables: ")[1].splitlines()[0]
    assert "in main()" in variables or "Variables defined by the script" in variables, variables
    rows = rows_of(out)
    assert rows and all(row[2] == "ok" for row in rows.values()), out
