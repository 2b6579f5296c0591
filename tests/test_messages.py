"""Messages that say the right thing at the right place (U1), and typos that are not silently accepted (W1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clustergraph import schema
from clustergraph.cli import main
from clustergraph.errors import DataErrors
from clustergraph.loader import load

from .conftest import GRAPH_DIR

BASE = "sources:\n  - id: src\n    name: S\n    title: T\n"


def test_a_raw_nul_byte_is_reported_where_it_is(runner: CliRunner, tmp_path: Path) -> None:
    """U1 (U03): line 3, one line, not 1:1 plus 'in "<unicode string>", position 42'."""
    (tmp_path / "n").mkdir()
    (tmp_path / "n" / "a.yaml").write_bytes(
        b"organizations:\n  - id: org-a\n    name: Org\x00A\n    type: nonprofit\n"
    )
    result = runner.invoke(main, ["validate", str(tmp_path / "n")])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'n' / 'a.yaml'}:3:14: error: YAML syntax: character U+0000 is not allowed (remove it)",
        "1 problem in 1 file",
    ]


def test_two_names_for_one_folder_blame_the_link(runner: CliRunner, tmp_path: Path) -> None:
    """U1 (F08): not a 'loop', and the link is named, not the real folder."""
    (tmp_path / "l" / "real").mkdir(parents=True)
    (tmp_path / "l" / "real" / "data.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "l" / "alias").symlink_to("real")
    result = runner.invoke(main, ["validate", str(tmp_path / "l")])
    assert result.exit_code == 1
    assert (
        f"{tmp_path / 'l' / 'alias'}: error: a second name for {tmp_path / 'l' / 'real'}, which is read once "
        "(remove the symbolic link)" in result.stderr
    )


def test_a_long_description_is_not_told_to_move_into_description(runner: CliRunner, tmp_path: Path) -> None:
    """U1 (F04)."""
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.yaml").write_text(
        "organizations:\n  - id: org-a\n    name: Org\n    type: nonprofit\n    description: "
        + "x" * 30000
        + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["validate", str(tmp_path / "d")])
    assert result.exit_code == 1
    assert "description is 30000 characters long" in result.stderr
    assert "put detail in description" not in result.stderr


def test_construct_where_short_form_takes_parameters(runner: CliRunner, tmp_path: Path) -> None:
    """U1 (S32): the short form is rewritten to the long one before the VALUES block goes in."""
    q = tmp_path / "p.rq"
    q.write_text("# param: u (iri) — x\nCONSTRUCT WHERE { ?u ?p ?o }\n", encoding="utf-8")
    laedc = "https://w3id.org/clustergraph/id/laedc"
    for engine in ("oxigraph", "rdflib"):
        result = runner.invoke(
            main, ["query", str(q), str(GRAPH_DIR), "-p", f"u={laedc}", "--engine", engine]
        )
        assert result.exit_code == 0, result.output
        assert "Los Angeles County Economic Development Corporation" in result.stdout


@pytest.mark.parametrize(
    ("relations", "message"),
    [
        ("partnershp", "unknown relation 'partnershp' in --relations (did you mean 'partnerships'?)"),
        ("bogus", "unknown relation 'bogus' in --relations (presets: partnerships, collaboration, all)"),
        ("", "--relations names no relation"),
        (",,,", "--relations names no relation"),
    ],
)
def test_a_relations_typo_is_a_usage_error(
    runner: CliRunner, tmp_path: Path, relations: str, message: str
) -> None:
    """W1 (C05): it gave a map with 0 links and every entity 'isolated'."""
    result = runner.invoke(
        main, ["map", str(GRAPH_DIR), "-o", str(tmp_path / "m.html"), "--relations", relations]
    )
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (tmp_path / "m.html").exists()


# ---------------------------------------------------------------- generated YAML scalars in every field


# One spelling of every YAML 1.1 scalar type the safe loader resolves, and their edge cases.
YAML11_SCALARS = [
    "~",
    "null",
    "Null",
    "",
    "true",
    "False",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "n",
    "0",
    "-0",
    "+12",
    "0x7E1",
    "0o17",
    "017",
    "0b101",
    "1_000",
    "1:30",
    "190:20:30",
    "9" * 5000,
    "1.5",
    ".5",
    "-1e3",
    "1e309",
    ".inf",
    "-.Inf",
    ".nan",
    "6.8523015e+5",
    "685.230_15e+03",
    "1:30.5",
    "2017-01-01",
    "2001-12-14t21:59:43.10-05:00",
    "2001-12-14 21:59:43.10 -5",
    "2017-02-30",
    "'٢٠١٧'",
    '"²"',
    '"\\x1b[31m"',
    '"\\u202e"',
    '"\\x85"',
    '"a\\tb"',
    "!!binary aGVsbG8=",
    "!!str 12",
    "!!int 12",
    "!!float 1",
    "!!timestamp 2017-01-01",
    "[a, b]",
    "{a: b}",
    "[]",
    "{}",
    "[[x]]",
    "'@x'",
    "'https://example.org/'",
    "'javascript:alert(1)'",
    "Q42",
    "'3364'",
    "org-a",
    "src",
    "x" * 300,
]


@st.composite
def _record_with_one_odd_field(draw: st.DrawFn) -> tuple[str, str]:
    collection = draw(
        st.sampled_from(sorted(c for c in schema.COLLECTIONS if c not in ("plans", "datasets")))
    )
    fields = schema.fields_of(collection)
    field = draw(st.sampled_from(sorted(fields)))
    value = draw(st.sampled_from(YAML11_SCALARS))
    return collection, f"{field}: {value}"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_record_with_one_odd_field())
def test_every_yaml_scalar_in_every_field_is_data_or_a_located_error(
    tmp_path: Path, odd: tuple[str, str]
) -> None:
    collection, line = odd
    d = tmp_path / f"d{abs(hash(odd))}"
    d.mkdir()
    rec = "  - id: rec-a\n    name: Rec A\n"
    (d / "a.yaml").write_text(f"{BASE}{collection}:\n{rec}    {line}\n", encoding="utf-8")
    try:
        load(d, cache=False)
    except DataErrors as exc:
        assert all(e.loc.path.endswith("a.yaml") and e.loc.line >= 1 for e in exc.errors)
    result = CliRunner().invoke(main, ["validate", str(d), "--no-shacl"])
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output


def test_a_query_file_beside_the_data_that_replaces_a_shipped_one_is_named(
    runner: CliRunner, tmp_path: Path
) -> None:
    """The review's S08 relied on an override nobody saw; now `query` says which file it runs."""
    import shutil

    shutil.copytree(GRAPH_DIR, tmp_path / "region" / "graph")
    (tmp_path / "region" / "queries").mkdir()
    own = tmp_path / "region" / "queries" / "facilities.rq"
    own.write_text("# title: Facilities\nSELECT ?f WHERE { ?f a cg:Facility }\n", encoding="utf-8")
    result = runner.invoke(main, ["query", "facilities", str(tmp_path / "region" / "graph")])
    assert result.exit_code == 0, result.output
    assert f"{own}: note: this file beside the data replaces the shipped query 'facilities'" in result.stderr
    plain = runner.invoke(main, ["query", "facilities", str(GRAPH_DIR)])
    assert "replaces the shipped query" not in plain.stderr


def test_errors_cross_a_process_boundary_whole() -> None:
    """A worker process (the site's) hands its error back pickled: every problem, place and
    parameter must survive, or the user would read "out of memory?" instead of the problem."""
    import pickle

    from clustergraph.errors import DataError, DataErrors, Loc, QueryError, UsageError
    from clustergraph.network.resolve import UnknownEntity

    problems = [DataError(Loc("a.yaml", 3, 5), "unknown field 'nmae'", "did you mean name?")]
    for error in (
        DataErrors(problems),
        UsageError("`depth` must be 0 or more", param="depth"),
        UnknownEntity("without", "LA Biomed", "no entity is named 'LA Biomed'", "did you mean LA BioMed?"),
        QueryError("the server answered 503"),
    ):
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error) and str(back) == str(error)
        assert vars(back) == vars(error)
    assert pickle.loads(pickle.dumps(DataErrors(problems))).errors == problems
