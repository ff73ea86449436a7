"""A port's two texts, the one ndgrad runs and the one its own framework runs,
and the mechanical check that they differ only in framework import lines.

A port is a program written for ndgrad's real-programs suite after a public
example program (pytorch/examples, keras-io): the same model, data pipeline,
loss, optimizer, loop, options and printed metrics, in the same API
vocabulary. Its framework is imported through ndgrad (``import ndgrad.torch
as torch``); the baseline run is the same text with those import lines, and
nothing else, swapped back by one fixed mapping (:data:`FRAMEWORKS`):

==============================  ===============================
port                            baseline
==============================  ===============================
``import ndgrad.torch as torch``  ``import torch``
``import ndgrad.torch.nn as nn``  ``import torch.nn as nn``
``import ndgrad.torch.onnx``      ``import torch.onnx``
``from ndgrad.torch.optim import lr_scheduler``  ``from torch.optim import lr_scheduler``
``from ndgrad import keras``      ``import keras``
``from ndgrad.keras import layers``  ``from keras import layers``
``import ndgrad.tensorflow as tf``  ``import tensorflow as tf``
==============================  ===============================

Only lines that are whole import statements are rewritten. The check
(:meth:`PortSource.verify`) then proves that the port is a program of the
original framework with zero edits beyond its imports:

- the lines the swap changed are exactly the framework import lines the
  header lists (``# Framework import lines ...`` followed by ``#   <line>``);
- the baseline text names ``ndgrad`` nowhere in its code (comments aside) and
  never reads ``PORTED_FRAMEWORK``: the program cannot tell the two runs apart
  other than by what its imports give it;
- the baseline text compiles.

The header also names the public program the port follows::

    # Follows pytorch/examples mnist/main.py
    # at commit <40 hex digits>
    # Written independently for ndgrad's real-programs suite; no code copied.
    # Framework import lines (the baseline run swaps back only these):
    #   import ndgrad.torch as torch
    # Data: ... (how the offline data stands in for the download)

Example:
    >>> port = PortSource.parse("x.py", SAMPLE)
    >>> port.follows
    ('pytorch/examples', 'mnist/main.py', '0123456789012345678901234567890123456789')
    >>> print(port.baseline_text().splitlines()[-1])
    import torch.nn.functional as F
    >>> port.verify()
    (0, '')
"""

import ast
import io
import re
import tokenize
from dataclasses import dataclass

__all__ = ["FRAMEWORKS", "PortSource", "swap_import_line", "SAMPLE"]

FRAMEWORKS = (("ndgrad.torch", "torch"), ("ndgrad.keras", "keras"),
              ("ndgrad.tensorflow", "tensorflow"))
"""``(ndgrad module, framework module)``: a module named ``A`` or ``A.rest``
in a port's import line becomes ``B`` or ``B.rest`` in the baseline."""

_FOLLOWS = re.compile(r"^# Follows (\S+) (\S+)\s*$")
_COMMIT = re.compile(r"^# at commit ([0-9a-f]{40})\s*$")
_IMPORTS_TITLE = "# Framework import lines"
_LISTED = re.compile(r"^#   (\S.*)$")

SAMPLE = """# Follows pytorch/examples mnist/main.py
# at commit 0123456789012345678901234567890123456789
# Written independently for ndgrad's real-programs suite; no code copied.
# Framework import lines (the baseline run swaps back only these):
#   import ndgrad.torch as torch
#   import ndgrad.torch.nn.functional as F
import argparse
import ndgrad.torch as torch
import ndgrad.torch.nn.functional as F
"""


def _framework_name(module):
    """``module`` mapped to the framework's name, or ``None`` if it is not a
    framework module of ndgrad."""
    for ours, theirs in FRAMEWORKS:
        if module == ours or module.startswith(ours + "."):
            return theirs + module[len(ours):]
    return None


def _alias(name, asname):
    return name if asname is None or asname == name else f"{name} as {asname}"


