"""Named queries, safe parameters and both local engines, on the real LA data and small hand-made files."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from clustergraph.builder import BuiltGraph, build
from clustergraph.cli import main
from clustergraph.errors import DataErrors, UsageError
from clustergraph.loader import load
from clustergraph.querying import NamedQuery, named_queries, parse_query_text, run_query
from clustergraph.results import Result, display_rows
from clustergraph.sparql import with_values

from .conftest import GRAPH_DIR, ROOT

# What each named query answers on the LA graph: parameters, the number of rows,
# and rows that must be among them (cells as the table shows them without labels).
EXPECTED: dict[str, tuple[dict[str, str], int, list[tuple[str, ...]]]] = {
    "assets-by-stage": (
        {},
        36,
        [
            ("id:bioscience", "cg:research", "3"),
            ("id:bioscience", "cg:design", "5"),
            ("id:aerospace", "cg:build", "2"),
            ("id:aerospace", "cg:export", "0"),
        ],
    ),
    "cluster-links": (
        {"cluster": "bioscience"},
        48,
        [
            ("cg:Facility", "id:la-biomed-research-facility"),
            ("cg:Partnership", "id:la-biomed-ucla-affiliation"),
        ],
    ),
    "cluster-summary": (
        {},
        37,
        [
            ("id:aerospace", "cg:Policy", "5"),
            ("id:aerospace", "cg:Facility", "6"),
            ("id:aerospace", "cg:College", "2"),
            ("id:blue-economy", "cg:Partnership", "12"),
        ],
    ),
    "disputed": (
        {},
        21,
        [
            (
                "id:altasea-lease-approved",
                "date",
                "2013-10",
                "id:callahan-altasea-2015",
                'A 2015 blog post says "In October"; the December 2013 reports give December 17.',
            ),
            (
                "id:la-biomed",
                "city",
                "Carson",
                "id:cnsi-incubators-2021",
                'The LA Business Journal (2021) places "the Lundquist Institute in Carson".',
            ),
        ],
    ),
    "clusters-without-college": ({}, 6, [("id:construction",), ("id:trade-logistics",)]),
    "clusters-without-facility": ({}, 5, [("id:construction",), ("id:trade-logistics",)]),
    "clusters-without-workforce-board": ({}, 2, [("id:blue-economy",), ("id:fashion-apparel",)]),
    "events-by-year": (
        {},
        34,
        [("2017", "launched", "3"), ("2018", "passed", "2"), ("2013", "launched", "1")],
    ),
    "facilities": (
        {},
        20,
        [
            (
                "id:biolabs-la-incubator",
                "id:biolabs",
                "id:la-biomed-research-facility",
                "open",
                "id:bioscience",
            )
        ],
    ),
    "initiatives": (
        {},
        14,
        [
            ("id:workforce-development-council", "lead", "id:laedc"),
            ("id:laedc-policy-committee", "lead", "id:laedc"),
        ],
    ),
    "members-of": (
        {"org": "la-oc-regional-consortium"},
        26,
        [("id:mt-san-antonio-college", "community-college"), ("id:santa-ana-college", "community-college")],
    ),
    "partners": (
        {"org": "laedc"},
        31,
        [
            ("id:la-area-chamber", "sector-partnership", "id:wdc-partnership", "id:progress-report-2017"),
            ("id:coe-labor-market-research", "research", "id:laedc-coe-research", "id:coeccc-ccw-collab"),
        ],
    ),
    "partnership-counts": ({}, 54, [("id:altasea", "9", "9"), ("id:laedc", "6", "12")]),
    "plan-progress": (
        {},
        4,
        [("id:action-advocate-policy", "1", "3"), ("id:action-physical-spaces", "0", "2")],
    ),
    "policies": (
        {},
        7,
        [
            ("id:ab-427", "AB 427", "vetoed", "author", "id:al-muratsuchi"),
            ("id:sb-1215-2016", "SB 1215", "", "author", "id:ben-allen"),
        ],
    ),
    "search": ({"text": "BioMed"}, 22, [("id:la-biomed", "cg:Organization", "LA BioMed")]),
    "shared-event-unlinked": (
        {},
        4,
        [("id:al-muratsuchi", "id:laedc", "1"), ("id:annenberg-foundation", "id:csu-northridge", "1")],
    ),
    "shared-initiative-unlinked": ({}, 0, []),
    "sources-of": (
        {"record": "altasea-port-lease"},
        8,
        [
            (
                "id:altasea-future-ocean-blue",
                "The Future is Looking Ocean Blue",
                "",
                "id:altasea",
                "https://altasea.org/the-future-is-looking-ocean-blue/",
            )
        ],
    ),
    "timeline": (
        {"since": "2019"},
        10,
        [("2019-09-10", "renamed", "id:la-biomed-renamed", "id:la-biomed", "")],
    ),
    "unsourced": ({}, 0, []),
    "value-chain-gaps": (
        {},
        10,
        [("id:bioscience", "cg:export"), ("id:aerospace", "cg:export"), ("id:blue-economy", "cg:design")],
    ),
    "wikidata": ({}, 0, []),
}
QUERIES = named_queries()


def _cells(result: Result) -> list[tuple[str, ...]]:
    _, rows = display_rows(result)
    return [tuple(r.values()) for r in rows]


def test_library_has_at_least_15_documented_queries() -> None:
    assert len(QUERIES) >= 15
    for q in QUERIES.values():
        assert q.title and q.description, q.name
        assert all(p.meaning for p in q.params), q.name


def test_every_named_query_has_an_expected_answer() -> None:
    assert set(QUERIES) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_named_query_answers_the_same_on_both_engines(la_graph: BuiltGraph, name: str) -> None:
    params, count, must = EXPECTED[name]
    ox_result = run_query(QUERIES[name], params, graph=la_graph, engine="oxigraph")
    rdflib_result = run_query(QUERIES[name], params, graph=la_graph, engine="rdflib")
    assert ox_result.vars == rdflib_result.vars
    assert ox_result.rows == rdflib_result.rows  # same rows in the same ORDER BY order
    cells = _cells(ox_result)
    assert len(cells) == count
    for row in must:
        assert row in cells


SMALL = """
sources:
  - {id: s1, name: S1, title: A source}
