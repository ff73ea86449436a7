"""``python -m ndgrad explain script.py [script args...]``: why is nothing training?

Runs a training script unchanged, as ``python script.py`` would (``__name__``
is ``"__main__"``, ``sys.argv`` is the script and its arguments, the script's
folder comes first on ``sys.path``), then prints ``ndgrad.explain`` for it:
one row per variable, whether it gets a gradient, and for each that does not,
the reason and the line of the script where the gradient stopped.

Convention:
  target     the module-level variable `loss` if the script defines one and it
             is a tensor (--target NAME picks another name); else the target
             of the script's last loss.backward() or tape.gradient() call,
             while that tensor is still alive.
  variables  the module-level `optimizer` if it holds parameters, else
             `model` if it is a Module, else every variable the target
             reaches; plus every Variable the script defines at module level
             that these leave out (--variables NAME reports on exactly one
             module-level name: an optimizer, a Module, a list or dict of
             tensors, or one tensor).
  options    go before the script; everything after it goes to the script.
             --debug runs the script under ndgrad.debug() (locates cuts by
             non-differentiable ops such as argmax or comparisons);
             --anomaly runs it under ndgrad.detect_anomaly() (stops at the
             first NaN or Inf).
  exit code  0 when the script ran to the end; 1 when it raised (the traceback
             is printed, then what can be explained from the state it reached);
             2 when there is nothing to explain (no such script, no target).

Example:
    >>> from ndgrad.diagnostics.cli import main
    >>> import pathlib, tempfile
    >>> script = pathlib.Path(tempfile.mkdtemp()) / "train.py"
    >>> _ = script.write_text("import ndgrad\\n"
    ...                       "w = ndgrad.Variable([3.0, 4.0], name='w')\\n"
    ...                       "b = ndgrad.Variable([1.0], trainable=False, name='b')\\n"
    ...                       "loss = (w * w).sum() + b.sum()\\n")
    >>> main(["explain", str(script)])    # doctest: +ELLIPSIS
    ndgrad explain: ...train.py ran to the end
    target: module-level variable 'loss'
    variables: every variable the target reaches, plus 2 Variables defined by the script
    explain: target: 'add' result of shape () = 26
    name  shape  trainable  reaches  grad  norm
    -------------------------------------------
    w     (2,)   yes        yes      ok    10
    b     (1,)   no         no       none  -
        why: frozen: created with trainable=False (...train.py:3)
    summary: 1 of 2 variables train (a nonzero gradient, and nothing stops the update);
    the 'why:' lines say why the others do not
    0
"""

import argparse
import contextlib
import os
import runpy
import sys
import traceback

from ..autograd import graph
from ..autograd.anomaly import detect_anomaly
from ..autograd.mode import debug
from ..tensor import Tensor
from .collect import _is_module, _is_optimizer
from .explain import Explanation, explain
from .reasons import graph_facts

SCRIPT_FAILED = 1
NOTHING_TO_EXPLAIN = 2

CONVENTION = __doc__.split("Convention:\n", 1)[1].split("\nExample:", 1)[0] if __doc__ else ""


class CommandError(Exception):
    """``explain`` cannot run: the message says what is missing and what to do.

    Example:
        >>> from ndgrad.diagnostics.cli import CommandError
        >>> issubclass(CommandError, Exception)
        True
    """


