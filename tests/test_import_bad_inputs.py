"""The spreadsheet bad-input corpus: each case, made by code, exits 1 with exactly these
messages (file[sheet]:row:col), writes nothing, and shows no traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from clustergraph.cli import main

from ._sheets import csv_file, json_file, workbook

E = ["Label", "Type"]
C = ["From", "To", "Type"]
TWO = [E, ["Acme Works", "Company"], ["Bay Guild", "Labor Union"]]
ON_REF = "operator takes the id of an organization, college, workforce board, person, facility, program, initiative or policy"
NO_TYPE = "element has no Type (give it a Type such as Organization, Company, Community College, Facility or Person)"


def _book(sheets: dict, merged: dict | None = None) -> Callable[[Path], Path]:
    return lambda d: workbook(d / "region.xlsx", sheets, merged)


def _csv(rows: list) -> Callable[[Path], Path]:
    return lambda d: csv_file(d / "elements.csv", rows)


# case: (make the file in a folder, [(where, message)])
CASES: dict[str, tuple[Callable[[Path], Path], list[tuple[str, str]]]] = {
    "empty-label": (
        _book({"Elements": [E, ["Acme Works", "Company"], [None, "Company"]]}),
        [("[Elements]:3:1", "empty label (give every element a name, or delete the row)")],
    ),
    "unknown-type": (
        _book({"Elements": [E, ["Acme Works", "Compnay"]]}),
        [
            (
                "[Elements]:2:2",
                "Type 'Compnay' names no collection or type (did you mean 'company'? or map it with --types, e.g. 'Compnay: {collection: organizations, type: company}')",
            )
        ],
    ),
    "no-type": (_book({"Elements": [E, ["Acme Works", None]]}), [("[Elements]:2:2", NO_TYPE)]),
    "organization-without-type": (
        _book({"Elements": [E, ["Acme Works", "Organization"]]}),
        [
            (
                "[Elements]:2:1",
                "'Acme Works' is an Organization but gives no organization type (use a Type such as Economic Development Org, Chamber, Port, Company, an 'Organization type' column, or --types (allowed: economic-development-org, chamber, port, company, research-institute, nonprofit, government, legislature, labor-union, labor-management-partnership, industry-association, foundation, consortium, incubator))",
            )
        ],
    ),
    "duplicate-label": (
        _book({"Elements": [E, ["Acme Works", "Company"], ["Acme Works", "Company"]]}),
        [
            (
                "[Elements]:3:1",
                "duplicate label 'Acme Works' in type Company (also at row 2) (merge the rows, or give each an ID)",
            )
        ],
    ),
    "duplicate-id": (
        _book(
            {
                "Elements": [
                    ["ID", "Label", "Type"],
                    ["acme", "Acme Works", "Company"],
                    ["acme", "Acme Labs", "Company"],
                ]
            }
        ),
        [
            (
                "[Elements]:3:1",
                "duplicate ID 'acme' (also at Elements row 2) (give each element its own ID, or merge the rows)",
            )
        ],
    ),
    "unknown-reference": (
        _book(
            {
                "Elements": [E, ["Nowhere Institue", "Research Institute"]],
                "Connections": [C, ["Nowhere Institue", "Nowhere Institute", "Funding"]],
            }
        ),
        [("[Connections]:2:2", "'Nowhere Institute' names no element (did you mean 'Nowhere Institue'?)")],
    ),
    "ambiguous-alias": (
        _book(
            {
                "Elements": [
                    [*E, "Aliases"],
                    ["Acme Works", "Company", "Acme"],
                    ["Acme Labs", "Company", "Acme"],
                    ["Lab One", "Facility", None],
                ],
                "Connections": [C, ["Lab One", "Acme", "Operator"]],
            }
        ),
        [
            (
                "[Connections]:2:2",
                "'Acme' names 2 elements: acme-works, acme-labs (use the ID of the one you mean)",
            )
        ],
    ),
    "bad-date": (
        _book(
            {
                "Elements": TWO,
                "Connections": [[*C, "Since"], ["Acme Works", "Bay Guild", "Funding", "2023-13"]],
            }
        ),
        [("[Connections]:2:4", "bad date '2023-13' in since: month 13 does not exist")],
    ),
    "bad-url": (
        _book({"Elements": [[*E, "Website"], ["Acme Works", "Company", "javascript:alert(1)"]]}),
        [
            (
                "[Elements]:2:3",
                "bad URL in website: 'javascript:' links are not allowed; expected an http:// or https:// URL (write a full https:// address; encode spaces as %20)",
            )
        ],
    ),
    "bad-closed-value": (
        _book({"Elements": [[*E, "Status"], ["Lab One", "Facility", "Opened"]]}),
        [("[Elements]:2:3", "status 'opened' is not allowed (did you mean 'open'?)")],
    ),
    "connection-without-type": (
        _book({"Elements": TWO, "Connections": [["From", "To"], ["Acme Works", "Bay Guild"]]}),
        [
            (
                "[Connections]:2:3",
                "connection has no Type (give it a Type such as sector-partnership, funding, training or research)",
            )
        ],
    ),
    "connection-without-to": (
        _book(
            {"Elements": [E, ["Acme Works", "Company"]], "Connections": [C, ["Acme Works", None, "Funding"]]}
        ),
        [("[Connections]:2:2", "connection has no To (name an element by its label or ID)")],
    ),
    "single-reference-twice": (
        _book(
            {
                "Elements": [*TWO, ["Lab One", "Facility"]],
                "Connections": [C, ["Lab One", "Acme Works|Bay Guild", "Operator"]],
            }
        ),
        [
            (
                "[Connections]:2:2",
                "operator takes one element; Lab One has more (keep one connection of this type)",
            )
        ],
    ),
    "reference-to-a-cluster": (
        _book(
            {
                "Elements": [E, ["Lab One", "Facility"], ["Aerospace", "Cluster"]],
                "Connections": [C, ["Lab One", "Aerospace", "Operator"]],
            }
        ),
        [("[Connections]:2:2", f"'aerospace' in operator is a cluster ({ON_REF})")],
    ),
    "member-of-a-facility": (
        _book(
            {
                "Elements": [E, ["Lab One", "Facility"], ["Acme Works", "Company"]],
                "Connections": [C, ["Acme Works", "Lab One", "Member of"]],
            }
        ),
        [("[Connections]:2:2", "'lab-one' cannot have members (member of takes an organization)")],
    ),
    "control-character": (
        # Excel writes a control character as _x0007_; the reader decodes it
        _book({"Elements": [E, ["Acme_x0007_Works", "Company"]]}),
        [("[Elements]:2:1", "cell contains control character U+0007 (remove it)")],
    ),
    "ten-megabyte-cell": (
        _csv([[*E, "Description"], ["Acme Works", "Company", "x" * 10_000_000]]),
        [
            (
                ":2:3",
                "cell holds 10,000,000 characters, over the limit of 20,000 (shorten it; long texts belong in the source document)",
            )
        ],
    ),
    "merged-cells": (
        _book({"Elements": [E, ["Acme Works", "Company"], ["Bay Guild", None]]}, {"Elements": ["A3:B3"]}),
        [("[Elements]:3:1", "cells A3:B3 are merged (unmerge them so that each cell holds its own value)")],
    ),
    "sheet-without-headers": (
        _book({"Elements": [E, ["Acme Works", "Company"]], "Budget": [["Year", "Amount"], [2024, 5]]}),
        [
            (
                "[Budget]:1:1",
                "sheet has neither a Label column nor From and To columns (add the headers in the first row, or put '(ignore)' in the sheet name)",
            )
        ],
    ),
    "unknown-source": (
        _book({"Elements": [[*E, "Sources"], ["Acme Works", "Company", "annual-report"]]}),
        [("[Elements]:2:3", "'annual-report' names no source")],
    ),
    "every-problem-at-once": (
        _book(
            {
                "Elements": [E, ["Acme Works", "Compnay"], [None, "Port"], ["Bay Guild", None]],
                "Connections": [
                    C,
                    ["Acme Works", "Bay Guild", "Funding"],
                    ["Bay Gild", "Acme Works", "Funding"],
                ],
            }
        ),
        [
            ("[Connections]:3:1", "'Bay Gild' names no element"),
            (
                "[Elements]:2:2",
                "Type 'Compnay' names no collection or type (did you mean 'company'? or map it with --types, e.g. 'Compnay: {collection: organizations, type: company}')",
            ),
            ("[Elements]:3:1", "empty label (give every element a name, or delete the row)"),
            ("[Elements]:4:2", NO_TYPE),
        ],
    ),
    "json-not-a-blueprint": (
        lambda d: json_file(d / "map.json", [{"label": "A"}]),
        [("", 'not a Kumu blueprint (expected {"elements": [...], "connections": [...]})')],
    ),
}


def test_the_corpus_has_at_least_fifteen_spreadsheet_cases() -> None:
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_spreadsheet_is_reported_at_its_cell_and_nothing_is_written(case: str, tmp_path: Path) -> None:
    make, expected = CASES[case]
    src = make(tmp_path)
    out = tmp_path / "data"
    result = CliRunner().invoke(main, ["import", str(src), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == [src.name]
    lines = [ln for ln in result.output.splitlines() if ": error: " in ln]
    assert lines == [f"{src}{where}: error: {message}" for where, message in expected]
