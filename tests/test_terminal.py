"""Terminal-safe output: nothing from the data drives the terminal, in tables, CSV, TSV, JSON and messages."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from clustergraph.cli import emit, main
from clustergraph.cli.base import cell
from clustergraph.terminal import fit_widths, safe_text, truncate, width

from .test_cache import BASE

PAYLOAD = "\x1b]0;PWNED\x07\x1b[31mred\r\u202eevil\x9b2J\x00"
ESCAPED = "\\x1b]0;PWNED\\x07\\x1b[31mred\\r\\u202eevil\\x9b2J\\x00"


def _received_rdf(tmp_path: Path, runner: CliRunner) -> Path:
    """An RDF file from someone else: its labels skip the YAML text checks."""
    data = tmp_path / "d"
    data.mkdir()
    (data / "data.yaml").write_text(BASE, encoding="utf-8")
    out = tmp_path / "e.ttl"
    assert runner.invoke(main, ["build", str(data), "-o", str(out)]).exit_code == 0
    label = json.dumps(PAYLOAD)  # a Turtle string with \u escapes for the controls
    with out.open("a", encoding="utf-8") as f:
        f.write(
            f"\n<https://w3id.org/clustergraph/id/org-a> <http://www.w3.org/2000/01/rdf-schema#label> {label} .\n"
        )
    return out


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv"])
def test_labels_from_an_rdf_file_are_escaped_in_every_format(
    runner: CliRunner, tmp_path: Path, fmt: str
) -> None:
    """P1 (U10): in pipes too."""
    rdf = _received_rdf(tmp_path, runner)
    result = runner.invoke(
        main, ["query", "-e", "SELECT ?n WHERE { ?s rdfs:label ?n }", str(rdf), "--format", fmt]
    )
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\r" not in result.stdout and "\u202e" not in result.stdout
    assert ESCAPED in result.stdout


def test_json_keeps_the_data_and_escapes_it_as_json(runner: CliRunner, tmp_path: Path) -> None:
    rdf = _received_rdf(tmp_path, runner)
    result = runner.invoke(
        main, ["query", "-e", "SELECT ?n WHERE { ?s rdfs:label ?n }", str(rdf), "--format", "json"]
    )
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\x9b" not in result.stdout and "\u202e" not in result.stdout
    values = [b["n"]["value"] for b in json.loads(result.stdout)["results"]["bindings"]]
    assert PAYLOAD in values


def test_a_field_name_cannot_fake_a_clean_run(runner: CliRunner, tmp_path: Path) -> None:
    """P1 (U07): the key is echoed, escaped."""
    data = tmp_path / "d"
    data.mkdir()
    key = "\x1b]0;PWNED\x07\x1b[1A\x1b[2K\rd: 9 records: no problems\x1b[8m"
    (data / "a.yaml").write_text(
        f"organizations:\n  - id: org-a\n    name: ok\n    type: nonprofit\n    {json.dumps(key)}: x\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["validate", str(data)])
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\r" not in result.stderr
    assert "\\x1b]0;PWNED\\x07\\x1b[1A\\x1b[2K\\rd: 9 records: no problems\\x1b[8m" in result.stderr


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_table_fits_the_terminal_and_is_never_cut_in_a_pipe(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [{"id": "org-a", "description": "word " * 60, "kind": "nonprofit"}]
    monkeypatch.setenv("COLUMNS", "60")
    tty = _Tty()
    monkeypatch.setattr("sys.stdout", tty)
    emit(rows, "table")
    lines = tty.getvalue().splitlines()
    assert all(width(line) <= 60 for line in lines)
    assert lines[2].startswith("org-a  word word") and "…" in lines[2] and lines[2].endswith("nonprofit")
    monkeypatch.undo()
    emit(rows, "table")
    assert "word " * 59 + "word" in capsys.readouterr().out


def test_the_helpers() -> None:
    assert safe_text(PAYLOAD) == ESCAPED
    assert safe_text("two\nlines\x1b", newlines=True) == "two\nlines\\x1b"
    assert truncate("漢字漢字", 5) == "漢字…" and width("漢字…") == 5
    assert fit_widths([5, 100, 9], 40) == [5, 22, 9]
    assert fit_widths([30, 30], 10) == [8, 8]


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_and_tsv_rows_are_the_csv_modules_bytes(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    # emit writes a row needing no quotes itself (joined), and the others with the csv
    # module: every row must come out as the csv module alone would write it.
    values: list[object] = [
        "plain", "", " padded ", "a,b", "a\tb", 'say "hi"', "two\nlines", "cr\rhere", "a\r\nb",
        "ends,", ",", '"', PAYLOAD, "漢字, ünï", None, 1.5, 3, True, [], ["x", "y,z"], ["a", 2.25, None],
        ["apex-university-1", "apex-college-2"], ("t", "u"),
    ]  # fmt: skip
    rows = [{"a": a, "b": b} for a in values for b in values]
    rows += [{"a": a} for a in values]  # a lone column: one field per row (an empty one is quoted)
    for columns in (("a", "b"), ("a",), ("a", "b", "missing")):
        emit(rows, fmt, columns)
        got = capsys.readouterr().out
        expected = io.StringIO()
        writer = csv.writer(expected, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([safe_text(cell(r.get(c)), newlines=fmt == "csv") for c in columns])
        assert got == expected.getvalue()
