"""A data directory's YAML files: which files, each one's text, and its YAML nodes with positions.

Nodes, not Python values: a node keeps the line and column it was written at,
so every later message can point at file:line:col. The size limit, the
encoding and "is there any data" are checked here, before YAML sees the text.
"""

from __future__ import annotations

import gc
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import yaml

from .errors import DataError, Loc
from .inputs import MAX_FILE_BYTES, FileRefused, read_regular

try:  # libyaml is about 5x faster; fall back quietly where it is missing
    _Base: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Base = yaml.SafeLoader


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """The safe loader with its implicit-tag lookup precomputed per first character.

    libyaml calls `resolve` once per scalar, in Python: at 20,000 records that is a
    million calls, and the stock method rebuilds its resolver list on each one.
    The tags it returns are the same; the safe loader has no path resolvers.
    """

    _by_first: ClassVar[dict[str | None, tuple[tuple[str, Any], ...]]] = {
        first: (*_Base.yaml_implicit_resolvers.get(first, []), *_Base.yaml_implicit_resolvers.get(None, []))
        for first in (*(k for k in _Base.yaml_implicit_resolvers if k is not None), None)
    }
    _wild = _by_first[None]

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in self._by_first.get(value[:1], self._wild):
                    if regexp.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        return super().resolve(kind, value, implicit)


def data_files(root: Path) -> tuple[list[Path], list[DataError]]:
    """Every *.yaml / *.yml file under root, sorted, following links but not loops."""
    files: list[Path] = []
    errors: list[DataError] = []
    seen: dict[str, str] = {}  # real path -> the name it was first read under
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in seen:
            # A folder inside itself is a loop; otherwise two names for one folder, read once.
            first = seen[real]
            if Path(dirpath).is_relative_to(first):
                errors.append(DataError(Loc(dirpath), "directory link loop", "remove the symbolic link"))
            else:
                link, other = (
                    (dirpath, first)
                    if os.path.islink(dirpath) or not os.path.islink(first)
                    else (first, dirpath)
                )
                errors.append(
                    DataError(
                        Loc(link),
                        f"a second name for {other}, which is read once",
                        "remove the symbolic link",
                    )
                )
            dirnames[:] = []
            continue
        seen[real] = dirpath
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith((".yaml", ".yml")) and not name.startswith("."):
                files.append(Path(dirpath, name))
    return files, errors


def display_path(path: Path) -> str:
    """Path as a user typed it: relative to the working directory when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@contextmanager
def gc_paused() -> Iterator[None]:
    # The cyclic collector rescans millions of YAML nodes during a big load; it
    # finds nothing to free there, so pausing it makes composing ~5x faster.
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


_NON_SPACE = re.compile(r"\S")
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _holds_data(text: str) -> bool:
    """Whether some line is neither blank nor a comment (stops at the first such line)."""
    pos = 0
    while (m := _NON_SPACE.search(text, pos)) is not None:
        if m.group() != "#":
            return True
        brk = _LINE_BREAK.search(text, m.end())
        if brk is None:
            return False
        pos = brk.end()
    return False


def read_text(path: Path, shown: str, errors: list[DataError]) -> tuple[bytes, str] | None:
    """A data file's bytes and text, or None after reporting why it cannot be read."""
    try:
        raw = read_regular(path, MAX_FILE_BYTES)
    except FileRefused as exc:
        errors.append(DataError(Loc(shown, 1, 1), exc.message, exc.hint))
        return None
    except OSError as exc:
        errors.append(DataError(Loc(shown, 1, 1), f"cannot read file: {exc.strerror}"))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        errors.append(
            DataError(
                Loc(shown, line, col),
                f"byte 0x{raw[exc.start]:02x} is not UTF-8",
                "save the file as UTF-8",
            )
        )
        return None
    if not _holds_data(text):
        errors.append(
            DataError(Loc(shown, 1, 1), "file holds no data", "add a collection or delete the file")
        )
        return None
    return raw, text


def compose_text(text: str, shown: str, errors: list[DataError]) -> yaml.Node | None:
    """YAML nodes of one file's text, or None after reporting the syntax error."""
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{exc.context}: {problem}"
        hint = "indent with spaces, not tabs" if "\\t" in problem or "tab" in problem else ""
        hint = _syntax_hint(exc, text) or hint
        errors.append(DataError(Loc(shown, line, col), f"YAML syntax: {problem}", hint))
    except yaml.reader.ReaderError as exc:  # a character YAML refuses: its place, on one line
        pos = exc.position
        line = text.count("\n", 0, pos) + 1
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        what = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        errors.append(
            DataError(Loc(shown, line, col), f"YAML syntax: character {what} is not allowed", "remove it")
        )
    except yaml.YAMLError as exc:
        errors.append(DataError(Loc(shown, 1, 1), f"YAML syntax: {exc}"))
    return None


_KEY_VALUE = re.compile(r"(\s*(?:-\s+)?)([\w-]+):\s+(.*)")


def _syntax_hint(exc: yaml.MarkedYAMLError, text: str) -> str:
    """What went wrong in words, and the fix, for the mistakes people make by hand."""
    problem = exc.problem or ""
    lines = text.splitlines()
    mark = exc.problem_mark
    if "flow sequence" in (exc.context or "") or "flow mapping" in (exc.context or ""):
        opened = exc.context_mark
        close = "]" if "sequence" in (exc.context or "") else "}"
        what = "list" if close == "]" else "mapping"
        if opened is not None:
            where = f"line {opened.line + 1}, column {opened.column + 1}"
            return f"the {what} opened at {where} is not closed: add its '{close}'"
    if "mapping values are not allowed" in problem and mark is not None and mark.line < len(lines):
        here = lines[mark.line]
        indent = len(here) - len(here.lstrip(" "))
        above = next(
            (ln for ln in reversed(lines[: mark.line]) if ln.strip() and not ln.lstrip().startswith("#")), ""
        )
        m_above = _KEY_VALUE.match(above)
        if m_above is not None:
            key_col = len(m_above.group(1))
            if indent > key_col and _KEY_VALUE.match(here) and here[: mark.column].count(":") == 0:
                above_key = m_above.group(2)
                return f"this line is indented more than '{above_key}:' above it: indent it {key_col} spaces"
        m_here = _KEY_VALUE.match(here)
        if m_here is not None and ": " in m_here.group(3):
            value = m_here.group(3).rstrip()
            quoted = f"{m_here.group(2)}: {json.dumps(value)}"
            return f"a ': ' inside a value starts a new field: quote the value, {quoted}"
    return ""


def alias_locs(text: str, shown: str) -> list[Loc]:
    """Where each alias (*name) is used; parsed only when a shared node was seen."""
    out = []
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            out.append(Loc(shown, event.start_mark.line + 1, event.start_mark.column + 1))
    return out
