"""Run one ported program, on ndgrad or on the framework it was written for.

:func:`run_program` makes a fresh working folder, writes the program's
offline files there (``Program.prepare``), writes its source files (as
written, or with their framework import lines swapped back for the baseline:
``_port_source``) into ``src/``, and runs
the main file in a subprocess whose output is read as it comes. The
subprocess sees:

- ``PYTHONPATH``: this folder (the ``_offline_*`` helpers) and the
  repository root (``ndgrad``);
- ``PORTED_DATA``: the data size; ``PORTED_FRAMEWORK``: ``ndgrad`` or ``torch``;
- ``MPLBACKEND=Agg`` (plots go to files, ``plt.show()`` returns at once) and
  ``PYTHONUNBUFFERED=1`` (output arrives line by line);
- its global random generators seeded, so that a run is the same every
  time, the Keras examples (which do not seed themselves) included: the
  subprocess is ``python _port_harness.py --launch SEED PROGRAM.py ARGS...``,
  which seeds Python's ``random``, NumPy's global generator and the
  framework's, then runs ``PROGRAM.py`` as ``__main__`` with ``ARGS``, as
  ``python PROGRAM.py ARGS...`` would. The program's text is untouched: this
  is what ``keras.utils.set_random_seed(seed)`` before it would do.

With ``stop_after`` the program is stopped once it has printed that many
training losses: the tests need a few steps, not the whole run.

Example (a run of ``regression`` takes seconds; the tests run every program):
    >>> result = Result("demo", "ndgrad", 1, "Traceback ...\\nValueError: bad\\n", 0.5,
    ...                 [], None, stopped=False)
    >>> result.error
    'ValueError: bad'
"""

import os
import random
import re
import runpy
import selectors
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

from _port_source import PortSource

__all__ = ["HERE", "ROOT", "Result", "write_sources", "run_program", "seed_everything"]

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


@dataclass
class Result:
    """What one run printed and how it ended."""
    program: str
    variant: str
    returncode: int
    output: str
    seconds: float
    losses: list
    metric: object
    stopped: bool

    @property
    def error(self):
        """The last line of a traceback the program died with, or ``""``."""
        if self.returncode == 0 or self.stopped:
            return ""
        lines = [line for line in self.output.splitlines() if line.strip()]
        for line in reversed(lines):
            if re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit)\b", line) or \
                    re.match(r"^[\w.]+: ", line):
                return line.strip()
        return lines[-1].strip() if lines else f"exit status {self.returncode}"


def write_sources(program, variant, folder):
    """Write the program's files into ``folder``: as written (``ndgrad``) or
    with the framework import lines swapped back (the program's framework,
    e.g. ``torch``); return the main file's path."""
    for name in program.files:
        port = PortSource.read(os.path.join(HERE, name))
        text = port.text if variant == "ndgrad" else port.baseline_text()
        target = os.path.join(folder, os.path.basename(name))
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(text)
    return os.path.join(folder, os.path.basename(program.main))


def _environment(variant, data, extra):
    env = dict(os.environ)
    paths = [HERE, ROOT] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env.update(PYTHONPATH=os.pathsep.join(paths), PORTED_DATA=data,
               PORTED_FRAMEWORK=variant,
               MPLBACKEND="Agg", PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


def _read(process, program, stop_after, deadline):
    """Collect the output; stop the process after ``stop_after`` losses or at
    ``deadline``. Returns ``(output, stopped)``."""
    chunks, stopped = [], False
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            process.kill()
            chunks.append(f"\n[harness] stopped: over the time limit\n")
            break
        if not selector.select(timeout=min(remaining, 1.0)):
            if process.poll() is not None:
                break
            continue
        data = os.read(process.stdout.fileno(), 65536)
        if not data:
            break
        chunks.append(data.decode("utf-8", "replace"))
        if stop_after and len(program.losses("".join(chunks))) >= stop_after:
            process.kill()
            stopped = True
            break
    selector.close()
    process.wait()
    return "".join(chunks), stopped


def run_program(program, variant, args=None, data=None, stop_after=None, timeout=3600,
                keep=None, threads=None, seed=0):
    """Run ``program`` as ``variant`` ("ndgrad" or "torch") and return a :class:`Result`.

    Args:
        program: a :class:`_port_programs.Program`.
        variant: "ndgrad" runs the port; "torch" runs it with its framework
            import lines swapped back (the original framework, the same
            offline data).
        args: command-line options (default: the program's ``run_args``).
        data: ``PORTED_DATA`` size (default: the program's ``run_data``).
        stop_after: stop once this many training losses have been printed.
        timeout: seconds before the program is stopped (a failed run).
        keep: a folder to run in and keep; default a temporary one, removed.
        threads: if given, the thread count of BLAS/OpenMP (and so of
            PyTorch's and NumPy's kernels) in the subprocess.
        seed: the seed of the global random generators the program starts
            with; ``None`` starts it plainly.
    """
    args = program.run_args if args is None else args
    data = program.run_data if data is None else data
    folder = keep or tempfile.mkdtemp(prefix=f"ported-{program.name}-")
    try:
        sources = os.path.join(folder, "src")
        os.makedirs(sources, exist_ok=True)
        main = write_sources(program, variant, sources)
        env = _environment(variant, data, program.extra_env)
        if threads is not None:
            for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
                env[name] = str(threads)
        if program.prepare is not None:
            previous = os.environ.get("PORTED_DATA")
            os.environ["PORTED_DATA"] = data
            try:
                program.prepare(folder)
            finally:
                if previous is None:
                    os.environ.pop("PORTED_DATA", None)
                else:
                    os.environ["PORTED_DATA"] = previous
        start = time.monotonic()
        launch = [] if seed is None else [os.path.abspath(__file__), "--launch", str(seed)]
        process = subprocess.Popen([sys.executable, *launch, main, *args], cwd=folder, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        output, stopped = _read(process, program, stop_after, start + timeout)
        seconds = time.monotonic() - start
        return Result(program.name, variant, process.returncode, output, seconds,
                      program.losses(output), program.final_metric(output), stopped)
    finally:
        if keep is None:
            shutil.rmtree(folder, ignore_errors=True)


def seed_everything(seed):
    """Seed Python's, NumPy's and the running framework's global generators
    (``ndgrad.random.seed`` when ``PORTED_FRAMEWORK=ndgrad``,
    ``torch.manual_seed`` when it is ``torch``).

    Example:
        >>> import numpy
        >>> seed_everything(3); first = numpy.random.randint(1000)
        >>> seed_everything(3); first == numpy.random.randint(1000)
        True
    """
    import numpy
    random.seed(seed)
    numpy.random.seed(seed)
    framework = os.environ.get("PORTED_FRAMEWORK")
    if framework == "ndgrad":
        import ndgrad
        ndgrad.random.seed(seed)
    elif framework == "torch":
        import torch
        torch.manual_seed(seed)


def _launch(arguments):
    """``--launch SEED PROGRAM.py ARGS...``: seed, then run the program as ``__main__``."""
    seed, program, rest = int(arguments[0]), arguments[1], arguments[2:]
    seed_everything(seed)
    sys.argv = [program, *rest]
    sys.path.insert(0, os.path.dirname(os.path.abspath(program)))
    runpy.run_path(program, run_name="__main__")


if __name__ == "__main__" and sys.argv[1:2] == ["--launch"]:
    _launch(sys.argv[2:])
