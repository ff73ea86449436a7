"""Every docstring example of ndgrad runs as pasted into a fresh interpreter.

The doctests that ``--doctest-modules`` runs see their module's globals, so an
example may call a name (``cross_entropy(...)``, ``StepLR(...)``) that a user
who pastes it has never imported. Here each example of every public name (the
objects of every module whose dotted path has no ``_``-prefixed part, their
methods, and the modules themselves) runs in an empty namespace: it must import
what it uses, and it must print no warning.
"""

import doctest
import importlib
import pkgutil
import warnings

import pytest

import ndgrad

# Extras a module may need at import time; a module that needs one that is not
# installed is reported as skipped, any other import error fails.
OPTIONAL_IMPORTS = ("mpi4py", "onnx", "onnxruntime", "graphviz", "numba", "PIL",
                    "safetensors", "sklearn", "tqdm", "matplotlib", "torch")

FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS


def _is_private(dotted):
    return any(part.startswith("_") and not (part.startswith("__") and part.endswith("__"))
               for part in dotted.split(".") if part)


def public_modules():
    """(name, module or None, reason) for every public module of ndgrad."""
    found = [("ndgrad", ndgrad, None)]
    for info in pkgutil.walk_packages(ndgrad.__path__, "ndgrad."):
        if _is_private(info.name[len("ndgrad."):]):
            continue
        try:
            found.append((info.name, importlib.import_module(info.name), None))
        except ModuleNotFoundError as error:
            if error.name and error.name.split(".")[0] in OPTIONAL_IMPORTS:
                found.append((info.name, None, f"needs {error.name}, not installed"))
            else:
                raise
    return found


def collect_examples():
    """{test name: DocTest} for every docstring example of a public name."""
    finder = doctest.DocTestFinder(exclude_empty=True)
    examples = {}
    for name, module, _ in public_modules():
        if module is None:
            continue
        for test in finder.find(module, name, globs={}):
            if test.examples and not _is_private(test.name[len(name):]):
                examples.setdefault(test.name, test)
    return examples


EXAMPLES = collect_examples()
SKIPPED_MODULES = [(name, reason) for name, module, reason in public_modules() if module is None]


def run_example(test):
    """The report of one example run in an empty namespace: '' when it passed."""
    test.globs = {}
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    lines = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = runner.run(test, out=lines.append, clear_globs=True)
    report = "".join(lines) if result.failed else ""
    # A ResourceWarning comes from the garbage collector at any later moment: only
    # warnings raised by the example's own statements count.
    shown = [w for w in caught if not issubclass(w.category, ResourceWarning)]
    if shown:
        report += "".join(f"\nwarning {w.category.__name__}: {w.message} ({w.filename}:{w.lineno})"
                          for w in shown)
    return report


def test_examples_were_found():
    # The walk reaches the core, both faces and their submodules.
    for name in ("ndgrad.tensor.Tensor", "ndgrad.nn.linear.Linear", "ndgrad.autograd.tape.GradientTape"):
        assert any(key.startswith(name) for key in EXAMPLES), name
    assert len(EXAMPLES) > 1000


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_docstring_example_runs_in_a_fresh_namespace(name):
    report = run_example(EXAMPLES[name])
    if report:
        pytest.fail(f"the docstring example of {name} fails when pasted into a fresh interpreter "
                    f"(it must import every name it uses, with public names):\n{report}",
                    pytrace=False)


@pytest.mark.parametrize("name,reason", SKIPPED_MODULES or [("none", None)])
def test_modules_that_need_missing_extras(name, reason):
    if reason:
        pytest.skip(f"{name}'s examples not run: {reason}")


def test_a_broken_example_is_reported_with_its_name():
    def sample():
        """Uses a name it never imported.

        >>> import ndgrad
        >>> cross_entropy(ndgrad.zeros((1, 2)), ndgrad.tensor([0]))
        """
    test = doctest.DocTestFinder().find(sample, "sample", globs={"cross_entropy": print})[0]
    report = run_example(test)
    assert "NameError: name 'cross_entropy' is not defined" in report
