"""Workbooks, CSV and JSON files for the import tests, made by code (no binaries in git).

The example region is made up (Example Bay); its names and URLs are not real.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

Rows = list[list[Any]]


def workbook(path: Path, sheets: dict[str, Rows], merged: dict[str, list[str]] | None = None) -> Path:
    """An .xlsx file with one sheet per entry; a str beginning with '=' is written as a formula."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
        for rng in (merged or {}).get(name, []):
            ws.merge_cells(rng)
    book.save(path)
    return path


def csv_file(path: Path, rows: Rows) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def json_file(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return path


# The ten-row workbook of docs/import.md: six elements, four connections.
EXAMPLE_ELEMENTS: Rows = [
    ["Label", "Type", "Description", "Tags", "City", "Website", "Sources"],
    [
        "Example Bay Economic Council",
        "EDC",
        "Convenes the region's employers.",
        "",
        "Bayport",
        "https://example.org/council",
        "https://example.org/plan-2024",
    ],
    [
        "Bayport Community College",
        "Community College",
        "",
        "Blue economy",
        "Bayport",
        "",
        "https://example.org/plan-2024",
    ],
    ["Port of Bayport", "Port", "", "Blue economy", "Bayport", "", "https://example.org/plan-2024"],
    [
        "Ocean Tech Lab",
        "Facility",
        "A shared marine-technology lab.",
        "Blue economy|wet lab",
        "Bayport",
        "",
        "https://example.org/plan-2024",
    ],
    [
        "Blue economy",
        "Cluster",
        "Ports, marine research and ocean technology.",
        "",
        "",
        "",
        "https://example.org/plan-2024",
    ],
    [
        "Maritime Skills Partnership",
        "Initiative",
        "Trains port technicians.",
        "Blue economy",
        "",
        "",
        "https://example.org/plan-2024",
    ],
]
EXAMPLE_CONNECTIONS: Rows = [
    ["From", "To", "Type", "Since", "Sources"],
    ["Ocean Tech Lab", "Port of Bayport", "Operator", "", ""],
    ["Maritime Skills Partnership", "Example Bay Economic Council", "Lead", "", ""],
    [
        "Bayport Community College",
        "Port of Bayport|Example Bay Economic Council",
        "Training",
        "2023",
        "https://example.org/plan-2024",
    ],
    ["Port of Bayport", "Example Bay Economic Council", "Member of", "", ""],
]
EXAMPLE_TYPES = "EDC: {collection: organizations, type: economic-development-org}\n"


def example_workbook(directory: Path) -> tuple[Path, Path]:
    """The example workbook and its --types file."""
    book = workbook(
        directory / "region.xlsx", {"Elements": EXAMPLE_ELEMENTS, "Connections": EXAMPLE_CONNECTIONS}
    )
    types = directory / "types.yaml"
    types.write_text(EXAMPLE_TYPES, encoding="utf-8")
    return book, types
