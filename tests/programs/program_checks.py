"""What every program test checks, shared by ``test_torch_programs.py`` and
``test_keras_programs.py``.

- :func:`check_port_text`: each file of the program differs from its
  baseline (the same text with its framework import lines swapped back,
  ``_port_source``) only in the import lines its header lists;
- :func:`check_loss_falls`: the program runs on ndgrad (one BLAS thread, seeded)
  for a few steps (tiny offline data and its ``test_args``), to its end (or
  until it has printed ``test_losses`` losses), and its training loss falls.

A program that cannot run on ndgrad yet is marked ``xfail(strict=True)`` with
the exact first error it stops at (a ``FIRST_FAILURE`` table in each test
module; :func:`loss_falls_cases`). The mark only covers that error: when the
missing feature lands, the program either runs (XPASS, which fails: remove
the entry) or stops at a later error (a failure: record the new first error).
``python examples/ported/run.py --first-failures`` prints the current first
errors in the tables' format.
"""

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PORTED = os.path.join(ROOT, "examples", "ported")
if PORTED not in sys.path:
    sys.path.insert(0, PORTED)

from _port_harness import run_program  # noqa: E402
from _port_programs import PROGRAMS  # noqa: E402
from _port_source import PortSource  # noqa: E402

__all__ = ["PROGRAMS", "TIME_LIMIT", "StopsAtRecordedError", "loss_falls_cases",
           "check_port_text", "check_loss_falls"]

# Seconds before a test run is stopped and counted as failed.
TIME_LIMIT = 120


class StopsAtRecordedError(Exception):
    """The program stopped at the error recorded in its ``FIRST_FAILURE`` table."""


def loss_falls_cases(names, first_failure):
    """``pytest.param`` per program, xfail(strict) where ``first_failure`` names its error."""
    cases = []
    for name in names:
        marks = ()
        if name in first_failure:
            marks = pytest.mark.xfail(strict=True, raises=StopsAtRecordedError,
                                      reason=f"stops at: {first_failure[name]}")
        cases.append(pytest.param(name, marks=marks, id=name))
    return cases


def check_port_text(name):
    """Every file of ``name`` differs from its baseline only in its listed imports."""
    for file_name in PROGRAMS[name].files:
        count, message = PortSource.read(os.path.join(PORTED, file_name)).verify()
        assert count == 0, message


def check_loss_falls(name, first_failure):
    """Run ``name`` for a few steps on ndgrad; its training loss must fall."""
    program = PROGRAMS[name]
    result = run_program(program, "ndgrad", args=program.test_args, data=program.test_data,
                         stop_after=program.test_losses, timeout=TIME_LIMIT, threads=1)
    failed = result.returncode != 0 and not result.stopped
    recorded = first_failure.get(name)
    if failed and recorded and recorded in result.error:
        raise StopsAtRecordedError(result.error)
    assert not failed, (f"{name} stopped at: {result.error}"
                        + (f" (recorded: {recorded!r}; update FIRST_FAILURE)" if recorded else "")
                        + "\n" + result.output[-3000:])
    falls, why = program.loss_falls(result.losses)
    assert falls, f"{name}: the training loss did not fall: {why}"
