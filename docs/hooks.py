"""MkDocs hooks: every ```python block of a page runs during the build.

The blocks of one page run in order in one namespace (as a reader pastes them
into one interpreter), in a fresh temporary directory; what a block prints, and
any warning it raises, is shown under it as an "Output" block. A block that
raises fails the build with the page, the block's first line and the traceback.
A line ``{{ api: ndgrad.nn }}`` on an API page becomes one mkdocstrings entry
per public class and function of that module, so the reference follows the code.
"""

import contextlib
import importlib
import inspect
import io
import os
import re
import tempfile
import traceback
import warnings

from mkdocs.exceptions import PluginError

# ndgrad's docstrings title their doctests "Example:"; griffe's Google parser
# knows only "Examples:" as an examples section (and would render the doctest
# output as Markdown). Teach it the singular.
try:
    from griffe._internal.docstrings import google as _google
    _google._section_kind.setdefault("example", _google._section_kind["examples"])
except (ImportError, AttributeError):     # another griffe: examples render as text
    pass

BLOCK = re.compile(r"^```python\n(.*?)^```\n", re.S | re.M)
API = re.compile(r"^\{\{ api: ([\w.]+)(?: ([\w, ]+))? \}\}$", re.M)


def _public_names(module_name, kinds):
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None) or [n for n in dir(module) if not n.startswith("_")]
    found = []
    for name in names:
        value = getattr(module, name, None)
        if inspect.ismodule(value) or not (inspect.isclass(value) or callable(value)):
            continue
        if not getattr(value, "__doc__", None):
            continue
        kind = "classes" if inspect.isclass(value) else "functions"
        if kinds and kind not in kinds:
            continue
        found.append(name)
    return sorted(found, key=str.lower)


def _expand_api(markdown):
    def entries(match):
        module_name, kinds = match.group(1), match.group(2)
        kinds = {k.strip() for k in kinds.split(",")} if kinds else None
        names = _public_names(module_name, kinds)
        if not names:
            raise PluginError(f"{{{{ api: {module_name} }}}}: no public names found")
        module = importlib.import_module(module_name)
        return "\n\n".join(f"::: {module_name}.{name}" if _resolvable(getattr(module, name))
                             else _plain_entry(name, getattr(module, name)) for name in names)
    return API.sub(entries, markdown)


def _resolvable(value):
    """Whether mkdocstrings can find ``value`` where it says it was defined."""
    wrapped = inspect.unwrap(value) if callable(value) else value
    if not (getattr(wrapped, "__module__", None) or "").startswith("ndgrad"):
        return False                      # griffe would follow __wrapped__ into NumPy
    target = importlib.import_module(value.__module__) if value.__module__ else None
    for part in getattr(value, "__qualname__", "<locals>").split("."):
        target = getattr(target, part, None)
    return target is value


def _plain_entry(name, value):
    """A reference entry for an object made at run time (a class or function built
    by a factory): its signature and its docstring, examples as code blocks."""
    try:
        signature = f"{name}{inspect.signature(value)}"
    except (TypeError, ValueError):
        signature = name
    lines, block = [f"### {name}", "", "```text", signature, "```", ""], []
    for line in inspect.cleandoc(value.__doc__).splitlines():
        stripped = line.strip()
        if stripped.startswith((">>>", "...")) or (block and stripped):
            block.append(stripped)
            continue
        if block:
            lines += ["```pycon", *block, "```"]
            block = []
        lines.append(line.strip() if stripped.endswith(":") else line)
    if block:
        lines += ["```pycon", *block, "```"]
    return "\n".join(lines)


def _run_blocks(markdown, page):
    namespace = {"__name__": "__main__"}
    pieces, position = [], 0
    here = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="ndgrad-docs-") as workdir:
        os.chdir(workdir)
        try:
            for number, match in enumerate(BLOCK.finditer(markdown), 1):
                source = match.group(1)
                output = io.StringIO()
                with contextlib.redirect_stdout(output), warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("default")
                    try:
                        exec(compile(source, f"{page.file.src_uri}, block {number}", "exec"), namespace)
                    except BaseException:
                        first = source.strip().splitlines()[0] if source.strip() else ""
                        raise PluginError(f"{page.file.src_uri}: python block {number} ({first!r}) "
                                          f"failed:\n{traceback.format_exc()}") from None
                text = output.getvalue()
                text += "".join(f"{w.category.__name__}: {w.message}\n" for w in caught)
                pieces.append(markdown[position:match.end()])
                if text.strip():
                    pieces.append(f"\n```text title=\"Output\"\n{text.rstrip()}\n```\n")
                position = match.end()
        finally:
            os.chdir(here)
    pieces.append(markdown[position:])
    return "".join(pieces)


def on_page_markdown(markdown, page, config, files):
    markdown = _expand_api(markdown)
    return _run_blocks(markdown, page)
