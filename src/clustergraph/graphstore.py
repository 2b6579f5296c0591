"""Publish the graph to a triple store with the SPARQL 1.1 Graph Store HTTP Protocol.

`push` replaces one named graph with an HTTP PUT of N-Triples, so re-pushing an
edition of the data leaves no stale triples behind, and other graphs on the
server (other regions, other editions) are not touched. Queries then ask that graph
by name: `query --endpoint URL --default-graph IRI` (the protocol's `default-graph-uri`),
whatever else the server holds. The upload streams N-Triples from a temporary file,
gzipped where the server reads gzip, in one PUT or (`chunk`) a DELETE and POSTs.
"""

from __future__ import annotations

import gzip
import itertools
import re
import tempfile
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import pyoxigraph as ox

from . import vocab
from .builder import BuiltGraph
from .errors import QueryError, UsageError
from .http import HTTPError, redact

if TYPE_CHECKING:
    from .http import Auth


@dataclass(frozen=True, slots=True)
class Pushed:
    """What was sent: to which graph of which server, how many triples, the server's HTTP status."""

    endpoint: str
    graph: str
    triples: int
    status: int


def default_graph_iri(data: str, base: str = vocab.DEFAULT_BASE) -> str:
    """The named graph a data directory is pushed to: `<base>graph/<directory name>`
    (for an exported RDF file, its name without the suffix).

    The '/' keeps it apart from every record IRI (ids hold no '/'), as the
    cluster scheme's IRI does.
    """
    path = Path(data).resolve()
    name = (path.stem if path.is_file() else path.name).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", name).strip("-") or "data"
    return f"{base}graph/{slug}"


def graph_store_url(endpoint: str, graph: str) -> str:
    """The Graph Store Protocol address of one named graph: `endpoint?graph=<IRI>`."""
    try:
        query = urllib.parse.urlsplit(endpoint).query
    except ValueError as exc:
        raise HTTPError(f"{redact(endpoint)} is not a valid URL: {exc}") from None
    sep = "&" if query else "?"
    return endpoint + sep + urllib.parse.urlencode({"graph": graph})


class _Upload:
    """A file body that moves a progress bar as http.client reads it (and can be re-read)."""

    def __init__(self, f: BinaryIO, advance: Callable[[int], None]) -> None:
        self._f, self._advance = f, advance

    def read(self, n: int = -1) -> bytes:
        block = self._f.read(n)
        self._advance(len(block))
        return block

    def seek(self, pos: int) -> int:
        return self._f.seek(pos)


