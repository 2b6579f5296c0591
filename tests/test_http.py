"""The one HTTP layer against hostile servers on 127.0.0.1: each test asserts the exact request log."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clustergraph.cli import main
from clustergraph.endpoint import parse_results_json
from clustergraph.errors import QueryError, UsageError
from clustergraph.http import HTTPError, Response, Unauthorized, redact, request

from ._fakeserver import Answer, fake_server
from .conftest import GRAPH_DIR

ROWS = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"from the network"}}]}}'


def _query(runner: CliRunner, url: str, *extra: str, text: str = "SELECT ?x WHERE { ?x ?p ?o }"):
    return runner.invoke(main, ["query", "--endpoint", url, "-e", text, *extra])


def test_redirect_to_another_server_is_not_followed(runner: CliRunner) -> None:
    """N3 (E16): the other server gets no request at all, and the command fails."""
    with fake_server(Answer(body=ROWS)) as other:
        target = other.url + "/elsewhere"
        for status in (301, 302, 303, 307, 308):
            with fake_server(Answer(status=status, headers={"Location": target})) as first:
                result = _query(runner, first.url + "/sparql")
                assert result.exit_code == 1, result.output
                assert len(first.log) == 1 and first.log[0][:2] == ("POST", "/sparql")
                assert "from the network" not in result.stdout
                assert f"to {target}: a redirect to another server is not followed" in result.stderr
        assert other.log == []


def test_same_origin_redirect_keeps_the_method_and_body() -> None:
    def answer(method: str, path: str, body: bytes) -> Answer:
        if path == "/old":
            return Answer(status=307, headers={"Location": "/new"})
        return Answer(body=ROWS)

    with fake_server(answer) as srv:
        resp = request(srv.url + "/old", method="POST", data=b"query=x", timeout=5)
        assert resp.status == 200 and resp.url == srv.url + "/new"
        assert srv.log == [("POST", "/old", b"query=x"), ("POST", "/new", b"query=x")]


def test_same_origin_302_of_a_post_is_not_turned_into_a_get() -> None:
    with fake_server(Answer(status=302, headers={"Location": "/new"})) as srv:
        with pytest.raises(HTTPError, match="the request would lose its body"):
            request(srv.url + "/old", method="POST", data=b"q", timeout=5)
        assert [entry[:2] for entry in srv.log] == [("POST", "/old")]


def test_redirect_loop_stops() -> None:
    with fake_server(Answer(status=302, headers={"Location": "/again"})) as srv:
        with pytest.raises(HTTPError, match="too many redirects"):
            request(srv.url + "/again", timeout=5)
        assert len(srv.log) == 4


def test_a_dripping_server_is_cut_off_at_the_deadline(runner: CliRunner, tmp_path: Path) -> None:
    """H3 (E14, PU03): one byte every 0.2 s never ends a socket read's timeout, only the deadline."""
    with fake_server(Answer(drip=0.2)) as srv:
        start = time.monotonic()
        result = _query(runner, srv.url + "/", "--timeout", "1", text="ASK {}")
        took = time.monotonic() - start
        assert result.exit_code == 1
        assert f"error: {srv.url}/ did not answer within 1 s" in result.stderr
        assert took < 3
        start = time.monotonic()
        pushed = runner.invoke(
            main, ["push", str(GRAPH_DIR), "--endpoint", srv.url + "/store", "--timeout", "1"]
        )
        assert pushed.exit_code == 1 and "did not answer within 1 s" in pushed.stderr
        assert time.monotonic() - start < 8  # includes building the LA graph


def test_the_answer_size_is_bounded() -> None:
    with fake_server(Answer(body=b"x" * 5000)) as srv:
        with pytest.raises(HTTPError, match="sent more than 1,000 bytes"):
            request(srv.url, timeout=5, max_bytes=1000)
        assert request(srv.url, timeout=5, max_bytes=5000).body == b"x" * 5000


def test_credentials_in_the_url_are_refused_and_never_printed(runner: CliRunner) -> None:
    """U1 (PU06): the reason is the credentials, and the password is not shown."""
    with fake_server() as srv:
        url = srv.url.replace("http://", "http://user:secret@") + "/q"
        result = _query(runner, url, text="ASK {}")
        assert result.exit_code == 1
        assert "secret" not in result.output and "user" not in result.stderr.split(":")[0]
        assert "a user name or password inside the URL is not supported" in result.stderr
        assert srv.log == []
    assert redact("https://a:b@host:1/x?y=z") == "https://host:1/x?y=z"


