"""Whole programs as bench rows: the ported pytorch/examples (issue 17).

``examples/ported/run.py`` (``make programs``) runs every ported program on
ndgrad and, for the PyTorch originals, the same text with its import lines
swapped back on PyTorch, in subprocesses, one after the other, and compares
their final metrics and times. This module runs the PyTorch programs through
it (``run_all``, one run per framework, one BLAS/OpenMP thread each, as
``make programs`` does) and turns each into a row ``program:<name>``: the
ratio is ndgrad's wall-clock time over PyTorch's for the whole program
(start-up, data, training, evaluation), with no target (``info``); the notes
give both final metrics and whether they agree within 5%. A program that
fails on either side is a FAILED row.

The runs take minutes (the 11 PyTorch programs on both frameworks: 6.2
minutes on a loaded 2-core machine), so they are
not in ``make bench``'s default rows: ``bench/run.py --programs`` adds them
(``--programs mnist,vae`` for some). The Keras programs have no baseline here
(Keras is not installed) and are left to ``make programs``.

Run from the repository root::

    .venv/bin/python bench/programs.py [mnist vae ...]
"""

import importlib.util
import os
import sys

import _harness

PORTED_DIR = os.path.join(_harness.REPO_ROOT, "examples", "ported")
TIMEOUT = 1800


def ported_runner():
    """``examples/ported/run.py`` as a module (it is named ``run`` like ``bench/run.py``,
    so it is loaded from its path under another name)."""
    if PORTED_DIR not in sys.path:
        sys.path.insert(0, PORTED_DIR)   # its helpers import each other by plain names
    module = sys.modules.get("ported_run")
    if module is None:
        spec = importlib.util.spec_from_file_location("ported_run",
                                                      os.path.join(PORTED_DIR, "run.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules["ported_run"] = module
        spec.loader.exec_module(module)
    return module


def program_names():
    """The ported programs that have a PyTorch baseline, in the runner's order."""
    runner = ported_runner()
    return [name for name, program in runner.PROGRAMS.items() if program.framework == "torch"]


def select(names):
    """``names`` (all when empty), refusing unknown ones."""
    known = program_names()
    if not names:
        return known
    unknown = [name for name in names if name not in known]
    if unknown:
        raise SystemExit(f"programs: unknown or Keras-only program(s) {', '.join(unknown)}; "
                         f"the PyTorch programs are {', '.join(known)}")
    return list(names)


def check_programs(names=None):
    """What can be checked without running anything: every chosen program's port
    differs from its PyTorch original only in its import lines. Returns the names."""
    runner = ported_runner()
    names = select(names)
    for name in names:
        edits, why = runner.edits_beyond_imports_and_data(runner.PROGRAMS[name])
        if edits != 0:
            raise _harness.Mismatch(f"program:{name}: {why}")
    return names


def as_row(result):
    """A bench row from one row of ``run_all``."""
    name = f"program:{result['program']}"
    title = f"{result['program']} ({result['source']}): whole program"
    if result["ndgrad"] == "fails" or result["torch"] in ("fails", "-") or \
            not result["torch_seconds"]:
        error = RuntimeError(result["ndgrad_error"] or "the PyTorch run failed or printed "
                             "no metric")
        return _harness.failed_row(name, title, error)
    notes = [f"{result['metric']}: ndgrad {result['ndgrad']}, PyTorch {result['torch']}, "
             f"within 5%: {result['within_5%']}; one thread each, one run each"]
    return _harness.make_row(name, title, "s", result["ndgrad_seconds"],
                             result["torch_seconds"], None, notes=notes,
                             details={key: result[key] for key in
                                      ("metric", "ndgrad_metrics", "torch_metrics",
                                       "within_5%")})


def program_rows(names=None, timeout=TIMEOUT):
    """Run the programs on both frameworks (their output lines as they finish) and
    return their rows."""
    names = check_programs(names)
    runner = ported_runner()
    results = runner.run_all(names, repeat=1, skip_torch=False, timeout=timeout, threads=1)
    return [as_row(result) for result in results]


if __name__ == "__main__":
    import run
    sys.exit(run.main(only=[], argv=["--programs", ",".join(sys.argv[1:]) or "all"]))
