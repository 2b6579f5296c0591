"""Editing graph/ by hand, and asking, without traps: one typo gives one error, syntax errors
say how to fix them, unsourced records are named, misspelt cg: terms and names are caught."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from clustergraph.cli import main

from .conftest import GRAPH_DIR, ROOT

SOURCES = "sources:\n  - {id: s, name: S, title: A source}\n"


def _data(tmp_path: Path, files: dict[str, str]) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    for name, text in files.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


def test_a_typo_in_type_gives_one_error_not_unknown_references_elsewhere(tmp_path: Path) -> None:
    d = _data(
        tmp_path,
        {
            "orgs.yaml": SOURCES
            + "organizations:\n  - id: acme\n    name: Acme\n    type: compnay\n    sources: [s]\n",
            "people.yaml": "people:\n  - id: ann\n    name: Ann\n    affiliation: acme\n    sources: [s]\n",
        },
    )
    code, out = _run("validate", str(d))
    assert code == 1
    assert [ln for ln in out.splitlines() if ": error: " in ln] == [
        f"{d}/orgs.yaml:6:11: error: type 'compnay' is not allowed (did you mean 'company'?)"
    ]


def test_references_into_a_file_that_cannot_be_read_are_reported_once(tmp_path: Path) -> None:
    d = _data(
        tmp_path,
        {
            "orgs.yaml": SOURCES
            + "organizations:\n  - id: acme\n    name: Acme\n    type: company\n    members: [ann-org, bob-org]\n    sources: [s]\n",
            "people.yaml": "organizations:\n  - id: ann-org\n    name: Ann: the org\n    type: company\n",
        },
    )
    code, out = _run("validate", str(d))
    assert code == 1
    errors = [ln for ln in out.splitlines() if ": error: " in ln]
    assert errors == [
        f"{d}/orgs.yaml:7:15: error: not checked: people.yaml could not be read"
        " (2 references to ids found in no other file; fix that file first)",
        f"{d}/people.yaml:3:14: error: YAML syntax: mapping values are not allowed in this context"
        """ (a ': ' inside a value starts a new field: quote the value, name: "Ann: the org")""",
    ]


def test_syntax_errors_say_what_to_do(tmp_path: Path) -> None:
    d = _data(
        tmp_path,
        {
            "a.yaml": SOURCES + "organizations:\n  - id: a\n    name: Ann\n      type: company\n",
            "b.yaml": "organizations:\n  - id: b\n    name: Bob\n    members: [a, c\n    type: company\n",
        },
    )
    code, out = _run("validate", str(d))
    assert code == 1
    assert "(this line is indented more than 'name:' above it: indent it 4 spaces)" in out
    assert "(the list opened at line 4, column 14 is not closed: add its ']')" in out


def test_validate_names_records_that_cite_no_source_and_strict_fails_on_them(tmp_path: Path) -> None:
    d = _data(
        tmp_path, {"a.yaml": SOURCES + "organizations:\n  - id: acme\n    name: Acme\n    type: company\n"}
    )
    code, out = _run("validate", str(d))
    assert code == 0
    assert f"{d}/a.yaml:4:5: warning: organization 'acme' cites no source" in out
    assert "1 record cites no source" in out
    assert _run("validate", str(d), "--strict")[0] == 1
    assert "warning" not in _run("validate", str(GRAPH_DIR), "--no-shacl")[1]


def test_a_cg_term_the_vocabulary_lacks_is_a_warning_with_did_you_mean() -> None:
    code, out = _run("query", "-e", "SELECT ?o WHERE { ?o a cg:Organisation }", str(GRAPH_DIR))
    assert code == 0
    assert (
        "-e: warning: cg:Organisation is not in the clustergraph vocabulary (did you mean 'cg:Organization'?)"
        in out
    )
    code, out = _run("query", "-e", "SELECT ?o WHERE { ?o a cg:Organization }", str(GRAPH_DIR))
    assert "warning" not in out


def test_every_shipped_query_names_only_terms_of_the_vocabulary() -> None:
    from clustergraph.vocab import unknown_terms

    for rq in sorted((ROOT / "queries").glob("*.rq")):
        assert unknown_terms(rq.read_text(encoding="utf-8")) == [], rq.name


def test_an_id_parameter_takes_a_name_or_an_alias() -> None:
    by_id = _run("query", "partners", str(GRAPH_DIR), "-p", "org=la-biomed", "--format", "csv")
    by_alias = _run("query", "partners", str(GRAPH_DIR), "-p", "org=LA BioMed", "--format", "csv")
    by_name = _run(
        "query",
        "partners",
        str(GRAPH_DIR),
        "-p",
        "org=los angeles biomedical research institute",
        "--format",
        "csv",
    )

    def rows(got: tuple[int, str]) -> list[str]:
        return [ln for ln in got[1].splitlines() if not ln.endswith("oxigraph)")]

    assert by_id[0] == 0 and rows(by_id) == rows(by_alias) == rows(by_name) and len(rows(by_id)) > 1
    code, out = _run(
        "query", "partners", str(GRAPH_DIR), "-p", "org=Los Angeles Biomedical Resarch Institute"
    )
    assert code == 2
    assert (
        "must be a record id, name or alias; no record is named 'Los Angeles Biomedical Resarch Institute' (did you mean 'Los Angeles Biomedical Research Institute'?)"
        in out
    )


def test_the_field_to_predicate_table_in_the_docs_is_current() -> None:
    from clustergraph.builder import predicate_table

    doc = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    block = doc.split("<!-- predicate-table:start -->\n", 1)[1].split("<!-- predicate-table:end -->", 1)[0]
    assert block == predicate_table(), "paste clustergraph.builder.predicate_table() into docs/data-format.md"
