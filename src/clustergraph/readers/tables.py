"""Spreadsheet-like inputs (xlsx sheets, CSV files, JSON lists) as plain tables of cells.

A table keeps, for every cell, the row and column it was written in, so each later
message can name `file[sheet]:row:col`. Nothing here knows what the columns mean;
`rows.py` maps them onto the data format. Cells are values, never code: a formula
is read as the value Excel last saved for it (never evaluated), and cells that no
reader can trust (merged ranges, control characters, huge strings) are reported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DataError, Loc

MAX_CELL_CHARS = 20_000  # the loader's limit for one text value
MAX_FILE_BYTES = 64 * 1024 * 1024
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class _Rejected:
    """A cell already reported (control character, too long, merged): skipped quietly later."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "REJECTED"


REJECTED = _Rejected()


@dataclass(frozen=True, slots=True)
class Table:
    """One sheet (or CSV file, or JSON list): a header and its rows of cells.

    `where` is how messages name the table: "region.xlsx[Elements]", "nodes.csv".
    `rows` holds (row number as the user sees it, cells); cells are str, int,
    float, bool, date or None, already checked for control characters and size.
    """

    where: str
    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Any, ...]], ...]
    header_row: int = 1
    marker: bool = False  # written by `clustergraph export`

    def loc(self, row: int, col: int) -> Loc:
        return Loc(self.where, row, col)

    def column(self, *names: str) -> int | None:
        """Index of the first header equal (case-insensitive) to one of `names`."""
        wanted = {n.casefold() for n in names}
        for i, h in enumerate(self.header):
            if h.casefold() in wanted:
                return i
        return None


def _clean(value: Any, where: str, row: int, col: int, errors: list[DataError]) -> Any:
    """A cell value as data, or None after reporting why it cannot be one."""
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
        if len(value) > MAX_CELL_CHARS:
            errors.append(
                DataError(
                    Loc(where, row, col),
                    f"cell holds {len(value):,} characters, over the limit of {MAX_CELL_CHARS:,}",
                    "shorten it; long texts belong in the source document",
                )
            )
            return REJECTED
        bad = _CONTROL_RE.search(value)
        if bad is not None:
            errors.append(
                DataError(
                    Loc(where, row, col),
                    f"cell contains control character U+{ord(bad.group()):04X}",
                    "remove it",
                )
            )
            return REJECTED
        return value
    if isinstance(value, list | tuple):
        items = tuple(_clean(v, where, row, col, errors) for v in value)
        if REJECTED in items:
            return REJECTED
        return tuple(v for v in items if v is not None) or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.time | dt.timedelta):
        return str(value)
    return value


def _table(
    where: str,
    name: str,
    raw: list[list[Any]],
    errors: list[DataError],
    first_row: int = 1,
    rejected: frozenset[tuple[int, int]] = frozenset(),
) -> Table | None:
    """Header from the first non-empty row; rows below it, blank rows dropped."""
    start = 0
    while start < len(raw) and not any(c not in (None, "") for c in raw[start]):
        start += 1
    if start == len(raw):
        return None
    header_row = first_row + start
    header: list[str] = []
    for j, h in enumerate(raw[start]):
        text = _clean(h, where, header_row, j + 1, errors)
        header.append("" if text is None or text is REJECTED else str(text))
    while header and not header[-1]:
        header.pop()
    rows = []
    for i, cells in enumerate(raw[start + 1 :], start=header_row + 1):
        clean = tuple(
            REJECTED if (i, j + 1) in rejected else _clean(c, where, i, j + 1, errors)
            for j, c in enumerate(cells[: len(header)])
        )
        if any(c is not None for c in clean):
            rows.append((i, clean))
    return Table(where, name, tuple(header), tuple(rows), header_row)


def _check_size(path: Path, shown: str, errors: list[DataError]) -> bool:
    try:
        size = path.stat().st_size
    except OSError as exc:
        errors.append(DataError(Loc(shown), f"cannot read file: {exc.strerror}"))
        return False
    if size > MAX_FILE_BYTES:
        errors.append(
            DataError(
                Loc(shown),
                f"file is {size / 1e6:.1f} MB, over the {MAX_FILE_BYTES // 2**20} MiB limit",
                "split it into several files",
            )
        )
        return False
    return True


# ---------------------------------------------------------------- xlsx

MARKER_SHEET = "clustergraph (ignore)"


def read_xlsx(path: Path, shown: str, errors: list[DataError]) -> list[Table]:
    """Every sheet of a workbook but those named '(ignore)', read with python-calamine."""
    from python_calamine import CalamineError, CalamineWorkbook

    if not _check_size(path, shown, errors):
        return []
    try:
        book = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        errors.append(DataError(Loc(shown), f"cannot read workbook: {exc}", "save it from Excel as .xlsx"))
        return []
    names = list(book.sheet_names)
    marker = MARKER_SHEET in names
    out: list[Table] = []
    for name in names:
        if "(ignore)" in name.casefold():
            continue
        where = f"{shown}[{name}]"
        try:
            sheet = book.get_sheet_by_name(name)
            raw = sheet.to_python(skip_empty_area=False)
            merged = sheet.merged_cell_ranges or []
        except (CalamineError, ValueError) as exc:
            errors.append(DataError(Loc(where), f"cannot read sheet: {exc}"))
            continue
        covered = frozenset(
            (r + 1, c + 1)
            for (r0, c0), (r1, c1) in merged
            for r in range(r0, r1 + 1)
            for c in range(c0, c1 + 1)
        )
        for (r0, c0), (r1, c1) in merged:
            errors.append(
                DataError(
                    Loc(where, r0 + 1, c0 + 1),
                    f"cells {_a1(r0, c0)}:{_a1(r1, c1)} are merged",
                    "unmerge them so that each cell holds its own value",
                )
            )
        for first, rows in _sections(raw):
            table = _table(where, name, rows, errors, first_row=first, rejected=covered)
            if table is not None:
                out.append(_marked(table, marker))
    book.close()
    return out


