"""The manual and the code agree."""

from __future__ import annotations

import re

from clustergraph.schema import COLLECTIONS, COMMON, DISPUTE, markdown_tables

from .conftest import ROOT


def _doc_tables() -> list[str]:
    """Every field table of the data-format manual, in order, as text."""
    text = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    return [m.group(0) for m in re.finditer(r"^\| field \| required \| holds \|\n(?:\|.*\n)+", text, re.M)]


def test_data_format_doc_tables_are_the_ones_the_schema_makes() -> None:
    """The manual's tables are made by `schema.markdown_tables()`: a field added to the
    schema fails here until the manual shows it (paste the function's output)."""
    assert _doc_tables() == markdown_tables()


def test_data_format_doc_lists_every_field_and_no_other() -> None:
    rows = [set(re.findall(r"^\| `(\w+)` \|", table, re.M)) for table in _doc_tables()]
    assert rows[0] == set(COMMON)
    assert rows[1:-1] == [set(fields) for fields in COLLECTIONS.values()]
    assert rows[-1] == set(DISPUTE)


def test_readme_shows_both_set_up_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme


def test_readme_shows_both_set_up_commands_and_every_cli_command() -> None:
    from clustergraph.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    for name in main.commands:
        assert f"clustergraph {name}" in readme, name