def test_a_malformed_url_is_one_line(runner: CliRunner) -> None:
    """T5 (E24, PU05)."""
    result = _query(runner, "http://[::1", text="ASK {}")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: http://[::1 is not a valid URL")
    pushed = runner.invoke(main, ["push", str(GRAPH_DIR), "--endpoint", "http://[::1/store"])
    assert pushed.exit_code == 1 and "is not a valid URL" in pushed.stderr
    assert "Traceback" not in result.output + pushed.output


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf"])
def test_timeout_must_be_a_positive_number(runner: CliRunner, value: str) -> None:
    """U1 (PU07): not 'Operation now in progress'."""
    result = _query(runner, "http://127.0.0.1:9/", "--timeout", value, text="ASK {}")
    assert result.exit_code == 2
    assert "--timeout must be a positive number of seconds" in result.stderr


def test_error_bodies_are_shown_without_control_characters() -> None:
    """E02: a server's error body cannot drive the terminal."""
    with fake_server(Answer(status=500, body=b"\x1b]0;PWNED\x07\x1b[2Kbad")) as srv:
        with pytest.raises(HTTPError) as caught:
            request(srv.url, timeout=5)
        assert "\x1b" not in str(caught.value) and "\\x1b]0;PWNED\\x07" in str(caught.value)
        assert caught.value.status == 500


class _Token:
    """A bearer token that is refreshed once on a 401: the seam the auth layer uses."""

    def __init__(self) -> None:
        self.token = "old"
        self.seen: list[str] = []

    def apply(self, method: str, url: str, headers: dict[str, str]) -> None:
        headers["Authorization"] = f"Bearer {self.token}"

    def challenge(self, response: Response) -> bool:
        self.seen.append(response.header("WWW-Authenticate"))
        self.token = "new"
        return True


def test_a_401_is_surfaced_with_its_challenge_and_auth_may_retry_once() -> None:
    with fake_server(Answer(status=401, headers={"WWW-Authenticate": 'Basic realm="x"'})) as srv:
        with pytest.raises(Unauthorized) as caught:
            request(srv.url, timeout=5)
        assert caught.value.challenges == ('Basic realm="x"',)
        auth = _Token()
        with pytest.raises(Unauthorized):
            request(srv.url, timeout=5, auth=auth)
        assert auth.seen == ['Basic realm="x"'] and auth.token == "new" and len(srv.log) == 3
        assert isinstance(caught.value, QueryError)


def test_bad_arguments_are_usage_errors() -> None:
    with pytest.raises(UsageError):
        request("http://127.0.0.1:9/", timeout=0)
    for url in ("ftp://x/", "http:///nohost", "http://x:99999/", "http://x/a b"):
        with pytest.raises(HTTPError):
            request(url, timeout=1)


# ---------------------------------------------------------------- answers of the wrong shape (T4, W2)

WRONG_SHAPES = {
    "[]": "the answer is a list, not a JSON object",
    "null": "the answer is null, not a JSON object",
    '{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"value":"v"}}]}}': "a binding has no 'type'",
    '{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"uri","value":5}}]}}': "a binding has no 'type'",
    '{"head":{"vars":[1, null]},"results":{"bindings":[]}}': "'head.vars' is not a list of names",
    "[" * 100000 + "]" * 100000: "Content-Type",
    '{"head":{},"boolean":"false"}': "'boolean' is not true or false",
}


@pytest.mark.parametrize("body", WRONG_SHAPES, ids=lambda b: b[:30])
def test_valid_json_of_the_wrong_shape_is_exit_1(runner: CliRunner, body: str) -> None:
    """T4 (E06–E11), W2 (E12)."""
    with fake_server(Answer(body=body.encode())) as srv:
        result = _query(runner, srv.url + "/", "--format", "table", text="SELECT * WHERE { ?s ?p ?o }")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {srv.url}/ did not answer with SPARQL results JSON (")
    assert WRONG_SHAPES[body] in result.stderr
    assert "Traceback" not in result.output


def test_a_json_false_is_false(runner: CliRunner) -> None:
    with fake_server(Answer(body=b'{"head":{},"boolean":false}')) as srv:
        result = _query(runner, srv.url + "/", "--exit-status", text="ASK { ?s ?p ?o }")
    assert result.exit_code == 1 and result.stdout.strip() == "false"


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)
_cell = st.dictionaries(st.sampled_from(["type", "value", "datatype", "xml:lang", "x"]), _json, max_size=4)
_answer = st.one_of(
    _json,
    st.fixed_dictionaries({"boolean": _json}),
    st.fixed_dictionaries(
        {
            "head": st.one_of(_json, st.fixed_dictionaries({"vars": st.lists(_json, max_size=3)})),
            "results": st.one_of(
                _json,
                st.fixed_dictionaries({"bindings": st.lists(st.dictionaries(st.text(max_size=2), _cell))}),
            ),
        }
    ),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_answer)
def test_generated_answers_give_a_result_or_a_query_error(doc: object) -> None:
    try:
        result = parse_results_json(json.dumps(doc).encode(), "http://127.0.0.1:1/")
    except QueryError as exc:
        assert "did not answer with SPARQL results JSON" in str(exc)
    else:
        assert result.form in ("ask", "select")
