"""The manual and the code agree."""

from __future__ import annotations

import re

from clustergraph.schema import COLLECTIONS, COMMON

from .conftest import ROOT


def _documented_fields() -> dict[str, set[str]]:
    text = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    sections: dict[str, set[str]] = {}
    current = "common"
    for line in text.splitlines():
        heading = re.match(r"### `(\w+)`", line)
        if heading:
            current = heading.group(1)
        row = re.match(r"\| `(\w+)` \|", line)
        if row:
            sections.setdefault(current, set()).add(row.group(1))
    return sections


def test_data_format_doc_lists_every_field_and_no_other() -> None:
    documented = _documented_fields()
    assert documented.pop("common") == set(COMMON)
    assert documented == {name: set(fields) for name, fields in COLLECTIONS.items()}


def test_readme_shows_both_set_up_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme


def test_readme_shows_both_set_up_commands_and_every_cli_command() -> None:
    from clustergraph.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    for name in main.commands:
        assert f"clustergraph {name}" in readme, name