clusters:
  - {id: c1, name: Cluster one, sources: [s1]}
organizations:
  - {id: a, name: Org A, type: nonprofit, wikidata: Q42, sources: [s1]}
  - {id: b, name: Org B, type: company, sources: [s1]}
  - {id: c, name: Org C, type: company}
initiatives:
  - {id: i1, name: Initiative one, lead: [a], partners: [b, c], sources: [s1]}
partnerships:
  - {id: p1, name: A and B, members: [a, b], type: funding, sources: [s1]}
"""


@pytest.fixture(scope="module")
def small_graph(tmp_path_factory: pytest.TempPathFactory) -> BuiltGraph:
    data = tmp_path_factory.mktemp("small") / "data"
    data.mkdir()
    (data / "all.yaml").write_text(SMALL, encoding="utf-8")
    return build(load(data))


@pytest.mark.parametrize(
    ("name", "rows"),
    [
        ("shared-initiative-unlinked", [("id:a", "id:c", "id:i1"), ("id:b", "id:c", "id:i1")]),
        ("unsourced", [("cg:Organization", "id:c")]),
        ("wikidata", [("id:a", "wd:Q42")]),
    ],
)
def test_queries_empty_on_la_find_rows_where_the_data_has_them(
    small_graph: BuiltGraph, name: str, rows: list[tuple[str, ...]]
) -> None:
    for engine in ("oxigraph", "rdflib"):
        assert _cells(run_query(QUERIES[name], graph=small_graph, engine=engine)) == rows


# ---------------------------------------------------------------- parameters


@pytest.mark.parametrize("evil", ['"} ; DROP ALL ; {"', "> <", "x' } ; CLEAR DEFAULT ; #", '\\" ) } #'])
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_parameter_value_is_bound_as_a_literal_and_changes_nothing(
    la_graph: BuiltGraph, evil: str, engine: str
) -> None:
    before = len(la_graph)
    result = run_query(QUERIES["search"], {"text": evil}, graph=la_graph, engine=engine)
    assert result.rows == ()
    assert len(la_graph) == before
    # The same value bound to a variable the query returns comes back unchanged.
    q = parse_query_text("# param: t (string) — text\nSELECT ?t ?n WHERE { BIND(STRLEN(?t) AS ?n) }")
    echoed = run_query(q, {"t": evil}, graph=la_graph, engine=engine)
    assert _cells(echoed) == [(evil, str(len(evil)))]


def test_values_block_holds_serialised_terms_only(la_graph: BuiltGraph) -> None:
    from clustergraph.querying import bind_params

    q = QUERIES["search"]
    text = with_values(q, bind_params(q, {"text": '"} ; DROP ALL ; {"'}))
    assert 'VALUES (?text) { ("\\"} ; DROP ALL ; {\\"") }' in text


def test_construct_gets_values_in_its_where_group_not_its_template() -> None:
    from clustergraph.querying import bind_params

    q = parse_query_text("# param: o (id) — org\nCONSTRUCT { ?o ?p ?x } WHERE { ?o ?p ?x }")
    text = with_values(q, bind_params(q, {"o": "laedc"}))
    assert text.startswith("# param: o (id) — org\nCONSTRUCT { ?o ?p ?x } WHERE { VALUES (?o)")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "missing parameter 'org'"),
        ({"org": "laedc", "orgs": "x"}, "unknown parameter 'orgs'"),
        ({"org": "Not An Id"}, "parameter 'org' must be a record id"),
        ({"org": "laedcc"}, "no record with id 'laedcc' in the graph (did you mean 'laedc'?)"),
    ],
)
def test_bad_parameter_is_a_usage_error_naming_it(
    la_graph: BuiltGraph, params: dict[str, str], message: str
) -> None:
    with pytest.raises(UsageError, match=None) as err:
        run_query(QUERIES["partners"], params, graph=la_graph)
    assert message in str(err.value)


def test_typed_parameters_become_typed_literals(la_graph: BuiltGraph) -> None:
    q = parse_query_text(
        "# param: n (integer) — n\n# param: d (decimal, 1.5) — d\n# param: b (boolean, true) — b\n"
        "SELECT ?n ?d ?b (DATATYPE(?n) AS ?tn) WHERE { FILTER(?n > 2 && ?d < 2 && ?b) }"
    )
    for engine in ("oxigraph", "rdflib"):
        assert _cells(run_query(q, {"n": "3"}, graph=la_graph, engine=engine)) == [
            ("3", "1.5", "true", "xsd:integer")
        ]
    with pytest.raises(UsageError, match="'n' must be a whole number"):
        run_query(q, {"n": "three"}, graph=la_graph)


def test_malformed_header_points_at_its_line() -> None:
    with pytest.raises(DataErrors) as err:
        parse_query_text("# title: x\n# param: org id — no parentheses\nSELECT * WHERE {}", path="q.rq")
    assert str(err.value.errors[0]).startswith("q.rq:2:1: error: malformed parameter line")
    with pytest.raises(DataErrors, match=r"q\.rq:1:1: error: parameter .x. is never used as"):
        parse_query_text("# param: x (string) — x\nSELECT * WHERE {}", path="q.rq")
    with pytest.raises(DataErrors, match=r"unknown parameter type .int.*did you mean .integer."):
        parse_query_text("# param: x (int) — x\nSELECT ?x WHERE {}", path="q.rq")


# ---------------------------------------------------------------- refusals and errors


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * FROM <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }", "FROM"),
        ("SELECT * FROM NAMED <http://127.0.0.1:9/g> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM"),
        ("LOAD <http://example.org/data.ttl>", "LOAD"),
        ("DROP ALL", "DROP"),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT"),
        ("PREFIX x: <urn:x#>\nDELETE WHERE { ?s ?p ?o }", "DELETE"),
    ],
)
def test_service_load_and_updates_are_refused_on_local_engines(
    la_graph: BuiltGraph, text: str, word: str
) -> None:
    before = len(la_graph)
    for engine in ("oxigraph", "rdflib"):
        with pytest.raises(UsageError, match=word):
            run_query(parse_query_text(text), graph=la_graph, engine=engine)
    assert len(la_graph) == before


def test_keywords_inside_strings_iris_and_names_are_not_refused(la_graph: BuiltGraph) -> None:
    q = parse_query_text(
        'PREFIX load: <urn:drop#>\n# SERVICE in a comment\nSELECT ?service WHERE { BIND("DROP ALL; SERVICE" AS ?service) '
        "FILTER(?service != load:insert) }"
    )
    assert _cells(run_query(q, graph=la_graph)) == [("DROP ALL; SERVICE",)]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_bad_query_text_gives_parser_message_with_line_and_column(runner: CliRunner, engine: str) -> None:
    result = runner.invoke(
        main, ["query", "-e", "SELECT ?x\nWHERE { ?x ?y }", str(GRAPH_DIR), "--engine", engine]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("-e:2:")
    assert "SPARQL syntax" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_bad_query_file_names_the_file(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("# title: bad\nSELECT ?x\nWHERE { ?x ?y }\n", encoding="utf-8")
    result = runner.invoke(main, ["query", str(bad), str(GRAPH_DIR)])
    assert result.exit_code == 1
    assert re.match(rf"{re.escape(str(bad))}:\d+:\d+: error: SPARQL syntax: ", result.stderr)


# ---------------------------------------------------------------- the command line


def test_queries_lists_names_descriptions_and_parameters(runner: CliRunner) -> None:
    result = runner.invoke(main, ["queries", "--format", "tsv"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "name\tparameters\tdescription"
    assert any(line.startswith("partners\torg (id)\tWho ORG partners with") for line in lines)
    assert any(line.startswith("timeline\tsince (integer, 1900)\t") for line in lines)
    assert len(lines) == len(QUERIES) + 1
    # JSON carries the parameters as data too, for tools that build forms from them.
    listed = {q["name"]: q for q in json.loads(runner.invoke(main, ["queries", "--format", "json"]).stdout)}
    assert listed["timeline"]["params"] == [
        {
            "name": "since",
            "type": "integer",
            "default": "1900",
            "meaning": QUERIES["timeline"].params[0].meaning,
        }
    ]
    assert listed["partners"]["title"] and listed["partners"]["file"].endswith("partners.rq")


def test_a_queries_folder_beside_the_data_adds_own_queries(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "colleges.rq").write_text(
        "# title: Colleges\n# description: Count the colleges.\n"
        "PREFIX cg: <https://w3id.org/clustergraph/ns#>\nSELECT (COUNT(?c) AS ?n) WHERE { ?c a cg:College }\n",
        encoding="utf-8",
    )
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "all.yaml").write_text(SMALL, encoding="utf-8")
    listed = runner.invoke(main, ["queries", str(tmp_path / "data"), "--format", "csv"])
    assert "colleges,,Count the colleges." in listed.stdout
    assert "partners,org (id)" in listed.stdout
    result = runner.invoke(main, ["query", "colleges", str(tmp_path / "data"), "--format", "csv"])
    assert result.stdout == "n\n0\n"


def test_table_shows_labels_and_raw_shows_iris(runner: CliRunner) -> None:
    args = ["query", "partners", str(GRAPH_DIR), "-p", "org=laedc", "--format", "tsv"]
    table = runner.invoke(main, args)
    assert table.exit_code == 0
    assert (
        "Los Angeles Area Chamber of Commerce\tsector-partnership\tWorkforce Development Council partnership"
        in (table.stdout)
    )
    raw = runner.invoke(main, [*args, "--raw"])
    assert "https://w3id.org/clustergraph/id/la-area-chamber\tsector-partnership\t" in raw.stdout


def test_json_is_w3c_sparql_results(runner: CliRunner) -> None:
    result = runner.invoke(main, ["query", "clusters-without-facility", str(GRAPH_DIR), "--format", "json"])
    doc = json.loads(result.stdout)
    assert doc["head"] == {"vars": ["cluster"]}
    assert doc["results"]["bindings"][0] == {
        "cluster": {"type": "uri", "value": "https://w3id.org/clustergraph/id/construction"}
    }
    counts = json.loads(
        runner.invoke(main, ["query", "events-by-year", str(GRAPH_DIR), "--format", "json"]).stdout
    )
    assert counts["results"]["bindings"][0]["events"] == {
        "type": "literal",
        "value": "1",
        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
    }


def test_ask_prints_true_or_false_and_exit_status(runner: CliRunner) -> None:
    yes = runner.invoke(main, ["query", "-e", "ASK { ?c a cg:Cluster }", str(GRAPH_DIR), "--exit-status"])
    assert (yes.exit_code, yes.stdout) == (0, "true\n")
    no = runner.invoke(main, ["query", "-e", "ASK { ?c a cg:Nothing }", str(GRAPH_DIR), "--exit-status"])
    assert (no.exit_code, no.stdout) == (1, "false\n")
    as_json = runner.invoke(
        main, ["query", "-e", "ASK { ?c a cg:Cluster }", str(GRAPH_DIR), "--format", "json"]
    )
    assert json.loads(as_json.stdout) == {"head": {}, "boolean": True}


def test_construct_prints_turtle(runner: CliRunner) -> None:
    text = "CONSTRUCT { ?c a cg:Cluster } WHERE { ?c a cg:Cluster ; skos:notation 'bioscience' }"
    result = runner.invoke(main, ["query", "-e", text, str(GRAPH_DIR)])
    assert result.exit_code == 0
    assert "id:bioscience a cg:Cluster ." in result.stdout
    refused = runner.invoke(main, ["query", "-e", "SELECT * WHERE {}", str(GRAPH_DIR), "--format", "turtle"])
    assert refused.exit_code == 2


def test_cli_usage_errors_exit_2_and_name_the_parameter(runner: CliRunner) -> None:
    missing = runner.invoke(main, ["query", "partners", str(GRAPH_DIR)])
    assert missing.exit_code == 2
    assert "missing parameter 'org'" in missing.stderr
    unknown = runner.invoke(main, ["query", "partnrs", str(GRAPH_DIR)])
    assert unknown.exit_code == 2
    assert "did you mean 'partners'" in unknown.stderr
    service = runner.invoke(
        main, ["query", "-e", "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", str(GRAPH_DIR)]
    )
    assert service.exit_code == 2
    assert "SERVICE is refused" in service.stderr
    swapped = runner.invoke(main, ["query", str(GRAPH_DIR), "cluster-summary"])
    assert swapped.exit_code == 2
    assert f"{GRAPH_DIR} is a folder: the query comes first, then the data" in swapped.stderr
    assert f"(clustergraph query cluster-summary {GRAPH_DIR})" in swapped.stderr
    assert "Traceback" not in swapped.output


def test_query_an_exported_graph_file(runner: CliRunner, la_graph: BuiltGraph, tmp_path: Path) -> None:
    ttl = tmp_path / "la.ttl"
    ttl.write_bytes(la_graph.serialize("turtle") or b"")
    from_dir = runner.invoke(
        main, ["query", "partners", str(GRAPH_DIR), "-p", "org=laedc", "--format", "csv"]
    )
    from_file = runner.invoke(
        main, ["query", "partners", "--graph", str(ttl), "-p", "org=laedc", "--format", "csv"]
    )
    assert from_file.exit_code == 0
    assert from_file.stdout == from_dir.stdout
    # The file given as DATA, as every other command takes it, answers the same.
    as_data = runner.invoke(main, ["query", "partners", str(ttl), "-p", "org=laedc", "--format", "csv"])
    assert as_data.exit_code == 0, as_data.output
    assert as_data.stdout == from_dir.stdout


def test_bad_data_is_reported_with_file_line_col(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("organizations:\n  - id: x\n    name: X\n    type: spaceship\n")
    result = runner.invoke(main, ["query", "facilities", str(tmp_path)])
    assert result.exit_code == 1
    assert "bad.yaml:4:" in result.stderr
    assert "Traceback" not in result.stderr


def test_shipped_queries_live_in_the_top_level_folder() -> None:
    assert {q.path for q in QUERIES.values()} == {str(p) for p in (ROOT / "queries").glob("*.rq")}


def test_inline_query_has_no_file(la_graph: BuiltGraph) -> None:
    q = parse_query_text("SELECT (COUNT(*) AS ?n) WHERE { ?c a cg:Cluster }")
    assert isinstance(q, NamedQuery)
    assert _cells(run_query(q, graph=la_graph, engine="rdflib")) == [("9",)]


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_ctrl_c_stops_a_runaway_query_at_once() -> None:
    # Oxigraph evaluates in Rust, where Python never sees Ctrl-C: a three-way cross join
    # of the LA graph (10^10 rows) would otherwise run for hours.
    import signal
    import subprocess
    import sys
    import time

    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    cmd = [sys.executable, "-m", "clustergraph", "query", "-e", runaway, str(GRAPH_DIR)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(2.5)  # the graph is built and the query is running
        assert proc.poll() is None
        proc.send_signal(signal.SIGINT)
        started = time.perf_counter()
        _, err = proc.communicate(timeout=10)
        assert time.perf_counter() - started < 5
        # Killed by the signal (the shell shows 130) or, had it come before the query, click's "Aborted!".
        assert proc.returncode in (-signal.SIGINT, 1)
        assert "Traceback" not in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
