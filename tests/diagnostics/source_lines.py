"""Line numbers of the test files' own source, for checking the ``file:line``
that diagnostics report."""


def line_in(path, text):
    """The number of the first line of ``path`` containing ``text`` (lines that
    ask for a line number are skipped)."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if text in line and "line_of(" not in line:
                return number
    raise AssertionError(f"{text!r} is not in {path}")
