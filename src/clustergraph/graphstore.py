"""Publish the graph to a triple store with the SPARQL 1.1 Graph Store HTTP Protocol.

`push` replaces one named graph with an HTTP PUT of N-Triples, so re-pushing an
edition of the data leaves no stale triples behind, and other graphs on the
server (other regions, other editions) are not touched. Named queries read the
default graph: a server shows them pushed graphs when its default graph is the
union of all graphs (Oxigraph `serve --union-default-graph`, Fuseki
`tdb2:unionDefaultGraph true`).
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from . import vocab
from .builder import BuiltGraph
from .errors import UsageError
from .http import HTTPError, redact, request


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


def push(graph: BuiltGraph, endpoint: str, graph_iri: str, timeout: float = 120.0) -> Pushed:
    """Replace the named graph `graph_iri` on a Graph Store endpoint with `graph`.

    `endpoint` is the server's Graph Store address, e.g. `http://localhost:7878/store`
    for Oxigraph or `http://localhost:3030/ds/data` for Fuseki. Connection
    refused, HTTP errors and timeouts raise a QueryError with a plain message.
    """
    if not endpoint.startswith(("http://", "https://")):
        raise UsageError(
            f"`endpoint` must be an http:// or https:// URL, not {redact(endpoint)!r}", param="endpoint"
        )
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\s]*\Z", graph_iri):
        raise UsageError(f"`graph_iri` must be an absolute IRI, not {graph_iri!r}", param="graph_iri")
    body = graph.serialize("nt") or b""
    resp = request(
        graph_store_url(endpoint, graph_iri),
        method="PUT",
        data=body,
        headers={"Content-Type": "application/n-triples"},
        timeout=timeout,
    )
    return Pushed(redact(endpoint), graph_iri, len(graph), resp.status)