def build_parser():
    """The argument parser of ``python -m ndgrad``.

    Example:
        >>> from ndgrad.diagnostics.cli import build_parser
        >>> args = build_parser().parse_args(["explain", "--debug", "train.py", "--epochs", "3"])
        >>> args.script, args.script_args, args.debug
        ('train.py', ['--epochs', '3'], True)
    """
    from .. import __version__
    parser = argparse.ArgumentParser(
        prog="python -m ndgrad",
        description="ndgrad's command line. 'explain' runs a training script and says, for each "
                    "variable, whether it gets a gradient and, if not, why and where.")
    parser.add_argument("--version", action="version", version=f"ndgrad {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="command")
    command = commands.add_parser(
        "explain", help="run a script and explain which variables get no gradient, and why",
        description="Run SCRIPT as 'python SCRIPT [ARGS...]' would, then print ndgrad.explain "
                    "for its loss: why is nothing training?",
        epilog="convention:\n" + CONVENTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    command.add_argument("--target", metavar="NAME", default=None,
                         help="the module-level tensor to explain (default: 'loss', else the "
                              "target of the last backward)")
    command.add_argument("--variables", metavar="NAME", default=None,
                         help="the module-level optimizer, Module, list or dict to report on "
                              "(default: 'optimizer', else 'model', else what the target reaches)")
    command.add_argument("--debug", action="store_true",
                         help="run the script under ndgrad.debug(): locate cuts by "
                              "non-differentiable ops (slower)")
    command.add_argument("--anomaly", action="store_true",
                         help="run the script under ndgrad.detect_anomaly(): stop at the first "
                              "NaN or Inf (slower)")
    command.add_argument("script", help="the Python script to run")
    command.add_argument("script_args", nargs=argparse.REMAINDER, metavar="ARGS",
                         help="arguments passed to the script")
    return parser


def main(argv=None):
    """Run ``python -m ndgrad`` with ``argv`` (default ``sys.argv[1:]``); the exit code.

    Example:
        >>> from ndgrad.diagnostics.cli import main
        >>> main(["--version"])     # doctest: +ELLIPSIS
        Traceback (most recent call last):
        SystemExit: 0
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command != "explain":
        parser.print_help(sys.stderr)
        return NOTHING_TO_EXPLAIN
    try:
        return explain_script(args.script, args.script_args, target=args.target,
                              variables=args.variables, debug_mode=args.debug,
                              anomaly=args.anomaly)
    except CommandError as error:
        print(f"ndgrad explain: error: {error}", file=sys.stderr)
        return NOTHING_TO_EXPLAIN


def explain_script(script, script_args=(), target=None, variables=None, debug_mode=False,
                   anomaly=False, out=None):
    """Run ``script`` with ``script_args``, print the explain report to ``out``
    (default stdout) and return the exit code (see the module docstring).

    Example:
        >>> from ndgrad.diagnostics.cli import explain_script
        >>> import pathlib, tempfile, io
        >>> script = pathlib.Path(tempfile.mkdtemp()) / "broken.py"
        >>> _ = script.write_text("import ndgrad\\nw = ndgrad.Variable([1.0])\\n"
        ...                       "loss = (w.detach() * 2).sum()\\nraise SystemExit(3)\\n")
        >>> report = io.StringIO()
        >>> explain_script(str(script), out=report)
        1
        >>> "the path to the target was cut: detach()" in report.getvalue()
        True
    """
    out = sys.stdout if out is None else out
    if not os.path.isfile(script):
        raise CommandError(f"no script at {script!r} (working directory {os.getcwd()}); "
                           "usage: python -m ndgrad explain script.py [script args...]")
    earlier_target = graph.last_backward_target()   # not the script's, when run in-process
    with contextlib.ExitStack() as modes:
        if debug_mode:
            modes.enter_context(debug())
        if anomaly:
            modes.enter_context(detect_anomaly())
        namespace, failure = run_script(script, script_args)
    if failure is not None:
        _print_failure(failure, script)
    try:
        loss, target_text = find_target(namespace, target, earlier_target)
        chosen, extras, variables_text = find_variables(namespace, variables, loss)
        with debug(debug_mode):
            report = explain(loss, chosen)
            if extras:
                rows = report.rows + explain(loss, extras).rows
                report = Explanation(rows, report.target_description)
    except CommandError as error:
        if failure is None:
            raise
        print(f"ndgrad explain: nothing to explain: {error}", file=sys.stderr)
        return SCRIPT_FAILED
    except TypeError as error:
        if variables is None:
            raise
        raise CommandError(f"--variables {variables}: {error}") from None
    if failure is None:
        ran = "ran to the end"
    elif isinstance(failure, SystemExit):
        ran = f"exited with sys.exit({failure.code!r}); explaining the state it reached"
    else:
        ran = (f"stopped with {type(failure).__name__} (traceback above); explaining the state "
               "it reached")
    print(f"ndgrad explain: {script} {ran}", file=out)
    print(f"target: {target_text}\nvariables: {variables_text}", file=out)
    print(report, file=out)
    print(_summary(report, debug_mode), file=out)
    return SCRIPT_FAILED if failure is not None else 0


def run_script(script, script_args=()):
    """Run ``script`` as ``python script args...`` would; ``(namespace, failure)``.

    ``namespace`` holds the script's module-level names, also when it raised
    (they come from its frame); ``failure`` is the exception, or None when the
    script ran to the end (or called ``sys.exit(0)``). ``sys.argv`` and
    ``sys.path`` are restored afterwards.

    Example:
        >>> from ndgrad.diagnostics.cli import run_script
        >>> import pathlib, tempfile
        >>> script = pathlib.Path(tempfile.mkdtemp()) / "args.py"
        >>> _ = script.write_text("import sys\\nseen = sys.argv[1:]\\nname = __name__\\n")
        >>> namespace, failure = run_script(str(script), ["--lr", "0.1"])
        >>> namespace["seen"], namespace["name"], failure
        (['--lr', '0.1'], '__main__', None)
    """
    path = os.path.abspath(script)
    saved_argv, saved_path = sys.argv[:], sys.path[:]
    sys.argv = [script, *script_args]
    sys.path.insert(0, os.path.dirname(path))
    try:
        return runpy.run_path(path, run_name="__main__"), None
    except SystemExit as stop:
        if stop.code in (None, 0):
            return _script_globals(stop, path), None
        return _script_globals(stop, path), stop
    except BaseException as error:     # noqa: B036  (Ctrl-C too: explain where training stood)
        return _script_globals(error, path), error
    finally:
        sys.argv, sys.path[:] = saved_argv, saved_path


def _script_globals(error, path):
    """The script's module namespace, from the frames of ``error``'s traceback."""
    tb = error.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename == path and code.co_name == "<module>":
            return tb.tb_frame.f_globals
        tb = tb.tb_next
    return {}


def _print_failure(failure, script):
    """What Python would print: the traceback from the script's first frame on
    (runpy's frames left out; none for a SyntaxError), or sys.exit's message."""
    sys.stdout.flush()
    if isinstance(failure, SystemExit):
        if not isinstance(failure.code, int):
            print(failure.code, file=sys.stderr)
    else:
        path = os.path.abspath(script)
        tb = failure.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename != path:
            tb = tb.tb_next
        traceback.print_exception(type(failure), failure, tb, file=sys.stderr)
    sys.stderr.flush()


def find_target(namespace, name=None, earlier_target=None):
    """The tensor to explain and how it was found (see the module docstring);
    ``earlier_target`` is the last backward's target before the script ran,
    which is not the script's.

    Example:
        >>> from ndgrad.diagnostics.cli import find_target
        >>> import ndgrad
        >>> loss = ndgrad.Variable([2.0]).sum()
        >>> find_target({"loss": loss})[1]
        "module-level variable 'loss'"
    """
    if name is not None:
        if name not in namespace:
            raise CommandError(f"--target {name}: the script defines no module-level name "
                               f"{name!r}; its tensors: {_tensor_names(namespace)}")
        if not isinstance(namespace[name], Tensor):
            raise CommandError(f"--target {name}: {name!r} is a {type(namespace[name]).__name__}, "
                               f"not a tensor; its tensors: {_tensor_names(namespace)}")
        return namespace[name], f"module-level variable {name!r}"
    loss = namespace.get("loss")
    if isinstance(loss, Tensor):
        return loss, "module-level variable 'loss'"
    last = graph.last_backward_target()
    if last is not None and last is not earlier_target:
        note = "" if loss is None else (f" (the module-level 'loss' is a {type(loss).__name__}, "
                                        "not a tensor)")
        return last, f"the target of the script's last backward() or tape.gradient(){note}"
    raise CommandError(
        "no target found. The convention: the script defines its loss tensor at module level "
        "as 'loss' (or pass --target NAME for another module-level name), or it calls "
        "loss.backward() or tape.gradient(loss, ...) and keeps that loss alive to the end "
        "(model.fit keeps none: add 'loss = model.compute_loss(y=y, y_pred=model(x))' after "
        f"it). Module-level tensors in this script: {_tensor_names(namespace)}")


def _tensor_names(namespace):
    names = [name for name, value in namespace.items()
             if isinstance(value, Tensor) and not name.startswith("_")]
    return ", ".join(names) if names else "none"


def find_variables(namespace, name=None, target=None):
    """What to report on: ``(variables, extras, description)``.

    ``variables`` goes to ``explain`` as it is; ``extras`` (a dict, maybe
    empty) holds the Variables the script defines at module level that
    ``variables`` and the target's graph leave out, so that a Variable the
    optimizer never saw, or one cut off by ``detach``, still gets its row.

    Example:
        >>> from ndgrad.diagnostics.cli import find_variables
        >>> import ndgrad
        >>> model = ndgrad.nn.Linear(2, 1)
        >>> lonely = ndgrad.Variable([1.0], name="lonely")
        >>> chosen, extras, text = find_variables({"model": model, "lonely": lonely})
        >>> chosen is model, list(extras)
        (True, ['lonely'])
        >>> text
        "module-level 'model' (Linear, 2 parameters), plus 1 Variable defined by the script"
    """
    if name is not None:
        if name not in namespace:
            raise CommandError(f"--variables {name}: the script defines no module-level name "
                               f"{name!r}")
        return namespace[name], {}, f"module-level {name!r} ({type(namespace[name]).__name__})"
    covered = {id(leaf) for leaf in graph_facts(target).reached.values()}
    optimizer, model = namespace.get("optimizer"), namespace.get("model")
    if _is_optimizer(optimizer) and any(group["params"] for group in optimizer.param_groups):
        held = [p for group in optimizer.param_groups for p in group["params"]]
        covered.update(id(p) for p in held)
        chosen = optimizer
        text = f"module-level 'optimizer' ({type(optimizer).__name__}, {len(held)} parameters)"
    elif _is_module(model):
        covered.update(id(v) for v in model.parameters() + model.buffers())
        chosen = model
        count = len(model.parameters())
        text = f"module-level 'model' ({type(model).__name__}, {count} parameters)"
    else:
        chosen, covered = None, set()
        text = "every variable the target reaches"
    extras = _script_variables(namespace, covered)
    text += _plus(len(extras))
    if chosen is None and extras:              # the script's own names, then the other leaves
        extras.update(_reached_leaves(target, extras))
        return extras, {}, text
    return chosen, extras, text


def _plus(count):
    if not count:
        return ""
    return f", plus {count} Variable{'s' if count > 1 else ''} defined by the script"


def _unique(chosen, name):
    key, suffix = name, 1
    while key in chosen:
        suffix += 1
        key = f"{name} ({suffix})"
    return key


def _script_variables(namespace, covered):
    """The module-level Variables (leaves with ``assign``) not in ``covered``, by name."""
    chosen, seen = {}, set(covered)
    for name, value in namespace.items():
        if isinstance(value, Tensor) and value.is_leaf and hasattr(value, "assign") \
                and id(value) not in seen and not name.startswith("_"):
            seen.add(id(value))
            chosen[_unique(chosen, value.name or name)] = value
    return chosen


def _reached_leaves(target, already):
    """The leaves the target reaches that ``already`` does not hold, by name."""
    known = {id(value) for value in already.values()}
    found = {}
    for index, leaf in enumerate(graph_facts(target).reached.values()):
        if id(leaf) not in known:
            name = leaf.name or f"leaf {index} {tuple(leaf.shape)}"
            found[_unique({**already, **found}, name)] = leaf
    return found


def _summary(report, debug_mode):
    rows = list(report.rows)
    training = [row for row in rows if row["status"] == "ok" and not row["reason"]]
    if not rows:
        line = "summary: no variables to report on"
    elif len(training) == len(rows):
        line = ("summary: the variable trains" if len(rows) == 1 else
                f"summary: all {len(rows)} variables train")
    else:
        line = (f"summary: {len(training)} of {len(rows)} variables train (a nonzero gradient, "
                "and nothing stops the update); the 'why:' lines say why the others do not")
    if not debug_mode and any("ndgrad.debug()" in (row["reason"] or "") for row in rows):
        line += ("\ntip: rerun with --debug (python -m ndgrad explain --debug script.py) to "
                 "locate cuts by non-differentiable ops such as argmax or comparisons")
    return line