def _write(triples: Iterable[ox.Triple] | None, store: ox.Store, f: BinaryIO, compress: bool) -> int:
    """N-Triples of `triples` (None: the whole default graph) into `f`, gzipped if `compress`;
    returns the size in bytes. The body goes to a temporary file, not a second copy in memory."""
    f.seek(0)
    f.truncate()
    out: BinaryIO = gzip.GzipFile(fileobj=f, mode="wb", compresslevel=1) if compress else f  # type: ignore[assignment]
    if triples is None:  # the whole graph, straight from the store
        store.dump(out, ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    else:
        ox.serialize(triples, out, ox.RdfFormat.N_TRIPLES)
    if compress:
        out.close()
    f.flush()
    return f.tell()


# A body is gzipped only where the server said it reads gzip (RFC 7694: `Accept-Encoding` on
# its answer to the HEAD). Guessing is not safe: Virtuoso answers a gzip body with HTTP 500
# and, for a big one, holds its locks long after. A 415 with that header is also honoured.
_UNSUPPORTED_MEDIA = 415


def push(
    graph: BuiltGraph,
    endpoint: str,
    graph_iri: str,
    timeout: float = 120.0,
    *,
    auth: Auth | None = None,
    chunk: int | None = None,
    compress: bool = True,
) -> Pushed:
    """Replace the named graph `graph_iri` on a Graph Store endpoint with `graph`.

    `endpoint` is the server's Graph Store address, e.g. `http://localhost:7878/store`
    for Oxigraph, `http://localhost:8890/sparql-graph-crud-auth` for Virtuoso or
    `http://localhost:3030/ds/data` for Fuseki. The N-Triples are streamed from a
    temporary file, gzipped when the server says it reads gzip (RFC 7694) and `compress`.

    `chunk`: for servers that cap a request's size, the graph is cleared (DELETE) and then
    sent in POSTs of at most `chunk` triples; if one fails, the message says how many
    triples the server holds and that the same push, run again, replaces them.
    `auth` (an `auth.Credentials`) answers the server's Basic or Digest challenge; a HEAD
    request before any triple is sent meets the challenge and learns whether gzip is read.
    Connection refused, HTTP errors, timeouts and refused passwords raise a QueryError with a
    plain message.
    """
    from .auth import send
    from .progressbar import bar
    from .remote import check_iri, check_url

    check_url(endpoint, "endpoint")
    check_iri(graph_iri, "graph_iri")
    if chunk is not None and chunk < 1:
        raise UsageError(f"`chunk` must be a positive number of triples, not {chunk}", param="chunk")
    url = graph_store_url(endpoint, graph_iri)
    shown = redact(endpoint)
    accepts = _head(url, auth, timeout)
    total = len(graph)
    use_gzip = [compress and "gzip" in accepts]
    status = [0]

    def upload(method: str, triples: list[ox.Triple] | None, f: BinaryIO, bar_bytes: bool) -> None:
        """Write the body once, send it (again uncompressed if the server cannot read gzip)."""
        while True:
            size = _write(triples, graph.store, f, use_gzip[0])
            headers = {"Content-Type": "application/n-triples", "Content-Length": str(size)}
            if use_gzip[0]:
                headers["Content-Encoding"] = "gzip"
            shown_total = size if bar_bytes else 0
            try:
                with bar(shown_total, f"pushing {total:,} triples", min_total=PROGRESS_BYTES) as advance:
                    resp = send(url, method, _Upload(f, advance), headers, auth, timeout)
            except HTTPError as exc:
                if use_gzip[0] and exc.status == _UNSUPPORTED_MEDIA:
                    use_gzip[0] = False
                    continue
                raise
            status[0] = resp.status
            return

    with tempfile.TemporaryFile(prefix="clustergraph-push-") as f:
        if chunk is None or total <= chunk:
            upload("PUT", None, f, bar_bytes=True)
            return Pushed(shown, graph_iri, total, status[0])
        _clear(url, auth, timeout)
        done = 0
        quads = graph.store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        with bar(total, f"pushing {total:,} triples in chunks of {chunk:,}", min_total=chunk + 1) as advance:
            while done < total:
                part = [q.triple for q in itertools.islice(quads, chunk)]
                if not part:
                    break
                try:
                    upload("POST", part, f, bar_bytes=False)
                except QueryError as exc:
                    raise QueryError(
                        f"push to <{graph_iri}> at {shown} stopped after {done:,} of {total:,} triples: "
                        f"{exc}. The graph on the server is incomplete: run the same push again (it "
                        "clears the graph and sends every triple)"
                    ) from None
                done += len(part)
                advance(len(part))
    return Pushed(shown, graph_iri, total, status[0])


# A single upload shows a bar from this many bytes on (smaller ones take about a second).
PROGRESS_BYTES = 16 * 2**20


def _head(url: str, auth: Auth | None, timeout: float) -> str:
    """A HEAD of the graph before any triple is sent: it meets a password challenge (a body
    sent to a 401 would be sent twice, and a wrong password would cost the whole upload), and
    returns the content codings the server says it reads in requests (`Accept-Encoding`)."""
    from .auth import send

    try:
        resp = send(url, "HEAD", None, {}, auth, timeout)
    except HTTPError as exc:
        if exc.status == 0:  # no answer at all: connection refused, timeout
            raise
        # 404 (no such graph yet), 405 (no HEAD): the server answered, which is all we wanted.
        resp = exc.response  # type: ignore[assignment]
    return resp.header("Accept-Encoding").lower() if resp is not None else ""


def _clear(url: str, auth: Auth | None, timeout: float) -> None:
    from .auth import send

    try:
        send(url, "DELETE", None, {}, auth, timeout)
    except HTTPError as exc:
        if exc.status != 404:  # 404: nothing to clear yet
            raise