def swap_import_line(line):
    """The baseline form of one line: a framework import of ndgrad rewritten
    to the framework's own module (see the module docstring), any other line
    unchanged.

    Example:
        >>> swap_import_line("    from ndgrad.torch.optim.lr_scheduler import StepLR")
        '    from torch.optim.lr_scheduler import StepLR'
        >>> swap_import_line("from ndgrad import keras")
        'import keras'
        >>> swap_import_line("x = 1  # import ndgrad.torch")
        'x = 1  # import ndgrad.torch'
    """
    stripped = line.strip()
    if not stripped.startswith(("import ", "from ")) or "ndgrad" not in stripped:
        return line
    try:
        tree = ast.parse(stripped)
    except SyntaxError:
        return line
    if len(tree.body) != 1 or not isinstance(tree.body[0], (ast.Import, ast.ImportFrom)):
        return line
    node = tree.body[0]
    indent = line[:len(line) - len(line.lstrip())]
    if isinstance(node, ast.Import):
        names = []
        for alias in node.names:
            mapped = _framework_name(alias.name)
            if mapped is None:
                return line
            names.append(_alias(mapped, alias.asname))
        return f"{indent}import {', '.join(names)}"
    if node.level:
        return line
    if node.module == "ndgrad":
        # ``from ndgrad import keras [as k]`` -> ``import keras [as k]``
        names = []
        for alias in node.names:
            mapped = _framework_name("ndgrad." + alias.name)
            if mapped is None:
                return line
            names.append(_alias(mapped, alias.asname))
        return f"{indent}import {', '.join(names)}"
    mapped = _framework_name(node.module)
    if mapped is None:
        return line
    imported = ", ".join(_alias(alias.name, alias.asname) for alias in node.names)
    return f"{indent}from {mapped} import {imported}"


def _code_problems(text, name):
    """Why ``text`` (a baseline) could tell it is not its framework's program."""
    problems = []
    try:
        compile(text, name, "exec")
    except SyntaxError as error:
        return [f"{name}: the baseline text does not compile: {error}"]
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    for token in tokens:
        if token.type == tokenize.NAME and token.string == "ndgrad":
            problems.append(f"{name}:{token.start[0]}: the baseline still names ndgrad")
        elif token.type == tokenize.STRING and ("ndgrad" in token.string
                                                or "PORTED_FRAMEWORK" in token.string):
            problems.append(f"{name}:{token.start[0]}: a string names ndgrad or "
                            f"PORTED_FRAMEWORK: {token.string[:60]}")
    return problems


@dataclass(frozen=True)
class PortSource:
    """One file of a port: its text, the program it follows and the
    framework import lines its header lists."""
    name: str
    text: str
    follows: object
    listed_imports: tuple

    @classmethod
    def parse(cls, name, text):
        """Read the header of ``text`` (the file ``name``)."""
        program, commit, listed, in_list = None, None, [], False
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            match = _FOLLOWS.match(line)
            if match:
                program = match.groups()
            match = _COMMIT.match(line)
            if match:
                commit = match.group(1)
            if line.startswith(_IMPORTS_TITLE):
                in_list = True
                continue
            listed_line = _LISTED.match(line)
            if in_list and listed_line:
                listed.append(listed_line.group(1))
            else:
                in_list = False
        follows = program + (commit,) if program and commit else None
        return cls(name, text, follows, tuple(listed))

    @classmethod
    def read(cls, path):
        """Parse the file at ``path``."""
        with open(path, encoding="utf-8") as handle:
            return cls.parse(path, handle.read())

    def baseline_text(self):
        """The text with its framework import lines swapped back."""
        lines = self.text.splitlines(keepends=True)
        swapped = []
        for line in lines:
            body = line.rstrip("\r\n")
            swapped.append(swap_import_line(body) + line[len(body):])
        return "".join(swapped)

    def changed_lines(self):
        """``(port line, baseline line)`` for every line the swap changed."""
        pairs = zip(self.text.splitlines(), self.baseline_text().splitlines())
        return [(ours, theirs) for ours, theirs in pairs if ours != theirs]

    def verify(self):
        """``(0, "")`` when the port differs from its baseline only in the
        framework import lines its header lists, else ``("?", why)``."""
        problems = []
        if self.follows is None:
            problems.append(f"{self.name}: no '# Follows <repo> <path>' and "
                            f"'# at commit <sha>' lines")
        changed = [ours.strip() for ours, _ in self.changed_lines()]
        if changed != list(self.listed_imports):
            problems.append(f"{self.name}: the swapped lines {changed} are not the listed "
                            f"framework import lines {list(self.listed_imports)}")
        problems += _code_problems(self.baseline_text(), self.name)
        return (0, "") if not problems else ("?", "; ".join(problems))
