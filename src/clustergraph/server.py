"""`clustergraph serve`: the site and a read-only SPARQL 1.1 Protocol endpoint, on one machine.

Standard library only: `http.server.ThreadingHTTPServer` parses HTTP; this module
routes what it parsed.

- ``/``: the static site (`clustergraph.render.site`), written to a temporary folder;
- ``/id/ID`` (no suffix): the record IRI, answered as linked data by ``Accept``
  (303 to ``ID.ttl``, ``ID.jsonld`` or ``ID.html``, the rules docs/site.md gives
  for static hosts);
- ``/sparql``: the SPARQL 1.1 Protocol query operation (GET ``?query=``, POST of a
  form, POST ``application/sparql-query``); results as SPARQL JSON, XML, CSV or TSV,
  graphs as Turtle, N-Triples, JSON-LD or RDF/XML, chosen by ``Accept``. Read-only:
  updates, ``SERVICE``, ``LOAD`` and ``FROM`` are refused (4xx with a message) by the
  same check `clustergraph query` applies; each query has a time limit;
- ``/queries``: the named queries (JSON); ``/queries/NAME?param=value`` runs one.

With ``watch``, the YAML is re-read when a file changes; bad data leaves the
previous edition served and prints the problems.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pyoxigraph as ox

from .errors import DataErrors, UsageError

__all__ = ["App", "Serving", "negotiate", "start"]

MAX_BODY = 1 << 20  # bytes of a POSTed query
LOOPBACK = ("127.0.0.1", "localhost", "::1")

_RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPHS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
_LINKED = {"text/turtle": ".ttl", "application/ld+json": ".jsonld", "text/html": ".html"}


def negotiate(accept: str | None, offered: list[str]) -> str | None:
    """The offered media type the Accept header prefers (the first offered on a tie), or None.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+json", ["application/sparql-results+xml",
    ...           "application/sparql-results+json", "text/csv"])
    'application/sparql-results+json'
    >>> negotiate("*/*", ["text/turtle", "application/n-triples"]), negotiate("image/png", ["text/turtle"])
    ('text/turtle', None)
    """
    if not accept or not accept.strip():
        return offered[0]
    best: tuple[float, int, str] | None = None
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        media = media.lower()
        q = 1.0
        for p in params:
            k, _, v = p.partition("=")
            if k.strip() == "q":
                try:
                    q = float(v)
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        for rank, o in enumerate(offered):
            major = o.split("/")[0]
            if media in (o, "*/*", f"{major}/*"):
                # Exact types beat wildcards at the same q.
                key = (q, -rank if media == o else -rank - len(offered), o)
                if best is None or key > best:
                    best = key
    return best[2] if best else None


@dataclass
class _State:
    """One loaded edition: its graph, its site folder, its named queries."""

    graph: Any
    site: Path
    queries: dict[str, Any]
    loaded: float


class App:
    """What the server serves: an edition of DATA, reloaded by `reload` (or on change with `watch`)."""

    def __init__(
        self, data: str, *, timeout: float = 30.0, workers: int = 4, say: Callable[[str], None]
    ) -> None:
        self.data = data
        self.timeout = timeout
        self.say = say
        self._tmp = Path(tempfile.mkdtemp(prefix="clustergraph-serve-"))
        self._lock = threading.Lock()
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sparql")
        # A query past its time limit cannot be stopped inside the engine; it keeps its
        # worker until it ends. New queries get 503 while every worker is busy.
        self._slots = threading.BoundedSemaphore(workers)
        self._generation = 0
        self.state = self._load()

    def _load(self) -> _State:
        from .edition import open_edition
        from .querying import named_queries
        from .render.site import write_site

        self._generation += 1
        with open_edition(self.data) as ed:
            site = self._tmp / f"site-{self._generation}"
            write_site(ed, site)
            return _State(ed.graph, site, named_queries(self.data), time.time())

    def reload(self) -> bool:
        """Read DATA again; on bad data keep serving the previous edition. True when reloaded."""
        try:
            state = self._load()
        except DataErrors as exc:
            for e in exc.errors:
                self.say(str(e))
            self.say(f"{len(exc.errors)} problem(s): still serving the previous edition")
            return False
        with self._lock:
            old, self.state = self.state, state
        shutil.rmtree(old.site, ignore_errors=True)
        return True

    def watch(self, interval: float = 1.0) -> threading.Thread:
        """Poll DATA's YAML files; reload when one changes, appears or goes."""

        def stamp() -> dict[str, float]:
            root = Path(self.data)
            files = [root] if root.is_file() else [*root.rglob("*.yaml"), *root.rglob("*.yml")]
            out = {}
            for f in files:
                with contextlib.suppress(OSError):  # a file removed while we look
                    out[str(f)] = f.stat().st_mtime
            return out

        def loop() -> None:
            seen = stamp()
            while True:
                time.sleep(interval)
                now = stamp()
                if now != seen:
                    seen = now
                    if self.reload():
                        self.say(f"reloaded {self.data} ({time.strftime('%H:%M:%S')})")

        t = threading.Thread(target=loop, name="watch", daemon=True)
        t.start()
        return t

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(self._tmp, ignore_errors=True)

    # ------------------------------------------------------------ SPARQL

    def answer(self, text: str, accept: str | None, path: str = "query") -> tuple[int, str, bytes]:
        """(status, content type, body) for the query `text`, refused or answered."""
        from . import vocab
        from .querying import parse_query_text
        from .sparql import check_read_only, query_form

        try:
            q = parse_query_text(text, name="query", path=path)
            check_read_only(q, local=True)
        except (UsageError, DataErrors) as exc:
            status = 403 if _is_update(str(exc)) else 400
            return status, "text/plain; charset=utf-8", _refusal(exc).encode()
        form = query_form(text)
        offered = list(_GRAPHS) if form == "graph" else list(_RESULTS)
        media = negotiate(accept, offered)
        if media is None:
            return (
                406,
                "text/plain; charset=utf-8",
                f"cannot answer in {accept}; offered: {', '.join(offered)}\n".encode(),
            )
        state = self.state
        if not self._slots.acquire(blocking=False):
            return 503, "text/plain; charset=utf-8", b"every query worker is busy; try again shortly\n"

        def run() -> bytes:
            try:
                result = state.graph.store.query(text, prefixes=vocab.prefixes(state.graph.base))
                out = io.BytesIO()
                if isinstance(result, ox.QueryTriples):
                    result.serialize(out, _GRAPHS[media])
                else:
                    result.serialize(out, _RESULTS[media])
                return out.getvalue()
            finally:
                self._slots.release()

        future = self._pool.submit(run)
        try:
            body = future.result(timeout=self.timeout)
        except concurrent.futures.TimeoutError:
            msg = f"the query ran longer than the limit of {self.timeout:g} s; narrow it or add a LIMIT\n"
            return 503, "text/plain; charset=utf-8", msg.encode()
        except SyntaxError as exc:
            return 400, "text/plain; charset=utf-8", f"SPARQL syntax: {exc}\n".encode()
        except (RuntimeError, OSError, ValueError, TypeError) as exc:
            return (
                500,
                "text/plain; charset=utf-8",
                f"the engine could not answer the query: {exc}\n".encode(),
            )
        ctype = media + ("; charset=utf-8" if media.startswith("text/") or "json" in media else "")
        return 200, ctype, body

    def named(self, name: str, params: dict[str, str], accept: str | None) -> tuple[int, str, bytes]:
        """Run the named query `name` with `params`, as /sparql would answer its text."""
        from .querying import bind_params, check_ids
        from .sparql import with_values

        q = self.state.queries.get(name)
        if q is None:
            return 404, "text/plain; charset=utf-8", f"no named query '{name}' (see /queries)\n".encode()
        try:
            bound = bind_params(q, params, self.state.graph.base)
            check_ids(self.state.graph, q, bound)
        except (UsageError, DataErrors) as exc:
            return 400, "text/plain; charset=utf-8", (str(exc) + "\n").encode()
        return self.answer(with_values(q, bound), accept, path=f"queries/{name}")

    def query_list(self) -> bytes:
        rows = [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "params": [
                    {"name": p.name, "type": p.type, "default": p.default, "meaning": p.meaning}
                    for p in q.params
                ],
                "url": f"/queries/{q.name}",
            }
            for q in self.state.queries.values()
        ]
        return json.dumps(rows, indent=2, ensure_ascii=False).encode()


