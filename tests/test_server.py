"""`clustergraph serve`, started on a free 127.0.0.1 port: the SPARQL 1.1 Protocol cases, the
named queries through the endpoint equal to the local engine, linked data, the site, the time
limit and --watch; then stopped."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from clustergraph.cli import main
from clustergraph.querying import named_queries
from clustergraph.server import start

from .conftest import GRAPH_DIR

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
LABEL = "SELECT ?l WHERE { id:laedc rdfs:label ?l }"
# Values for the named queries' parameters that have no default.
PARAMS = {"cluster": "bioscience", "org": "laedc", "text": "port", "record": "altasea"}


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """`clustergraph serve graph --port 0` as a user starts it; its base URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "clustergraph", "serve", str(GRAPH_DIR), "--port", "0"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines = []
    assert proc.stderr is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("press Ctrl-C"):
            break
    text = "".join(lines)
    assert "listening on 127.0.0.1 only" in text, text
    url = text.split("the site at ", 1)[1].split(",", 1)[0]
    assert url.startswith("http://127.0.0.1:")
    try:
        yield url
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _get(url: str, accept: str | None = None) -> tuple[int, str, bytes]:
    req = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    return _open(req)


def _post(url: str, body: bytes, ctype: str, accept: str | None = None) -> tuple[int, str, bytes]:
    headers = {"Content-Type": ctype} | ({"Accept": accept} if accept else {})
    return _open(urllib.request.Request(url, data=body, headers=headers, method="POST"))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _open(req: urllib.request.Request) -> tuple[int, str, bytes]:
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(req, timeout=30) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), err.read()


def _q(server: str, text: str) -> str:
    return server + "sparql?" + urllib.parse.urlencode({"query": text})


def test_get_post_form_and_post_query_answer_alike(server: str) -> None:
    got = _get(_q(server, COUNT))
    form = _post(
        server + "sparql",
        urllib.parse.urlencode({"query": COUNT}).encode(),
        "application/x-www-form-urlencoded",
    )
    direct = _post(server + "sparql", COUNT.encode(), "application/sparql-query")
    assert got[0] == form[0] == direct[0] == 200
    assert got[1].startswith("application/sparql-results+json")
    assert json.loads(got[2]) == json.loads(form[2]) == json.loads(direct[2])
    n = int(json.loads(got[2])["results"]["bindings"][0]["n"]["value"])
    assert n > 2000


def test_accept_chooses_the_results_format(server: str) -> None:
    status, ctype, body = _get(_q(server, LABEL), "application/sparql-results+xml")
    assert status == 200 and ctype.startswith("application/sparql-results+xml")
    assert b"<literal>Los Angeles County Economic Development Corporation</literal>" in body
    status, ctype, body = _get(_q(server, LABEL), "text/csv")
    assert ctype.startswith("text/csv") and body.decode().splitlines() == [
        "l",
        "Los Angeles County Economic Development Corporation",
    ]
    status, ctype, body = _get(_q(server, LABEL), "text/tab-separated-values")
    assert ctype.startswith("text/tab-separated-values") and body.decode().splitlines()[0] == "?l"
    status, ctype, body = _get(_q(server, LABEL), "text/csv;q=0.5, application/sparql-results+json")
    assert ctype.startswith("application/sparql-results+json")
    construct = "CONSTRUCT { id:laedc rdfs:label ?l } WHERE { id:laedc rdfs:label ?l }"
    status, ctype, body = _get(_q(server, construct))
    assert status == 200 and ctype.startswith("text/turtle") and b"Los Angeles County" in body
    status, ctype, body = _get(_q(server, construct), "application/n-triples")
    assert ctype.startswith("application/n-triples")
    assert body.decode().strip().startswith("<https://w3id.org/clustergraph/id/laedc>")
    status, ctype, body = _get(_q(server, "ASK { id:laedc ?p ?o }"), "application/sparql-results+json")
    assert json.loads(body) == {"head": {}, "boolean": True}
    assert _get(_q(server, LABEL), "image/png")[0] == 406