def _blank(row: list[Any]) -> bool:
    return not any(c not in (None, "") for c in row)


def _sections(raw: list[list[Any]]) -> list[tuple[int, list[list[Any]]]]:
    """A sheet split where two blank rows or more start a new section with its own header,
    as Kumu reads one sheet holding elements and then connections: (first row number, rows)."""
    out: list[tuple[int, list[list[Any]]]] = []
    start, blanks = 0, 0
    for i, row in enumerate(raw):
        if _blank(row):
            blanks += 1
            continue
        if blanks >= 2 and any(not _blank(r) for r in raw[start:i]):
            out.append((start + 1, raw[start:i]))
            start = i
        blanks = 0
    out.append((start + 1, raw[start:]))
    return out


def _marked(table: Table, marker: bool) -> Table:
    return Table(table.where, table.name, table.header, table.rows, table.header_row, marker)


def _a1(row: int, col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


# ---------------------------------------------------------------- CSV

_FORMULA_GUARD = re.compile(r"'(?=[=+\-@])")


def read_csv(path: Path, shown: str, errors: list[DataError]) -> list[Table]:
    """One CSV file (comma, semicolon or tab separated, UTF-8) as one table."""
    if not _check_size(path, shown, errors):
        return []
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        errors.append(DataError(Loc(shown), f"cannot read file: {exc.strerror}"))
        return []
    except UnicodeDecodeError as exc:
        errors.append(DataError(Loc(shown), f"byte {exc.start} is not UTF-8", "save the file as UTF-8 CSV"))
        return []
    # a cell as long as the file is reported by the cell check below, not by the csv module
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES))
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        raw = [
            # a leading ' that `export` put before = + - @ is taken off again
            [_FORMULA_GUARD.sub("", c, count=1) if c.startswith("'") else c for c in r]
            for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as exc:
        errors.append(DataError(Loc(shown), f"cannot read CSV: {exc}"))
        return []
    table = _table(shown, path.stem, raw, errors)
    return [table] if table is not None else []


# ---------------------------------------------------------------- JSON


def read_json(path: Path, shown: str, errors: list[DataError]) -> list[Table]:
    """A Kumu blueprint or project export: its elements and connections as two tables.

    Row n is the n-th object of the list; column c is the c-th key met in the list.
    Connections that name elements by their `_id` (as a project export does) are
    given the element's label, so every format reaches the next step alike.
    """
    if not _check_size(path, shown, errors):
        return []
    try:
        doc = json.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        errors.append(DataError(Loc(shown), f"cannot read file: {exc.strerror}"))
        return []
    except UnicodeDecodeError:
        errors.append(DataError(Loc(shown), "file is not UTF-8", "save the file as UTF-8"))
        return []
    except json.JSONDecodeError as exc:
        errors.append(DataError(Loc(shown, exc.lineno, exc.colno), f"not valid JSON: {exc.msg}"))
        return []
    if not isinstance(doc, dict) or not isinstance(doc.get("elements", []), list):
        errors.append(
            DataError(
                Loc(shown), "not a Kumu blueprint", 'expected {"elements": [...], "connections": [...]}'
            )
        )
        return []
    marker = isinstance(doc.get("clustergraph"), dict)
    labels = {}
    for e in doc.get("elements") or []:
        if isinstance(e, dict) and "_id" in e:
            labels[e["_id"]] = e
    out = []
    for key in ("elements", "connections"):
        items = doc.get(key) or []
        if not isinstance(items, list):
            errors.append(DataError(Loc(f"{shown}[{key}]"), f"'{key}' must be a list"))
            continue
        objs = [_flatten(item, key, labels, f"{shown}[{key}]", i, errors) for i, item in enumerate(items, 1)]
        header: dict[str, None] = {}
        for o in objs:
            header.update(dict.fromkeys(o))
        cols = list(header)
        raw: list[list[Any]] = [cols, *([o.get(c) for c in cols] for o in objs)]
        table = _table(f"{shown}[{key}]", key, raw, errors, first_row=0)
        if table is not None:
            out.append(_marked(table, marker))
    return out


def _flatten(
    item: Any, key: str, by_id: dict[str, Any], where: str, i: int, errors: list[DataError]
) -> dict[str, Any]:
    """One element or connection as column -> cell, lists joined with '|' as Kumu's sheets write them."""
    if not isinstance(item, dict):
        errors.append(DataError(Loc(where, i, 1), f"each item of '{key}' must be an object"))
        return {}
    flat: dict[str, Any] = {}
    attrs = item.get("attributes")
    # A project export keeps the fields under "attributes"; a blueprint at the top.
    merged = {
        **{k: v for k, v in item.items() if k != "attributes"},
        **(attrs if isinstance(attrs, dict) else {}),
    }
    for k, v in merged.items():
        if k in ("direction", "delayed", "reversed") or (k.startswith("_") and k != "_id"):
            continue
        if k == "_id":
            if key == "connections" or not any(x.casefold() == "id" for x in merged):
                continue
            k = "id"
        if key == "connections" and k in ("from", "to") and isinstance(v, str) and v in by_id:
            target = by_id[v]
            attrs_t = target.get("attributes") if isinstance(target.get("attributes"), dict) else target
            v = attrs_t.get("id") or attrs_t.get("label") or v
        if isinstance(v, dict):
            continue  # positions and styles are the map's, not data
        flat[k] = v
    return flat
