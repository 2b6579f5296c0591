"""An Excel workbook of the records: Kumu's Elements and Connections sheets first (for
Kumu), then our own workbook, a sheet per collection and a column per field, which
`clustergraph import` reads back to the same records.

Lists are written `a|b` (a `|` inside a value as `\\|`). A text that begins with
= + - or @ is written as text with Excel's quote prefix, so it is never run as a
formula, however the workbook is opened or edited.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import IO, Any

from .. import schema
from ..readers.tables import MARKER_SHEET
from ..records import Data
from ..yamlwrite import dispute_dicts, field_order
from .kumu import _escape, kumu_rows

_FORMULA_START = ("=", "+", "-", "@")


def _cell_value(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return "|".join(_escape(v) for v in value)
    return value


def _columns(rows: list[dict[str, Any]], first: Iterable[str]) -> list[str]:
    cols = dict.fromkeys(first)
    for r in rows:
        cols.update(dict.fromkeys(r))
    return list(cols)


def collection_rows(data: Data, collection: str) -> tuple[list[str], list[list[Any]]]:
    """Our workbook's sheet for one collection: a column per field the records use."""
    recs = [r for r in data.records if r.collection == collection]
    kinds = dict.fromkeys(r.kind for r in recs)
    cols: dict[str, None] = {}
    if collection == "plans":
        cols.update(dict.fromkeys(("kind", "part_of")))
    for kind in kinds:
        for f in field_order(collection, kind):
            if f not in ("goals", "strategies", "actions") and (
                f in ("id", "name") or any(f in r.fields for r in recs)
            ):
                cols[f] = None
    order = ["id", "name", *(c for c in cols if c not in ("id", "name"))]
    rows = []
    for r in recs:
        values = {"id": r.id, "name": r.name, "kind": r.kind, **r.fields}
        if "disputed" in values:
            values["disputed"] = json.dumps(dispute_dicts(values["disputed"]), ensure_ascii=False)
        rows.append([_cell_value(values.get(c)) for c in order])
    return order, rows


def write_workbook(data: Data, path: str | os.PathLike[str]) -> None:
    """Write the workbook atomically (temp file, then rename)."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    from ..output import atomic_write

    book = openpyxl.Workbook(write_only=True)

    def sheet(title: str, header: list[str], rows: Iterable[list[Any]]) -> None:
        ws = book.create_sheet(title)
        ws.append(header)
        for row in rows:
            cells = []
            for value in row:
                if isinstance(value, str) and value.startswith(_FORMULA_START):
                    cell = WriteOnlyCell(ws, value=value)
                    cell.data_type = "s"
                    cell.quotePrefix = True
                    cells.append(cell)
                else:
                    cells.append(value)
            ws.append(cells)

    elements, connections = kumu_rows(data)
    for title, rows, first in (
        ("Elements", elements, ("ID", "Label", "Type")),
        ("Connections", connections, ("From", "To", "Type")),
    ):
        cols = _columns(rows, first)
        sheet(title, cols, ([_cell_value(r.get(c)) for c in cols] for r in rows))
    for collection in schema.COLLECTIONS:
        if any(r.collection == collection for r in data.records):
            header, rows = collection_rows(data, collection)
            sheet(collection, header, rows)
    sheet(MARKER_SHEET, ["written by"], [["clustergraph export --format xlsx"]])

    def write(f: IO[bytes]) -> None:
        book.save(f)

    atomic_write(path, write)