def test_malformed_updates_and_network_reads_are_refused(server: str) -> None:
    status, _, body = _get(_q(server, "SELEC ?x WHERE { ?x ?y ?z }"))
    assert status == 400 and b"SPARQL syntax" in body
    assert _get(server + "sparql")[0] == 400
    update = "INSERT DATA { <http://e.org/a> <http://e.org/b> <http://e.org/c> }"
    status, _, body = _post(server + "sparql", update.encode(), "application/sparql-query")
    assert status == 403 and b"INSERT is a SPARQL update; this endpoint only reads the graph" in body
    assert _post(server + "sparql", update.encode(), "application/sparql-update")[0] == 403
    form = urllib.parse.urlencode({"update": update}).encode()
    assert _post(server + "sparql", form, "application/x-www-form-urlencoded")[0] == 403
    assert _get(server + "sparql?" + urllib.parse.urlencode({"update": update}))[0] == 403
    status, _, body = _get(_q(server, "LOAD <http://example.org/x.ttl>"))
    assert status == 403 and b"LOAD" in body
    status, _, body = _get(_q(server, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"))
    assert status == 400 and b"SERVICE" in body
    assert _post(server + "sparql", b"x", "text/plain")[0] == 415
    # Nothing was written: the count is what it was.
    assert _get(_q(server, "ASK { <http://e.org/a> ?p ?o }"))[2] == b'{"head":{},"boolean":false}'


def test_every_named_query_through_the_endpoint_equals_the_local_engine(server: str) -> None:
    runner = CliRunner()
    queries = named_queries(str(GRAPH_DIR))
    assert len(queries) > 10
    for name, q in queries.items():
        params = [x for p in q.params if p.default is None for x in ("-p", f"{p.name}={PARAMS[p.name]}")]
        local = runner.invoke(main, ["query", name, str(GRAPH_DIR), *params, "--format", "json"])
        remote = runner.invoke(
            main, ["query", name, *params, "--endpoint", server + "sparql", "--format", "json"]
        )
        assert local.exit_code == 0 and remote.exit_code == 0, (name, local.output, remote.output)
        assert json.loads(remote.stdout) == json.loads(local.stdout), name


def test_named_queries_by_address(server: str) -> None:
    status, _, body = _get(server + "queries")
    names = [q["name"] for q in json.loads(body)]
    assert status == 200 and "members-of" in names
    status, _, body = _get(server + "queries/members-of?org=la-oc-regional-consortium")
    local = CliRunner().invoke(
        main,
        ["query", "members-of", str(GRAPH_DIR), "-p", "org=la-oc-regional-consortium", "--format", "json"],
    )
    assert status == 200 and json.loads(body) == json.loads(local.stdout)
    assert _get(server + "queries/members-of?org=laedcc")[0] == 400
    assert _get(server + "queries/no-such-query")[0] == 404


def _location(url: str, accept: str | None) -> tuple[int, str | None]:
    req = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.build_opener(_NoRedirect).open(req, timeout=30) as resp:
            return resp.status, None
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Location")


def test_site_and_linked_data(server: str) -> None:
    status, ctype, body = _get(server)
    assert status == 200 and ctype.startswith("text/html") and b"search-data" in body
    assert _get(server + "id/la-biomed.html")[0] == 200
    for accept, suffix in (
        ("text/turtle", ".ttl"),
        ("application/ld+json", ".jsonld"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", ".html"),
        (None, ".html"),
    ):
        assert _location(server + "id/la-biomed", accept) == (303, "/id/la-biomed" + suffix), accept
    assert _get(server + "id/la-biomed.ttl")[1].startswith("text/turtle")
    assert _get(server + "id/la-biomed.jsonld")[1].startswith("application/ld+json")
    assert _get(server + "id/")[0] == 404  # no folder listings
    assert _get(server + "id/no-such-record")[0] == 404
    assert _get(server + "../pyproject.toml")[0] in (400, 404)


def test_time_limit_and_watch(tmp_path: Path) -> None:
    data = tmp_path / "graph"
    shutil.copytree(GRAPH_DIR, data)
    said: list[str] = []
    s = start(str(data), "127.0.0.1", 0, timeout=0.05, watch=True, watch_interval=0.2, say=said.append)
    try:
        slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"
        status, _, body = _get(_q(s.url, slow))
        assert status == 503 and b"longer than the limit of 0.05 s" in body
        orgs = data / "organizations.yaml"
        orgs.write_text(
            orgs.read_text("utf-8").replace(
                "name: Los Angeles County Economic Development Corporation\n", "name: LAEDC renamed\n"
            ),
            "utf-8",
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(m.startswith("reloaded") for m in said):
            time.sleep(0.1)
        s.app.timeout = 10
        _, _, body = _get(_q(s.url, LABEL), "text/csv")
        assert body.decode().splitlines()[1] == "LAEDC renamed"
        assert b"LAEDC renamed" in _get(s.url + "id/laedc.html")[2]
    finally:
        s.stop()