def _is_update(message: str) -> bool:
    return "SPARQL update" in message


def _refusal(exc: Exception) -> str:
    """The read-only check's message, in the words of an endpoint rather than of the command line."""
    text = str(exc)
    where = text.split(": ", 1)[0] if ": " in text else "query"
    if " SERVICE" in text:
        return f"refused: {where}: SERVICE is not answered here (this endpoint reads only its own graph)\n"
    if " FROM" in text:
        return f"refused: {where}: FROM is not answered here (this endpoint holds one default graph)\n"
    text = text.replace("`clustergraph query` only reads the graph", "this endpoint only reads the graph")
    return "refused: " + text + "\n"


class _Handler(SimpleHTTPRequestHandler):
    server: _Server
    server_version = "clustergraph"
    extensions_map = {  # noqa: RUF012 - the base class's own table, extended
        **SimpleHTTPRequestHandler.extensions_map,
        ".ttl": "text/turtle",
        ".jsonld": "application/ld+json",
        ".js": "text/javascript",
        ".css": "text/css",
        ".html": "text/html; charset=utf-8",
    }

    def version_string(self) -> str:
        return self.server_version

    def setup(self) -> None:
        super().setup()
        self.directory = str(self.server.app.state.site)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()

    def list_directory(self, path: str | os.PathLike[str]) -> None:  # type: ignore[override]
        self.send_error(HTTPStatus.NOT_FOUND, "no page here")
        return None

    def _send(self, status: int, ctype: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Access-Control-Allow-Origin", "*")  # YASGUI and other tools in a browser
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        route = parts.path
        app = self.server.app
        if route == "/sparql":
            query = parse_qs(parts.query, keep_blank_values=True)
            if "update" in query:
                self._send(403, "text/plain; charset=utf-8", b"refused: this endpoint only reads the graph\n")
            elif len(query.get("query", [])) != 1:
                self._send(400, "text/plain; charset=utf-8", b"give exactly one query= parameter\n")
            else:
                self._send(*app.answer(query["query"][0], self.headers.get("Accept")))
            return
        if route == "/queries" or route == "/queries/":
            self._send(200, "application/json; charset=utf-8", app.query_list())
            return
        if route.startswith("/queries/"):
            params = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
            self._send(*app.named(unquote(route[len("/queries/") :]), params, self.headers.get("Accept")))
            return
        if route.startswith("/id/") and "." not in route.rsplit("/", 1)[-1] and route != "/id/":
            # A record IRI: the page, the Turtle or the JSON-LD, as the client asks.
            rid = route[len("/id/") :]
            media = negotiate(self.headers.get("Accept"), ["text/html", "text/turtle", "application/ld+json"])
            target = f"/id/{rid}{_LINKED[media or 'text/html']}"
            if not (Path(self.directory) / target.lstrip("/")).is_file():
                self.send_error(HTTPStatus.NOT_FOUND, "no such record")
                return
            self._send(
                303,
                "text/plain; charset=utf-8",
                f"see {target}\n".encode(),
                {"Location": target, "Vary": "Accept"},
            )
            return
        super().do_GET()

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        if parts.path != "/sparql":
            self._send(405, "text/plain; charset=utf-8", b"POST only to /sparql\n", {"Allow": "GET, HEAD"})
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self._send(
                413, "text/plain; charset=utf-8", f"a query body of at most {MAX_BODY} bytes\n".encode()
            )
            return
        body = self.rfile.read(length)
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        accept = self.headers.get("Accept")
        app = self.server.app
        if ctype == "application/sparql-update":
            self._send(403, "text/plain; charset=utf-8", b"refused: this endpoint only reads the graph\n")
        elif ctype == "application/sparql-query":
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                self._send(400, "text/plain; charset=utf-8", b"the query is not UTF-8\n")
                return
            self._send(*app.answer(text, accept))
        elif ctype == "application/x-www-form-urlencoded":
            form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            if "update" in form:
                self._send(403, "text/plain; charset=utf-8", b"refused: this endpoint only reads the graph\n")
            elif len(form.get("query", [])) != 1:
                self._send(400, "text/plain; charset=utf-8", b"give exactly one query= field\n")
            else:
                self._send(*app.answer(form["query"][0], accept))
        else:
            self._send(
                415,
                "text/plain; charset=utf-8",
                b"send application/sparql-query or application/x-www-form-urlencoded\n",
            )


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: App, verbose: bool = False) -> None:
        self.app = app
        self.verbose = verbose
        super().__init__(address, _Handler)


@dataclass
class Serving:
    """A running server: its address, and how to stop it."""

    server: _Server
    app: App
    thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{_url_host(str(host))}:{port}/"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.app.close()


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def start(
    data: str,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    timeout: float = 30.0,
    watch: bool = False,
    watch_interval: float = 1.0,
    say: Callable[[str], None] | None = None,
    background: bool = True,
    verbose: bool = False,
) -> Serving:
    """Load DATA, bind `host`:`port` (0: any free port) and serve; in a thread when `background`."""
    tell = say or (lambda m: print(m, file=sys.stderr))
    app = App(data, timeout=timeout, say=tell)
    try:
        server = _Server((host, port), app, verbose=verbose)
    except OSError as exc:
        app.close()
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}", param="port") from None
    if watch:
        app.watch(watch_interval)
    serving = Serving(server, app)
    if background:
        serving.thread = threading.Thread(target=server.serve_forever, name="serve", daemon=True)
        serving.thread.start()
    return serving
