"""Two real servers, one test body: Oxigraph (`oxigraph serve`) and Virtuoso (`virtuoso-t`).

Each server gets the LA graph pushed once per session into a named graph (on Virtuoso through
the Digest-protected `/sparql-graph-crud-auth` as `dba`), beside another graph, so that every
answer must come from the graph `--default-graph` names and nothing else on the server.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from clustergraph.auth import Credentials
from clustergraph.builder import BuiltGraph
from clustergraph.cli import main
from clustergraph.querying import named_queries, run_query
from clustergraph.remote import Remote, read_remote

from ._servers import Server
from .conftest import GRAPH_DIR
from .test_query import EXPECTED

LA = "https://w3id.org/clustergraph/id/graph/la-test"
OTHER = "urn:test:other-region"
SERVERS = ("oxigraph", "virtuoso")


def _write_store(server: Server) -> str:
    return server.store_auth or server.store


def _env(server: Server) -> dict[str, str]:
    return {"CLUSTERGRAPH_PASSWORD": server.password} if server.password else {}


def _push_args(server: Server) -> list[str]:
    return ["--endpoint", _write_store(server), *(["--user", server.user] if server.user else [])]


@pytest.fixture(scope="session")
def loaded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Server]:
    """Each server that could start, with the LA graph at LA and a one-record graph at OTHER."""
    out: dict[str, Server] = {}
    for name in SERVERS:
        try:
            server: Server = request.getfixturevalue(f"{name}_server")
        except pytest.skip.Exception:
            continue
        other = tmp_path_factory.mktemp("other")
        (other / "a.yaml").write_text("clusters:\n  - {id: tiny, name: Tiny cluster}\n", encoding="utf-8")
        runner = CliRunner(env=_env(server))
        for data, iri in ((GRAPH_DIR, LA), (other, OTHER)):
            done = runner.invoke(main, ["push", str(data), *_push_args(server), "--graph", iri])
            assert done.exit_code == 0, done.output
        out[name] = server
    return out


@pytest.fixture(params=SERVERS)
def server(request: pytest.FixtureRequest, loaded: dict[str, Server]) -> Server:
    if request.param not in loaded:
        pytest.skip(f"{request.param} is not installed")
    return loaded[request.param]


def _la(server: Server, **kw: object) -> Remote:
    return Remote(server.query, (LA,), **kw)  # type: ignore[arg-type]


# ---------------------------------------------------------------- queries


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_named_query_on_the_pushed_graph_equals_the_local_answer(
    server: Server, la_graph: BuiltGraph, name: str
) -> None:
    q = named_queries()[name]
    params = EXPECTED[name][0]
    local = run_query(q, params, graph=la_graph)
    remote = run_query(q, params, endpoint=_la(server))
    assert (remote.vars, remote.rows) == (local.vars, local.rows)


def test_default_graph_keeps_other_graphs_out(
    server: Server, la_graph: BuiltGraph, runner: CliRunner
) -> None:
    count = ["query", "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--endpoint", server.query]
    only = runner.invoke(main, [*count, "--default-graph", LA, "--format", "csv"])
    assert only.exit_code == 0, only.output
    assert only.stdout == f"n\n{len(la_graph)}\n"
    both = runner.invoke(main, [*count, "--default-graph", LA, "--default-graph", OTHER, "--format", "csv"])
    assert int(both.stdout.split()[1]) > len(la_graph)


def test_named_graph_is_what_graph_sees(server: Server, runner: CliRunner) -> None:
    ask = "ASK { GRAPH ?g { ?c skos:notation 'tiny' } }"
    args = ["query", "-e", ask, "--endpoint", server.query, "--default-graph", LA, "--exit-status"]
    assert runner.invoke(main, [*args, "--named-graph", OTHER]).stdout == "true\n"
    assert runner.invoke(main, [*args, "--named-graph", LA]).stdout == "false\n"


# ---------------------------------------------------------------- the graph read back


def _triples(graph: BuiltGraph) -> set[object]:
    return set(graph.store.quads_for_pattern(None, None, None, None))


def test_graph_read_back_in_constructed_pages_is_the_pushed_graph(
    server: Server, la_graph: BuiltGraph
) -> None:
    seen: list[int] = []
    back = read_remote(_la(server), seen.append, page=700)  # some 4,500 triples: seven pages
    assert _triples(back) == _triples(la_graph)
    assert seen == [*range(700, len(la_graph), 700), len(la_graph)]


def test_graph_read_back_from_the_graph_store_is_the_pushed_graph(
    server: Server, la_graph: BuiltGraph
) -> None:
    back = read_remote(_la(server, store=server.store_auth or server.store, auth=_creds(server)))
    assert _triples(back) == _triples(la_graph)


ANALYSES = [
    ["connectors"],
    ["connectors", "--without", "laedc"],
    ["gaps"],
    ["path", "cluster:aerospace", "kind:colleges"],
    ["progress"],
    ["progress", "--stalled"],
    ["communities"],
    ["summary"],
]


@pytest.mark.parametrize("args", ANALYSES, ids=lambda a: "-".join(a))
def test_each_analysis_on_the_server_equals_the_local_one(
    server: Server, runner: CliRunner, args: list[str]
) -> None:
    local = runner.invoke(main, [args[0], str(GRAPH_DIR), *args[1:], "--format", "json"])
    assert local.exit_code == 0, local.output
    remote = runner.invoke(
        main, [*args, "--endpoint", server.query, "--default-graph", LA, "--format", "json"]
    )
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == local.stdout


def test_map_and_report_from_the_server_equal_the_local_ones(
    server: Server, runner: CliRunner, tmp_path: Path
) -> None:
    remote = ["--endpoint", server.query, "--default-graph", LA]
    for kind in ("map", "report"):
        made = {}
        for where, source in (("local", [str(GRAPH_DIR)]), ("remote", remote)):
            out = tmp_path / f"{kind}-{where}.html"
            done = runner.invoke(main, [kind, *source, "-o", str(out)])
            assert done.exit_code == 0, done.output
            made[where] = out.read_text(encoding="utf-8")
        # The page says when and from where it was built, and its title names the edition
        # (its dataset record, else its folder or endpoint: graph/ has no dataset record).
        # The two may be built either side of a minute's turn: every stamp is left out.
        made = {
            k: re.sub(
                r"(partnership (?:map|report)): [^<\"]*",
                r"\1: EDITION",
                re.sub(
                    r"Built [^<]*? from [^<]*?\. (\d+ entities)",
                    r"Built \1",
                    re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "WHEN", v),
                ),
            )
            for k, v in made.items()
        }
        assert made["remote"] == made["local"]


def test_diff_compares_a_local_edition_with_what_the_server_holds(server: Server, runner: CliRunner) -> None:
    same = runner.invoke(
        main, ["diff", str(GRAPH_DIR), "--endpoint", server.query, "--default-graph", LA, "--exit-code"]
    )
    assert same.exit_code == 0, same.output
    assert "no changes between" in same.stderr
    other = runner.invoke(
        main, ["diff", str(GRAPH_DIR), "--endpoint", server.query, "--default-graph", OTHER, "--exit-code"]
    )
    assert other.exit_code == 1


def test_endpoint_and_data_together_is_a_usage_error(server: Server, runner: CliRunner) -> None:
    both = runner.invoke(main, ["connectors", str(GRAPH_DIR), "--endpoint", server.query])
    assert both.exit_code == 2
    assert "give DATA or --endpoint URL, not both" in both.output
    lone = runner.invoke(main, ["gaps", "--default-graph", LA])
    assert lone.exit_code == 2


def _creds(server: Server) -> Credentials | None:
    return Credentials(server.user, password=server.password) if server.user else None


# ---------------------------------------------------------------- push: chunks, passwords


def test_chunked_push_replaces_the_graph(server: Server, la_graph: BuiltGraph, runner: CliRunner) -> None:
    iri = "urn:test:chunked"
    env = _env(server)
    for _ in range(2):  # twice: the second push must clear what the first left
        done = CliRunner(env=env).invoke(
            main, ["push", str(GRAPH_DIR), *_push_args(server), "--graph", iri, "--chunk", "1000"]
        )
        assert done.exit_code == 0, done.output
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
    answer = runner.invoke(main, ["query", "-e", count, "--endpoint", server.query, "--format", "csv"])
    assert answer.stdout == f"n\n{len(la_graph)}\n"


@pytest.fixture
def guarded(loaded: dict[str, Server]) -> Server:
    """A server whose Graph Store asks for a password."""
    if "virtuoso" not in loaded:
        pytest.skip("virtuoso-t is not installed (the password tests need a server that asks for one)")
    return loaded["virtuoso"]


def test_a_wrong_password_is_refused_with_the_server_named(guarded: Server, tmp_path: Path) -> None:
    secret = "not-the-password-x7"
    result = CliRunner(env={"CLUSTERGRAPH_PASSWORD": secret, "HOME": str(tmp_path), "NETRC": ""}).invoke(
        main, ["push", str(GRAPH_DIR), "--endpoint", guarded.store_auth, "--user", "dba", "--graph", LA]
    )
    assert result.exit_code == 1
    origin = guarded.query.rsplit("/", 1)[0]
    assert f"error: {origin} refused the password of user 'dba'" in result.stderr
    assert secret not in result.output
    assert "Traceback" not in result.output


def test_no_user_is_asked_for_by_name(guarded: Server, tmp_path: Path) -> None:
    result = CliRunner(env={"CLUSTERGRAPH_PASSWORD": None, "HOME": str(tmp_path), "NETRC": ""}).invoke(
        main, ["push", str(GRAPH_DIR), "--endpoint", guarded.store_auth, "--graph", "urn:test:refused"]
    )
    assert result.exit_code == 1
    assert "asks for a user name and password" in result.stderr


def test_the_password_comes_from_netrc(guarded: Server, tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login {guarded.user} password {guarded.password}\n")
    os.chmod(netrc, 0o600)
    result = CliRunner(env={"CLUSTERGRAPH_PASSWORD": None, "NETRC": str(netrc)}).invoke(
        main, ["push", str(GRAPH_DIR), "--endpoint", guarded.store_auth, "--graph", "urn:test:netrc"]
    )
    assert result.exit_code == 0, result.output
    assert guarded.password not in result.output
