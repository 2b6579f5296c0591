"""push and query --endpoint against a real Oxigraph server on 127.0.0.1, and the errors a network gives."""

from __future__ import annotations

import socket
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from clustergraph.builder import BuiltGraph
from clustergraph.cli import main
from clustergraph.errors import QueryError
from clustergraph.graphstore import default_graph_iri, graph_store_url, push
from clustergraph.querying import named_queries, run_query

from ._servers import OXIGRAPH, free_port, oxigraph_server
from .conftest import GRAPH_DIR
from .test_query import EXPECTED


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`oxigraph serve` with a union default graph, so named queries see pushed graphs."""
    if OXIGRAPH is None:
        pytest.skip("the oxigraph server (pip install oxigraph) is not installed")
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph"), union=True) as running:
        yield running.query.removesuffix("/query")


@pytest.fixture(scope="module")
def pushed(server: str, la_graph: BuiltGraph) -> str:
    done = push(la_graph, server + "/store", default_graph_iri(str(GRAPH_DIR)))
    assert done.status in (200, 201, 204)
    return server


def test_default_graph_iri_comes_from_the_data_directory() -> None:
    assert default_graph_iri("graph") == "https://w3id.org/clustergraph/id/graph/graph"
    assert (
        default_graph_iri("/data/LA Region 2017/") == "https://w3id.org/clustergraph/id/graph/la-region-2017"
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_named_query_answers_the_same_through_the_endpoint(
    pushed: str, la_graph: BuiltGraph, name: str
) -> None:
    q = named_queries()[name]
    params = EXPECTED[name][0]
    local = run_query(q, params, graph=la_graph)
    remote = run_query(q, params, endpoint=pushed + "/query")
    assert remote.vars == local.vars
    assert remote.rows == local.rows


def test_push_replaces_the_graph_instead_of_adding_to_it(
    pushed: str, la_graph: BuiltGraph, runner: CliRunner
) -> None:
    count = ["query", "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--endpoint", pushed + "/query"]
    before = runner.invoke(main, [*count, "--format", "csv"]).stdout
    again = runner.invoke(main, ["push", str(GRAPH_DIR), "--endpoint", pushed + "/store"])
    assert again.exit_code == 0, again.output
    assert f"pushed {len(la_graph)} triples to <https://w3id.org/clustergraph/id/graph/graph>" in again.stderr
    assert runner.invoke(main, [*count, "--format", "csv"]).stdout == before == f"n\n{len(la_graph)}\n"


def test_push_to_a_named_graph_and_query_it_by_name(pushed: str, runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "small"
    data.mkdir()
    (data / "a.yaml").write_text("clusters:\n  - {id: tiny, name: Tiny cluster}\n", encoding="utf-8")
    result = runner.invoke(
        main, ["push", str(data), "--endpoint", pushed + "/store", "--graph", "urn:test:tiny"]
    )
    assert result.exit_code == 0, result.output
    ask = "ASK { GRAPH <urn:test:tiny> { ?c skos:notation 'tiny' } }"
    found = runner.invoke(main, ["query", "-e", ask, "--endpoint", pushed + "/query", "--exit-status"])
    assert (found.exit_code, found.stdout) == (0, "true\n")


def test_push_an_exported_rdf_file(
    pushed: str, la_graph: BuiltGraph, runner: CliRunner, tmp_path: Path
) -> None:
    exported = tmp_path / "LA 2018.ttl"
    exported.write_bytes(la_graph.serialize("turtle") or b"")
    result = runner.invoke(main, ["push", str(exported), "--endpoint", pushed + "/store"])
    assert result.exit_code == 0, result.output
    iri = "https://w3id.org/clustergraph/id/graph/la-2018"  # from the file's name, suffix left out
    assert f"pushed {len(la_graph)} triples to <{iri}>" in result.stderr
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
    answer = runner.invoke(main, ["query", "-e", count, "--endpoint", pushed + "/query", "--format", "csv"])
    assert answer.stdout == f"n\n{len(la_graph)}\n"
    # Leave the server as the other tests expect it: only the data directory's graph.
    gone = urllib.request.Request(graph_store_url(pushed + "/store", iri), method="DELETE")
    urllib.request.urlopen(gone, timeout=10).close()


def test_cli_query_through_endpoint_prints_json_and_rows(pushed: str, runner: CliRunner) -> None:
    args = ["query", "partners", "-p", "org=laedc", "--endpoint", pushed + "/query"]
    tsv = runner.invoke(main, [*args, "--format", "tsv"])
    assert tsv.exit_code == 0, tsv.output
    assert "id:la-area-chamber\tsector-partnership\tid:wdc-partnership\tid:progress-report-2017" in tsv.stdout
    assert '"type": "uri"' in runner.invoke(main, [*args, "--format", "json"]).stdout


def test_injection_through_endpoint_changes_nothing(pushed: str, la_graph: BuiltGraph) -> None:
    q = named_queries()["search"]
    for evil in ('"} ; DROP ALL ; {"', "> <"):
        assert run_query(q, {"text": evil}, endpoint=pushed + "/query").rows == ()
    n = run_query(named_queries()["cluster-summary"], endpoint=pushed + "/query")
    assert n.rows == run_query(named_queries()["cluster-summary"], graph=la_graph).rows


# ---------------------------------------------------------------- failures


def test_connection_refused_is_one_line_and_exit_1(runner: CliRunner) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    for args in (
        ["push", str(GRAPH_DIR), "--endpoint", url + "/store"],
        ["query", "facilities", "--endpoint", url],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 1
        assert "connection refused" in result.stderr
        assert "Traceback" not in result.stderr


def test_http_error_names_the_status(pushed: str, runner: CliRunner) -> None:
    result = runner.invoke(main, ["push", str(GRAPH_DIR), "--endpoint", pushed + "/no-such-service"])
    assert result.exit_code == 1
    assert "answered HTTP 404" in result.stderr
    bad = runner.invoke(main, ["query", "facilities", "--endpoint", pushed + "/store"])
    assert bad.exit_code == 1
    assert "HTTP" in bad.stderr or "SPARQL results" in bad.stderr


def test_timeout_is_reported(runner: CliRunner) -> None:
    """A server that accepts the connection and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        accepted: list[socket.socket] = []
        thread = threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True)
        thread.start()
        result = runner.invoke(
            main, ["query", "facilities", "--endpoint", f"http://127.0.0.1:{port}/q", "--timeout", "0.5"]
        )
        for conn in accepted:
            conn.close()
    assert result.exit_code == 1
    assert "did not answer within 0.5 s" in result.stderr


def test_endpoint_must_be_http(runner: CliRunner) -> None:
    result = runner.invoke(main, ["query", "facilities", "--endpoint", "file:///etc/passwd"])
    assert result.exit_code == 2
    with pytest.raises(QueryError):
        run_query(named_queries()["facilities"], endpoint=f"http://127.0.0.1:{free_port()}/q", timeout=2)
