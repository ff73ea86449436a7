"""``python -m ndgrad explain script.py [script args...]``: why is nothing training?

Runs a training script unchanged, as ``python script.py`` would (``__name__``
is ``"__main__"``, ``sys.argv`` is the script and its arguments, the script's
folder comes first on ``sys.path``), then prints ``ndgrad.explain`` for it:
one row per variable, whether it gets a gradient, and for each that does not,
the reason and the line of the script where the gradient stopped.

Convention:
  target     the module-level variable `loss` if the script defines one and it
             is a tensor (--target NAME picks another name); else the target
             of the script's last loss.backward() or tape.gradient() call
             (kept alive by explain, also when the loop is inside main()).
  variables  the script's `optimizer` if it holds parameters (else the first
             optimizer it has), else its `model` (else the first Module), else
             every variable the target reaches; plus every Variable the script
             defines that these leave out. Names are looked up at module level
             and in the script's functions as they were at its last backward
             (--variables NAME reports on exactly one name: an optimizer, a
             Module, a list or dict of tensors, or one tensor). Rows are named
             by attribute path in the model (features.0.weight).
  options    go before the script; everything after it goes to the script.
             --debug runs the script under ndgrad.debug() (locates cuts by
             non-differentiable ops such as argmax or comparisons);
             --anomaly runs it under ndgrad.detect_anomaly() (stops at the
             first NaN or Inf); --steps N stops the script after its Nth
             backward pass (enough to explain a long training run quickly).
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
from .explain import Explanation, explain
from .recording import BackwardRecorder, StopScript
from .script_scope import CommandError, Scope, find_target, find_variables

__all__ = ["main", "build_parser", "explain_script", "run_script", "find_target",
           "find_variables", "CommandError"]

SCRIPT_FAILED = 1
NOTHING_TO_EXPLAIN = 2

CONVENTION = __doc__.split("Convention:\n", 1)[1].split("\nExample:", 1)[0] if __doc__ else ""


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
    command.add_argument("--steps", metavar="N", type=int, default=None,
                         help="stop the script after its Nth backward() or tape.gradient() "
                              "and explain the state then (default: run it to the end)")
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
                              anomaly=args.anomaly, steps=args.steps)
    except CommandError as error:
        print(f"ndgrad explain: error: {error}", file=sys.stderr)
        return NOTHING_TO_EXPLAIN


def explain_script(script, script_args=(), target=None, variables=None, debug_mode=False,
                   anomaly=False, out=None, steps=None):
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
    if steps is not None and steps < 1:
        raise CommandError(f"--steps {steps}: must be 1 or more (the backward passes to run)")
    earlier_target = graph.last_backward_target()   # not the script's, when run in-process
    with contextlib.ExitStack() as modes:
        if debug_mode:
            modes.enter_context(debug())
        if anomaly:
            modes.enter_context(detect_anomaly())
        recorder = modes.enter_context(BackwardRecorder(os.path.abspath(script), steps))
        namespace, failure = run_script(script, script_args)
    recorder.remember_given()
    stopped = isinstance(failure, StopScript)
    if stopped:
        failure = None
    if failure is not None:
        _print_failure(failure, script)
    try:
        scope = Scope(namespace, recorder.scopes)
        loss, target_text = find_target(scope, target, earlier_target, recorder.target)
        chosen, extras, variables_text, model = find_variables(scope, variables, loss)
        with debug(debug_mode):
            report = explain(loss, chosen, model=model)
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
    if stopped:
        ran = f"stopped after backward pass {steps}, as --steps asked"
    elif failure is None:
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
        from .. import __file__ as package_file, __version__
        print(f"ndgrad explain: the script ran on ndgrad {__version__} from "
              f"{os.path.dirname(package_file)}, Python {sys.executable}", file=sys.stderr)
    sys.stderr.flush()


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
