"""A SPARQL server as a source: which graphs to ask, who we are, and its graph read back.

`Remote` names a server's SPARQL query address, the graphs a query sees (the protocol's
`default-graph-uri` and `named-graph-uri`), its Graph Store address when known, and the
credentials. Queries (`query --endpoint`) send the graph selection with every request, so a
named query asks exactly the graph `push --graph IRI` wrote, whatever else the server holds
(Virtuoso's default graph is the union of every graph on it, its own system graphs included).

`read_remote` brings the selected graph into a local store, so that every analysis
(connectors, gaps, map, report, diff ...) runs on a server's graph exactly as on a local
one: by a Graph Store GET of each graph when the store address is known (one request per
graph, blank nodes kept), else by CONSTRUCT in ordered pages through the query address
(any SPARQL server; a server that caps its answers, as Virtuoso does at `ResultSetMaxRows`,
is followed page by page until the count it gave at the start is reached).
"""

from __future__ import annotations

import re
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .auth import send
from .errors import QueryError, UsageError

if TYPE_CHECKING:
    from .builder import BuiltGraph
    from .http import Auth, Response

# Rows per CONSTRUCT page: Debian's Virtuoso answers at most 10,000 rows per query.
PAGE = 10_000
# Reading from this many triples on shows a progress bar on a terminal.
PROGRESS_FROM = 100_000
# A Graph Store GET of a national graph is large; this bounds it (N-Triples, uncompressed).
MAX_GRAPH_BYTES = 8 * 2**30
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\s]*\Z")


def check_iri(iri: str, what: str) -> str:
    """`iri` if it is an absolute IRI, else a UsageError naming `what` (a parameter)."""
    if not _IRI.match(iri):
        raise UsageError(f"`{what}` must be an absolute IRI, not {iri!r}", param=what)
    return iri


def check_url(url: str, what: str = "endpoint") -> str:
    if not url.startswith(("http://", "https://")):
        from .http import redact

        raise UsageError(f"`{what}` must be an http:// or https:// URL, not {redact(url)!r}", param=what)
    return url


@dataclass(frozen=True, slots=True)
class Remote:
    """A SPARQL server to read from (see the module docstring).

    `default_graphs` empty means the server's own default graph (on Virtuoso: every graph).
    `store` is the Graph Store address (`/store` on Oxigraph, `/sparql-graph-crud` on Virtuoso,
    `/ds/data` on Fuseki); without it the graph is read through `url` in CONSTRUCT pages.
    """

    url: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    store: str | None = None
    auth: Auth | None = field(default=None, compare=False)
    timeout: float = 60.0

    def __post_init__(self) -> None:
        check_url(self.url, "endpoint")
        if self.store is not None:
            check_url(self.store, "store")
        for iri in self.default_graphs:
            check_iri(iri, "default_graphs")
        for iri in self.named_graphs:
            check_iri(iri, "named_graphs")

    @property
    def label(self) -> str:
        """The server and graphs, as a message or a page names them."""
        from .http import redact

        graphs = " ".join(f"<{g}>" for g in self.default_graphs)
        return redact(self.url) + (f" {graphs}" if graphs else "")

    def protocol_params(self) -> list[tuple[str, str]]:
        """The SPARQL 1.1 Protocol's dataset parameters for this selection."""
        return [("default-graph-uri", g) for g in self.default_graphs] + [
            ("named-graph-uri", g) for g in self.named_graphs
        ]

    def ask(self, query: str, accept: str, *, max_bytes: int | None = None) -> Response:
        """POST one query (form-encoded, with the graph selection) and return the answer."""
        body = urllib.parse.urlencode([("query", query), *self.protocol_params()]).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        return send(self.url, "POST", body, headers, self.auth, self.timeout, max_bytes)


def _format(content_type: str) -> ox.RdfFormat:
    return ox.RdfFormat.from_media_type(content_type.split(";")[0].strip()) or ox.RdfFormat.N_TRIPLES


