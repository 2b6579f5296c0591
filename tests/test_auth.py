"""Basic, bearer and the password's sources, against a small Graph Store on 127.0.0.1 that asks
for them (Digest is tested on Virtuoso in test_servers.py), and a push that fails half way."""

from __future__ import annotations

import base64
import gzip
import http.server
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from click.testing import CliRunner

from clustergraph.auth import Credentials, parse_challenges
from clustergraph.builder import BuiltGraph
from clustergraph.cli import main

from .conftest import GRAPH_DIR


@dataclass
class Store:
    url: str
    seen: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)
    triples: int = 0


@contextmanager
def guarded_store(
    check: Callable[[dict[str, str]], bool], challenge: str, fail_post: int = 0, reads_gzip: bool = False
) -> Iterator[Store]:
    """A Graph Store that answers 401 with `challenge` unless `check(headers)`; it counts
    triples, answers 413 to POST number `fail_post`, and with `reads_gzip` says it reads
    gzip bodies (RFC 7694 `Accept-Encoding`)."""
    server_box: list[Store] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _go(self) -> None:
            store = server_box[0]
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n) if n else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            store.seen.append((self.command, self.path, headers, body))
            if not check(headers):
                self.send_response(401)
                self.send_header("WWW-Authenticate", challenge)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if headers.get("content-encoding") == "gzip":
                body = gzip.decompress(body)
            posts = sum(1 for s in store.seen if s[0] == "POST" and check(s[2]))
            status = 204
            if self.command == "POST" and posts == fail_post:
                status = 413
            elif self.command in ("PUT", "POST"):
                store.triples = (0 if self.command == "PUT" else store.triples) + body.count(b"\n")
            elif self.command == "DELETE":
                store.triples = 0
            self.send_response(status)
            if reads_gzip:
                self.send_header("Accept-Encoding", "gzip")
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _go

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server_box.append(Store(f"http://127.0.0.1:{httpd.server_address[1]}/store"))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server_box[0]
    finally:
        httpd.shutdown()
        httpd.server_close()


def _basic(user: str, password: str) -> Callable[[dict[str, str]], bool]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return lambda h: h.get("authorization") == f"Basic {token}"


def test_challenges_are_parsed_whatever_their_order() -> None:
    found = parse_challenges(
        ['Bearer realm="api", Basic realm="x y"', 'Digest realm="r", nonce="a,b", qop="auth"']
    )
    assert [(c.scheme, c.params.get("realm")) for c in found] == [
        ("bearer", "api"),
        ("basic", "x y"),
        ("digest", "r"),
    ]
    assert found[2].params["nonce"] == "a,b"


def test_basic_push_sends_the_password_only_after_the_challenge(la_graph: BuiltGraph) -> None:
    with guarded_store(_basic("ana", "s3cret"), 'Basic realm="team"', reads_gzip=True) as store:
        result = CliRunner(env={"CLUSTERGRAPH_PASSWORD": "s3cret"}).invoke(
            main, ["push", str(GRAPH_DIR), "--endpoint", store.url, "--user", "ana"]
        )
        assert result.exit_code == 0, result.output
        assert "s3cret" not in result.output
        methods = [(m, "authorization" in h) for m, _, h, _ in store.seen]
        # HEAD without, HEAD with (the challenge is met before the body goes), then one PUT
        assert methods == [("HEAD", False), ("HEAD", True), ("PUT", True)]
        assert store.triples == len(la_graph)
        assert store.seen[-1][2]["content-encoding"] == "gzip"  # it said it reads gzip


def test_no_gzip_unless_the_server_says_it_reads_it(la_graph: BuiltGraph) -> None:
    with guarded_store(lambda h: True, 'Basic realm="team"') as store:
        result = CliRunner().invoke(main, ["push", str(GRAPH_DIR), "--endpoint", store.url])
        assert result.exit_code == 0, result.output
        assert "content-encoding" not in store.seen[-1][2]
        assert store.triples == len(la_graph)


def test_a_token_is_sent_as_bearer_from_the_environment() -> None:
    with guarded_store(lambda h: h.get("authorization") == "Bearer tok-123", 'Bearer realm="api"') as store:
        ok = CliRunner(env={"CLUSTERGRAPH_TOKEN": "tok-123"}).invoke(
            main, ["push", str(GRAPH_DIR), "--endpoint", store.url]
        )
        assert ok.exit_code == 0, ok.output
        bad = CliRunner().invoke(main, ["push", str(GRAPH_DIR), "--endpoint", store.url, "--token", "nope"])
        assert bad.exit_code == 1
        assert f"{store.url.rsplit('/', 1)[0]} refused the bearer token" in bad.stderr


def test_a_password_is_never_taken_from_the_command_line() -> None:
    result = CliRunner().invoke(main, ["push", "--endpoint", "http://127.0.0.1:1/", "--password", "x"])
    assert result.exit_code == 2
    assert "No such option '--password'" in result.output


def test_no_terminal_and_no_password_says_where_to_put_it(tmp_path: object) -> None:
    with guarded_store(_basic("ana", "s3cret"), 'Basic realm="team"') as store:
        result = CliRunner(env={"CLUSTERGRAPH_PASSWORD": None, "NETRC": "", "HOME": str(tmp_path)}).invoke(
            main, ["push", str(GRAPH_DIR), "--endpoint", store.url, "--user", "ana"]
        )
    assert result.exit_code == 1
    assert "asks for the password of user 'ana': set CLUSTERGRAPH_PASSWORD" in result.stderr


def test_a_chunked_push_that_fails_half_way_says_how_to_retry(la_graph: BuiltGraph) -> None:
    with guarded_store(_basic("ana", "pw"), 'Basic realm="team"', fail_post=2) as store:
        result = CliRunner(env={"CLUSTERGRAPH_PASSWORD": "pw"}).invoke(
            main, ["push", str(GRAPH_DIR), "--endpoint", store.url, "--user", "ana", "--chunk", "1000"]
        )
    assert result.exit_code == 1
    assert f"stopped after 1,000 of {len(la_graph):,} triples" in result.stderr
    assert "HTTP 413" in result.stderr
    assert "run the same push again" in result.stderr
    assert [m for m, *_ in store.seen if m != "HEAD"] == ["DELETE", "POST", "POST"]


def test_credentials_never_show_the_password() -> None:
    assert "pw" not in repr(Credentials("ana", password="pw"))


@pytest.mark.parametrize("kind", ["query", "push"])
def test_graph_options_need_an_endpoint(kind: str) -> None:
    args = (
        ["query", "facilities", "--default-graph", "urn:x"] if kind == "query" else ["push", "--chunk", "0"]
    )
    assert CliRunner().invoke(main, args).exit_code == 2
