"""Runs only when ``python -m ndgrad`` imported this clone's folder, not the package.

A Python without ndgrad installed, started in the folder that holds a clone
named ``ndgrad``, imports the clone's top folder as an empty namespace package
(scripts then fail with "module 'ndgrad' has no attribute ..."), and
``python -m ndgrad`` runs this file. It says so, instead of a bare error.
"""

import os
import sys

_FOLDER = os.path.dirname(os.path.abspath(__file__))

sys.exit(
    f"ndgrad: `python -m ndgrad` imported the folder {_FOLDER} (a clone of the ndgrad "
    f"repository, taken for an empty namespace package), not the ndgrad package: this "
    f"Python ({sys.executable}) does not have ndgrad installed. Use the project's "
    f"environment: {os.path.join(_FOLDER, '.venv', 'bin', 'python')} -m ndgrad ... (`make "
    f"demo` or `make test` in {_FOLDER} creates it; or `source .venv/bin/activate` there), or "
    f"install ndgrad into this Python with `{sys.executable} -m pip install -e {_FOLDER}`. "
    f"Scripts run by this Python from {os.getcwd()} get the same empty package.")