def _bulk_into(store: ox.Store, payload: bytes, content_type: str, where: str) -> None:
    """A whole graph (a Graph Store GET) into the default graph of `store`, by the bulk loader."""
    try:
        store.bulk_load(payload, format=_format(content_type), to_graph=ox.DefaultGraph())
    except (SyntaxError, ValueError) as exc:
        raise QueryError(f"{where} sent triples that cannot be read: {exc}") from None


def _parse_into(store: ox.Store, payload: bytes, content_type: str, where: str) -> int:
    """Add the triples of a page to the default graph of `store`; return how many it held
    (the offset of the next page counts them)."""
    try:
        triples = [q.triple for q in ox.parse(payload, format=_format(content_type))]
    except (SyntaxError, ValueError) as exc:
        raise QueryError(f"{where} sent triples that cannot be read: {exc}") from None
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    return len(triples)


def read_remote(
    remote: Remote, progress: Callable[[int], None] | None = None, *, page: int = PAGE
) -> BuiltGraph:
    """The selected graph of a server as a local BuiltGraph (its triples in the default graph).

    With several `default_graphs` the result is their merge, as a query sees it.
    `progress(n)` is called with the number of triples read so far; `page` is the number of
    triples a CONSTRUCT page asks for.
    """
    from .builder import BuiltGraph
    from .http import redact
    from .progressbar import bar

    store = ox.Store()
    if remote.store is not None:
        from .graphstore import graph_store_url

        for graph in remote.default_graphs or (None,):
            url = (
                graph_store_url(remote.store, graph)
                if graph
                else remote.store + _sep(remote.store) + "default"
            )
            resp = send(
                url,
                "GET",
                None,
                {"Accept": "application/n-triples, text/turtle;q=0.9"},
                remote.auth,
                remote.timeout,
                MAX_GRAPH_BYTES,
            )
            _bulk_into(store, resp.body, resp.content_type, redact(url))
            if progress:
                progress(len(store))
        return BuiltGraph(store=store)
    total = _count(remote)
    # Pages of the unordered solution sequence: ORDER BY would make every page sort the whole
    # graph (and Virtuoso refuses to sort past 20,000 rows). Each page starts where the rows
    # received so far end, so a server that sends fewer rows than asked (a cap) loses none; the
    # count taken first then proves that no page skipped a row.
    offset = 0
    started = time.monotonic()
    with bar(total, f"reading {total:,} triples", min_total=PROGRESS_FROM) as advance:
        while len(store) < total:
            text = (
                "CONSTRUCT { ?s ?p ?o } WHERE { { SELECT ?s ?p ?o WHERE { ?s ?p ?o } "
                f"LIMIT {page} OFFSET {offset} }} }}"
            )
            resp = remote.ask(text, "application/n-triples, text/turtle;q=0.9", max_bytes=MAX_GRAPH_BYTES)
            before = len(store)
            rows = _parse_into(store, resp.body, resp.content_type, remote.label)
            if rows == 0:
                break
            offset += rows
            advance(len(store) - before)
            if progress:
                progress(len(store))
    if len(store) != total:
        raise QueryError(
            f"{remote.label} counted {total:,} triples but its pages held {len(store):,} "
            f"({time.monotonic() - started:.1f} s): it does not page in a stable order; give its Graph "
            "Store address (`store`) to read each graph in one request"
        )
    return BuiltGraph(store=store)


def _sep(url: str) -> str:
    return "&" if urllib.parse.urlsplit(url).query else "?"


def _count(remote: Remote) -> int:
    import json

    resp = remote.ask(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
        "application/sparql-results+json",
    )
    try:
        cell = json.loads(resp.body)["results"]["bindings"][0]["n"]["value"]
        return int(cell)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, RecursionError):
        raise QueryError(f"{remote.label} did not answer a COUNT with SPARQL results JSON") from None
