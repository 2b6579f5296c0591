"""The network promise: no query reaches a server unless --endpoint names it, and no update reaches any.

Every attack points SERVICE at a fake server on 127.0.0.1 that logs each request, and asserts
that the log stays empty: a refusal that came too late would show up there.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clustergraph.builder import BuiltGraph
from clustergraph.cli import main
from clustergraph.errors import DataErrors, QueryError, UsageError
from clustergraph.querying import ENGINES, parse_query_text, run_query
from clustergraph.sparql import MAX_DEPTH, check_algebra, check_read_only

from ._fakeserver import Answer, Fake, fake_server
from .conftest import GRAPH_DIR

ROWS = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"from the network"}}]}}'


@pytest.fixture(scope="module")
def beacon() -> Iterator[Fake]:
    with fake_server(Answer(body=ROWS)) as srv:
        yield srv


@pytest.fixture(autouse=True)
def _empty_log(beacon: Fake) -> Iterator[None]:
    beacon.log.clear()
    yield
    assert beacon.log == [], "a request reached the server"


def _cli(runner: CliRunner, *args: str):
    return runner.invoke(main, ["query", *args])


# ---------------------------------------------------------------- the findings' attacks


def test_service_after_a_comment_ended_by_cr_is_refused(runner: CliRunner, beacon: Fake) -> None:
    """N1 (S06)."""
    text = f"SELECT ?x WHERE {{ # note\rSERVICE <{beacon.url}/> {{ ?x ?p ?o }} }}"
    for engine in ENGINES:
        result = _cli(runner, "-e", text, "--engine", engine, str(GRAPH_DIR))
        assert result.exit_code == 2, result.output
        assert "-e:2:1: SERVICE is refused on the local engine" in result.stderr


def test_service_after_an_escaped_quote_in_a_prefixed_name_is_refused(
    runner: CliRunner, beacon: Fake
) -> None:
    """N1 (S07)."""
    text = f"SELECT * WHERE {{ VALUES ?d {{ cg:a\\' }} SERVICE <{beacon.url}/> {{ ?a ?b ?c }} FILTER(?d != 'q') }}"
    result = _cli(runner, "-e", text, str(GRAPH_DIR))
    assert result.exit_code == 2
    assert "-e:1:39: SERVICE is refused" in result.stderr


def test_a_planted_query_file_beside_the_data_cannot_call_out(
    runner: CliRunner, beacon: Fake, tmp_path: Path
) -> None:
    """N1 (S08): queries/partners.rq beside the data overrides the shipped query, and is refused."""
    region = tmp_path / "region"
    (region / "queries").mkdir(parents=True)
    shutil.copytree(GRAPH_DIR, region / "graph")
    (region / "queries" / "partners.rq").write_text(
        "# title: Partners of an organisation\n# param: org (id) — the organisation\n"
        "SELECT ?partner WHERE {\n"
        f"  VALUES ?k {{ cg:x\\' }} SERVICE <{beacon.url}/beacon> {{ ?a ?b ?c }} FILTER(?k != 'x')\n"
        "  ?p cg:member ?org, ?partner . FILTER(?partner != ?org)\n}\n",
        encoding="utf-8",
    )
    result = _cli(runner, "partners", str(region / "graph"), "-p", "org=laedc")
    assert result.exit_code == 2
    assert f"{region / 'queries' / 'partners.rq'}:4:24: SERVICE is refused" in result.stderr, result.stderr


def test_codepoint_escapes_are_read_as_rdflib_reads_them(runner: CliRunner, beacon: Fake) -> None:
    """N1 (S11): rdflib expands \\u0053ERVICE to SERVICE before parsing; no local row goes out."""
    text = f"SELECT * WHERE {{ ?s rdfs:label ?name . \\u0053ERVICE <{beacon.url}/> {{ ?x ?p ?name }} }}"
    for engine in ENGINES:
        result = _cli(runner, "--engine", engine, "-e", text, str(GRAPH_DIR))
        assert result.exit_code == 2
        assert "-e:1:40: SERVICE (written with \\u escapes) is refused" in result.stderr


def test_a_keyword_glued_to_a_literal_is_still_seen(runner: CliRunner, beacon: Fake) -> None:
    """Oxigraph reads `trueSERVICE` as `true` then SERVICE."""
    result = _cli(
        runner, "-e", f"SELECT * WHERE {{ ?s ?p trueSERVICE <{beacon.url}/> {{ ?a ?b ?c }} }}", str(GRAPH_DIR)
    )
    assert result.exit_code == 2 and "-e:1:28: SERVICE is refused" in result.stderr


def test_a_hidden_update_never_reaches_the_endpoint(runner: CliRunner, beacon: Fake) -> None:
    """N2 (S20)."""
    result = _cli(runner, "--endpoint", beacon.url + "/", "-e", "# x\rDELETE WHERE { ?s ?p ?o }")
    assert result.exit_code == 2
    assert "-e:2:1: DELETE is a SPARQL update" in result.stderr


def test_rdflib_algebra_is_the_second_wall(la_graph: BuiltGraph) -> None:
    """Whatever the text looked like, a ServiceGraphPattern in rdflib's parse is refused."""
    from rdflib.plugins.sparql import prepareQuery

    q = parse_query_text("SELECT * WHERE { ?s ?p ?o }")
    for text in (
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * WHERE { { SELECT * WHERE { OPTIONAL { SERVICE SILENT ?e { ?s ?p ?o } } } } }",
        "SELECT * FROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }",
    ):
        with pytest.raises(UsageError):
            check_algebra(q, prepareQuery(text).algebra)
    check_algebra(q, prepareQuery("SELECT * WHERE { ?s <http://x/SERVICE> 'SERVICE' }").algebra)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000,
        "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 50000 + "1" + ")" * 50000 + ") }",
        "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * 20000 + "true) }",
    ],
    ids=["groups", "parentheses", "negations"],
)
def test_deep_nesting_is_refused_before_any_parser(runner: CliRunner, tmp_path: Path, text: str) -> None:
    """C1 (S28, S29): Oxigraph's parser would overflow its stack (SIGSEGV)."""
    path = tmp_path / "deep.rq"
    path.write_text(text, encoding="utf-8")
    for engine in ENGINES:
        result = _cli(runner, str(path), "--engine", engine, str(GRAPH_DIR))
        assert result.exit_code == 1
        assert f"{path}:1:" in result.stderr
        assert f"error: the query is nested more than {MAX_DEPTH} levels deep (flatten it)" in result.stderr


