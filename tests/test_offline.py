"""No network at run time: every local command works with sockets refused."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from clustergraph.cli import main

from .conftest import GRAPH_DIR


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise NetworkUsed(f"network used: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def _commands(tmp: Path) -> list[list[str]]:
    data = str(GRAPH_DIR)
    wanted = [
        ["validate", data],
        ["schema"],
        ["build", data, "-o", str(tmp / "g.ttl")],
        ["build", data, "-o", str(tmp / "g.jsonld")],
        ["progress", data],
        ["diff", data, data],
        ["queries"],
        ["query", "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", data],
        ["query", "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", data, "--engine", "rdflib"],
        ["query", "clusters-without-college", data, "--engine", "rdflib"],
        ["connectors", data, "--top", "5"],
        ["gaps", data],
        ["map", data, "-o", str(tmp / "map.html")],
        ["report", data, "-o", str(tmp / "report.html")],
        ["export", data, "--format", "graphml", "-o", str(tmp / "g.graphml")],
        ["path", data, "cluster:aerospace", "kind:colleges"],
        ["communities", data],
        ["summary", data],
        ["site", data, "-o", str(tmp / "site")],
        ["init", str(tmp / "new")],
        ["export", data, "--format", "xlsx", "-o", str(tmp / "g.xlsx")],
        ["import", str(tmp / "g.xlsx"), "-o", str(tmp / "imported")],
    ]
    return [c for c in wanted if c[0] in main.commands]


def test_every_local_command_runs_offline(no_network: None, tmp_path: Path) -> None:
    ran = []
    for args in _commands(tmp_path):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, (args, result.output, result.exception)
        ran.append(args[0])
    # push always talks to a server; serve is one (tests/test_server.py starts it on 127.0.0.1).
    assert set(ran) == set(main.commands) - {"push", "serve"}


def test_from_iri_is_refused_rather_than_downloaded(no_network: None) -> None:
    result = CliRunner().invoke(
        main,
        [
            "query",
            "-e",
            "SELECT * FROM <http://example.org/g.ttl> WHERE { ?s ?p ?o }",
            str(GRAPH_DIR),
            "--engine",
            "rdflib",
        ],
    )
    assert result.exit_code == 2
    assert "FROM is refused" in result.output
