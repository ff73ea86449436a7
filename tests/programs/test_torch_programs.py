"""The PyTorch programs of the real-programs suite (``examples/ported/``,
``_programs_torch.py``): each port's text against its baseline, and a short
run on ndgrad whose loss must fall (see ``program_checks``)."""

import os

import pytest

from tests.programs.program_checks import (PORTED, PROGRAMS, check_loss_falls,
                                           check_port_text, loss_falls_cases)

NAMES = [name for name, program in PROGRAMS.items() if program.framework == "torch"]

# program -> the first error line it stops at on ndgrad today (a substring of it).
FIRST_FAILURE = {}


@pytest.mark.parametrize("name", NAMES)
def test_port_differs_only_in_framework_imports(name):
    check_port_text(name)


@pytest.mark.parametrize("name", loss_falls_cases(NAMES, FIRST_FAILURE))
def test_loss_falls(name):
    check_loss_falls(name, FIRST_FAILURE)


def test_every_program_has_its_files():
    for name in NAMES:
        for file_name in PROGRAMS[name].files:
            assert os.path.isfile(os.path.join(PORTED, file_name)), file_name
    assert len({PROGRAMS[name].main.split('/')[0] for name in NAMES}) >= 10