def test_nesting_up_to_the_limit_still_runs(la_graph: BuiltGraph) -> None:
    q = parse_query_text("ASK WHERE " + "{" * MAX_DEPTH + " ?s ?p ?o " + "}" * MAX_DEPTH)
    assert run_query(q, graph=la_graph).boolean is True


def test_engine_evaluation_errors_are_one_line(runner: CliRunner) -> None:
    """T6 (S26): an invalid regex on rdflib; Oxigraph answers no rows."""
    text = 'SELECT * WHERE { ?s ?p ?o FILTER(REGEX(STR(?o), "(")) }'
    result = _cli(runner, "--engine", "rdflib", "-e", text, str(GRAPH_DIR))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: -e: the rdflib engine could not answer the query: ")
    assert "Traceback" not in result.output
    assert _cli(runner, "-e", text, str(GRAPH_DIR)).exit_code == 0


def test_false_positives_stay_allowed(la_graph: BuiltGraph) -> None:
    """S21: the words inside strings, IRIs, variables and prefixed names are not keywords."""
    for text in (
        "SELECT ?service WHERE { ?service <http://x/SERVICE> 'SERVICE', \"LOAD\", '''DROP\nALL''' }",
        "PREFIX load: <http://x/> SELECT * WHERE { ?s load:insert ?o . ?s ?p _:delete } # SERVICE",
        "SELECT * WHERE { ?s ?p ?o FILTER(?o = 'a\\'SERVICE') }",
        "SELECT * WHERE { ?s ?p ?o } # \\u0053ERVICE in a comment is fine",
    ):
        check_read_only(parse_query_text(text))


# ---------------------------------------------------------------- generated attacks

_SEP = st.sampled_from([" ", "\n", "\t", "\r", "\r\n", " # c\n", " # c\r", " # c\r\n", "#\r", "  "])
_GLUE = st.sampled_from(["", "true", "false", "UNDEF", "a"])


def _spell(word: str, draw: st.DrawFn) -> str:
    out = []
    for ch in word:
        ch = ch.lower() if draw(st.booleans()) else ch
        pick = draw(st.integers(0, 5))
        out.append(f"\\u{ord(ch):04X}" if pick == 0 else f"\\U{ord(ch):08x}" if pick == 1 else ch)
    return "".join(out)


@st.composite
def _attack(draw: st.DrawFn, url: str, update: bool) -> str:
    sep = lambda: draw(_SEP)  # noqa: E731
    if update:
        kw = draw(
            st.sampled_from(["INSERT", "DELETE", "CLEAR", "DROP", "LOAD", "CREATE", "ADD", "MOVE", "COPY"])
        )
        tail = {"LOAD": f"<{url}/>", "CLEAR": "ALL", "DROP": "ALL", "CREATE": "GRAPH <urn:g>"}.get(
            kw, "DATA { <urn:a> <urn:b> <urn:c> }" if kw in ("INSERT", "DELETE") else "DEFAULT TO <urn:g>"
        )
        body = f"{_spell(kw, draw)}{sep()}{tail}"
        prefix = draw(st.sampled_from(["", "SELECT * WHERE { ?s ?p ?o } ;", "PREFIX x: <urn:x>"]))
        return prefix + sep() + body
    kw = _spell("SERVICE", draw) + draw(st.sampled_from(["", " SILENT", "\\u0020SILENT"]))
    hide = draw(st.sampled_from(["", "cg:a\\' ", "cg:a\\# ", "'x' ", '"\\"" ', "<urn:x> ", "?v "]))
    glue = draw(_GLUE) if not hide else ""
    return (
        f"SELECT * WHERE {{ ?s ?p ?o .{sep()}{hide}{sep()}{glue}{kw}{sep()}<{url}/>{sep()}{{ ?a ?b ?c }} }}"
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_generated_service_queries_never_open_a_socket(
    data: st.DataObject, la_graph: BuiltGraph, beacon: Fake
) -> None:
    text = data.draw(_attack(beacon.url, update=False))
    for engine in ENGINES:
        with pytest.raises((UsageError, DataErrors)):
            run_query(parse_query_text(text), graph=la_graph, engine=engine)
    assert beacon.log == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_generated_updates_never_reach_any_engine_or_server(
    data: st.DataObject, la_graph: BuiltGraph, beacon: Fake
) -> None:
    text = data.draw(_attack(beacon.url, update=True))
    q = parse_query_text(text)
    for engine in ENGINES:
        with pytest.raises(UsageError):
            run_query(q, graph=la_graph, engine=engine)
    with pytest.raises(UsageError):
        run_query(q, endpoint=beacon.url + "/sparql", timeout=5)
    assert beacon.log == []


def test_an_allowed_query_does_reach_the_endpoint(beacon: Fake) -> None:
    """The log would show a request: the tests above would see one if it came."""
    result = run_query(
        parse_query_text("SELECT ?x WHERE { ?x ?p ?o }"), endpoint=beacon.url + "/q", timeout=5
    )
    assert result.rows and [entry[:2] for entry in beacon.log] == [("POST", "/q")]
    beacon.log.clear()
    with pytest.raises(QueryError):
        run_query(parse_query_text("ASK {}"), endpoint="http://127.0.0.1:1/", timeout=2)
